"""Lever postings API: a company's public postings, paged with ``skip``/``limit``.

``GET https://api.lever.co/v0/postings/{site}?mode=json&skip=N&limit=M`` (EU accounts:
``api.eu.lever.co``) returns a *bare JSON array* and no total, so :meth:`LeverSource.fetch` pages until
a page is shorter than ``limit`` (an empty array included). Every fetch reads the whole site, which
makes it a snapshot board; the API has no date filter and the order is not documented, so ``since``
cannot stop paging early (the pipeline filters on ``date_posted``).

Quirks: ``createdAt`` is epoch *milliseconds*; ``mode=json`` is reported to answer HTML at times (then
:meth:`records` raises a clear error instead of mapping garbage); an unknown site answers ``[]``;
``salaryRange`` is optional and usually absent. The description is spread over ``description`` (HTML;
``opening`` + ``descriptionBody`` in newer postings), ``lists[]`` ({text, content: HTML ``<li>``s})
and ``additional``: they are joined into one HTML document, as a candidate sees the page.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from typing import Any, ClassVar
from urllib.parse import quote

from skillgauge.clean.salary import find_salary_in_text
from skillgauge.exceptions import InputError, TerminalSourceError
from skillgauge.models import MappedPosting, Salary
from skillgauge.sources.base import Fetcher, Page, SourceInfo
from skillgauge.sources.fields import as_amount, as_date, as_text_or_int, decode_json, dicts

__all__ = ["LeverSource"]

HOSTS = {"global": "https://api.lever.co", "eu": "https://api.eu.lever.co"}
MAX_PAGES = 1000  # a guard against an API that ignores ``skip`` (100,000 postings at 100 a page)
_SITE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
_HOSTED_RE = re.compile(r"https?://jobs\.(?:eu\.)?lever\.co/([^/?#]+)/")
_REMOTE_RE = re.compile(r"\bremote\b", re.IGNORECASE)
_WORKPLACE = {"remote": True, "onsite": False, "on-site": False, "hybrid": False}
#: Lever salary intervals -> skillgauge periods (semi-month, bi-week, one-time have none).
_INTERVALS = {
    "per-year-salary": "year",
    "per-month-salary": "month",
    "per-week-salary": "week",
    "per-day-wage": "day",
    "per-hour-wage": "hour",
}


def _salary(record: dict[str, Any]) -> Salary | None:
    """``salaryRange`` when present, else a salary stated in ``salaryDescriptionPlain``."""
    rng = record.get("salaryRange")
    text = as_text_or_int(record.get("salaryDescriptionPlain"))
    if isinstance(rng, dict):
        lo, hi = as_amount(rng.get("min")), as_amount(rng.get("max"))
        if lo is not None or hi is not None:
            if lo is not None and hi is not None and lo > hi:
                lo, hi = hi, lo
            currency = as_text_or_int(rng.get("currency"))
            interval = as_text_or_int(rng.get("interval"))
            return Salary(
                lo,
                hi,
                currency.upper() if currency else None,
                _INTERVALS.get(interval.lower()) if interval else None,
                text,
            )
    return find_salary_in_text(text) if text else None


def _site_from_url(url: Any) -> str | None:
    """``https://jobs.lever.co/spotify/<id>`` -> "spotify" (when no board was given)."""
    m = _HOSTED_RE.match(url) if isinstance(url, str) else None
    return m.group(1) if m else None


def _description(record: dict[str, Any]) -> str | None:
    """``description`` (or ``opening`` + ``descriptionBody``, or the plain text), the ``lists[]``
    sections and ``additional``, joined in the order the posting page shows them."""
    parts: list[str] = []
    main = as_text_or_int(record.get("description"))
    if main is None:
        newer = [t for k in ("opening", "descriptionBody") if (t := as_text_or_int(record.get(k)))]
        main = "\n".join(newer) or as_text_or_int(record.get("descriptionPlain"))
    if main:
        parts.append(main)
    lists = record.get("lists")
    for section in lists if isinstance(lists, list) else []:
        if not isinstance(section, dict):
            continue
        heading, content = (
            as_text_or_int(section.get("text")),
            as_text_or_int(section.get("content")),
        )
        if heading:
            parts.append(f"<h3>{html.escape(heading, quote=False)}</h3>")
        if content:
            parts.append(f"<ul>{content}</ul>")
    additional = as_text_or_int(record.get("additional")) or as_text_or_int(
        record.get("additionalPlain")
    )
    if additional:
        parts.append(additional)
    return "\n".join(parts) or None


class LeverSource:
    """A company's Lever postings (``board`` = the site name in jobs.lever.co/<site>)."""

    info: ClassVar[SourceInfo] = SourceInfo(
        name="lever",
        title="Lever postings API",
        kind="company-board",
        needs=("board names (the site in jobs.lever.co/<site>)", "region=eu for EU accounts"),
        terms=(
            "Public postings API; GET needs no key (only applying through the API does). Lever "
            "documents no limit for the public postings endpoint: keep requests polite (about 1/s) "
            "and link to each posting's hostedUrl."
        ),
        docs="https://github.com/lever/postings-api",
        snapshot=True,
    )

    def __init__(self, *, region: str = "global", page_size: int | str = 100) -> None:
        """``region`` "global" (api.lever.co) or "eu" (api.eu.lever.co); ``page_size`` = ``limit``."""
        if region not in HOSTS:
            raise InputError(f"lever: region must be one of {', '.join(HOSTS)}, got {region!r}")
        try:
            size = int(page_size)
        except ValueError:
            size = 0
        if not 1 <= size <= 1000:
            raise InputError(f"lever: page_size must be 1..1000, got {page_size!r}")
        self.host = HOSTS[region]
        self.page_size = size

    def fetch(
        self,
        fetcher: Fetcher,
        *,
        board: str | None = None,
        since: dt.date | None = None,
        cursor: str | None = None,
    ) -> Iterator[Page]:
        """Pages of ``limit`` postings until a short page; cursor = newest ``createdAt`` so far."""
        if board is None or not _SITE_RE.fullmatch(board.strip()):
            raise InputError(
                f"lever needs a site name (letters, digits, '.', '_' or '-'), got {board!r}: "
                "it is the name in jobs.lever.co/<site>"
            )
        site = board.strip()
        url = f"{self.host}/v0/postings/{quote(site, safe='')}"
        newest = cursor
        seen_first: set[str] = set()
        for page_number in range(MAX_PAGES):
            params: dict[str, str | int] = {
                "mode": "json",
                "skip": page_number * self.page_size,
                "limit": self.page_size,
            }
            response = fetcher.get(url, source=self.info.name, params=params)
            postings = self.records(response.body)
            ids = {i for p in postings if (i := as_text_or_int(p.get("id")))}
            if page_number > 0 and ids and ids <= seen_first:
                return  # the first page again: the API ignored ``skip``
            seen_first = seen_first or ids
            dates = [d.isoformat() for p in postings if (d := as_date(p.get("createdAt")))]
            newest = max([*dates, *([newest] if newest else [])], default=None)
            yield Page(url=response.url, body=response.body, board=site, cursor=newest)
            if len(postings) < self.page_size:
                return  # a short page (or ``[]``) ends the list

    def records(self, body: bytes, *, board: str | None = None) -> list[dict[str, Any]]:
        """The bare array of postings (a single-posting response is one object)."""
        data = decode_json(
            body,
            self.info.name,
            hint="Lever sometimes answers HTML - check the site name and retry later",
        )
        if isinstance(data, list):
            return dicts(data)
        if isinstance(data, dict) and "id" in data and "text" in data:
            return [data]
        raise TerminalSourceError(self.info.name, "the response is not an array of postings")

    def map(self, record: dict[str, Any], *, board: str | None = None) -> MappedPosting | str:
        """One posting: title ``text``, epoch-ms ``createdAt``, ``workplaceType``, ``salaryRange``."""
        if not isinstance(record, dict):
            return "not a posting object"
        title = as_text_or_int(record.get("text"))
        description = _description(record)
        if title is None and description is None:
            return "no title and no text"
        categories = record.get("categories")
        cats = categories if isinstance(categories, dict) else {}
        location = as_text_or_int(cats.get("location"))
        workplace = as_text_or_int(record.get("workplaceType"))
        remote = _WORKPLACE.get(workplace.lower()) if workplace else None
        if remote is None and location and _REMOTE_RE.search(location):
            remote = True
        all_locations = cats.get("allLocations")
        tags = record.get("tags")
        raw_date = record.get("createdAt")
        extra: dict[str, Any] = {
            "department": as_text_or_int(cats.get("department")),
            "team": as_text_or_int(cats.get("team")),
            "level": as_text_or_int(cats.get("level")),
            "all_locations": [t for x in all_locations if (t := as_text_or_int(x))]
            if isinstance(all_locations, list)
            else None,
            "country": as_text_or_int(record.get("country")),
            "workplace_type": workplace,
            "tags": [t for x in tags if (t := as_text_or_int(x))]
            if isinstance(tags, list)
            else None,
            "apply_url": as_text_or_int(record.get("applyUrl")),
        }
        return MappedPosting(
            title=title,
            description=description,
            company=board.strip() if board else _site_from_url(record.get("hostedUrl")),
            location=location,
            remote=remote,
            date_posted=as_date(raw_date),
            date_raw=str(raw_date)
            if isinstance(raw_date, int | float | str) and not isinstance(raw_date, bool)
            else None,
            salary=_salary(record),
            url=as_text_or_int(record.get("hostedUrl")),
            source_id=as_text_or_int(record.get("id")),
            employment_type=as_text_or_int(cats.get("commitment")),
            extra={k: v for k, v in extra.items() if v},
        )

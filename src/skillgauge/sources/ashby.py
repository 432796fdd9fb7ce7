"""Ashby public job posting API: one request returns every listed job of a job board.

``GET https://api.ashbyhq.com/posting-api/job-board/{name}?includeCompensation=true`` needs no key and
has no paging: a snapshot board (``since`` cannot be sent; the pipeline filters on ``date_posted``).

Quirks of real responses: ``apiVersion`` may be missing (trimmed copies); ``isRemote`` and
``workplaceType`` may be null; ``address.postalAddress`` may be ``{}``; ``compensation`` is absent
without ``includeCompensation`` and has empty tiers when the company hides pay
(``shouldDisplayCompensationOnJobPostings: false``). Pay lives in
``compensation.compensationTiers[].components[]``: only ``compensationType == "Salary"`` components
count (equity and bonus are not salary), and the range spans every tier (Ramp posts one tier per
location: "SF/NY" and "Nationwide"). ``interval`` reads "1 YEAR", "1 HOUR", ...
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any, ClassVar
from urllib.parse import quote

from skillgauge.clean.salary import parse_salary_text
from skillgauge.exceptions import InputError
from skillgauge.models import MappedPosting, Salary
from skillgauge.sources.base import Fetcher, Page, SourceInfo
from skillgauge.sources.fields import (
    as_amount,
    as_date,
    as_text_or_int,
    decode_json,
    dicts,
    newest_date,
    object_list,
)

__all__ = ["AshbySource", "compensation_salary"]

API_ROOT = "https://api.ashbyhq.com/posting-api/job-board"
_BOARD_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
_REMOTE_RE = re.compile(r"\bremote\b", re.IGNORECASE)
_WORKPLACE = {"remote": True, "onsite": False, "on-site": False, "hybrid": False}
_JOB_URL_RE = re.compile(r"https?://jobs\.ashbyhq\.com/([^/?#]+)/")
_INTERVAL_RE = re.compile(r"^\s*1\s+(YEAR|MONTH|WEEK|DAY|HOUR)S?\s*$", re.IGNORECASE)


def _period(interval: Any) -> str | None:
    text = as_text_or_int(interval)
    m = _INTERVAL_RE.match(text) if text else None
    return m.group(1).lower() if m else None


def _board_from_url(url: Any) -> str | None:
    """``https://jobs.ashbyhq.com/ramp/<id>`` -> "ramp" (when no board was given, e.g. offline)."""
    m = _JOB_URL_RE.match(url) if isinstance(url, str) else None
    return m.group(1) if m else None


def compensation_salary(compensation: Any) -> Salary | None:
    """The salary of an Ashby ``compensation`` object, or ``None``.

    Salary components of every tier (falling back to ``summaryComponents``) give the range; only
    components in the first seen currency and interval are combined (mixing EUR with USD, or hourly
    with yearly, would make a meaningless range). Without components the scrapeable summary text
    ("$151K - $231K") is parsed conservatively.
    """
    if not isinstance(compensation, dict):
        return None
    summary = as_text_or_int(
        compensation.get("scrapeableCompensationSalarySummary")
    ) or as_text_or_int(compensation.get("compensationTierSummary"))
    components = [
        c for t in dicts(compensation.get("compensationTiers")) for c in dicts(t.get("components"))
    ]
    if not any(as_text_or_int(c.get("compensationType")) == "Salary" for c in components):
        components = dicts(compensation.get("summaryComponents"))
    salaries = [
        c
        for c in components
        if as_text_or_int(c.get("compensationType")) == "Salary"
        and (
            as_amount(c.get("minValue"), strings=False) is not None
            or as_amount(c.get("maxValue"), strings=False) is not None
        )
    ]
    if salaries:
        currency = as_text_or_int(salaries[0].get("currencyCode"))
        interval = as_text_or_int(salaries[0].get("interval"))
        same = [
            c
            for c in salaries
            if as_text_or_int(c.get("currencyCode")) == currency
            and as_text_or_int(c.get("interval")) == interval
        ]
        lows = [v for c in same if (v := as_amount(c.get("minValue"), strings=False)) is not None]
        highs = [v for c in same if (v := as_amount(c.get("maxValue"), strings=False)) is not None]
        lo, hi = min(lows, default=None), max(highs, default=None)
        if lo is not None and hi is not None and lo > hi:
            lo, hi = hi, lo
        return Salary(lo, hi, currency.upper() if currency else None, _period(interval), summary)
    return parse_salary_text(summary) if summary else None


class AshbySource:
    """A company's Ashby job board (``board`` = the name in jobs.ashbyhq.com/<name>)."""

    info: ClassVar[SourceInfo] = SourceInfo(
        name="ashby",
        title="Ashby public job posting API",
        kind="company-board",
        needs=("board names (the name in jobs.ashbyhq.com/<name>)",),
        terms=(
            "Public job posting API meant for companies' career pages and job aggregators; no key "
            "and no documented rate limit. Postings belong to the company: link to each jobUrl."
        ),
        docs="https://developers.ashbyhq.com/docs/public-job-posting-api",
        snapshot=True,
    )

    def fetch(
        self,
        fetcher: Fetcher,
        *,
        board: str | None = None,
        since: dt.date | None = None,
        cursor: str | None = None,
    ) -> Iterator[Page]:
        """One request for the whole board, compensation included; cursor = newest publishedAt."""
        if board is None or not _BOARD_RE.fullmatch(board.strip()):
            raise InputError(
                f"ashby needs a job board name (letters, digits, '.', '_' or '-'), got {board!r}: "
                "it is the name in jobs.ashbyhq.com/<name>"
            )
        name = board.strip()
        response = fetcher.get(
            f"{API_ROOT}/{quote(name, safe='')}",
            source=self.info.name,
            params={"includeCompensation": "true"},
        )
        newest = newest_date(self.records(response.body), "publishedAt", default=cursor)
        yield Page(url=response.url, body=response.body, board=name, cursor=newest)

    def records(self, body: bytes, *, board: str | None = None) -> list[dict[str, Any]]:
        """The ``jobs`` array (``apiVersion`` is not required)."""
        return object_list(decode_json(body, self.info.name), "jobs", self.info.name)

    def map(self, record: dict[str, Any], *, board: str | None = None) -> MappedPosting | str:
        """One job: ``descriptionHtml``, ``workplaceType``/``isRemote``, compensation tiers."""
        if not isinstance(record, dict):
            return "not a job object"
        title = as_text_or_int(record.get("title"))
        description = as_text_or_int(record.get("descriptionHtml")) or as_text_or_int(
            record.get("descriptionPlain")
        )
        if title is None and description is None:
            return "no title and no text"
        location = as_text_or_int(record.get("location"))
        workplace = as_text_or_int(record.get("workplaceType"))
        remote = _WORKPLACE.get(workplace.lower()) if workplace else None
        if remote is None and isinstance(record.get("isRemote"), bool):
            remote = record["isRemote"]
        if remote is None and location and _REMOTE_RE.search(location):
            remote = True
        address = record.get("address")
        postal = address.get("postalAddress") if isinstance(address, dict) else None
        country = as_text_or_int(postal.get("addressCountry")) if isinstance(postal, dict) else None
        secondary = [
            t
            for s in dicts(record.get("secondaryLocations"))
            if (t := as_text_or_int(s.get("location")))
        ]
        raw_date = record.get("publishedAt")
        compensation = record.get("compensation")
        extra: dict[str, Any] = {
            "department": as_text_or_int(record.get("department")),
            "team": as_text_or_int(record.get("team")),
            "workplace_type": workplace,
            "secondary_locations": secondary,
            "country": country,
            "compensation_summary": as_text_or_int(compensation.get("compensationTierSummary"))
            if isinstance(compensation, dict)
            else None,
            "is_listed": record.get("isListed") if record.get("isListed") is False else None,
            "apply_url": as_text_or_int(record.get("applyUrl")),
        }
        return MappedPosting(
            title=title,
            description=description,
            company=board.strip() if board else _board_from_url(record.get("jobUrl")),
            location=location,
            remote=remote,
            date_posted=as_date(raw_date),
            date_raw=raw_date if isinstance(raw_date, str) else None,
            salary=compensation_salary(compensation),
            url=as_text_or_int(record.get("jobUrl")),
            source_id=as_text_or_int(record.get("id")),
            employment_type=as_text_or_int(record.get("employmentType")),
            extra={k: v for k, v in extra.items() if v is not None and v != []},
        )

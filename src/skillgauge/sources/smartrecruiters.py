"""SmartRecruiters posting API: a company's public postings, listed in pages, described one by one.

``GET https://api.smartrecruiters.com/v1/companies/{company}/postings?offset=&limit=`` (limit <= 100)
lists postings in an envelope ``{offset, limit, totalFound, content[]}`` *without* their text; the
text is only in ``GET .../postings/{id}`` (``jobAd.sections.{companyDescription, jobDescription,
qualifications, additionalInformation}.text``, HTML). So :meth:`SmartRecruitersSource.fetch` pages
through the list until ``totalFound`` is reached (or a short/empty page) and yields one
:class:`Page` per *detail* response: a detail is a superset of the list item, and yielding only
details stores each posting once, with its text.

It needs no key. Every fetch reads the whole board (a snapshot: a posting missing next time has
closed), so ``since`` is not used to skip details; repeated detail requests are cheap through the
HTTP client's cache (conditional requests). A detail that fails with a terminal error (a posting
closed between the list and the detail answers 404) is skipped; several in a row abort the fetch.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from typing import Any, ClassVar
from urllib.parse import quote

from skillgauge.exceptions import InputError, TerminalSourceError
from skillgauge.models import MappedPosting
from skillgauge.sources.base import Fetcher, Page, SourceInfo
from skillgauge.sources.fields import as_date, as_dict, as_text_or_int, decode_json, dicts

__all__ = ["SmartRecruitersSource"]

API_ROOT = "https://api.smartrecruiters.com/v1/companies"
MAX_PAGES = 1000
MAX_DETAIL_FAILURES = 5  # consecutive terminal errors on details before the fetch gives up
_COMPANY_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
_SECTIONS = ("companyDescription", "jobDescription", "qualifications", "additionalInformation")


def _label(value: Any) -> str | None:
    """``{"id": "intern", "label": "Intern"}`` -> "Intern" (SmartRecruiters' coded values)."""
    obj = as_dict(value)
    return as_text_or_int(obj.get("label")) or as_text_or_int(obj.get("name"))


def _description(record: dict[str, Any]) -> str | None:
    """The ``jobAd`` sections in page order, each under its own title, as one HTML document."""
    sections = as_dict(as_dict(record.get("jobAd")).get("sections"))
    parts: list[str] = []
    for key in _SECTIONS:
        section = as_dict(sections.get(key))
        text = as_text_or_int(section.get("text"))
        if text is None:
            continue
        title = as_text_or_int(section.get("title"))
        if title:
            parts.append(f"<h3>{html.escape(title, quote=False)}</h3>")
        parts.append(text)
    return "\n".join(parts) or None


def _location(loc: dict[str, Any]) -> str | None:
    full = as_text_or_int(loc.get("fullLocation"))
    if full:
        return full
    parts = [t for k in ("city", "region", "country") if (t := as_text_or_int(loc.get(k)))]
    return ", ".join(parts) or None


class SmartRecruitersSource:
    """A company's SmartRecruiters postings (``board`` = the company identifier)."""

    info: ClassVar[SourceInfo] = SourceInfo(
        name="smartrecruiters",
        title="SmartRecruiters posting API",
        kind="company-board",
        needs=("board names (the company identifier in jobs.smartrecruiters.com/<company>)",),
        terms=(
            "Public Posting API for career sites; no key. SmartRecruiters documents no limit for "
            "it: page with limit<=100, keep requests polite (one per posting detail) and link to "
            "each postingUrl."
        ),
        docs="https://developers.smartrecruiters.com/docs/posting-api",
        snapshot=True,
    )

    def __init__(self, *, page_size: int | str = 100) -> None:
        try:
            size = int(page_size)
        except ValueError:
            size = 0
        if not 1 <= size <= 100:
            raise InputError(f"smartrecruiters: page_size must be 1..100, got {page_size!r}")
        self.page_size = size

    def fetch(
        self,
        fetcher: Fetcher,
        *,
        board: str | None = None,
        since: dt.date | None = None,
        cursor: str | None = None,
    ) -> Iterator[Page]:
        """List pages until ``totalFound``; one detail request and Page per posting listed."""
        if board is None or not _COMPANY_RE.fullmatch(board.strip()):
            raise InputError(
                f"smartrecruiters needs a company identifier (letters, digits, '.', '_' or '-'), "
                f"got {board!r}: it is the name in jobs.smartrecruiters.com/<company>"
            )
        company = board.strip()
        list_url = f"{API_ROOT}/{quote(company, safe='')}/postings"
        newest = cursor
        offset = 0
        seen: set[str] = set()
        failures = 0
        for _ in range(MAX_PAGES):
            params: dict[str, str | int] = {"offset": offset, "limit": self.page_size}
            listing = fetcher.get(list_url, source=self.info.name, params=params)
            envelope = decode_json(listing.body, self.info.name)
            content = as_dict(envelope).get("content")
            items = dicts(content)
            fresh = [i for i in items if (pid := as_text_or_int(i.get("id"))) and pid not in seen]
            for item in fresh:
                posting_id = str(as_text_or_int(item.get("id")))
                seen.add(posting_id)
                try:
                    detail = fetcher.get(
                        f"{list_url}/{quote(posting_id, safe='')}", source=self.info.name
                    )
                except TerminalSourceError:
                    failures += 1
                    if failures >= MAX_DETAIL_FAILURES:
                        raise
                    continue
                failures = 0
                day = as_date(item.get("releasedDate"))
                if day is not None and (newest is None or day.isoformat() > newest):
                    newest = day.isoformat()
                yield Page(url=detail.url, body=detail.body, board=company, cursor=newest)
            offset += len(items)
            total = as_dict(envelope).get("totalFound")
            done = isinstance(total, int) and not isinstance(total, bool) and offset >= total
            if done or len(items) < self.page_size or not fresh:
                return

    def records(self, body: bytes, *, board: str | None = None) -> list[dict[str, Any]]:
        """A detail response is one record; a list response gives its ``content[]`` (no text)."""
        data = decode_json(body, self.info.name)
        if isinstance(data, dict) and isinstance(data.get("content"), list):
            return dicts(data["content"])
        if isinstance(data, dict) and ("jobAd" in data or ("id" in data and "name" in data)):
            return [data]
        raise TerminalSourceError(
            self.info.name, "the response is neither a posting list nor a posting"
        )

    def map(self, record: dict[str, Any], *, board: str | None = None) -> MappedPosting | str:
        """One posting (detail or list item): title ``name``, ``location.remote``, jobAd text."""
        if not isinstance(record, dict):
            return "not a posting object"
        title = as_text_or_int(record.get("name"))
        description = _description(record)
        if title is None and description is None:
            return "no title and no text"
        loc = as_dict(record.get("location"))
        remote = loc.get("remote") if isinstance(loc.get("remote"), bool) else None
        if remote is None and loc.get("hybrid") is True:
            remote = False
        company = as_dict(record.get("company"))
        posting_id = as_text_or_int(record.get("id"))
        identifier = as_text_or_int(company.get("identifier")) or (board.strip() if board else None)
        url = as_text_or_int(record.get("postingUrl")) or (
            f"https://jobs.smartrecruiters.com/{identifier}/{posting_id}"
            if identifier and posting_id
            else None
        )
        raw_date = record.get("releasedDate")
        extra: dict[str, Any] = {
            "department": _label(record.get("department")),
            "function": _label(record.get("function")),
            "industry": _label(record.get("industry")),
            "language": as_text_or_int(as_dict(record.get("language")).get("code"))
            or as_text_or_int(record.get("language")),
            "ref_number": as_text_or_int(record.get("refNumber")),
            "uuid": as_text_or_int(record.get("uuid")),
            "hybrid": loc.get("hybrid") if isinstance(loc.get("hybrid"), bool) else None,
            "country": as_text_or_int(loc.get("country")),
            "apply_url": as_text_or_int(record.get("applyUrl")),
        }
        return MappedPosting(
            title=title,
            description=description,
            company=as_text_or_int(company.get("name")) or identifier,
            location=_location(loc),
            remote=remote,
            date_posted=as_date(raw_date),
            date_raw=raw_date if isinstance(raw_date, str) else None,
            url=url,
            source_id=posting_id,
            employment_type=_label(record.get("typeOfEmployment")),
            seniority_hint=_label(record.get("experienceLevel")),
            extra={k: v for k, v in extra.items() if v is not None},
        )

"""Recruitee careers site API: one request returns every published offer of a company.

``GET https://{company}.recruitee.com/api/offers/`` needs no key and has no paging: a snapshot board
(``since`` cannot be sent; the pipeline filters on ``date_posted``). The company is a *subdomain*, so
it is checked to be a DNS label before it is put in a host name.

Quirks (documented shape; no genuine response was available): dates read ``"2024-03-01 09:15:00
UTC"`` (not ISO; :func:`~skillgauge.sources.mapping.parse_date` reads them); the text is split into
``description`` and ``requirements`` (both HTML, joined here); ``remote``/``hybrid``/``on_site`` are
separate booleans; ``salary`` ``{min, max, currency, period}`` exists on newer accounts and its
amounts may be strings; an offer whose ``status`` is not "published" is rejected.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any, ClassVar

from skillgauge.exceptions import InputError, TerminalSourceError
from skillgauge.models import MappedPosting, Salary
from skillgauge.sources.base import Fetcher, Page, SourceInfo
from skillgauge.sources.fields import (
    as_amount,
    as_date,
    as_text_or_int,
    decode_json,
    dicts,
    newest_date,
)

__all__ = ["RecruiteeSource"]

_SUBDOMAIN_RE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_PERIODS = {
    "year": "year",
    "yearly": "year",
    "annual": "year",
    "month": "month",
    "monthly": "month",
    "week": "week",
    "weekly": "week",
    "day": "day",
    "daily": "day",
    "hour": "hour",
    "hourly": "hour",
}


def _salary(value: Any) -> Salary | None:
    if not isinstance(value, dict):
        return None
    lo, hi = as_amount(value.get("min"), ignore=","), as_amount(value.get("max"), ignore=",")
    if lo is None and hi is None:
        return None
    if lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
    currency = as_text_or_int(value.get("currency"))
    period = as_text_or_int(value.get("period"))
    return Salary(
        lo,
        hi,
        currency.upper() if currency else None,
        _PERIODS.get(period.lower()) if period else None,
    )


def _remote(record: dict[str, Any]) -> bool | None:
    if record.get("remote") is True:
        return True
    if record.get("hybrid") is True or record.get("on_site") is True:
        return False
    return False if record.get("remote") is False else None


def check_company(board: str | None) -> str:
    """The company subdomain, or :class:`InputError` (it becomes part of a host name)."""
    if board is None or not _SUBDOMAIN_RE.fullmatch(board.strip()):
        raise InputError(
            f"recruitee needs a company subdomain (letters, digits and '-'), got {board!r}: "
            "it is the name in <company>.recruitee.com"
        )
    return board.strip().lower()


class RecruiteeSource:
    """A company's Recruitee offers (``board`` = the subdomain in <company>.recruitee.com)."""

    info: ClassVar[SourceInfo] = SourceInfo(
        name="recruitee",
        title="Recruitee careers site API",
        kind="company-board",
        needs=("board names (the subdomain in <company>.recruitee.com)",),
        terms=(
            "Public careers-site endpoint; no key and no documented rate limit: fetch each company "
            "rarely and link to each offer's careers_url. The authenticated ATS API is not used."
        ),
        docs="https://docs.recruitee.com/reference/offers",
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
        """One request; the cursor is the newest ``published_at``."""
        company = check_company(board)
        response = fetcher.get(
            f"https://{company}.recruitee.com/api/offers/", source=self.info.name
        )
        newest = newest_date(
            self.records(response.body), "published_at", "created_at", default=cursor
        )
        yield Page(url=response.url, body=response.body, board=company, cursor=newest)

    def records(self, body: bytes, *, board: str | None = None) -> list[dict[str, Any]]:
        """The ``offers`` array (a single-offer response ``{"offer": {...}}`` is one record)."""
        data = decode_json(body, self.info.name)
        if isinstance(data, dict) and isinstance(data.get("offers"), list):
            return dicts(data["offers"])
        if isinstance(data, dict) and isinstance(data.get("offer"), dict):
            return [data["offer"]]
        raise TerminalSourceError(self.info.name, "the response has no 'offers' array")

    def map(self, record: dict[str, Any], *, board: str | None = None) -> MappedPosting | str:
        """One offer: description + requirements HTML, remote booleans, optional salary."""
        if not isinstance(record, dict):
            return "not an offer object"
        status = as_text_or_int(record.get("status"))
        if status is not None and status.lower() != "published":
            return f"offer status is '{status}', not published"
        title = as_text_or_int(record.get("title"))
        parts = [t for k in ("description", "requirements") if (t := as_text_or_int(record.get(k)))]
        description = "\n".join(parts) or None
        if title is None and description is None:
            return "no title and no text"
        location = as_text_or_int(record.get("location")) or ", ".join(
            t for k in ("city", "country") if (t := as_text_or_int(record.get(k)))
        )
        raw_date = record.get("published_at") or record.get("created_at")
        tags = record.get("tags")
        extra: dict[str, Any] = {
            "department": as_text_or_int(record.get("department")),
            "tags": [t for x in tags if (t := as_text_or_int(x))]
            if isinstance(tags, list)
            else None,
            "slug": as_text_or_int(record.get("slug")),
            "country_code": as_text_or_int(record.get("country_code")),
            "hybrid": True if record.get("hybrid") is True else None,
            "category": as_text_or_int(record.get("category_code")),
            "education": as_text_or_int(record.get("education_code")),
            "min_hours": as_amount(record.get("min_hours"), ignore=","),
            "max_hours": as_amount(record.get("max_hours"), ignore=","),
            "apply_url": as_text_or_int(record.get("careers_apply_url")),
        }
        return MappedPosting(
            title=title,
            description=description,
            company=as_text_or_int(record.get("company_name"))
            or (board.strip() if board else None),
            location=location or None,
            remote=_remote(record),
            date_posted=as_date(raw_date),
            date_raw=raw_date if isinstance(raw_date, str) else None,
            salary=_salary(record.get("salary")),
            url=as_text_or_int(record.get("careers_url")),
            source_id=as_text_or_int(record.get("id")),
            employment_type=as_text_or_int(record.get("employment_type_code")),
            seniority_hint=as_text_or_int(record.get("experience_code")),
            extra={k: v for k, v in extra.items() if v is not None and v != []},
        )

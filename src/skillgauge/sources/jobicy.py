"""Jobicy's remote-jobs API (v2): one request, newest first, with structured salaries.

The envelope carries ``apiVersion``, ``documentationUrl``, ``friendlyNotice`` (the conditions of use),
``jobCount``, ``lastUpdate`` and sometimes more (``xRayHash``, ``clientKey``, ``appliedFilters``);
only ``jobs`` is read. Filters go in the query (``count``, ``geo``, ``industry``, ``tag``); there is
no date filter and no paging, so ``since`` is left to the pipeline. Some strings arrive
HTML-escaped (``"Project &amp; Program Management"``): short fields are unescaped here, the HTML
description is kept as sent for the cleaner. ``salaryPeriod`` is a word ("yearly", "hourly", ...).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterator
from typing import Any, ClassVar

from skillgauge.models import MappedPosting, Salary
from skillgauge.sources.base import Fetcher, Page, SourceInfo
from skillgauge.sources.fields import as_amount, as_date, decode_json, int_option, object_list

__all__ = ["JobicySource", "normalise_period"]

API_URL = "https://jobicy.com/api/v2/remote-jobs"

_PERIODS = {
    "year": "year",
    "yearly": "year",
    "annual": "year",
    "annually": "year",
    "per year": "year",
    "month": "month",
    "monthly": "month",
    "week": "week",
    "weekly": "week",
    "day": "day",
    "daily": "day",
    "hour": "hour",
    "hourly": "hour",
    "per hour": "hour",
}


def normalise_period(value: Any) -> str | None:
    """A pay period word ("yearly", "Per Hour", "PA") as year/month/week/day/hour, else ``None``."""
    if not isinstance(value, str):
        return None
    word = value.strip().lower()
    return _PERIODS.get(word) or {"pa": "year", "ph": "hour", "pm": "month", "pd": "day"}.get(word)


def _text(value: Any) -> str | None:
    return html.unescape(value).strip() or None if isinstance(value, str) else None


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return []
    return [t for v in value if (t := _text(v))]


class JobicySource:
    """Jobicy (``jobicy.com/api/v2/remote-jobs``); every job is remote."""

    info: ClassVar[SourceInfo] = SourceInfo(
        name="jobicy",
        title="Jobicy remote jobs API",
        kind="public-api",
        needs=(),
        terms=(
            "Credit Jobicy as the source and link every job to its Jobicy page (the url field); "
            "the conditions are restated in each response's 'friendlyNotice'. No key; the feed "
            "changes a few times a day, so poll at most hourly."
        ),
        docs="https://jobicy.com/jobs-rss-feed",
    )

    def __init__(
        self,
        *,
        count: int | str = 50,
        geo: str | None = None,
        industry: str | None = None,
        tag: str | None = None,
    ) -> None:
        self.params: dict[str, str | int] = {"count": int_option(count, "count", "jobicy")}
        self.params.update(
            {k: v for k, v in (("geo", geo), ("industry", industry), ("tag", tag)) if v}
        )

    def fetch(
        self,
        fetcher: Fetcher,
        *,
        board: str | None = None,
        since: dt.date | None = None,
        cursor: str | None = None,
    ) -> Iterator[Page]:
        """One request; the cursor is the newest ``pubDate`` seen."""
        response = fetcher.get(API_URL, source=self.info.name, params=self.params)
        dates = [d for job in self.records(response.body) if (d := _text(job.get("pubDate")))]
        yield Page(
            url=response.url, body=response.body, board=board, cursor=max(dates, default=cursor)
        )

    def records(self, body: bytes, *, board: str | None = None) -> list[dict[str, Any]]:
        """The ``jobs`` array."""
        return object_list(decode_json(body, self.info.name), "jobs", self.info.name)

    def map(self, record: dict[str, Any], *, board: str | None = None) -> MappedPosting | str:
        """One job: salary from ``salaryMin``/``salaryMax``/``salaryCurrency``/``salaryPeriod``."""
        title = _text(record.get("jobTitle"))
        description = record.get("jobDescription")
        if not isinstance(description, str) or not description.strip():
            description = record.get("jobExcerpt")
        description = description.strip() or None if isinstance(description, str) else None
        if title is None and description is None:
            return "no title and no description"
        lo, hi = (
            as_amount(record.get("salaryMin"), ignore=",", finite=False),
            as_amount(record.get("salaryMax"), ignore=",", finite=False),
        )
        salary = (
            Salary(
                min=lo,
                max=hi,
                currency=_text(record.get("salaryCurrency")),
                period=normalise_period(record.get("salaryPeriod")),
            )
            if lo or hi
            else None
        )
        raw_id = record.get("id")
        extra = {
            "industry": _names(record.get("jobIndustry")),
            "level": _text(record.get("jobLevel")),
            "slug": _text(record.get("jobSlug")),
        }
        return MappedPosting(
            title=title,
            description=description,
            company=_text(record.get("companyName")),
            location=_text(record.get("jobGeo")),
            remote=True,
            date_posted=as_date(record.get("pubDate")),
            salary=salary,
            url=_text(record.get("url")),
            source_id=str(raw_id) if isinstance(raw_id, int | str) and raw_id != "" else None,
            employment_type=", ".join(_names(record.get("jobType"))) or None,
            seniority_hint=_text(record.get("jobLevel")),
            extra={k: v for k, v in extra.items() if v},
        )

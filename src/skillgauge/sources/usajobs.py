"""USAJOBS Search API: US federal jobs; needs a free key and the e-mail it was registered with.

Every request sends ``Host: data.usajobs.gov``, ``User-Agent: <registered e-mail>`` and
``Authorization-Key: <key>`` (SKILLGAUGE_USAJOBS_KEY and SKILLGAUGE_USAJOBS_EMAIL); the key is a
header, so it never appears in a URL. Results sit at ``SearchResult.SearchResultItems[]
.MatchedObjectDescriptor``; paging is ``Page``/``ResultsPerPage`` (at most 500) until
``SearchResult.SearchResultCountAll`` is reached. ``since`` is sent as ``DatePosted`` (days back,
the API accepts 0-60). Salary is ``PositionRemuneration[]`` with amounts as *strings* and a
``RateIntervalCode`` such as "Per Year" or "PA". The text is spread over ``UserArea.Details``
(``JobSummary``, ``MajorDuties[]``, ``Requirements``, ``Education``) and ``QualificationSummary``:
they are joined, in that order, as the description.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any, ClassVar
from urllib.parse import urlencode

from skillgauge.exceptions import TerminalSourceError
from skillgauge.models import MappedPosting, Salary
from skillgauge.sources.base import Fetcher, Page, SourceInfo
from skillgauge.sources.fields import (
    as_amount,
    as_date,
    as_dict,
    as_int,
    as_list,
    as_text,
    decode_json,
    dicts,
    final_page,
    floor_date,
    int_option,
    newer,
)

__all__ = ["USAJobsSource"]

API_URL = "https://data.usajobs.gov/api/search"
HOST = "data.usajobs.gov"
MAX_PER_PAGE = 500
MAX_DAYS = 60  # DatePosted accepts 0-60

_INTERVALS = {
    "per year": "year",
    "pa": "year",
    "per hour": "hour",
    "ph": "hour",
    "per month": "month",
    "pm": "month",
    "per week": "week",
    "pw": "week",
    "per day": "day",
    "pd": "day",
}


class USAJobsSource:
    """USAJOBS (``data.usajobs.gov/api/search``)."""

    info: ClassVar[SourceInfo] = SourceInfo(
        name="usajobs",
        title="USAJOBS Search API",
        kind="public-api",
        needs=("SKILLGAUGE_USAJOBS_KEY", "SKILLGAUGE_USAJOBS_EMAIL (the key's registered e-mail)"),
        terms=(
            "Free API key from developer.usajobs.gov, sent with the registered e-mail as "
            "User-Agent; use under the USAJOBS API terms of service and link to the job on "
            "USAJOBS (PositionURI). Federal job data is public domain."
        ),
        docs="https://developer.usajobs.gov/api-reference/get-api-search",
    )

    def __init__(
        self,
        *,
        key: str | None = None,
        email: str | None = None,
        keyword: str | None = None,
        location: str | None = None,
        results_per_page: int | str = MAX_PER_PAGE,
        max_pages: int | str = 20,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self._key = key
        self._email = email
        self.filters = {k: v for k, v in (("Keyword", keyword), ("LocationName", location)) if v}
        per_page = int_option(results_per_page, "results_per_page", "usajobs")
        self.results_per_page = max(1, min(per_page, MAX_PER_PAGE))
        self.max_pages = int_option(max_pages, "max_pages", "usajobs")
        self._today = today

    def fetch(
        self,
        fetcher: Fetcher,
        *,
        board: str | None = None,
        since: dt.date | None = None,
        cursor: str | None = None,
    ) -> Iterator[Page]:
        """Pages 1.. until ``SearchResultCountAll`` is covered, a page is empty or max_pages."""
        if not self._key or not self._email:
            raise TerminalSourceError(
                self.info.name,
                "needs an API key and its registered e-mail: set SKILLGAUGE_USAJOBS_KEY and "
                "SKILLGAUGE_USAJOBS_EMAIL (free at developer.usajobs.gov)",
            )
        headers = {"Host": HOST, "User-Agent": self._email, "Authorization-Key": self._key}
        public: dict[str, str | int] = {**self.filters, "ResultsPerPage": self.results_per_page}
        floor = floor_date(since, cursor, text_only=True)
        if floor is not None:
            days = (self._today() - floor).days
            if days < MAX_DAYS:
                public["DatePosted"] = max(days, 0)
        newest = cursor
        pending: Page | None = None
        for page in range(1, self.max_pages + 1):
            params = {**public, "Page": page}
            response = fetcher.get(API_URL, source=self.info.name, params=params, headers=headers)
            result = self._result(response.body)
            items = self._items(result)
            dates = [
                d for item in items if (d := as_text(_descriptor(item).get("PublicationStartDate")))
            ]
            newest = newer(newest, dates)
            if pending is not None:
                yield pending
            pending = Page(url=f"{API_URL}?{urlencode(params)}", body=response.body, board=board)
            total = as_int(result.get("SearchResultCountAll"))
            if not items or total is None or page * self.results_per_page >= total:
                break
        yield from final_page(pending, newest)

    def _result(self, body: bytes) -> dict[str, Any]:
        data = decode_json(body, self.info.name)
        result = data.get("SearchResult") if isinstance(data, dict) else None
        if not isinstance(result, dict):
            raise TerminalSourceError(self.info.name, "the response has no 'SearchResult' object")
        return result

    @staticmethod
    def _items(result: dict[str, Any]) -> list[dict[str, Any]]:
        return dicts(result.get("SearchResultItems"))

    def records(self, body: bytes, *, board: str | None = None) -> list[dict[str, Any]]:
        """``SearchResult.SearchResultItems[]`` (each holds a ``MatchedObjectDescriptor``)."""
        return self._items(self._result(body))

    def map(self, record: dict[str, Any], *, board: str | None = None) -> MappedPosting | str:
        """One announcement from its ``MatchedObjectDescriptor``."""
        job = _descriptor(record)
        details = as_dict(as_dict(job.get("UserArea")).get("Details"))
        title = as_text(job.get("PositionTitle"))
        parts = [
            as_text(details.get("JobSummary")),
            *(as_text(d) for d in as_list(details.get("MajorDuties"))),
            as_text(details.get("Requirements")),
            as_text(details.get("Education")),
            as_text(job.get("QualificationSummary")),
        ]
        description = "\n\n".join(p for p in parts if p) or None
        if title is None and description is None:
            return "no title and no description"
        locations = [
            name
            for loc in as_list(job.get("PositionLocation"))
            if (name := as_text(as_dict(loc).get("LocationName")))
        ]
        remote_flag = details.get("RemoteIndicator")
        raw_id = record.get("MatchedObjectId") or job.get("PositionID")
        extra = {
            "department": as_text(job.get("DepartmentName")),
            "position_id": as_text(job.get("PositionID")),
            "categories": [
                n for c in as_list(job.get("JobCategory")) if (n := as_text(as_dict(c).get("Name")))
            ],
            "telework_eligible": details.get("TeleworkEligible")
            if isinstance(details.get("TeleworkEligible"), bool)
            else None,
            "close_date": as_text(job.get("ApplicationCloseDate")),
            "low_grade": as_text(details.get("LowGrade")),
            "high_grade": as_text(details.get("HighGrade")),
        }
        return MappedPosting(
            title=title,
            description=description,
            company=as_text(job.get("OrganizationName")),
            location=as_text(job.get("PositionLocationDisplay")) or "; ".join(locations) or None,
            remote=remote_flag if isinstance(remote_flag, bool) else None,
            date_posted=as_date(job.get("PublicationStartDate"), text_only=True),
            salary=_salary(job.get("PositionRemuneration")),
            url=as_text(job.get("PositionURI")),
            source_id=str(raw_id) if isinstance(raw_id, int | str) and raw_id != "" else None,
            employment_type=", ".join(
                n
                for s in as_list(job.get("PositionSchedule"))
                if (n := as_text(as_dict(s).get("Name")))
            )
            or None,
            extra={k: v for k, v in extra.items() if v is not None and v != []},
        )


def _descriptor(item: dict[str, Any]) -> dict[str, Any]:
    return as_dict(item.get("MatchedObjectDescriptor"))


def _salary(value: Any) -> Salary | None:
    """The first ``PositionRemuneration`` entry; "Without Compensation" and zeros are no salary."""
    for entry in as_list(value):
        entry = as_dict(entry)
        lo, hi = (
            as_amount(entry.get("MinimumRange"), ignore=",$", finite=False),
            as_amount(entry.get("MaximumRange"), ignore=",$", finite=False),
        )
        if lo or hi:
            code = as_text(entry.get("RateIntervalCode"))
            return Salary(
                min=lo,
                max=hi,
                currency="USD",
                period=_INTERVALS.get(code.lower()) if code else None,
                text=code,
            )
    return None

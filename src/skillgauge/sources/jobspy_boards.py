"""LinkedIn, Indeed, Glassdoor, ZipRecruiter and Google Jobs through the ``python-jobspy`` library.

The big boards have no public API; JobSpy scrapes them and returns a pandas DataFrame whose columns
are its ``desired_order`` (``id, site, job_url, job_url_direct, title, company, location,
date_posted, job_type, salary_source, interval, min_amount, max_amount, currency, is_remote,
job_level, job_function, listing_type, emails, description, company_industry, ...``). It is an
*optional* extra (``pip install 'skillgauge[boards]'``), imported only when :meth:`fetch` runs, so
the rest of skillgauge never needs it; without it :class:`MissingDependency` names the pip line.

JobSpy makes its own HTTP requests, so the shared ``fetcher`` (rate limits, cache, robots.txt) is
*not* used: the boards' terms forbid scraping, and running this is the user's decision (see
``info.terms``). One fetch is one ``scrape_jobs`` call; its rows become one page, a JSON array of
records with JSON-ready values (dates as ISO text, NaN as null). ``since`` becomes ``hours_old``.
Tests inject a fake ``scrape_jobs`` through the constructor.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable, Iterator, Sequence
from typing import Any, ClassVar
from urllib.parse import urlencode

from skillgauge.exceptions import InputError, MissingDependency, TerminalSourceError
from skillgauge.models import MappedPosting, Salary
from skillgauge.sources.base import Fetcher, Page, SourceInfo
from skillgauge.sources.fields import (
    as_amount,
    as_date,
    as_text,
    decode_json,
    dicts,
    floor_date,
    int_option,
)
from skillgauge.sources.files import to_jsonable

__all__ = ["SITES", "JobSpySource", "dataframe_records", "load_scrape_jobs"]

#: JobSpy's site names (``Site`` enum values) for the boards offered here.
SITES: tuple[str, ...] = ("linkedin", "indeed", "glassdoor", "zip_recruiter", "google")

_INTERVALS = {
    "yearly": "year",
    "monthly": "month",
    "weekly": "week",
    "daily": "day",
    "hourly": "hour",
}
_EXTRA = (
    "site",
    "job_url_direct",
    "salary_source",
    "job_function",
    "listing_type",
    "emails",
    "company_industry",
    "company_url",
    "company_num_employees",
    "skills",
    "experience_range",
    "work_from_home_type",
)

ScrapeJobs = Callable[..., Any]


def load_scrape_jobs() -> ScrapeJobs:
    """``jobspy.scrape_jobs``, or :class:`MissingDependency` when the ``boards`` extra is absent."""
    try:
        from jobspy import scrape_jobs  # type: ignore[import-not-found,unused-ignore]
    except ImportError as exc:
        raise MissingDependency("boards", "the big boards (LinkedIn, Indeed, ...)") from exc
    return scrape_jobs  # type: ignore[no-any-return,unused-ignore]


def _plain(value: Any) -> Any:
    """A DataFrame cell as a JSON-ready value: numpy scalars unwrapped, NaN/NaT/None as None."""
    item = getattr(value, "item", None)
    if callable(item) and type(value).__module__ == "numpy":
        value = item()
    try:
        if value is not None and not isinstance(value, list | dict | tuple) and value != value:
            return None  # NaN, NaT, pd.NA-like values are not equal to themselves
    except (TypeError, ValueError):
        pass
    if type(value).__name__ in {"NAType", "NaTType"}:
        return None
    return to_jsonable(value)


def dataframe_records(frame: Any) -> list[dict[str, Any]]:
    """The rows of JobSpy's DataFrame (anything with ``to_dict(orient="records")``) as JSON dicts."""
    to_dict = getattr(frame, "to_dict", None)
    if not callable(to_dict):
        raise TerminalSourceError("boards", "scrape_jobs did not return a DataFrame")
    rows = to_dict(orient="records")
    return [{str(k): _plain(v) for k, v in row.items()} for row in rows if isinstance(row, dict)]


class JobSpySource:
    """The big boards through ``python-jobspy`` (the ``boards`` extra)."""

    info: ClassVar[SourceInfo] = SourceInfo(
        name="boards",
        title="LinkedIn, Indeed, Glassdoor, ZipRecruiter, Google (python-jobspy)",
        kind="scraper",
        needs=("pip install 'skillgauge[boards]'", "a search term"),
        terms=(
            "These boards offer no public API and their terms of use forbid automated scraping; "
            "JobSpy scrapes them anyway. Use only where you may, keep volumes small (LinkedIn "
            "rate-limits after about 10 pages from one IP), and do not republish the postings."
        ),
        docs="https://github.com/speedyapply/JobSpy",
        extra="boards",
    )

    def __init__(
        self,
        *,
        search_term: str | None = None,
        location: str | None = None,
        sites: Sequence[str] | str = SITES,
        results_wanted: int | str = 50,
        hours_old: int | str | None = None,
        country_indeed: str = "usa",
        scrape_jobs: ScrapeJobs | None = None,
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        if isinstance(sites, str):  # from --opt or the environment: "linkedin,indeed"
            sites = [s.strip() for s in sites.split(",") if s.strip()]
        unknown = [s for s in sites if s not in SITES]
        if unknown:
            raise InputError(f"boards: unknown site(s) {unknown}; choose from {', '.join(SITES)}")
        self.search_term = search_term
        self.location = location
        self.sites = tuple(sites)
        self.results_wanted = int_option(results_wanted, "results_wanted", "boards")
        self.hours_old = (
            int_option(hours_old, "hours_old", "boards") if hours_old is not None else None
        )
        self.country_indeed = country_indeed
        self._scrape_jobs = scrape_jobs
        self._now = now

    def fetch(
        self,
        fetcher: Fetcher,
        *,
        board: str | None = None,
        since: dt.date | None = None,
        cursor: str | None = None,
    ) -> Iterator[Page]:
        """One ``scrape_jobs`` call (``board`` picks one site); ``fetcher`` is not used."""
        scrape = self._scrape_jobs or load_scrape_jobs()
        if board is not None and board not in SITES:
            raise InputError(f"boards: unknown site {board!r}; choose from {', '.join(SITES)}")
        sites = [board] if board else list(self.sites)
        floor = floor_date(since, cursor, text_only=True)
        hours = self.hours_old
        if floor is not None:
            start = dt.datetime(floor.year, floor.month, floor.day, tzinfo=dt.UTC)
            span = max(1, math.ceil((self._now() - start).total_seconds() / 3600))
            hours = span if hours is None else min(hours, span)
        query: dict[str, Any] = {
            "site_name": sites,
            "search_term": self.search_term,
            "location": self.location,
            "results_wanted": self.results_wanted,
            "hours_old": hours,
            "country_indeed": self.country_indeed,
        }
        rows = dataframe_records(scrape(**query))
        dates = [d for row in rows if (d := as_text(row.get("date_posted")))]
        shown = {k: ",".join(v) if isinstance(v, list) else v for k, v in query.items() if v}
        yield Page(
            url=f"jobspy:scrape_jobs?{urlencode(shown)}",
            body=json.dumps(rows, ensure_ascii=False).encode(),
            board=board,
            cursor=max(dates, default=cursor),
        )

    def records(self, body: bytes, *, board: str | None = None) -> list[dict[str, Any]]:
        """The JSON array of rows a fetch stored."""
        data = decode_json(body, self.info.name, what="page")
        if not isinstance(data, list):
            raise TerminalSourceError(self.info.name, "the page is not a JSON array of rows")
        return dicts(data)

    def map(self, record: dict[str, Any], *, board: str | None = None) -> MappedPosting | str:
        """One row of JobSpy's columns."""
        title = as_text(record.get("title"))
        description = as_text(record.get("description"))
        if title is None and description is None:
            return "no title and no description"
        lo, hi = (
            as_amount(record.get("min_amount"), strings=False),
            as_amount(record.get("max_amount"), strings=False),
        )
        interval = as_text(record.get("interval"))
        salary = (
            Salary(
                min=lo,
                max=hi,
                currency=as_text(record.get("currency")),
                period=_INTERVALS.get(interval.lower()) if interval else None,
            )
            if lo or hi
            else None
        )
        remote = record.get("is_remote")
        raw_id = record.get("id")
        extra = {k: record.get(k) for k in _EXTRA}
        return MappedPosting(
            title=title,
            description=description,
            company=as_text(record.get("company")),
            location=as_text(record.get("location")),
            remote=remote if isinstance(remote, bool) else None,
            date_posted=as_date(record.get("date_posted"), text_only=True),
            salary=salary,
            url=as_text(record.get("job_url")),
            source_id=str(raw_id) if isinstance(raw_id, int | str) and raw_id != "" else None,
            employment_type=as_text(record.get("job_type")),
            seniority_hint=as_text(record.get("job_level")),
            extra={k: v for k, v in extra.items() if v not in (None, "", [])},
        )

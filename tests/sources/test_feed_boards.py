"""The big boards through python-jobspy: rows -> records -> postings, the injected scraper, the extra."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from skillgauge.exceptions import InputError, MissingDependency
from skillgauge.models import MappedPosting
from skillgauge.sources.jobspy_boards import SITES, JobSpySource, dataframe_records

ROWS = Path(__file__).resolve().parents[1] / "data" / "jobspy" / "rows.csv"


def frame() -> pd.DataFrame:
    """The recorded rows typed as JobSpy's DataFrame is: dates, floats with NaN, bools."""
    df = pd.read_csv(ROWS, dtype=str, keep_default_na=False)
    df["date_posted"] = [dt.date.fromisoformat(v) if v else None for v in df["date_posted"]]
    for col in ("min_amount", "max_amount", "company_rating"):
        df[col] = pd.to_numeric(df[col].replace("", None))
    df["is_remote"] = [{"True": True, "False": False}.get(v) for v in df["is_remote"]]
    return df.replace({"": None})


class FakeScraper:
    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def __call__(self, **kwargs: Any) -> pd.DataFrame:
        self.calls.append(kwargs)
        return frame()


def test_fetch_calls_scrape_jobs_and_stores_json_rows() -> None:
    scraper = FakeScraper()
    now = dt.datetime(2026, 8, 4, 12, 0, tzinfo=dt.UTC)
    source = JobSpySource(
        search_term="data engineer", location="USA", scrape_jobs=scraper, now=lambda: now
    )
    pages = list(source.fetch(None, since=dt.date(2026, 8, 1)))  # type: ignore[arg-type]
    (call,) = scraper.calls
    assert call["site_name"] == list(SITES)
    assert call["search_term"] == "data engineer" and call["location"] == "USA"
    assert call["results_wanted"] == 50 and call["hours_old"] == 84  # 3.5 days since 1 August
    (page,) = pages
    assert page.url.startswith("jobspy:scrape_jobs?site_name=linkedin%2Cindeed")
    assert page.cursor == "2026-08-01"
    rows = json.loads(page.body)
    assert len(rows) == 3 and rows[2]["min_amount"] == 40.0 and rows[0]["min_amount"] is None
    assert rows[0]["date_posted"] == "2026-08-01" and rows[2]["date_posted"] is None


def test_board_picks_one_site() -> None:
    scraper = FakeScraper()
    list(JobSpySource(scrape_jobs=scraper, sites="linkedin,indeed").fetch(None, board="indeed"))  # type: ignore[arg-type]
    assert scraper.calls[0]["site_name"] == ["indeed"] and scraper.calls[0]["hours_old"] is None
    with pytest.raises(InputError):
        list(JobSpySource(scrape_jobs=scraper).fetch(None, board="monster"))  # type: ignore[arg-type]
    with pytest.raises(InputError):
        JobSpySource(sites=["linkedin", "monster"])


def test_records_and_map_columns() -> None:
    source = JobSpySource()
    body = json.dumps(dataframe_records(frame())).encode()
    out = [source.map(r) for r in source.records(body)]
    assert all(isinstance(m, MappedPosting) for m in out)
    li, indeed, gd = (m for m in out if isinstance(m, MappedPosting))
    assert li.source_id == "li-4012345678" and li.remote is False and li.salary is None
    assert li.seniority_hint == "mid-senior level" and li.date_posted == dt.date(2026, 8, 1)
    assert li.extra["site"] == "linkedin" and li.extra["company_industry"] == "Software Development"
    assert indeed.salary is not None
    assert (indeed.salary.min, indeed.salary.max, indeed.salary.currency, indeed.salary.period) == (
        120_000,
        150_000,
        "USD",
        "year",
    )
    assert indeed.remote is True and indeed.employment_type == "fulltime"
    assert indeed.extra["job_url_direct"] == "https://careers.contoso.example/jobs/123"
    assert gd.salary is not None and gd.salary.period == "hour"
    assert gd.extra["salary_source"] == "description" and gd.remote is None
    assert gd.employment_type == "fulltime, contract" and gd.date_posted is None
    assert source.map({"site": "indeed"}) == "no title and no description"


def test_missing_extra_names_the_pip_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "jobspy", None)  # import jobspy -> ImportError
    with pytest.raises(MissingDependency) as err:
        list(JobSpySource(search_term="x").fetch(None))  # type: ignore[arg-type]
    assert str(err.value) == (
        "the big boards (LinkedIn, Indeed, ...) needs the optional extra 'boards': "
        "pip install 'skillgauge[boards]'"
    )
    assert JobSpySource.info.extra == "boards"

"""Every job-postings file of the real data (README sections 6-9, plus the JSON-LD page) maps as is."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from skillgauge.models import MappedPosting
from skillgauge.sources.files import detect_format, open_reader
from skillgauge.sources.mapping import FieldMapper, detect_profile

pytestmark = pytest.mark.shared

FILES = [
    "linkedin_indeed_ca_2018/linkedin_data_scientist.csv.gz",
    "linkedin_indeed_ca_2018/linkedin_data_analyst.csv.gz",
    "linkedin_indeed_ca_2018/indeed_cal_ds_500.csv.gz",
    "linkedin_indeed_ca_2018/indeed_cal_da_500.csv.gz",
    "hn_whoishiring_2026/hn_jobs_2026.jsonl.gz",
    "hn_whoishiring_2013_2018/hn_hiring_mapped_2013_2018.jsonl.gz",
    "tech_postings_small/dice_us_sample_658.csv.gz",
    "tech_postings_small/linkedin_ai_ml_jobs_us.csv.gz",
    "tech_postings_small/linkedin_israel_swe_2024.csv.gz",
    "tech_postings_small/glassdoor_ds_kenjee_2020.csv.gz",
    "tech_postings_small/glassdoor_ds_uncleaned.csv.gz",
    "api_responses/jsonld/findmejobs-direct_job_jsonld.html",
]


def _expected_records(path: Path) -> int:
    if path.name.endswith(".jsonl.gz"):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            return sum(1 for line in fh if line.strip())
    if path.name.endswith(".csv.gz"):
        return len(pd.read_csv(path, dtype=str, keep_default_na=False))
    return 1


def _map_file(path: Path) -> tuple[int, list[MappedPosting], list[str], FieldMapper]:
    with open_reader(path, detect_format(path)) as reader:
        rows = [r for batch in reader.iter_batches() for r in batch]
    columns = list(dict.fromkeys(k for r in rows[:100] if r.payload for k in r.payload))
    first = next(r.payload for r in rows if r.payload is not None)
    mapper = FieldMapper.for_columns(columns, profile=detect_profile(columns, first))
    good: list[MappedPosting] = []
    reasons: list[str] = []
    for row in rows:
        result = mapper.map(row.payload) if row.payload is not None else row.error or ""
        if isinstance(result, MappedPosting):
            good.append(result)
        else:
            reasons.append(result)
    return len(rows), good, reasons, mapper


@pytest.mark.parametrize("name", FILES)
def test_file_reads_fully_and_maps(shared_data: Path, name: str) -> None:
    path = shared_data / name
    n, good, reasons, _ = _map_file(path)
    assert n == _expected_records(path)
    assert all(reasons), "every rejection has a reason"
    assert len(reasons) <= max(10, n // 100), reasons[:10]
    assert sum(p.title is not None or p.description is not None for p in good) == len(good)


def _find(good: list[MappedPosting], pred: Callable[[MappedPosting], bool]) -> MappedPosting:
    return next(p for p in good if pred(p))


def test_known_rows(shared_data: Path) -> None:
    _, good, _, _ = _map_file(
        shared_data / "linkedin_indeed_ca_2018/linkedin_data_scientist.csv.gz"
    )
    row = good[0]
    assert (row.title, row.company, row.location) == (
        "Data Scientist, Machine Learning",
        "DoorDash",
        "San Francisco, CA, US",
    )
    assert row.seniority_hint == "Entry level" and row.employment_type == "Full-time"
    assert row.description is not None and row.description.startswith("Come help us build")

    _, good, reasons, _ = _map_file(
        shared_data / "linkedin_indeed_ca_2018/indeed_cal_ds_500.csv.gz"
    )
    assert good[0].source_id == "e797c514652590bd" and good[0].company == "Square"
    assert good[0].date_posted is None and good[0].date_raw == "21 days ago"
    assert all(r.startswith("unparseable date '") for r in reasons)

    _, good, _, mapper = _map_file(
        shared_data / "tech_postings_small/glassdoor_ds_kenjee_2020.csv.gz"
    )
    assert mapper.profile == "glassdoor"
    first = good[0]
    assert (first.title, first.company, first.location) == (
        "Data Scientist",
        "Tecolote Research",
        "Albuquerque, NM",
    )
    assert first.salary is not None and (first.salary.min, first.salary.max) == (53_000, 91_000)
    assert sum(p.salary is None for p in good) >= 214  # "-1" salaries are missing, not zero
    assert not any(p.company and "\n" in p.company for p in good)

    _, good, _, _ = _map_file(shared_data / "tech_postings_small/linkedin_ai_ml_jobs_us.csv.gz")
    assert (good[0].title, good[0].company, good[0].date_posted) == (
        "AI/ML Engineer",
        "Wesper",
        dt.date(2024, 5, 29),
    )
    assert sum(p.date_posted is not None for p in good) >= 840

    _, good, _, _ = _map_file(shared_data / "tech_postings_small/linkedin_israel_swe_2024.csv.gz")
    assert good[0].title == "Senior Computer Vision Research Engineer"
    assert good[0].date_raw == "Reposted 3 days ago" and good[0].date_posted is None
    assert good[0].url is not None and good[0].url.startswith("https://www.linkedin.com/jobs/view/")

    _, good, _, _ = _map_file(shared_data / "tech_postings_small/dice_us_sample_658.csv.gz")
    assert good[0].title == "AUTOMATION TEST ENGINEER"

    _, good, _, _ = _map_file(
        shared_data / "api_responses/jsonld/findmejobs-direct_job_jsonld.html"
    )
    assert (good[0].title, good[0].company, good[0].location) == (
        "Senior Backend Engineer",
        "Direct Co",
        "Manila, Philippines",
    )


def test_hn_dates_are_thread_months(shared_data: Path) -> None:
    path = shared_data / "hn_whoishiring_2013_2018/hn_hiring_mapped_2013_2018.jsonl.gz"
    _, good, _, mapper = _map_file(path)
    assert mapper.profile == "hackernews"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        months = {str(json.loads(line)["id"]): json.loads(line)["month"] for line in fh}
    for posting in good:
        assert posting.date_posted is not None and posting.date_posted.day == 1
        assert posting.date_posted.strftime("%Y-%m") == months[posting.source_id or ""]
    first = _find(good, lambda p: p.source_id == "6139932")
    assert first.location == "London, England" and first.remote is False
    assert first.extra["location"] == "London"  # the source's regex guess is kept aside
    assert sum(p.company is not None for p in good) > len(good) * 0.6

    path = shared_data / "hn_whoishiring_2026/hn_jobs_2026.jsonl.gz"
    _, good, _, _ = _map_file(path)
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        raw = {str(r["id"]): r for r in map(json.loads, fh)}
    for posting in good:
        row = raw[posting.source_id or ""]
        assert posting.date_posted is not None and posting.date_posted.day == 1
        if row["thread_title"]:
            assert posting.date_posted.strftime("%B %Y") in row["thread_title"]
        else:
            when = dt.datetime.fromtimestamp(row["time"], tz=dt.UTC).date()
            assert posting.date_posted == when.replace(day=1)
    clever = good[1]
    assert clever.source_id == "46466130" and clever.company == "Clever Benefits"
    assert clever.salary is not None and (clever.salary.min, clever.salary.max) == (
        140_000,
        180_000,
    )
    assert clever.role_hint == "Senior Full Stack (React/React Native/Node/AWS)"
    assert clever.url == "https://news.ycombinator.com/item?id=46466130"

"""Greenhouse, Lever and Ashby on every REAL recorded response in ``../shared/data/api_responses``.

The files are read in place (never copied). Every record of every file must map (real responses
carry nulls, unknown keys, escaped HTML and epoch milliseconds), and the counts, ids, dates, remote
flags and salaries are checked against what the files hold.
"""

from __future__ import annotations

import collections
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from skillgauge.models import MappedPosting, Salary
from skillgauge.sources.ashby import AshbySource
from skillgauge.sources.greenhouse import GreenhouseSource
from skillgauge.sources.lever import LeverSource

pytestmark = pytest.mark.shared


def _all_mapped(source: Any, body: bytes, board: str | None = None) -> list[MappedPosting]:
    postings = []
    for record in source.records(body):
        result = source.map(record, board=board)
        assert isinstance(result, MappedPosting), (result, record.get("id"))
        postings.append(result)
    return postings


def _vcr_bodies(path: Path) -> list[bytes]:
    """The response bodies of a VCR cassette (the 2013 Greenhouse recordings)."""
    cassette = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        interaction["response"]["body"]["string"].encode("utf-8")
        for interaction in cassette["http_interactions"]
    ]


def test_every_greenhouse_lever_ashby_file_maps(shared_data: Path) -> None:
    """No real file is left out: each one is read by its source and every record maps."""
    sources = {"greenhouse": GreenhouseSource(), "lever": LeverSource(), "ashby": AshbySource()}
    seen = 0
    for name, source in sources.items():
        files = sorted((shared_data / "api_responses" / name).iterdir())
        assert files, name
        for path in files:
            bodies = _vcr_bodies(path) if path.suffix == ".yml" else [path.read_bytes()]
            for body in bodies:
                postings = _all_mapped(source, body)
                assert postings and all(p.title and p.source_id for p in postings), path.name
                seen += 1
    assert seen == 9  # 5 greenhouse (2 JSON, 3 cassettes), 1 lever, 3 ashby


def test_greenhouse_full_board_list(shared_data: Path) -> None:
    path = shared_data / "api_responses/greenhouse/anthropic-jobs-list-2026-03.json"
    body = path.read_bytes()
    source = GreenhouseSource()
    postings = _all_mapped(source, body, board="anthropic")
    assert len(postings) == json.loads(body)["meta"]["total"] == 449
    assert len({p.source_id for p in postings}) == 449
    assert postings[0].source_id == "5074975008" and postings[0].title == "Account Coordinator"
    assert postings[0].date_posted == dt.date(2026, 2, 12)  # first_published, local offset
    assert all(p.company == "Anthropic" and p.date_posted for p in postings)
    assert all(p.description is None for p in postings)  # listed without content=true
    remote = collections.Counter(p.remote for p in postings)
    metadata = collections.Counter(p.extra.get("location_type") for p in postings)
    assert remote[True] >= metadata["Remote"] and remote[False] == metadata["On-Site"]
    assert sum(remote.values()) == 449


def test_greenhouse_content_keeps_escaped_html(shared_data: Path) -> None:
    path = shared_data / "api_responses/greenhouse/anthropic-jobs-content-2026-07.json"
    records = GreenhouseSource().records(path.read_bytes())
    postings = [GreenhouseSource().map(r) for r in records]
    assert len(postings) == 4
    first = postings[0]
    assert isinstance(first, MappedPosting)
    assert first.title == "Country Lead, Data Center Security"
    assert first.description == records[0]["content"]
    assert first.description is not None and first.description.startswith("&lt;div class=&quot;")
    assert first.remote is True and first.date_posted == dt.date(2026, 7, 10)
    assert first.extra["departments"] == ["Security"]
    assert [p.remote for p in postings if isinstance(p, MappedPosting)] == [
        True,
        False,
        False,
        None,
    ]


def test_greenhouse_2013_embed_cassettes(shared_data: Path) -> None:
    folder = shared_data / "api_responses/greenhouse"
    source = GreenhouseSource()
    (listing,) = _vcr_bodies(folder / "greenhouse_io-jobs-2013.vcr.yml")
    postings = _all_mapped(source, listing, board="generalassembly")
    assert [p.source_id for p in postings] == ["721", "722"]
    assert all(p.date_posted == dt.date(2013, 9, 12) for p in postings)  # only updated_at
    assert postings[0].company == "generalassembly" and postings[1].location == "New York"
    (content,) = _vcr_bodies(folder / "greenhouse_io-jobs_with_content-2013.vcr.yml")
    with_text = _all_mapped(source, content)
    assert with_text[0].description is not None
    assert with_text[0].description.startswith("&lt;h3&gt;Who")
    (single,) = _vcr_bodies(folder / "greenhouse_io-job_with_questions-2013.vcr.yml")
    (job,) = _all_mapped(source, single)
    assert job.source_id == "721" and job.title == "Application developer"


def test_lever_real_postings(shared_data: Path) -> None:
    body = (shared_data / "api_responses/lever/spotify-postings-2026-07.json").read_bytes()
    postings = _all_mapped(LeverSource(), body, board="spotify")
    assert len(postings) == 4
    assert [p.remote for p in postings] == [True, False, False, False]  # remote/onsite/hybrid x2
    first = postings[0]
    assert first.source_id == "b4ad9572-e20f-4185-a284-99d9740d04f0"
    assert first.title == "Android Engineer I - Subscriptions"
    assert first.date_posted == dt.date(2026, 6, 30) and first.date_raw == "1782821535482"
    assert first.employment_type == "Permanent" and first.salary is None  # no salaryRange
    assert first.url == "https://jobs.lever.co/spotify/b4ad9572-e20f-4185-a284-99d9740d04f0"
    assert first.description is not None and "<h3>What You'll Do</h3>" in first.description
    assert first.extra["all_locations"] == ["London", "Stockholm"]
    assert all(p.company == "spotify" for p in postings)


def test_ashby_real_boards(shared_data: Path) -> None:
    folder = shared_data / "api_responses/ashby"
    source = AshbySource()
    cursor = _all_mapped(source, (folder / "cursor-job-board-comp-2025.json").read_bytes())
    assert len(cursor) == 54 and len({p.source_id for p in cursor}) == 54
    assert all(p.salary is None and p.company == "cursor" for p in cursor)  # hidden pay
    remote = collections.Counter(p.remote for p in cursor)
    assert remote == {None: 24, False: 13 + 10, True: 7}  # null, OnSite + Hybrid, Remote

    ramp = _all_mapped(source, (folder / "ramp-job-board-comp-2026-07.json").read_bytes())
    assert [p.salary for p in ramp] == [
        Salary(151000.0, 231000.0, "USD", "year", "$151K - $231K"),
        None,
        Salary(191000.0, 291000.0, "USD", "year", "$191K - $291K"),
        None,
    ]
    assert ramp[0].extra["secondary_locations"] == ["San Francisco, CA", "New York, NY (HQ)"]
    assert ramp[0].date_posted == dt.date(2026, 7, 7)

    truelogic = _all_mapped(source, (folder / "truelogic-job-board-2026-08.json").read_bytes())
    assert len(truelogic) == 3 and all(p.remote is True for p in truelogic)
    assert all(p.salary is None and p.date_posted for p in truelogic)

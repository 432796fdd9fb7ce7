"""Live collection through the real pipeline: recorded run, cursors, closed/reopened postings, and a
posting seen on a company board and on an aggregator stored once with both sources recorded."""

from __future__ import annotations

import json
import random
from collections.abc import Mapping
from pathlib import Path

import pytest

import skillgauge as sg
from skillgauge.exceptions import TerminalSourceError
from skillgauge.sources import registry
from skillgauge.sources.base import Response
from tests.synth import WORDS

TEXT = (
    "Build our data platform: streaming pipelines with Kafka and Spark, a warehouse in "
    "Snowflake modelled with dbt, orchestration in Airflow, all on AWS. {n} You will work "
    "closely with analysts and machine learning engineers and own data quality end to end."
)


def job(n: int) -> dict[str, object]:
    """A distinct posting per n (random words, so no two are near-duplicates)."""
    rng = random.Random(n)
    words = " ".join(rng.choice(WORDS) for _ in range(60))
    return {
        "id": n,
        "title": "Data Engineer",
        "content": TEXT.format(n=words),
        "date": "2026-03-02",
    }


class Fetcher:
    """Serves bodies by URL and records the requests, like the HTTP client would."""

    def __init__(self, routes: Mapping[str, object]) -> None:
        self.routes = dict(routes)
        self.calls: list[str] = []

    def get(
        self, url: str, *, source: str, params: object = None, headers: object = None
    ) -> Response:
        self.calls.append(url)
        if url not in self.routes:
            raise TerminalSourceError(source, f"board or page not found: {url}")
        return Response(url, 200, {}, json.dumps(self.routes[url]).encode())


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> sg.Database:
    monkeypatch.setitem(registry.MODULES, "fakeboard", "tests.pipeline.fake_sources")
    monkeypatch.setitem(registry.MODULES, "fakefeed", "tests.pipeline.fake_sources")
    return sg.open(tmp_path / "c.duckdb", workers=1)


def test_snapshot_board_closes_and_reopens(db: sg.Database) -> None:
    url = "https://boards.example.invalid/acme/jobs"
    first = db.collect(
        "fakeboard", boards=["acme"], fetcher=Fetcher({url: {"jobs": [job(1), job(2), job(3)]}})
    )
    assert first.status == "complete" and first.counts.stored == 3 and first.counts.reconciles
    again = db.collect(
        "fakeboard", boards=["acme"], fetcher=Fetcher({url: {"jobs": [job(1), job(3)]}})
    )
    assert again.counts.stored == 0 and again.counts.duplicates == 2
    assert (again.boards[0].closed, again.boards[0].reopened) == (1, 0)
    closed = db.store.con.execute(
        "SELECT source_id FROM postings WHERE closed_at IS NOT NULL"
    ).fetchall()
    assert closed == [("2",)]  # marked closed, not deleted
    back = db.collect(
        "fakeboard", boards=["acme"], fetcher=Fetcher({url: {"jobs": [job(1), job(2), job(3)]}})
    )
    assert (back.boards[0].closed, back.boards[0].reopened) == (0, 1)
    assert db.table_counts()["postings"] == 3
    assert set(db.runs()["kind"]) == {"collect"}


def test_feed_cursor_resumes_and_failed_board_is_reported(db: sg.Database) -> None:
    feed = Fetcher(
        {
            "https://feed.example.invalid/jobs?page=0": {"jobs": [job(10)]},
            "https://feed.example.invalid/jobs?page=1": {"jobs": [job(11)]},
            "https://feed.example.invalid/jobs?page=2": {"jobs": []},
        }
    )
    res = db.collect("fakefeed", fetcher=feed)
    assert res.counts.stored == 2
    assert db.store.get_cursor("fakefeed", None) == "2"
    feed.calls.clear()
    db.collect("fakefeed", fetcher=feed)
    assert feed.calls == ["https://feed.example.invalid/jobs?page=2"]  # only what is new

    url = "https://boards.example.invalid/good/jobs"
    res = db.collect(
        "fakeboard", boards=["missing", "good"], fetcher=Fetcher({url: {"jobs": [job(20)]}})
    )
    assert res.status == "failed"
    assert res.boards[0].error and "missing" in res.boards[0].error
    assert res.boards[1].counts.stored == 1  # the other board was still collected
    run = db.runs().iloc[0]
    assert run["status"] == "failed" and "not found" in run["message"]


def test_board_and_aggregator_posting_is_stored_once_with_both_sources(db: sg.Database) -> None:
    board = Fetcher({"https://boards.example.invalid/acme/jobs": {"jobs": [job(7)]}})
    db.collect("fakeboard", boards=["acme"], fetcher=board)
    copy = dict(job(7), id="agg-99")  # the same ad, re-posted by an aggregator under its own id
    feed = Fetcher(
        {
            "https://feed.example.invalid/jobs?page=0": {"jobs": [copy]},
            "https://feed.example.invalid/jobs?page=1": {"jobs": []},
        }
    )
    res = db.collect("fakefeed", fetcher=feed)
    assert res.counts.stored == 0 and res.counts.duplicates == 1
    rows = db.store.con.execute(
        "SELECT source, role FROM posting_sources ORDER BY source"
    ).fetchall()
    assert rows == [("fakeboard", "kept"), ("fakefeed", "duplicate")]


def test_keys_from_the_environment_are_secrets() -> None:
    opts = registry.resolve_options("usajobs", {}, env={"SKILLGAUGE_USAJOBS_KEY": "s3cr3t-key"})
    assert opts.get("key") == "s3cr3t-key" or "s3cr3t-key" in opts.values()
    assert "s3cr3t-key" in registry.secret_values(opts)
    board = registry.resolve_options("greenhouse", {}, env={})
    assert registry.secret_values(board) == []

"""A real source (Lever) through the real HTTP client on an httpx.MockTransport, into the store:
a page that keeps failing is retried, then the board fails clearly with nothing half-stored; the
next collect completes it."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

import skillgauge as sg
from skillgauge.sources.http import HttpClient

DATA = Path(__file__).resolve().parents[1] / "data" / "lever"


def _client(second_page_ok: bool, calls: list[str], sleeps: list[float]) -> HttpClient:
    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        skip = request.url.params.get("skip")
        if skip == "0":
            return httpx.Response(200, content=(DATA / "acme-postings-skip0.json").read_bytes())
        if skip == "2" and second_page_ok:
            return httpx.Response(200, content=(DATA / "acme-postings-skip2.json").read_bytes())
        if skip == "2":
            return httpx.Response(503, headers={"Retry-After": "2"})
        return httpx.Response(200, json=[])

    return HttpClient(
        transport=httpx.MockTransport(handler),
        rate=1000.0,
        max_retries=3,
        sleep=sleeps.append,
    )


def test_failing_page_is_retried_then_reported_and_nothing_is_half_stored(tmp_path: Path) -> None:
    first_page = json.loads((DATA / "acme-postings-skip0.json").read_text(encoding="utf-8"))
    with sg.open(tmp_path / "h.duckdb", workers=1) as db:
        calls: list[str] = []
        sleeps: list[float] = []
        with _client(False, calls, sleeps) as client:
            res = db.collect("lever", boards=["acme"], options={"page_size": "2"}, fetcher=client)
        assert res.status == "failed"
        error = res.boards[0].error or ""
        assert "lever" in error and ("503" in error or "retr" in error.lower())
        assert sum("skip=2" in c for c in calls) == 4  # first try + 3 retries
        assert sleeps and all(s >= 2.0 for s in sleeps[:1])  # Retry-After honoured
        # the first page is stored whole; nothing of the failed page; nothing closed
        assert res.counts.read == len(first_page) and res.counts.reconciles
        assert db.store.con.execute(
            "SELECT count(*) FROM postings WHERE closed_at IS NOT NULL"
        ).fetchone() == (0,)
        stored = db.table_counts()["postings"]

        calls.clear()
        with _client(True, calls, []) as client:
            again = db.collect("lever", boards=["acme"], options={"page_size": "2"}, fetcher=client)
        assert again.status == "complete"
        assert again.counts.stored > 0
        assert db.table_counts()["postings"] == stored + again.counts.stored
        runs = db.runs()
        assert list(runs["status"]) == ["complete", "failed"]

"""A SIGKILL in the middle of an ingest leaves the store consistent; the next run finishes it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from tests.invariants import assert_keys_unique
from tests.synth import write_jsonl

TABLES = ("raw_postings", "postings", "posting_roles", "mentions", "duplicates", "rejected")


def _skillgauge(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "skillgauge", "--db", str(db), "--workers", "1", *args]


def _env() -> dict[str, str]:
    return {**os.environ, "SKILLGAUGE_BATCH_SIZE": "200", "PYTHONUNBUFFERED": "1"}


def _counts(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for t in TABLES:
            row = con.execute(f"SELECT count(*) FROM {t}").fetchone()
            assert row is not None
            out[t] = int(row[0])
        return out
    finally:
        con.close()


def test_sigkill_mid_run_then_resume(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "big.jsonl", 6000)
    killed_db = tmp_path / "killed.duckdb"
    proc = subprocess.Popen(
        [*_skillgauge(killed_db, "-v", "ingest", str(src))],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=_env(),
        text=True,
    )
    assert proc.stderr is not None
    committed = 0
    deadline = time.monotonic() + 120
    while committed < 3 and time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        committed += line.startswith("committed")
    assert committed >= 3, "the ingest never committed a batch"
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)

    # The store opens, the run shows as incomplete, and what was committed is consistent.
    con = duckdb.connect(str(killed_db), read_only=True)
    status, n_read, n_stored, n_rej, n_dup = con.execute(
        "SELECT status, n_read, n_stored, n_rejected, n_duplicates FROM runs WHERE run_id = 1"
    ).fetchone() or (None, 0, 0, 0, 0)
    postings = con.execute("SELECT count(*) FROM postings").fetchone()
    con.close()
    assert status == "running"
    assert 0 < n_read < 6000
    assert n_read == n_stored + n_rej + n_dup
    assert postings is not None and postings[0] == n_stored

    listing = subprocess.run(
        _skillgauge(killed_db, "runs"), capture_output=True, text=True, env=_env(), check=True
    )
    assert "INCOMPLETE" in listing.stdout  # the interrupted run is shown as such

    # The next run finishes it, with no duplicate rows: same tables as one clean run.
    resumed = subprocess.run(
        _skillgauge(killed_db, "ingest", str(src)), capture_output=True, text=True, env=_env()
    )
    assert resumed.returncode == 0, resumed.stderr
    assert "resumed run 1" in resumed.stdout
    clean_db = tmp_path / "clean.duckdb"
    subprocess.run(
        _skillgauge(clean_db, "ingest", str(src)), capture_output=True, env=_env(), check=True
    )
    assert _counts(killed_db) == _counts(clean_db)
    con = duckdb.connect(str(killed_db), read_only=True)
    rows = con.execute("SELECT run_id, status, resumed_run_id FROM runs ORDER BY run_id").fetchall()
    total = con.execute(
        "SELECT sum(n_read), sum(n_stored) FROM runs WHERE kind = 'ingest'"
    ).fetchone()
    assert_keys_unique(con)
    con.close()
    assert rows == [(1, "resumed", None), (2, "complete", 1)]
    assert total == (6000, 6000)

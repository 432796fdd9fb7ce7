"""The pre-aggregated role x term counts give exactly what the direct join gives, and never go stale."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

import skillgauge as sg
from skillgauge.store import queries
from tests.synth import planted_postings, write_jsonl, write_rows

ROLES = ["all", "machine-learning-engineer", "data-scientist", "data-engineer", "designer"]


def _direct(con: duckdb.DuckDBPyConnection) -> tuple[dict[str, int], pd.DataFrame]:
    """The counts computed the slow way, bypassing the aggregates."""
    sql, params = queries._role_filter(ROLES)
    sizes = dict.fromkeys(ROLES, 0)
    for role, n in con.execute(
        f"SELECT role, count(DISTINCT posting_id) FROM ({sql}) GROUP BY role", params
    ).fetchall():
        sizes[str(role)] = int(n)
    counts = con.execute(
        f"SELECT r.role, m.term_id, count(DISTINCT m.posting_id) AS count"
        f" FROM ({sql}) r JOIN mentions m USING (posting_id) GROUP BY r.role, m.term_id",
        params,
    ).df()
    return sizes, counts


def _sorted(df: pd.DataFrame) -> pd.DataFrame:
    out = df[["role", "term_id", "count"]].astype({"count": "int64"})
    return out.sort_values(["role", "term_id"]).reset_index(drop=True)


def _check_equal(con: duckdb.DuckDBPyConnection) -> None:
    sizes, counts = _direct(con)
    assert queries.role_sizes(con, ROLES) == sizes
    pd.testing.assert_frame_equal(_sorted(queries.term_counts(con, ROLES)), _sorted(counts))


def test_counts_match_the_direct_join_and_follow_every_run(tmp_path: Path) -> None:
    db_path = tmp_path / "a.duckdb"
    first = write_rows(tmp_path / "a.jsonl", planted_postings(300, seed=3))
    with sg.open(db_path) as db:
        db.ingest([first])
        con = db.store.con
        assert queries.aggregates_fresh(con)  # the run refreshed them on finishing
        _check_equal(con)
        # a second run adds postings: the stamp changes, so the next read rebuilds
        db.ingest([write_jsonl(tmp_path / "b.jsonl", 200, seed=11)])
        _check_equal(con)
        # a write that bypasses the pipeline but goes through a run is noticed too
        con.execute("UPDATE runs SET n_read = n_read + 1 WHERE run_id = 1")
        assert not queries.aggregates_fresh(con)
        _check_equal(con)
        assert queries.aggregates_fresh(con)


def test_a_read_only_connection_with_stale_counts_falls_back_to_the_join(tmp_path: Path) -> None:
    db_path = tmp_path / "a.duckdb"
    with sg.open(db_path) as db:
        db.ingest([write_rows(tmp_path / "a.jsonl", planted_postings(200, seed=5))])
        # make the stored aggregates stale and wrong
        db.store.con.execute("UPDATE role_term_counts SET count = count + 1000")
        db.store.con.execute("UPDATE aggregate_state SET stamp = 'stale'")
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        assert not queries.aggregates_fresh(con)
        _check_equal(con)  # bypassed, not read
    finally:
        con.close()

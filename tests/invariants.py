"""Store invariants the schema no longer enforces itself (migration 5 dropped the per-posting
tables' primary-key indexes): every key is unique, and the pipeline is what keeps it so."""

from __future__ import annotations

import duckdb

KEYS = {
    "raw_postings": "raw_id",
    "postings": "posting_id",
    "posting_roles": "posting_id, role",
    "duplicates": "raw_id",
    "rejected": "reject_id",
}


def assert_keys_unique(con: duckdb.DuckDBPyConnection) -> None:
    for table, key in KEYS.items():
        row = con.execute(f"SELECT count(*), count(DISTINCT ({key})) FROM {table}").fetchone()
        assert row is not None and row[0] == row[1], f"{table}: {row[0]} rows, {row[1]} keys"

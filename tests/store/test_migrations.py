"""Migrations are recorded, idempotent, and a newer schema is refused with a clear error."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from skillgauge.exceptions import StoreError
from skillgauge.store.db import Store
from skillgauge.store.migrations import LATEST, migrate


def test_migrations_apply_once(tmp_path: Path) -> None:
    path = tmp_path / "m.duckdb"
    with Store(path) as store:
        rows = store.con.execute("SELECT version FROM schema_migrations").fetchall()
        assert [r[0] for r in rows] == list(range(1, LATEST + 1))
        assert migrate(store.con) == []


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.duckdb"
    Store(path).close()
    con = duckdb.connect(str(path))
    con.execute("INSERT INTO schema_migrations VALUES (999, 'future', now())")
    con.close()
    with pytest.raises(StoreError, match="newer"):
        Store(path)


def test_read_only_needs_an_existing_file(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="ingest something first"):
        Store(tmp_path / "none.duckdb", read_only=True)


def test_reading_an_older_file_upgrades_it_first(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    Store(path).close()
    con = duckdb.connect(str(path))
    con.execute(f"DELETE FROM schema_migrations WHERE version = {LATEST}")
    # undo what the newest migration did, as a file written by the previous release would be
    undo = {
        3: ["ALTER TABLE postings DROP COLUMN salary_source"],
        4: [
            "DROP TABLE role_term_counts",
            "DROP TABLE role_posting_counts",
            "DROP TABLE aggregate_state",
        ],
    }
    for sql in undo[LATEST]:
        con.execute(sql)
    con.close()
    with Store(path, read_only=True) as store:
        rows = store.con.execute("SELECT max(version) FROM schema_migrations").fetchall()
        assert rows == [(LATEST,)]

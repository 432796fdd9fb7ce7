"""Migrations are recorded, idempotent, and a newer schema is refused with a clear error."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from skillgauge.exceptions import StoreError
from skillgauge.store.db import Store
from skillgauge.store.migrations import LATEST, MIGRATIONS, migrate


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
        5: [],  # a rebuild of five tables: the version row alone marks it undone
    }
    for sql in undo[LATEST]:
        con.execute(sql)
    con.close()
    with Store(path, read_only=True) as store:
        rows = store.con.execute("SELECT max(version) FROM schema_migrations").fetchall()
        assert rows == [(LATEST,)]


def test_per_posting_tables_carry_no_index_but_keep_not_null(tmp_path: Path) -> None:
    """Migration 5: DuckDB's ART indexes live wholly in memory, so the per-posting tables have
    none; their NOT NULL guards stay and uniqueness is kept by the writer (test below)."""
    with Store(tmp_path / "m.duckdb") as store:
        kinds = store.con.execute(
            "SELECT table_name, constraint_type, constraint_column_names FROM duckdb_constraints()"
            " WHERE table_name IN ('raw_postings', 'postings', 'posting_roles', 'duplicates',"
            " 'rejected')"
        ).fetchall()
        assert {k for _, k, _ in kinds} == {"NOT NULL"}
        assert ("postings", "NOT NULL", ["fingerprint"]) in kinds
        assert store.con.execute("SELECT count(*) FROM duckdb_indexes()").fetchall() == [(0,)]


def test_migration_5_keeps_every_row_of_an_older_file(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
        " applied_at TIMESTAMP NOT NULL)"
    )
    for m in MIGRATIONS[:4]:
        con.execute(m.sql)
        con.execute("INSERT INTO schema_migrations VALUES (?, ?, now())", [m.version, m.name])
    con.execute(
        "INSERT INTO rejected VALUES ('r1', 1, 'hn', 'k', NULL, 3, 'no title and no text', '{}')"
    )
    con.execute("INSERT INTO posting_roles VALUES ('p1', 'data-engineer'), ('p1', 'other')")
    con.close()
    with Store(path) as store:
        assert store.con.execute("SELECT * FROM posting_roles ORDER BY role").fetchall() == [
            ("p1", "data-engineer"),
            ("p1", "other"),
        ]
        assert store.con.execute("SELECT reject_id, reason FROM rejected").fetchall() == [
            ("r1", "no title and no text")
        ]
        with pytest.raises(duckdb.ConstraintException):
            store.con.execute("INSERT INTO posting_roles VALUES (NULL, 'x')")

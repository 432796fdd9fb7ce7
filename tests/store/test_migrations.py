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
        6: [],  # a rebuild of two tables, likewise
        7: [],  # the same two tables rebuilt again
        8: [],  # postings rebuilt again
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


def _file_at_version(path: Path, version: int) -> duckdb.DuckDBPyConnection:
    """A database file as the release with schema ``version`` left it (open, for more rows)."""
    con = duckdb.connect(str(path))
    con.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
        " applied_at TIMESTAMP NOT NULL)"
    )
    for m in MIGRATIONS[:version]:
        con.execute(m.sql)
        con.execute("INSERT INTO schema_migrations VALUES (?, ?, now())", [m.version, m.name])
    return con


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str, str]]:
    """(name, type, nullable) of each column of ``table``, in order."""
    return con.execute(
        "SELECT column_name, data_type, is_nullable FROM information_schema.columns"
        " WHERE table_name = ? ORDER BY ordinal_position",
        [table],
    ).fetchall()


def test_migration_5_keeps_every_row_of_an_older_file(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    con = _file_at_version(path, 4)
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


def _old_file_with_postings(
    path: Path, version: int, posting_id: str, fingerprint: str, minhash: str = "NULL"
) -> tuple[
    dict[str, list[tuple[str, str, str]]], list[tuple[object, ...]], list[tuple[object, ...]]
]:
    """A file at schema ``version`` holding 3,000 raw postings and postings, ids and fingerprints
    (and signatures) from the SQL expressions given (of ``i``); returns its columns, postings and
    raw postings."""
    con = _file_at_version(path, version)
    before = {t: _columns(con, t) for t in ("raw_postings", "postings")}
    con.execute(
        f"INSERT INTO raw_postings SELECT {posting_id}, 1, 'hn', 'k', i, json_object('text',"
        " repeat('We use Python and SQL. ', 40) || i) FROM range(3000) t(i)"
    )
    con.execute(
        "INSERT INTO postings (posting_id, run_id, source, title, text, seniority, fingerprint,"
        f" dedup_window, salary_source, minhash) SELECT {posting_id}, 1, 'hn', 'Data Engineer',"
        f" repeat('We use Python and SQL. ', 40) || i, 'mid', {fingerprint}, '2018-01', 'text',"
        f" {minhash} FROM range(3000) t(i)"
    )
    rows = con.execute("SELECT * FROM postings ORDER BY posting_id").fetchall()
    raw = con.execute("SELECT * FROM raw_postings ORDER BY raw_id").fetchall()
    con.close()
    return before, rows, raw


def _assert_kept(
    store: Store,
    before: dict[str, list[tuple[str, str, str]]],
    rows: list[tuple[object, ...]],
    raw: list[tuple[object, ...]],
) -> None:
    for table, columns in before.items():
        assert _columns(store.con, table) == columns
    assert store.con.execute("SELECT * FROM postings ORDER BY posting_id").fetchall() == rows
    assert store.con.execute("SELECT * FROM raw_postings ORDER BY raw_id").fetchall() == raw


def _compressions(
    store: Store, tables: tuple[str, ...], columns: tuple[str, ...]
) -> dict[str, list[str]]:
    """The compressions of each of ``columns`` in ``tables`` after a checkpoint, validity masks
    left out."""
    store.con.execute("CHECKPOINT")
    union = " UNION ALL ".join(
        f"SELECT column_name, compression, segment_type FROM pragma_storage_info('{t}')"
        for t in tables
    )
    names = ", ".join(f"'{c}'" for c in columns)
    rows = store.con.execute(
        f"SELECT column_name, list_sort(list(DISTINCT compression)) FROM ({union})"
        f" WHERE column_name IN ({names}) AND segment_type <> 'VALIDITY' GROUP BY 1"
    ).fetchall()
    return {str(name): list(used) for name, used in rows}


def test_migration_6_keeps_every_row_and_stores_long_text_with_zstd(tmp_path: Path) -> None:
    """The raw payload and the cleaned text are ZSTD-compressed; every row, column and NOT NULL
    guard of a file written before it is kept."""
    path = tmp_path / "old.duckdb"
    before, rows, raw = _old_file_with_postings(path, 5, "'r' || i", "'f' || i")
    with Store(path) as store:
        _assert_kept(store, before, rows, raw)
        used = _compressions(
            store, ("postings", "raw_postings"), ("text", "payload", "fingerprint")
        )
        assert "ZSTD" in used["text"] and "ZSTD" in used["payload"]
        assert "ZSTD" not in used["fingerprint"]  # short strings keep DuckDB's own choice
        with pytest.raises(duckdb.ConstraintException):
            store.con.execute("INSERT INTO raw_postings VALUES ('x', 1, 'hn', 'k', 0, NULL)")


def test_migration_7_keeps_every_row_and_stores_the_lookup_keys_uncompressed(
    tmp_path: Path,
) -> None:
    """The columns de-duplication looks records up by (raw id, posting id, fingerprint) are
    stored uncompressed, so each lookup's scan does not decode them; every row, column, NOT NULL
    guard and the long texts' ZSTD of a file written before it are kept."""
    path = tmp_path / "old.duckdb"
    before, rows, raw = _old_file_with_postings(path, 6, "md5(i::VARCHAR)", "md5('f' || i)")
    with Store(path) as store:
        _assert_kept(store, before, rows, raw)
        used = _compressions(
            store,
            ("postings", "raw_postings"),
            ("raw_id", "posting_id", "fingerprint", "text", "payload", "title"),
        )
        for key in ("raw_id", "posting_id", "fingerprint"):
            assert used[key] == ["Uncompressed"], (key, used[key])
        assert "ZSTD" in used["text"] and "ZSTD" in used["payload"]
        assert used["title"] != ["Uncompressed"]  # other short strings keep DuckDB's own choice
        with pytest.raises(duckdb.ConstraintException):
            store.con.execute(
                "INSERT INTO postings (posting_id, run_id, source, seniority, fingerprint,"
                " dedup_window) VALUES ('x', 1, 'hn', 'mid', NULL, 'undated')"
            )


def test_migration_8_keeps_every_row_and_stores_the_signatures_uncompressed(
    tmp_path: Path,
) -> None:
    """MinHash signatures (random bytes, which no compression shrinks) are stored uncompressed;
    every row, column, NOT NULL guard and the other columns' storage of a file written before it
    are kept."""
    path = tmp_path / "old.duckdb"
    signature = "unhex(md5(i::VARCHAR) || md5('s' || i) || md5('t' || i) || md5('u' || i))"
    before, rows, raw = _old_file_with_postings(
        path, 7, "md5(i::VARCHAR)", "md5('f' || i)", minhash=signature
    )
    assert all(isinstance(r[_columns_index(before, "minhash")], bytes) for r in rows)
    with Store(path) as store:
        _assert_kept(store, before, rows, raw)
        used = _compressions(
            store, ("postings",), ("minhash", "posting_id", "fingerprint", "text", "title")
        )
        for column in ("minhash", "posting_id", "fingerprint"):
            assert used[column] == ["Uncompressed"], (column, used[column])
        assert "ZSTD" in used["text"]
        assert used["title"] != ["Uncompressed"]  # other short strings keep DuckDB's own choice
        with pytest.raises(duckdb.ConstraintException):
            store.con.execute(
                "INSERT INTO postings (posting_id, run_id, source, seniority, fingerprint,"
                " dedup_window) VALUES ('x', 1, 'hn', NULL, 'f', 'undated')"
            )


def _columns_index(before: dict[str, list[tuple[str, str, str]]], column: str) -> int:
    return [c[0] for c in before["postings"]].index(column)

"""The DuckDB store: connection, transactions, run records and bulk writes.

One file, no server. Writes go in batches through Arrow tables registered with DuckDB (never row by row:
``executemany`` manages ~1,700 rows/s here, an Arrow insert hundreds of thousands). Each batch is one
transaction that also moves the run's checkpoint, so a crash (even SIGKILL) leaves the store at the last
committed batch and the next run resumes from there. DuckDB allows one writing process per file, so a run
still marked ``running`` when the store is opened for writing was interrupted.

Reads used by the CLI, the Python API and the reports live in :mod:`skillgauge.store.queries`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa

from skillgauge.exceptions import StoreError
from skillgauge.store.migrations import LATEST, migrate, schema_version


def first_row(result: duckdb.DuckDBPyConnection) -> tuple[Any, ...] | None:
    """The first row of a query, consuming the whole result.

    DuckDB 2 keeps a result open after ``fetchone()`` until a fetch returns nothing, and refuses
    other work on the connection (``register``) meanwhile; ``fetchall`` always completes it.
    """
    rows = result.fetchall()
    return rows[0] if rows else None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@dataclass
class Counts:
    """What a run (or one of its inputs) did: read = stored + rejected + duplicates."""

    read: int = 0
    stored: int = 0
    rejected: int = 0
    duplicates: int = 0

    def add(self, other: Counts) -> None:
        self.read += other.read
        self.stored += other.stored
        self.rejected += other.rejected
        self.duplicates += other.duplicates

    @property
    def reconciles(self) -> bool:
        return self.read == self.stored + self.rejected + self.duplicates

    def line(self) -> str:
        mark = "reconciles" if self.reconciles else "DOES NOT RECONCILE"
        return (
            f"read {self.read:,} = stored {self.stored:,} + rejected {self.rejected:,}"
            f" + duplicates {self.duplicates:,} ({mark})"
        )


@dataclass
class WriteBatch:
    """Everything one batch adds to the store, as Arrow tables (column names match the tables)."""

    raw: pa.Table | None = None
    postings: pa.Table | None = None
    roles: pa.Table | None = None
    bands: pa.Table | None = None
    mentions: pa.Table | None = None
    rejected: pa.Table | None = None
    duplicates: pa.Table | None = None
    counts: Counts = field(default_factory=Counts)


@dataclass(frozen=True)
class Interrupted:
    """An input an earlier run was reading when it stopped: resume after ``rows_done`` records."""

    run_id: int
    rows_done: int


class Store:
    """An open skillgauge database. Use :func:`open_store` or ``Store(path)`` as a context manager."""

    def __init__(
        self, path: Path | str, *, read_only: bool = False, memory_limit: str | None = None
    ) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._lookup_con: duckdb.DuckDBPyConnection | None = None
        if read_only and not self.path.exists():
            raise StoreError(
                f"no database at {self.path}: ingest something first (skillgauge ingest)"
            )
        try:
            self.con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.IOException as exc:
            raise StoreError(f"cannot open {self.path}: {exc}") from exc
        except duckdb.Error as exc:
            raise StoreError(f"{self.path} is not a usable DuckDB database: {exc}") from exc
        if read_only and schema_version(self.con) < LATEST:
            # An older file opened for reading (a report): bring its schema up to date once, in a
            # short writing session, then read as asked. Readers never see a half-migrated schema:
            # each migration is one transaction.
            self.con.close()
            Store(self.path).close()
            self.con = duckdb.connect(str(self.path), read_only=True)
        # DuckDB draws its own bar for queries over 2 s; it would tear through Rich's progress bars
        # and fill logs. The pipeline reports progress itself.
        self.con.execute("SET enable_progress_bar = false")
        if memory_limit:
            self.con.execute(f"SET memory_limit = '{memory_limit}'")  # validated by Settings
        if not read_only:
            # Batches are tens of MB of text: with DuckDB's 16 MB default nearly every commit also
            # checkpoints. Fewer, larger checkpoints measured ~20% faster ingestion; a crash still
            # recovers to the last commit from the write-ahead log. 512 MB rather than 256 MB: at a
            # checkpoint DuckDB merges under-filled row groups, writing the long texts of the last
            # ones again; at 256 MB (~55,000 postings a checkpoint) every row group of the text
            # tables was written twice. 1M postings: 158.0-167.3 s against 187.1-190.0 s, peak
            # memory the same. Other thresholds move the merges, not always for the better (384 MB
            # was slower than both): docs/performance.md has the figures.
            self.con.execute("SET checkpoint_threshold = '512MB'")
        if not read_only:
            migrate(self.con)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self.con
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    # -- runs ---------------------------------------------------------------------------------------

    def start_run(
        self,
        kind: str,
        *,
        command: str,
        version: str,
        taxonomy_version: str | None,
        taxonomy_hash: str | None,
        roles_version: str | None,
        settings: dict[str, Any],
        resumed_run_id: int | None = None,
    ) -> int:
        with self.transaction() as con:
            row = first_row(con.execute("SELECT nextval('run_id_seq')"))
            assert row is not None
            run_id = int(row[0])
            con.execute(
                "INSERT INTO runs (run_id, kind, status, started_at, command, skillgauge_version,"
                " taxonomy_version, taxonomy_hash, roles_version, settings, resumed_run_id)"
                " VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    run_id,
                    kind,
                    _now(),
                    command,
                    version,
                    taxonomy_version,
                    taxonomy_hash,
                    roles_version,
                    json.dumps(settings, default=str),
                    resumed_run_id,
                ],
            )
        return run_id

    def finish_run(self, run_id: int, status: str, message: str | None = None) -> None:
        with self.transaction() as con:
            con.execute(
                "UPDATE runs SET status = ?, finished_at = ?, message = ? WHERE run_id = ?",
                [status, _now(), message, run_id],
            )
            con.execute(
                "UPDATE run_sources SET status = ? WHERE run_id = ? AND status = 'running'",
                [status, run_id],
            )

    def find_interrupted(self, source_key: str) -> Interrupted | None:
        """The latest interrupted run that was reading this input, with its checkpoint."""
        row = first_row(
            self.con.execute(
                "SELECT s.run_id, s.skip_rows + s.rows_done FROM run_sources s JOIN runs r USING (run_id)"
                " WHERE s.source_key = ? AND r.status = 'running' AND s.status = 'running'"
                " ORDER BY s.run_id DESC LIMIT 1",
                [source_key],
            )
        )
        return None if row is None else Interrupted(int(row[0]), int(row[1]))

    def mark_resumed(self, old_run_id: int, by_run_id: int) -> None:
        """Close an interrupted run: its committed batches stay; ``by_run_id`` finishes the rest."""
        with self.transaction() as con:
            con.execute(
                "UPDATE runs SET status = 'resumed', message = ? WHERE run_id = ?",
                [f"interrupted; finished by run {by_run_id}", old_run_id],
            )
            con.execute("UPDATE run_sources SET status = 'resumed' WHERE run_id = ?", [old_run_id])

    def add_run_source(
        self,
        run_id: int,
        *,
        source_key: str,
        path: str,
        source: str,
        fmt: str,
        size: int | None,
        skip_rows: int,
        mapping: dict[str, str],
    ) -> None:
        with self.transaction() as con:
            con.execute(
                "INSERT INTO run_sources (run_id, source_key, path, source, format, bytes, skip_rows,"
                " status, mapping) VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?)",
                [run_id, source_key, path, source, fmt, size, skip_rows, json.dumps(mapping)],
            )

    def record_taxonomy(
        self, content_hash: str, version: str, n_terms: int, terms_json: str
    ) -> None:
        with self.transaction() as con:
            con.execute(
                "INSERT INTO taxonomy_versions VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [content_hash, version, n_terms, _now(), terms_json],
            )

    # -- live sources -------------------------------------------------------------------------------

    def get_cursor(self, source: str, board: str | None) -> str | None:
        row = first_row(
            self.con.execute(
                "SELECT cursor FROM source_cursors WHERE source = ? AND board = ?",
                [source, board or ""],
            )
        )
        return None if row is None else row[0]

    def set_cursor(self, source: str, board: str | None, cursor: str, run_id: int) -> None:
        with self.transaction() as con:
            con.execute(
                "INSERT INTO source_cursors VALUES (?, ?, ?, ?, ?) ON CONFLICT (source, board)"
                " DO UPDATE SET cursor = excluded.cursor, run_id = excluded.run_id,"
                " updated_at = excluded.updated_at",
                [source, board or "", cursor, run_id, _now()],
            )

    def close_missing(self, source: str, board: str | None, listed: set[str]) -> tuple[int, int]:
        """After a complete snapshot fetch: close this board's open postings that were not listed,
        reopen closed ones that were. Returns (closed, reopened)."""
        ids = pa.table({"source_id": pa.array(sorted(listed), pa.string())})
        with self.transaction() as con:
            con.register("_listed", ids)
            try:
                where = "source = ? AND coalesce(board, '') = ?"
                closed = first_row(
                    con.execute(
                        f"UPDATE postings SET closed_at = ? WHERE {where} AND closed_at IS NULL"
                        " AND source_id NOT IN (SELECT source_id FROM _listed)",
                        [_now(), source, board or ""],
                    )
                )
                reopened = first_row(
                    con.execute(
                        f"UPDATE postings SET closed_at = NULL WHERE {where} AND closed_at IS NOT NULL"
                        " AND source_id IN (SELECT source_id FROM _listed)",
                        [source, board or ""],
                    )
                )
            finally:
                _unregister(con, "_listed")
        return (int(closed[0]) if closed else 0, int(reopened[0]) if reopened else 0)

    # -- lookups used by de-duplication ---------------------------------------------------------------

    @contextmanager
    def lookups_beside_writes(self) -> Iterator[None]:
        """Run the de-duplication lookups on a second connection, so that one thread can look up
        the next batch while another writes and commits this one (``pipeline.writing``).

        The lookups see the last *committed* batch; the batch still being written is covered by the
        caller (``dedupe.Overlay``). DuckDB gives each connection its own transaction (MVCC), and a
        connection must not be used by two threads at once, hence a cursor of its own.
        """
        cursor = self.con.cursor()
        cursor.execute("SET enable_progress_bar = false")
        self._lookup_con = cursor
        try:
            yield
        finally:
            self._lookup_con = None
            cursor.close()

    def _lookup(self, sql: str, table: pa.Table) -> list[tuple[Any, ...]]:
        con = self._lookup_con or self.con
        con.register("_lookup_in", table)
        try:
            return con.execute(sql).fetchall()
        finally:
            _unregister(con, "_lookup_in")

    def known_raw_ids(self, raw_ids: Sequence[str]) -> set[str]:
        rows = self._lookup(
            "SELECT r.raw_id FROM raw_postings r JOIN _lookup_in i ON r.raw_id = i.raw_id",
            pa.table({"raw_id": pa.array(raw_ids, pa.string())}),
        )
        return {str(r[0]) for r in rows}

    def known_fingerprints(
        self, fingerprints: Sequence[str], windows: Sequence[str]
    ) -> dict[tuple[str, str], str]:
        """(fingerprint, window) -> posting id, for those already stored."""
        rows = self._lookup(
            "SELECT p.fingerprint, p.dedup_window, min(p.posting_id) FROM postings p"
            " JOIN _lookup_in i ON p.fingerprint = i.fingerprint AND p.dedup_window = i.w"
            " GROUP BY p.fingerprint, p.dedup_window",
            pa.table(
                {
                    "fingerprint": pa.array(fingerprints, pa.string()),
                    "w": pa.array(windows, pa.string()),
                }
            ),
        )
        return {(str(r[0]), str(r[1])): str(r[2]) for r in rows}

    def band_candidates(
        self,
        index: npt.ArrayLike,
        band: npt.ArrayLike,
        key: npt.ArrayLike,
        window: pa.Array,
    ) -> list[tuple[int, str, bytes, str | None]]:
        """(batch index, stored posting id, its signature, its title) for every LSH band
        collision with a stored posting of the same window, each pair once, ordered by batch
        index, then by the stored postings' arrival (ties in similarity keep the earliest).

        The scan of ``minhash_bands`` joins on the key alone and the band is compared on the
        matches: a key is seeded with its band (``MinHasher.band_keys``), so equal keys of two
        bands are as unlikely as any 64-bit collision, and the key-only probe of every stored
        row is what a lookup costs (1M postings: 14M rows, ~40% less CPU than probing both).
        DuckDB would fold a ``WHERE b.band = i.band`` into the join, hence the flag column.
        """
        rows = self._lookup(
            "SELECT i.idx, p.rowid, p.posting_id, p.minhash, p.title, b.band = i.band"
            " FROM _lookup_in i JOIN minhash_bands b ON b.key = i.key"
            " JOIN postings p ON p.posting_id = b.posting_id AND p.dedup_window = i.w",
            pa.table(
                {
                    "idx": pa.array(np.asarray(index, np.int64)),
                    "band": pa.array(np.asarray(band, np.int16)),
                    "key": pa.array(np.asarray(key, np.int64)),
                    "w": window,
                }
            ),
        )
        found = sorted({(int(r[0]), int(r[1])): r for r in rows if r[5]}.items())
        return [(i, str(r[2]), bytes(r[3]), r[4]) for (i, _), r in found]

    # -- the batch write ------------------------------------------------------------------------------

    def write_batch(
        self, run_id: int, source_key: str, batch: WriteBatch, *, rows_done: int
    ) -> None:
        """Write one batch and move the checkpoint, all in one transaction."""
        c = batch.counts
        with self.transaction() as con:
            for table, data in (
                ("raw_postings", batch.raw),
                ("postings", batch.postings),
                ("posting_roles", batch.roles),
                ("minhash_bands", batch.bands),
                ("mentions", batch.mentions),
                ("duplicates", batch.duplicates),
            ):
                if data is not None and data.num_rows:
                    _insert(con, table, data)
            if batch.rejected is not None and batch.rejected.num_rows:
                _insert(con, "rejected", batch.rejected, unless_stored="reject_id")
            con.execute(
                "UPDATE run_sources SET rows_done = ?, n_read = n_read + ?, n_stored = n_stored + ?,"
                " n_rejected = n_rejected + ?, n_duplicates = n_duplicates + ?"
                " WHERE run_id = ? AND source_key = ?",
                [rows_done, c.read, c.stored, c.rejected, c.duplicates, run_id, source_key],
            )
            con.execute(
                "UPDATE runs SET n_read = n_read + ?, n_stored = n_stored + ?,"
                " n_rejected = n_rejected + ?, n_duplicates = n_duplicates + ? WHERE run_id = ?",
                [c.read, c.stored, c.rejected, c.duplicates, run_id],
            )

    def replace_mentions(
        self, run_id: int, postings: Sequence[str], mentions: pa.Table, taxonomy_hash: str
    ) -> None:
        """Re-extraction: swap the mentions of these postings for new ones, in one transaction."""
        ids = pa.table({"posting_id": pa.array(postings, pa.string())})
        with self.transaction() as con:
            con.register("_ids", ids)
            try:
                con.execute(
                    "DELETE FROM mentions WHERE posting_id IN (SELECT posting_id FROM _ids)"
                )
                if mentions.num_rows:
                    _insert(con, "mentions", mentions)
                con.execute(
                    "UPDATE postings SET extracted_hash = ?"
                    " WHERE posting_id IN (SELECT posting_id FROM _ids)",
                    [taxonomy_hash],
                )
                con.execute(
                    "UPDATE runs SET n_read = n_read + ?, n_stored = n_stored + ? WHERE run_id = ?",
                    [len(postings), len(postings), run_id],
                )
            finally:
                _unregister(con, "_ids")


def _insert(
    con: duckdb.DuckDBPyConnection, table: str, data: pa.Table, unless_stored: str = ""
) -> None:
    """Append ``data`` to ``table``; with ``unless_stored``, only rows whose value of that key
    column is new (to the table and earlier in ``data``): the per-posting tables carry no
    primary-key index (migration 5), so "insert if absent" is this anti-join."""
    cols = ", ".join(f'"{c}"' for c in data.column_names)
    con.register("_batch", data)
    try:
        if unless_stored:
            key = f'"{unless_stored}"'
            con.execute(
                f"INSERT INTO {table} ({cols}) SELECT DISTINCT ON ({key}) {cols} FROM _batch b"
                f" WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE t.{key} = b.{key})"
            )
        else:
            con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _batch")
    finally:
        _unregister(con, "_batch")


def open_store(
    path: Path | str, *, read_only: bool = False, memory_limit: str | None = None
) -> Store:
    return Store(path, read_only=read_only, memory_limit=memory_limit)


def _unregister(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Drop a registered Arrow view without masking the error that got us here.

    After a failed statement inside a transaction, DuckDB refuses everything but ROLLBACK, so an
    ``unregister`` in a ``finally`` would raise "Current transaction is aborted" and hide the real
    error (seen at 2M postings); the view goes with the rollback anyway.
    """
    with suppress(duckdb.Error):
        con.unregister(name)

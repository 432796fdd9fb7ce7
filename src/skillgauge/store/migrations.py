"""Versioned schema migrations: named, applied in order, one transaction each, recorded in the store.

Why not ``CREATE TABLE IF NOT EXISTS`` at start-up: a published database must be upgradable in place, and a
reader must be able to tell which schema produced a file. Each migration is appended, never edited once
released; ``schema_migrations`` records which ran and when.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from skillgauge.exceptions import StoreError


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "initial schema: runs, raw postings, postings, roles, mentions, rejected, duplicates, taxonomy",
        """
        CREATE SEQUENCE run_id_seq START 1;
        CREATE TABLE runs (
            run_id              INTEGER PRIMARY KEY,
            kind                VARCHAR NOT NULL,     -- ingest | extract
            status              VARCHAR NOT NULL,     -- running | complete | failed | resumed
            started_at          TIMESTAMP NOT NULL,
            finished_at         TIMESTAMP,
            command             VARCHAR,
            skillgauge_version  VARCHAR,
            taxonomy_version    VARCHAR,
            taxonomy_hash       VARCHAR,
            roles_version       VARCHAR,
            settings            JSON,
            resumed_run_id      INTEGER,              -- the interrupted run this one finished
            n_read              BIGINT NOT NULL DEFAULT 0,
            n_stored            BIGINT NOT NULL DEFAULT 0,
            n_rejected          BIGINT NOT NULL DEFAULT 0,
            n_duplicates        BIGINT NOT NULL DEFAULT 0,
            message             VARCHAR
        );
        CREATE TABLE run_sources (
            run_id        INTEGER NOT NULL,
            source_key    VARCHAR NOT NULL,   -- identity of the input: path + size + mtime + content sample
            path          VARCHAR NOT NULL,
            source        VARCHAR NOT NULL,   -- the source name postings are recorded under
            format        VARCHAR NOT NULL,
            bytes         BIGINT,
            skip_rows     BIGINT NOT NULL DEFAULT 0, -- records skipped because an earlier run stored them
            rows_done     BIGINT NOT NULL DEFAULT 0, -- checkpoint: records fully written (committed)
            n_read        BIGINT NOT NULL DEFAULT 0,
            n_stored      BIGINT NOT NULL DEFAULT 0,
            n_rejected    BIGINT NOT NULL DEFAULT 0,
            n_duplicates  BIGINT NOT NULL DEFAULT 0,
            status        VARCHAR NOT NULL,   -- running | complete | resumed
            mapping       JSON,
            PRIMARY KEY (run_id, source_key)
        );
        CREATE TABLE raw_postings (
            raw_id      VARCHAR PRIMARY KEY,  -- blake2b(source, canonical payload)
            run_id      INTEGER NOT NULL,
            source      VARCHAR NOT NULL,
            source_key  VARCHAR NOT NULL,
            position    BIGINT NOT NULL,
            payload     JSON NOT NULL
        );
        CREATE TABLE postings (
            posting_id       VARCHAR PRIMARY KEY, -- the raw_id of the record that was kept
            run_id           INTEGER NOT NULL,
            source           VARCHAR NOT NULL,
            source_id        VARCHAR,
            url              VARCHAR,
            title            VARCHAR,
            company          VARCHAR,
            location         VARCHAR,
            remote           BOOLEAN,
            date_posted      DATE,
            date_raw         VARCHAR,
            salary_min       DOUBLE,
            salary_max       DOUBLE,
            salary_currency  VARCHAR,
            salary_period    VARCHAR,
            salary_text      VARCHAR,
            employment_type  VARCHAR,
            seniority_hint   VARCHAR,
            role_hint        VARCHAR,
            text             VARCHAR,  -- cleaned plain text (the original: raw_postings.payload)
            seniority        VARCHAR NOT NULL,
            fingerprint      VARCHAR NOT NULL,
            dedup_window     VARCHAR NOT NULL, -- duplicates collapse within it: YYYY-MM or 'undated'
            minhash          BLOB,     -- MinHash signature (uint32 little-endian) for near-dup checks
            extracted_hash   VARCHAR   -- taxonomy content hash of the mentions now stored
        );
        CREATE TABLE posting_roles (
            posting_id  VARCHAR NOT NULL,
            role        VARCHAR NOT NULL,
            PRIMARY KEY (posting_id, role)
        );
        CREATE TABLE minhash_bands (
            band        SMALLINT NOT NULL,
            key         BIGINT NOT NULL,
            posting_id  VARCHAR NOT NULL
        );
        CREATE TABLE mentions (
            posting_id  VARCHAR NOT NULL,
            term_id     VARCHAR NOT NULL,
            start_pos   INTEGER NOT NULL,  -- offsets into the title, a newline, then the text
            end_pos     INTEGER NOT NULL,
            surface     VARCHAR NOT NULL
        );
        CREATE TABLE rejected (
            reject_id   VARCHAR PRIMARY KEY,  -- blake2b(source, position, raw): a re-run adds nothing
            run_id      INTEGER NOT NULL,
            source      VARCHAR NOT NULL,
            source_key  VARCHAR NOT NULL,
            path        VARCHAR,
            position    BIGINT NOT NULL,
            reason      VARCHAR NOT NULL,
            payload     VARCHAR
        );
        CREATE TABLE duplicates (
            raw_id      VARCHAR PRIMARY KEY,
            posting_id  VARCHAR NOT NULL,   -- the kept posting of the cluster
            kind        VARCHAR NOT NULL,   -- exact | near
            similarity  DOUBLE,
            run_id      INTEGER NOT NULL,
            source      VARCHAR NOT NULL
        );
        CREATE TABLE taxonomy_versions (
            content_hash  VARCHAR PRIMARY KEY,
            version       VARCHAR NOT NULL,
            n_terms       INTEGER NOT NULL,
            first_used    TIMESTAMP NOT NULL,
            terms         JSON NOT NULL
        );
        """,
    ),
    Migration(
        2,
        "live sources: board and open/closed state of postings, per-source cursors",
        """
        ALTER TABLE postings ADD COLUMN board VARCHAR;        -- company board / site, when a source has one
        ALTER TABLE postings ADD COLUMN closed_at TIMESTAMP;  -- set when a snapshot source stops listing it
        CREATE TABLE source_cursors (
            source      VARCHAR NOT NULL,
            board       VARCHAR NOT NULL,   -- '' for sources without boards
            cursor      VARCHAR,            -- what the next collect resumes from (source-defined)
            run_id      INTEGER NOT NULL,
            updated_at  TIMESTAMP NOT NULL,
            PRIMARY KEY (source, board)
        );
        CREATE VIEW posting_sources AS      -- every source a unique posting was seen in
            SELECT posting_id, source, 'kept' AS role FROM postings
            UNION ALL
            SELECT posting_id, source, 'duplicate' AS role FROM duplicates;
        """,
    ),
    Migration(
        3,
        "where a posting's salary came from: a field of the source, or its text",
        """
        ALTER TABLE postings ADD COLUMN salary_source VARCHAR;  -- 'field' | 'text' | NULL (none stated)
        UPDATE postings SET salary_source = 'field'
            WHERE salary_min IS NOT NULL OR salary_max IS NOT NULL;
        """,
    ),
    Migration(
        4,
        "pre-aggregated role x term counts, so the shares query does not join every mention",
        """
        CREATE TABLE role_term_counts (      -- unique postings of a role that mention a term
            role     VARCHAR NOT NULL,       -- a role id, or 'all' for every posting
            term_id  VARCHAR NOT NULL,
            count    BIGINT NOT NULL,
            PRIMARY KEY (role, term_id)
        );
        CREATE TABLE role_posting_counts (   -- unique postings per role ('all' included)
            role     VARCHAR PRIMARY KEY,
            n        BIGINT NOT NULL
        );
        CREATE TABLE aggregate_state (       -- what the aggregates were computed from (see queries.py)
            name     VARCHAR PRIMARY KEY,
            stamp    VARCHAR NOT NULL
        );
        """,
    ),
    Migration(
        5,
        "no primary-key indexes on the per-posting tables: uniqueness is the pipeline's job",
        # Why: DuckDB keeps a table's ART index in memory once used, counted but never evicted,
        # and rewrites it at checkpoints. At ~70 bytes per key, the five per-posting tables' keys
        # outgrew a 512 MB memory limit at about 2M postings (the 5M benchmark stopped there), and
        # each checkpoint took longer as they grew. Uniqueness never depended on them: the one
        # writer checks raw ids, fingerprints and reject ids against the store before every batch,
        # in the batch's transaction (pipeline.dedupe, Store.write_batch); tests check it. The
        # tables are rebuilt (DuckDB cannot drop a constraint), NOT NULLs kept, order unchanged.
        """
        CREATE TABLE raw_postings__v5 AS SELECT * FROM raw_postings;
        ALTER TABLE raw_postings__v5 ALTER COLUMN raw_id SET NOT NULL;
        ALTER TABLE raw_postings__v5 ALTER COLUMN run_id SET NOT NULL;
        ALTER TABLE raw_postings__v5 ALTER COLUMN source SET NOT NULL;
        ALTER TABLE raw_postings__v5 ALTER COLUMN source_key SET NOT NULL;
        ALTER TABLE raw_postings__v5 ALTER COLUMN position SET NOT NULL;
        ALTER TABLE raw_postings__v5 ALTER COLUMN payload SET NOT NULL;
        DROP TABLE raw_postings;
        ALTER TABLE raw_postings__v5 RENAME TO raw_postings;
        CREATE TABLE postings__v5 AS SELECT * FROM postings;
        ALTER TABLE postings__v5 ALTER COLUMN posting_id SET NOT NULL;
        ALTER TABLE postings__v5 ALTER COLUMN run_id SET NOT NULL;
        ALTER TABLE postings__v5 ALTER COLUMN source SET NOT NULL;
        ALTER TABLE postings__v5 ALTER COLUMN seniority SET NOT NULL;
        ALTER TABLE postings__v5 ALTER COLUMN fingerprint SET NOT NULL;
        ALTER TABLE postings__v5 ALTER COLUMN dedup_window SET NOT NULL;
        DROP TABLE postings;
        ALTER TABLE postings__v5 RENAME TO postings;
        CREATE TABLE posting_roles__v5 AS SELECT * FROM posting_roles;
        ALTER TABLE posting_roles__v5 ALTER COLUMN posting_id SET NOT NULL;
        ALTER TABLE posting_roles__v5 ALTER COLUMN role SET NOT NULL;
        DROP TABLE posting_roles;
        ALTER TABLE posting_roles__v5 RENAME TO posting_roles;
        CREATE TABLE duplicates__v5 AS SELECT * FROM duplicates;
        ALTER TABLE duplicates__v5 ALTER COLUMN raw_id SET NOT NULL;
        ALTER TABLE duplicates__v5 ALTER COLUMN posting_id SET NOT NULL;
        ALTER TABLE duplicates__v5 ALTER COLUMN kind SET NOT NULL;
        ALTER TABLE duplicates__v5 ALTER COLUMN run_id SET NOT NULL;
        ALTER TABLE duplicates__v5 ALTER COLUMN source SET NOT NULL;
        DROP TABLE duplicates;
        ALTER TABLE duplicates__v5 RENAME TO duplicates;
        CREATE TABLE rejected__v5 AS SELECT * FROM rejected;
        ALTER TABLE rejected__v5 ALTER COLUMN reject_id SET NOT NULL;
        ALTER TABLE rejected__v5 ALTER COLUMN run_id SET NOT NULL;
        ALTER TABLE rejected__v5 ALTER COLUMN source SET NOT NULL;
        ALTER TABLE rejected__v5 ALTER COLUMN source_key SET NOT NULL;
        ALTER TABLE rejected__v5 ALTER COLUMN position SET NOT NULL;
        ALTER TABLE rejected__v5 ALTER COLUMN reason SET NOT NULL;
        DROP TABLE rejected;
        ALTER TABLE rejected__v5 RENAME TO rejected;
        """,
    ),
    Migration(
        6,
        "the two long text columns (raw payload, cleaned text) compressed with ZSTD",
        # Why: writing a batch is the critical path of a large ingest, and most of a commit is
        # DuckDB choosing and applying its string compression (FSST) to these two columns at each
        # checkpoint. ZSTD costs less to write and makes a smaller file (docs/performance.md has
        # the figures); the short, repetitive strings (ids, terms, roles) keep DuckDB's own choice,
        # which reads faster. Same columns, types, order and NOT NULL guards as before.
        """
        CREATE TABLE raw_postings__v6 (
            raw_id      VARCHAR NOT NULL,
            run_id      INTEGER NOT NULL,
            source      VARCHAR NOT NULL,
            source_key  VARCHAR NOT NULL,
            position    BIGINT NOT NULL,
            payload     JSON NOT NULL USING COMPRESSION zstd
        );
        INSERT INTO raw_postings__v6 BY NAME SELECT * FROM raw_postings;
        DROP TABLE raw_postings;
        ALTER TABLE raw_postings__v6 RENAME TO raw_postings;
        CREATE TABLE postings__v6 (
            posting_id       VARCHAR NOT NULL,
            run_id           INTEGER NOT NULL,
            source           VARCHAR NOT NULL,
            source_id        VARCHAR,
            url              VARCHAR,
            title            VARCHAR,
            company          VARCHAR,
            location         VARCHAR,
            remote           BOOLEAN,
            date_posted      DATE,
            date_raw         VARCHAR,
            salary_min       DOUBLE,
            salary_max       DOUBLE,
            salary_currency  VARCHAR,
            salary_period    VARCHAR,
            salary_text      VARCHAR,
            employment_type  VARCHAR,
            seniority_hint   VARCHAR,
            role_hint        VARCHAR,
            text             VARCHAR USING COMPRESSION zstd,
            seniority        VARCHAR NOT NULL,
            fingerprint      VARCHAR NOT NULL,
            dedup_window     VARCHAR NOT NULL,
            minhash          BLOB,
            extracted_hash   VARCHAR,
            board            VARCHAR,
            closed_at        TIMESTAMP,
            salary_source    VARCHAR
        );
        INSERT INTO postings__v6 BY NAME SELECT * FROM postings;
        DROP TABLE postings;
        ALTER TABLE postings__v6 RENAME TO postings;
        """,
    ),
    Migration(
        7,
        "the de-duplication keys (raw id, posting id, fingerprint) stored uncompressed",
        # Why: before every batch the writer looks its records up by these columns (pipeline.dedupe),
        # and each lookup scans the whole column: DuckDB keeps no index on them (migration 5). They
        # are random hex, which DuckDB stores with DICT_FSST, and decoding that is most of the scan:
        # measured on a store of 1M postings, 5,000 raw ids looked up in 34 ms of CPU against 13 ms
        # uncompressed (docs/performance.md). Uncompressed they cost ~32 bytes a row more on disk.
        # Same columns, types, order, NOT NULL guards and rows as before.
        """
        CREATE TABLE raw_postings__v7 (
            raw_id      VARCHAR NOT NULL USING COMPRESSION uncompressed,
            run_id      INTEGER NOT NULL,
            source      VARCHAR NOT NULL,
            source_key  VARCHAR NOT NULL,
            position    BIGINT NOT NULL,
            payload     JSON NOT NULL USING COMPRESSION zstd
        );
        INSERT INTO raw_postings__v7 BY NAME SELECT * FROM raw_postings;
        DROP TABLE raw_postings;
        ALTER TABLE raw_postings__v7 RENAME TO raw_postings;
        CREATE TABLE postings__v7 (
            posting_id       VARCHAR NOT NULL USING COMPRESSION uncompressed,
            run_id           INTEGER NOT NULL,
            source           VARCHAR NOT NULL,
            source_id        VARCHAR,
            url              VARCHAR,
            title            VARCHAR,
            company          VARCHAR,
            location         VARCHAR,
            remote           BOOLEAN,
            date_posted      DATE,
            date_raw         VARCHAR,
            salary_min       DOUBLE,
            salary_max       DOUBLE,
            salary_currency  VARCHAR,
            salary_period    VARCHAR,
            salary_text      VARCHAR,
            employment_type  VARCHAR,
            seniority_hint   VARCHAR,
            role_hint        VARCHAR,
            text             VARCHAR USING COMPRESSION zstd,
            seniority        VARCHAR NOT NULL,
            fingerprint      VARCHAR NOT NULL USING COMPRESSION uncompressed,
            dedup_window     VARCHAR NOT NULL,
            minhash          BLOB,
            extracted_hash   VARCHAR,
            board            VARCHAR,
            closed_at        TIMESTAMP,
            salary_source    VARCHAR
        );
        INSERT INTO postings__v7 BY NAME SELECT * FROM postings;
        DROP TABLE postings;
        ALTER TABLE postings__v7 RENAME TO postings;
        """,
    ),
    Migration(
        8,
        "the MinHash signatures stored uncompressed",
        # Why: a signature is 128 random 32-bit values, which no compression shrinks; DuckDB still
        # tried DICT_FSST on every segment of it at each checkpoint (199 segments for 200,000
        # postings), which was 10-14% of the CPU of writing a batch (docs/performance.md). The
        # near-duplicate lookups read the signatures of their candidates, undecoded now.
        # Same columns, types, order, NOT NULL guards and rows as before.
        """
        CREATE TABLE postings__v8 (
            posting_id       VARCHAR NOT NULL USING COMPRESSION uncompressed,
            run_id           INTEGER NOT NULL,
            source           VARCHAR NOT NULL,
            source_id        VARCHAR,
            url              VARCHAR,
            title            VARCHAR,
            company          VARCHAR,
            location         VARCHAR,
            remote           BOOLEAN,
            date_posted      DATE,
            date_raw         VARCHAR,
            salary_min       DOUBLE,
            salary_max       DOUBLE,
            salary_currency  VARCHAR,
            salary_period    VARCHAR,
            salary_text      VARCHAR,
            employment_type  VARCHAR,
            seniority_hint   VARCHAR,
            role_hint        VARCHAR,
            text             VARCHAR USING COMPRESSION zstd,
            seniority        VARCHAR NOT NULL,
            fingerprint      VARCHAR NOT NULL USING COMPRESSION uncompressed,
            dedup_window     VARCHAR NOT NULL,
            minhash          BLOB USING COMPRESSION uncompressed,
            extracted_hash   VARCHAR,
            board            VARCHAR,
            closed_at        TIMESTAMP,
            salary_source    VARCHAR
        );
        INSERT INTO postings__v8 BY NAME SELECT * FROM postings;
        DROP TABLE postings;
        ALTER TABLE postings__v8 RENAME TO postings;
        """,
    ),
)

LATEST = MIGRATIONS[-1].version


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply every migration not yet recorded; returns the versions applied."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
    )
    rows = con.execute("SELECT version FROM schema_migrations").fetchall()
    done = {int(r[0]) for r in rows}
    if done and max(done) > LATEST:
        raise StoreError(
            f"the database has schema version {max(done)}, newer than this skillgauge knows "
            f"({LATEST}); upgrade skillgauge"
        )
    applied: list[int] = []
    for m in MIGRATIONS:
        if m.version in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(m.sql)
            con.execute("INSERT INTO schema_migrations VALUES (?, ?, now())", [m.version, m.name])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(m.version)
    return applied


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The newest migration recorded in the store (0 for an empty file)."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
    ).fetchall()
    if not exists or not exists[0][0]:
        return 0
    row = con.execute("SELECT max(version) FROM schema_migrations").fetchall()
    return int(row[0][0] or 0) if row else 0

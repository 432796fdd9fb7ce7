"""The one home of the SQL that reads the store, used by the CLI, the Python API and the reports.

Every share is over *unique* postings: duplicates never enter ``postings`` (they are in ``duplicates``),
so counting ``postings`` rows counts unique postings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import duckdb
import pandas as pd

from skillgauge.store.db import first_row

ALL_ROLES = "all"


def count_to_extract(con: duckdb.DuckDBPyConnection, taxonomy_hash: str | None) -> int:
    row = first_row(
        con.execute(
            "SELECT count(*) FROM postings WHERE ? IS NULL OR extracted_hash IS DISTINCT FROM ?",
            [taxonomy_hash, taxonomy_hash],
        )
    )
    return int(row[0]) if row else 0


def iter_documents(
    con: duckdb.DuckDBPyConnection, taxonomy_hash: str | None, batch_size: int
) -> Iterator[list[tuple[str, str]]]:
    """(posting id, title + newline + text) in posting-id order, keyset-paginated so that writes
    between batches (re-extraction updates) do not disturb the walk."""
    last = ""
    while True:
        rows = con.execute(
            "SELECT posting_id, coalesce(title, '') || chr(10) || coalesce(text, '') FROM postings"
            " WHERE posting_id > ? AND (? IS NULL OR extracted_hash IS DISTINCT FROM ?)"
            " ORDER BY posting_id LIMIT ?",
            [last, taxonomy_hash, taxonomy_hash, batch_size],
        ).fetchall()
        if not rows:
            return
        yield [(str(r[0]), str(r[1])) for r in rows]
        last = str(rows[-1][0])


def _role_filter(roles: Sequence[str]) -> tuple[str, list[str]]:
    """SQL producing (role, posting_id) for the requested roles; ``all`` is every posting."""
    parts: list[str] = []
    params: list[str] = []
    named = [r for r in roles if r != ALL_ROLES]
    if named:
        placeholders = ", ".join("?" for _ in named)
        parts.append(f"SELECT role, posting_id FROM posting_roles WHERE role IN ({placeholders})")
        params.extend(named)
    if ALL_ROLES in roles:
        parts.append(f"SELECT '{ALL_ROLES}' AS role, posting_id FROM postings")
    return " UNION ALL ".join(parts), params


def role_sizes(con: duckdb.DuckDBPyConnection, roles: Sequence[str]) -> dict[str, int]:
    """Unique postings per role (0 for a role with none)."""
    sizes = dict.fromkeys(roles, 0)
    if not roles:
        return sizes
    if ensure_aggregates(con):
        placeholders = ", ".join("?" for _ in roles)
        rows = con.execute(
            f"SELECT role, n FROM role_posting_counts WHERE role IN ({placeholders})", list(roles)
        ).fetchall()
    else:
        sql, params = _role_filter(roles)
        rows = con.execute(
            f"SELECT role, count(DISTINCT posting_id) FROM ({sql}) GROUP BY role", params
        ).fetchall()
    sizes.update({str(r[0]): int(r[1]) for r in rows})
    return sizes


def term_counts(con: duckdb.DuckDBPyConnection, roles: Sequence[str]) -> pd.DataFrame:
    """Postings per (role, term) that mention the term at least once: columns role, term_id, count."""
    if not roles:
        return pd.DataFrame({"role": [], "term_id": [], "count": []})
    if ensure_aggregates(con):
        placeholders = ", ".join("?" for _ in roles)
        return con.execute(
            f"SELECT role, term_id, count FROM role_term_counts WHERE role IN ({placeholders})",
            list(roles),
        ).df()
    sql, params = _role_filter(roles)
    return con.execute(
        f"SELECT r.role, m.term_id, count(DISTINCT m.posting_id) AS count"
        f" FROM ({sql}) r JOIN mentions m USING (posting_id)"
        f" GROUP BY r.role, m.term_id",
        params,
    ).df()


# -- pre-aggregated role x term counts ---------------------------------------------------------------
# The shares query is the one every report, API call and dashboard view runs. Joining every posting's
# mentions with its roles costs ~1.6 s at 1M postings; the counts change only when a run writes, so
# they are kept in two small tables, stamped with what they were computed from. Every write to
# postings, roles or mentions goes through a run whose ``runs`` row counts it (``write_batch`` and
# ``replace_mentions`` add to ``n_read``), so the stamp below changes with every write, and a stale
# table is never read: it is rebuilt, or (on a read-only connection) bypassed.

_AGGREGATES = "role_term_counts"


def _stamp(con: duckdb.DuckDBPyConnection) -> str:
    row = first_row(
        con.execute(
            "SELECT count(*), coalesce(max(run_id), 0), coalesce(sum(n_read), 0),"
            " coalesce(sum(n_stored), 0) FROM runs"
        )
    )
    return ":".join(str(v) for v in (row or ()))


def aggregates_fresh(con: duckdb.DuckDBPyConnection) -> bool:
    row = first_row(con.execute("SELECT stamp FROM aggregate_state WHERE name = ?", [_AGGREGATES]))
    return row is not None and row[0] == _stamp(con)


def refresh_aggregates(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute the role x term counts from postings, roles and mentions, in one transaction."""
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM role_term_counts")
        con.execute("DELETE FROM role_posting_counts")
        # Plain counts, not count(DISTINCT ...): (posting_id, role) and (posting_id, term_id) are
        # unique in these inputs, and DuckDB's DISTINCT aggregates hold their sets in memory. Each
        # statement computes its own posting x term set: a CTE shared by both halves of a UNION is
        # materialised in memory, which ran out of the 512 MB limit at 5M postings (33M rows).
        con.execute(
            "INSERT INTO role_posting_counts SELECT role, count(*) FROM posting_roles GROUP BY role"
        )
        con.execute(f"INSERT INTO role_posting_counts SELECT '{ALL_ROLES}', count(*) FROM postings")
        con.execute(
            "INSERT INTO role_term_counts SELECT r.role, pt.term_id, count(*)"
            " FROM posting_roles r"
            " JOIN (SELECT posting_id, term_id FROM mentions GROUP BY posting_id, term_id) pt"
            " USING (posting_id) GROUP BY r.role, pt.term_id"
        )
        con.execute(
            f"INSERT INTO role_term_counts SELECT '{ALL_ROLES}', term_id, count(*)"
            " FROM (SELECT posting_id, term_id FROM mentions GROUP BY posting_id, term_id)"
            " WHERE posting_id IN (SELECT posting_id FROM postings) GROUP BY term_id"
        )
        con.execute(
            "INSERT INTO aggregate_state VALUES (?, ?) ON CONFLICT (name)"
            " DO UPDATE SET stamp = excluded.stamp",
            [_AGGREGATES, _stamp(con)],
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def ensure_aggregates(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the pre-aggregated counts are current (rebuilding them if stale and writable)."""
    try:
        if aggregates_fresh(con):
            return True
        refresh_aggregates(con)
    except duckdb.Error:  # a read-only connection, or a store older than migration 4
        return False
    return True


def role_counts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Unique postings per role, largest first."""
    return con.execute(
        "SELECT role, count(*) AS postings FROM posting_roles GROUP BY role ORDER BY postings DESC"
    ).df()


@dataclass(frozen=True)
class CorpusFacts:
    """What a report's manifest states about the corpus it was computed from."""

    postings: int
    raw_read: int
    rejected: int
    duplicates: int
    date_min: dt.date | None
    date_max: dt.date | None
    sources: list[tuple[str, int]]
    taxonomy_hashes: list[str]


def corpus_facts(con: duckdb.DuckDBPyConnection) -> CorpusFacts:
    row = first_row(
        con.execute("SELECT count(*), min(date_posted), max(date_posted) FROM postings")
    )
    assert row is not None
    counts = first_row(
        con.execute(
            "SELECT coalesce(sum(n_read), 0), coalesce(sum(n_rejected), 0),"
            " coalesce(sum(n_duplicates), 0) FROM runs WHERE kind = 'ingest'"
        )
    )
    assert counts is not None
    sources = con.execute(
        "SELECT source, count(*) FROM postings GROUP BY source ORDER BY count(*) DESC, source"
    ).fetchall()
    hashes = con.execute(
        "SELECT DISTINCT extracted_hash FROM postings WHERE extracted_hash IS NOT NULL"
    ).fetchall()
    return CorpusFacts(
        postings=int(row[0]),
        raw_read=int(counts[0]),
        rejected=int(counts[1]),
        duplicates=int(counts[2]),
        date_min=row[1],
        date_max=row[2],
        sources=[(str(s), int(n)) for s, n in sources],
        taxonomy_hashes=sorted(str(h[0]) for h in hashes),
    )


def runs(con: duckdb.DuckDBPyConnection, limit: int = 50) -> pd.DataFrame:
    """The audit trail, newest first; ``incomplete`` is true for a run that never finished."""
    return con.execute(
        "SELECT run_id, kind, status, status = 'running' AS incomplete, started_at, finished_at,"
        " n_read, n_stored, n_rejected, n_duplicates,"
        " n_read = n_stored + n_rejected + n_duplicates AS reconciles,"
        " taxonomy_version, resumed_run_id, message, command"
        " FROM runs ORDER BY run_id DESC LIMIT ?",
        [limit],
    ).df()


def rejected(
    con: duckdb.DuckDBPyConnection, run_id: int | None = None, limit: int = 100
) -> pd.DataFrame:
    return con.execute(
        "SELECT run_id, source, path, position, reason, left(payload, 200) AS payload"
        " FROM rejected WHERE ? IS NULL OR run_id = ? ORDER BY run_id, path, position LIMIT ?",
        [run_id, run_id, limit],
    ).df()


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows per table: what consistency checks and ``/-/versions`` report."""
    out: dict[str, int] = {}
    for table in (
        "runs",
        "raw_postings",
        "postings",
        "posting_roles",
        "mentions",
        "rejected",
        "duplicates",
        "taxonomy_versions",
    ):
        row = first_row(con.execute(f"SELECT count(*) FROM {table}"))
        out[table] = int(row[0]) if row else 0
    return out


def _page_lists(empty: str) -> str:
    """The roles and distinct terms of the postings of a ``page`` CTE, joined to it; completes a
    ``WITH page AS (...),`` query. ``empty``: what a posting with none gets (``[]`` or ``NULL``)."""
    return (
        " page_roles AS (SELECT r.posting_id, list(r.role ORDER BY r.role) AS roles"
        "   FROM posting_roles r SEMI JOIN page USING (posting_id) GROUP BY r.posting_id),"
        " page_terms AS (SELECT m.posting_id, list(DISTINCT m.term_id ORDER BY m.term_id) AS terms"
        "   FROM mentions m SEMI JOIN page USING (posting_id) GROUP BY m.posting_id)"
        f" SELECT page.*, coalesce(page_roles.roles, {empty}) AS roles,"
        f" coalesce(page_terms.terms, {empty}) AS terms"
        " FROM page LEFT JOIN page_roles USING (posting_id) LEFT JOIN page_terms USING (posting_id)"
    )


def postings_frame(
    con: duckdb.DuckDBPyConnection, role: str | None = None, limit: int = 100
) -> pd.DataFrame:
    """Stored postings (unique), optionally of one role, with their roles and terms."""
    # The page is chosen first, then only its postings' roles and terms are gathered (semi-joins
    # on the page): as correlated subqueries, DuckDB built the lists for every stored posting
    # before the LIMIT (3.3-3.8 s for 100 postings at 1M; now ~0.1 s).
    return con.execute(
        "WITH page AS (SELECT p.posting_id, p.source, p.title, p.company, p.location,"
        "   p.date_posted, p.seniority FROM postings p"
        "   WHERE ? IS NULL OR EXISTS (SELECT 1 FROM posting_roles r"
        "     WHERE r.posting_id = p.posting_id AND r.role = ?)"
        "   ORDER BY p.date_posted NULLS LAST, p.posting_id LIMIT ?),"
        + _page_lists("NULL")
        + " ORDER BY page.date_posted NULLS LAST, page.posting_id",
        [role, role, limit],
    ).df()


# -- frames for the analyses (analyze/ works on these; pure functions of DataFrames) ---------------


def posting_meta(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per unique posting: posting_id, source, board, date_posted, seniority, remote,
    location, company, salary_min, salary_max, salary_currency, salary_period, salary_source
    ('field' or 'text'), closed."""
    return con.execute(
        "SELECT posting_id, source, board, date_posted, seniority, remote, location, company,"
        " salary_min, salary_max, salary_currency, salary_period, salary_source,"
        " closed_at IS NOT NULL AS closed"
        " FROM postings ORDER BY posting_id"
    ).df()


def posting_roles_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """(posting_id, role): a posting listing several roles has several rows."""
    return con.execute("SELECT posting_id, role FROM posting_roles ORDER BY posting_id, role").df()


def posting_terms(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """(posting_id, term_id) for every term a posting mentions at least once (posting level)."""
    return con.execute(
        "SELECT DISTINCT posting_id, term_id FROM mentions ORDER BY posting_id, term_id"
    ).df()


# -- REST API (skillgauge.api): paginated postings search ------------------------------------------


@dataclass(frozen=True)
class PostingsPage:
    """One page of a postings search: the total matching count and the page's rows."""

    total: int
    items: pd.DataFrame


def _postings_where(role: str | None, q: str | None) -> tuple[str, list[object]]:
    """WHERE clause of a postings search: optional role, optional case-insensitive substring of
    title, company or text. ``contains`` (not LIKE) so ``%`` and ``_`` in a query are literal."""
    clauses: list[str] = []
    params: list[object] = []
    if role is not None and role != ALL_ROLES:
        clauses.append(
            "EXISTS (SELECT 1 FROM posting_roles r WHERE r.posting_id = p.posting_id AND r.role = ?)"
        )
        params.append(role)
    if q:
        clauses.append(
            "(contains(lower(coalesce(p.title, '')), ?) OR contains(lower(coalesce(p.company, '')), ?)"
            " OR contains(lower(coalesce(p.text, '')), ?))"
        )
        needle = q.lower()
        params.extend([needle, needle, needle])
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def postings_page(
    con: duckdb.DuckDBPyConnection,
    *,
    role: str | None = None,
    q: str | None = None,
    offset: int = 0,
    limit: int = 20,
) -> PostingsPage:
    """Unique postings matching ``role`` and ``q``, newest first (undated last), then by id so
    pages are stable; each with its roles and distinct terms."""
    where, params = _postings_where(role, q)
    row = first_row(con.execute(f"SELECT count(*) FROM postings p{where}", params))
    total = int(row[0]) if row else 0
    # the page first, then its roles and terms (see postings_frame)
    items = con.execute(
        "WITH page AS (SELECT p.posting_id, p.source, p.title, p.company, p.location,"
        f"   p.date_posted FROM postings p{where}"
        "   ORDER BY p.date_posted DESC NULLS LAST, p.posting_id LIMIT ? OFFSET ?),"
        + _page_lists("[]")
        + " ORDER BY page.date_posted DESC NULLS LAST, page.posting_id",
        [*params, limit, offset],
    ).df()
    return PostingsPage(total=total, items=items)


# -- taxonomy tools (skillgauge taxonomy diff / candidates) -----------------------------------------


def iter_role_documents(
    con: duckdb.DuckDBPyConnection, roles: Sequence[str], batch_size: int = 2000
) -> Iterator[list[tuple[str, tuple[str, ...]]]]:
    """(title + newline + text, the posting's roles among ``roles``) for every unique posting in
    at least one of ``roles`` (``all``: every posting), in posting-id order, keyset-paginated.
    The text is what extraction reads (see :func:`iter_documents`)."""
    named = [r for r in roles if r != ALL_ROLES]
    every = ALL_ROLES in roles
    in_list = ", ".join("?" for _ in named) or "NULL"
    where = (
        ""
        if every
        else " AND EXISTS (SELECT 1 FROM posting_roles r"
        f" WHERE r.posting_id = p.posting_id AND r.role IN ({in_list}))"
    )
    last = ""
    while True:
        rows = con.execute(
            "SELECT p.posting_id, coalesce(p.title, '') || chr(10) || coalesce(p.text, ''),"
            " coalesce((SELECT list(r.role ORDER BY r.role) FROM posting_roles r"
            f"   WHERE r.posting_id = p.posting_id AND r.role IN ({in_list})), [])"
            f" FROM postings p WHERE p.posting_id > ?{where} ORDER BY p.posting_id LIMIT ?",
            [*named, last, *([] if every else named), batch_size],
        ).fetchall()
        if not rows:
            return
        extra = (ALL_ROLES,) if every else ()
        yield [(str(r[1]), (*(str(x) for x in r[2]), *extra)) for r in rows]
        last = str(rows[-1][0])


@dataclass(frozen=True)
class CandidateDocument:
    """What candidate mining reads of a posting: its text, date and company (to tell a product
    from the advertiser's own name)."""

    posting_id: str
    text: str
    date_posted: dt.date | None
    company: str | None


def iter_candidate_documents(
    con: duckdb.DuckDBPyConnection, batch_size: int = 2000
) -> Iterator[list[CandidateDocument]]:
    """Every unique posting as a :class:`CandidateDocument`, in posting-id order (keyset pages)."""
    last = ""
    while True:
        rows = con.execute(
            "SELECT posting_id, coalesce(title, '') || chr(10) || coalesce(text, ''),"
            " date_posted, company FROM postings WHERE posting_id > ?"
            " ORDER BY posting_id LIMIT ?",
            [last, batch_size],
        ).fetchall()
        if not rows:
            return
        yield [CandidateDocument(str(r[0]), str(r[1]), r[2], r[3]) for r in rows]
        last = str(rows[-1][0])

"""Share of unique postings per role that mention each term, with n and a 95% Wilson interval.

This is the figure the seed article charts ("Python appears in 75% of ML engineer listings"), computed
honestly: the denominator is unique postings of the role, every share carries its count, n and
interval, and shares from fewer than ``min_n`` postings are flagged (never hidden).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import duckdb
import pandas as pd

from skillgauge.analyze.intervals import wilson
from skillgauge.store import queries
from skillgauge.taxonomy.loader import Taxonomy

#: The columns of a shares table, in the order CSV and JSON outputs use (the report reads these).
SHARE_COLUMNS: tuple[str, ...] = (
    "role",
    "role_label",
    "term_id",
    "label",
    "category",
    "count",
    "n",
    "share",
    "ci_low",
    "ci_high",
    "low_n",
)


def shares(
    con: duckdb.DuckDBPyConnection,
    taxonomy: Taxonomy,
    roles: Sequence[str],
    *,
    role_labels: dict[str, str] | None = None,
    min_n: int = 30,
    terms: Sequence[str] | None = None,
) -> pd.DataFrame:
    """One row per (role, term) for every term of the taxonomy (or ``terms``), zero counts included.

    Sorted by role (in the order given) then share, largest first. The counting is SQL over the
    store; the table is :func:`shares_from_counts`, which the Spark backend feeds with the same
    counts computed by Spark (so both backends give the same table by construction).
    """
    return shares_from_counts(
        queries.role_sizes(con, roles),
        queries.term_counts(con, roles),
        taxonomy,
        roles,
        role_labels=role_labels,
        min_n=min_n,
        terms=terms,
    )


def shares_from_counts(
    sizes: Mapping[str, int],
    counts: pd.DataFrame,
    taxonomy: Taxonomy,
    roles: Sequence[str],
    *,
    role_labels: dict[str, str] | None = None,
    min_n: int = 30,
    terms: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The shares table from plain counts: ``sizes`` (role -> unique postings) and ``counts``
    (columns role, term_id, count: postings of the role mentioning the term at least once)."""
    wanted = list(terms) if terms is not None else [t.id for t in taxonomy.terms]
    grid = pd.MultiIndex.from_product([list(roles), wanted], names=["role", "term_id"])
    found = (
        counts.set_index(["role", "term_id"])["count"]
        if len(counts)
        else pd.Series(dtype="int64", index=grid[:0])  # keeps the index names for the join
    )
    df = pd.DataFrame(index=grid).join(found.rename("count")).reset_index()
    df["count"] = df["count"].fillna(0).astype("int64")
    df["n"] = df["role"].map(dict(sizes)).astype("int64")
    share, low, high = wilson(df["count"].to_numpy(), df["n"].to_numpy())
    df["share"], df["ci_low"], df["ci_high"] = share, low, high
    df["low_n"] = df["n"] < min_n
    by_id = taxonomy.by_id
    df["label"] = [by_id[t].label if t in by_id else t for t in df["term_id"]]
    df["category"] = [str(by_id[t].category) if t in by_id else "" for t in df["term_id"]]
    labels = role_labels or {}
    df["role_label"] = [labels.get(r, r) for r in df["role"]]
    order = {r: i for i, r in enumerate(roles)}
    df["_r"] = df["role"].map(order)
    df = df.sort_values(["_r", "share", "label"], ascending=[True, False, True], na_position="last")
    return df.drop(columns="_r").reset_index(drop=True)[list(SHARE_COLUMNS)]


def top_terms(df: pd.DataFrame, role: str, top: int) -> list[str]:
    """The ``top`` terms by share in ``role`` (ties by label), ignoring terms no posting mentions."""
    sub = df[(df["role"] == role) & (df["count"] > 0)]
    sub = sub.sort_values(["share", "label"], ascending=[False, True])
    return list(sub["term_id"].head(top))

"""The analyses on a Spark dataset: Spark counts, the project's pure functions compute the tables.

Each analysis needs a handful of numbers per role, term or period (unique postings, postings
mentioning a term); those are aggregations over hundreds of millions of rows, done here in Spark
SQL. The statistics (Wilson, Newcombe, z-test, BH, binomial GLM) run on the driver in the same
functions the DuckDB backend uses (:func:`~skillgauge.analyze.shares.shares_from_counts`,
:func:`~skillgauge.analyze.compare.compare_from_counts`,
:func:`~skillgauge.analyze.trends.trend_shares_from_grid`,
:func:`~skillgauge.analyze.trends.trend_tests_from_grid`), so both backends return the same
DataFrames, attrs included, for the same postings.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from skillgauge.analyze.compare import (
    REST,
    Overlap,
    check_compare_args,
    check_group_sizes,
    compare_from_counts,
)
from skillgauge.analyze.population import Population
from skillgauge.analyze.shares import shares_from_counts, top_terms
from skillgauge.analyze.trends import (
    Freq,
    check_test_args,
    grid_from_counts,
    terms_to_test,
    trend_shares_from_grid,
    trend_tests_from_grid,
)
from skillgauge.backends.spark.pipeline import read_table
from skillgauge.exceptions import InputError, UnknownRole
from skillgauge.pipeline.prepare import Tools
from skillgauge.store.queries import ALL_ROLES

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

_TRUNC = {"month": ("month", "M"), "quarter": ("quarter", "Q")}


@dataclass(frozen=True)
class Frames:
    """The three tables the analyses read, optionally restricted to one source."""

    postings: DataFrame
    roles: DataFrame
    mentions: DataFrame


def load_frames(spark: SparkSession, data: Path | str, source: str | None = None) -> Frames:
    """Postings, posting_roles and mentions of a dataset written by ``ingest_spark``."""
    from pyspark.sql import functions as F

    postings = read_table(spark, data, "postings")
    roles = read_table(spark, data, "posting_roles")
    mentions = read_table(spark, data, "mentions")
    if source is not None:
        postings = postings.filter(F.col("source") == source)
        if postings.limit(1).count() == 0:
            known = sorted(
                str(r[0]) for r in read_table(spark, data, "postings").select("source").distinct()
                .collect()
            )  # fmt: skip
            raise InputError(f"no postings from source '{source}'; sources: {', '.join(known)}")
        ids = postings.select("posting_id")
        roles = roles.join(ids, "posting_id", "left_semi")
        mentions = mentions.join(ids, "posting_id", "left_semi")
    return Frames(postings, roles, mentions)


# -- shares ------------------------------------------------------------------------------------------


def _role_selection(f: Frames, roles: Sequence[str]) -> DataFrame:
    """(role, posting_id) for the requested roles; ``all`` is every posting."""
    from pyspark.sql import functions as F

    parts: list[DataFrame] = []
    named = [r for r in roles if r != ALL_ROLES]
    if named:
        parts.append(f.roles.filter(F.col("role").isin(named)).select("role", "posting_id"))
    if ALL_ROLES in roles:
        parts.append(f.postings.select(F.lit(ALL_ROLES).alias("role"), "posting_id"))
    sel = parts[0]
    for part in parts[1:]:
        sel = sel.unionByName(part)
    return sel


def role_sizes(f: Frames, roles: Sequence[str]) -> dict[str, int]:
    """Unique postings per role (0 for a role with none), as ``queries.role_sizes``."""
    from pyspark.sql import functions as F

    rows = (
        _role_selection(f, roles)
        .groupBy("role")
        .agg(F.countDistinct("posting_id").alias("n"))
        .collect()
    )
    sizes = dict.fromkeys(roles, 0)
    sizes.update({str(r["role"]): int(r["n"]) for r in rows})
    return sizes


def term_counts(f: Frames, roles: Sequence[str]) -> pd.DataFrame:
    """Postings per (role, term) mentioning the term: columns role, term_id, count."""
    from pyspark.sql import functions as F

    rows = (
        _role_selection(f, roles)
        .join(f.mentions, "posting_id")
        .groupBy("role", "term_id")
        .agg(F.countDistinct("posting_id").alias("count"))
        .collect()
    )
    return pd.DataFrame(
        {
            "role": [str(r["role"]) for r in rows],
            "term_id": [str(r["term_id"]) for r in rows],
            "count": pd.array([int(r["count"]) for r in rows], dtype="int64"),
        }
    )


# -- populations -------------------------------------------------------------------------------------


def population(f: Frames, ids: DataFrame, roles: Sequence[str]) -> Population:
    """The :class:`Population` of the posting ids in ``ids`` (as ``describe_population``)."""
    from pyspark.sql import functions as F

    row = (
        f.postings.join(ids.select("posting_id").distinct(), "posting_id", "left_semi")
        .agg(
            F.countDistinct("posting_id").alias("n"),
            F.min("date_posted").alias("lo"),
            F.max("date_posted").alias("hi"),
            F.collect_set("source").alias("sources"),
        )
        .first()
    )
    if row is None or not row["n"]:
        raise InputError("no postings in the selection: nothing to describe")
    return Population(
        postings=int(row["n"]),
        roles=tuple(sorted({str(r) for r in roles})),
        date_min=row["lo"],
        date_max=row["hi"],
        sources=tuple(sorted(str(s) for s in row["sources"])),
    )


# -- compare -----------------------------------------------------------------------------------------


def _counts_by_term(f: Frames, ids: DataFrame) -> pd.Series:
    from pyspark.sql import functions as F

    rows = (
        f.mentions.join(ids, "posting_id", "left_semi")
        .groupBy("term_id")
        .agg(F.countDistinct("posting_id").alias("c"))
        .collect()
    )
    return pd.Series(
        [int(r["c"]) for r in rows], index=[str(r["term_id"]) for r in rows], dtype="int64"
    )


def compare(
    f: Frames,
    role_a: str,
    role_b: str = REST,
    *,
    terms: Sequence[str] | None = None,
    min_count: int = 10,
    min_n: int = 10,
    alpha: float = 0.05,
    overlap: Overlap = "exclude",
    labels: dict[str, str] | None = None,
) -> pd.DataFrame:
    """:func:`skillgauge.analyze.compare.compare_roles` with the groups counted in Spark."""
    from pyspark.sql import functions as F

    check_compare_args(role_a, role_b, overlap)
    a = f.roles.filter(F.col("role") == role_a).select("posting_id").distinct().cache()
    n_a = a.count()
    if not n_a:
        raise InputError(f"no postings for role {role_a!r} in the selection")
    if role_b == REST:
        universe = f.roles.select("posting_id").unionByName(f.postings.select("posting_id"))
        b = universe.distinct().join(a, "posting_id", "left_anti").cache()
        n_b, dropped = b.count(), 0
        if not n_b:
            raise InputError(f"no postings outside role {role_a!r}: nothing to compare with")
    else:
        b = f.roles.filter(F.col("role") == role_b).select("posting_id").distinct().cache()
        if not b.count():
            raise InputError(f"no postings for role {role_b!r} in the selection")
        both = a.join(b, "posting_id").cache()
        dropped = both.count()
        if overlap == "exclude" and dropped:
            a = a.join(both, "posting_id", "left_anti").cache()
            b = b.join(both, "posting_id", "left_anti").cache()
        n_a, n_b = a.count(), b.count()
    check_group_sizes(role_a, role_b, n_a, n_b, dropped, overlap, min_n)
    name_b = f"not {role_a}" if role_b == REST else role_b
    return compare_from_counts(
        _counts_by_term(f, a),
        _counts_by_term(f, b),
        n_a,
        n_b,
        role_a,
        role_b,
        dropped=dropped,
        terms=terms,
        min_count=min_count,
        alpha=alpha,
        overlap=overlap,
        labels=labels,
        population_a=population(f, a, (role_a,)),
        population_b=population(f, b, (name_b,)),
    )


# -- trends ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Dated:
    rows: DataFrame  # posting_id, period_start of the dated, in-range selection
    undated: int
    what: str
    pandas_freq: str


def _dated(
    f: Frames,
    role: str | None,
    start: dt.date | None,
    end: dt.date | None,
    freq: str,
) -> _Dated:
    """The selection of ``analyze.trends._selection``: same checks, same messages."""
    from pyspark.sql import functions as F

    what = "the corpus" if role is None else f"role {role!r}"
    sel = f.postings
    if role is not None:
        ids = f.roles.filter(F.col("role") == role).select("posting_id")
        sel = sel.join(ids, "posting_id", "left_semi")
    sel = sel.select("posting_id", "date_posted").dropDuplicates(["posting_id"])
    row = sel.agg(
        F.count(F.lit(1)).alias("n"),
        F.sum(F.when(F.col("date_posted").isNull(), 1).otherwise(0)).alias("undated"),
    ).first()
    total = int(row["n"]) if row else 0
    undated = int((row["undated"] if row else 0) or 0)
    if not total:
        raise InputError(f"no postings for {what}")
    if undated == total:
        raise InputError(
            f"no dated postings for {what}: all {undated} postings lack a date, so no trend"
        )
    dated = sel.filter(F.col("date_posted").isNotNull())
    if start is not None:
        dated = dated.filter(F.col("date_posted") >= F.lit(start))
    if end is not None:
        dated = dated.filter(F.col("date_posted") <= F.lit(end))
    if dated.limit(1).count() == 0:
        raise InputError(
            f"no dated postings for {what} between {start or '...'} and {end or '...'}"
        )
    if freq not in _TRUNC:
        raise InputError(f"freq must be 'month' or 'quarter', not {freq!r}")
    unit, pandas_freq = _TRUNC[freq]
    rows = dated.select("posting_id", F.trunc("date_posted", unit).alias("period_start")).cache()
    return _Dated(rows, undated, what, pandas_freq)


def _grid(f: Frames, d: _Dated, terms: Sequence[str]) -> pd.DataFrame:
    from pyspark.sql import functions as F

    n_rows = d.rows.groupBy("period_start").count().collect()
    n = pd.Series(
        [int(r["count"]) for r in n_rows],
        index=pd.PeriodIndex([r["period_start"] for r in n_rows], freq=d.pandas_freq),
        dtype="int64",
    )
    hits = (
        f.mentions.filter(F.col("term_id").isin(list(terms)))
        .join(d.rows, "posting_id")
        .groupBy("period_start", "term_id")
        .agg(F.countDistinct("posting_id").alias("c"))
        .collect()
    )
    index = pd.MultiIndex.from_arrays(
        [
            pd.PeriodIndex([r["period_start"] for r in hits], freq=d.pandas_freq),
            [str(r["term_id"]) for r in hits],
        ],
        names=["period", "term_id"],
    )
    found = pd.Series([int(r["c"]) for r in hits], index=index, dtype="int64")
    return grid_from_counts(n, found, terms)


def trend_shares(
    f: Frames,
    *,
    role: str | None = None,
    terms: Sequence[str],
    freq: Freq = "month",
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> pd.DataFrame:
    """:func:`skillgauge.analyze.trends.trend_shares` with the counts from Spark."""
    wanted = list(dict.fromkeys(terms))
    if not wanted:
        raise InputError("no terms given: name at least one term for a trend")
    d = _dated(f, role, start, end, freq)
    grid = _grid(f, d, wanted)
    pop = population(f, d.rows, () if role is None else (role,))
    return trend_shares_from_grid(grid, wanted, freq, pop, d.undated)


def trend_tests(
    f: Frames,
    *,
    role: str | None = None,
    terms: Sequence[str] | None = None,
    freq: Freq = "month",
    min_total: int = 20,
    alpha: float = 0.05,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> pd.DataFrame:
    """:func:`skillgauge.analyze.trends.trend_tests` with the counts from Spark."""
    check_test_args(min_total, alpha)
    d = _dated(f, role, start, end, freq)
    wanted = terms_to_test(
        terms,
        lambda: (
            r[0]
            for r in f.mentions.join(d.rows, "posting_id", "left_semi")
            .select("term_id")
            .distinct()
            .collect()
        ),
        d.what,
    )
    grid = _grid(f, d, wanted)
    pop = population(f, d.rows, () if role is None else (role,))
    return trend_tests_from_grid(
        grid,
        freq=freq,
        min_total=min_total,
        alpha=alpha,
        what=d.what,
        population=pop,
        undated=d.undated,
    )


# -- the facade: the Database methods, on a Spark dataset --------------------------------------------


class SparkAnalyses:
    """``Database.shares/compare/trends/trend_tests`` over a dataset written by ``ingest_spark``
    (same arguments, same DataFrames)."""

    def __init__(self, spark: SparkSession, data: Path | str, tools: Tools, min_n: int) -> None:
        self.spark = spark
        self.data = data
        self.tools = tools
        self.min_n = min_n

    def frames(self, source: str | None = None) -> Frames:
        return load_frames(self.spark, self.data, source)

    def check_role(self, role: str) -> str:
        """The role id if known (or ``all``); otherwise UnknownRole naming the closest ids."""
        ids = self.tools.roles.ids
        if role == ALL_ROLES or role in ids:
            return role
        close = difflib.get_close_matches(role, ids, n=3, cutoff=0.4)
        hint = (
            f"; did you mean {', '.join(close)}?" if close else f"; known roles: {', '.join(ids)}"
        )
        raise UnknownRole(f"unknown role '{role}'{hint}")

    def role_label(self, role: str) -> str:
        return "All postings" if role == ALL_ROLES else self.tools.roles.label(role)

    def term_labels(self) -> dict[str, str]:
        return {t.id: t.label for t in self.tools.taxonomy.terms}

    def shares(
        self,
        role: str | None = None,
        *,
        roles: Sequence[str] | None = None,
        top: int | None = None,
        min_n: int | None = None,
    ) -> pd.DataFrame:
        wanted = [self.check_role(r) for r in (roles or [role or ALL_ROLES])]
        f = self.frames()
        df = shares_from_counts(
            role_sizes(f, wanted),
            term_counts(f, wanted),
            self.tools.taxonomy,
            wanted,
            role_labels={r: self.role_label(r) for r in wanted},
            min_n=min_n or self.min_n,
        )
        if top is not None:
            keep = top_terms(df, wanted[0], top)
            df = df[df["term_id"].isin(keep)].copy()
            df["_o"] = df["term_id"].map({t: i for i, t in enumerate(keep)})
            df["_r"] = df["role"].map({r: i for i, r in enumerate(wanted)})
            df = df.sort_values(["_r", "_o"]).drop(columns=["_o", "_r"]).reset_index(drop=True)
        return df

    def compare(
        self,
        role_a: str,
        role_b: str = REST,
        *,
        terms: Sequence[str] | None = None,
        overlap: str = "exclude",
        source: str | None = None,
        alpha: float = 0.05,
    ) -> pd.DataFrame:
        role_a = self.check_role(role_a)
        role_b = role_b if role_b == REST else self.check_role(role_b)
        return compare(
            self.frames(source),
            role_a,
            role_b,
            terms=terms,
            overlap=overlap,  # type: ignore[arg-type]
            labels=self.term_labels(),
            alpha=alpha,
        )

    def trends(
        self,
        terms: Sequence[str],
        *,
        role: str | None = None,
        freq: str = "month",
        source: str | None = None,
    ) -> pd.DataFrame:
        return trend_shares(
            self.frames(source),
            role=self.check_role(role) if role else None,
            terms=list(terms),
            freq=freq,  # type: ignore[arg-type]
        )

    def trend_tests(
        self,
        *,
        role: str | None = None,
        freq: str = "month",
        source: str | None = None,
        terms: Sequence[str] | None = None,
    ) -> pd.DataFrame:
        return trend_tests(
            self.frames(source),
            role=self.check_role(role) if role else None,
            terms=list(terms) if terms else None,
            freq=freq,  # type: ignore[arg-type]
        )

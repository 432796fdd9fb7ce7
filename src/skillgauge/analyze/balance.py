"""How much a role's shares depend on where the postings came from, and on how sources are combined.

The corpus is lopsided: one source (Hacker News "Who is hiring") can hold most of a role's postings
while a job-board sample holds a few hundred. Two honest ways to state "the share of data-scientist
postings that mention SQL" then disagree:

* **pooled**: all postings of the role together, count / n. Every posting weighs the same, so the
  largest source dominates the figure.
* **site-averaged**: the share within each source, then the *unweighted* mean across sources (the
  seed article's method). Every source weighs the same, so a 300-posting sample counts as much as a
  20,000-posting one, and a small source's noise enters at full weight.

Neither is "right"; :func:`site_averaged_vs_pooled` prints both side by side with their difference
so a reader sees how much the choice matters. Sources with fewer than ``min_n`` postings of the role
are listed but left out of the average (their share is mostly noise). :func:`shares_by_source`
gives the per-source shares behind it, each with its Wilson interval
(:func:`skillgauge.analyze.intervals.wilson`, statsmodels ``proportion_confint(method="wilson")``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from skillgauge.analyze.intervals import WILSON_95, wilson
from skillgauge.analyze.population import describe_population
from skillgauge.exceptions import InputError

#: ``role`` value meaning every posting, whatever its role (as in ``store.queries.ALL_ROLES``).
ALL_ROLES = "all"

SITE_AVERAGE_METHOD = "unweighted mean of per-source shares (sources with n >= min_n)"
POOLED_METHOD = f"pooled share of all postings of the role; {WILSON_95}"

#: Columns of :func:`shares_by_source`.
BY_SOURCE_COLUMNS: tuple[str, ...] = (
    "role",
    "source",
    "term_id",
    "label",
    "count",
    "n",
    "share",
    "ci_low",
    "ci_high",
    "in_average",
    "method",
)

#: Columns of :func:`site_averaged_vs_pooled`.
AVERAGED_COLUMNS: tuple[str, ...] = (
    "role",
    "term_id",
    "label",
    "pooled_count",
    "pooled_n",
    "pooled_share",
    "pooled_low",
    "pooled_high",
    "site_average",
    "site_min",
    "site_max",
    "difference",
    "sources_used",
    "sources_excluded",
    "method",
)


def _role_meta(roles_frame: pd.DataFrame, meta: pd.DataFrame, role: str, by: str) -> pd.DataFrame:
    """The meta rows of the role's postings (posting_id, source key), or :class:`InputError`."""
    if by not in meta.columns:
        raise InputError(f"meta has no column {by!r} to group sources by")
    sub = meta[["posting_id", by]].drop_duplicates("posting_id")
    if role != ALL_ROLES:
        # A join, not ``isin``: pandas' Arrow-string isin is slow for tens of thousands of ids.
        ids = roles_frame.loc[roles_frame["role"] == role, ["posting_id"]].drop_duplicates()
        sub = sub.merge(ids, on="posting_id")
    if sub.empty:
        raise InputError(f"no postings for role {role!r} in the selection")
    out = sub.rename(columns={by: "source"})
    out["source"] = out["source"].astype("object").where(out["source"].notna(), "(unknown)")
    return out.astype({"source": str})


def shares_by_source(
    roles_frame: pd.DataFrame,
    terms_frame: pd.DataFrame,
    meta: pd.DataFrame,
    role: str,
    *,
    terms: Sequence[str] | None = None,
    min_n: int = 30,
    by: str = "source",
    labels: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """One row per (source, term): count, n (postings of the role from that source), share, Wilson
    95% interval, and ``in_average`` (n >= ``min_n``: whether the site average uses this source).

    ``role="all"`` takes every posting. ``terms`` defaults to every term the role's postings
    mention; listed terms no posting mentions get zero rows. ``by`` may name another meta column
    (e.g. "board"). Sorted by source (largest n first), then term id. ``df.attrs["population"]``
    is the role's :class:`~skillgauge.analyze.population.Population`.
    """
    postings = _role_meta(roles_frame, meta, role, by)
    present = terms_frame[["posting_id", "term_id"]].drop_duplicates()
    present = present.merge(postings, on="posting_id")
    wanted = (
        list(dict.fromkeys(terms)) if terms is not None else sorted(present["term_id"].unique())
    )
    if not wanted:
        raise InputError(f"no terms mentioned by postings of role {role!r}")
    sizes = postings.groupby("source").size().sort_values(ascending=False, kind="stable")
    counts = present.groupby(["source", "term_id"]).size()
    grid = pd.MultiIndex.from_product([list(sizes.index), wanted], names=["source", "term_id"])
    df = pd.DataFrame(index=grid).join(counts.rename("count")).reset_index()
    df["count"] = df["count"].fillna(0).astype("int64")
    df["n"] = df["source"].map(sizes).astype("int64")
    df["share"], df["ci_low"], df["ci_high"] = wilson(df["count"], df["n"])
    df["in_average"] = df["n"] >= min_n
    names = labels or {}
    df["label"] = [names.get(t, t) for t in df["term_id"]]
    df["role"] = role
    df["method"] = WILSON_95
    df = df[list(BY_SOURCE_COLUMNS)]
    df.attrs["population"] = describe_population(meta, postings["posting_id"], (role,))
    df.attrs["min_n"] = min_n
    return df


def site_averaged_vs_pooled(
    roles_frame: pd.DataFrame,
    terms_frame: pd.DataFrame,
    meta: pd.DataFrame,
    role: str,
    *,
    terms: Sequence[str] | None = None,
    min_n: int = 30,
    by: str = "source",
    labels: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Per term, the pooled share (with its Wilson interval) beside the site-averaged share.

    ``site_average`` is the unweighted mean of the per-source shares over sources with at least
    ``min_n`` postings of the role; ``site_min``/``site_max`` their range; ``difference`` is
    site_average - pooled_share. ``sources_used`` and ``sources_excluded`` name the sources with
    their n ("indeed_cal_da_500 (n=12)"), so the rule is visible in every row. Raises
    :class:`InputError` when no source reaches ``min_n``. Sorted by absolute difference, largest
    first. ``df.attrs`` holds ``population`` and ``min_n``.
    """
    per_source = shares_by_source(
        roles_frame, terms_frame, meta, role, terms=terms, min_n=min_n, by=by, labels=labels
    )
    sizes = per_source.drop_duplicates("source").set_index("source")["n"]
    used = sizes[sizes >= min_n]
    excluded = sizes[sizes < min_n]
    if used.empty:
        raise InputError(
            f"no source has at least {min_n} postings of role {role!r} "
            f"(largest: {sizes.index[0]} with {int(sizes.iloc[0])}); lower min_n to average"
        )

    def listing(s: pd.Series) -> str:
        return "; ".join(f"{src} (n={int(n):,})" for src, n in s.items())

    pooled = per_source.groupby("term_id", sort=False).agg(
        pooled_count=("count", "sum"), pooled_n=("n", "sum"), label=("label", "first")
    )
    kept = per_source[per_source["in_average"]].groupby("term_id", sort=False)["share"]
    df = pooled.join(kept.mean().rename("site_average"))
    df = df.join(kept.min().rename("site_min")).join(kept.max().rename("site_max")).reset_index()
    share, low, high = wilson(df["pooled_count"], df["pooled_n"])
    df["pooled_share"], df["pooled_low"], df["pooled_high"] = share, low, high
    df["difference"] = df["site_average"] - df["pooled_share"]
    df["sources_used"] = listing(used)
    df["sources_excluded"] = listing(excluded)
    df["role"] = role
    df["method"] = f"site_average: {SITE_AVERAGE_METHOD}, min_n={min_n}; pooled: {POOLED_METHOD}"
    order = np.argsort(-df["difference"].abs().to_numpy(), kind="stable")
    df = df.iloc[order].reset_index(drop=True)[list(AVERAGED_COLUMNS)]
    df.attrs["population"] = per_source.attrs["population"]
    df.attrs["min_n"] = min_n
    return df

"""Source balance: per-source shares with Wilson intervals, and site-averaged against pooled shares
on hand-built frames with known answers, plus properties (hypothesis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.proportion import proportion_confint

from skillgauge.analyze.balance import (
    AVERAGED_COLUMNS,
    BY_SOURCE_COLUMNS,
    shares_by_source,
    site_averaged_vs_pooled,
)
from skillgauge.exceptions import InputError


def _frames() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Role 'ds': source A 40 postings (20 python), B 30 (3 python), C 5 (5 python).
    Plus 7 'web' postings from A that mention python (must not count for 'ds')."""
    meta_rows: list[tuple[str, str]] = []
    roles: list[tuple[str, str]] = []
    terms: list[tuple[str, str]] = []
    for source, n, k in (("A", 40, 20), ("B", 30, 3), ("C", 5, 5)):
        for i in range(n):
            pid = f"{source}{i:02d}"
            meta_rows.append((pid, source))
            roles.append((pid, "ds"))
            if i < k:
                terms.append((pid, "python"))
            if source == "B" and i == 0:
                terms.append((pid, "sql"))
    for i in range(7):
        meta_rows.append((f"W{i}", "A"))
        roles.append((f"W{i}", "web"))
        terms.append((f"W{i}", "python"))
    meta = pd.DataFrame(meta_rows, columns=["posting_id", "source"])
    meta["date_posted"] = pd.Timestamp("2024-03-01")
    return (
        pd.DataFrame(roles, columns=["posting_id", "role"]),
        pd.DataFrame(terms, columns=["posting_id", "term_id"]),
        meta,
    )


def test_shares_by_source_known_answer() -> None:
    roles, terms, meta = _frames()
    df = shares_by_source(roles, terms, meta, "ds", terms=["python", "rust"], min_n=30)
    assert list(df.columns) == list(BY_SOURCE_COLUMNS)
    py = df[df["term_id"] == "python"].set_index("source")
    assert list(py.index) == ["A", "B", "C"]  # largest n first
    assert list(py["count"]) == [20, 3, 5] and list(py["n"]) == [40, 30, 5]
    assert list(py["in_average"]) == [True, True, False]
    lo, hi = proportion_confint(3, 30, method="wilson")
    assert (py.loc["B", "ci_low"], py.loc["B", "ci_high"]) == pytest.approx((lo, hi))
    rust = df[df["term_id"] == "rust"]
    assert list(rust["count"]) == [0, 0, 0] and (rust["share"] == 0).all()
    assert df.attrs["population"].postings == 75
    assert df["method"].str.contains("Wilson").all()


def test_site_average_against_pooled_known_answer() -> None:
    roles, terms, meta = _frames()
    df = site_averaged_vs_pooled(roles, terms, meta, "ds", min_n=30, labels={"python": "Python"})
    assert list(df.columns) == list(AVERAGED_COLUMNS)
    row = df.set_index("term_id").loc["python"]
    assert row["label"] == "Python"
    assert (row["pooled_count"], row["pooled_n"]) == (28, 75)  # every posting, C included
    assert row["pooled_share"] == pytest.approx(28 / 75)
    assert row["site_average"] == pytest.approx((20 / 40 + 3 / 30) / 2)  # C (n=5) left out
    assert (row["site_min"], row["site_max"]) == pytest.approx((0.1, 0.5))
    assert row["difference"] == pytest.approx(0.3 - 28 / 75)
    assert row["sources_used"] == "A (n=40); B (n=30)"
    assert row["sources_excluded"] == "C (n=5)"
    assert "min_n=30" in row["method"]
    sql = df.set_index("term_id").loc["sql"]
    assert sql["site_average"] == pytest.approx((0 + 1 / 30) / 2)
    assert df["difference"].abs().is_monotonic_decreasing


def test_all_roles_and_another_grouping_column() -> None:
    roles, terms, meta = _frames()
    meta["board"] = np.where(meta["source"] == "C", "c-board", "ab-board")
    df = shares_by_source(roles, terms, meta, "all", terms=["python"], by="board", min_n=1)
    assert dict(zip(df["source"], df["n"], strict=True)) == {"ab-board": 77, "c-board": 5}
    assert dict(zip(df["source"], df["count"], strict=True)) == {"ab-board": 30, "c-board": 5}


@pytest.mark.parametrize(
    ("role", "kwargs", "message"),
    [
        ("nope", {}, "no postings for role 'nope'"),
        ("ds", {"min_n": 41}, "no source has at least 41"),
        ("ds", {"by": "country"}, "no column 'country'"),
        ("ds", {"terms": []}, "no terms"),
    ],
)
def test_empty_or_tiny_selections_raise(role: str, kwargs: dict[str, object], message: str) -> None:
    roles, terms, meta = _frames()
    with pytest.raises(InputError, match=message):
        site_averaged_vs_pooled(roles, terms, meta, role, **kwargs)  # type: ignore[arg-type]


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from("ABCD"), st.booleans(), st.booleans()), min_size=1),
    st.integers(1, 10),
)
def test_properties(rows: list[tuple[str, bool, bool]], min_n: int) -> None:
    meta = pd.DataFrame(
        {"posting_id": [f"p{i}" for i in range(len(rows))], "source": [r[0] for r in rows]}
    )
    meta["date_posted"] = pd.NaT
    roles = pd.DataFrame({"posting_id": meta["posting_id"], "role": "r"})
    terms = pd.DataFrame(
        [(f"p{i}", t) for i, r in enumerate(rows) for t, on in (("x", r[1]), ("y", r[2])) if on],
        columns=["posting_id", "term_id"],
    )
    by_source = shares_by_source(roles, terms, meta, "r", terms=["x", "y"], min_n=min_n)
    for col in ("share", "ci_low", "ci_high"):
        assert by_source[col].between(0.0, 1.0).all()
    assert (by_source["ci_low"] <= by_source["share"]).all()
    assert (by_source["share"] <= by_source["ci_high"]).all()
    try:
        df = site_averaged_vs_pooled(roles, terms, meta, "r", terms=["x", "y"], min_n=min_n)
    except InputError:
        assert (meta.groupby("source").size() < min_n).all()
        return
    assert (df["pooled_n"] == len(rows)).all()
    for col in ("pooled_share", "site_average", "site_min", "site_max"):
        assert df[col].between(0.0, 1.0).all()
    assert (df["site_min"] <= df["site_average"] + 1e-12).all()
    assert (df["site_average"] <= df["site_max"] + 1e-12).all()

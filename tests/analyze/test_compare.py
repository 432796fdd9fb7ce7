"""Role comparisons: known answers (Newcombe 1998 Table II, hand-built frames), agreement with
statsmodels, and properties of the intervals and q-values (hypothesis)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.collections import PathCollection
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

from skillgauge.analyze.compare import (
    COMPARE_COLUMNS,
    bh_qvalues,
    compare_roles,
    newcombe_diff_interval,
    two_proportion_z_pvalue,
)
from skillgauge.analyze.population import Population
from skillgauge.exceptions import InputError
from skillgauge.report.compare_chart import plot_differences

# Newcombe (1998), Table II, method 10 ("hybrid score"): (a, m, b, n) -> (low, high), 4 decimals.
NEWCOMBE_TABLE_II = [
    ((56, 70, 48, 80), (0.0524, 0.3339)),
    ((9, 10, 3, 10), (0.1705, 0.8090)),
    ((6, 7, 2, 7), (0.0582, 0.8062)),
    ((5, 56, 0, 29), (-0.0381, 0.1926)),
    ((0, 10, 0, 20), (-0.1611, 0.2775)),
    ((0, 10, 0, 10), (-0.2775, 0.2775)),
    ((10, 10, 0, 20), (0.6791, 1.0)),
    ((10, 10, 0, 10), (0.6075, 1.0)),
]


@pytest.mark.parametrize(("counts", "expected"), NEWCOMBE_TABLE_II)
def test_newcombe_matches_the_paper(
    counts: tuple[int, int, int, int], expected: tuple[float, float]
) -> None:
    a, m, b, n = counts
    diff, low, high = newcombe_diff_interval([a], [m], [b], [n])
    assert diff[0] == pytest.approx(a / m - b / n)
    assert round(float(low[0]), 4) == expected[0]
    assert round(float(high[0]), 4) == expected[1]


_counts = st.integers(1, 3000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n)))


@given(_counts, _counts)
def test_newcombe_matches_statsmodels_and_contains_diff(
    a: tuple[int, int], b: tuple[int, int]
) -> None:
    (ca, na), (cb, nb) = a, b
    diff, low, high = newcombe_diff_interval([ca], [na], [cb], [nb])
    lo, hi = confint_proportions_2indep(ca, na, cb, nb, method="newcomb", compare="diff")
    assert math.isclose(low[0], lo, abs_tol=1e-9)
    assert math.isclose(high[0], hi, abs_tol=1e-9)
    assert -1.0 <= low[0] <= diff[0] <= high[0] <= 1.0


@given(_counts, _counts)
def test_pvalue_matches_statsmodels_proportions_ztest(
    a: tuple[int, int], b: tuple[int, int]
) -> None:
    (ca, na), (cb, nb) = a, b
    p = two_proportion_z_pvalue([ca], [na], [cb], [nb])[0]
    assert 0.0 <= p <= 1.0
    pooled = (ca + cb) / (na + nb)
    if 0 < pooled < 1:
        _, expected = proportions_ztest([ca, cb], [na, nb])
        assert math.isclose(p, expected, rel_tol=1e-9, abs_tol=1e-300)
    else:  # identical shares (all 0 or all 1): no evidence of a difference
        assert p == 1.0


def test_bh_known_answer() -> None:
    q = bh_qvalues([0.01, 0.04, 0.03, 0.2])
    np.testing.assert_allclose(q, [0.04, 0.04 * 4 / 3, 0.04 * 4 / 3, 0.2])


@given(st.lists(st.floats(0.0, 1.0), min_size=1, max_size=200))
def test_bh_qvalues_are_monotone_in_p_and_at_least_p(p: list[float]) -> None:
    q = bh_qvalues(p)
    pa = np.asarray(p)
    assert np.all(q >= pa - 1e-15) and np.all(q <= 1.0)
    order = np.argsort(pa, kind="stable")
    assert np.all(np.diff(q[order]) >= -1e-15)


# -- compare_roles on hand-built frames ------------------------------------------------------------


def _frames() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """40 'ml' postings (30 mention torch, 4 sql), 50 'ds' postings (5 torch, 25 sql), 2 postings
    of both roles (both mention torch and sql), 10 'web' postings (nothing)."""
    roles: list[tuple[str, str]] = []
    terms: list[tuple[str, str]] = []
    for i in range(40):
        roles.append((f"m{i:02d}", "ml"))
        if i < 30:
            terms.append((f"m{i:02d}", "torch"))
        if i < 4:
            terms.append((f"m{i:02d}", "sql"))
    for i in range(50):
        roles.append((f"d{i:02d}", "ds"))
        if i < 5:
            terms.append((f"d{i:02d}", "torch"))
        if i < 25:
            terms.append((f"d{i:02d}", "sql"))
    for i in range(2):
        roles += [(f"b{i}", "ml"), (f"b{i}", "ds")]
        terms += [(f"b{i}", "torch"), (f"b{i}", "sql")]
    roles += [(f"w{i}", "web") for i in range(10)]
    ids = sorted({p for p, _ in roles})
    meta = pd.DataFrame(
        {
            "posting_id": ids,
            "source": ["hn" if p.startswith("m") else "board" for p in ids],
            "date_posted": pd.to_datetime(["2020-01-01"] * (len(ids) - 1) + ["2021-06-30"]),
        }
    )
    return (
        pd.DataFrame(roles, columns=["posting_id", "role"]),
        pd.DataFrame(terms, columns=["posting_id", "term_id"]),
        meta,
    )


def test_known_answer_with_overlap_excluded() -> None:
    roles, terms, meta = _frames()
    df = compare_roles(roles, terms, "ml", "ds", min_count=1, meta=meta, labels={"sql": "SQL"})
    assert list(df.columns) == list(COMPARE_COLUMNS)
    assert list(df["term_id"]) == ["torch", "sql"]  # sorted by diff, largest first
    torch = df.iloc[0]
    assert (torch["count_a"], torch["n_a"], torch["count_b"], torch["n_b"]) == (30, 40, 5, 50)
    assert torch["share_a"] == 0.75 and torch["share_b"] == 0.1
    assert torch["diff"] == pytest.approx(0.65)
    lo, hi = confint_proportions_2indep(30, 40, 5, 50, method="newcomb")
    assert (torch["diff_low"], torch["diff_high"]) == pytest.approx((lo, hi))
    assert torch["p_value"] == pytest.approx(proportions_ztest([30, 5], [40, 50])[1])
    assert torch["n_overlap"] == 2 and torch["overlap"] == "exclude"
    assert bool(torch["significant"])
    assert df.iloc[1]["label"] == "SQL" and df.iloc[0]["label"] == "torch"
    pop_a, pop_b = df.attrs["population_a"], df.attrs["population_b"]
    assert isinstance(pop_a, Population)
    assert (pop_a.postings, pop_a.roles, pop_a.sources) == (40, ("ml",), ("hn",))
    assert (pop_b.postings, pop_b.sources) == (50, ("board",))


def test_overlap_included_counts_shared_postings_in_both_groups() -> None:
    roles, terms, _ = _frames()
    df = compare_roles(roles, terms, "ml", "ds", min_count=1, overlap="include")
    torch = df.set_index("term_id").loc["torch"]
    assert (torch["count_a"], torch["n_a"], torch["count_b"], torch["n_b"]) == (32, 42, 7, 52)
    assert torch["n_overlap"] == 2 and torch["overlap"] == "include"


def test_rest_is_every_posting_not_of_role_a() -> None:
    roles, terms, meta = _frames()
    extra = pd.DataFrame({"posting_id": ["x0"], "source": ["hn"], "date_posted": [pd.NaT]})
    meta = pd.concat([meta, extra], ignore_index=True)  # a posting without any role
    df = compare_roles(roles, terms, "ml", "rest", min_count=1, meta=meta).set_index("term_id")
    # rest = 50 ds + 10 web + x0; the two ml+ds postings are ml, so not in the rest.
    assert df.loc["torch", "n_b"] == 61 and df.loc["torch", "count_b"] == 5
    assert df.loc["torch", "n_a"] == 42 and df.loc["torch", "count_a"] == 32
    assert df.loc["torch", "n_overlap"] == 0
    assert df.attrs["population_b"].roles == ("not ml",)


def test_min_count_leaves_rare_terms_untested_and_bh_runs_over_tested_only() -> None:
    roles, terms, _ = _frames()
    df = compare_roles(roles, terms, "ml", "ds", terms=["torch", "sql", "rust"], min_count=30)
    df = df.set_index("term_id")
    assert list(df["tested"]) == [
        df.loc[t, "count_a"] + df.loc[t, "count_b"] >= 30 for t in df.index
    ]
    assert bool(df.loc["torch", "tested"]) and not df.loc["rust", "tested"]
    assert math.isnan(df.loc["rust", "p_value"]) and not df.loc["rust", "significant"]
    assert df.loc["rust", "count_a"] == 0 and df.loc["rust", "diff"] == 0.0
    tested = df[df["tested"]]
    expected = multipletests(tested["p_value"], method="fdr_bh")[1]
    np.testing.assert_allclose(tested["q_value"], expected)


def test_significant_is_q_below_alpha() -> None:
    roles, terms, _ = _frames()
    df = compare_roles(roles, terms, "ml", "ds", min_count=1, alpha=1e-30)
    assert list(df["significant"]) == list(df["q_value"] < 1e-30)


@pytest.mark.parametrize(
    ("role_a", "role_b", "kwargs", "message"),
    [
        ("ml", "ml", {}, "itself"),
        ("rest", "ml", {}, "second role"),
        ("nope", "ds", {}, "no postings for role 'nope'"),
        ("ml", "nope", {}, "no postings for role 'nope'"),
        ("web", "ds", {"min_n": 11}, "only 10 postings for 'web'"),
        ("ml", "ds", {"min_n": 41}, "after dropping postings of both roles"),
        ("ml", "ds", {"terms": []}, "no terms"),
        ("ml", "ds", {"overlap": "both"}, "overlap"),
    ],
)
def test_empty_or_tiny_selections_raise_input_error(
    role_a: str, role_b: str, kwargs: dict[str, object], message: str
) -> None:
    roles, terms, _ = _frames()
    with pytest.raises(InputError, match=message):
        compare_roles(roles, terms, role_a, role_b, **kwargs)  # type: ignore[arg-type]


@st.composite
def _random_frames(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame]:
    n = draw(st.integers(4, 60))
    role_of = draw(st.lists(st.sampled_from(["a", "b", "ab"]), min_size=n, max_size=n))
    roles = [(f"p{i}", r) for i, rs in enumerate(role_of) for r in rs]
    has = draw(st.lists(st.tuples(st.integers(0, n - 1), st.sampled_from("xyz")), max_size=150))
    terms = [(f"p{i}", t) for i, t in has]
    return (
        pd.DataFrame(roles, columns=["posting_id", "role"]),
        pd.DataFrame(terms, columns=["posting_id", "term_id"]),
    )


@settings(max_examples=60, deadline=None)
@given(_random_frames(), st.sampled_from(["exclude", "include"]))
def test_properties_on_random_frames(
    frames: tuple[pd.DataFrame, pd.DataFrame], overlap: str
) -> None:
    roles, terms = frames
    try:
        df = compare_roles(
            roles,
            terms,
            "a",
            "b",
            terms=list("xyz"),
            min_count=0,
            min_n=1,
            overlap=overlap,  # type: ignore[arg-type]
        )
    except InputError:
        return  # a group is empty: the error is the contract
    for col in ("share_a", "share_b"):
        assert df[col].between(0.0, 1.0).all()
    assert (df["diff_low"] <= df["diff"]).all() and (df["diff"] <= df["diff_high"]).all()
    assert df["diff_low"].between(-1.0, 1.0).all() and df["diff_high"].between(-1.0, 1.0).all()
    assert (df["q_value"] >= df["p_value"] - 1e-15).all()
    lo, hi = confint_proportions_2indep(
        df["count_a"], df["n_a"], df["count_b"], df["n_b"], method="newcomb"
    )
    np.testing.assert_allclose(df["diff_low"], np.clip(lo, -1, 1), atol=1e-9)
    np.testing.assert_allclose(df["diff_high"], np.clip(hi, -1, 1), atol=1e-9)


# -- the chart --------------------------------------------------------------------------------------


def test_plot_marks_significant_terms_and_states_n() -> None:
    roles, terms, _ = _frames()
    df = compare_roles(roles, terms, "ml", "ds", terms=["torch", "sql", "rust"], min_count=1)
    fig = plot_differences(df)
    ax = fig.axes[0]
    title = fig.get_suptitle()
    assert "n=40" in title and "n=50" in title
    filled, hollow = (c for c in ax.collections if isinstance(c, PathCollection))
    assert len(filled.get_offsets()) == int(df["significant"].sum())
    assert len(hollow.get_offsets()) == int((~df["significant"]).sum())
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks == list(df.sort_values("diff")["label"])  # sorted, smallest at the bottom
    assert any(abs(line.get_xdata()[0]) == 0 for line in ax.get_lines())  # the zero line


def test_plot_keeps_top_terms_and_rejects_empty() -> None:
    roles, terms, _ = _frames()
    df = compare_roles(roles, terms, "ml", "ds", min_count=1)
    fig = plot_differences(df, top=1)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["torch"]
    with pytest.raises(InputError):
        plot_differences(df.iloc[0:0])

"""Co-occurrence: pair measures by hand, NPMI bounds and symmetry against a brute-force count
(hypothesis), "also asked" shares with Wilson intervals, clusters, and the heatmap."""

from __future__ import annotations

import math
from itertools import combinations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure
from statsmodels.stats.proportion import proportion_confint

from skillgauge.analyze.cooccurrence import (
    ALSO_ASKED_COLUMNS,
    CLUSTER_COLUMNS,
    COOCCURRENCE_COLUMNS,
    also_asked,
    cooccurrence,
    skill_clusters,
)
from skillgauge.exceptions import InputError
from skillgauge.report.trend_charts import cooccurrence_heatmap


def _frame(postings: dict[str, set[str]]) -> pd.DataFrame:
    rows = [(pid, t) for pid, terms in postings.items() for t in sorted(terms)]
    return pd.DataFrame(rows, columns=["posting_id", "term_id"])


# p1..p10: a in p1-p4, b in p3-p6, c in p9 only, p10 mentions nothing (absent from the frame).
_POSTINGS = {f"p{i}": set() for i in range(1, 11)}
for _i in range(1, 5):
    _POSTINGS[f"p{_i}"].add("a")
for _i in range(3, 7):
    _POSTINGS[f"p{_i}"].add("b")
_POSTINGS["p9"].add("c")
_TERMS = _frame(_POSTINGS)
_ALL = list(_POSTINGS)


def test_pair_measures_by_hand() -> None:
    df = cooccurrence(_TERMS, posting_ids=_ALL)
    assert list(df.columns) == list(COOCCURRENCE_COLUMNS)
    assert len(df) == 1  # only a-b are ever seen together
    row = df.iloc[0]
    assert (row["term_a"], row["term_b"]) == ("a", "b")
    assert (row["count"], row["count_a"], row["count_b"], row["n"]) == (2, 4, 4, 10)
    assert math.isclose(row["support"], 0.2)
    assert math.isclose(row["lift"], 10 * 2 / (4 * 4))  # 1.25
    assert math.isclose(row["npmi"], math.log(0.2 / (0.4 * 0.4)) / -math.log(0.2))
    assert math.isclose(row["jaccard"], 2 / 6)
    assert df.attrs["n"] == 10


def test_without_posting_ids_the_denominator_is_postings_with_a_term() -> None:
    row = cooccurrence(_TERMS).iloc[0]
    assert row["n"] == 7 and math.isclose(row["lift"], 7 * 2 / 16)  # p1-p6 and p9


def test_identical_posting_sets_have_npmi_one() -> None:
    terms = _frame({"p1": {"x", "y"}, "p2": {"x", "y"}, "p3": {"z"}})
    row = cooccurrence(terms).iloc[0]
    assert math.isclose(row["npmi"], 1.0) and math.isclose(row["jaccard"], 1.0)
    everywhere = cooccurrence(_frame({"p1": {"x", "y"}, "p2": {"x", "y"}})).iloc[0]
    assert everywhere["npmi"] == 1.0  # p_ab = 1: the limit, not 0/0


def test_thresholds_and_population() -> None:
    terms = _frame({f"p{i}": {"a", "b"} if i < 3 else {"a", "c"} for i in range(10)})
    assert set(cooccurrence(terms, min_count=4)["term_b"]) == {"c"}
    assert cooccurrence(terms, min_support=0.8).empty
    meta = pd.DataFrame(
        {
            "posting_id": [f"p{i}" for i in range(10)],
            "source": "hn",
            "date_posted": pd.Timestamp("2015-03-01"),
        }
    )
    pop = cooccurrence(terms, meta=meta).attrs["population"]
    assert pop.postings == 10 and pop.sources == ("hn",)


@st.composite
def _incidences(draw: st.DrawFn) -> dict[str, set[str]]:
    n = draw(st.integers(1, 25))
    vocab = ["go", "java", "kafka", "python", "rust", "sql"]
    return {f"q{i}": set(draw(st.sets(st.sampled_from(vocab)))) for i in range(n)}


@settings(max_examples=60, deadline=None)
@given(_incidences())
def test_measures_match_brute_force_and_are_symmetric(postings: dict[str, set[str]]) -> None:
    terms = _frame(postings)
    if terms.empty:
        with pytest.raises(InputError):
            cooccurrence(terms)
        return
    df = cooccurrence(terms, posting_ids=list(postings))
    n = len(postings)
    seen = sorted(set(terms["term_id"]))
    expected = {}
    for a, b in combinations(seen, 2):
        both = sum(1 for s in postings.values() if a in s and b in s)
        if both:
            expected[(a, b)] = both
    assert {(r.term_a, r.term_b): r.count for r in df.itertuples()} == expected
    assert ((df["npmi"] >= -1) & (df["npmi"] <= 1)).all()
    assert ((df["jaccard"] > 0) & (df["jaccard"] <= 1)).all() and (df["lift"] > 0).all()
    for r in df.itertuples():
        assert r.term_a < r.term_b
        ca = sum(1 for s in postings.values() if r.term_a in s)
        cb = sum(1 for s in postings.values() if r.term_b in s)
        assert (r.count_a, r.count_b) == (ca, cb)
        assert math.isclose(r.lift, n * r.count / (ca * cb))
    # Symmetry: renaming terms so that their order flips gives the same measures per pair.
    flip = {t: f"z{9 - i}" for i, t in enumerate(seen)}
    renamed = cooccurrence(terms.assign(term_id=terms["term_id"].map(flip)), posting_ids=postings)
    back = {t2: t for t, t2 in flip.items()}
    mine = {
        frozenset((r.term_a, r.term_b)): (r.count, r.lift, r.npmi, r.jaccard)
        for r in df.itertuples()
    }
    theirs = {
        frozenset((back[r.term_a], back[r.term_b])): (r.count, r.lift, r.npmi, r.jaccard)
        for r in renamed.itertuples()
    }
    assert mine.keys() == theirs.keys()
    for key, values in mine.items():
        assert np.allclose(values, theirs[key])


def test_also_asked_shares_and_lift() -> None:
    df = also_asked(_TERMS, "a", posting_ids=_ALL)
    assert list(df.columns) == list(ALSO_ASKED_COLUMNS)
    assert list(df["other"]) == ["b"]  # c never appears with a
    row = df.iloc[0]
    assert (row["count"], row["n_term"]) == (2, 4)
    assert math.isclose(row["share"], 0.5) and math.isclose(row["base_share"], 0.4)
    assert math.isclose(row["lift"], 0.5 / 0.4)
    low, high = proportion_confint(2, 4, method="wilson")
    assert math.isclose(row["ci_low"], low) and math.isclose(row["ci_high"], high)


def test_also_asked_ranks_by_conditional_share_and_truncates() -> None:
    terms = _frame(
        {
            "p1": {"x", "y", "z"},
            "p2": {"x", "y", "z"},
            "p3": {"x", "y", "w"},
            "p4": {"y"},
            "p5": {"z"},
        }
    )
    df = also_asked(terms, "x", top=2)
    assert list(df["other"]) == ["y", "z"] and list(df["count"]) == [3, 2]


def test_errors_are_clear() -> None:
    with pytest.raises(InputError, match="mentions 'nope'"):
        also_asked(_TERMS, "nope")
    with pytest.raises(InputError, match="no postings"):
        cooccurrence(_TERMS, posting_ids=[])
    with pytest.raises(InputError, match="no postings"):
        cooccurrence(_TERMS.iloc[0:0])
    with pytest.raises(InputError, match="min_count"):
        cooccurrence(_TERMS, min_count=0)
    with pytest.raises(InputError, match="empty"):
        skill_clusters(cooccurrence(_TERMS, min_count=5))


def test_clusters_split_two_groups() -> None:
    # Two groups asked for together (web: js/css/html; data: python/sql/spark), one weak bridge.
    postings: dict[str, set[str]] = {}
    for i in range(20):
        postings[f"w{i}"] = {"js", "css", "html"}
        postings[f"d{i}"] = {"python", "sql", "spark"}
    postings["bridge"] = {"js", "python"}
    cooc = cooccurrence(_frame(postings))
    clusters = skill_clusters(cooc, min_weight=0.0)
    assert list(clusters.columns) == list(CLUSTER_COLUMNS)
    groups = {frozenset(g["term"]) for _, g in clusters.groupby("cluster")}
    assert groups == {frozenset({"js", "css", "html"}), frozenset({"python", "sql", "spark"})}
    assert (clusters["cluster_size"] == 3).all()
    # Deterministic for a fixed seed; a high threshold isolates every term.
    assert clusters.equals(skill_clusters(cooc, min_weight=0.0))
    isolated = skill_clusters(cooc, min_weight=1.01)
    assert isolated["cluster"].nunique() == 6 and (isolated["degree"] == 0).all()


# -- chart -----------------------------------------------------------------------------------------


def test_heatmap_has_one_cell_per_term_pair() -> None:
    postings = {f"p{i}": {"a", "b"} if i % 2 else {"a", "c", "d"} for i in range(12)}
    cooc = cooccurrence(_frame(postings))
    fig = cooccurrence_heatmap(cooc)
    assert isinstance(fig, Figure)
    image = fig.axes[0].get_images()[0]
    cells = np.ma.asarray(image.get_array())
    assert cells.shape == (4, 4)
    assert cells.mask[np.diag_indices(4)].all()  # the diagonal is blank
    assert np.ma.allequal(cells, cells.T)  # symmetric
    assert cells.mask.sum() == 4 + 4  # diagonal plus b-c and b-d (never together), both ways
    sub = cooccurrence_heatmap(cooc, terms=["a", "b", "c"], value="lift")
    assert sub.axes[0].get_images()[0].get_array().shape == (3, 3)
    with pytest.raises(InputError):
        cooccurrence_heatmap(cooc, value="nope")
    with pytest.raises(InputError):
        cooccurrence_heatmap(cooc, terms=["a"])

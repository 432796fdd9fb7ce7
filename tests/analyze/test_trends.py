"""Trends: per-period shares with known counts, planted rising/flat/fading terms, the GLM against a
posting-level statsmodels Logit, Benjamini-Hochberg q-values, clear errors, and the trend chart."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

from skillgauge.analyze.trends import (
    TREND_SHARE_COLUMNS,
    TREND_TEST_COLUMNS,
    trend_shares,
    trend_tests,
)
from skillgauge.exceptions import InputError
from skillgauge.report.trend_charts import trend_chart


def _build(
    months: list[str], n_per_month: int, term_counts: dict[str, list[int]], role: str = "dev"
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(roles, terms, meta) frames: ``n_per_month`` postings per month, the first
    ``term_counts[t][i]`` postings of month i mention term t."""
    meta_rows: list[dict[str, object]] = []
    term_rows: list[tuple[str, str]] = []
    for i, month in enumerate(months):
        for j in range(n_per_month):
            pid = f"p{i:03d}-{j:04d}"
            day = 1 + j % 28
            meta_rows.append(
                {
                    "posting_id": pid,
                    "source": "hn",
                    "date_posted": pd.Timestamp(f"{month}-{day:02d}"),
                }
            )
            term_rows.extend((pid, term) for term, counts in term_counts.items() if j < counts[i])
    meta = pd.DataFrame(meta_rows)
    roles = pd.DataFrame({"posting_id": meta["posting_id"], "role": role})
    terms = pd.DataFrame(term_rows, columns=["posting_id", "term_id"])
    return roles, terms, meta


def _month_range(start: str, count: int) -> list[str]:
    return [str(p) for p in pd.period_range(start, periods=count, freq="M")]


# -- trend_shares ----------------------------------------------------------------------------------


def test_shares_known_counts_and_wilson() -> None:
    roles, terms, meta = _build(["2014-01", "2014-02", "2014-03"], 10, {"py": [2, 5, 10]})
    df = trend_shares(roles, terms, meta, terms=["py", "never"])
    assert list(df.columns) == list(TREND_SHARE_COLUMNS)
    py = df[df["term"] == "py"]
    assert list(py["period"]) == ["2014-01", "2014-02", "2014-03"]
    assert list(py["count"]) == [2, 5, 10] and list(py["n"]) == [10, 10, 10]
    assert np.allclose(py["share"], [0.2, 0.5, 1.0])
    low, high = proportion_confint([2, 5, 10], [10, 10, 10], method="wilson")
    assert np.allclose(py["ci_low"], low) and np.allclose(py["ci_high"], high)
    never = df[df["term"] == "never"]
    assert list(never["count"]) == [0, 0, 0] and (never["share"] == 0).all()
    assert df["method"].str.contains("Wilson").all()


def test_quarters_pool_months_and_gaps_are_absent() -> None:
    # 2014-01..03 is one quarter; nothing in 2014Q2..Q3; then 2014-10.
    roles, terms, meta = _build(
        ["2014-01", "2014-02", "2014-03", "2014-10"], 10, {"py": [1, 2, 3, 4]}
    )
    df = trend_shares(roles, terms, meta, terms=["py"], freq="quarter")
    assert list(df["period"]) == ["2014Q1", "2014Q4"]
    assert list(df["count"]) == [6, 4] and list(df["n"]) == [30, 10]
    assert list(df["period_start"]) == [pd.Timestamp("2014-01-01"), pd.Timestamp("2014-10-01")]


def test_undated_postings_are_excluded_and_counted() -> None:
    roles, terms, meta = _build(["2014-01", "2014-02"], 10, {"py": [3, 4]})
    meta.loc[meta.index[:4], "date_posted"] = pd.NaT  # four of January's postings lose their date
    df = trend_shares(roles, terms, meta, terms=["py"])
    jan = df[df["period"] == "2014-01"].iloc[0]
    assert (jan["count"], jan["n"]) == (0, 6)  # the three mentions were among the undated
    assert df.attrs["undated_excluded"] == 4
    pop = df.attrs["population"]
    assert pop.postings == 16 and pop.sources == ("hn",)
    assert str(pop.date_min) == "2014-01-05" and str(pop.date_max) == "2014-02-10"


def test_role_selection() -> None:
    roles, terms, meta = _build(["2014-01", "2014-02"], 10, {"py": [5, 5]})
    # postings 0..4 of each month are also "ml"; they are the ones mentioning py
    extra = meta["posting_id"][meta["posting_id"].str[-4:].astype(int) < 5]
    roles = pd.concat([roles, pd.DataFrame({"posting_id": extra, "role": "ml"})])
    df = trend_shares(roles, terms, meta, role="ml", terms=["py"])
    assert list(df["n"]) == [5, 5] and list(df["share"]) == [1.0, 1.0]
    assert df.attrs["population"].roles == ("ml",)


def test_shares_errors_are_clear() -> None:
    roles, terms, meta = _build(["2014-01", "2014-02"], 5, {"py": [1, 1]})
    with pytest.raises(InputError, match="no postings for role 'nobody'"):
        trend_shares(roles, terms, meta, role="nobody", terms=["py"])
    with pytest.raises(InputError, match="no terms"):
        trend_shares(roles, terms, meta, terms=[])
    with pytest.raises(InputError, match="freq"):
        trend_shares(roles, terms, meta, terms=["py"], freq="week")  # type: ignore[arg-type]
    undated = meta.assign(date_posted=pd.NaT)
    with pytest.raises(InputError, match="lack a date"):
        trend_shares(roles, terms, undated, terms=["py"])
    with pytest.raises(InputError, match="between"):
        trend_shares(roles, terms, meta, terms=["py"], start=pd.Timestamp("2020-01-01").date())


# -- trend_tests -----------------------------------------------------------------------------------

_MONTHS = _month_range("2015-01", 24)
_N = 200
_PLANTED = {
    "rising": [round(_N * (0.05 + 0.35 * i / 23)) for i in range(24)],
    "flat": [40] * 24,
    "fading": [round(_N * (0.30 - 0.25 * i / 23)) for i in range(24)],
    # no trend but noisy around 20%, as real shares are
    "wobbly": [40 + (7 if i % 2 else -7) for i in range(24)],
    "rare": [1 if i == 3 else 0 for i in range(24)],
}


@pytest.fixture(scope="module")
def planted() -> pd.DataFrame:
    roles, terms, meta = _build(_MONTHS, _N, _PLANTED)
    return trend_tests(roles, terms, meta, min_total=5)


def test_planted_rising_is_emerging_flat_is_not(planted: pd.DataFrame) -> None:
    assert list(planted.columns) == list(TREND_TEST_COLUMNS)
    verdict = dict(zip(planted["term"], planted["direction"], strict=True))
    assert verdict == {
        "rising": "emerging",
        "fading": "fading",
        "flat": "flat",
        "wobbly": "flat",
        "rare": "untested",
    }
    flat = planted.set_index("term").loc["flat"]
    assert abs(flat["slope_per_year"]) < 1e-8 and flat["q_value"] > 0.9
    rising = planted.set_index("term").loc["rising"]
    assert rising["or_ci_low"] > 1.0 and rising["odds_ratio_per_year"] > 2.0
    assert rising["first_period"] == "2015-01" and rising["last_period"] == "2016-12"
    assert math.isclose(rising["first_share"], 10 / 200)
    assert math.isclose(rising["last_share"], 80 / 200)
    assert rising["count"] == sum(_PLANTED["rising"]) and rising["n"] == 24 * _N


def test_untested_terms_get_no_statistics(planted: pd.DataFrame) -> None:
    rare = planted.set_index("term").loc["rare"]
    assert rare["count"] == 1
    assert math.isnan(rare["p_value"]) and math.isnan(rare["q_value"])
    assert planted.iloc[-1]["term"] == "rare"  # untested rows sort last


def test_glm_equals_posting_level_logit() -> None:
    """The aggregated binomial GLM gives the posting-level logistic regression's slope and
    (unscaled) standard error: checked against statsmodels Logit on one row per posting."""
    import statsmodels.api as sm

    months = _month_range("2016-01", 6)
    counts = [3, 9, 4, 12, 8, 15]
    roles, terms, meta = _build(months, 40, {"t": counts})
    out = trend_tests(roles, terms, meta, min_total=1).iloc[0]

    x = np.repeat([2016 + i / 12 for i in range(6)], 40)
    y = np.concatenate([[1] * c + [0] * (40 - c) for c in counts])
    logit = sm.Logit(y, sm.add_constant(x)).fit(disp=0)
    assert math.isclose(out["slope_per_year"], logit.params[1], rel_tol=1e-6)
    scale = math.sqrt(max(out["dispersion"], 1.0))
    se = math.log(out["or_ci_high"] / out["odds_ratio_per_year"]) / 1.959963984540054
    assert math.isclose(se, logit.bse[1] * scale, rel_tol=1e-6)


def test_overdispersion_widens_the_interval(planted: pd.DataFrame) -> None:
    wobbly = planted.set_index("term").loc["wobbly"]
    assert wobbly["dispersion"] > 1.0  # +-7 around 40 of 200 is more than binomial noise


def test_bh_matches_statsmodels_and_is_monotone() -> None:
    months = _month_range("2017-01", 12)
    rng = np.random.default_rng(7)
    counts = {
        f"t{k}": list(rng.binomial(100, 0.1 + 0.02 * k * rng.random(), 12)) for k in range(12)
    }
    roles, terms, meta = _build(months, 100, counts)
    out = trend_tests(roles, terms, meta, min_total=1)
    expected = multipletests(out["p_value"], method="fdr_bh")[1]
    assert np.allclose(out["q_value"], expected)
    by_p = out.sort_values("p_value")
    assert (np.diff(by_p["q_value"].to_numpy()) >= -1e-12).all()
    assert (out["q_value"] >= out["p_value"] - 1e-12).all() and (out["q_value"] <= 1).all()


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(0, 30), min_size=4, max_size=4),
        min_size=1,
        max_size=5,
    )
)
def test_any_counts_give_valid_output(rows: list[list[int]]) -> None:
    counts = {f"t{k}": r for k, r in enumerate(rows)}
    roles, terms, meta = _build(_month_range("2018-01", 4), 30, counts)
    out = trend_tests(roles, terms, meta, terms=list(counts), min_total=1)
    assert set(out["direction"]) <= {"emerging", "fading", "flat", "untested"}
    tested = out[out["direction"] != "untested"]
    assert ((tested["q_value"] >= 0) & (tested["q_value"] <= 1)).all()
    wald = tested[~tested["separated"]]
    assert (wald["or_ci_low"] <= wald["odds_ratio_per_year"]).all()
    assert (wald["odds_ratio_per_year"] <= wald["or_ci_high"]).all()
    sep = tested[tested["separated"]]
    assert np.isinf(sep["slope_per_year"]).all() and sep["or_ci_low"].isna().all()


def test_term_only_in_the_last_period_is_emerging_by_likelihood_ratio() -> None:
    from scipy import stats

    roles, terms, meta = _build(_month_range("2018-01", 6), 50, {"new": [0, 0, 0, 0, 0, 20]})
    row = trend_tests(roles, terms, meta, min_total=1).iloc[0]
    assert row["separated"] and row["slope_per_year"] == math.inf
    assert row["direction"] == "emerging"
    # LR statistic by hand: null deviance of 20/300 against a saturated-in-effect fit (dev ~ 0)
    p = 20 / 300
    null_dev = -2 * (20 * math.log(p) + 280 * math.log(1 - p)) + 2 * (
        20 * math.log(20 / 50) + 30 * math.log(30 / 50)
    )
    assert math.isclose(row["p_value"], stats.chi2.sf(null_dev, 1), rel_tol=1e-4)


def test_tests_errors_are_clear() -> None:
    roles, terms, meta = _build(["2014-01"], 10, {"py": [3]})
    with pytest.raises(InputError, match="at least two months"):
        trend_tests(roles, terms, meta)
    roles, terms, meta = _build(["2014-01", "2014-02"], 10, {"py": [3, 4]})
    with pytest.raises(InputError, match="no postings for role 'x'"):
        trend_tests(roles, terms, meta, role="x")
    with pytest.raises(InputError, match="mentions any term"):
        trend_tests(roles, terms.iloc[0:0], meta)
    with pytest.raises(InputError, match="min_total"):
        trend_tests(roles, terms, meta, min_total=0)


# -- chart -----------------------------------------------------------------------------------------


def test_trend_chart_one_line_per_term_broken_at_gaps() -> None:
    months = ["2014-01", "2014-02", "2014-03", "2015-06", "2015-07"]
    roles, terms, meta = _build(months, 10, {"a": [1, 2, 3, 4, 5], "b": [5, 4, 3, 2, 1]})
    df = trend_shares(roles, terms, meta, terms=["a", "b", "c"])
    fig = trend_chart(df, labels={"a": "Alpha"})
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    lines = ax.get_lines()
    assert len(lines) == 3
    ys = np.asarray(lines[0].get_ydata(), dtype=float)
    assert len(ys) == 6 and np.isnan(ys[3])  # five periods plus one break at the gap
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Alpha", "b", "c"]
    assert len(ax.collections) == 3  # one band per term
    with pytest.raises(InputError):
        trend_chart(df.iloc[0:0])

"""Salary analyses on hand-built frames with answers worked out by hand."""

from __future__ import annotations

import datetime as dt
import math
import zlib

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skillgauge.analyze.population import Population
from skillgauge.analyze.salary import (
    COVERAGE_COLUMNS,
    REGRESSION_COLUMNS,
    TERM_COLUMNS,
    annual_salaries,
    annualise,
    salary_by_term,
    salary_coverage,
    salary_regression,
)
from skillgauge.exceptions import InputError


def _meta(rows: list[dict[str, object]]) -> pd.DataFrame:
    base: dict[str, object] = {
        "source": "hackernews",
        "board": None,
        "date_posted": dt.date(2016, 1, 1),
        "seniority": "unknown",
        "remote": None,
        "location": None,
        "company": None,
        "salary_min": None,
        "salary_max": None,
        "salary_currency": None,
        "salary_period": None,
        "closed": False,
    }
    return pd.DataFrame([{**base, **r} for r in rows])


def _usd(pid: str, lo: float, hi: float | None = None, **extra: object) -> dict[str, object]:
    return {
        "posting_id": pid,
        "salary_min": lo,
        "salary_max": lo if hi is None else hi,
        "salary_currency": "USD",
        "salary_period": "year",
        **extra,
    }


# -- annualise --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lo", "hi", "period", "expected"),
    [
        (50.0, 60.0, "hour", (104_000.0, 124_800.0, 114_400.0)),
        (400.0, None, "day", (104_000.0, None, 104_000.0)),
        (2_000.0, 2_000.0, "week", (104_000.0, 104_000.0, 104_000.0)),
        (5_000.0, 7_000.0, "month", (60_000.0, 84_000.0, 72_000.0)),
        (None, 150_000.0, "year", (None, 150_000.0, 150_000.0)),
        (120_000.0, 100_000.0, "Year", (100_000.0, 120_000.0, 110_000.0)),  # swapped ends
    ],
)
def test_annualise_by_hand(
    lo: float | None,
    hi: float | None,
    period: str,
    expected: tuple[float | None, float | None, float | None],
) -> None:
    assert annualise(lo, hi, period, "USD") == expected


def test_annualise_without_period_or_amount_is_none() -> None:
    assert annualise(100_000.0, None, None, "USD") == (None, None, None)
    assert annualise(None, float("nan"), "year", "USD") == (None, None, None)


def test_annualise_rejects_unknown_period() -> None:
    with pytest.raises(InputError, match="fortnight"):
        annualise(1.0, 2.0, "fortnight", "USD")


@given(
    st.floats(1, 1e6),
    st.floats(1, 1e6),
    st.sampled_from(["hour", "day", "week", "month", "year"]),
)
def test_annualised_mid_lies_between_ends(a: float, b: float, period: str) -> None:
    lo, hi, mid = annualise(a, b, period, "EUR")
    assert lo is not None and hi is not None and mid is not None
    assert lo <= mid <= hi
    assert math.isclose(hi / max(a, b), lo / min(a, b))


def test_annual_salaries_states_why_postings_are_excluded() -> None:
    meta = _meta(
        [
            _usd("a", 100_000.0),
            {"posting_id": "b"},
            {**_usd("c", 80_000.0), "salary_currency": "GBP"},
            {**_usd("d", 90_000.0), "salary_currency": None},
            {**_usd("e", 130.0, 250.0), "salary_period": None},
            _usd("f", 2_000.0),
            {**_usd("g", 50.0), "salary_period": "hour"},
        ]
    )
    out = annual_salaries(meta)
    assert list(out["excluded"]) == [
        None,
        "no salary",
        "other currency",
        "other currency",
        "no period",
        "out of bounds",
        None,
    ]
    assert out["annual_mid"].iloc[6] == 104_000.0
    gbp = annual_salaries(meta, currency="gbp")
    assert gbp["excluded"].iloc[2] is None


# -- coverage ---------------------------------------------------------------------------------------


def test_coverage_counts_and_wilson_interval() -> None:
    from statsmodels.stats.proportion import proportion_confint

    rows = [_usd(f"h{i}", 100_000.0) for i in range(3)] + [
        {"posting_id": f"n{i}"} for i in range(7)
    ]
    rows += [{**_usd("g0", 90_000.0), "source": "glassdoor"}]
    meta = _meta(rows)
    out = salary_coverage(meta)
    assert tuple(out.columns) == COVERAGE_COLUMNS
    assert list(out["source"]) == ["glassdoor", "hackernews", "all"]
    hn = out.set_index("source").loc["hackernews"]
    assert (hn["n"], hn["with_salary"], hn["share"]) == (10, 3, 0.3)
    low, high = proportion_confint(3, 10, method="wilson")
    assert hn["ci_low"] == pytest.approx(low) and hn["ci_high"] == pytest.approx(high)
    total = out.set_index("source").loc["all"]
    assert (total["n"], total["with_salary"]) == (11, 4)
    pop = out.attrs["population"]
    assert isinstance(pop, Population) and pop.postings == 11
    assert pop.sources == ("glassdoor", "hackernews")


def test_coverage_of_a_role() -> None:
    meta = _meta([_usd("a", 100_000.0), {"posting_id": "b"}, {"posting_id": "c"}])
    roles = pd.DataFrame({"posting_id": ["a", "b", "c"], "role": ["ds", "ds", "pm"]})
    out = salary_coverage(meta, "ds", roles)
    assert out.set_index("source").loc["all", "share"] == 0.5
    assert out.attrs["population"].roles == ("ds",)


def test_coverage_errors_are_clear() -> None:
    meta = _meta([{"posting_id": "a"}])
    roles = pd.DataFrame({"posting_id": ["a"], "role": ["ds"]})
    with pytest.raises(InputError, match="too few postings for role 'nobody' between 2016-01-01"):
        salary_coverage(meta, "nobody", roles)
    with pytest.raises(InputError, match="roles frame"):
        salary_coverage(meta, "ds")


# -- median difference per term ---------------------------------------------------------------------


def _term_fixture() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    # with rust: 120k, 130k, 140k (median 130k); without: 90k, 100k, 110k, 95k (median 97.5k)
    salaries = {"a": 120, "b": 130, "c": 140, "d": 90, "e": 100, "f": 110, "g": 95}
    meta = _meta([_usd(pid, k * 1_000.0) for pid, k in salaries.items()] + [{"posting_id": "z"}])
    roles = pd.DataFrame({"posting_id": [*salaries, "z"], "role": "swe"})
    terms = pd.DataFrame(
        {
            "posting_id": ["a", "b", "c", "z", "a", "d"],
            "term_id": ["rust", "rust", "rust", "rust", "go", "go"],
        }
    )
    return meta, roles, terms


def test_salary_by_term_medians_by_hand() -> None:
    meta, roles, terms = _term_fixture()
    out = salary_by_term(meta, roles, terms, role="swe", min_n=3).set_index("term_id")
    assert tuple(out.reset_index().columns) == TERM_COLUMNS
    rust = out.loc["rust"]
    assert (rust["n_with"], rust["n_without"]) == (3, 4)  # "z" has no salary: not counted
    assert rust["median_with"] == 130_000.0 and rust["median_without"] == 97_500.0
    assert rust["difference"] == 32_500.0
    assert not rust["low_n"]
    go = out.loc["go"]
    assert (go["median_with"], go["median_without"]) == (105_000.0, 110_000.0)
    assert go["low_n"]  # 2 postings < min_n 3: flagged, still shown
    assert "bootstrap percentile" in rust["method"]
    assert list(out.index) == ["rust", "go"]  # largest difference first
    assert out.attrs["population"].postings == 7


def test_single_posting_term_is_shown_without_interval() -> None:
    meta, roles, terms = _term_fixture()
    terms = pd.concat([terms, pd.DataFrame({"posting_id": ["e"], "term_id": ["cobol"]})])
    out = salary_by_term(meta, roles, terms).set_index("term_id")
    cobol = out.loc["cobol"]
    assert cobol["n_with"] == 1 and cobol["low_n"]
    assert math.isnan(cobol["ci_low"]) and math.isnan(cobol["ci_high"])


def test_bootstrap_interval_contains_estimate_and_matches_scipy() -> None:
    from scipy.stats import bootstrap

    rng = np.random.default_rng(7)
    with_ = rng.lognormal(np.log(130_000), 0.2, 60)
    without = rng.lognormal(np.log(110_000), 0.2, 140)
    ids = [f"p{i}" for i in range(200)]
    meta = _meta([_usd(p, float(v)) for p, v in zip(ids, [*with_, *without], strict=True)])
    roles = pd.DataFrame({"posting_id": ids, "role": "swe"})
    terms = pd.DataFrame({"posting_id": ids[:60], "term_id": "rust"})
    row = salary_by_term(meta, roles, terms, n_resamples=999, seed=3).iloc[0]
    assert row["ci_low"] <= row["difference"] <= row["ci_high"]
    assert row["ci_low"] > 0  # a planted 20k gap on 60 vs 140 postings is clear
    ref = bootstrap(
        (with_, without),
        lambda a, b, axis=-1: np.median(a, axis=axis) - np.median(b, axis=axis),
        n_resamples=999,
        method="percentile",
        vectorized=True,
        random_state=np.random.default_rng([3, zlib.crc32(b"rust")]),  # the term's own stream
    ).confidence_interval
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((ref.low, ref.high))


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.integers(20, 400), min_size=3, max_size=12),
    st.lists(st.integers(20, 400), min_size=3, max_size=12),
)
def test_bootstrap_interval_brackets_difference(with_k: list[int], without_k: list[int]) -> None:
    values = [*with_k, *without_k]
    ids = [f"p{i}" for i in range(len(values))]
    meta = _meta([_usd(p, k * 1_000.0) for p, k in zip(ids, values, strict=True)])
    roles = pd.DataFrame({"posting_id": ids, "role": "swe"})
    terms = pd.DataFrame({"posting_id": ids[: len(with_k)], "term_id": "t"})
    row = salary_by_term(meta, roles, terms, n_resamples=199).iloc[0]
    assert row["difference"] == pytest.approx((np.median(with_k) - np.median(without_k)) * 1_000.0)
    # the percentile interval of a median difference can miss the estimate only in odd corner
    # cases; it must at least lie within the range of attainable differences
    assert (min(with_k) - max(without_k)) * 1_000.0 <= row["ci_low"] <= row["ci_high"]
    assert row["ci_high"] <= (max(with_k) - min(without_k)) * 1_000.0


def test_tiny_selection_raises() -> None:
    meta, roles, terms = _term_fixture()
    few = meta[meta["posting_id"].isin(["a", "b", "z"])]
    with pytest.raises(InputError, match=r"usable USD salary.*2 of 3 postings qualify"):
        salary_by_term(few, roles, terms)
    with pytest.raises(InputError, match="usable EUR salary"):
        salary_by_term(meta, roles, terms, currency="EUR")
    with pytest.raises(InputError, match="role 'pm'"):
        salary_by_term(meta, roles, terms, role="pm")


# -- regression -------------------------------------------------------------------------------------


def _planted(n: int = 400, premium: float = 0.15, seed: int = 1) -> tuple[pd.DataFrame, ...]:
    """Salaries with a known log premium for 'rust', a seniority effect and noise; rust is more
    common among senior postings (the confounding a raw median difference cannot remove)."""
    rng = np.random.default_rng(seed)
    senior = rng.random(n) < 0.5
    rust = rng.random(n) < np.where(senior, 0.5, 0.15)
    hourly = rng.random(n) < 0.1
    log_salary = np.log(100_000) + 0.3 * senior + premium * rust + rng.normal(0, 0.1, n)
    ids = [f"p{i:03d}" for i in range(n)]
    rows = []
    for i, pid in enumerate(ids):
        annual = float(np.exp(log_salary[i]))
        amount, period = (annual / 2080, "hour") if hourly[i] else (annual, "year")
        rows.append(
            {
                **_usd(pid, amount),
                "salary_period": period,
                "seniority": "senior" if senior[i] else "mid",
                "remote": bool(i % 2),
            }
        )
    rows.append({"posting_id": "nosal"})
    rows.append({**_usd("gbp", 70_000.0), "salary_currency": "GBP"})
    meta = _meta(rows)
    roles = pd.DataFrame({"posting_id": [*ids, "nosal", "gbp"], "role": "swe"})
    terms = pd.DataFrame({"posting_id": [p for p, r in zip(ids, rust, strict=True) if r]})
    terms["term_id"] = "rust"
    noise = pd.DataFrame({"posting_id": ids[::3], "term_id": "go"})
    return meta, roles, pd.concat([terms, noise], ignore_index=True)


def test_regression_recovers_a_planted_premium() -> None:
    meta, roles, terms = _planted()
    out = salary_regression(meta, roles, terms, terms=["rust", "go"]).set_index("term_id")
    assert tuple(out.reset_index().columns) == REGRESSION_COLUMNS
    rust = out.loc["rust"]
    assert rust["coef"] == pytest.approx(0.15, abs=0.04)
    assert rust["pct_effect"] == pytest.approx(math.expm1(rust["coef"]))
    assert rust["pct_ci_low"] < math.expm1(0.15) < rust["pct_ci_high"]
    assert rust["p_value"] < 1e-6
    go = out.loc["go"]
    assert go["coef_ci_low"] < 0 < go["coef_ci_high"]  # no planted effect
    assert rust["n"] == 400 and "HC3" in rust["method"]
    assert out.attrs["excluded"] == {"no salary": 1, "other currency": 1}


def test_regression_matches_statsmodels_directly() -> None:
    import statsmodels.formula.api as smf

    meta, roles, terms = _planted(n=200, seed=4)
    out = salary_regression(meta, roles, terms, terms=["rust"], controls=("seniority",)).set_index(
        "term_id"
    )
    usable = annual_salaries(meta)
    usable = usable[usable["excluded"].isna()].copy()
    usable["y"] = np.log(usable["annual_mid"])
    usable["rust"] = usable["posting_id"].isin(terms.loc[terms.term_id == "rust", "posting_id"])
    fit = smf.ols("y ~ C(seniority) + rust", data=usable).fit(cov_type="HC3")
    assert out.loc["rust", "coef"] == pytest.approx(fit.params["rust[T.True]"])
    assert out.loc["rust", "std_err"] == pytest.approx(fit.bse["rust[T.True]"])


def test_regression_controls_remove_confounding() -> None:
    meta, roles, terms = _planted(premium=0.0, seed=2)
    raw = salary_by_term(meta, roles, terms, terms=["rust"]).iloc[0]
    assert raw["difference"] > 0  # rust looks well paid only because seniors mention it more
    adjusted = salary_regression(meta, roles, terms, terms=["rust"]).iloc[0]
    assert adjusted["coef_ci_low"] < 0 < adjusted["coef_ci_high"]


def test_regression_marks_inestimable_terms_and_rejects_tiny_input() -> None:
    meta, roles, terms = _planted(n=60)
    out = salary_regression(meta, roles, terms, terms=["rust", "never"]).set_index("term_id")
    assert math.isnan(out.loc["never", "coef"])
    assert out.loc["never", "note"].startswith("not estimable: 0 of 60")
    with pytest.raises(InputError, match="none of the terms"):
        salary_regression(meta, roles, terms, terms=["never"])
    with pytest.raises(InputError, match="at least one term"):
        salary_regression(meta, roles, terms, terms=[])
    with pytest.raises(InputError, match="unknown control"):
        salary_regression(meta, roles, terms, terms=["rust"], controls=("zodiac",))
    tiny = meta.head(4)
    with pytest.raises(InputError, match="usable USD salary"):
        salary_regression(tiny, roles, terms, terms=["rust"])


def test_coverage_and_term_frames_are_independent_of_input_order() -> None:
    meta, roles, terms = _term_fixture()
    shuffled = meta.sample(frac=1.0, random_state=0)
    a = salary_by_term(meta, roles, terms)
    b = salary_by_term(shuffled, roles, terms.iloc[::-1])
    pd.testing.assert_frame_equal(
        a.drop(columns=["ci_low", "ci_high"]), b.drop(columns=["ci_low", "ci_high"])
    )


# -- chart ------------------------------------------------------------------------------------------


def test_difference_chart_draws_every_term_with_its_n() -> None:
    from skillgauge.report.salary_chart import salary_difference_chart

    meta, roles, terms = _term_fixture()
    terms = pd.concat([terms, pd.DataFrame({"posting_id": ["e"], "term_id": ["csharp"]})])
    frame = salary_by_term(meta, roles, terms, min_n=3)
    fig = salary_difference_chart(frame, labels={"csharp": "C$harp"})
    ax = fig.axes[0]
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks == ["C$harp  (n=1)", "go  (n=2)", "rust  (n=3)"]  # largest difference at top
    faces = [line.get_markerfacecolor() for line in ax.get_lines() if line.get_marker() == "o"]
    assert faces.count("white") == 2  # go and csharp are low n: hollow, still drawn
    empty = salary_difference_chart(frame.iloc[0:0])
    assert not empty.axes[0].axison


def test_a_terms_interval_does_not_depend_on_the_other_terms_asked_for() -> None:
    """The API asks for a role's top terms, which vary: a term's bootstrap interval must not."""
    meta, roles, terms = _term_fixture()
    both = salary_by_term(meta, roles, terms, terms=["go", "rust"], n_resamples=199, seed=1)
    alone = salary_by_term(meta, roles, terms, terms=["rust"], n_resamples=199, seed=1)
    reversed_ = salary_by_term(meta, roles, terms, terms=["rust", "go"], n_resamples=199, seed=1)
    row = both.set_index("term_id").loc["rust"]
    assert not math.isnan(row["ci_low"])
    for other in (alone, reversed_):
        o = other.set_index("term_id").loc["rust"]
        assert (o["ci_low"], o["ci_high"]) == (row["ci_low"], row["ci_high"])

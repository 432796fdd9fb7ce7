"""How the share of postings that ask for a term changes over time, and which terms rise or fall.

Two pure functions over the frames of :mod:`skillgauge.store.queries`:

* :func:`trend_shares` — per period (month or quarter) and term: count, n, share and a 95% Wilson
  interval, i.e. the points and bands of a trend chart.
* :func:`trend_tests` — per term, a logistic trend (binomial GLM, logit link) of "the posting mentions
  the term" on time, with the slope and odds ratio per year, a 95% interval, a p-value and a
  Benjamini-Hochberg q-value across the terms tested, and a verdict: emerging, fading or flat.

Why a binomial GLM on period counts rather than one row per posting: every posting of a period gets
the same time value, so the likelihood of the aggregated (mentions, non-mentions) per period is the
posting-level logistic likelihood up to a constant; same estimates and standard errors, but ~60 rows
per term instead of ~30,000. Why a dispersion correction: monthly shares of a job board vary more
than binomial sampling alone explains (the mix of companies posting changes month to month), and a
plain binomial model would call almost every term "significant" on 30,000 postings. The standard
errors are therefore scaled by the Pearson chi-square dispersion when it exceeds 1 (quasi-binomial).

Only dated postings take part; undated ones are excluded and counted (``attrs["undated_excluded"]``)
so the reader sees what was left out. Gaps (months with no postings, e.g. HN 2018-05..2025-12) are
fine: periods without postings are simply absent, and time enters as a number of years.
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
from collections.abc import Callable, Iterable, Sequence
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from skillgauge.analyze.intervals import WILSON_95, wilson
from skillgauge.analyze.population import Population, describe_population
from skillgauge.exceptions import InputError

Freq = Literal["month", "quarter"]

_PANDAS_FREQ: dict[str, str] = {"month": "M", "quarter": "Q"}

#: Columns of :func:`trend_shares`, in order.
TREND_SHARE_COLUMNS: tuple[str, ...] = (
    "period",
    "period_start",
    "term",
    "count",
    "n",
    "share",
    "ci_low",
    "ci_high",
    "method",
)

#: Columns of :func:`trend_tests`, in order.
TREND_TEST_COLUMNS: tuple[str, ...] = (
    "term",
    "count",
    "n",
    "periods",
    "first_period",
    "first_share",
    "last_period",
    "last_share",
    "slope_per_year",
    "odds_ratio_per_year",
    "or_ci_low",
    "or_ci_high",
    "p_value",
    "q_value",
    "dispersion",
    "converged",
    "separated",
    "direction",
    "method",
)

TREND_TEST_METHOD = (
    "binomial GLM, logit link, of per-period mention counts on time in years with the period's "
    "postings as trials (statsmodels GLM Binomial; equals a posting-level logistic regression on "
    "period time); Wald 95% CI; standard errors scaled by Pearson chi2/df when > 1 "
    "(quasi-binomial); likelihood-ratio p-value where the slope is infinite (separation); "
    "q = Benjamini-Hochberg across tested terms"
)


# -- selection -------------------------------------------------------------------------------------


def _selection(
    roles_frame: pd.DataFrame,
    meta: pd.DataFrame,
    role: str | None,
    start: dt.date | None,
    end: dt.date | None,
) -> tuple[pd.DataFrame, int, str]:
    """Dated meta rows of the selection (posting_id, date), the number of undated postings left
    out, and a phrase naming the selection for error messages."""
    what = "the corpus" if role is None else f"role {role!r}"
    if role is None:
        sel = meta
    else:
        ids = roles_frame.loc[roles_frame["role"] == role, "posting_id"]
        sel = meta[meta["posting_id"].isin(ids)]
    sel = sel.drop_duplicates("posting_id")
    if sel.empty:
        raise InputError(f"no postings for {what}")
    dates = pd.to_datetime(sel["date_posted"], errors="coerce")
    undated = int(dates.isna().sum())
    out = pd.DataFrame({"posting_id": sel["posting_id"].to_numpy(), "date": dates.to_numpy()})
    out = out[out["date"].notna()]
    if out.empty:
        raise InputError(
            f"no dated postings for {what}: all {undated} postings lack a date, so no trend"
        )
    if start is not None:
        out = out[out["date"] >= pd.Timestamp(start)]
    if end is not None:
        out = out[out["date"] <= pd.Timestamp(end)]
    if out.empty:
        raise InputError(
            f"no dated postings for {what} between {start or '...'} and {end or '...'}"
        )
    return out.reset_index(drop=True), undated, what


def _periods(dates: pd.Series, freq: str) -> pd.Series:
    if freq not in _PANDAS_FREQ:
        raise InputError(f"freq must be 'month' or 'quarter', not {freq!r}")
    periods: pd.Series = dates.dt.to_period(_PANDAS_FREQ[freq])
    return periods


def _counts_grid(
    dated: pd.DataFrame, terms_frame: pd.DataFrame, terms: Sequence[str], freq: str
) -> pd.DataFrame:
    """(period, term) grid over the periods that have postings: count (postings mentioning the
    term) and n (dated postings of the period), zero counts included."""
    periods = _periods(dated["date"], freq)
    by_post = pd.Series(periods.to_numpy(), index=dated["posting_id"].to_numpy())
    n = periods.value_counts()
    hits = terms_frame.loc[
        terms_frame["term_id"].isin(terms) & terms_frame["posting_id"].isin(by_post.index),
        ["posting_id", "term_id"],
    ].drop_duplicates()
    hits = hits.assign(period=by_post.reindex(hits["posting_id"]).to_numpy())
    found = hits.groupby(["period", "term_id"]).size()
    return grid_from_counts(n, found, terms)


def grid_from_counts(n: pd.Series, found: pd.Series, terms: Sequence[str]) -> pd.DataFrame:
    """The (period, term) grid from plain counts: ``n`` (pandas Period -> dated postings of the
    period) and ``found`` ((Period, term id) -> postings mentioning the term). Both backends build
    the grid here, so the trend functions see identical input."""
    n = n.sort_index()
    grid = pd.MultiIndex.from_product([n.index, list(terms)], names=["period", "term"])
    count = found.reindex(grid, fill_value=0).to_numpy(dtype=np.int64)
    df = pd.DataFrame(index=grid).reset_index()
    df["count"] = count
    df["n"] = df["period"].map(n).astype("int64")
    return df


def _years(periods: pd.Series) -> npt.NDArray[np.float64]:
    """A period's start as fractional years (2014-04 -> 2014.25), so the slope is per year."""
    start = periods.dt.start_time
    years: npt.NDArray[np.float64] = (start.dt.year + (start.dt.month - 1) / 12.0).to_numpy(
        dtype=np.float64
    )
    return years


# -- public functions ------------------------------------------------------------------------------


def trend_shares(
    roles_frame: pd.DataFrame,
    terms_frame: pd.DataFrame,
    meta: pd.DataFrame,
    *,
    role: str | None = None,
    terms: Sequence[str],
    freq: Freq = "month",
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> pd.DataFrame:
    """Share of the selection's dated postings mentioning each term, per period, with its Wilson
    interval (:func:`skillgauge.analyze.intervals.wilson`, i.e. statsmodels ``proportion_confint``).

    ``role=None`` selects every posting in ``meta``. One row per (period with postings, term),
    sorted by term (in the order given) then period; zero counts included. ``attrs`` carries
    ``population`` (:class:`~skillgauge.analyze.population.Population` of the dated postings used),
    ``undated_excluded`` and ``method``.
    """
    wanted = list(dict.fromkeys(terms))
    if not wanted:
        raise InputError("no terms given: name at least one term for a trend")
    dated, undated, _ = _selection(roles_frame, meta, role, start, end)
    grid = _counts_grid(dated, terms_frame, wanted, freq)
    population = describe_population(
        meta, dated["posting_id"], roles=() if role is None else (role,)
    )
    return trend_shares_from_grid(grid, wanted, freq, population, undated)


def trend_shares_from_grid(
    grid: pd.DataFrame, wanted: Sequence[str], freq: str, population: Population, undated: int
) -> pd.DataFrame:
    """:func:`trend_shares` from the (period, term) grid of :func:`grid_from_counts`."""
    df = grid.copy()
    share, low, high = wilson(df["count"].to_numpy(), df["n"].to_numpy())
    df["share"], df["ci_low"], df["ci_high"] = share, low, high
    df["period_start"] = df["period"].dt.start_time
    order = {t: i for i, t in enumerate(wanted)}
    df = df.assign(_t=df["term"].map(order)).sort_values(["_t", "period"], kind="stable")
    df["period"] = df["period"].astype(str)
    df["method"] = f"share of dated postings per {freq}; {WILSON_95}"
    out = df.reset_index(drop=True)[list(TREND_SHARE_COLUMNS)]
    _attach(out, population, undated, df["method"].iloc[0])
    return out


def trend_tests(
    roles_frame: pd.DataFrame,
    terms_frame: pd.DataFrame,
    meta: pd.DataFrame,
    *,
    role: str | None = None,
    terms: Sequence[str] | None = None,
    freq: Freq = "month",
    min_total: int = 20,
    alpha: float = 0.05,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> pd.DataFrame:
    """One row per term: logistic trend of "mentions the term" on time (see module docstring).

    Fitted with ``statsmodels.api.GLM(endog=[count, n - count], exog=[1, years],
    family=Binomial())``; the odds-ratio interval is ``exp`` of the Wald interval of the slope;
    q-values come from ``statsmodels.stats.multitest.multipletests(method="fdr_bh")`` over the
    tested terms. ``direction`` is "emerging" (q < alpha, slope > 0), "fading" (q < alpha,
    slope < 0), "flat" otherwise, or "untested" for a term with fewer than ``min_total`` mentions
    (or mentioned by every posting), which gets no statistics and does not count in the q-values.

    Under separation (time splits mentions from non-mentions, e.g. a term seen only in the last
    period) the slope is reported as +-inf with no interval, ``separated`` is true and the p-value
    is the likelihood-ratio test (``scipy.stats.chi2.sf`` of the scaled deviance drop, 1 df).

    ``terms=None`` tests every term mentioned in the selection. Sorted by q-value, then the
    steeper slope first. ``attrs`` as in :func:`trend_shares`.
    """
    check_test_args(min_total, alpha)
    dated, undated, what = _selection(roles_frame, meta, role, start, end)
    wanted = terms_to_test(
        terms,
        lambda: terms_frame.loc[terms_frame["posting_id"].isin(dated["posting_id"]), "term_id"],
        what,
    )
    grid = _counts_grid(dated, terms_frame, wanted, freq)
    population = describe_population(
        meta, dated["posting_id"], roles=() if role is None else (role,)
    )
    return trend_tests_from_grid(
        grid, freq=freq, min_total=min_total, alpha=alpha, what=what,
        population=population, undated=undated,
    )  # fmt: skip


def check_test_args(min_total: int, alpha: float) -> None:
    """The arguments of a trend test, checked the same way by both backends."""
    if min_total < 1:
        raise InputError("min_total must be at least 1")
    if not 0.0 < alpha < 1.0:
        raise InputError("alpha must be between 0 and 1")


def terms_to_test(
    terms: Sequence[str] | None, present: Callable[[], Iterable[object]], what: str
) -> list[str]:
    """``terms`` without repeats, or (``None``) every term ``present()`` finds in the selection."""
    if terms is None:
        wanted = sorted({str(t) for t in present()})
        if not wanted:
            raise InputError(f"no dated posting of {what} mentions any term")
        return wanted
    wanted = list(dict.fromkeys(terms))
    if not wanted:
        raise InputError("no terms given: name at least one term, or pass terms=None")
    return wanted


def trend_tests_from_grid(
    grid: pd.DataFrame,
    *,
    freq: str,
    min_total: int,
    alpha: float,
    what: str,
    population: Population,
    undated: int,
) -> pd.DataFrame:
    """:func:`trend_tests` from the (period, term) grid of :func:`grid_from_counts`; ``what``
    names the selection in error messages."""
    grid = grid.copy()
    n_periods = int(grid["period"].nunique())
    if n_periods < 2:
        raise InputError(
            f"a trend needs at least two {freq}s with postings; {what} has {n_periods}"
        )
    grid["x"] = _years(grid["period"])
    rows = [_fit_term(str(term), g, min_total) for term, g in grid.groupby("term", sort=False)]
    out = pd.DataFrame(rows)
    tested = out["p_value"].notna()
    out["q_value"] = np.nan
    if tested.any():
        from statsmodels.stats.multitest import multipletests

        out.loc[tested, "q_value"] = multipletests(
            out.loc[tested, "p_value"].to_numpy(), alpha=alpha, method="fdr_bh"
        )[1]
    out["direction"] = [
        _direction(q, s, alpha) for q, s in zip(out["q_value"], out["slope_per_year"], strict=True)
    ]
    out["method"] = TREND_TEST_METHOD
    out = out.assign(_abs=-out["slope_per_year"].abs()).sort_values(
        ["q_value", "_abs", "term"], na_position="last", kind="stable"
    )
    out = out.reset_index(drop=True)[list(TREND_TEST_COLUMNS)]
    _attach(out, population, undated, TREND_TEST_METHOD)
    return out


# -- internals -------------------------------------------------------------------------------------


def _direction(q: float, slope: float, alpha: float) -> str:
    if math.isnan(q):
        return "untested"
    if q < alpha and slope > 0:
        return "emerging"
    if q < alpha and slope < 0:
        return "fading"
    return "flat"


def _fit_term(term: str, g: pd.DataFrame, min_total: int) -> dict[str, object]:
    """Fit one term's binomial GLM on its per-period counts (rows sorted by period)."""
    import statsmodels.api as sm
    from scipy import stats

    count = g["count"].to_numpy(dtype=np.float64)
    n = g["n"].to_numpy(dtype=np.float64)
    total, n_total = int(count.sum()), int(n.sum())
    row: dict[str, object] = {
        "term": term,
        "count": total,
        "n": n_total,
        "periods": len(g),
        "first_period": str(g["period"].iloc[0]),
        "first_share": float(count[0] / n[0]),
        "last_period": str(g["period"].iloc[-1]),
        "last_share": float(count[-1] / n[-1]),
        "slope_per_year": math.nan,
        "odds_ratio_per_year": math.nan,
        "or_ci_low": math.nan,
        "or_ci_high": math.nan,
        "p_value": math.nan,
        "dispersion": math.nan,
        "converged": False,
        "separated": False,
    }
    if total < min_total or total >= n_total:
        return row
    x = g["x"].to_numpy(dtype=np.float64)
    exog = np.column_stack([np.ones_like(x), x - x.mean()])  # centred: same slope, stabler fit
    model = sm.GLM(np.column_stack([count, n - count]), exog, family=sm.families.Binomial())
    with warnings.catch_warnings():
        # statsmodels' own PerfectSeparationWarning also fires on an exactly constant share (a
        # perfect fit, not a separation); _separated() tells the two apart.
        warnings.simplefilter("ignore")
        res = model.fit()
    separated = _separated(count, n)
    slope = float(res.params[1])
    df_resid = float(res.df_resid)
    dispersion = float(res.pearson_chi2) / df_resid if df_resid > 0 else 1.0
    scale = max(dispersion, 1.0) if math.isfinite(dispersion) else 1.0
    row.update(dispersion=dispersion, converged=bool(res.converged), separated=separated)
    if separated:
        # The maximum-likelihood slope is infinite (e.g. a term seen only in the last period): the
        # Wald test collapses (Hauck-Donner), so test with the likelihood ratio instead.
        lr = max(float(res.null_deviance) - float(res.deviance), 0.0) / scale
        row.update(
            slope_per_year=math.copysign(math.inf, slope),
            odds_ratio_per_year=math.inf if slope > 0 else 0.0,
            p_value=float(stats.chi2.sf(lr, df=1)),
        )
        return row
    se = float(res.bse[1]) * math.sqrt(scale)
    z = float(stats.norm.ppf(0.975))
    with np.errstate(over="ignore"):
        low, mid, high = np.exp([slope - z * se, slope, slope + z * se])
    row.update(
        slope_per_year=slope,
        odds_ratio_per_year=float(mid),
        or_ci_low=float(low),
        or_ci_high=float(high),
        p_value=float(2.0 * stats.norm.sf(abs(slope) / se)) if se > 0 else math.nan,
    )
    return row


def _separated(count: npt.NDArray[np.float64], n: npt.NDArray[np.float64]) -> bool:
    """Whether time separates mentions from non-mentions (periods in time order): some period k
    has no mentions before it and only mentions after it, or the reverse. Then the logistic
    slope's maximum-likelihood estimate is infinite (Albert and Anderson 1984)."""
    zero, full = count == 0, count == n
    for none_before, all_after in ((zero, full), (full, zero)):
        prefix = np.concatenate([[True], np.logical_and.accumulate(none_before)])[:-1]
        suffix = np.concatenate([np.logical_and.accumulate(all_after[::-1])[::-1], [True]])[1:]
        if bool(np.any(prefix & suffix)):
            return True
    return False


def _attach(out: pd.DataFrame, population: Population, undated: int, method: str) -> None:
    out.attrs["population"] = population
    out.attrs["undated_excluded"] = undated
    out.attrs["method"] = method

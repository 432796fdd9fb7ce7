"""Salary association: how often postings state pay, and whether mentioning a technology goes with
higher pay. Pure functions over the frames of :mod:`skillgauge.store.queries` (no SQL, no I/O).

Why these choices:

* **No currency conversion.** Exchange rates move and a 2014 GBP salary converted at today's rate is
  a figure nobody paid. Analyses work on *one* currency at a time (``currency="USD"`` by default)
  and postings in any other currency are excluded and counted as such.
* **Annualise by fixed factors** (hour x 2080, day x 260, week x 52, month x 12): the usual
  full-time conventions. Postings without a stated or inferable period are excluded, not guessed.
* **Medians, not means**: salary distributions are skewed and the parsed ranges contain the odd
  outlier; a median of the posting midpoints is what a reader means by "typical pay".
* **Bootstrap percentile intervals** for a difference of medians (:func:`scipy.stats.bootstrap`,
  ``method="percentile"``): BCa's jackknife acceleration is unreliable for the median (a
  non-smooth statistic), the percentile method is not. Seeded, so reruns agree.
* **A regression for the confounding a raw difference cannot remove** (senior postings mention
  Kubernetes *and* pay more): OLS of log salary on term indicators plus controls, with HC3
  heteroskedasticity-robust standard errors (:func:`statsmodels.formula.api.ols`,
  ``fit(cov_type="HC3")``). Coefficients on the log scale read as % effects via ``exp(b) - 1``.
* Small groups are **flagged** (``low_n``), never dropped; empty or tiny selections raise
  :class:`~skillgauge.exceptions.InputError` rather than returning NaN or zero.

Each returned frame carries its :class:`~skillgauge.analyze.population.Population` in
``frame.attrs["population"]`` and names its method in a ``method`` column.
"""

from __future__ import annotations

import math
import re
import zlib
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from skillgauge.analyze.intervals import WILSON_95, wilson
from skillgauge.analyze.population import describe_population
from skillgauge.exceptions import InputError

__all__ = [
    "ANNUAL_FACTORS",
    "COVERAGE_COLUMNS",
    "DEFAULT_BOUNDS",
    "DEFAULT_CONTROLS",
    "REGRESSION_COLUMNS",
    "TERM_COLUMNS",
    "annual_salaries",
    "annualise",
    "salary_by_term",
    "salary_coverage",
    "salary_regression",
]

#: Multiply a per-period amount by this to get a yearly one (full-time conventions).
ANNUAL_FACTORS: Mapping[str, float] = {
    "year": 1.0,
    "month": 12.0,
    "week": 52.0,
    "day": 260.0,
    "hour": 2080.0,
}

#: Annual midpoints outside these bounds (in the analysed currency) are excluded as implausible:
#: what the text parser lets through at the edges ("401k" read as $401,000 is *inside*; "$2k" a
#: month-less signing bonus, or a funding round, are outside). Tuned for USD-like currencies.
DEFAULT_BOUNDS: tuple[float, float] = (10_000.0, 1_000_000.0)

#: Controls of the regression: role indicators, seniority, remote flag, coarse location, year and
#: source (Glassdoor estimates and HN employer statements differ in level; terms adopt over time).
DEFAULT_CONTROLS: tuple[str, ...] = ("role", "seniority", "remote", "location", "year", "source")

#: Fewer postings with a usable salary than this and no statistic is computed (InputError).
MIN_SALARIED = 5

COVERAGE_COLUMNS: tuple[str, ...] = (
    "source",
    "n",
    "with_salary",
    "share",
    "ci_low",
    "ci_high",
    "method",
)
TERM_COLUMNS: tuple[str, ...] = (
    "term_id",
    "currency",
    "n_with",
    "median_with",
    "n_without",
    "median_without",
    "difference",
    "ci_low",
    "ci_high",
    "low_n",
    "method",
)
REGRESSION_COLUMNS: tuple[str, ...] = (
    "term_id",
    "currency",
    "coef",
    "std_err",
    "pct_effect",
    "pct_ci_low",
    "pct_ci_high",
    "coef_ci_low",
    "coef_ci_high",
    "p_value",
    "n",
    "n_with",
    "low_n",
    "note",
    "method",
)

_BOOTSTRAP_METHOD = "percentile"


def annualise(
    salary_min: float | None,
    salary_max: float | None,
    period: str | None,
    currency: str | None,
) -> tuple[float | None, float | None, float | None]:
    """(annual_min, annual_max, annual_mid) in ``currency`` (unchanged: no FX conversion).

    The midpoint is the mean of both ends when both are stated, else the one stated end ("up to
    $120k" -> 120k, "$100k+" -> 100k). Returns all ``None`` when there is no amount or no period
    (an amount whose period is unknown cannot be annualised without guessing). An unknown period
    name raises :class:`InputError`. ``currency`` is accepted so call sites state what the amounts
    are in; it is never used to convert.
    """
    del currency  # kept as stated; see the docstring
    lo = _finite(salary_min)
    hi = _finite(salary_max)
    if (lo is None and hi is None) or period is None:
        return None, None, None
    key = str(period).strip().lower()
    if key not in ANNUAL_FACTORS:
        raise InputError(
            f"unknown salary period {period!r}: expected one of {', '.join(ANNUAL_FACTORS)}"
        )
    factor = ANNUAL_FACTORS[key]
    a_lo = lo * factor if lo is not None else None
    a_hi = hi * factor if hi is not None else None
    mid: float | None
    if a_lo is not None and a_hi is not None:
        a_lo, a_hi = min(a_lo, a_hi), max(a_lo, a_hi)
        mid = (a_lo + a_hi) / 2.0
    else:
        mid = a_lo if a_lo is not None else a_hi
    return a_lo, a_hi, mid


def _finite(value: object) -> float | None:
    if value is None:
        return None
    try:
        out = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None


def annual_salaries(
    meta: pd.DataFrame,
    *,
    currency: str = "USD",
    bounds: tuple[float, float] = DEFAULT_BOUNDS,
) -> pd.DataFrame:
    """``meta`` plus annual_min, annual_max, annual_mid and ``excluded`` (why a posting cannot enter
    a salary statistic in ``currency``, or ``None`` when it can).

    Reasons, in the order checked: ``no salary``, ``other currency`` (includes an unknown currency:
    a bare "100k" is not assumed to be USD), ``no period``, ``out of bounds``.
    """
    _require_columns(meta, "meta", ("posting_id", "salary_min", "salary_max", "salary_currency"))
    out = meta.copy()
    lows: list[float | None] = []
    highs: list[float | None] = []
    mids: list[float | None] = []
    reasons: list[str | None] = []
    want = currency.upper()
    periods = out["salary_period"] if "salary_period" in out else pd.Series([None] * len(out))
    for lo, hi, cur, per in zip(
        out["salary_min"], out["salary_max"], out["salary_currency"], periods, strict=True
    ):
        a_lo, a_hi, mid = (None, None, None)
        reason: str | None = None
        if _finite(lo) is None and _finite(hi) is None:
            reason = "no salary"
        elif not isinstance(cur, str) or cur.upper() != want:
            reason = "other currency"
        elif not isinstance(per, str) or not per:
            reason = "no period"
        else:
            a_lo, a_hi, mid = annualise(lo, hi, per, cur)
            if mid is None:
                reason = "no period"
            elif not bounds[0] <= mid <= bounds[1]:
                reason = "out of bounds"
        lows.append(a_lo)
        highs.append(a_hi)
        mids.append(mid)
        reasons.append(reason)
    out["annual_min"] = pd.array(lows, dtype="Float64").astype("float64")
    out["annual_max"] = pd.array(highs, dtype="Float64").astype("float64")
    out["annual_mid"] = pd.array(mids, dtype="Float64").astype("float64")
    out["excluded"] = pd.Series(reasons, index=out.index, dtype="object")
    return out


# -- coverage ---------------------------------------------------------------------------------------


def salary_coverage(
    meta: pd.DataFrame,
    role: str | None = None,
    roles_frame: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Share of postings that state a salary (any currency, any period), with a 95% Wilson interval.

    One row per source plus a final ``source == "all"`` row. ``role`` restricts to postings of that
    role and needs ``roles_frame`` (``posting_roles_frame``). A posting "states a salary" when its
    store row has a minimum or a maximum. Computed with
    :func:`statsmodels.stats.proportion.proportion_confint` (``method="wilson"``).
    """
    _require_columns(meta, "meta", ("posting_id", "source", "salary_min", "salary_max"))
    sub = _select_role(meta, role, roles_frame)
    if sub.empty:
        raise InputError(_nothing_message(meta, role, "postings"))
    stated = sub["salary_min"].notna() | sub["salary_max"].notna()
    frame = pd.DataFrame({"source": sub["source"].astype(str), "stated": stated})
    per = frame.groupby("source", sort=True)["stated"].agg(["size", "sum"])
    rows = [(str(s), int(r["size"]), int(r["sum"])) for s, r in per.iterrows()]
    rows.append(("all", len(frame), int(stated.sum())))
    n = np.array([r[1] for r in rows])
    k = np.array([r[2] for r in rows])
    share, low, high = wilson(k, n)
    out = pd.DataFrame(
        {
            "source": [r[0] for r in rows],
            "n": n.astype("int64"),
            "with_salary": k.astype("int64"),
            "share": share,
            "ci_low": low,
            "ci_high": high,
            "method": WILSON_95,
        }
    )[list(COVERAGE_COLUMNS)]
    out.attrs["population"] = describe_population(
        meta, sub["posting_id"], () if role is None else (role,)
    )
    return out


# -- median difference per term ---------------------------------------------------------------------


def salary_by_term(
    meta: pd.DataFrame,
    roles_frame: pd.DataFrame,
    terms_frame: pd.DataFrame,
    *,
    role: str | None = None,
    currency: str = "USD",
    min_n: int = 30,
    terms: Sequence[str] | None = None,
    bounds: tuple[float, float] = DEFAULT_BOUNDS,
    confidence: float = 0.95,
    n_resamples: int = 2000,
    seed: int = 0,
) -> pd.DataFrame:
    """Per term: median annual salary of postings mentioning it vs. those that do not.

    Over postings of ``role`` (all postings when ``None``) with a usable salary in ``currency``
    (see :func:`annual_salaries`). ``difference = median_with - median_without``; its interval is
    a seeded :func:`scipy.stats.bootstrap` over the two groups resampled independently
    (``method="percentile"``). Groups under ``min_n`` are flagged ``low_n``; a group of fewer than
    2 postings has no interval (NaN). ``terms`` defaults to every term some salaried posting
    mentions. Sorted by difference, largest first.
    """
    _require_columns(terms_frame, "terms_frame", ("posting_id", "term_id"))
    sal = _salaried(meta, roles_frame, role=role, currency=currency, bounds=bounds)
    ids = sal["posting_id"]
    mids = sal["annual_mid"].to_numpy(dtype=np.float64)
    in_sel = terms_frame[terms_frame["posting_id"].isin(ids)]
    wanted = sorted(in_sel["term_id"].astype(str).unique()) if terms is None else list(terms)
    by_term = in_sel.groupby("term_id")["posting_id"].agg(set)
    method = (
        f"difference of medians of annual mid salary ({currency.upper()}); "
        f"bootstrap {_BOOTSTRAP_METHOD} {confidence:.0%} CI, {n_resamples} resamples, seed {seed}"
        " (a stream per term)"
    )
    records: list[dict[str, object]] = []
    posting_ids = ids.to_numpy()
    for term in wanted:
        members = by_term.get(term, set())
        mask = np.fromiter((p in members for p in posting_ids), dtype=bool, count=len(posting_ids))
        with_, without = mids[mask], mids[~mask]
        med_w = float(np.median(with_)) if len(with_) else math.nan
        med_wo = float(np.median(without)) if len(without) else math.nan
        # One random stream per (seed, term): a term's interval does not depend on which other
        # terms were asked for, or in which order (the API's default term list varies by role).
        rng = np.random.default_rng([seed, zlib.crc32(term.encode("utf-8"))])
        lo, hi = _bootstrap_median_diff(with_, without, confidence, n_resamples, rng)
        records.append(
            {
                "term_id": term,
                "currency": currency.upper(),
                "n_with": len(with_),
                "median_with": med_w,
                "n_without": len(without),
                "median_without": med_wo,
                "difference": med_w - med_wo,
                "ci_low": lo,
                "ci_high": hi,
                "low_n": len(with_) < min_n or len(without) < min_n,
                "method": method,
            }
        )
    out = pd.DataFrame.from_records(records, columns=list(TERM_COLUMNS))
    out = out.astype({"n_with": "int64", "n_without": "int64", "low_n": "bool"})
    out = out.sort_values(["difference", "term_id"], ascending=[False, True], na_position="last")
    out = out.reset_index(drop=True)
    out.attrs["population"] = describe_population(meta, ids, () if role is None else (role,))
    return out


def _median_diff(a: npt.NDArray[np.float64], b: npt.NDArray[np.float64], axis: int = -1) -> object:
    return np.median(a, axis=axis) - np.median(b, axis=axis)


def _bootstrap_median_diff(
    a: npt.NDArray[np.float64],
    b: npt.NDArray[np.float64],
    confidence: float,
    n_resamples: int,
    rng: np.random.Generator,
) -> tuple[float, float]:
    """Percentile interval of median(a) - median(b); NaN when either group has < 2 postings."""
    from scipy.stats import bootstrap  # scipy.stats is slow to import; only analyses pay it

    if len(a) < 2 or len(b) < 2:
        return math.nan, math.nan
    res = bootstrap(
        (a, b),
        _median_diff,
        n_resamples=n_resamples,
        confidence_level=confidence,
        method=_BOOTSTRAP_METHOD,
        vectorized=True,
        paired=False,
        random_state=rng,
        batch=max(1, min(n_resamples, 20_000_000 // max(len(a) + len(b), 1))),
    )
    return float(res.confidence_interval.low), float(res.confidence_interval.high)


# -- regression -------------------------------------------------------------------------------------


def salary_regression(
    meta: pd.DataFrame,
    roles_frame: pd.DataFrame,
    terms_frame: pd.DataFrame,
    *,
    terms: Sequence[str],
    currency: str = "USD",
    role: str | None = None,
    controls: Sequence[str] = DEFAULT_CONTROLS,
    min_n: int = 30,
    min_group: int = 20,
    bounds: tuple[float, float] = DEFAULT_BOUNDS,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """OLS of ``log(annual_mid)`` on indicators of ``terms`` plus controls; one row per term.

    Fitted with :func:`statsmodels.formula.api.ols` and ``fit(cov_type="HC3")`` (standard errors
    robust to the unequal variance of salaries across groups). ``pct_effect = exp(coef) - 1`` is
    the salary difference associated with mentioning the term, the other terms and the controls
    held fixed; its interval is the coefficient's interval transformed the same way.

    Controls (any subset of :data:`DEFAULT_CONTROLS`): ``role`` is one indicator per role with at
    least ``min_group`` salaried postings (a posting may hold several roles); ``seniority``,
    ``remote`` (true/false/unknown), ``location`` (lower-cased text), ``year`` of posting and
    ``source`` are dummy-coded against their most frequent level. Levels with fewer than
    ``min_group`` postings are pooled into the baseline (a level of one posting has leverage 1 and
    makes HC3 undefined). Missing values are a level of their own ("unknown"), so they never
    exclude a posting. A control column that is a linear combination of earlier ones (e.g. a
    source whose postings are all from one year) is dropped.

    Postings excluded, counted in ``attrs["excluded"]``: outside ``role``; no salary; another (or
    unknown) currency; no period; annual midpoint outside ``bounds``. A term mentioned by fewer
    than 2 modelled postings, by all but one, or collinear with the controls cannot be estimated:
    its row is NaN and ``note`` says why. ``attrs`` also holds ``formula``, ``nobs``,
    ``r_squared``, ``controls`` (the control columns kept) and ``population``.
    """
    import statsmodels.formula.api as smf  # ~1 s to import: only paid when a regression runs

    wanted = list(dict.fromkeys(terms))
    if not wanted:
        raise InputError("salary_regression needs at least one term")
    unknown = set(controls) - set(DEFAULT_CONTROLS)
    if unknown:
        raise InputError(
            f"unknown control(s) {sorted(unknown)}: choose from {', '.join(DEFAULT_CONTROLS)}"
        )
    _require_columns(terms_frame, "terms_frame", ("posting_id", "term_id"))
    excluded: dict[str, int] = {}
    sal = _salaried(
        meta, roles_frame, role=role, currency=currency, bounds=bounds, excluded=excluded
    )
    idx = pd.Index(sal["posting_id"].to_numpy())
    y = np.log(sal["annual_mid"].to_numpy(dtype=np.float64))
    design = _control_design(sal, roles_frame, controls, min_group)
    in_sel = terms_frame[terms_frame["posting_id"].isin(idx)]
    notes: dict[str, str] = {}
    n_with: dict[str, int] = {}
    term_cols: dict[str, str] = {}
    for i, term in enumerate(wanted):
        members = in_sel.loc[in_sel["term_id"] == term, "posting_id"]
        flag = idx.isin(members).astype(np.float64)
        n_with[term] = int(flag.sum())
        if n_with[term] < 2 or n_with[term] > len(idx) - 2:
            notes[term] = (
                f"not estimable: {n_with[term]} of {len(idx)} modelled postings mention it"
            )
            continue
        design[f"t{i}"] = flag
        term_cols[term] = f"t{i}"
    control_cols = [c for c in design.columns if not c.startswith("t")]
    kept = _independent_columns(design, control_cols + list(term_cols.values()))
    for term, col in list(term_cols.items()):
        if col not in kept:
            notes[term] = "not estimable: collinear with the controls or other terms"
            del term_cols[term]
    if not term_cols:
        raise InputError(
            f"none of the terms {wanted} can be estimated from the {len(idx)} postings with a"
            f" usable {currency.upper()} salary: " + "; ".join(f"{t}: {notes[t]}" for t in wanted)
        )
    rhs = [c for c in kept if c in control_cols] + list(term_cols.values())
    if len(idx) < max(MIN_SALARIED, len(rhs) + 3):
        raise InputError(
            f"too few postings for the regression: {len(idx)} with a usable {currency.upper()}"
            f" salary for {len(rhs) + 1} parameters"
        )
    data = design[rhs].copy()
    data["y"] = y
    formula = "y ~ " + " + ".join(rhs)
    fit = smf.ols(formula, data=data).fit(cov_type="HC3")
    ci = fit.conf_int(alpha=1.0 - confidence)
    method = (
        f"OLS of log annual mid salary ({currency.upper()}) on term indicators"
        f" + controls [{', '.join(controls)}]; HC3 robust SE; {confidence:.0%} CI"
    )
    records: list[dict[str, object]] = []
    for term in wanted:
        fitted = term_cols.get(term)
        if fitted is None:
            b = se = lo = hi = p = math.nan
        else:
            b, se = float(fit.params[fitted]), float(fit.bse[fitted])
            p = float(fit.pvalues[fitted])
            lo, hi = float(ci.loc[fitted, 0]), float(ci.loc[fitted, 1])
        records.append(
            {
                "term_id": term,
                "currency": currency.upper(),
                "coef": b,
                "std_err": se,
                "pct_effect": math.expm1(b),
                "pct_ci_low": math.expm1(lo),
                "pct_ci_high": math.expm1(hi),
                "coef_ci_low": lo,
                "coef_ci_high": hi,
                "p_value": p,
                "n": int(fit.nobs),
                "n_with": n_with[term],
                "low_n": n_with[term] < min_n,
                "note": notes.get(term, ""),
                "method": method,
            }
        )
    out = pd.DataFrame.from_records(records, columns=list(REGRESSION_COLUMNS))
    out.attrs.update(
        {
            "population": describe_population(meta, idx, () if role is None else (role,)),
            "excluded": excluded,
            "formula": formula,
            "nobs": int(fit.nobs),
            "r_squared": float(fit.rsquared),
            "controls": {c: str(design.attrs["names"][c]) for c in rhs if c in control_cols},
        }
    )
    return out


def _control_design(
    sal: pd.DataFrame, roles_frame: pd.DataFrame, controls: Sequence[str], min_group: int
) -> pd.DataFrame:
    """0/1 control columns ``k0, k1, ...`` indexed like ``sal``; ``attrs["names"]`` maps each
    column to a readable name such as ``seniority=senior`` or ``role=data-engineer``."""
    idx = pd.Index(sal["posting_id"].to_numpy())
    columns: dict[str, npt.NDArray[np.float64]] = {}
    names: dict[str, str] = {}

    def add(name: str, flag: npt.NDArray[np.float64]) -> None:
        if min_group <= flag.sum() <= len(flag) - 1:
            col = f"k{len(columns)}"
            columns[col] = flag
            names[col] = name

    if "role" in controls:
        roles = roles_frame[roles_frame["posting_id"].isin(idx)]
        for role_name, members in sorted(roles.groupby("role")["posting_id"]):
            add(f"role={role_name}", idx.isin(members).astype(np.float64))
    for name in ("seniority", "remote", "location", "year", "source"):
        if name not in controls:
            continue
        values = _levels(sal, name)
        if values is None:
            continue
        counts = values.value_counts()
        baseline = counts.index[0] if len(counts) else None
        for level in sorted(counts.index):
            if level != baseline:
                add(f"{name}={level}", (values == level).to_numpy(dtype=np.float64))
    out = pd.DataFrame(columns, index=idx)
    out.attrs["names"] = names
    return out


def _levels(sal: pd.DataFrame, name: str) -> pd.Series | None:
    """One string level per posting for a categorical control; ``None`` when the column is absent."""
    column = "date_posted" if name == "year" else name
    if column not in sal.columns:
        return None
    raw = sal[column]
    if name == "year":
        years = pd.to_datetime(raw, errors="coerce").dt.year
        return years.map(lambda v: "unknown" if pd.isna(v) else str(int(v)))
    if name == "remote":
        return raw.map(lambda v: "unknown" if pd.isna(v) else str(bool(v)).lower())
    return raw.map(lambda v: _norm(v) if isinstance(v, str) and v.strip() else "unknown")


def _independent_columns(design: pd.DataFrame, order: Sequence[str]) -> list[str]:
    """Columns of ``order`` kept greedily while each adds rank to [intercept, kept...]."""
    n = len(design)
    basis = np.ones((n, 1))
    kept: list[str] = []
    rank = 1
    for col in order:
        trial = np.column_stack([basis, design[col].to_numpy(dtype=np.float64)])
        new_rank = int(np.linalg.matrix_rank(trial))
        if new_rank > rank:
            basis, rank = trial, new_rank
            kept.append(col)
    return kept


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower())


# -- shared selection -------------------------------------------------------------------------------


def _salaried(
    meta: pd.DataFrame,
    roles_frame: pd.DataFrame,
    *,
    role: str | None,
    currency: str,
    bounds: tuple[float, float],
    excluded: dict[str, int] | None = None,
) -> pd.DataFrame:
    """Postings of ``role`` with a usable annual salary in ``currency``; InputError when fewer
    than :data:`MIN_SALARIED`. Fills ``excluded`` with counts per reason."""
    sub = _select_role(meta, role, roles_frame)
    if excluded is not None and role is not None:
        excluded["outside role"] = len(meta) - len(sub)
    if sub.empty:
        raise InputError(_nothing_message(meta, role, "postings"))
    annual = annual_salaries(sub, currency=currency, bounds=bounds)
    if excluded is not None:
        for reason, count in annual["excluded"].value_counts().items():
            excluded[str(reason)] = int(count)
    usable = annual[annual["excluded"].isna()]
    if len(usable) < MIN_SALARIED:
        raise InputError(
            _nothing_message(meta, role, f"postings with a usable {currency.upper()} salary")
            + f": {len(usable)} of {len(sub)} postings qualify, at least {MIN_SALARIED} needed"
        )
    return usable.reset_index(drop=True)


def _select_role(
    meta: pd.DataFrame, role: str | None, roles_frame: pd.DataFrame | None
) -> pd.DataFrame:
    if role is None:
        return meta
    if roles_frame is None:
        raise InputError(f"selecting role {role!r} needs the roles frame (posting_roles_frame)")
    _require_columns(roles_frame, "roles_frame", ("posting_id", "role"))
    ids = roles_frame.loc[roles_frame["role"] == role, "posting_id"]
    return meta[meta["posting_id"].isin(ids)]


def _nothing_message(meta: pd.DataFrame, role: str | None, what: str) -> str:
    scope = "all roles" if role is None else f"role {role!r}"
    dates = (
        pd.to_datetime(meta["date_posted"], errors="coerce").dropna()
        if "date_posted" in meta
        else pd.Series(dtype="datetime64[ns]")
    )
    span = (
        f" between {dates.min().date()} and {dates.max().date()}"
        if len(dates)
        else " (no dated postings)"
    )
    return f"too few {what} for {scope}{span}"


def _require_columns(frame: pd.DataFrame, name: str, columns: Sequence[str]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"{name} lacks column(s) {', '.join(missing)}")

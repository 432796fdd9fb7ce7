"""Charts for the trend and co-occurrence analyses: pure functions, data frame in, Figure out.

* :func:`trend_chart` — one line per term through its per-period shares
  (:func:`skillgauge.analyze.trends.trend_shares`), with the 95% Wilson interval as a band. A share
  without its band invites reading a noisy month as a change.
* :func:`cooccurrence_heatmap` — a term x term matrix of one association measure from
  :func:`skillgauge.analyze.cooccurrence.cooccurrence` (NPMI by default).

Like :mod:`skillgauge.report.charts` they use the object API (``Figure``, never ``pyplot``), so they
are safe headless, in threads and in tests, and take colours from its :data:`PALETTE`.

Time is drawn as time: a gap in the data (HN has no postings between 2018-05 and 2025-12) breaks the
line instead of drawing a straight segment across years nobody measured.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.colors import LinearSegmentedColormap, LogNorm, Normalize
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from skillgauge.exceptions import InputError
from skillgauge.report.charts import PALETTE

_INK = "#222222"
_MUTED_INK = "#555555"
_GRID = "#DDDDDD"
_LINESTYLES: tuple[str, ...] = ("-", "--", ":", "-.")
_ANNOTATE_MAX = 15  # write the value in each cell up to this many terms

#: Diverging map for signed measures (NPMI, log lift): rose (apart) - white - indigo (together).
DIVERGING = LinearSegmentedColormap.from_list("skillgauge_div", [PALETTE[3], "#FFFFFF", PALETTE[0]])
#: Sequential map for non-negative measures (Jaccard, support, count).
SEQUENTIAL = LinearSegmentedColormap.from_list("skillgauge_seq", ["#FFFFFF", PALETTE[0]])


def trend_chart(
    shares: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    title: str | None = None,
    subtitle: str | None = None,
) -> Figure:
    """One line (with markers) and one interval band per term of a ``trend_shares`` frame.

    Colours cycle through :data:`PALETTE`; past five terms the line style changes too, so every
    term stays distinguishable in greyscale. Lines break where periods are missing.
    """
    needed = {"period", "period_start", "term", "share", "ci_low", "ci_high"}
    if shares.empty or not needed <= set(shares.columns):
        raise InputError("no trend to draw: pass a non-empty trend_shares() frame")
    names = labels or {}
    terms = list(dict.fromkeys(shares["term"]))
    fig = Figure(figsize=(9.0, 5.0), layout="constrained", dpi=100)
    ax = fig.add_subplot()
    for k, term in enumerate(terms):
        g = _with_gaps(shares[shares["term"] == term])
        colour = PALETTE[k % len(PALETTE)]
        style = _LINESTYLES[(k // len(PALETTE)) % len(_LINESTYLES)]
        x = g["period_start"].to_numpy()
        ax.fill_between(
            x,
            g["ci_low"].to_numpy(dtype=float),
            g["ci_high"].to_numpy(dtype=float),
            color=colour,
            alpha=0.18,
            linewidth=0,
        )
        ax.plot(
            x,
            g["share"].to_numpy(dtype=float),
            color=colour,
            linestyle=style,
            marker="o",
            markersize=2.5,
            linewidth=1.6,
            label=names.get(term, term),
        )
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
    ax.set_ylim(bottom=0)
    ax.set_ylabel("share of postings", color=_MUTED_INK)
    ax.grid(axis="y", color=_GRID, linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.legend(frameon=False, loc="upper left", ncols=min(len(terms), 4))
    ax.set_title(
        title or "Share of postings mentioning each term",
        loc="left",
        color=_INK,
        usetex=False,
    )
    note = subtitle or "Lines: share per period. Bands: 95% Wilson interval. Gaps: no postings."
    ax.set_xlabel(note, fontsize=8, color=_MUTED_INK, loc="left")
    return fig


def cooccurrence_heatmap(
    cooc: pd.DataFrame,
    *,
    terms: Sequence[str] | None = None,
    value: str = "npmi",
    max_terms: int = 25,
    labels: Mapping[str, str] | None = None,
    title: str | None = None,
) -> Figure:
    """A symmetric ``len(terms) x len(terms)`` heatmap of ``value`` from a ``cooccurrence`` frame.

    ``terms=None`` takes the ``max_terms`` most frequent terms of the frame. The diagonal and the
    pairs the frame does not list (below its count threshold) are left blank. NPMI uses a fixed
    -1..1 diverging scale, lift a log scale centred on 1, other measures a white-to-indigo scale.
    """
    if cooc.empty:
        raise InputError("no co-occurrence to draw: the pair table is empty")
    if value not in cooc.columns:
        raise InputError(f"the pair table has no column {value!r}")
    chosen = list(dict.fromkeys(terms)) if terms is not None else _frequent_terms(cooc, max_terms)
    if len(chosen) < 2:
        raise InputError("a co-occurrence heatmap needs at least two terms")
    pos = {t: i for i, t in enumerate(chosen)}
    k = len(chosen)
    grid = np.full((k, k), np.nan)
    sub = cooc[cooc["term_a"].isin(pos) & cooc["term_b"].isin(pos)]
    for a, b, v in zip(sub["term_a"], sub["term_b"], sub[value].astype(float), strict=True):
        grid[pos[a], pos[b]] = grid[pos[b], pos[a]] = v
    masked = np.ma.masked_invalid(grid)

    norm: Normalize
    if value == "npmi":
        cmap, norm = DIVERGING, Normalize(vmin=-1.0, vmax=1.0)
    elif value == "lift":
        finite = grid[np.isfinite(grid) & (grid > 0)]
        span = max(float(np.max(np.abs(np.log(finite)))) if finite.size else 1.0, 1e-6)
        cmap, norm = DIVERGING, LogNorm(vmin=math.exp(-span), vmax=math.exp(span))
    else:
        top = float(np.nanmax(grid)) if np.isfinite(grid).any() else 1.0
        cmap, norm = SEQUENTIAL, Normalize(vmin=0.0, vmax=top if top > 0 else 1.0)

    side = max(4.0, 0.32 * k + 2.5)
    fig = Figure(figsize=(side + 1.2, side), layout="constrained", dpi=100)
    ax = fig.add_subplot()
    image = ax.imshow(masked, cmap=cmap, norm=norm, interpolation="nearest")
    names = labels or {}
    ticks = [names.get(t, t) for t in chosen]
    ax.set_xticks(range(k), ticks, rotation=90, fontsize=8)
    ax.set_yticks(range(k), ticks, fontsize=8)
    for side_name in ("top", "right", "bottom", "left"):
        ax.spines[side_name].set_visible(False)
    if k <= _ANNOTATE_MAX:
        for i in range(k):
            for j in range(k):
                if np.isfinite(grid[i, j]):
                    ax.text(
                        j,
                        i,
                        f"{grid[i, j]:.2f}",
                        ha="center",
                        va="center",
                        fontsize=7,
                        color=_INK,
                        usetex=False,
                        parse_math=False,
                    )
    fig.colorbar(image, ax=ax, shrink=0.8, label=value)
    ax.set_title(title or f"Terms asked for together ({value})", loc="left", color=_INK)
    return fig


def _frequent_terms(cooc: pd.DataFrame, limit: int) -> list[str]:
    """The ``limit`` terms mentioned by most postings (ties by name)."""
    freq = pd.concat(
        [
            cooc[["term_a", "count_a"]].set_axis(["term", "n"], axis=1),
            cooc[["term_b", "count_b"]].set_axis(["term", "n"], axis=1),
        ]
    ).drop_duplicates("term")
    freq = freq.sort_values(["n", "term"], ascending=[False, True])
    return [str(t) for t in freq["term"].head(limit)]


def _with_gaps(g: pd.DataFrame) -> pd.DataFrame:
    """The term's rows in period order, with an all-NaN row inserted wherever periods are missing,
    so the line and band break there instead of bridging the gap."""
    g = g.sort_values("period_start")
    freq = "Q" if g["period"].astype(str).str.contains("Q").any() else "M"
    ordinals = np.array([pd.Period(p, freq=freq).ordinal for p in g["period"].astype(str)])
    cols = ["period_start", "share", "ci_low", "ci_high"]
    rows = g[cols].reset_index(drop=True)
    gaps = np.flatnonzero(np.diff(ordinals) > 1)
    if gaps.size == 0:
        return rows
    parts: list[pd.DataFrame] = []
    last = 0
    for i in map(int, gaps):
        parts.append(rows.iloc[last : i + 1])
        gap_start = (
            rows["period_start"].iloc[i]
            + (rows["period_start"].iloc[i + 1] - rows["period_start"].iloc[i]) / 2
        )
        parts.append(
            pd.DataFrame(
                {
                    "period_start": [gap_start],
                    "share": [np.nan],
                    "ci_low": [np.nan],
                    "ci_high": [np.nan],
                }
            )
        )
        last = i + 1
    parts.append(rows.iloc[last:])
    return pd.concat(parts, ignore_index=True)

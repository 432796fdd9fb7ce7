"""Salary difference per technology: a dot for the difference of medians, a line for its interval.

Pure: the frame of :func:`skillgauge.analyze.salary.salary_by_term` in, a
:class:`matplotlib.figure.Figure` out (object API, no ``pyplot`` global state; saving is the
caller's business).

Design choices:

* A dot-and-interval chart, not bars: the quantity is a *difference* that can be negative, and the
  interval matters as much as the point; a zero line makes "no clear difference" visible.
* Terms whose group is under the minimum n are drawn hollow and say so in the legend (shown, never
  hidden); terms without an interval (a single posting) get a dot only.
* Colours from :data:`skillgauge.report.charts.PALETTE`; data text is drawn with mathtext off, so
  ``C#`` or ``$HOME`` print as written.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter

from skillgauge.report.charts import PALETTE

_INK = "#222222"
_MUTED_INK = "#555555"
_GRID = "#DDDDDD"
_ROW_IN = 0.28
_FRAME_IN = 1.6


def salary_difference_chart(
    frame: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    title: str | None = None,
    top: int | None = 30,
) -> Figure:
    """One row per term (largest difference at the top): median with minus median without.

    ``frame`` needs term_id, difference, ci_low, ci_high, n_with, low_n and currency columns (as
    ``salary_by_term`` returns). ``labels`` maps term ids to display names. ``top`` keeps that many
    most-mentioned terms (``None``: all): picking by size of difference would fill the chart with
    single-posting noise. An empty frame gives a figure saying so.
    """
    rows = frame.dropna(subset=["difference"])
    if top is not None and len(rows) > top:
        order = rows.sort_values(["n_with", "term_id"], ascending=[False, True], kind="stable")
        rows = order.head(top)
    rows = rows.sort_values("difference", ascending=True).reset_index(drop=True)
    names = labels or {}
    currency = str(frame["currency"].iloc[0]) if len(frame) else ""
    fig = Figure(figsize=(8.0, _FRAME_IN + _ROW_IN * max(len(rows), 3)), layout="constrained")
    ax = fig.add_subplot()
    fig.suptitle(
        title or f"Median annual salary with vs. without each technology ({currency})",
        x=0.01,
        ha="left",
        fontsize=12,
        color=_INK,
    )
    if rows.empty:
        ax.text(0.5, 0.5, "no term has a salary difference to show", ha="center", va="center")
        ax.set_axis_off()
        return fig
    colour = PALETTE[0]
    for i, row in rows.iterrows():
        y = float(str(i))
        lo, hi = float(row["ci_low"]), float(row["ci_high"])
        if not (math.isnan(lo) or math.isnan(hi)):
            ax.hlines(y, lo, hi, color=colour, linewidth=1.6, zorder=2)
        small = bool(row["low_n"])
        ax.plot(
            [float(row["difference"])],
            [y],
            marker="o",
            markersize=6,
            markerfacecolor="white" if small else colour,
            markeredgecolor=colour,
            linestyle="none",
            zorder=3,
        )
    ax.axvline(0.0, color=_MUTED_INK, linewidth=0.8, zorder=1)
    ticks = [
        f"{names.get(str(t), str(t))}  (n={int(n)})"
        for t, n in zip(rows["term_id"], rows["n_with"], strict=True)
    ]
    ax.set_yticks(range(len(rows)), ticks, fontsize=9, color=_INK)
    for tick in ax.get_yticklabels():
        tick.set_parse_math(False)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.xaxis.set_major_formatter(FuncFormatter(_money))
    ax.tick_params(axis="x", labelsize=9, colors=_MUTED_INK)
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", color=_GRID, linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    method = str(frame["method"].iloc[0]) if "method" in frame else ""
    ax.set_xlabel(
        f"difference of medians, {currency} per year; line: {method.split('; ')[-1].split(',')[0]}",
        fontsize=8.5,
        color=_MUTED_INK,
    )
    ax.legend(
        handles=[
            Line2D([], [], marker="o", color=colour, linestyle="none", label="difference"),
            Line2D(
                [],
                [],
                marker="o",
                markerfacecolor="white",
                markeredgecolor=colour,
                linestyle="none",
                label="few postings (low n)",
            ),
        ],
        loc="lower right",
        fontsize=8.5,
        frameon=False,
    )
    return fig


def _money(value: float, _pos: int) -> str:
    sign = "-" if value < 0 else ("+" if value > 0 else "")
    amount = abs(value)
    return f"{sign}{amount / 1000:.0f}k" if amount >= 1000 else f"{sign}{amount:.0f}"

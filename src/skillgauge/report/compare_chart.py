"""The role-comparison chart: per term, the difference of two roles' shares with its 95% interval.

Pure: a :func:`skillgauge.analyze.compare.compare_roles` frame in, a
:class:`matplotlib.figure.Figure` out (object API, no pyplot state), like ``report/charts.py``.

Design choices:

* A dot-and-interval ("forest") plot, not two bar series: the quantity of interest is the
  *difference*, and its interval is what tells noise from signal.
* Sorted by difference, with a zero line: terms right of zero are asked for more in the first role.
* Terms significant after the Benjamini-Hochberg adjustment are filled dots in the first role's
  colour; the rest are hollow and grey, so "significant" is readable without colour too.
* Both roles' n are in the title and the legend; the methods are in the footnote.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import PercentFormatter

from skillgauge.exceptions import InputError
from skillgauge.report.charts import PALETTE

_INK = "#222222"
_MUTED = "#888888"
_GRID = "#DDDDDD"
_ROW_IN = 0.26
_EXTRA_IN = 1.9  # title, legend, axis and footnote


def plot_differences(df: pd.DataFrame, *, top: int | None = 40) -> Figure:
    """Dot-and-interval plot of ``diff`` with ``[diff_low, diff_high]`` per term.

    ``top`` keeps the terms with the largest absolute difference (None: every row). Raises
    :class:`InputError` on an empty frame.
    """
    if df.empty:
        raise InputError("nothing to plot: the comparison has no rows")
    rows = df
    if top is not None and len(rows) > top:
        keep = np.argsort(-rows["diff"].abs().to_numpy(), kind="stable")[:top]
        rows = rows.iloc[keep]
    rows = rows.sort_values(["diff", "term_id"], ascending=[True, True]).reset_index(drop=True)
    first = rows.iloc[0]
    role_a, role_b = str(first["role_a"]), str(first["role_b"])
    name_b = f"not {role_a}" if role_b == "rest" else role_b
    n_a, n_b = int(first["n_a"]), int(first["n_b"])

    fig = Figure(figsize=(8.0, _EXTRA_IN + _ROW_IN * len(rows)), layout="constrained", dpi=100)
    ax = fig.add_subplot()
    y = np.arange(len(rows))
    diff = rows["diff"].to_numpy(dtype=float) * 100
    low = rows["diff_low"].to_numpy(dtype=float) * 100
    high = rows["diff_high"].to_numpy(dtype=float) * 100
    sig = rows["significant"].to_numpy(dtype=bool)

    ax.axvline(0.0, color=_INK, linewidth=0.9, zorder=1)
    colours = [PALETTE[0] if s else _MUTED for s in sig]
    ax.hlines(y, low, high, colors=colours, linewidth=1.6, zorder=2)
    ax.scatter(diff[sig], y[sig], s=30, color=PALETTE[0], zorder=3)
    ax.scatter(
        diff[~sig], y[~sig], s=30, facecolors="white", edgecolors=_MUTED, linewidths=1.2, zorder=3
    )
    ax.set_yticks(y, [textwrap.shorten(str(s), 32) for s in rows["label"]], fontsize=9)
    for tick in ax.get_yticklabels():
        tick.set_parse_math(False)
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.xaxis.set_major_formatter(PercentFormatter(xmax=100, decimals=0))
    ax.set_xlabel(f"Share in {role_a} minus share in {name_b} (percentage points)", fontsize=9)
    ax.grid(axis="x", color=_GRID, linewidth=0.8, zorder=0)
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="y", length=0)

    alpha = df.attrs.get("alpha", 0.05)
    handles = [
        Line2D([], [], marker="o", color=PALETTE[0], label=f"significant (q < {alpha:g})"),
        Line2D([], [], marker="o", color=_MUTED, markerfacecolor="white", label="not significant"),
    ]
    legend = ax.legend(
        handles=handles,
        title=f"{role_a}: n={n_a:,}   {name_b}: n={n_b:,}",
        loc="lower left",
        bbox_to_anchor=(0.0, 1.01),
        ncols=2,
        fontsize=8.5,
        title_fontsize=8.5,
        alignment="left",
        frameon=False,
    )
    legend.get_title().set_parse_math(False)
    title = f"{role_a} (n={n_a:,}) vs {name_b} (n={n_b:,}): difference in share of postings"
    fig.suptitle(
        textwrap.fill(title, 70),
        x=0.01,
        ha="left",
        fontsize=12,
        fontweight="bold",
        color=_INK,
        parse_math=False,
    )
    shown = f"All {len(df)} terms."
    if len(rows) < len(df):
        shown = f"{len(rows)} of {len(df)} terms, largest absolute difference."
    overlap = int(first["n_overlap"])
    note = (
        f"Intervals: {first['ci_method']}. Test: {first['test_method']}; "
        f"q: {first['adjust_method']}. {shown}"
    )
    if overlap:
        rule = "excluded from both groups" if first["overlap"] == "exclude" else "in both groups"
        note += f" {overlap:,} postings of both roles {rule}."
    fig.supxlabel(
        textwrap.fill(note, 120), x=0.01, ha="left", fontsize=7.5, color=_MUTED, parse_math=False
    )
    return fig

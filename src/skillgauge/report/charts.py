"""The report's chart: per technology, the share of each role's postings that mention it.

Pure: a :class:`RoleReport` in, a :class:`matplotlib.figure.Figure` out. It uses the object API
(``Figure``, not ``pyplot``) so nothing touches global figure state and it works headless, in
threads and in tests; saving to a file or an SVG string is the caller's business (``render``).

Design choices, because the chart is the report's headline:

* Every bar carries its 95% interval as an error bar: a share without its uncertainty invites
  reading noise as a difference between roles.
* Roles below the report's minimum n are hatched and say so in the legend.
* Colours come from :data:`PALETTE` (Paul Tol's "muted" scheme, designed to stay distinguishable
  under the common colour-vision deficiencies and in greyscale print); the HTML and terminal
  outputs reuse it so a role has one colour everywhere.
* Data text is drawn with mathtext off, so a label such as ``$HOME`` or ``C$`` prints as written.
"""

from __future__ import annotations

import math
import textwrap

from matplotlib import patheffects
from matplotlib.figure import Figure, SubFigure
from matplotlib.gridspec import GridSpec
from matplotlib.patches import Patch
from matplotlib.ticker import PercentFormatter

from skillgauge.report.model import RoleReport

#: Role colours, in report order (first = the profiled role). Paul Tol, "muted" qualitative scheme.
PALETTE: tuple[str, ...] = ("#332288", "#88CCEE", "#117733", "#CC6677", "#DDCC77")

_INK = "#222222"
_MUTED_INK = "#555555"
_GRID = "#DDDDDD"
_HATCH = "////"

_WIDTH_IN = 9.0
_BAR_IN = 0.17  # thickness of one bar
_GAP_IN = 0.16  # space between two term groups
_HEADER_IN = 0.85  # title, subtitle and a small margin under the legend
_LEGEND_ROW_IN = 0.22
_TITLE_LINE_IN = 0.25
_TITLE_WRAP = 75
_FOOTER_IN = 0.85
_LABEL_WRAP = 30
_LEGEND_LINE_CHARS = 135  # characters of 9.5 pt legend text across the 9 in width


def shares_chart(report: RoleReport) -> Figure:
    """Horizontal grouped bars: one group per term (largest first-role share at top), one bar per role.

    Works for 1..5 roles and any number of terms (the figure grows in height with the terms).
    """
    rows = report.rows()
    infos = report.role_infos()
    n_roles = len(infos)
    n_terms = max(len(rows), 1)

    group_in = n_roles * _BAR_IN + _GAP_IN
    legend_rows = math.ceil(n_roles / _legend_columns(_legend_labels(report)))
    title = _title_lines(report.title)
    header_in = _HEADER_IN + _TITLE_LINE_IN * (len(title) - 1) + _LEGEND_ROW_IN * legend_rows
    body_in = max(n_terms * group_in + _FOOTER_IN, 2.0)
    fig = Figure(figsize=(_WIDTH_IN, header_in + body_in), layout="constrained", dpi=100)
    # Two stacked subfigures: a fixed-height header (title, subtitle, legend) placed by hand, and a
    # body whose axes constrained layout fits around the term labels and the footnote. (An
    # "outside" figure legend does not make room for a left-aligned suptitle; this does.)
    grid = GridSpec(
        2, 1, figure=fig, height_ratios=[header_in, body_in], left=0, right=1, bottom=0, top=1
    )
    header, body = fig.add_subfigure(grid[0]), fig.add_subfigure(grid[1])
    _draw_header(header, report, title, header_in)
    ax = body.add_subplot()

    bar_h = 0.8 / n_roles  # in data units: a group spans 0.8 of the 1.0 between term centres
    for j, info in enumerate(infos):
        ys: list[float] = []
        xs: list[float] = []
        err_lo: list[float] = []
        err_hi: list[float] = []
        for i, row in enumerate(rows):
            cell = row.cells[j]
            y = i - 0.4 + (j + 0.5) * bar_h
            share = cell.share * 100 if cell.defined else 0.0
            ys.append(y)
            xs.append(share)
            if cell.defined:
                err_lo.append(max(share - cell.ci_low * 100, 0.0))
                err_hi.append(max(cell.ci_high * 100 - share, 0.0))
            else:
                err_lo.append(0.0)
                err_hi.append(0.0)
        ax.barh(
            ys,
            xs,
            height=bar_h * 0.92,
            color=PALETTE[j],
            edgecolor="white" if info.low_n else PALETTE[j],
            linewidth=0.0,
            hatch=_HATCH if info.low_n else None,
            zorder=2,
        )
        bars = ax.errorbar(
            xs,
            ys,
            xerr=[err_lo, err_hi],
            fmt="none",
            ecolor=_INK,
            elinewidth=1.0,
            capsize=2.0,
            capthick=1.0,
            zorder=3,
        )
        # A thin white halo keeps the interval visible where it crosses a dark bar.
        for artist in bars.get_children():
            artist.set_path_effects(
                [patheffects.withStroke(linewidth=2.2, foreground="white", alpha=0.85)]
            )

    ax.set_yticks(
        range(len(rows)), [textwrap.fill(r.label, _LABEL_WRAP) for r in rows], fontsize=9.5
    )
    for tick in ax.get_yticklabels():
        tick.set_parse_math(False)
    ax.set_ylim(len(rows) - 0.5, -0.5)  # inverted: largest share at the top
    ax.tick_params(axis="y", length=0, pad=6, colors=_INK)
    ax.tick_params(axis="x", labelsize=9, colors=_MUTED_INK)

    top = max(
        (c.ci_high * 100 for r in rows for c in r.cells if c.defined and not math.isnan(c.ci_high)),
        default=0.0,
    )
    ax.set_xlim(0, min(100.0, max(top * 1.05, 5.0)))
    ax.xaxis.set_major_formatter(PercentFormatter(xmax=100, decimals=0))
    ax.xaxis.set_ticks_position("both")
    ax.tick_params(axis="x", top=True, labeltop=True, length=0)
    ax.grid(axis="x", color=_GRID, linewidth=0.8, zorder=0)
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color(_GRID)
    ax.set_xlabel("Share of postings", fontsize=9)
    ax.xaxis.label.set_color(_MUTED_INK)

    body.supxlabel(
        _footnote(report),
        x=0.01,
        ha="left",
        fontsize=8,
        color=_MUTED_INK,
        linespacing=1.4,
        parse_math=False,
    )
    return fig


def _title_lines(title: str) -> list[str]:
    """The title wrapped to the chart width (14 pt bold fits about 75 characters in 9 in)."""
    return textwrap.wrap(title, _TITLE_WRAP) or [""]


def _draw_header(header: SubFigure, report: RoleReport, title: list[str], header_in: float) -> None:
    """Title, subtitle and the role legend, positioned in inches from the top of the header."""
    infos = report.role_infos()
    extra = _TITLE_LINE_IN * (len(title) - 1)  # room taken by a wrapped title

    def y(inches_from_top: float) -> float:
        return 1.0 - inches_from_top / header_in

    header.text(
        0.012,
        y(0.15),
        "\n".join(title),
        ha="left",
        va="top",
        linespacing=1.25,
        fontsize=14,
        fontweight="bold",
        color=_INK,
        parse_math=False,
    )
    header.text(
        0.012,
        y(0.5 + extra),
        "Share of each role's job postings that mention the technology, with 95% intervals",
        ha="left",
        va="top",
        fontsize=10,
        color=_MUTED_INK,
    )
    handles = [
        Patch(
            facecolor=PALETTE[j],
            edgecolor="white" if info.low_n else PALETTE[j],
            hatch=_HATCH if info.low_n else None,
            linewidth=0.0,
        )
        for j, info in enumerate(infos)
    ]
    labels = _legend_labels(report)
    legend = header.legend(
        handles,
        labels,
        loc="upper left",
        bbox_to_anchor=(0.004, y(0.8 + extra)),
        ncols=_legend_columns(labels),
        frameon=False,
        fontsize=9.5,
        handlelength=1.6,
        columnspacing=1.4,
        borderaxespad=0.0,
    )
    for text in legend.get_texts():
        text.set_parse_math(False)


def _legend_labels(report: RoleReport) -> list[str]:
    """Each role's label with its n, and a "low n" flag where it applies."""
    return [
        f"{info.label} (n={info.n:,}{', low n' if info.low_n else ''})"
        for info in report.role_infos()
    ]


def _legend_columns(labels: list[str]) -> int:
    """As many legend entries a line as fit the width (3 at most; 2x2 rather than 3+1)."""
    longest = max(len(label) for label in labels) + 6  # handle and column spacing, in characters
    fit = max(1, min(3, _LEGEND_LINE_CHARS // longest))
    if len(labels) == 4 and fit == 3:
        return 2
    return min(fit, len(labels))


def _footnote(report: RoleReport) -> str:
    """Interval method, corpus and the low-n rule: what a reader needs to judge the bars."""
    m = report.manifest
    shown = f"Top {len(report.ordered_terms())} technologies by the first role's share."
    if any(info.low_n for info in report.role_infos()):
        shown += f" Hatched bars: fewer than {m.min_n:,} postings for the role (wide intervals)."
    lines = [f"Error bars: {m.interval_method}. Corpus: {m.corpus_line()}.", shown]
    return "\n".join(textwrap.fill(line, 125) for line in lines)

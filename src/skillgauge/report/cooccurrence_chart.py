"""The co-occurrence chart: "postings asking for A also ask for B", with n and 95% intervals.

:func:`conditional_heatmap` draws, for the most frequent terms of a pair table
(:func:`skillgauge.analyze.cooccurrence.cooccurrence`), the share P(B | A) of the postings mentioning
the row's term A that also mention the column's term B (:func:`conditional_shares`). Each cell
writes that share and its 95% Wilson interval; each row label carries its n (postings mentioning A),
the denominator of every share in the row.

Why this replaced an NPMI heatmap: NPMI is a point measure with no natural n and no interval, so a
reader could not tell a pair seen in 6 postings from one seen in 6,000. A conditional share reads as
a plain sentence, has a binomial interval, and its n is the row's term count. The matrix is not
symmetric (most postings asking for PyTorch ask for Python, not the other way round), which is the
point of reading it by rows.

Like the other chart modules it uses the object API (``Figure``, never ``pyplot``) and the report's
palette; data text is drawn with mathtext off.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.colors import LinearSegmentedColormap, Normalize
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from skillgauge.analyze.cooccurrence import conditional_shares
from skillgauge.exceptions import InputError
from skillgauge.report.charts import PALETTE

#: Up to this many terms: beyond it the cells are too small to write a share and its interval.
MAX_TERMS = 15

#: White (never together) to the report's indigo (always together).
SHARE_MAP = LinearSegmentedColormap.from_list("skillgauge_share", ["#FFFFFF", PALETTE[0]])

_INK = "#222222"
_MUTED_INK = "#555555"
_DIAGONAL = "#EEEEEE"
_CELL_IN = 0.62
_LABEL_WRAP = 22
_DARK_FROM = 0.55  # cells at or above this share get white text


def heatmap_terms(cooc: pd.DataFrame, terms: Sequence[str] | None, limit: int) -> list[str]:
    """The terms to draw, most postings first (ties by id): ``terms`` (those the pair table knows)
    or the table's ``limit`` most frequent ones."""
    freq = pd.concat(
        [
            cooc[["term_a", "count_a"]].set_axis(["term", "n"], axis=1),
            cooc[["term_b", "count_b"]].set_axis(["term", "n"], axis=1),
        ]
    ).drop_duplicates("term")
    if terms is not None:
        freq = freq[freq["term"].isin(set(terms))]
    freq = freq.sort_values(["n", "term"], ascending=[False, True])
    return [str(t) for t in freq["term"].head(limit)]


def conditional_grid(
    cooc: pd.DataFrame, terms: Sequence[str]
) -> tuple[pd.DataFrame, dict[str, int]]:
    """The chart's data: the :func:`conditional_shares` rows among ``terms`` and each term's n.

    Kept apart from the drawing so the HTML table, the tests and the figure read the same numbers.
    """
    chosen = set(terms)
    rows = conditional_shares(cooc)
    rows = rows[rows["term"].isin(chosen) & rows["other"].isin(chosen)].reset_index(drop=True)
    n_of = dict(zip(rows["term"].astype(str), rows["n_term"].astype(int), strict=False))
    for a, b, ca, cb in zip(
        cooc["term_a"], cooc["term_b"], cooc["count_a"], cooc["count_b"], strict=True
    ):
        n_of.setdefault(str(a), int(ca))
        n_of.setdefault(str(b), int(cb))
    return rows, {t: n_of[t] for t in terms if t in n_of}


def conditional_heatmap(
    cooc: pd.DataFrame,
    *,
    terms: Sequence[str] | None = None,
    max_terms: int = 12,
    labels: Mapping[str, str] | None = None,
    title: str | None = None,
    min_count: int | None = None,
) -> Figure:
    """Rows: postings asking for A (n = postings mentioning A). Columns: B. Cell: P(B | A) in
    percent with its 95% Wilson interval under it; the colour is the share on a fixed 0-100% scale.

    ``terms=None`` takes the ``max_terms`` terms mentioned by most postings; rows and columns are in
    that order (most postings first). The diagonal is grey; a pair the table does not list (seen
    together fewer than its ``min_count`` times; say which with ``min_count``) is blank.
    Raises :class:`InputError` for an empty table, fewer than two terms, or more than
    :data:`MAX_TERMS`.
    """
    if cooc.empty:
        raise InputError("no co-occurrence to draw: the pair table is empty")
    if not 2 <= max_terms <= MAX_TERMS:
        raise InputError(f"max_terms must be between 2 and {MAX_TERMS}")
    if terms is not None and len(set(terms)) > MAX_TERMS:
        raise InputError(
            f"at most {MAX_TERMS} terms fit a heatmap that writes every interval; "
            f"got {len(set(terms))}"
        )
    chosen = heatmap_terms(cooc, terms, MAX_TERMS if terms is not None else max_terms)
    if len(chosen) < 2:
        raise InputError("a co-occurrence heatmap needs at least two terms the pair table knows")
    rows, n_of = conditional_grid(cooc, chosen)
    pos = {t: i for i, t in enumerate(chosen)}
    k = len(chosen)
    grid = np.full((k, k), np.nan)
    low = np.full((k, k), np.nan)
    high = np.full((k, k), np.nan)
    ii = [pos[str(t)] for t in rows["term"]]
    jj = [pos[str(t)] for t in rows["other"]]
    grid[ii, jj] = rows["share"].to_numpy(np.float64)
    low[ii, jj] = rows["ci_low"].to_numpy(np.float64)
    high[ii, jj] = rows["ci_high"].to_numpy(np.float64)

    names = labels or {}
    row_labels = [
        f"{textwrap.shorten(names.get(t, t), _LABEL_WRAP, placeholder='…')} (n={n_of[t]:,})"
        for t in chosen
    ]
    col_labels = [textwrap.shorten(names.get(t, t), _LABEL_WRAP, placeholder="…") for t in chosen]

    side = k * _CELL_IN
    fig = Figure(figsize=(side + 4.4, side + 3.2), layout="constrained", dpi=100)
    ax = fig.add_subplot()
    diagonal = np.ma.masked_array(np.ones((k, k)), mask=~np.eye(k, dtype=bool))
    ax.imshow(diagonal, cmap=LinearSegmentedColormap.from_list("d", [_DIAGONAL, _DIAGONAL]))
    image = ax.imshow(
        np.ma.masked_invalid(grid),
        cmap=SHARE_MAP,
        norm=Normalize(vmin=0.0, vmax=1.0),
        interpolation="nearest",
    )
    ax.set_xticks(
        range(k), col_labels, rotation=45, ha="left", rotation_mode="anchor", fontsize=8.5
    )
    ax.set_yticks(range(k), row_labels, fontsize=8.5)
    ax.xaxis.tick_top()
    ax.tick_params(length=0, colors=_INK)
    for tick in [*ax.get_xticklabels(), *ax.get_yticklabels()]:
        tick.set_parse_math(False)
    ax.set_xticks(np.arange(-0.5, k, 1.0), minor=True)
    ax.set_yticks(np.arange(-0.5, k, 1.0), minor=True)
    ax.grid(which="minor", color="white", linewidth=1.0)
    ax.tick_params(which="minor", length=0)
    for side_name in ("top", "right", "bottom", "left"):
        ax.spines[side_name].set_visible(False)
    ax.set_ylabel(
        "Postings asking for … (n = postings mentioning it)", fontsize=9, color=_MUTED_INK
    )
    ax.set_xlabel("… that also ask for", fontsize=9, color=_MUTED_INK)
    ax.xaxis.set_label_position("top")

    for i in range(k):
        for j in range(k):
            if not np.isfinite(grid[i, j]):
                continue
            ax.text(
                j,
                i,
                f"{grid[i, j] * 100:.0f}%\n{low[i, j] * 100:.0f}–{high[i, j] * 100:.0f}",
                ha="center",
                va="center",
                fontsize=6.8,
                linespacing=1.15,
                color="white" if grid[i, j] >= _DARK_FROM else _INK,
                parse_math=False,
            )
    bar = fig.colorbar(image, ax=ax, shrink=0.6, pad=0.02, format=PercentFormatter(xmax=1.0))
    bar.set_label("Share of the row's postings", fontsize=8.5, color=_MUTED_INK)
    bar.ax.tick_params(labelsize=8, colors=_MUTED_INK)
    bar.outline.set_visible(False)

    fig.suptitle(
        title or "Postings asking for the row's technology also ask for the column's",
        x=0.01,
        ha="left",
        fontsize=12,
        fontweight="bold",
        color=_INK,
    )
    blank = f" Blank: asked together fewer than {min_count} times." if min_count is not None else ""
    fig.supxlabel(
        textwrap.fill(
            "Cell: share of the row's n postings that also mention the column's technology, "
            "and under it the 95% Wilson interval (in %). Grey: the same technology." + blank,
            110,
        ),
        x=0.01,
        ha="left",
        fontsize=8,
        color=_MUTED_INK,
    )
    return fig

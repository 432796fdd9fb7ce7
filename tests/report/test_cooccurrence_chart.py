"""The co-occurrence chart shows n and intervals: P(column | row) per cell with its Wilson interval
written in the cell, each row's n in its label, the same numbers ``also_asked`` gives."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from skillgauge.analyze.cooccurrence import also_asked, conditional_shares, cooccurrence
from skillgauge.analyze.intervals import wilson
from skillgauge.exceptions import InputError
from skillgauge.report.cooccurrence_chart import MAX_TERMS, conditional_heatmap


def _frame(postings: dict[str, set[str]]) -> pd.DataFrame:
    return pd.DataFrame(
        [(p, t) for p, terms in postings.items() for t in sorted(terms)],
        columns=["posting_id", "term_id"],
    )


#: 40 postings: a in all, b in 30, c in 12, d in 6; b and c never together.
POSTINGS = {
    f"p{i}": {"a"}
    | ({"b"} if i < 30 else {"c"})
    | ({"c"} if i >= 38 else set())
    | ({"d"} if i % 7 == 0 else set())
    for i in range(40)
}


def _cell_texts(fig: Figure) -> dict[tuple[int, int], str]:
    ax = fig.axes[0]
    return {
        (round(t.get_position()[1]), round(t.get_position()[0])): t.get_text() for t in ax.texts
    }


def test_conditional_shares_are_the_also_asked_figures() -> None:
    frame = _frame(POSTINGS)
    pairs = cooccurrence(frame)
    rows = conditional_shares(pairs)
    assert len(rows) == 2 * len(pairs)
    for term in ("a", "b", "c", "d"):
        want = also_asked(frame, term, top=10)
        got = rows[rows["term"] == term].reset_index(drop=True)
        cols = ["other", "count", "n_term", "share", "ci_low", "ci_high", "base_share", "lift"]
        pd.testing.assert_frame_equal(got[cols], want[cols], check_dtype=False)
    assert rows.attrs["n"] == 40


def test_heatmap_cells_carry_share_interval_and_rows_carry_n() -> None:
    pairs = cooccurrence(_frame(POSTINGS))
    fig = conditional_heatmap(pairs, labels={"a": "Alpha"})
    ax = fig.axes[0]
    # rows and columns: most postings first
    order = ["a", "b", "c", "d"]
    n = {"a": 40, "b": 30, "c": 10, "d": 6}
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "Alpha (n=40)",
        "b (n=30)",
        "c (n=10)",
        "d (n=6)",
    ]
    cells = np.ma.asarray(ax.get_images()[1].get_array())
    assert cells.mask[np.diag_indices(4)].all()
    assert cells.mask[1, 2] and cells.mask[2, 1]  # b and c never together: no row in the table
    texts = _cell_texts(fig)
    assert set(texts) == {(i, j) for i in range(4) for j in range(4) if not cells.mask[i, j]}
    for (i, j), text in texts.items():
        a, b = order[i], order[j]
        both = sum(1 for terms in POSTINGS.values() if {a, b} <= terms)
        share, low, high = (float(x[0]) for x in wilson([both], [n[a]]))
        assert cells[i, j] == pytest.approx(share)
        assert text == f"{share * 100:.0f}%\n{low * 100:.0f}–{high * 100:.0f}"
    # read by rows: P(a | d) = 100% but P(d | a) = 15%
    assert cells[3, 0] == pytest.approx(1.0) and cells[0, 3] == pytest.approx(6 / 40)
    assert "n = postings mentioning it" in ax.get_ylabel()


def test_heatmap_limits() -> None:
    pairs = cooccurrence(_frame(POSTINGS))
    sub = conditional_heatmap(pairs, terms=["d", "b", "zz"], min_count=5)
    assert [t.get_text() for t in sub.axes[0].get_yticklabels()] == ["b (n=30)", "d (n=6)"]
    assert "fewer than 5 times" in sub.get_supxlabel().replace("\n", " ")
    with pytest.raises(InputError):
        conditional_heatmap(pairs, terms=["a"])
    with pytest.raises(InputError):
        conditional_heatmap(pairs, terms=[f"t{i}" for i in range(MAX_TERMS + 1)])
    with pytest.raises(InputError):
        conditional_heatmap(pairs.iloc[0:0])
    with pytest.raises(InputError):
        conditional_shares(pairs.drop(columns=["count_a"]))

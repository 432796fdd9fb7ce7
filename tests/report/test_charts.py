"""The chart: bars in the first role's order, one colour per role, intervals, n in the legend."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.legend import Legend

from skillgauge.report.charts import PALETTE, shares_chart
from skillgauge.report.model import MAX_ROLES, RoleReport


def _axes_bars(fig: Figure) -> list[BarContainer]:
    ax = fig.subfigs[1].axes[0]
    return [c for c in ax.containers if isinstance(c, BarContainer)]


def _legend_texts(fig: Figure) -> list[str]:
    legends = [a for sub in fig.subfigs for a in sub.legends if isinstance(a, Legend)]
    assert len(legends) == 1
    return [t.get_text() for t in legends[0].get_texts()]


def test_terms_sorted_by_first_role_share_largest_at_top(
    report: RoleReport, terms_data: dict[str, tuple[str, str]]
) -> None:
    fig = shares_chart(report)
    ax = fig.subfigs[1].axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == [terms_data[t][0] for t in report.ordered_terms()]
    lo, hi = ax.get_ylim()
    assert lo > hi  # inverted axis: the first term (position 0) is drawn at the top
    first_role = _axes_bars(fig)[0]
    widths = [p.get_width() for p in first_role.patches]
    assert widths == sorted(widths, reverse=True)
    assert widths[0] == pytest.approx(100 * 410 / 660)


def test_one_bar_series_per_role_in_palette_colours_with_error_bars(report: RoleReport) -> None:
    n_terms = len(report.ordered_terms())
    fig = shares_chart(report)
    bars = _axes_bars(fig)
    assert len(bars) == 3
    for j, container in enumerate(bars):
        assert len(container.patches) == n_terms == 8
        face = container.patches[0].get_facecolor()
        rgb = tuple(int(PALETTE[j][k : k + 2], 16) / 255 for k in (1, 3, 5))
        assert tuple(face[:3]) == pytest.approx(rgb)
    ax = fig.subfigs[1].axes[0]
    assert len(ax.containers) == 6  # a bar container and an errorbar container per role


def test_legend_gives_each_role_label_and_n_and_flags_low_n(report: RoleReport) -> None:
    texts = _legend_texts(shares_chart(report))
    assert texts == [
        "Machine learning engineer (n=660)",
        "Data scientist (n=1,200)",
        "Data engineer (n=25, low n)",
    ]


def test_low_n_role_is_hatched_others_are_not(report: RoleReport) -> None:
    bars = _axes_bars(shares_chart(report))
    assert not bars[0].patches[0].get_hatch()
    assert bars[2].patches[0].get_hatch()


def test_footnote_names_interval_method_and_corpus(report: RoleReport) -> None:
    fig = shares_chart(report)
    footnote = fig.subfigs[1].get_supxlabel()
    assert "Wilson score interval, 95%" in footnote
    assert "12,345 unique postings" in footnote
    assert "fewer than 30 postings" in footnote


def test_dollar_signs_in_labels_are_not_mathtext(
    make_report: Callable[..., RoleReport], tmp_path: Path
) -> None:
    report = make_report(terms={"x": ("$HOME and $PATH", "shell")}, title="Costs in $ and $")
    fig = shares_chart(report)
    fig.savefig(tmp_path / "dollars.png")  # mathtext would fail or eat the dollars
    ax = fig.subfigs[1].axes[0]
    assert ax.get_yticklabels()[0].get_text() == "$HOME and $PATH"


@pytest.mark.parametrize("n_roles", range(1, MAX_ROLES + 1))
@pytest.mark.parametrize("n_terms", [1, 40])
def test_works_for_one_to_five_roles_and_one_to_forty_terms(
    n_roles: int, n_terms: int, make_report: Callable[..., RoleReport]
) -> None:
    terms = {
        f"t{i}": (f"Technology {i}" + " with a long name" * (i % 3), "c") for i in range(n_terms)
    }
    roles = {
        f"r{j}": (f"Role {j}", 100 + j, {t: (i * 7 + j) % 90 for i, t in enumerate(terms)})
        for j in range(n_roles)
    }
    report = make_report(roles=roles, terms=terms, top=40)
    fig = shares_chart(report)
    bars = _axes_bars(fig)
    assert len(bars) == n_roles
    assert all(len(c.patches) == n_terms for c in bars)
    assert len(_legend_texts(fig)) == n_roles
    fig.canvas.draw()  # layout runs without error


def test_palette_has_one_distinct_colour_per_role() -> None:
    assert len(set(PALETTE)) == len(PALETTE) >= MAX_ROLES


def test_long_title_wraps_above_the_legend(make_report: Callable[..., RoleReport]) -> None:
    title = "The most in-demand technologies for machine learning engineers, " * 3
    fig = shares_chart(make_report(title=title))
    fig.draw_without_rendering()
    header = fig.subfigs[0]
    title_text = header.texts[0]
    assert title_text.get_text().count("\n") >= 2
    title_box = title_text.get_window_extent()
    legend_box = header.legends[0].get_window_extent()
    assert title_box.x1 <= fig.bbox.x1
    assert legend_box.y1 < title_box.y0  # legend entirely below the title


def test_png_is_written_and_non_empty(report: RoleReport, tmp_path: Path) -> None:
    """Also the picture to look at while working on the chart: tmp_path/chart.png."""
    out = tmp_path / "chart.png"
    shares_chart(report).savefig(out, dpi=150)
    data = out.read_bytes()
    assert data.startswith(b"\x89PNG")
    assert len(data) > 20_000

"""Render a :class:`~skillgauge.report.full.FullReport` as HTML, Markdown (+ PNGs), CSV or JSON.

The charts are built here, from the report's data, by the pure chart functions
(:func:`~skillgauge.report.charts.shares_chart`, :func:`~skillgauge.report.compare_chart.plot_differences`,
:func:`~skillgauge.report.trend_charts.trend_chart`,
:func:`~skillgauge.report.cooccurrence_chart.conditional_heatmap`,
:func:`~skillgauge.report.salary_chart.salary_difference_chart`); :func:`chart_figures` is the one
place that decides their titles, so the HTML's SVGs and the Markdown's PNGs are the same pictures.

Everything is a pure ``report -> str`` function except :func:`write_full_report`, the I/O edge.
Data is untrusted text: HTML goes through Jinja2 with autoescape on (SVG text is escaped by
matplotlib's XML writer, the learning path's fragment by :func:`html.escape`), Markdown through
:func:`skillgauge.report.render.md_escape`.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from matplotlib.figure import Figure

from skillgauge.exceptions import UnknownFormat
from skillgauge.report.charts import PALETTE, shares_chart
from skillgauge.report.compare_chart import plot_differences
from skillgauge.report.cooccurrence_chart import conditional_heatmap
from skillgauge.report.full import COOC_MIN_COUNT, SECTION_KEYS, FullReport
from skillgauge.report.render import (
    LOW_N_MARK,
    figure_svg,
    md_code_block,
    md_escape,
    table_rows,
)
from skillgauge.report.render import _manifest_items as manifest_items
from skillgauge.report.render import _sources_text as sources_text
from skillgauge.report.salary_chart import salary_difference_chart
from skillgauge.report.trend_charts import trend_chart

#: Output formats of :func:`write_full_report` (``markdown`` is an alias of ``md``).
FORMATS: tuple[str, ...] = ("html", "md", "csv", "json")

#: Charts in report order; each is one SVG in the HTML and one ``<stem>-<key>.png`` beside the Markdown.
CHART_KEYS: tuple[str, ...] = ("comparison", "differences", "trends", "cooccurrence", "salary")

#: Terms drawn in the difference chart (largest absolute difference) and listed in its table.
DIFF_TERMS = 25

#: Quarters with fewer postings than this are not drawn in the trend chart (they stay in the data).
MIN_PERIOD_N = 10

_PNG_DPI = 150
_JSON_FORMAT = "skillgauge-full-report"
_JSON_FORMAT_VERSION = 1

_TITLES: dict[str, str] = {
    "comparison": "Role comparison",
    "differences": "Difference from the compared role",
    "trends": "Trends of the top technologies",
    "also_asked": "Also asked",
    "cooccurrence": "Co-occurrence",
    "salary": "Salary",
    "salary_coverage": "Salary coverage",
    "path": "Learning path",
}


# --- charts ------------------------------------------------------------------------------------


def _differences_chart(report: FullReport) -> Figure:
    """The forest plot with role labels instead of ids (the chart prints ``role_a``/``role_b``)."""
    assert report.differences is not None
    df = report.differences.copy()
    df["role_a"] = report.role_name(report.role)
    if report.diff_against != "rest":
        df["role_b"] = report.role_name(report.diff_against)
    return plot_differences(df, top=DIFF_TERMS)


def _trend_chart(report: FullReport) -> Figure:
    """Quarters with fewer than :data:`MIN_PERIOD_N` postings are left out of the picture (not the
    data): a quarter of two postings draws a 0-100% spike that hides every other line."""
    assert report.trends is not None
    src = report.trend_source or "all sources"
    data = report.trends[report.trends["n"] >= MIN_PERIOD_N]
    if data.empty:
        data = report.trends
    fig = trend_chart(
        data,
        labels=report.labels,
        title=(
            f"{report.role_label}: share of postings per quarter\n"
            f"source {src}, n={report.trend_n:,} dated postings"
        ),
        subtitle=(
            "Lines: share of the quarter's postings; bands: Wilson score interval, 95%. "
            f"Gaps: quarters with fewer than {MIN_PERIOD_N} postings."
        ),
    )
    # The chart's legend sits inside the axes, where early noisy quarters run; move it to the right.
    ax = fig.axes[0]
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9)
    return fig


def _heatmap(report: FullReport) -> Figure:
    """P(column | row) among the role's top terms, each cell with its interval, each row with n."""
    assert report.cooccurrence is not None
    seen = set(report.cooccurrence["term_a"]) | set(report.cooccurrence["term_b"])
    terms = [t for t in report.heatmap_terms if t in seen]
    return conditional_heatmap(
        report.cooccurrence,
        terms=terms,
        labels=report.labels,
        min_count=COOC_MIN_COUNT,
        title=(
            f"Postings asking for the row's technology also ask for the column's\n"
            f"{report.role_label}, n={report.role_n:,} postings"
        ),
    )


def _salary_chart(report: FullReport) -> Figure:
    assert report.salary is not None
    currency = str(report.salary["currency"].iloc[0])
    return salary_difference_chart(
        report.salary,
        labels=report.labels,
        title=(
            f"Median annual salary with vs. without each technology ({currency})\n"
            f"{report.role_label}: n={report.salary_n:,} postings stating a salary"
        ),
        top=report.top,
    )


def chart_figures(report: FullReport) -> dict[str, Callable[[], Figure]]:
    """A builder per chart the report can draw (sections without data have none), in order.

    Builders rather than figures: a page of five figures is drawn and released one at a time.
    """
    out: dict[str, Callable[[], Figure]] = {}
    comparison = report.comparison
    if comparison is not None:
        out["comparison"] = lambda: shares_chart(comparison)
    if report.differences is not None:
        out["differences"] = lambda: _differences_chart(report)
    if report.trends is not None:
        out["trends"] = lambda: _trend_chart(report)
    if report.cooccurrence is not None:
        out["cooccurrence"] = lambda: _heatmap(report)
    if report.salary is not None:
        out["salary"] = lambda: _salary_chart(report)
    return out


# --- the view both templates read ------------------------------------------------------------------


def _pct(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value * 100:.1f}%"


def _interval(low: float, high: float, scale: float = 100.0, digits: int = 1) -> str:
    """``[59.8–64.3]``; ``[−5.0 to −3.0]`` when a bound is negative (a dash would read as minus)."""
    if math.isnan(low) or math.isnan(high):
        return ""
    lo, hi = f"{low * scale:.{digits}f}", f"{high * scale:.{digits}f}"
    if low < 0 or high < 0:
        return f"[{lo.replace('-', '−')} to {hi.replace('-', '−')}]"
    return f"[{lo}–{hi}]"


def _money(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:,.0f}"


def _view(report: FullReport) -> dict[str, Any]:
    """Plain strings for the templates: every figure formatted once, for HTML and Markdown alike."""
    v: dict[str, Any] = {"title": report.title, "notes": report.notes}
    m = report.manifest
    v["corpus"] = m.corpus_line()
    v["interval_method"] = m.interval_method
    v["manifest"] = manifest_items(m)
    v["sources"] = sources_text(m)
    v["command"] = m.command
    v["low_n_mark"] = LOW_N_MARK

    comp = report.comparison
    v["comparison"] = None
    if comp is not None:
        v["comparison"] = {
            "roles": [
                {
                    "label": i.label,
                    "n": f"{i.n:,}",
                    "low_n": i.low_n,
                    "colour": PALETTE[j],
                    "header": f"{i.label} (n={i.n:,}{', low n' if i.low_n else ''})",
                }
                for j, i in enumerate(comp.role_infos())
            ],
            "rows": table_rows(comp),
        }

    v["differences"] = None
    if report.differences is not None:
        d = report.differences
        shown = d.loc[d["diff"].abs().sort_values(ascending=False, kind="stable").index]
        shown = shown.head(DIFF_TERMS)
        shown = shown.sort_values(["diff", "term_id"], ascending=[False, True])
        first = d.iloc[0]
        against = report.diff_against
        v["differences"] = {
            "a": report.role_name(report.role),
            "b": "all other postings" if against == "rest" else report.role_name(against),
            "n_a": f"{int(first['n_a']):,}",
            "n_b": f"{int(first['n_b']):,}",
            "method": f"{first['ci_method']}; {first['test_method']}; q: {first['adjust_method']}",
            "rows": [
                {
                    "label": str(r["label"]),
                    "a": f"{_pct(float(r['share_a']))} ({int(r['count_a']):,}/{int(r['n_a']):,})",
                    "b": f"{_pct(float(r['share_b']))} ({int(r['count_b']):,}/{int(r['n_b']):,})",
                    "diff": f"{float(r['diff']) * 100:+.1f} pp",
                    "interval": _interval(float(r["diff_low"]), float(r["diff_high"])),
                    "q": "" if pd.isna(r["q_value"]) else f"{float(r['q_value']):.3g}",
                    "significant": "yes" if bool(r["significant"]) else "no",
                }
                for _, r in shown.iterrows()
            ],
            "of": len(d),
        }

    v["trends"] = None
    if report.trends is not None:
        t = report.trends
        periods = sorted(set(t["period"].astype(str)))
        v["trends"] = {
            "source": report.trend_source or "all sources",
            "n": f"{report.trend_n:,}",
            "first": periods[0],
            "last": periods[-1],
            "periods": len(periods),
            "undated": int(t.attrs.get("undated_excluded", 0)),
        }

    v["also_asked"] = None
    if report.also_asked is not None and report.also_asked_term is not None:
        a = report.also_asked
        v["also_asked"] = {
            "term": report.label(report.also_asked_term),
            "n_term": f"{int(a['n_term'].iloc[0]):,}" if len(a) else "0",
            "method": str(a["method"].iloc[0]) if len(a) else "",
            "rows": [
                {
                    "label": report.label(str(r["other"])),
                    "share": _pct(float(r["share"])),
                    "interval": _interval(float(r["ci_low"]), float(r["ci_high"])),
                    "count": f"{int(r['count']):,}/{int(r['n_term']):,}",
                    "base": _pct(float(r["base_share"])),
                    "lift": f"{float(r['lift']):.2f}",
                }
                for _, r in a.iterrows()
            ],
        }
    v["cooccurrence"] = None
    if report.cooccurrence is not None:
        v["cooccurrence"] = {
            "n": f"{report.role_n:,}",
            "pairs": len(report.cooccurrence),
            "min_count": COOC_MIN_COUNT,
        }

    v["salary"] = None
    if report.salary is not None:
        s = report.salary
        charted = s.sort_values(["n_with", "term_id"], ascending=[False, True], kind="stable")
        charted = charted.head(report.top).sort_values("difference", ascending=False)
        v["salary"] = {
            "n": f"{report.salary_n:,}",
            "currency": str(s["currency"].iloc[0]),
            "method": str(s["method"].iloc[0]),
            "rows": [
                {
                    "label": report.label(str(r["term_id"])),
                    "with": f"{_money(float(r['median_with']))} (n={int(r['n_with']):,})",
                    "without": f"{_money(float(r['median_without']))} (n={int(r['n_without']):,})",
                    "diff": f"{float(r['difference']):+,.0f}",
                    "interval": _interval(float(r["ci_low"]), float(r["ci_high"]), 1.0, 0),
                    "low_n": bool(r["low_n"]),
                }
                for _, r in charted.iterrows()
            ],
        }
    v["coverage"] = None
    if report.salary_coverage is not None:
        v["coverage"] = [
            {
                "source": str(r["source"]),
                "n": f"{int(r['n']):,}",
                "with": f"{int(r['with_salary']):,}",
                "share": _pct(float(r["share"])),
                "interval": _interval(float(r["ci_low"]), float(r["ci_high"])),
            }
            for _, r in report.salary_coverage.iterrows()
        ]
    return v


# --- HTML and Markdown ---------------------------------------------------------------------------

_HTML_ENV = Environment(
    loader=PackageLoader("skillgauge.report", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
_MD_ENV = Environment(
    loader=PackageLoader("skillgauge.report", "templates"),
    autoescape=False,  # Markdown: the ``md`` filter escapes
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
_MD_ENV.filters["md"] = md_escape


def render_full_html(report: FullReport) -> str:
    """One self-contained page: every chart as inline SVG, CSS inline, no external URL."""
    svgs: dict[str, Markup] = {}
    for key, build in chart_figures(report).items():
        svgs[key] = figure_svg(build(), f"Chart: {_TITLES[key]} - {report.title}")
    # The path's fragment escapes every text itself (html.escape) and holds no script or URL.
    path_html = Markup(report.path.to_html()) if report.path is not None else None
    return _HTML_ENV.get_template("full_report.html.j2").render(
        **_view(report), svg=svgs, path_html=path_html, section_titles=_TITLES
    )


def render_full_markdown(report: FullReport, images: Mapping[str, str] | None = None) -> str:
    """The report as Markdown; ``images`` maps a chart key to a PNG path relative to the file."""
    links = {k: quote(v) for k, v in (images or {}).items()}
    view = _view(report)
    return _MD_ENV.get_template("full_report.md.j2").render(
        **view,
        images=links,
        path_md=report.path.to_markdown() if report.path is not None else None,
        section_titles=_TITLES,
        command_block=md_code_block(report.manifest.command),
    )


# --- CSV and JSON --------------------------------------------------------------------------------


def _json_value(value: Any) -> Any:
    """Plain JSON types: numpy scalars unwrapped, NaN/NaT as null, dates and times in ISO form."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    return value


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): _json_value(v) for k, v in r.items()} for r in df.to_dict("records")]


def render_full_json(report: FullReport) -> str:
    """Every section's table (or its note) and the manifest, in one JSON document."""
    frames = report.section_frames()
    sections = {
        key: {
            "title": _TITLES[key],
            "note": report.notes.get(key),
            "rows": None if frames[key] is None else _records(frames[key]),  # type: ignore[arg-type]
        }
        for key in SECTION_KEYS
    }
    doc = {
        "format": _JSON_FORMAT,
        "format_version": _JSON_FORMAT_VERSION,
        "title": report.title,
        "role": report.role,
        "compare": list(report.compare),
        "difference_against": report.diff_against,
        "trend_source": report.trend_source,
        "top": report.top,
        "sections": sections,
        "manifest": report.manifest.as_dict(),
    }
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n"


def render_full_csv(report: FullReport) -> dict[str, str]:
    """CSV text per section with data (section key -> text), plus ``manifest`` as key/value rows."""
    out: dict[str, str] = {}
    for key, frame in report.section_frames().items():
        if frame is not None:
            out[key] = frame.to_csv(index=False, lineterminator="\n")
    manifest = pd.DataFrame(
        [
            (k, json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v)
            for k, v in report.manifest.as_dict().items()
        ],
        columns=["field", "value"],
    )
    notes = pd.DataFrame(
        [(f"note:{k}", v) for k, v in report.notes.items()], columns=manifest.columns
    )
    out["manifest"] = pd.concat([manifest, notes]).to_csv(index=False, lineterminator="\n")
    return out


# --- the I/O edge ------------------------------------------------------------------------------------


def write_full_report(report: FullReport, path: Path, fmt: str) -> list[Path]:
    """Write the full report as ``fmt`` (html, md, csv, json); return the files written.

    ``md`` writes one PNG per chart beside the file (``<stem>-<chart>.png``) and links them; ``csv``
    writes ``<stem>-<section>.csv`` per section with data and ``<stem>-manifest.csv`` (not ``path``
    itself). Parent directories are created. Raises :class:`UnknownFormat` for another format.
    """
    kind = fmt.strip().lower()
    kind = "md" if kind == "markdown" else kind
    if kind not in FORMATS:
        raise UnknownFormat(f"unknown report format {fmt!r}; use one of: {', '.join(FORMATS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "html":
        path.write_text(render_full_html(report), encoding="utf-8")
        return [path]
    if kind == "json":
        path.write_text(render_full_json(report), encoding="utf-8")
        return [path]
    if kind == "csv":
        written = []
        for key, text in render_full_csv(report).items():
            target = path.with_name(f"{path.stem}-{key}.csv")
            target.write_text(text, encoding="utf-8", newline="")
            written.append(target)
        return written
    images: dict[str, str] = {}
    written = [path]
    for key, build in chart_figures(report).items():
        png = path.with_name(f"{path.stem}-{key}.png")
        build().savefig(png, dpi=_PNG_DPI)
        images[key] = png.name
        written.append(png)
    path.write_text(render_full_markdown(report, images), encoding="utf-8")
    return written

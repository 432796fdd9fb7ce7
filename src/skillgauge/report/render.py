"""Turn a :class:`RoleReport` into HTML, Markdown, CSV, JSON or a Rich table; write them to disk.

Everything here is a pure ``report -> str`` (or ``-> Table``) function except :func:`write_report`,
the one I/O edge. All renderers read the same :meth:`RoleReport.rows`, so the term order, the
figures and the low-n marks cannot differ between formats.

Data is untrusted text (term labels come from a taxonomy file, source names and the command from
the user): HTML goes through Jinja2 with autoescape on, the chart's SVG is escaped by matplotlib's
XML writer, Markdown cells are backslash-escaped, and Rich cells are ``Text`` objects so square
brackets are never read as console markup.
"""

from __future__ import annotations

import io
import json
import math
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import matplotlib
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape
from matplotlib.figure import Figure
from rich.table import Table
from rich.text import Text

from skillgauge.exceptions import UnknownFormat
from skillgauge.report.charts import PALETTE, shares_chart
from skillgauge.report.model import Cell, Manifest, RoleReport

#: Output formats of :func:`write_report` (``markdown`` is accepted as an alias of ``md``).
FORMATS: tuple[str, ...] = ("html", "md", "csv", "json")

#: Marks a figure whose role has fewer postings than the report's minimum.
LOW_N_MARK = "†"

_PNG_DPI = 150
_JSON_FORMAT = "skillgauge-role-report"
_JSON_FORMAT_VERSION = 1


# --- shared formatting -------------------------------------------------------------------------


def format_share(cell: Cell) -> str:
    """``62.1%``, or ``n/a`` when the role has no postings."""
    return f"{cell.share * 100:.1f}%" if cell.defined else "n/a"


def format_interval(cell: Cell) -> str:
    """``[59.8-64.3]`` in percent, or empty when the role has no postings."""
    if not cell.defined:
        return ""
    return f"[{cell.ci_low * 100:.1f}-{cell.ci_high * 100:.1f}]"


def format_count(cell: Cell) -> str:
    """``410/660``: postings mentioning the term over the role's postings."""
    return f"{cell.count:,}/{cell.n:,}"


def format_cell(cell: Cell) -> str:
    """The one-line form used in the terminal and Markdown: ``62.1% [59.8-64.3] 410/660``."""
    parts = [format_share(cell), format_interval(cell), format_count(cell)]
    text = " ".join(p for p in parts if p)
    return f"{text} {LOW_N_MARK}" if cell.low_n else text


def _low_n_note(report: RoleReport) -> str | None:
    """The footnote explaining the low-n mark, when some role carries it."""
    if not any(info.low_n for info in report.role_infos()):
        return None
    return (
        f"{LOW_N_MARK} fewer than {report.manifest.min_n:,} postings for the role: "
        "read its shares with care, the intervals are wide."
    )


def _manifest_items(m: Manifest) -> list[tuple[str, str]]:
    """The manifest as (term, description) text pairs; sources and the command are laid out apart."""
    by_role = ", ".join(f"{role} {count:,}" for role, count in sorted(m.postings_by_role.items()))
    created = m.as_dict()["created_at"]
    return [
        ("Corpus", f"{m.corpus_postings:,} unique postings"),
        ("Postings by role", by_role or "none"),
        ("Period", m.period() or "unknown"),
        (
            "Records",
            f"{m.raw_read:,} read, {m.rejected:,} rejected, {m.duplicates:,} duplicates removed",
        ),
        ("Deduplication", m.dedup_rule),
        ("Taxonomy", f"version {m.taxonomy_version}, hash {m.taxonomy_hash}"),
        ("Roles file", f"version {m.roles_version}"),
        ("Intervals", m.interval_method),
        ("Minimum n", f"{m.min_n:,} postings per role"),
        ("Database", m.database),
        ("Created", f"{created} by skillgauge {m.skillgauge_version}"),
    ]


def _sources_text(m: Manifest) -> list[str]:
    return [f"{name}: {count:,} unique postings" for name, count in m.sources]


# --- HTML --------------------------------------------------------------------------------------

_HTML_ENV = Environment(
    loader=PackageLoader("skillgauge.report", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)

_SVG_HEAD = re.compile(r"\A.*?(?=<svg\b)", re.DOTALL)
_SVG_NAMESPACES = re.compile(r'\s+xmlns(?::xlink)?="[^"]*"')
_SVG_SIZE = re.compile(r'\s+(?:width|height)="[^"]*"')


def figure_svg(fig: Figure, label: str) -> Markup:
    """The figure as an ``<svg>`` element ready to inline in HTML5.

    Text stays text (``svg.fonttype=none``: small, selectable, searchable) and ids are
    deterministic. The XML prolog, DOCTYPE and namespace declarations are dropped: the HTML parser
    puts ``<svg>`` in the SVG namespace itself, and the page then holds no ``http`` reference at
    all. Matplotlib's writer has already escaped every text; ``label`` (aria) is escaped here.
    """
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "skillgauge"}):
        fig.savefig(
            buf,
            format="svg",
            metadata={"Creator": None, "Date": None, "Format": None, "Type": None},
        )
    svg = _SVG_HEAD.sub("", buf.getvalue(), count=1)
    open_tag_end = svg.index(">")
    open_tag = _SVG_SIZE.sub("", _SVG_NAMESPACES.sub("", svg[:open_tag_end]))
    open_tag += f' width="100%" role="img" aria-label="{escape(label)}"'
    # Markup: matplotlib escaped every text it wrote and the label is escaped just above.
    return Markup(open_tag + svg[open_tag_end:].rstrip() + "\n")


def table_rows(report: RoleReport) -> list[dict[str, Any]]:
    """The shares table as template rows: per term, each role's share, interval and count/n.
    Shared by the role report and the full report so both print the same cells."""
    return [
        {
            "label": row.label,
            "category": row.category,
            "cells": [
                {
                    "share": format_share(c),
                    "interval": format_interval(c).replace("-", "–"),
                    "count": format_count(c),
                    "low_n": c.low_n,
                }
                for c in row.cells
            ],
        }
        for row in report.rows()
    ]


def render_html(report: RoleReport) -> str:
    """A self-contained page: inline SVG chart, the shares table, the manifest. Opens offline."""
    infos = report.role_infos()
    roles = [
        {"label": info.label, "n": f"{info.n:,}", "low_n": info.low_n, "colour": PALETTE[j]}
        for j, info in enumerate(infos)
    ]
    rows = table_rows(report)
    m = report.manifest
    return _HTML_ENV.get_template("report.html.j2").render(
        title=report.title,
        svg=figure_svg(shares_chart(report), f"Chart: {report.title}"),
        corpus=m.corpus_line(),
        interval_method=m.interval_method,
        roles=roles,
        rows=rows,
        low_n_mark=LOW_N_MARK,
        low_n_note=_low_n_note(report),
        manifest=_manifest_items(m),
        sources=_sources_text(m),
        command=m.command,
    )


# --- Markdown ----------------------------------------------------------------------------------

_MD_ENV = Environment(
    loader=PackageLoader("skillgauge.report", "templates"),
    autoescape=False,  # Markdown, not HTML: escaping is done by the ``md`` filter below
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|$~&])")


def md_escape(text: object) -> str:
    """Escape text for a Markdown table cell or paragraph.

    Backslash-escapes the characters that start code, emphasis, links, raw HTML, table cells or
    maths (CommonMark allows a backslash before any ASCII punctuation), and folds line breaks,
    which would end a table row.
    """
    flat = " ".join(str(text).split())
    return _MD_SPECIAL.sub(r"\\\1", flat)


def md_code_block(text: str, info: str = "sh") -> str:
    """A fenced code block whose fence is longer than any backtick run inside ``text``."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n{text}\n{fence}"


_MD_ENV.filters["md"] = md_escape


def render_markdown(report: RoleReport, chart_png: str | None) -> str:
    """The table and the manifest as Markdown, with an image link to ``chart_png`` if given.

    ``chart_png`` is a path relative to the Markdown file (``write_report`` writes it beside).
    """
    infos = report.role_infos()
    headers = [f"{i.label} (n={i.n:,}{', low n' if i.low_n else ''})" for i in infos]
    rows = [(row.label, row.category, [format_cell(c) for c in row.cells]) for row in report.rows()]
    m = report.manifest
    return _MD_ENV.get_template("report.md.j2").render(
        title=report.title,
        image=quote(chart_png) if chart_png else None,
        corpus=m.corpus_line(),
        interval_method=m.interval_method,
        headers=headers,
        rows=rows,
        low_n_note=_low_n_note(report),
        manifest=_manifest_items(m),
        sources=_sources_text(m),
        command_block=md_code_block(m.command),
    )


# --- CSV and JSON ------------------------------------------------------------------------------


def render_csv(report: RoleReport) -> str:
    """The shares rows of the shown terms (term order, then role order), full float precision."""
    return report.selected_shares().to_csv(index=False, lineterminator="\n")


def _json_value(value: Any) -> Any:
    """Plain JSON types: numpy scalars unwrapped, NaN (a role with n=0) as null."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def render_json(report: RoleReport) -> str:
    """Shares and manifest as JSON: sorted keys, ISO dates, two-space indent, UTF-8 text."""
    shares = [
        {k: _json_value(v) for k, v in record.items()}
        for record in report.selected_shares().to_dict("records")
    ]
    doc = {
        "format": _JSON_FORMAT,
        "format_version": _JSON_FORMAT_VERSION,
        "title": report.title,
        "top": report.top,
        "roles": [
            {"role": i.role, "label": i.label, "n": i.n, "low_n": i.low_n}
            for i in report.role_infos()
        ],
        "terms": report.ordered_terms(),
        "shares": shares,
        "manifest": report.manifest.as_dict(),
    }
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n"


# --- terminal ----------------------------------------------------------------------------------


def rich_table(report: RoleReport) -> Table:
    """The terminal table: per term, each role's ``62.1% [59.8-64.3] 410/660``; low n dimmed + †."""
    infos = report.role_infos()
    table = Table(
        title=Text(report.title, style="bold"),
        caption=Text(
            " ".join(
                part
                for part in (
                    f"Intervals: {report.manifest.interval_method}.",
                    f"Corpus: {report.manifest.corpus_line()}.",
                    _low_n_note(report),
                )
                if part
            )
        ),
        caption_justify="left",
    )
    table.add_column(Text("Technology"), no_wrap=False)
    for j, info in enumerate(infos):
        header = Text.assemble(
            ("■ ", PALETTE[j]),
            (info.label, "bold"),
            f"\nn={info.n:,}",
            (", low n" if info.low_n else "", "yellow"),
        )
        table.add_column(header, justify="right", no_wrap=True)
    for row in report.rows():
        cells = [Text(format_cell(c), style="dim" if c.low_n else "") for c in row.cells]
        table.add_row(Text(row.label), *cells)
    return table


# --- the I/O edge ------------------------------------------------------------------------------


def write_report(report: RoleReport, path: Path, fmt: str) -> list[Path]:
    """Write the report as ``fmt`` (html, md, csv, json) to ``path``; return the files written.

    ``md`` also writes the chart as ``<stem>.png`` beside the Markdown file and links to it.
    Parent directories are created. Raises :class:`UnknownFormat` for any other format.
    """
    kind = fmt.strip().lower()
    kind = "md" if kind == "markdown" else kind
    if kind not in FORMATS:
        raise UnknownFormat(f"unknown report format {fmt!r}; use one of: {', '.join(FORMATS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "html":
        path.write_text(render_html(report), encoding="utf-8")
        return [path]
    if kind == "csv":
        path.write_text(render_csv(report), encoding="utf-8", newline="")
        return [path]
    if kind == "json":
        path.write_text(render_json(report), encoding="utf-8")
        return [path]
    png = path.with_name(f"{path.stem}.png")
    if png == path:
        raise UnknownFormat(f"a Markdown report cannot be written to {path} (its chart goes there)")
    shares_chart(report).savefig(png, dpi=_PNG_DPI)
    path.write_text(render_markdown(report, png.name), encoding="utf-8")
    return [path, png]

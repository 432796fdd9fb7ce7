"""HTML, Markdown, CSV, JSON and the terminal table: same numbers, n and interval everywhere,
data escaped, nothing fetched from the network."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from rich.console import Console
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from skillgauge.exceptions import InputError, UnknownFormat
from skillgauge.report.model import Manifest, RoleReport
from skillgauge.report.render import (
    md_code_block,
    md_escape,
    render_csv,
    render_html,
    render_json,
    render_markdown,
    rich_table,
    write_report,
)

SCRIPT = "<script>alert(1)</script>"
ATTR = '" onerror="x'

#: (term, role index) -> the cell figures of the hand-built report, as each output shows them.
EXPECTED = {
    ("Python", 0): ("62.1%", "58.4", "65.7", "410/660"),
    ("Python", 1): ("75.0%", "72.5", "77.4", "900/1,200"),
    ("Python", 2): ("72.0%", "52.4", "85.7", "18/25"),
    ("R", 2): ("0.0%", "0.0", "13.3", "0/25"),
}


def _render_terminal(report: RoleReport) -> str:
    console = Console(file=io.StringIO(), width=200, color_system=None)
    console.print(rich_table(report))
    out = console.file.getvalue()  # type: ignore[attr-defined]
    assert isinstance(out, str)
    return out


def _hostile_report(
    make_report: Callable[..., RoleReport], make_manifest: Callable[..., Manifest]
) -> RoleReport:
    terms = {"evil": (SCRIPT, "x|y`z"), "attr": (ATTR, "ok"), "python": ("Python", "language")}
    roles = {"r1": (f"Role {ATTR}", 100, {"evil": 50, "attr": 20, "python": 10})}
    manifest = make_manifest(
        sources=[(SCRIPT, 60), (ATTR, 40)],
        command=f"skillgauge report --title '{SCRIPT}' | tee `x`",
        database=ATTR,
    )
    return make_report(roles=roles, terms=terms, title=f"T {SCRIPT}", manifest=manifest)


# --- HTML -----------------------------------------------------------------------------------


def test_html_table_shows_share_interval_and_count_for_every_cell(report: RoleReport) -> None:
    tree = HTMLParser(render_html(report))
    body_rows = tree.css("table tbody tr")
    assert [r.css_first("th").text() for r in body_rows] == [
        "Python",
        "PyTorch",
        "TensorFlow",
        "Amazon Web Services (AWS)",
        "SQL",
        "Docker",
        "Apache Spark",
        "R",
    ]
    for row in body_rows:
        cells = row.css("td.fig")
        assert len(cells) == 3
        for cell in cells:
            assert cell.css_first(".share").text().endswith("%")
            assert cell.css_first(".ci").text().startswith("[")
            assert "/" in cell.css_first(".count").text()
    by_term = {r.css_first("th").text(): r.css("td.fig") for r in body_rows}
    for (term, j), (share, lo, hi, count) in EXPECTED.items():
        cell = by_term[term][j]
        assert cell.css_first(".share").text() == share
        assert cell.css_first(".ci").text() == f"[{lo}–{hi}]"
        assert cell.css_first(".count").text() == count
    headers = [th.text() for th in tree.css("table thead th")]
    assert "n = 660" in headers[2]
    assert "n = 25" in headers[4]
    assert "low n" in headers[4]
    assert "low" in (by_term["Python"][2].attributes.get("class") or "")


def test_html_has_the_manifest_and_the_reproduce_command(report: RoleReport) -> None:
    tree = HTMLParser(render_html(report))
    terms = [dt.text() for dt in tree.css("dl dt")]
    for needed in ("Corpus", "Period", "Deduplication", "Taxonomy", "Intervals", "Reproduce"):
        assert needed in terms
    code = tree.css_first("dl pre code")
    assert code is not None
    assert code.text() == report.manifest.command
    assert "sha256:0123abcd" in tree.css_first("dl").text()


def test_html_is_self_contained(report: RoleReport) -> None:
    page = render_html(report)
    tree = HTMLParser(page)
    assert tree.css("script") == []
    assert tree.css("link") == []
    assert tree.css("iframe") == []
    for node in tree.css("img, image, use, a, source"):
        for attr in ("src", "href", "xlink:href"):
            value = node.attributes.get(attr) or ""
            assert not value.startswith(("http:", "https:", "//")), (node.tag, value)
    for style in tree.css("style"):
        assert "url(" not in style.text()
        assert "@import" not in style.text()
    # Not even an XML namespace URL is left: the test data hold no URL, so the page has none.
    assert "http://" not in page
    assert "https://" not in page
    svg = tree.css_first("figure svg")
    assert svg is not None
    assert len(tree.css("figure svg text")) > 10  # labels are text, not glyph paths


def test_html_escapes_data_in_table_manifest_and_svg(
    make_report: Callable[..., RoleReport], make_manifest: Callable[..., Manifest]
) -> None:
    page = render_html(_hostile_report(make_report, make_manifest))
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    tree = HTMLParser(page)
    assert tree.css("script") == []
    for node in tree.css("*"):
        assert "onerror" not in node.attributes, node.tag
    # The hostile label reached the table, the manifest and the chart, as text.
    assert SCRIPT in [th.text() for th in tree.css("tbody th")]
    assert ATTR in [th.text() for th in tree.css("tbody th")]
    assert SCRIPT in tree.css("dd li")[0].text()
    code = tree.css_first("dl pre code")
    assert code is not None and SCRIPT in code.text()
    svg_texts = [t.text() for t in tree.css("figure svg text")]
    assert SCRIPT in svg_texts
    assert ATTR in svg_texts
    svg = tree.css_first("figure svg")
    assert svg is not None
    assert svg.attributes.get("aria-label") == f"Chart: T {SCRIPT}"
    svg_source = page[page.index("<svg") : page.index("</svg>")]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg_source


def test_html_attribute_quotes_are_escaped(
    make_report: Callable[..., RoleReport], make_manifest: Callable[..., Manifest]
) -> None:
    page = render_html(_hostile_report(make_report, make_manifest))
    # Outside the SVG (whose text nodes may hold a bare quote), a quote from data is an entity.
    outside_svg = page[: page.index("<svg")] + page[page.index("</svg>") :]
    assert ATTR not in outside_svg
    assert "&#34; onerror=&#34;x" in outside_svg


# --- Markdown -------------------------------------------------------------------------------


def test_markdown_table_manifest_and_image_link(report: RoleReport) -> None:
    md = render_markdown(report, "ml report.png")
    assert "![Most in-demand technologies: machine learning engineers](ml%20report.png)" in md
    lines = md.splitlines()
    header = next(line for line in lines if line.startswith("| Technology |"))
    assert "Data engineer (n=25, low n)" in header
    python = next(line for line in lines if line.startswith("| Python |"))
    assert "62.1% [58.4-65.7] 410/660" in python
    assert "72.0% [52.4-85.7] 18/25 †" in python
    assert python.count(" | ") == 4
    assert "```sh\n" + report.manifest.command + "\n```" in md
    assert "- **Deduplication:**" in md


def test_markdown_escapes_pipes_backticks_and_html(
    make_report: Callable[..., RoleReport], make_manifest: Callable[..., Manifest]
) -> None:
    report = _hostile_report(make_report, make_manifest)
    md = render_markdown(report, None)
    assert "![" not in md
    evil = next(line for line in md.splitlines() if "alert(1)" in line and line.startswith("|"))
    assert SCRIPT not in md.replace("```", "")[: md.index("```")]
    assert r"\<script\>alert(1)\</script\>" in evil
    assert r"x\|y\`z" in evil
    # Unescaped pipes are exactly the cell separators: technology, category, one role.
    assert evil.replace(r"\|", "").count("|") == 4
    # The command keeps its backticks inside a fence longer than any run in it.
    assert f"```sh\nskillgauge report --title '{SCRIPT}' | tee `x`\n```" in md


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("a|b", r"a\|b"),
        ("`code`", r"\`code\`"),
        ("C++ & *ptr_", r"C++ \& \*ptr\_"),
        ("[x](http://e)", r"\[x\](http://e)"),
        ("two\nlines", "two lines"),
        ("$5", r"\$5"),
    ],
)
def test_md_escape(text: str, escaped: str) -> None:
    assert md_escape(text) == escaped


def test_md_code_block_fence_outgrows_backticks() -> None:
    assert md_code_block("echo ```hi```").startswith("````sh\n")
    assert md_code_block("plain").startswith("```sh\n")


# --- CSV and JSON ---------------------------------------------------------------------------


def test_csv_round_trips_to_the_same_numbers(report: RoleReport) -> None:
    back = pd.read_csv(io.StringIO(render_csv(report)))
    expected = report.selected_shares()
    pd.testing.assert_frame_equal(back, expected, check_dtype=False)
    assert list(back["term_id"].drop_duplicates()) == report.ordered_terms()
    assert list(back["role"][:3]) == list(report.roles)
    row = back[(back["role"] == "data_engineer") & (back["term_id"] == "python")].iloc[0]
    assert (row["count"], row["n"], bool(row["low_n"])) == (18, 25, True)
    assert row["share"] == 18 / 25


def test_json_has_shares_and_manifest_with_stable_keys(report: RoleReport) -> None:
    text = render_json(report)
    doc = json.loads(text)
    assert text == render_json(report)
    assert list(doc) == sorted(doc)
    manifest = doc["manifest"]
    for field in Manifest.__dataclass_fields__:
        assert field in manifest
    assert manifest["date_min"] == "2013-01-01"
    assert manifest["created_at"] == "2026-11-24T12:30:00+00:00"
    assert manifest["interval_method"] == "Wilson score interval, 95%"
    assert doc["terms"] == report.ordered_terms()
    assert [r["role"] for r in doc["roles"]] == list(report.roles)
    first = doc["shares"][0]
    assert first == {
        "role": "ml_engineer",
        "role_label": "Machine learning engineer",
        "term_id": "python",
        "label": "Python",
        "category": "language",
        "count": 410,
        "n": 660,
        "share": 410 / 660,
        "ci_low": pytest.approx(0.5836, abs=1e-4),
        "ci_high": pytest.approx(0.6574, abs=1e-4),
        "low_n": False,
    }


def test_json_writes_null_for_a_role_without_postings(
    make_report: Callable[..., RoleReport],
) -> None:
    roles = {"ds": ("Data scientist", 10, {"sql": 3}), "none": ("Empty", 0, {})}
    doc = json.loads(render_json(make_report(roles=roles)))
    empty = [r for r in doc["shares"] if r["role"] == "none"]
    assert empty and all(r["share"] is None and r["ci_low"] is None for r in empty)


# --- terminal -------------------------------------------------------------------------------


def test_rich_table_cells_show_share_interval_and_count(report: RoleReport) -> None:
    table = rich_table(report)
    assert len(table.columns) == 4
    out = _render_terminal(report)
    for (term, j), (share, lo, hi, count) in EXPECTED.items():
        line = next(line for line in out.splitlines() if f" {term} " in line)
        cell = line.split("│")[j + 2].strip()
        low = " †" if j == 2 else ""
        assert cell == f"{share} [{lo}-{hi}] {count}{low}"
    assert "n=25, low n" in out
    assert "fewer than 30 postings" in out


def test_rich_table_does_not_read_brackets_in_data_as_markup(
    make_report: Callable[..., RoleReport],
) -> None:
    terms = {"b": ("[bold]Rust[/bold]", "language")}
    roles = {"r": ("Role [red]x[/red]", 40, {"b": 4})}
    out = _render_terminal(make_report(roles=roles, terms=terms))
    assert "[bold]Rust[/bold]" in out
    assert "Role [red]x[/red]" in out


# --- files ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["html", "csv", "json"])
def test_write_report_writes_one_file(report: RoleReport, tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "out" / f"report.{fmt}"
    written = write_report(report, path, fmt)
    assert written == [path]
    assert path.stat().st_size > 500


def test_write_report_markdown_writes_the_png_beside(report: RoleReport, tmp_path: Path) -> None:
    path = tmp_path / "ml.md"
    written = write_report(report, path, "markdown")
    png = tmp_path / "ml.png"
    assert written == [path, png]
    assert png.read_bytes().startswith(b"\x89PNG")
    assert png.stat().st_size > 20_000
    assert "](ml.png)" in path.read_text(encoding="utf-8")


def test_write_report_refuses_unknown_formats(report: RoleReport, tmp_path: Path) -> None:
    with pytest.raises(UnknownFormat, match="pdf") as err:
        write_report(report, tmp_path / "r.pdf", "pdf")
    assert isinstance(err.value, InputError)
    with pytest.raises(UnknownFormat):
        write_report(report, tmp_path / "r.png", "md")

"""The full report end to end on a small store: every section present or explained, charts inline,
files for every format, data text escaped, and the real demo corpus when it is on this machine."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

import skillgauge as sg
from skillgauge.database import Database
from skillgauge.exceptions import UnknownFormat, UnknownRole
from skillgauge.report.full import SECTION_KEYS, FullReport, build_full_report
from skillgauge.report.model import Manifest, RoleReport
from skillgauge.report.render_full import (
    chart_figures,
    render_full_html,
    render_full_json,
    render_full_markdown,
    write_full_report,
)
from tests.synth import planted_postings, write_rows

ML, DS, DE = "machine-learning-engineer", "data-scientist", "data-engineer"
HOSTILE = '<script>alert(1)</script>" onerror="alert(2)'


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """400 synthetic postings: ML engineers ask for PyTorch, data scientists for R; a third state a
    salary; two sources, none of them hackernews."""
    tmp = tmp_path_factory.mktemp("full")
    src = write_rows(tmp / "p.jsonl", planted_postings(400, 11))
    path = tmp / "full.duckdb"
    with sg.open(path, workers=1) as db:
        db.ingest([src])
    return path


@pytest.fixture(scope="module")
def db(db_path: Path) -> Iterator[Database]:
    with sg.open(db_path, read_only=True, min_n=10) as opened:
        yield opened


@pytest.fixture(scope="module")
def full(db: Database) -> FullReport:
    return build_full_report(db, ML, [DS, DE], top=8, command="skillgauge report --full")


def test_every_section_has_data_or_a_note(full: FullReport) -> None:
    assert full.comparison is not None and full.comparison.roles == (ML, DS, DE)
    # the difference chart is the role against the FIRST compared role, with the planted gap
    assert full.diff_against == DS and full.differences is not None
    pytorch = full.differences.set_index("term_id").loc["pytorch"]
    assert pytorch["diff"] > 0.5 and bool(pytorch["significant"])
    # no hackernews postings here: trends are skipped with a visible reason, not an error
    assert full.trends is None
    assert full.notes["trends"].startswith("not enough data: no postings from source 'hackernews'")
    top_term = full.comparison.ordered_terms()[0]
    assert full.also_asked_term == top_term and full.also_asked is not None
    assert set(full.also_asked["term"]) == {top_term}
    assert full.cooccurrence is not None
    assert set(full.cooccurrence["term_a"]) | set(full.cooccurrence["term_b"]) <= set(
        full.heatmap_terms
    )
    assert full.salary is not None and full.salary_n >= 10
    assert full.salary_coverage is not None and full.path is not None and full.path.steps
    frames = full.section_frames()
    assert list(frames) == list(SECTION_KEYS)
    assert all(frames[k] is not None or k in full.notes for k in SECTION_KEYS)


def test_trends_from_every_source_and_no_compared_role(db: Database) -> None:
    rep = build_full_report(db, ML, [], top=5, trend_source="")
    assert rep.trends is not None and rep.trend_source is None and rep.trend_n > 0
    assert "trends" not in rep.notes
    assert rep.compare == () and rep.diff_against == "rest" and rep.differences is not None
    assert set(rep.differences["role_b"]) == {"rest"}


def test_too_few_salaries_is_a_visible_note(db_path: Path) -> None:
    with sg.open(db_path, read_only=True, min_n=1000) as strict:
        rep = build_full_report(strict, ML, [DS], top=5)
    assert rep.salary is None and rep.salary_n > 0
    assert "fewer than 1000" in rep.notes["salary"]
    assert rep.salary_coverage is not None  # coverage is still shown: it is what explains it
    html = render_full_html(rep)
    assert "fewer than 1000" in html and "salary" not in chart_figures(rep)


def test_a_role_without_postings_renders_every_section_as_a_note(db: Database) -> None:
    rep = build_full_report(db, "designer", [DS], top=5)
    assert rep.comparison is None and rep.path is not None and not rep.path.steps
    for key in SECTION_KEYS[:-1]:
        assert rep.notes[key].startswith("not enough data: "), key
    html = render_full_html(rep)
    assert html.count('class="empty"') == len(SECTION_KEYS) - 1  # the path says it itself
    assert "About this report" in html


def test_unknown_role_still_fails(db: Database) -> None:
    with pytest.raises(UnknownRole, match="did you mean"):
        build_full_report(db, "machine-learning-enginer", [DS])


def test_html_is_self_contained_with_every_chart_and_ends_with_the_manifest(
    full: FullReport,
) -> None:
    html = render_full_html(full)
    assert html.count("<svg") == len(chart_figures(full)) == 4  # no trend chart: no hackernews
    assert not re.search(r"https?://", html)
    assert "<script" not in html.lower() and "<link" not in html.lower()
    assert "<style>" in html
    # sections in order, the manifest last
    order = [html.index(f'id="{s}"') for s in ("comparison", "differences", "trends")]
    order += [html.index(f'id="{s}"') for s in ("cooccurrence", "salary", "path", "manifest")]
    assert order == sorted(order)
    assert "skillgauge report --full" in html[html.index('id="manifest"') :]
    # the n of every role is on the page and in the charts' text
    for info in full.comparison.role_infos() if full.comparison else ():
        assert f"n={info.n:,}" in html
    assert "Learning path" in html and "not enough data: no postings from source" in html


def test_cooccurrence_chart_shows_n_and_intervals(full: FullReport) -> None:
    """Every row of the heatmap names its n and every cell writes P(column | row) with its 95%
    Wilson interval: the same figures as the pair table's counts (and the "also asked" table)."""
    from skillgauge.analyze.cooccurrence import conditional_shares

    assert full.cooccurrence is not None
    fig = chart_figures(full)["cooccurrence"]()
    ax = fig.axes[0]
    rows = conditional_shares(full.cooccurrence)
    n_of = dict(zip(rows["term"], rows["n_term"], strict=False))
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    terms = [t for t in full.heatmap_terms if t in n_of]
    assert ticks == [
        f"{full.label(t)} (n={n_of[t]:,})" for t in sorted(terms, key=lambda t: (-n_of[t], t))
    ]
    texts = {t.get_text() for t in ax.texts}
    want = {
        f"{r.share * 100:.0f}%\n{r.ci_low * 100:.0f}–{r.ci_high * 100:.0f}"
        for r in rows.itertuples()
    }
    assert texts == want and len(ax.texts) == len(rows)
    assert f"n={full.role_n:,}" in fig.get_suptitle()
    html = render_full_html(full)
    section = html[html.index('id="cooccurrence"') : html.index('id="salary"')]
    assert "NPMI" not in section and "95% Wilson interval" in section
    assert f"(n={n_of[terms[0]]:,})" in section  # the row labels are in the SVG text
    md = render_full_markdown(full, {"cooccurrence": "x.png"})
    assert "95% Wilson interval" in md and "NPMI" not in md


@pytest.fixture
def hostile(full: FullReport, make_report: Callable[..., RoleReport]) -> FullReport:
    """The report with a term label, a source name and the command carrying markup."""
    terms = {"python": (HOSTILE, "language"), "sql": ("SQL", HOSTILE)}
    base: Manifest = full.manifest
    manifest = dataclasses.replace(base, sources=[(HOSTILE, 3)], command=f"skillgauge {HOSTILE}")
    labels = {**full.labels, **dict.fromkeys(full.labels, HOSTILE)}
    return dataclasses.replace(
        full, comparison=make_report(terms=terms), manifest=manifest, labels=labels
    )


class _Tags(HTMLParser):
    """Every start tag's name and attribute names, as a browser would read them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attrs: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attrs.update(name for name, _ in attrs)


def test_html_escapes_data(hostile: FullReport) -> None:
    html = render_full_html(hostile)
    parsed = _Tags()
    parsed.feed(html)
    assert "script" not in parsed.tags and "onerror" not in parsed.attrs
    assert "<script" not in html.lower()
    assert "&lt;script&gt;" in html  # shown as text, not dropped
    # inside attributes (the charts' aria labels, the page) a quote never closes the value
    assert not re.search(r"<[^<>]*\sonerror\s*=", html)


def test_markdown_escapes_data(hostile: FullReport) -> None:
    md = render_full_markdown(hostile)
    # the command is shown in a fenced code block, where Markdown prints text as written
    body, fence, rest = md.rpartition("```sh\n")
    assert fence and rest.startswith(f"skillgauge {HOSTILE}\n```")
    assert "<script>" not in body
    assert r"\<script\>" in body


def test_json_has_every_section_and_the_manifest(full: FullReport) -> None:
    doc = json.loads(render_full_json(full))
    assert doc["format"] == "skillgauge-full-report"
    assert list(doc["sections"]) == sorted(SECTION_KEYS)  # sort_keys
    assert doc["sections"]["trends"]["rows"] is None
    assert doc["sections"]["trends"]["note"].startswith("not enough data")
    comparison = doc["sections"]["comparison"]["rows"]
    assert {r["role"] for r in comparison} == {ML, DS, DE}
    assert all(0.0 <= r["ci_low"] <= r["share"] <= r["ci_high"] <= 1.0 for r in comparison)
    assert doc["manifest"]["command"] == "skillgauge report --full"
    assert doc["difference_against"] == DS


def test_write_every_format(full: FullReport, tmp_path: Path) -> None:
    out = tmp_path / "deep" / "full"
    html = write_full_report(full, out.with_suffix(".html"), "html")
    assert html == [out.with_suffix(".html")] and html[0].stat().st_size > 10_000

    md_files = write_full_report(full, out.with_suffix(".md"), "markdown")
    md = md_files[0].read_text(encoding="utf-8")
    pngs = md_files[1:]
    assert [p.name for p in pngs] == [
        "full-comparison.png",
        "full-differences.png",
        "full-cooccurrence.png",
        "full-salary.png",
    ]
    for png in pngs:
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and f"]({png.name})" in md

    csvs = write_full_report(full, out.with_suffix(".csv"), "csv")
    names = {p.name for p in csvs}
    assert "full-comparison.csv" in names and "full-manifest.csv" in names
    assert "full-trends.csv" not in names  # no data, no file (the note is in the manifest file)
    assert "note:trends" in (tmp_path / "deep" / "full-manifest.csv").read_text(encoding="utf-8")
    head = (tmp_path / "deep" / "full-differences.csv").read_text(encoding="utf-8").splitlines()[0]
    assert head.startswith("role_a,role_b,term_id")

    (js,) = write_full_report(full, out.with_suffix(".json"), "json")
    assert json.loads(js.read_text(encoding="utf-8"))["role"] == ML

    with pytest.raises(UnknownFormat):
        write_full_report(full, out.with_suffix(".pdf"), "pdf")


DEMO = Path("/tmp/demo_corpus.duckdb")


@pytest.mark.slow
@pytest.mark.skipif(not DEMO.is_file(), reason="the demo corpus is only on a developer's machine")
def test_demo_corpus(tmp_path: Path) -> None:
    """The real thing, on a copy (the original may be in use by another process)."""
    copy = tmp_path / "demo.duckdb"
    copy.write_bytes(DEMO.read_bytes())
    with sg.open(copy, read_only=True) as demo:
        rep = build_full_report(demo, ML, [DS, DE])
    assert not rep.notes, rep.notes
    assert rep.trends is not None and rep.trend_n > 100
    html = render_full_html(rep)
    assert html.count("<svg") == 5 and not re.search(r"https?://", html)

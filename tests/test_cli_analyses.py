"""The analysis commands end to end on a small store: each prints its population and method, writes
data and charts, and an empty selection is one clear error line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import skillgauge as sg
from skillgauge.cli import app
from tests.synth import planted_postings, write_rows

runner = CliRunner()


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("analyses")
    src = write_rows(tmp / "p.jsonl", planted_postings(400, 5))
    path = tmp / "a.duckdb"
    with sg.open(path, workers=1) as db:
        db.ingest([src])
    return path


def _ok(db: Path, *args: str) -> str:
    res = runner.invoke(app, ["--db", str(db), *args])
    assert res.exit_code == 0, res.output
    return res.output


def test_compare_finds_the_planted_difference(db_path: Path, tmp_path: Path) -> None:
    text = _ok(db_path, "compare", "machine-learning-engineer", "data-scientist")
    assert "PyTorch" in text and "population a" in text and "method" in text.lower()
    out = tmp_path / "diff.json"
    _ok(db_path, "compare", "machine-learning-engineer", "data-scientist", "-o", str(out))
    rows = {r["term_id"]: r for r in json.loads(out.read_text(encoding="utf-8"))}
    # synth postings also mention PyTorch at random (about 1 in 3), so the planted gap is ~0.7
    assert rows["pytorch"]["diff"] > 0.5 and rows["pytorch"]["significant"]
    assert rows["r"]["diff"] < -0.9 and rows["r"]["diff_low"] <= rows["r"]["diff"]
    png = tmp_path / "diff.png"
    _ok(db_path, "compare", "machine-learning-engineer", "data-scientist", "-o", str(png))
    assert png.stat().st_size > 1000


def test_trends_cooccur_salary_balance_run(db_path: Path, tmp_path: Path) -> None:
    assert "emerging" in _ok(db_path, "trends", "--source", "") or "flat" in _ok(
        db_path, "trends", "--source", ""
    )
    png = tmp_path / "t.png"
    _ok(db_path, "trends", "python", "sql", "--source", "", "-o", str(png))
    assert png.stat().st_size > 1000
    assert "kubernetes" in _ok(db_path, "cooccur", "pytorch")
    assert "cluster" in _ok(db_path, "cooccur", "--clusters")
    assert "population" in _ok(db_path, "salary", "--coverage")
    assert "site_average" in _ok(db_path, "balance")


def test_empty_selection_is_one_clear_error(db_path: Path) -> None:
    res = runner.invoke(app, ["--db", str(db_path), "trends", "--source", "nowhere"])
    assert res.exit_code != 0
    assert "no postings from source 'nowhere'" in str(res.exception or res.output)


def test_path_and_gap(db_path: Path, tmp_path: Path) -> None:
    text = _ok(db_path, "path", "machine-learning-engineer", "--top", "5")
    assert "PyTorch" in text and "asked in" in text
    md = tmp_path / "path.md"
    _ok(db_path, "path", "data-scientist", "-o", str(md))
    assert "|" in md.read_text(encoding="utf-8")
    resume = tmp_path / "cv.md"
    resume.write_text(
        "# Me\nI build models in Python and PyTorch; some Docker.\n", encoding="utf-8"
    )
    text = _ok(db_path, "gap", "--role", "machine-learning-engineer", "--resume", str(resume))
    assert "Python" in text and "PyTorch" in text and "next skills" in text
    res = runner.invoke(
        app,
        ["--db", str(db_path), "gap", "--role", "machine-learning-enginer", "--skills", "python"],
    )
    assert res.exit_code != 0
    assert "machine-learning-engineer" in str(res.exception)


def test_full_report_writes_every_section(db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "full.html"
    _ok(
        db_path,
        "report",
        "--full",
        "--compare",
        "data-scientist",
        "--trend-source",
        "",
        "-o",
        str(out),
    )
    html = out.read_text(encoding="utf-8")
    for heading in ("Learning path", "Manifest"):
        assert heading.lower() in html.lower()
    assert "<svg" in html and "http://" not in html

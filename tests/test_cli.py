"""The command line, end to end, through a real process (errors) or Typer's runner (outputs)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skillgauge.cli import app
from tests.synth import write_jsonl

runner = CliRunner()


def _run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "skillgauge", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, "SKILLGAUGE_WORKERS": "1"},
    )


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p / "missing.csv", "no such file"),
        (lambda p: (p / "x.bin").write_bytes(b"\x00\x01garbage") and p / "x.bin", "format"),
    ],
)
def test_bad_paths_give_one_clear_line(tmp_path: Path, make: object, message: str) -> None:
    path = make(tmp_path)  # type: ignore[operator]
    res = _run("--db", str(tmp_path / "t.duckdb"), "ingest", str(path))
    assert res.returncode == 2
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith("error:") and message in lines[0].lower()
    assert "Traceback" not in res.stderr


def test_unknown_role_suggests_close_ones(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "p.jsonl", 20)
    res = _run("--db", str(tmp_path / "t.duckdb"), "run", str(src), "--role", "data-scienist")
    assert res.returncode == 2
    assert "data-scientist" in res.stderr


def test_run_writes_a_self_contained_escaped_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = write_jsonl(tmp_path / "p.jsonl", 120)
    db = tmp_path / "t.duckdb"
    out = tmp_path / "report.html"
    evil = "<script>alert(1)</script>"
    args = ["--db", str(db), "--workers", "1", "run", str(src), "-o", str(out), "--source", evil]
    monkeypatch.setattr(sys, "argv", ["skillgauge", *args])  # what a shell would pass
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    assert "reconciles" in res.output
    html = out.read_text(encoding="utf-8")
    assert evil not in html
    assert "&lt;script&gt;" in html
    assert "Wilson" in html
    assert "skillgauge --db" in html and " run " in html  # the reproduce command
    for fmt in ("json", "csv", "md"):
        res = runner.invoke(
            app, ["--db", str(db), "report", "--compare", "data-scientist", "--format", fmt]
        )
        assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["--db", str(db), "report", "--format", "json"])
    data = json.loads(res.stdout)
    assert data["manifest"]["corpus_postings"] == 120


def test_extract_prints_jsonl_terms() -> None:
    res = _run("extract", "-", stdin='{"id": "a", "text": "We use Python, SQL and C++ daily."}\n')
    assert res.returncode == 0, res.stderr
    row = json.loads(res.stdout.splitlines()[0])
    assert row["id"] == "a"
    ids = {t["id"] for t in row["terms"]}
    assert {"python", "sql", "cpp"} <= ids
    t = next(t for t in row["terms"] if t["id"] == "cpp")
    assert t["surface"] == "C++" and {"label", "category", "start", "end"} <= set(t)


def test_roles_classify_reads_titles_and_jsonl() -> None:
    res = _run("roles", "classify", "-", stdin='Senior ML Engineer\n{"title": "Data Analyst II"}\n')
    assert res.returncode == 0, res.stderr
    rows = [json.loads(x) for x in res.stdout.splitlines()]
    assert rows[0]["role"] == "machine-learning-engineer" and rows[0]["seniority"] == "senior"
    assert rows[1]["title"] == "Data Analyst II" and rows[1]["role"] == "data-analyst"


def test_taxonomy_export_is_json() -> None:
    res = runner.invoke(app, ["taxonomy", "export"])
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    assert data["version"] and len(data["terms"]) >= 300


def test_secret_options_never_reach_the_stored_command() -> None:
    from skillgauge.cli import command_line

    line = command_line(
        [
            "collect",
            "usajobs",
            "--opt",
            "key=S3CRET",
            "--opt=email=me@x.org",
            "--opt",
            "keyword=data",
        ]
    )
    assert "S3CRET" not in line and "me@x.org" not in line
    assert "key=***" in line and "email=***" in line and "keyword=data" in line


def test_main_exits_with_the_commands_exit_code(monkeypatch: pytest.MonkeyPatch) -> None:
    """A command ending in typer.Exit(1) (a collect whose board failed) must exit non-zero."""
    import skillgauge.cli as cli

    monkeypatch.setattr(cli, "app", lambda standalone_mode: 1)
    with pytest.raises(SystemExit) as info:
        cli.main()
    assert info.value.code == 1
    monkeypatch.setattr(cli, "app", lambda standalone_mode: 0)
    cli.main()  # success returns normally

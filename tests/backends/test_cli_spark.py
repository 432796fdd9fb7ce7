"""The Spark commands from the command line: the install line without pyspark, a real run with it."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import skillgauge.backends as backends
from skillgauge.cli import app
from tests.synth import planted_postings, write_rows


def test_backend_spark_without_pyspark_prints_the_install_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(backends, "spark_available", lambda: False)
    path = write_rows(tmp_path / "p.jsonl", planted_postings(5, seed=1))
    for args in (
        ["ingest", "--backend", "spark", str(path), "--out", str(tmp_path / "ds")],
        ["spark", "shares", "--data", str(tmp_path / "ds")],
    ):
        result = CliRunner().invoke(app, args)
        assert result.exit_code != 0
        assert "pip install 'skillgauge[spark]'" in str(result.exception), args
    assert not (tmp_path / "ds").exists()


def test_unknown_backend_is_named(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "p.jsonl", planted_postings(5, seed=1))
    result = CliRunner().invoke(app, ["ingest", "--backend", "hive", str(path)])
    assert "unknown backend 'hive'" in str(result.exception)


@pytest.mark.spark
def test_spark_ingest_then_shares(
    spark: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SKILLGAUGE_SPARK_MASTER", "local[2]")
    path = write_rows(tmp_path / "p.jsonl", planted_postings(60, seed=2))
    out = tmp_path / "ds"
    runner = CliRunner()
    result = runner.invoke(app, ["ingest", "--backend", "spark", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "read 60" in result.output.replace(",", "")
    assert (out / "postings").is_dir() and not (out / "_prepared").exists()
    result = runner.invoke(app, ["spark", "shares", "--data", str(out), "--top", "3"])
    assert result.exit_code == 0, result.output
    assert "shares: all" in result.output

"""A user's own vocabulary: merged or replacing, and one clear error line per problem."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from skillgauge.exceptions import DataFileError, SourceNotFound
from skillgauge.extract.matcher import Matcher
from skillgauge.pipeline import tools_for
from skillgauge.settings import load_settings
from skillgauge.taxonomy.loader import load_taxonomy
from skillgauge.taxonomy.vocab import load_vocabulary, taxonomy_in_use

KEDRO_YAML = """
version: "0.1.0"
name: mine
terms:
  - {id: kedro, label: Kedro, category: mlops, aliases: [Kedro]}
  - {id: duckdb-wasm, label: DuckDB-Wasm, category: data-store, aliases: [DuckDB-Wasm, duckdb wasm]}
"""
KEDRO_CSV = "id,label,category,aliases\nkedro,Kedro,mlops,Kedro\n"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("name", "text"), [("mine.yaml", KEDRO_YAML), ("mine.csv", KEDRO_CSV)])
def test_merge_adds_terms_to_the_builtin_ones(tmp_path: Path, name: str, text: str) -> None:
    builtin = load_taxonomy()
    tax = taxonomy_in_use(None, _write(tmp_path, name, text), "merge")
    assert "kedro" in tax.by_id and "python" in tax.by_id
    assert len(tax.terms) == len(builtin.terms) + len(load_vocabulary(tmp_path / name).terms)
    assert tax.content_hash != builtin.content_hash
    assert Matcher.from_taxonomy(tax).term_ids("Kedro pipelines in Python") == {"kedro", "python"}


def test_replace_uses_the_vocabulary_alone(tmp_path: Path) -> None:
    tax = taxonomy_in_use(None, _write(tmp_path, "mine.yaml", KEDRO_YAML), "replace")
    assert {t.id for t in tax.terms} == {"kedro", "duckdb-wasm"}
    assert Matcher.from_taxonomy(tax).term_ids("Kedro pipelines in Python") == {"kedro"}


def test_a_builtin_id_in_the_vocabulary_replaces_that_term(tmp_path: Path) -> None:
    text = "id,label,category,aliases\npython,Python,language,Python|CPython\n"
    tax = taxonomy_in_use(None, _write(tmp_path, "fix.csv", text), "merge")
    assert [a.text for a in tax.by_id["python"].aliases] == ["Python", "CPython"]
    assert len(tax.terms) == len(load_taxonomy().terms)


@pytest.mark.parametrize(
    ("name", "text", "mode", "expected"),
    [
        (
            "dup.yaml",
            "version: '1'\nterms:\n"
            "  - {id: kedro, label: Kedro, category: mlops, aliases: [Kedro]}\n"
            "  - {id: kedro2, label: K2, category: mlops, aliases: [kedro]}\n",
            "replace",
            "dup.yaml: term 'kedro2': alias 'kedro' already belongs to term 'kedro'",
        ),
        (
            "dup.csv",
            "id,label,category,aliases\nkedro,Kedro,mlops,Kedro|KEDRO\n",
            "merge",
            "dup.csv: line 2, term 'kedro': duplicate alias 'KEDRO'",
        ),
        (
            "clash.csv",
            "id,label,category,aliases\npg,PG,data-store,PG|Postgres\n",
            "merge",
            "clash.csv: term 'pg': alias 'Postgres' collides with built-in term 'postgresql'",
        ),
        (
            "empty.yaml",
            "version: '1'\nterms:\n  - {id: foo, label: Foo, category: mlops, aliases: ['', Foo]}\n",
            "merge",
            "empty.yaml: term 'foo': aliases.0.text: empty alias",
        ),
        (
            "empty.csv",
            "id,label,category,aliases\nfoo,Foo,mlops,Foo||Bar\n",
            "merge",
            "empty.csv: line 2, term 'foo': empty alias",
        ),
        (
            "cat.yaml",
            "version: '1'\nterms:\n  - {id: foo, label: Foo, category: mlopsy, aliases: [Foo]}\n",
            "merge",
            "cat.yaml: term 'foo': unknown category 'mlopsy' (one of: ai-service,",
        ),
        (
            "cat.csv",
            "id,label,category,aliases\nfoo,Foo,tooling,Foo\n",
            "replace",
            "cat.csv: line 2, term 'foo': unknown category 'tooling'",
        ),
    ],
)
def test_errors_name_the_file_the_term_and_the_problem(
    tmp_path: Path, name: str, text: str, mode: str, expected: str
) -> None:
    path = _write(tmp_path, name, text)
    with pytest.raises(DataFileError) as info:
        taxonomy_in_use(None, path, mode)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(str(tmp_path)), message
    assert expected in message, message


def test_a_colliding_alias_is_fine_in_replace_mode(tmp_path: Path) -> None:
    path = _write(tmp_path, "pg.csv", "id,label,category,aliases\npg,PG,data-store,PG|Postgres\n")
    assert [t.id for t in taxonomy_in_use(None, path, "replace").terms] == ["pg"]


def test_missing_file_and_bad_mode(tmp_path: Path) -> None:
    with pytest.raises(SourceNotFound, match="vocabulary file not found"):
        taxonomy_in_use(None, tmp_path / "nope.yaml")
    with pytest.raises(DataFileError, match="'merge' or 'replace'"):
        taxonomy_in_use(None, _write(tmp_path, "m.csv", KEDRO_CSV), "append")


def test_settings_and_tools_carry_the_vocabulary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path, "mine.csv", KEDRO_CSV)
    monkeypatch.setenv("SKILLGAUGE_VOCAB", str(path))
    monkeypatch.setenv("SKILLGAUGE_VOCAB_MODE", "replace")
    s = load_settings()
    assert (s.vocab, s.vocab_mode) == (path, "replace")
    assert [t.id for t in tools_for(s).taxonomy.terms] == ["kedro"]


def _cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "skillgauge", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, "SKILLGAUGE_WORKERS": "1"},
    )


def test_cli_extract_honours_vocab_and_reports_errors_in_one_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "mine.csv", KEDRO_CSV)
    doc = json.dumps({"id": "1", "text": "Kedro and Python"}) + "\n"
    merged = _cli("--vocab", str(path), "extract", stdin=doc)
    assert merged.returncode == 0, merged.stderr
    assert {t["id"] for t in json.loads(merged.stdout)["terms"]} == {"kedro", "python"}
    alone = _cli("--vocab", str(path), "--vocab-mode", "replace", "extract", stdin=doc)
    assert {t["id"] for t in json.loads(alone.stdout)["terms"]} == {"kedro"}
    bad = _write(tmp_path, "bad.csv", "id,label,category,aliases\npg,PG,data-store,Postgres\n")
    failed = _cli("--vocab", str(bad), "extract", stdin=doc)
    assert failed.returncode == 2
    assert failed.stderr.count("\n") == 1
    assert "bad.csv: term 'pg': alias 'Postgres' collides with built-in term" in failed.stderr


def test_ingest_with_vocab_stores_its_mentions(tmp_path: Path) -> None:
    from skillgauge.database import Database

    vocab = _write(tmp_path, "mine.csv", KEDRO_CSV)
    data = tmp_path / "p.jsonl"
    rows = [{"title": "ML Engineer", "description": "We build Kedro pipelines in Python."}]
    data.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    settings = load_settings(db=tmp_path / "t.duckdb", vocab=vocab, workers=1)
    with Database(settings=settings) as db:
        db.ingest([data])
        terms = set(db.store.con.execute("SELECT term_id FROM mentions").fetchall())
    assert ("kedro",) in terms and ("python",) in terms

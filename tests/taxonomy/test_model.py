"""Taxonomy model and loader: validation errors, content hash, merge/replace, export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from skillgauge.exceptions import DataFileError, SourceNotFound
from skillgauge.taxonomy.loader import load_taxonomy, parse_taxonomy_text

SMALL = Path(__file__).resolve().parents[1] / "data" / "taxonomy_small.yaml"

BASE = """
version: "1.0.0"
terms:
  - id: python
    label: Python
    category: language
    aliases: [Python]
"""


def one_term(body: str) -> str:
    return 'version: "1.0.0"\nterms:\n' + body


def test_small_fixture_loads() -> None:
    tax = load_taxonomy(SMALL)
    assert tax.version == "0.1.0"
    assert 20 <= len(tax.terms) <= 30
    assert tax.by_id["r"].aliases[0].case_sensitive
    assert tax.by_id["python"].aliases[0].text == "Python"
    assert len(tax.content_hash) == 64


def test_hash_ignores_formatting_but_not_meaning() -> None:
    a = parse_taxonomy_text(BASE)
    flow = 'version: "1.0.0"\nterms: [{id: python, label: Python, category: language,\n'
    b = parse_taxonomy_text(flow + "  aliases: [{text: Python, case_sensitive: false}]}]\n")
    c = parse_taxonomy_text(BASE.replace("[Python]", "[Python, py]"))
    assert a.content_hash == b.content_hash
    assert a.content_hash != c.content_hash


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "  - {id: a, label: A, category: language, aliases: [A]}\n"
            "  - {id: a, label: B, category: language, aliases: [B]}\n",
            "duplicate term id 'a'",
        ),
        (
            "  - {id: a, label: A, category: language, aliases: [Foo]}\n"
            "  - {id: b, label: B, category: language, aliases: [foo]}\n",
            "term 'b': alias 'foo' already belongs to term 'a'",
        ),
        ("  - {id: a, label: A, category: language, aliases: [A, a]}\n", "duplicate alias"),
        ("  - {id: a, label: A, category: language, aliases: ['']}\n", "empty alias"),
        ("  - {id: a, label: A, category: language, aliases: []}\n", "no aliases"),
        ("  - {id: a, label: A, category: nonsense, aliases: [A]}\n", "term 'a'"),
        ("  - {id: A_b, label: A, category: language, aliases: [A]}\n", "lowercase slug"),
        (
            "  - {id: a, label: A, category: language, aliases: [A], prerequisites: [zz]}\n",
            "unknown prerequisite 'zz'",
        ),
        (
            "  - {id: a, label: A, category: language, aliases: [A], prerequisites: [b]}\n"
            "  - {id: b, label: B, category: language, aliases: [B], prerequisites: [a]}\n",
            "prerequisite cycle",
        ),
        (
            "  - {id: a, label: A, category: language,"
            " aliases: [{text: A, needs_context: true}]}\n",
            "no context block",
        ),
        (
            "  - {id: a, label: A, category: language, aliases: [{text: A, needs_context: true}],"
            " context: {reject_after: ['(']}}\n",
            "does not compile",
        ),
    ],
)
def test_validation_errors(body: str, message: str) -> None:
    with pytest.raises(DataFileError) as info:
        parse_taxonomy_text(one_term(body))
    assert message in str(info.value)


def test_missing_file() -> None:
    with pytest.raises(SourceNotFound):
        load_taxonomy(Path("/nonexistent/terms.yaml"))


def test_merge_yaml_extra(tmp_path: Path) -> None:
    extra = tmp_path / "mine.yaml"
    extra.write_text(
        one_term(
            "  - {id: polars, label: Polars, category: data-library, aliases: [Polars]}\n"
            "  - {id: python, label: Python, category: language, aliases: [Python, py3]}\n"
        )
    )
    base = load_taxonomy(SMALL)
    merged = load_taxonomy(SMALL, extra=extra)
    assert len(merged.terms) == len(base.terms) + 1
    assert merged.by_id["python"].aliases[-1].text == "py3"  # same id replaces
    assert merged.version == f"{base.version}+mine"
    assert merged.content_hash != base.content_hash
    alone = load_taxonomy(SMALL, extra=extra, replace=True)
    assert [t.id for t in alone.terms] == ["polars", "python"]


def test_merge_csv_extra(tmp_path: Path) -> None:
    extra = tmp_path / "mine.csv"
    extra.write_text(
        "id,label,category,aliases\npolars,Polars,data-library,Polars|polars-rs\n", encoding="utf-8"
    )
    merged = load_taxonomy(SMALL, extra=extra)
    assert [a.text for a in merged.by_id["polars"].aliases] == ["Polars", "polars-rs"]


def test_csv_errors_name_the_term(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("id,label,category,aliases\nmyr,My R,language,R||x\n")
    with pytest.raises(DataFileError, match="line 2, term 'myr': empty alias"):
        load_taxonomy(SMALL, extra=bad)
    clash = tmp_path / "clash.csv"
    clash.write_text("id,label,category,aliases\nmypy,MyPy,language,mypy|PYTHON\n")
    with pytest.raises(
        DataFileError, match="term 'mypy': alias 'PYTHON' already belongs to term 'python'"
    ):
        load_taxonomy(SMALL, extra=clash)
    cols = tmp_path / "cols.csv"
    cols.write_text("id,label\nx,X\n")
    with pytest.raises(DataFileError, match="lacks the column"):
        load_taxonomy(SMALL, extra=cols)


def test_replace_needs_extra() -> None:
    with pytest.raises(DataFileError):
        load_taxonomy(SMALL, replace=True)


def test_to_json() -> None:
    tax = load_taxonomy(SMALL)
    data = json.loads(tax.to_json())
    assert data["version"] == tax.version
    assert data["content_hash"] == tax.content_hash
    assert [t["id"] for t in data["terms"]] == [t.id for t in tax.terms]
    r = next(t for t in data["terms"] if t["id"] == "r")
    assert r["context"]["reject_after"][0] == r"^\s*&\s*d\b"

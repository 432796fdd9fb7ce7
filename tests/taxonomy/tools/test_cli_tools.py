"""taxonomy diff / candidates / accept through the CLI, on a tiny store built from inline postings."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

from skillgauge.cli import app
from skillgauge.cli_taxonomy_tools import accept_candidates, slug
from skillgauge.database import Database
from skillgauge.settings import load_settings

runner = CliRunner()
STACK = "Our stack: Python, ZorbQL, PostgreSQL and Docker on AWS."


def _store(tmp_path: Path) -> Path:
    data = tmp_path / "p.jsonl"
    rows = [
        {
            "title": f"Backend Engineer {i}",
            "company": f"Company{i}",
            "date_posted": f"201{5 + i % 3}-0{1 + i % 9}-01",
            "description": f"{STACK} Posting {i} of Company{i}, a great place.",
        }
        for i in range(8)
    ]
    data.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    db = tmp_path / "t.duckdb"
    with Database(settings=load_settings(db=db, workers=1)) as database:
        database.ingest([data])
    return db


def test_candidates_review_accept_then_diff(tmp_path: Path) -> None:
    db = _store(tmp_path)
    review = tmp_path / "review.yaml"
    res = runner.invoke(
        app, ["--db", str(db), "taxonomy", "candidates", "--min-count", "3", "--out", str(review)]
    )
    assert res.exit_code == 0, res.output
    assert "ZorbQL" in res.output
    doc = yaml.safe_load(review.read_text(encoding="utf-8"))
    entry = next(c for c in doc["candidates"] if c["text"] == "ZorbQL")
    assert entry["decision"] == "pending" and entry["id"] == "zorbql" and entry["postings"] == 8
    entry.update(decision="accept", category="api-protocol")
    review.write_text(yaml.safe_dump(doc), encoding="utf-8")

    vocab = tmp_path / "mine.yaml"
    res = runner.invoke(app, ["taxonomy", "accept", str(review), "--into", str(vocab)])
    assert res.exit_code == 0, res.output
    written = yaml.safe_load(vocab.read_text(encoding="utf-8"))
    assert written["version"] == "0.1.0"
    assert [t["id"] for t in written["terms"]] == ["zorbql"]

    res = runner.invoke(
        app, ["--db", str(db), "taxonomy", "diff", "builtin", f"builtin+{vocab}", "--json"]
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert [t["id"] for t in out["diff"]["added"]] == ["zorbql"]
    rows = out["shift"]["rows"]
    assert rows[0]["term_id"] == "zorbql" and rows[0]["role"] == "all"
    assert (rows[0]["n"], rows[0]["count_a"], rows[0]["count_b"]) == (8, 0, 8)
    assert out["shift"]["postings_changed"] == 8

    # with the vocabulary in use, ZorbQL is known: no longer a candidate
    res = runner.invoke(
        app,
        [
            "--db",
            str(db),
            "--vocab",
            str(vocab),
            "taxonomy",
            "candidates",
            "--min-count",
            "3",
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    texts = [c["text"] for c in json.loads(res.stdout)]
    assert texts and "ZorbQL" not in texts

    # accepting again adds nothing and keeps the version
    res = runner.invoke(app, ["taxonomy", "accept", str(review), "--into", str(vocab)])
    assert "nothing to add" in res.output
    assert yaml.safe_load(vocab.read_text(encoding="utf-8"))["version"] == "0.1.0"


def test_diff_without_a_store_prints_the_term_changes(tmp_path: Path) -> None:
    mine = tmp_path / "m.csv"
    mine.write_text("id,label,category,aliases\nkedro,Kedro,mlops,Kedro\n", encoding="utf-8")
    res = runner.invoke(
        app,
        ["--db", str(tmp_path / "none.duckdb"), "taxonomy", "diff", "builtin", f"builtin+{mine}"],
    )
    assert res.exit_code == 0, res.output
    assert "+ kedro (mlops): Kedro" in res.output and "share movement not measured" in res.output


def test_accept_validates_against_the_builtin_vocabulary(tmp_path: Path) -> None:
    review = {"candidates": [{"text": "Postgres", "decision": "accept", "category": "data-store"}]}
    doc, added = accept_candidates(review, None, source="r.yaml")
    assert added == ["postgres"] and doc["version"] == "0.1.0"
    path = tmp_path / "r.yaml"
    path.write_text(yaml.safe_dump(review), encoding="utf-8")
    res = runner.invoke(app, ["taxonomy", "accept", str(path), "--into", str(tmp_path / "v.yaml")])
    assert res.exit_code != 0
    assert "collides with built-in term 'postgresql'" in str(res.exception)
    assert not (tmp_path / "v.yaml").exists()


def test_slug() -> None:
    assert slug("Next.js") == "next.js" and slug("Unreal Engine") == "unreal-engine"
    assert slug(".NET") == "net" and slug("C++") == "c++"

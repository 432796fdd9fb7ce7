"""Ingestion into a real DuckDB file: reconciliation, idempotency, quarantine, duplicates."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

import skillgauge as sg
from skillgauge.exceptions import SourceNotFound, UnknownFormat
from skillgauge.pipeline import writing
from tests.invariants import assert_keys_unique
from tests.synth import write_jsonl


def _open(tmp_path: Path, **kw: object) -> sg.Database:
    return sg.open(tmp_path / "t.duckdb", workers=1, batch_size=50, **kw)


def test_counts_reconcile_and_rerun_stores_nothing_new(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "p.jsonl", 230)
    with _open(tmp_path) as db:
        first = db.ingest([src])
        assert first.counts.read == 230
        assert first.counts.reconciles
        assert first.counts.stored == 230
        before = db.table_counts()
        again = db.ingest([src])
        assert again.counts.read == 230
        assert again.counts.stored == 0
        assert again.counts.duplicates == 230
        assert again.counts.reconciles
        after = db.table_counts()
        assert_keys_unique(db.store.con)
    for table in (
        "raw_postings",
        "postings",
        "posting_roles",
        "mentions",
        "rejected",
        "duplicates",
    ):
        assert after[table] == before[table], table


def test_bad_rows_are_quarantined_with_reasons(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    good = {"title": "Data Engineer", "description": "Spark and Kafka pipelines in Scala."}
    lines = [
        json.dumps(good).encode(),
        b'{"title": "broken", "description": ',  # broken JSON line
        json.dumps({"title": "Bad bytes", "description": "x"}).encode()[:-2] + b'\xff\xfe"}',
        json.dumps({"company": "Nobody", "location": "Nowhere"}).encode(),  # no title, no text
        json.dumps(
            {"title": "ML Engineer", "description": "PyTorch", "date_posted": "someday"}
        ).encode(),
        json.dumps({"title": "Data Scientist", "description": "R and Python, SQL."}).encode(),
        b'{"title": "Lone surrogate \\udc80", "description": "Python"}',
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")
    with _open(tmp_path) as db:
        result = db.ingest([path])
        c = result.counts
        assert (c.read, c.stored, c.rejected) == (7, 2, 5)
        assert c.reconciles
        rej = db.rejected()
        again = db.ingest([path]).counts  # read again: the rejects are recorded once
        assert (again.read, again.stored, again.rejected) == (7, 0, 5)
        assert len(db.rejected()) == 5
        assert_keys_unique(db.store.con)
    reasons = " | ".join(rej["reason"])
    assert "malformed JSON" in reasons
    assert "UTF-8" in reasons or "undecodable" in reasons
    assert "no title and no text" in reasons
    assert "unparseable date 'someday'" in reasons
    assert "lone surrogate" in reasons
    assert sorted(rej["position"]) == [1, 2, 3, 4, 6]
    assert all(p for p in rej["payload"])  # the raw record is kept, not lost


def test_exact_and_near_duplicates_count_once(tmp_path: Path) -> None:
    text = (
        "We are hiring a data engineer to build batch and streaming pipelines with Spark, Kafka "
        "and Airflow on AWS. You will own our warehouse in Snowflake, model data with dbt, and "
        "work with analysts and scientists across the company to ship reliable datasets quickly."
    )
    rows = [
        {"id": "1", "title": "Data Engineer", "description": text},
        {"id": "2", "title": "Data Engineer", "description": text},  # exact (other id)
        {"id": "3", "title": "Data Engineer", "description": text.replace("quickly", "fast")},
        {"id": "4", "title": "Data Analyst", "description": "Tableau dashboards and SQL reports."},
    ]
    path = tmp_path / "d.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=["id", "title", "description"])
        w.writeheader()
        w.writerows(rows)
    with _open(tmp_path) as db:
        c = db.ingest([path]).counts
        assert (c.read, c.stored, c.duplicates) == (4, 2, 2)
        dups = db.store.con.execute(
            "SELECT kind, count(*) FROM duplicates GROUP BY kind ORDER BY kind"
        ).fetchall()
        assert dups == [("exact", 1), ("near", 1)]
        shares = db.shares(role="data-engineer")
        n = int(shares["n"].iloc[0])
        assert n == 1  # every share is over unique postings


def test_missing_path_and_unknown_format_fail_before_a_run(tmp_path: Path) -> None:
    odd = tmp_path / "notes.xyz"
    odd.write_bytes(b"\x00\x01\x02 binary")
    with _open(tmp_path) as db:
        with pytest.raises(SourceNotFound):
            db.ingest([tmp_path / "missing.csv"])
        with pytest.raises(UnknownFormat):
            db.ingest([odd])
        assert db.table_counts()["runs"] == 0


def test_reextract_after_taxonomy_change(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "p.jsonl", 60)
    with _open(tmp_path) as db:
        db.ingest([src])
        mentions = db.table_counts()["mentions"]
        _, n = db.reextract()
        assert n == 0  # nothing changed
        _, n = db.reextract(force=True)
        assert n == 60
        assert db.table_counts()["mentions"] == mentions
        assert db.runs().iloc[0]["kind"] == "extract"


@pytest.mark.parametrize("chunk", [7, 5000])
def test_worker_processes_give_the_same_store_as_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    """Workers prepare each batch in chunks (``writing.CHUNK``): 7 cuts a batch of 40 into six,
    the default leaves it whole; either way the store is the one process's."""
    monkeypatch.setattr(writing, "CHUNK", chunk)
    src = write_jsonl(tmp_path / "p.jsonl", 300)
    got = {}
    for workers in (1, 2):
        with sg.open(tmp_path / f"w{workers}.duckdb", workers=workers, batch_size=40) as db:
            db.ingest([src])
            got[workers] = (
                db.table_counts(),
                db.store.con.execute(
                    "SELECT posting_id, role FROM posting_roles ORDER BY ALL"
                ).fetchall(),
                db.store.con.execute(
                    "SELECT posting_id, term_id, start_pos FROM mentions ORDER BY ALL"
                ).fetchall(),
            )
    got[1][0].pop("runs")
    got[2][0].pop("runs")
    assert got[1] == got[2]


def test_duplicates_do_not_depend_on_batch_boundaries(tmp_path: Path) -> None:
    """Within-batch de-duplication (vectorised) and against-the-store de-duplication (SQL) agree."""
    import random

    from tests.synth import posting

    rng = random.Random(3)
    rows = []
    for i in range(60):
        base = posting(i, rng)
        rows.append(base)
        for k in range(rng.randint(0, 3)):  # near copies: a few words changed, same title
            words = str(base["description"]).split()
            for _ in range(rng.randint(1, 4)):
                words[rng.randrange(len(words))] = f"edit{k}"
            rows.append({**base, "id": f"{base['id']}-{k}", "description": " ".join(words)})
    rng.shuffle(rows)
    src = tmp_path / "near.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    kept = {}
    for size in (1, 7, 1000):
        with sg.open(tmp_path / f"b{size}.duckdb", workers=1, batch_size=size) as db:
            c = db.ingest([src]).counts
            assert c.reconciles and c.duplicates > 0
            kept[size] = db.store.con.execute(
                "SELECT posting_id FROM postings ORDER BY 1"
            ).fetchall()
    assert kept[1] == kept[7] == kept[1000]

"""One behaviour suite over both backends: the same corpus gives the same counts, the same kept
postings, the same duplicate verdicts and the same shares, comparison and trend tables.

The reference is a DuckDB ingest in one batch. The ``duckdb`` case ingests in batches of 7 (and a
separate test in batches of 1): de-duplication must not depend on where batches are cut. The
``spark`` case ingests with small splits (several Parquet row-group splits and JSON Lines byte
ranges) on ``local[2]``.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import orjson
import pandas as pd
import pytest

from skillgauge.backends.dedupe import greedy_window_dedupe
from skillgauge.database import Database
from skillgauge.pipeline import tools_for
from skillgauge.pipeline.prepare import raw_id
from skillgauge.settings import Settings, load_settings
from tests.backends import corpus

ROLES = ["all", "data-scientist", "machine-learning-engineer", "data-engineer"]
TREND_TERMS = ["python", "sql", "pytorch", "kubernetes"]


@dataclasses.dataclass
class Outcome:
    counts: tuple[int, int, int, int]  # read, stored, rejected, duplicates
    kept: set[str]
    dups: dict[str, tuple[str, float]]  # raw id -> (kind, similarity)
    analyses: Any  # Database or SparkAnalyses: shares/compare/trends/trend_tests


@pytest.fixture(scope="module")
def corpus_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], dict[str, str]]:
    rows, planted = corpus.build()
    paths = corpus.write(tmp_path_factory.mktemp("corpus"), rows)
    ids = {str(r["id"]): raw_id("rest", _payload(r)) for r in rows[100:]}
    return paths, {f"{ids[k.removeprefix('seen:')]} {k}": kind for k, kind in planted.items()}


def _payload(row: dict[str, object]) -> str:
    return orjson.dumps(
        row, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS, default=str
    ).decode()


def _settings(tmp: Path, batch_size: int) -> Settings:
    return load_settings(db=tmp / f"b{batch_size}.duckdb", batch_size=batch_size, workers=1)


def _duckdb(tmp: Path, paths: list[Path], batch_size: int) -> Outcome:
    db = Database(settings=_settings(tmp, batch_size))
    result = db.ingest(paths)
    c = result.counts
    con = db.store.con
    kept = {str(r[0]) for r in con.execute("SELECT posting_id FROM postings").fetchall()}
    dups = {
        str(r[0]): (str(r[1]), float(r[2]))
        for r in con.execute("SELECT raw_id, kind, similarity FROM duplicates").fetchall()
    }
    return Outcome((c.read, c.stored, c.rejected, c.duplicates), kept, dups, db)


def _spark(spark: Any, tmp: Path, paths: list[Path]) -> Outcome:
    from skillgauge.backends.spark.aggregate import SparkAnalyses
    from skillgauge.backends.spark.pipeline import ingest_spark, read_table

    settings = _settings(tmp, 5000)
    tools = tools_for(settings)
    out = tmp / "spark-out"
    run = ingest_spark(spark, paths, out, settings, tools, split_bytes=4096, split_rows=30)
    assert run.splits > 4  # the corpus really was cut into several splits
    c = run.counts
    kept = {str(r[0]) for r in read_table(spark, out, "postings").select("posting_id").collect()}
    dups = {
        str(r[0]): (str(r[1]), float(r[2]))
        for r in read_table(spark, out, "duplicates")
        .select("raw_id", "kind", "similarity")
        .collect()
    }
    return Outcome(
        (c.read, c.stored, c.rejected, c.duplicates),
        kept,
        dups,
        SparkAnalyses(spark, out, tools, settings.min_n),
    )


@pytest.fixture(scope="module")
def reference(
    corpus_files: tuple[list[Path], dict[str, str]], tmp_path_factory: pytest.TempPathFactory
) -> Outcome:
    return _duckdb(tmp_path_factory.mktemp("ref"), corpus_files[0], 5000)


@pytest.fixture(scope="module", params=["duckdb", pytest.param("spark", marks=pytest.mark.spark)])
def outcome(
    request: pytest.FixtureRequest,
    corpus_files: tuple[list[Path], dict[str, str]],
    tmp_path_factory: pytest.TempPathFactory,
) -> Outcome:
    tmp = tmp_path_factory.mktemp(request.param)
    if request.param == "duckdb":
        return _duckdb(tmp, corpus_files[0], 7)
    return _spark(request.getfixturevalue("spark"), tmp, corpus_files[0])


def test_planted_verdicts(
    outcome: Outcome, corpus_files: tuple[list[Path], dict[str, str]]
) -> None:
    planted = corpus_files[1]
    for key, kind in planted.items():
        rid = key.split()[0]
        if kind == "seen":
            assert rid in outcome.kept  # the first arrival is kept; the re-read adds nothing
        elif kind == "new":
            assert rid in outcome.kept, key
        else:
            assert outcome.dups.get(rid, ("missing",))[0] == kind, key


def test_counts_reconcile_and_match(outcome: Outcome, reference: Outcome) -> None:
    read, stored, rejected, duplicates = outcome.counts
    assert read == stored + rejected + duplicates
    assert rejected == 2 and duplicates >= 6
    assert outcome.counts == reference.counts


def test_same_postings_kept_and_same_duplicates(outcome: Outcome, reference: Outcome) -> None:
    assert outcome.kept == reference.kept
    assert outcome.dups == reference.dups


def test_batch_size_one_keeps_the_same(
    corpus_files: tuple[list[Path], dict[str, str]],
    reference: Outcome,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    one = _duckdb(tmp_path_factory.mktemp("b1"), corpus_files[0], 1)
    assert (one.counts, one.kept, one.dups) == (reference.counts, reference.kept, reference.dups)


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    assert a.attrs == b.attrs


def test_shares_match(outcome: Outcome, reference: Outcome) -> None:
    _same(outcome.analyses.shares(roles=ROLES), reference.analyses.shares(roles=ROLES))
    _same(
        outcome.analyses.shares("data-scientist", top=5),
        reference.analyses.shares("data-scientist", top=5),
    )


@pytest.mark.parametrize(
    ("role_a", "role_b", "overlap"),
    [
        ("data-scientist", "rest", "exclude"),
        ("machine-learning-engineer", "data-scientist", "exclude"),
        ("machine-learning-engineer", "data-scientist", "include"),
    ],
)
def test_compare_matches(
    outcome: Outcome, reference: Outcome, role_a: str, role_b: str, overlap: str
) -> None:
    _same(
        outcome.analyses.compare(role_a, role_b, overlap=overlap),
        reference.analyses.compare(role_a, role_b, overlap=overlap),
    )


@pytest.mark.parametrize(("role", "freq"), [(None, "month"), ("data-scientist", "quarter")])
def test_trends_match(outcome: Outcome, reference: Outcome, role: str | None, freq: str) -> None:
    _same(
        outcome.analyses.trends(TREND_TERMS, role=role, freq=freq),
        reference.analyses.trends(TREND_TERMS, role=role, freq=freq),
    )
    _same(
        outcome.analyses.trend_tests(role=role, freq=freq),
        reference.analyses.trend_tests(role=role, freq=freq),
    )


def test_source_filter_and_errors_match(outcome: Outcome, reference: Outcome) -> None:
    _same(
        outcome.analyses.trends(["python"], source="first"),
        reference.analyses.trends(["python"], source="first"),
    )
    for call in (
        lambda a: a.compare("data-scientist", "data-scientist"),
        lambda a: a.trends(["python"], source="nowhere"),
        lambda a: a.shares("no-such-role"),
    ):
        with pytest.raises(Exception) as mine:
            call(outcome.analyses)
        with pytest.raises(Exception) as ref:
            call(reference.analyses)
        assert (type(mine.value), str(mine.value)) == (type(ref.value), str(ref.value))


def test_greedy_rule_only_kept_postings_start_clusters() -> None:
    """A ~ B, B ~ C, A !~ C: B is a duplicate of A, so C is compared with A only and kept."""
    import numpy as np

    sig = np.array([[1, 2, 3, 4], [1, 2, 9, 9], [7, 2, 9, 9]], dtype=np.uint32)
    bands = np.array([[1, 5], [1, 6], [2, 6]], dtype=np.int64)
    v = greedy_window_dedupe(["a", "b", "c"], ["x", "x", "x"], [True] * 3, sig, bands, 0.5)
    assert v.kind == ["new", "near", "new"] and v.kept == [None, 0, None]
    v = greedy_window_dedupe(["a", "a", "b"], [None] * 3, [True, True, False], sig, bands, 0.5)
    assert v.kind == ["new", "exact", "new"] and v.similarity == [None, 1.0, None]

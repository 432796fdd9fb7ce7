"""Scoring arithmetic on hand-built cases."""

from __future__ import annotations

import math

import pytest

from skillgauge.evaluate.scoring import GAP_PREFIX, SentenceCase, f1_interval, f1_score, rate, score


def case(sid: str, gold: dict[str, str], found: dict[str, str]) -> SentenceCase:
    return SentenceCase(sid, f"sentence {sid}", gold, found)


def test_counts_precision_recall_f1_by_hand() -> None:
    cases = [
        case("1", {"python": "Python", "sql": "SQL"}, {"python": "Python"}),  # tp1 fn1
        case("2", {}, {"java": "Java"}),  # fp1
        case("3", {"java": "Java"}, {"java": "java", "aws": "AWS"}),  # tp1 fp1
    ]
    d = score("t", cases, n_resamples=200)
    o = d.overall
    assert (o.tp, o.fp, o.fn) == (2, 2, 1)
    assert o.precision.k == 2 and o.precision.n == 4 and o.precision.value == 0.5
    assert o.recall.n == 3 and o.recall.value == pytest.approx(2 / 3)
    assert o.f1 == pytest.approx(4 / 7)
    per = {t.term_id: t.scores for t in d.per_term}
    assert (per["java"].tp, per["java"].fp, per["java"].fn) == (1, 1, 0)
    assert (per["sql"].tp, per["sql"].fn) == (0, 1) and per["sql"].precision.n == 0
    assert math.isnan(per["sql"].precision.value)
    kinds = sorted((e.kind, e.term_id, e.sentence_id) for e in d.errors)
    assert kinds == [("fn", "sql", "1"), ("fp", "aws", "3"), ("fp", "java", "2")]


def test_wilson_rate_matches_known_value() -> None:
    r = rate(8, 10)  # Wilson 95% for 8/10: [0.4902, 0.9433]
    assert r.value == 0.8
    assert r.low == pytest.approx(0.4902, abs=1e-4) and r.high == pytest.approx(0.9433, abs=1e-4)
    with pytest.raises(ValueError):
        rate(3, 2)


def test_f1_degenerate_and_interval() -> None:
    assert math.isnan(f1_score(0, 0, 0))
    assert f1_score(0, 3, 0) == 0.0
    assert f1_interval([1], [0], [0]) is None
    tp, fp, fn = [1, 1, 0, 2, 1, 0] * 10, [0, 1, 1, 0, 0, 0] * 10, [0, 0, 1, 1, 0, 1] * 10
    low_high = f1_interval(tp, fp, fn, seed=1, n_resamples=500)
    assert low_high is not None
    low, high = low_high
    point = f1_score(sum(tp), sum(fp), sum(fn))
    assert 0 <= low < point < high <= 1
    assert f1_interval(tp, fp, fn, seed=1, n_resamples=500) == low_high  # seeded


def test_taxonomy_gaps_count_in_recall_not_in_per_term() -> None:
    gap = GAP_PREFIX + "specflow"
    d = score("t", [case("1", {gap: "SpecFlow", "python": "Python"}, {"python": "Python"})])
    assert d.overall.fn == 1 and d.overall.recall.value == 0.5
    assert d.taxonomy_gaps == 1
    assert [t.term_id for t in d.per_term] == ["python"]
    assert [e.note for e in d.errors] == ["not in taxonomy"]


def test_empty_input() -> None:
    d = score("t", [])
    assert d.n_sentences == 0 and d.overall.f1_low is None and math.isnan(d.overall.f1)

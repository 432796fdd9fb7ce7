"""The gold set: its committed labels, its scoring, its agreement figure and the targets it holds."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from skillgauge.evaluate.gold import (
    GoldLabel,
    agreement,
    alias_index,
    evaluate_gold,
    load_labels,
    resolve,
    target_lines,
)
from skillgauge.evaluate.gold_corpus import (
    HELDOUT_QUOTAS,
    HELDOUT_SEED,
    QUOTAS,
    sample,
    split_id,
)
from skillgauge.evaluate.scoring import GAP_PREFIX
from skillgauge.extract.matcher import Matcher
from skillgauge.taxonomy.loader import load_taxonomy, parse_taxonomy_text


def test_committed_labels_are_the_stratified_sample() -> None:
    labels = load_labels()
    ids = [lab.id for lab in labels]
    assert len(ids) == len(set(ids)) == 400
    per_file = Counter(split_id(i)[0] for i in ids)
    assert dict(per_file) == dict(QUOTAS)
    second = load_labels(name="gold_v1_second_reading.jsonl")
    assert len(second) == 40 and {s.id for s in second} <= set(ids)


def test_every_labelled_id_is_a_term_of_the_taxonomy() -> None:
    known = {t.id for t in load_taxonomy().terms}
    unknown = {t for lab in load_labels() for t in lab.terms} - known
    assert not unknown, f"labels name ids the taxonomy lacks (renamed?): {sorted(unknown)}"


def test_agreement_counts_cells_over_listed_terms() -> None:
    first = [GoldLabel("a", ("python", "sql"), ()), GoldLabel("b", ("go",), ())]
    second = [GoldLabel("a", ("python",), ()), GoldLabel("b", ("go", "rust"), ())]
    a = agreement(first, second, ["python", "sql", "go", "rust", "java"])
    assert (a.postings, a.first, a.second, a.both) == (2, 3, 3, 2)
    assert a.positive_agreement == pytest.approx(2 * 2 / 6)
    # 10 cells: n11=2, n10=1, n01=1, n00=6 -> po=0.8, pe=(3*3 + 7*7)/100=0.58
    assert a.kappa == pytest.approx((0.8 - 0.58) / (1 - 0.58))
    assert set(a.disagreements) == {("a", "sql", "first"), ("b", "rust", "second")}


def test_labels_follow_the_taxonomy_they_are_scored_with() -> None:
    tax = parse_taxonomy_text(
        'version: "9.9.9"\nname: t\nterms:\n'
        "  - {id: python, label: Python, category: language, aliases: [Python]}\n"
        "  - {id: temporal, label: Temporal, category: devops, aliases: [Temporal]}\n"
    )
    label = GoldLabel("x", ("python", "retired-term"), ("Temporal", "Hasura"))
    got = resolve(label, tax, alias_index(tax))
    # an unlisted name the taxonomy now has becomes its term; a vanished id and an unknown
    # name are gaps, owed to the vocabulary
    assert got == {"python", "temporal", f"{GAP_PREFIX}retired-term", f"{GAP_PREFIX}Hasura"}


@pytest.mark.shared
def test_the_sample_is_reproducible(shared_data: Path) -> None:
    assert [p.id for p in sample(shared_data)] == [lab.id for lab in load_labels()]


@pytest.mark.shared
def test_the_extractor_meets_the_gold_set_targets(shared_data: Path) -> None:
    """Issue 4's targets, as a regression guard: a taxonomy change that breaks them fails here."""
    tax = load_taxonomy()
    report = evaluate_gold(shared_data, Matcher.from_taxonomy(tax), tax, n_resamples=50)
    assert report.scores.overall.precision.value >= 0.97, target_lines(report)
    assert report.vocab_recall.value >= 0.95, target_lines(report)
    for row in report.ambiguous:
        if row.gold >= 5 or row.found >= 5:
            assert row.precision.value >= 0.90, (row.term_id, target_lines(report))
    assert report.agreement is not None and report.agreement.postings == 40


def test_the_heldout_labels_are_their_own_stratified_sample() -> None:
    heldout = [lab.id for lab in load_labels(name="gold_heldout_v1.jsonl")]
    assert len(heldout) == len(set(heldout)) == sum(HELDOUT_QUOTAS.values()) == 151
    assert dict(Counter(split_id(i)[0] for i in heldout)) == dict(HELDOUT_QUOTAS)
    assert not set(heldout) & {lab.id for lab in load_labels()}  # never a posting of the first set
    known = {t.id for t in load_taxonomy().terms}
    assert not {t for lab in load_labels(name="gold_heldout_v1.jsonl") for t in lab.terms} - known


@pytest.mark.shared
def test_the_heldout_sample_is_reproducible(shared_data: Path) -> None:
    first = frozenset(lab.id for lab in load_labels())
    drawn = sample(shared_data, HELDOUT_SEED, HELDOUT_QUOTAS, first)
    assert [p.id for p in drawn] == [lab.id for lab in load_labels(name="gold_heldout_v1.jsonl")]


@pytest.mark.shared
def test_the_heldout_set_is_scored_without_an_agreement_figure(shared_data: Path) -> None:
    tax = load_taxonomy()
    report = evaluate_gold(
        shared_data, Matcher.from_taxonomy(tax), tax, n_resamples=50, heldout=True
    )
    assert report.scores.name == "gold-heldout"
    assert report.scores.n_sentences == 151
    assert report.agreement is None
    o = report.scores.overall
    assert o.precision.n > 0 and o.recall.n == report.gold_pairs

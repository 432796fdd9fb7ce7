"""``skillgauge eval``: the extractor scored against public human annotations.

Pipeline: read annotations (``annotations``), turn each sentence into gold and found term sets
(``build_cases``, the only place the matcher runs), score them (``scoring``, pure), render
(``report``). ``run_evaluation`` is what the CLI calls; ``skillgauge eval`` runs it
until the CLI command is wired.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from skillgauge.evaluate.annotations import GoldRule, Sentence, read_decorte, read_skillspan
from skillgauge.evaluate.scoring import DatasetScores, SentenceCase, score
from skillgauge.exceptions import InputError
from skillgauge.extract.matcher import Matcher
from skillgauge.taxonomy.model import Taxonomy

__all__ = ["DATASETS", "EvalResult", "build_cases", "run_evaluation"]

#: Dataset name -> what it is (the report prints this).
DATASETS = {
    "gold": "skillgauge's own gold set: 400 real postings labelled by reading (docs/annotation.md)",
    "gold-heldout": "skillgauge's held-out gold set: 151 more postings, labelled the same way after"
    " the taxonomy fixes, never used to tune it",
    "skillspan": "SkillSpan test split (Zhang et al., NAACL 2022), KNOWLEDGE spans",
    "decorte-tech": "Decorte TECH test + validation (Decorte et al., 2022), spans and ESCO labels",
}
IGNORED_LABELS = frozenset({"LABEL NOT PRESENT", "UNDERSPECIFIED", ""})


def _found_note(sentence: Sentence, start: int, end: int) -> str:
    """What the annotators tagged where a found term sits (for false positives)."""
    layers = {sp.layer for sp in sentence.spans if sp.start < end and start < sp.end}
    if "knowledge" in layers:
        return "inside a KNOWLEDGE span not mapped to this term"
    if "skill" in layers:
        return "inside a SKILL span (tagged, not as technology)"
    if "decorte" in layers:
        return "inside an annotated span not mapped to this term"
    return "untagged"


def build_cases(
    sentences: Sequence[Sentence], matcher: Matcher, rule: GoldRule, *, use_labels: bool
) -> list[SentenceCase]:
    """Gold terms per sentence (from KNOWLEDGE or Decorte spans, and optionally ESCO labels) and
    the terms the matcher finds in the whole sentence."""
    cases: list[SentenceCase] = []
    for s in sentences:
        gold: dict[str, str] = {}
        for sp in s.spans:
            if sp.layer == "skill":
                continue
            tids = set(rule.terms_of_span(sp.text))
            if use_labels and sp.label not in IGNORED_LABELS:
                tids |= rule.terms_of_label(sp.label)
            for tid in sorted(tids):
                gold.setdefault(tid, sp.text)
        found: dict[str, str] = {}
        notes: dict[str, str] = {}
        for m in matcher.find(s.text):
            if m.term_id not in found:
                found[m.term_id] = m.surface
                notes[m.term_id] = _found_note(s, m.start, m.end)
        cases.append(SentenceCase(s.sentence_id, s.text, gold, found, notes))
    return cases


@dataclass(frozen=True, slots=True)
class EvalResult:
    """Scores per dataset, with what produced them."""

    datasets: tuple[DatasetScores, ...]
    taxonomy: str
    n_terms: int
    command: str = "skillgauge eval"
    notes: tuple[str, ...] = ()  # the gold set's targets, agreement and coverage, one line each

    def to_markdown(self) -> str:
        from skillgauge.evaluate.report import render_markdown

        return render_markdown(self)

    def to_html(self) -> str:
        from skillgauge.evaluate.report import render_html

        return render_html(self)

    def summary_lines(self) -> list[str]:
        """One line per dataset: precision, recall, F1 with intervals and n."""
        out = []
        for d in self.datasets:
            o = d.overall
            f1 = f"F1 {o.f1:.3f}"
            if o.f1_low is not None and o.f1_high is not None:
                f1 += f" [{o.f1_low:.3f}, {o.f1_high:.3f}]"
            out.append(
                f"{d.name}: {d.n_sentences} {'postings' if d.name.startswith('gold') else 'sentences'}; "
                f"precision {o.precision.value:.3f} [{o.precision.low:.3f}, {o.precision.high:.3f}]"
                f" (n={o.precision.n}); recall {o.recall.value:.3f} "
                f"[{o.recall.low:.3f}, {o.recall.high:.3f}] (n={o.recall.n}); {f1}; "
                f"{sum(e.kind == 'fp' for e in d.errors)} FP, "
                f"{sum(e.kind == 'fn' for e in d.errors)} FN ({d.taxonomy_gaps} taxonomy gaps)"
            )
        return out + list(self.notes)


def run_evaluation(
    shared_data: Path,
    matcher: Matcher,
    taxonomy: Taxonomy,
    *,
    datasets: Sequence[str] = ("gold", "gold-heldout", "skillspan", "decorte-tech"),
    seed: int = 0,
    n_resamples: int = 2000,
) -> EvalResult:
    """Score ``matcher`` on the annotation sets under ``shared_data`` (the data README's layout)."""
    unknown = [d for d in datasets if d not in DATASETS]
    if unknown:
        raise InputError(f"unknown dataset(s) {unknown}; known: {sorted(DATASETS)}")
    rule = GoldRule.from_taxonomy_terms(
        matcher, ((t.id, t.label, [a.text for a in t.aliases]) for t in taxonomy.terms)
    )
    scored = []
    notes: list[str] = []
    for name in datasets:
        if name in ("gold", "gold-heldout"):
            from skillgauge.evaluate.gold import evaluate_gold, summary_notes

            report = evaluate_gold(
                shared_data,
                matcher,
                taxonomy,
                seed=seed,
                n_resamples=n_resamples,
                heldout=name == "gold-heldout",
            )
            scored.append(report.scores)
            notes += summary_notes(report)
            continue
        if name == "skillspan":
            sentences = read_skillspan(shared_data / "skillspan")
            cases = build_cases(sentences, matcher, rule, use_labels=False)
        else:
            sentences = read_decorte(shared_data / "decorte_skill_extraction")
            cases = build_cases(sentences, matcher, rule, use_labels=True)
        scored.append(score(name, cases, seed=seed, n_resamples=n_resamples))
    version = getattr(taxonomy, "version", "")
    return EvalResult(
        tuple(scored),
        f"{getattr(taxonomy, 'name', '')} {version}".strip(),
        len(taxonomy.terms),
        notes=tuple(notes),
    )

"""Pure scoring of extractor output against gold term sets, sentence by sentence.

Why sentence level: the extractor's unit is a text and its output a set of term ids; the
annotations are spans. Comparing per sentence the set of term ids found with the set of term ids
of the gold technology spans avoids arguing about span boundaries ("Java 8" vs "Java") while still
pinning every error to one sentence a curator can read. A term found twice in a sentence counts
once, as does a term annotated twice.

Precision and recall are proportions of countable events, so each carries its n and a Wilson 95%
interval (``skillgauge.analyze.intervals.wilson``). F1 is not a proportion; its interval is a
percentile bootstrap over sentences (the unit that was sampled), seeded so reruns agree. Per-term
F1 has no interval (too few sentences per term for the bootstrap to mean much).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from skillgauge.analyze.intervals import wilson

#: Gold term ids for technology spans the taxonomy has no term for start with this prefix; the
#: extractor can never find them, so each is a false negative owed to the taxonomy.
GAP_PREFIX = "?"


@dataclass(frozen=True, slots=True)
class SentenceCase:
    """One annotated sentence: gold term id -> its span text; found term id -> its surface.

    ``found_note`` optionally says, per found term, what the annotators tagged there (used to tell
    "tagged as a skill, not as technology" from "untagged" false positives).
    """

    sentence_id: str
    sentence: str
    gold: Mapping[str, str]
    found: Mapping[str, str]
    found_note: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Rate:
    """``k`` of ``n`` with its Wilson 95% interval; value and bounds are NaN when ``n`` is 0."""

    k: int
    n: int
    value: float
    low: float
    high: float


@dataclass(frozen=True, slots=True)
class Scores:
    """Counts, precision, recall and F1 (with a bootstrap interval, or ``None`` bounds)."""

    tp: int
    fp: int
    fn: int
    precision: Rate
    recall: Rate
    f1: float
    f1_low: float | None = None
    f1_high: float | None = None


@dataclass(frozen=True, slots=True)
class TermScores:
    term_id: str
    scores: Scores


@dataclass(frozen=True, slots=True)
class ErrorCase:
    """A false positive (``fp``: found, not gold) or negative (``fn``: gold, not found)."""

    kind: str
    term_id: str
    sentence_id: str
    sentence: str
    span: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class DatasetScores:
    name: str
    n_sentences: int
    overall: Scores
    per_term: tuple[TermScores, ...]
    errors: tuple[ErrorCase, ...]
    taxonomy_gaps: int = 0


def rate(k: int, n: int) -> Rate:
    """``k/n`` with its Wilson 95% interval."""
    if n < 0 or k < 0 or k > n:
        raise ValueError(f"need 0 <= k <= n, got k={k}, n={n}")
    share, low, high = wilson(k, n)
    return Rate(k, n, float(share), float(low), float(high))


def f1_score(tp: int, fp: int, fn: int) -> float:
    """``2TP / (2TP + FP + FN)``; NaN when there is nothing to score."""
    denom = 2 * tp + fp + fn
    return 2 * tp / denom if denom else math.nan


def counts(case: SentenceCase) -> tuple[int, int, int]:
    """``(tp, fp, fn)`` of one sentence."""
    gold, found = set(case.gold), set(case.found)
    return len(gold & found), len(found - gold), len(gold - found)


def f1_interval(
    tp: npt.ArrayLike,
    fp: npt.ArrayLike,
    fn: npt.ArrayLike,
    *,
    seed: int = 0,
    n_resamples: int = 2000,
) -> tuple[float, float] | None:
    """Percentile bootstrap 95% interval of pooled F1, resampling sentences; ``None`` when fewer
    than two sentences or F1 is undefined."""
    from scipy.stats import bootstrap  # imported here: scipy is slow to import

    a = np.asarray(tp, dtype=np.float64)
    b = np.asarray(fp, dtype=np.float64)
    c = np.asarray(fn, dtype=np.float64)
    if a.size < 2 or (2 * a.sum() + b.sum() + c.sum()) == 0:
        return None

    def stat(
        x: npt.NDArray[np.float64],
        y: npt.NDArray[np.float64],
        z: npt.NDArray[np.float64],
        axis: int = -1,
    ) -> npt.NDArray[np.float64]:
        t2 = 2 * x.sum(axis=axis)
        d = t2 + y.sum(axis=axis) + z.sum(axis=axis)
        return np.asarray(np.where(d > 0, t2 / np.where(d > 0, d, 1.0), 0.0), dtype=np.float64)

    res = bootstrap(
        (a, b, c),
        stat,
        paired=True,
        vectorized=True,
        n_resamples=n_resamples,
        method="percentile",
        random_state=np.random.default_rng(seed),
    )
    return float(res.confidence_interval.low), float(res.confidence_interval.high)


def _scores(tp: int, fp: int, fn: int, interval: tuple[float, float] | None) -> Scores:
    low, high = interval if interval is not None else (None, None)
    return Scores(tp, fp, fn, rate(tp, tp + fp), rate(tp, tp + fn), f1_score(tp, fp, fn), low, high)


def errors(cases: Sequence[SentenceCase]) -> list[ErrorCase]:
    """Every false positive and false negative, with the sentence, the span and the term."""
    out: list[ErrorCase] = []
    for c in cases:
        for tid in sorted(set(c.found) - set(c.gold)):
            out.append(
                ErrorCase(
                    "fp", tid, c.sentence_id, c.sentence, c.found[tid], c.found_note.get(tid, "")
                )
            )
        for tid in sorted(set(c.gold) - set(c.found)):
            note = "not in taxonomy" if tid.startswith(GAP_PREFIX) else ""
            out.append(ErrorCase("fn", tid, c.sentence_id, c.sentence, c.gold[tid], note))
    return out


def score(
    name: str, cases: Sequence[SentenceCase], *, seed: int = 0, n_resamples: int = 2000
) -> DatasetScores:
    """Overall scores (F1 with a bootstrap interval), per-term scores and the error list.

    Taxonomy-gap ids (``GAP_PREFIX``) count in the overall recall but get no per-term row: there
    is no term to report them under; ``taxonomy_gaps`` says how many there were.
    """
    per_sentence = np.array([counts(c) for c in cases], dtype=np.int64).reshape(-1, 3)
    tp, fp, fn = (int(v) for v in per_sentence.sum(axis=0))
    interval = (
        f1_interval(
            per_sentence[:, 0],
            per_sentence[:, 1],
            per_sentence[:, 2],
            seed=seed,
            n_resamples=n_resamples,
        )
        if len(cases)
        else None
    )
    overall = _scores(tp, fp, fn, interval)
    term_counts: dict[str, list[int]] = {}
    gaps = 0
    for c in cases:
        gold, found = set(c.gold), set(c.found)
        for tid in gold | found:
            if tid.startswith(GAP_PREFIX):
                gaps += 1
                continue
            row = term_counts.setdefault(tid, [0, 0, 0])
            row[0 if tid in gold and tid in found else 1 if tid in found else 2] += 1
    per_term = tuple(
        TermScores(tid, _scores(row[0], row[1], row[2], None))
        for tid, row in sorted(term_counts.items(), key=lambda kv: (-sum(kv[1]), kv[0]))
    )
    return DatasetScores(name, len(cases), overall, per_term, tuple(errors(cases)), gaps)

"""The de-duplication rule as one pure function over a window's postings in arrival order.

Why a second formulation of :func:`skillgauge.pipeline.dedupe.decide`: DuckDB ingests batch by batch
against the store, Spark sees a whole calendar-month window at once (``groupBy(window)``). Both must
keep exactly the same postings, so the rule is stated without batches:

    walk the window's postings in arrival order (input file, then position in the file); a posting
    is a duplicate iff it matches an EARLIER KEPT posting of its window:

    1. *exact*: the same fingerprint (normalised title + text) as a kept posting;
    2. *near*: it has text, shares an LSH band key with a kept posting whose title names the same
       level, and their estimated Jaccard similarity is at least the threshold. It points at the
       most similar such posting (ties: the earliest).

    Otherwise it is kept. (Rule 0, the same record seen twice, is applied before: only the first
    arrival of a raw id takes part.)

Because a duplicate never starts a cluster, the result does not depend on how the input is cut into
batches: ``decide`` applies the same rule with "kept" meaning "stored, or kept earlier in this
batch", and the parity suite (tests/backends) checks the two agree for several batch sizes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from skillgauge.clean.dedupe import titles_compatible

__all__ = ["WindowVerdict", "greedy_window_dedupe"]


@dataclass(frozen=True)
class WindowVerdict:
    """Per posting of the window (same order as the input): ``kind`` new | exact | near, the index
    (into the input) of the kept posting it duplicates, and the similarity (1.0 for exact)."""

    kind: list[str]
    kept: list[int | None]
    similarity: list[float | None]


def greedy_window_dedupe(
    fingerprints: Sequence[str],
    titles: Sequence[str | None],
    has_text: Sequence[bool],
    signatures: npt.NDArray[np.uint32],
    band_keys: npt.NDArray[np.int64],
    threshold: float,
) -> WindowVerdict:
    """Apply the rule (module docstring) to one window whose postings are given in arrival order.

    ``signatures`` is ``(n, num_perm)`` MinHash signatures, ``band_keys`` ``(n, bands)`` LSH keys,
    as :func:`skillgauge.pipeline.prepare.prepare_batch` computes them. Cost: one dict lookup per
    band per posting, plus a signature comparison per candidate sharing a band.
    """
    n = len(fingerprints)
    kind = ["new"] * n
    kept: list[int | None] = [None] * n
    sim: list[float | None] = [None] * n
    if n == 0:
        return WindowVerdict(kind, kept, sim)
    perm = signatures.shape[1]
    bands = band_keys.shape[1]
    keys = band_keys.tolist()
    by_fp: dict[str, int] = {}
    by_band: dict[tuple[int, int], list[int]] = {}
    for i in range(n):
        j = by_fp.get(fingerprints[i])
        if j is not None:
            kind[i], kept[i], sim[i] = "exact", j, 1.0
            continue
        row = keys[i]
        if has_text[i]:
            cands: set[int] = set()
            for b in range(bands):
                hit = by_band.get((b, row[b]))
                if hit:
                    cands.update(hit)
            match: tuple[float, int] | None = None
            for j in sorted(cands):  # earliest first: ties keep the earliest
                if not titles_compatible(titles[i], titles[j]):
                    continue
                s = int(np.count_nonzero(signatures[i] == signatures[j])) / perm
                if s >= threshold and (match is None or s > match[0]):
                    match = (s, j)
            if match is not None:
                kind[i], sim[i], kept[i] = "near", match[0], match[1]
                continue
        by_fp[fingerprints[i]] = i
        for b in range(bands):
            by_band.setdefault((b, row[b]), []).append(i)
    return WindowVerdict(kind, kept, sim)

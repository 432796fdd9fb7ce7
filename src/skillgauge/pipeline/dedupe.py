"""Decide, for a prepared batch, which records are new postings and which are duplicates.

Three rules, in order, first match wins (documented in docs/method.md and docs/dedup.md):

1. *seen*: the same record from the same source is already stored (a re-run) -> counted as duplicate,
   nothing written;
2. *exact*: the normalised title + text fingerprint equals a stored or earlier posting's in the same
   window -> a ``duplicates`` row pointing at the kept posting (only kept postings start clusters);
3. *near*: MinHash LSH finds a stored or earlier posting of the same window whose estimated Jaccard
   similarity of 5-word shingles is at least the threshold and whose title names the same level
   (``titles_compatible``) -> a ``duplicates`` row with the similarity.

The window is the posting's calendar month ("undated" when it has no date): a job reposted next month
counts again in that month. The first posting of a cluster is kept; shares count kept postings only.
Postings with no text are left to the exact rule (they never look for near duplicates); kept,
they can still be the earlier posting a later one nearly duplicates, in a batch as in the store.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from skillgauge.clean.dedupe import estimate_jaccard, titles_compatible
from skillgauge.pipeline.prepare import Prepared
from skillgauge.store.db import Store


@dataclass
class Verdict:
    """Per record of the batch: ``kind`` is new | seen | exact | near; ``kept`` the posting it
    duplicates; ``similarity`` for near duplicates."""

    kind: list[str]
    kept: list[str | None]
    similarity: list[float | None]


@dataclass
class Overlay:
    """The kept postings of the batch still being written while the next one is decided.

    Writes run beside the next batch's lookups (``pipeline.writing.PipelinedWriter``), so the
    store may not show that batch yet; its raw ids, kept fingerprints and LSH band keys are looked
    up here as well. Whether or not its commit has landed, the verdicts are the same: a record of
    it found both ways is the same kept posting.
    """

    raw_ids: frozenset[str]
    fingerprints: dict[tuple[str, str], str]
    ids: list[str]
    signatures: np.ndarray
    titles: list[str | None]
    # The kept postings' LSH band keys, flat and sorted by key (searched with ``np.searchsorted``;
    # a dict of 70,000 tuple keys per batch cost the main process a quarter of its time), with
    # each key's band, window code and row (index into ``ids``).
    band_keys: np.ndarray
    band_of: np.ndarray
    window_of: np.ndarray
    row_of: np.ndarray
    window_codes: dict[str, int]

    @classmethod
    def of(cls, batch: Prepared, verdict: Verdict) -> Overlay:
        windows: list[str] = batch.columns["dedup_window"]
        new = [i for i, k in enumerate(verdict.kind) if k == "new"]
        codes: dict[str, int] = {}
        code = np.asarray([codes.setdefault(windows[i], len(codes)) for i in new], np.int32)
        nb = batch.band_keys.shape[1] if batch.band_keys.ndim == 2 else 0
        keys = batch.band_keys[new].reshape(-1) if new and nb else np.zeros(0, np.int64)
        order = np.argsort(keys, kind="stable")
        return cls(
            raw_ids=frozenset(batch.raw_ids),
            fingerprints={(batch.fingerprints[i], windows[i]): batch.raw_ids[i] for i in new},
            ids=[batch.raw_ids[i] for i in new],
            signatures=batch.signatures[new],
            titles=[batch.columns["title"][i] for i in new],
            band_keys=keys[order],
            band_of=np.tile(np.arange(nb, dtype=np.int32), len(new))[order],
            window_of=np.repeat(code, nb)[order],
            row_of=np.repeat(np.arange(len(new), dtype=np.int64), nb)[order],
            window_codes=codes,
        )

    def band_matches(
        self, band_keys: np.ndarray, rows: list[int], windows: list[str]
    ) -> list[tuple[int, int]]:
        """``(batch row, overlay row)`` for every (band, key, window) a batch row shares with a
        kept posting of the overlay, ordered by batch row, then band, then overlay row (the order
        in which a walk band by band would meet them). Python looks only at equal keys."""
        if not rows or not len(self.band_keys):
            return []
        nb = band_keys.shape[1]
        flat = band_keys[rows].reshape(-1)
        keys = self.band_keys
        lo = np.searchsorted(keys, flat, "left")
        # a key is present where the first key not below it equals it (nearly none are: the
        # second search, for the end of each run of equal keys, runs on those alone)
        present = np.zeros(flat.shape[0], dtype=bool)
        inside = lo < keys.shape[0]
        present[inside] = keys[lo[inside]] == flat[inside]
        hits = np.flatnonzero(present)
        ends = np.searchsorted(keys, flat[hits], "right")
        found: list[tuple[int, int, int]] = []
        for h, end in zip(hits.tolist(), ends.tolist(), strict=True):
            r, b = divmod(h, nb)
            code = self.window_codes.get(windows[rows[r]])
            if code is None:
                continue
            for k in range(int(lo[h]), end):
                if self.band_of[k] == b and self.window_of[k] == code:
                    found.append((rows[r], b, int(self.row_of[k])))
        found.sort()
        return [(i, j) for i, _, j in found]


def decide(
    store: Store, batch: Prepared, threshold: float, overlay: Overlay | None = None
) -> Verdict:
    n = batch.size
    kind = ["new"] * n
    kept: list[str | None] = [None] * n
    sim: list[float | None] = [None] * n
    windows: list[str] = batch.columns["dedup_window"]
    titles: list[str | None] = batch.columns["title"]
    texts: list[str] = batch.columns["text"]

    known = store.known_raw_ids(batch.raw_ids) if n else set()
    if overlay is not None:
        known |= overlay.raw_ids.intersection(batch.raw_ids)
    first_raw: dict[str, int] = {}
    for i, rid in enumerate(batch.raw_ids):
        if rid in known or rid in first_raw:
            kind[i] = "seen"
        else:
            first_raw[rid] = i

    # Rules 2 and 3 walk the batch in order: a record is a duplicate iff it matches a KEPT posting
    # (stored, or kept earlier in this batch), so cutting the input into other batches cannot
    # change what is kept (the batch-free statement and its proof: skillgauge.backends.dedupe).
    live = [i for i in range(n) if kind[i] == "new"]
    if not live:
        return Verdict(kind, kept, sim)
    stored_fp = store.known_fingerprints(
        [batch.fingerprints[i] for i in live], [windows[i] for i in live]
    )
    if overlay is not None:
        for i in live:
            fp = (batch.fingerprints[i], windows[i])
            if fp not in stored_fp and fp in overlay.fingerprints:
                stored_fp[fp] = overlay.fingerprints[fp]
    textual = [i for i in live if texts[i]]
    best: dict[int, tuple[float, str]] = {}
    if textual:
        bands = batch.band_keys.shape[1]
        rows = np.asarray(textual, np.int64)
        idx = np.repeat(rows, bands)
        band = np.tile(np.arange(bands, dtype=np.int16), len(textual))
        keys = batch.band_keys[textual].reshape(-1)
        wins = pa.array([windows[i] for i in textual], pa.string()).take(
            np.repeat(np.arange(len(textual)), bands)
        )
        for i, pid, sig_bytes, title in store.band_candidates(idx, band, keys, wins):
            if not titles_compatible(titles[i], title):
                continue
            s = estimate_jaccard(batch.signatures[i], np.frombuffer(sig_bytes, dtype=np.uint32))
            if s >= threshold and (i not in best or s > best[i][0]):
                best[i] = (s, pid)
        if overlay is not None:
            _overlay_candidates(batch, textual, overlay, threshold, best)
    # Every live record may be an earlier kept posting (with or without text, as in the store);
    # only records with text look for near duplicates.
    neighbours = _earlier_band_neighbours(batch.band_keys, live, windows)
    first_fp: dict[tuple[str, str], int] = {}
    for i in live:
        fp = (batch.fingerprints[i], windows[i])
        if fp in stored_fp:
            kind[i], kept[i], sim[i] = "exact", stored_fp[fp], 1.0
            continue
        if fp in first_fp:
            kind[i], kept[i], sim[i] = "exact", batch.raw_ids[first_fp[fp]], 1.0
            continue
        if texts[i]:
            match: tuple[float, str] | None = best.get(i)  # stored postings arrived earlier
            for j in neighbours.get(i, ()):
                if kind[j] != "new" or not titles_compatible(titles[i], titles[j]):
                    continue  # only kept postings start clusters
                s = estimate_jaccard(batch.signatures[i], batch.signatures[j])
                if s >= threshold and (match is None or s > match[0]):
                    match = (s, batch.raw_ids[j])
            if match is not None:
                kind[i], sim[i], kept[i] = "near", match[0], match[1]
                continue
        first_fp[fp] = i
    return Verdict(kind, kept, sim)


def _overlay_candidates(
    batch: Prepared,
    textual: list[int],
    overlay: Overlay,
    threshold: float,
    best: dict[int, tuple[float, str]],
) -> None:
    """Near-duplicate candidates among the overlay's kept postings, as ``band_candidates`` finds
    them in the store: same window, a shared band key, titles of the same level."""
    windows: list[str] = batch.columns["dedup_window"]
    titles: list[str | None] = batch.columns["title"]
    seen: set[tuple[int, int]] = set()
    for i, j in overlay.band_matches(batch.band_keys, textual, windows):
        if (i, j) in seen:
            continue
        seen.add((i, j))
        if not titles_compatible(titles[i], overlay.titles[j]):
            continue
        s = estimate_jaccard(batch.signatures[i], overlay.signatures[j])
        if s >= threshold and (i not in best or s > best[i][0]):
            best[i] = (s, overlay.ids[j])


def _earlier_band_neighbours(
    band_keys: np.ndarray, live: list[int], windows: list[str]
) -> dict[int, list[int]]:
    """For each record, the earlier records of the batch sharing an LSH band key and its window.

    Vectorised per band (a sort finds equal keys), so the common case, a key no other record has,
    costs no Python at all; only the few colliding groups are walked.
    """
    if len(live) < 2:
        return {}
    idx = np.asarray(live, dtype=np.int64)
    found: dict[int, set[int]] = {}
    for b in range(band_keys.shape[1]):
        col = band_keys[idx, b]
        order = np.argsort(col, kind="stable")
        ordered = col[order]
        same = ordered[1:] == ordered[:-1]
        if not same.any():
            continue
        starts = np.flatnonzero(
            np.diff(np.concatenate(([False], same, [False])).astype(np.int8)) == 1
        )
        ends = np.flatnonzero(
            np.diff(np.concatenate(([False], same, [False])).astype(np.int8)) == -1
        )
        for lo, hi in zip(starts.tolist(), ends.tolist(), strict=True):
            group = sorted(idx[order[lo : hi + 1]].tolist())  # input order: earlier first
            for k, i in enumerate(group):
                for j in group[:k]:
                    if windows[i] == windows[j]:
                        found.setdefault(i, set()).add(j)
    return {i: sorted(js) for i, js in found.items()}

"""How shares would move if the stored postings were extracted with taxonomy B instead of A.

Why re-extract both rather than reuse the stored mentions for A: the stored mentions may come from
yet another taxonomy (or several, after partial re-runs), and a change to one term can move
another (leftmost-longest matching, context rules that look for near terms). Extracting the same
texts with both vocabularies, in memory, isolates the effect of the taxonomy change alone.

Pure: the caller streams ``(text, roles)`` pairs (from :func:`skillgauge.store.queries.
iter_role_documents`); nothing is written anywhere. Shares are over unique postings, with Wilson
95% intervals, as everywhere else.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import pandas as pd

from skillgauge.analyze.intervals import wilson

__all__ = ["ShiftCounts", "TermSetter", "count_shift", "shift_frame"]

COLUMNS = [
    "role",
    "term_id",
    "label",
    "n",
    "count_a",
    "share_a",
    "low_a",
    "high_a",
    "count_b",
    "share_b",
    "low_b",
    "high_b",
    "delta",
]


class TermSetter(Protocol):
    """What the shift needs of a matcher: the set of term ids a text mentions."""

    def term_ids(self, text: str) -> set[str]: ...


@dataclass
class ShiftCounts:
    """Postings per role, and postings mentioning each term per role, under A and under B."""

    n: Counter[str] = field(default_factory=Counter)
    a: Counter[tuple[str, str]] = field(default_factory=Counter)
    b: Counter[tuple[str, str]] = field(default_factory=Counter)
    postings: int = 0
    postings_changed: int = 0  # postings whose set of terms differs between A and B

    def add(self, roles: Sequence[str], terms_a: set[str], terms_b: set[str]) -> None:
        """Count one posting (under each of its roles)."""
        self.postings += 1
        if terms_a != terms_b:
            self.postings_changed += 1
        for role in roles:
            self.n[role] += 1
            self.a.update((role, t) for t in terms_a)
            self.b.update((role, t) for t in terms_b)


def count_shift(
    docs: Iterable[tuple[str, Sequence[str]]], matcher_a: TermSetter, matcher_b: TermSetter
) -> ShiftCounts:
    """Extract every ``(text, roles)`` with both matchers and count per role and term."""
    counts = ShiftCounts()
    for text, roles in docs:
        counts.add(roles, matcher_a.term_ids(text), matcher_b.term_ids(text))
    return counts


def shift_frame(
    counts: ShiftCounts, labels: Mapping[str, str] | None = None, *, moved_only: bool = True
) -> pd.DataFrame:
    """One row per (role, term): n, count/share/interval under A and B, ``delta`` = share_b -
    share_a; largest movement first (ties by role, term). ``moved_only`` drops rows whose count is
    the same under both."""
    keys = sorted(set(counts.a) | set(counts.b))
    if moved_only:
        keys = [k for k in keys if counts.a[k] != counts.b[k]]
    if not keys:
        return pd.DataFrame({c: [] for c in COLUMNS})
    labels = labels or {}
    n = np.array([counts.n[r] for r, _ in keys], dtype=np.int64)
    ca = np.array([counts.a[k] for k in keys], dtype=np.int64)
    cb = np.array([counts.b[k] for k in keys], dtype=np.int64)
    sa, la, ha = wilson(ca, n)
    sb, lb, hb = wilson(cb, n)
    df = pd.DataFrame(
        {
            "role": [r for r, _ in keys],
            "term_id": [t for _, t in keys],
            "label": [labels.get(t, t) for _, t in keys],
            "n": n,
            "count_a": ca,
            "share_a": sa,
            "low_a": la,
            "high_a": ha,
            "count_b": cb,
            "share_b": sb,
            "low_b": lb,
            "high_b": hb,
            "delta": sb - sa,
        }
    )
    order = np.lexsort((df["term_id"], df["role"], -np.abs(df["delta"].to_numpy())))
    return df.iloc[order].reset_index(drop=True)

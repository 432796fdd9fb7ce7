"""Wilson intervals: checked against a direct formula and invariants (hypothesis)."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from skillgauge.analyze.intervals import wilson


def _wilson_formula(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return centre - half, centre + half


@given(st.integers(1, 5000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_matches_formula_and_contains_share(kn: tuple[int, int]) -> None:
    k, n = kn
    share, low, high = wilson([k], [n])
    lo, hi = _wilson_formula(k, n)
    assert math.isclose(low[0], lo, abs_tol=1e-9) and math.isclose(high[0], hi, abs_tol=1e-9)
    assert 0.0 <= low[0] <= share[0] <= high[0] <= 1.0


def test_zero_n_gives_no_share() -> None:
    share, low, high = wilson([0], [0])
    assert np.isnan(share[0]) and np.isnan(low[0]) and np.isnan(high[0])

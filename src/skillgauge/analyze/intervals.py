"""Confidence intervals for shares. Pure functions over arrays.

The Wilson score interval (Wilson 1927) is used for every share: unlike the normal ("Wald") interval it
stays inside [0, 1] and keeps close to its nominal 95% coverage for small n and shares near 0 or 1,
which is exactly where job-posting counts live (a rare term, a small role). statsmodels computes it.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

WILSON_95 = "Wilson score interval, 95%"


def wilson(
    count: npt.ArrayLike, n: npt.ArrayLike, confidence: float = 0.95
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """(share, low, high) per element; NaN where n is 0 (no share can be stated)."""
    # Imported here: statsmodels takes ~1 s to import, which every CLI start would otherwise pay.
    from statsmodels.stats.proportion import proportion_confint

    c = np.asarray(count, dtype=np.float64)
    nn = np.asarray(n, dtype=np.float64)
    safe = np.where(nn > 0, nn, 1.0)
    low, high = proportion_confint(c, safe, alpha=1.0 - confidence, method="wilson")
    share = np.where(nn > 0, c / safe, np.nan)
    # Floating-point rounding can put a bound a hair past the share (3e-18 above 0 for 0/69):
    # clamp so the interval always contains the share and stays inside [0, 1].
    low = np.clip(np.minimum(np.asarray(low, dtype=np.float64), share), 0.0, 1.0)
    high = np.clip(np.maximum(np.asarray(high, dtype=np.float64), share), 0.0, 1.0)
    low = np.where(nn > 0, low, np.nan)
    high = np.where(nn > 0, high, np.nan)
    return share, low, high

"""The one rule behind every ``workers`` option: 0 means one process per available core."""

from __future__ import annotations

import os

import pytest

from skillgauge.parallel import available_cores, worker_count


def test_zero_means_one_per_available_core() -> None:
    assert worker_count(0) == available_cores() >= 1
    if hasattr(os, "sched_getaffinity"):
        assert available_cores() == len(os.sched_getaffinity(0))


@pytest.mark.parametrize("n", [1, 2, 7])
def test_a_count_is_taken_as_given(n: int) -> None:
    assert worker_count(n) == n


def test_a_negative_count_is_refused() -> None:
    with pytest.raises(ValueError, match="one per core"):
        worker_count(-1)

"""The real evaluation on ../shared/data."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from skillgauge.evaluate import run_evaluation
from skillgauge.exceptions import InputError
from skillgauge.extract.matcher import Matcher
from skillgauge.taxonomy.loader import load_taxonomy


@pytest.mark.shared
def test_real_evaluation(shared_data: Path) -> None:
    tax = load_taxonomy()
    result = run_evaluation(shared_data, Matcher.from_taxonomy(tax), tax, n_resamples=300)
    assert [d.name for d in result.datasets] == [
        "gold",
        "gold-heldout",
        "skillspan",
        "decorte-tech",
    ]
    assert any("second reading" in line for line in result.notes)
    assert any(line.startswith("held-out gold set: precision") for line in result.notes)
    for d in result.datasets:
        o = d.overall
        assert d.n_sentences > 0 and o.precision.n > 0 and o.recall.n > 0
        for x in (o.precision.value, o.precision.low, o.precision.high, o.recall.value, o.f1):
            assert 0.0 <= x <= 1.0
        assert o.f1_low is not None and o.f1_high is not None
        assert 0.0 <= o.f1_low <= o.f1 <= o.f1_high <= 1.0
        assert not math.isclose(o.recall.value, 1.0)  # the gold rule must leave real misses
        assert len(d.errors) == o.fp + o.fn
    assert "skillspan" in result.to_markdown() and "<table>" in result.to_html()
    assert "Gold-set targets" in result.to_markdown()


def test_unknown_dataset_is_an_input_error(tmp_path: Path) -> None:
    tax = load_taxonomy()
    with pytest.raises(InputError):
        run_evaluation(tmp_path, Matcher.from_taxonomy(tax), tax, datasets=("nope",))

"""``Prepared.concat``: a batch prepared in chunks is the batch prepared in one call."""

from __future__ import annotations

import random
from dataclasses import fields
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest

from skillgauge.models import RawRow
from skillgauge.pipeline import tools_for
from skillgauge.pipeline.prepare import MentionColumns, Prepared, prepare_batch, set_tools
from skillgauge.settings import load_settings
from skillgauge.sources.mapping import FieldMapper
from tests.synth import posting


def _same(a: Prepared, b: Prepared) -> None:
    for f in fields(Prepared):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, np.ndarray):
            assert x.dtype == y.dtype and x.shape == y.shape and np.array_equal(x, y), f.name
        elif isinstance(x, MentionColumns):
            for g in fields(MentionColumns):
                u, v = getattr(x, g.name), getattr(y, g.name)
                if isinstance(u, np.ndarray):
                    assert u.dtype == v.dtype and np.array_equal(u, v), g.name
                else:
                    assert u == v, g.name
        else:
            assert x == y, f.name


@pytest.mark.parametrize("cuts", [[0], [13], [1, 2, 40], [5, 5, 9], [39]])
def test_chunks_concatenated_are_the_batch_prepared_at_once(
    tmp_path: Path, cuts: list[int]
) -> None:
    set_tools(tools_for(load_settings(db=tmp_path / "unused.duckdb")))
    rng = random.Random(5)
    records = [posting(i, rng) for i in range(40)]
    records[7] = {"id": "bad"}  # no title and no text: rejected, and must stay in place
    mapper = FieldMapper.for_columns(list(records[0]))
    rows = [RawRow(100 + i, r) for i, r in enumerate(records)]
    whole = prepare_batch(rows, mapper, "t")
    assert whole.rejects and whole.mentions.row.size and whole.size == 39
    edges = [0, *sorted(cuts), len(rows)]
    parts = [prepare_batch(rows[a:b], mapper, "t") for a, b in pairwise(edges)]
    _same(Prepared.concat(parts), whole)

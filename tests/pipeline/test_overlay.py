"""The batch in flight: deciding batch k+1 with batch k only in the overlay (its write not yet
committed) gives the verdicts of deciding it after batch k is stored (``dedupe.Overlay``)."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from skillgauge.models import RawRow
from skillgauge.pipeline import tools_for
from skillgauge.pipeline.dedupe import Overlay, Verdict, decide
from skillgauge.pipeline.prepare import Prepared, prepare_batch, set_tools
from skillgauge.pipeline.writing import IngestOptions, batch_tables
from skillgauge.settings import load_settings
from skillgauge.sources.mapping import FieldMapper
from skillgauge.store.db import Store
from tests.synth import posting

OPTIONS = IngestOptions(threshold=0.8)


def _batches() -> tuple[Prepared, Prepared]:
    """Batch 2 re-reads a record of batch 1, repeats one's text exactly, nearly repeats two
    (a word changed), nearly repeats one under another level's title, and brings new ones."""
    rng = random.Random(3)
    first = [posting(i, rng) for i in range(40)]
    second = [posting(100 + i, rng) for i in range(20)]
    second.append(dict(first[0]))  # the same record again: seen
    exact = dict(first[1], id="x1")
    second.append(exact)  # other id, same title and text: exact
    for k, j in enumerate((2, 3)):
        near = dict(first[j], id=f"n{k}")
        near["description"] = str(first[j]["description"]).replace("</p>", " also</p>", 1)
        second.append(near)  # near
    guarded = dict(first[4], id="g")
    guarded["title"] = "Staff " + str(first[4]["title"])
    guarded["description"] = str(first[4]["description"]).replace("</p>", " also</p>", 1)
    second.append(guarded)  # near in text, but another level: kept
    mapper = FieldMapper.for_columns(list(first[0]))
    one = prepare_batch([RawRow(i, p) for i, p in enumerate(first)], mapper, "t")
    two = prepare_batch([RawRow(100 + i, p) for i, p in enumerate(second)], mapper, "t")
    return one, two


def test_overlay_decides_as_the_store_would(tmp_path: Path) -> None:
    set_tools(tools_for(load_settings(db=tmp_path / "unused.duckdb")))
    one, two = _batches()
    with Store(tmp_path / "a.duckdb") as store:
        v1 = decide(store, one, OPTIONS.threshold)
        assert v1.kind == ["new"] * one.size
        # batch 1 not written: only the overlay knows it
        overlaid = decide(store, two, OPTIONS.threshold, Overlay.of(one, v1))
        run = store.start_run(
            "ingest",
            command="test",
            version="0",
            taxonomy_version=None,
            taxonomy_hash=None,
            roles_version=None,
            settings={},
        )
        store.add_run_source(
            run, source_key="k", path="p", source="t", fmt="jsonl", size=0, skip_rows=0, mapping={}
        )
        store.write_batch(
            run, "k", batch_tables(run, "k", "p", "t", one, v1, OPTIONS), rows_done=40
        )
        stored = decide(store, two, OPTIONS.threshold)
        # both ways at once (the commit landed while the overlay was still in use)
        both = decide(store, two, OPTIONS.threshold, Overlay.of(one, v1))
    assert overlaid == stored == both
    assert overlaid.kind[:20] == ["new"] * 20
    assert overlaid.kind[20:] == ["seen", "exact", "near", "near", "new"]
    assert overlaid.kept[21:24] == [one.raw_ids[1], one.raw_ids[2], one.raw_ids[3]]


def _brute_matches(
    kept_keys: list[list[int]], kept_windows: list[str], keys: list[list[int]], windows: list[str]
) -> list[tuple[int, int]]:
    """The direct walk: per batch row, band by band, every kept row with that (band, key, window)."""
    out = []
    for i, row in enumerate(keys):
        for b, key in enumerate(row):
            for j, kept in enumerate(kept_keys):
                if kept[b] == key and kept_windows[j] == windows[i]:
                    out.append((i, j))
    return out


@settings(max_examples=300, deadline=None)
@given(
    data=st.data(),
    nb=st.integers(1, 4),
    n_kept=st.integers(0, 12),
    n_batch=st.integers(0, 12),
)
def test_band_matches_are_exactly_the_shared_band_key_window_triples(
    data: st.DataObject, nb: int, n_kept: int, n_batch: int
) -> None:
    key = st.integers(-3, 3)  # a tiny key space, so keys collide across bands, rows and windows
    window = st.sampled_from(["2024-01", "2024-02", "undated"])
    kept_keys = data.draw(
        st.lists(st.lists(key, min_size=nb, max_size=nb), min_size=n_kept, max_size=n_kept)
    )
    kept_windows = data.draw(st.lists(window, min_size=n_kept, max_size=n_kept))
    keys = data.draw(
        st.lists(st.lists(key, min_size=nb, max_size=nb), min_size=n_batch, max_size=n_batch)
    )
    windows = data.draw(st.lists(window, min_size=n_batch, max_size=n_batch))
    kept = Prepared()
    kept.raw_ids = [f"k{j}" for j in range(n_kept)]
    kept.fingerprints = [f"f{j}" for j in range(n_kept)]
    kept.columns["dedup_window"] = kept_windows
    kept.columns["title"] = [None] * n_kept
    kept.signatures = np.zeros((n_kept, 4), np.uint32)
    kept.band_keys = np.asarray(kept_keys, np.int64).reshape(n_kept, nb)
    overlay = Overlay.of(kept, Verdict(["new"] * n_kept, [None] * n_kept, [None] * n_kept))
    batch_keys = np.asarray(keys, np.int64).reshape(n_batch, nb)
    got = overlay.band_matches(batch_keys, list(range(n_batch)), windows)
    assert got == _brute_matches(kept_keys, kept_windows, keys, windows)

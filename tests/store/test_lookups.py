"""The de-duplication lookups against the store (``Store.band_candidates`` and friends)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa

from skillgauge.store.db import Store


def _store_postings(store: Store, rows: list[tuple[str, str, str]]) -> None:
    """Postings (id, window, title) in this arrival order, with a signature each."""
    store.con.executemany(
        "INSERT INTO postings (posting_id, run_id, source, title, seniority, fingerprint,"
        " dedup_window, minhash) VALUES (?, 1, 't', ?, 'mid', ?, ?, ?)",
        [(pid, title, "f" + pid, window, pid.encode()) for pid, window, title in rows],
    )


def test_band_candidates_match_band_key_and_window_earliest_first(tmp_path: Path) -> None:
    with Store(tmp_path / "l.duckdb") as store:
        # arrival order: p3, p1, p2 (ids sort otherwise, so order by id would differ)
        _store_postings(
            store,
            [("p3", "2018-01", "A"), ("p1", "2018-01", "B"), ("p2", "2018-02", "C")],
        )
        store.con.executemany(
            "INSERT INTO minhash_bands VALUES (?, ?, ?)",
            [
                (0, 10, "p1"),
                (1, 11, "p1"),  # p1 shares two bands with batch row 0: one candidate
                (0, 10, "p3"),
                (2, 20, "p3"),  # key 20 in band 2; batch row 1 has key 20 in band 3
                (0, 10, "p2"),  # same band and key, other window
            ],
        )
        found = store.band_candidates(
            np.array([0, 0, 1], np.int64),
            np.array([0, 1, 3], np.int16),
            np.array([10, 11, 20], np.int64),
            pa.array(["2018-01", "2018-01", "2018-01"]),
        )
    assert found == [(0, "p3", b"p3", "A"), (0, "p1", b"p1", "B")]


def test_band_candidates_of_nothing(tmp_path: Path) -> None:
    with Store(tmp_path / "l.duckdb") as store:
        empty = np.zeros(0, np.int64)
        assert store.band_candidates(empty, empty, empty, pa.array([], pa.string())) == []

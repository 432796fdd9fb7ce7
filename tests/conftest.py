"""Shared fixtures.

``shared_data`` is the real data beside the repository (``../shared/data``). Tests that need it take the
fixture (and carry the ``shared`` marker); on a user's fresh clone, where it is absent, they skip with a
clear reason. ``.ci/run`` refuses to run without it, so CI never skips them.
"""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("SKILLGAUGE_SHARED_DATA", REPO.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Path of ``../shared/data``; skips the test when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data not found at {SHARED_DATA} (only CI and developers have ../shared)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def hn_2026_posts(shared_data: Path) -> list[dict[str, Any]]:
    """The 1,720 Hacker News posts of 2026 (``hn_whoishiring_2026``), read once per session: the
    real text many tests compare two implementations on. Read only; do not modify."""
    path = shared_data / "hn_whoishiring_2026" / "hn_jobs_2026.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


@pytest.fixture
def tmp_db(tmp_path: Path) -> Iterator[Path]:
    """A path for a fresh DuckDB file, removed with the test's tmp dir."""
    yield tmp_path / "test.duckdb"

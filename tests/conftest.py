"""Shared fixtures.

``shared_data`` is the real data beside the repository (``../shared/data``). Tests that need it take the
fixture (and carry the ``shared`` marker); on a user's fresh clone, where it is absent, they skip with a
clear reason. ``.ci/run`` refuses to run without it, so CI never skips them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("SKILLGAUGE_SHARED_DATA", REPO.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Path of ``../shared/data``; skips the test when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data not found at {SHARED_DATA} (only CI and developers have ../shared)")
    return SHARED_DATA


@pytest.fixture
def tmp_db(tmp_path: Path) -> Iterator[Path]:
    """A path for a fresh DuckDB file, removed with the test's tmp dir."""
    yield tmp_path / "test.duckdb"

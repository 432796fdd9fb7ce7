"""skillgauge: which technology skills do employers ask for, per role, from real job postings.

The Python API::

    import skillgauge as sg
    db = sg.open("skillgauge.duckdb")
    db.shares(role="machine-learning-engineer", top=20)   # a pandas DataFrame with n and 95% intervals

The command line (``skillgauge --help``) is a thin layer over the same functions.
"""

from __future__ import annotations

__version__ = "0.1.0"

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from skillgauge.database import Database, open

__all__ = ["Database", "__version__", "open"]


def __getattr__(name: str) -> Any:
    """``Database`` and ``open`` load on first use, so ``skillgauge.extract.stream`` and the
    extraction workers start without pandas and DuckDB (0.8 s of imports)."""
    if name in ("Database", "open"):
        from skillgauge import database

        return getattr(database, name)
    raise AttributeError(f"module 'skillgauge' has no attribute {name!r}")

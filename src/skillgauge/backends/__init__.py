"""Execution backends: the same pipeline and analyses on DuckDB (one machine, the default) or on
Spark (``--backend spark``; any cluster, see docs/scale.md).

Spark is an optional extra. Nothing here imports pyspark at module level, so ``skillgauge`` works
without it; :func:`require_spark` is the one place that turns its absence into the install line.
"""

from __future__ import annotations

import importlib.util
from typing import Literal

from skillgauge.exceptions import InputError, MissingDependency

Backend = Literal["duckdb", "spark"]
BACKENDS: tuple[Backend, ...] = ("duckdb", "spark")

#: What a user runs to get the Spark backend (the message of :func:`require_spark`'s error).
SPARK_INSTALL = "pip install 'skillgauge[spark]'"


def spark_available() -> bool:
    """Whether pyspark can be imported (checked without importing it: that starts nothing, but
    costs ~0.5 s)."""
    return importlib.util.find_spec("pyspark") is not None


def require_spark() -> None:
    """Raise :class:`MissingDependency` (whose message ends with :data:`SPARK_INSTALL`) when
    pyspark is not installed."""
    if not spark_available():
        raise MissingDependency("spark", "--backend spark")


def check_backend(name: str) -> Backend:
    """The backend called ``name``; :class:`InputError` naming the known ones otherwise."""
    if name == "duckdb":
        return "duckdb"
    if name == "spark":
        return "spark"
    raise InputError(f"unknown backend '{name}'; use one of {', '.join(BACKENDS)}")

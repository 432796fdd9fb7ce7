"""How many worker processes a stage runs: the one rule behind every ``workers`` option.

Kept in a module of its own, with nothing but ``os`` imported, so that ``skillgauge extract`` (whose
start-up time is measured) and the ingest pipeline share it without importing each other.
"""

from __future__ import annotations

import os

__all__ = ["available_cores", "worker_count"]


def available_cores() -> int:
    """Cores this process may run on (its CPU affinity where the OS reports it, as in a container
    limited with cpusets), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on Linux
        return max(1, os.cpu_count() or 1)


def worker_count(requested: int) -> int:
    """``requested`` processes; 0 means one per available core."""
    if requested < 0:
        raise ValueError(f"workers must be 0 (one per core) or more, not {requested}")
    return requested or available_cores()

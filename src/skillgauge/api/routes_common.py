"""What every route shares: the app's database access and the JSON conversion.

Why one read-only :class:`~skillgauge.database.Database` behind a lock: building the taxonomy
matcher and role book costs about a second, so it is done once per app, and a DuckDB connection is
not safe to use from several threads at once (FastAPI runs sync routes in a thread pool). Analyses
take well under a second on tens of thousands of postings, so serialising them is the simple, safe
choice. A write (token only) closes the reader, opens a writing Database for the request and lets
the next read reopen: DuckDB refuses two connections of different modes to one file in a process.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd
from fastapi import Request
from fastapi.responses import JSONResponse

from skillgauge.analyze.population import Population
from skillgauge.database import Database
from skillgauge.exceptions import InputError
from skillgauge.settings import Settings

T = TypeVar("T")


class ApiState:
    """The database file, its settings, the write token and the one shared reader."""

    def __init__(self, db_path: Path, settings: Settings | None, token: str | None) -> None:
        self.db_path = Path(db_path)
        self.settings = settings
        self.token = token
        self._lock = threading.RLock()
        self._reader: Database | None = None
        #: bumped by every write, so what is derived from the data (the schema's enums) is rebuilt
        self.generation = 0

    def _open_reader(self) -> Database:
        if self._reader is None:
            self._reader = Database(self.db_path, settings=self.settings, read_only=True)
        return self._reader

    def read(self, fn: Callable[[Database], T]) -> T:
        """Run ``fn`` on the shared read-only database, one call at a time."""
        with self._lock:
            return fn(self._open_reader())

    @contextmanager
    def writer(self) -> Iterator[Database]:
        """A writing Database for one request; reads wait until it is closed."""
        with self._lock:
            self.close()
            try:
                with Database(self.db_path, settings=self.settings) as db:
                    yield db
            finally:
                self.generation += 1

    def close(self) -> None:
        with self._lock:
            if self._reader is not None:
                self._reader.close()
                self._reader = None


def check_terms(db: Database, terms: Sequence[str] | None) -> None:
    """A 400 naming the term ids the taxonomy does not know. Without it an analysis of an unknown id
    answers with a row of zeros (nobody mentions it), which reads as data, not as a typo."""
    if not terms:
        return
    known = db.term_labels()
    unknown = [t for t in dict.fromkeys(terms) if t not in known]
    if unknown:
        shown = ", ".join(repr(t) for t in unknown[:5]) + (" ..." if len(unknown) > 5 else "")
        raise InputError(f"unknown term {shown} (see: /api/terms)")


def state(request: Request) -> ApiState:
    found: ApiState = request.app.state.skillgauge
    return found


def jsonable(value: Any) -> Any:
    """Plain JSON values from what the library returns: NaN/inf and missing values become
    ``None`` (JSON has no NaN), numpy scalars and arrays become Python ones, dates ISO strings,
    dataclasses (a :class:`Population`) objects."""
    if value is None or isinstance(value, bool | str | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return jsonable(float(value))
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset | np.ndarray | pd.Series):
        return [jsonable(v) for v in value]
    if value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, Population):
        return population(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return jsonable(dataclasses.asdict(value))
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def population(pop: Population) -> dict[str, Any]:
    """A :class:`Population` as a JSON object (with the one-line description people read)."""
    return {
        "postings": pop.postings,
        "roles": list(pop.roles),
        "date_min": pop.date_min.isoformat() if pop.date_min else None,
        "date_max": pop.date_max.isoformat() if pop.date_max else None,
        "sources": list(pop.sources),
        "description": str(pop),
    }


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame's rows as JSON objects (column order kept; NaN as null)."""
    cols = [str(c) for c in df.columns]
    return [
        {c: jsonable(v) for c, v in zip(cols, row, strict=True)}
        for row in df.itertuples(index=False, name=None)
    ]


class SafeJSONResponse(JSONResponse):
    """JSONResponse that converts library values first and refuses NaN (never invalid JSON)."""

    def render(self, content: Any) -> bytes:
        import json

        return json.dumps(
            jsonable(content), ensure_ascii=False, allow_nan=False, separators=(",", ":")
        ).encode("utf-8")


def frame_payload(df: pd.DataFrame, **extra: Any) -> dict[str, Any]:
    """An analysis frame as ``{"rows", "population", ...}``: its rows plus everything its
    ``attrs`` carry (population, method, formula, ...), so every number can be traced."""
    payload: dict[str, Any] = {"rows": records(df)}
    payload.update({str(k): v for k, v in df.attrs.items() if str(k) != "names"})
    payload.update(extra)
    return payload


def corpus_population(db: Database) -> dict[str, Any]:
    """The whole corpus as a population object (for responses not about a selection)."""
    from skillgauge.store import queries

    facts = queries.corpus_facts(db.store.con)
    return {
        "postings": facts.postings,
        "roles": [],
        "date_min": facts.date_min.isoformat() if facts.date_min else None,
        "date_max": facts.date_max.isoformat() if facts.date_max else None,
        "sources": [name for name, _ in facts.sources],
        "description": f"{facts.postings:,} unique postings; all roles",
    }

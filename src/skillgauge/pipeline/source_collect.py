"""Collect from a live source into the store: fetch pages -> records -> the same batch pipeline as
files (prepare in workers, de-duplicate, write), one recorded run.

Incremental: each (source, board) keeps a cursor that the next collect resumes from. For snapshot
sources (a company board lists every open posting at once) a posting missing from a complete fetch is
marked closed, never deleted; one that comes back is reopened.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from skillgauge.exceptions import SourceError
from skillgauge.models import MappedPosting, RawRow
from skillgauge.pipeline.writing import BatchRunner, IngestOptions, to_write_batch
from skillgauge.sources import registry
from skillgauge.sources.base import Fetcher, Source
from skillgauge.store.db import Counts, Store

#: Called after every committed page: (source, board, counts so far for the board).
CollectProgress = Callable[[str, str | None, Counts], None]


class SourceMapper:
    """The pipeline's record mapper for a live source: the source's own ``map``. Pickled by name
    (worker processes build their own instance; mapping needs no keys)."""

    def __init__(self, name: str, board: str | None) -> None:
        self.name = name
        self.board = board
        self._source: Source | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {"name": self.name, "board": self.board}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.name, self.board, self._source = state["name"], state["board"], None

    def map(self, payload: dict[str, Any]) -> MappedPosting | str:
        if self._source is None:
            self._source = registry.source_class(self.name)()
        try:
            return self._source.map(payload, board=self.board)
        except Exception as exc:  # a source bug must quarantine the record, not stop the run
            return f"{self.name} could not map this record: {type(exc).__name__}: {exc}"


@dataclass
class BoardResult:
    source: str
    board: str | None
    counts: Counts = field(default_factory=Counts)
    pages: int = 0
    closed: int = 0
    reopened: int = 0
    error: str | None = None


def collect_boards(
    store: Store,
    run_id: int,
    source: Source,
    boards: Sequence[str | None],
    fetcher: Fetcher,
    options: IngestOptions,
    runner: BatchRunner,
    *,
    since: dt.date | None = None,
    progress: CollectProgress | None = None,
) -> list[BoardResult]:
    results = []
    for board in boards:
        result = BoardResult(source.info.name, board)
        try:
            _collect_board(
                store, run_id, source, board, fetcher, options, runner, since, result, progress
            )
        except SourceError as exc:
            result.error = str(exc)  # other boards go on; the run reports the failure
        results.append(result)
    return results


def _collect_board(
    store: Store,
    run_id: int,
    source: Source,
    board: str | None,
    fetcher: Fetcher,
    options: IngestOptions,
    runner: BatchRunner,
    since: dt.date | None,
    result: BoardResult,
    progress: CollectProgress | None,
) -> None:
    name = source.info.name
    key = f"source:{name}:{board or ''}"
    store.add_run_source(
        run_id,
        source_key=key,
        path=f"{name}:{board}" if board else name,
        source=name,
        fmt="api",
        size=None,
        skip_rows=0,
        mapping={"mapping": f"{type(source).__module__}.{type(source).__name__}.map"},
    )
    cursor = store.get_cursor(name, board)
    mapper = SourceMapper(name, board)
    listed: set[str] = set()
    position = 0
    pages = source.fetch(fetcher, board=board, since=since, cursor=cursor)

    cursors: list[str | None] = []  # one per page, in order: saved once its page is written

    def batches() -> Iterator[list[RawRow]]:
        nonlocal position
        for page in pages:
            records = source.records(page.body, board=board)
            rows = [RawRow(position + i, rec) for i, rec in enumerate(records)]
            position += len(rows)
            result.pages += 1
            cursors.append(page.cursor)
            yield rows  # possibly empty: it still carries the page's cursor

    for rows, prepared in runner.map(batches(), mapper, name):
        listed.update(str(s) for s in prepared.columns["source_id"] if s is not None)
        batch = to_write_batch(store, run_id, key, name, name, prepared, options, board=board)
        store.write_batch(run_id, key, batch, rows_done=rows[-1].position + 1 if rows else position)
        result.counts.add(batch.counts)
        cur = cursors.pop(0)
        if cur:
            store.set_cursor(name, board, cur, run_id)
        if progress is not None:
            progress(name, board, result.counts)
    if source.info.snapshot:
        result.closed, result.reopened = store.close_missing(name, board, listed)
    store.con.execute(
        "UPDATE run_sources SET status = 'complete' WHERE run_id = ? AND source_key = ?",
        [run_id, key],
    )


def parse_response(
    source: Source, body: bytes, *, board: str | None = None
) -> Iterator[dict[str, Any]]:
    """One saved response -> normalised postings (what ``skillgauge parse`` prints as JSONL).

    Records the source rejects come out as ``{"position", "rejected": reason}`` so nothing vanishes.
    """
    from skillgauge.clean.text import clean_text

    name = source.info.name
    for i, record in enumerate(source.records(body, board=board)):
        mapped = SourceMapper(name, board).map(record)
        if isinstance(mapped, str):
            yield {"position": i, "source": name, "rejected": mapped}
            continue
        sal = mapped.salary
        yield {
            "id": mapped.source_id,
            "source": name,
            "board": board,
            "url": mapped.url,
            "title": mapped.title,
            "company": mapped.company,
            "location": mapped.location,
            "remote": mapped.remote,
            "date_posted": mapped.date_posted.isoformat() if mapped.date_posted else None,
            "salary_min": sal.min if sal else None,
            "salary_max": sal.max if sal else None,
            "salary_currency": sal.currency if sal else None,
            "salary_period": sal.period if sal else None,
            "employment_type": mapped.employment_type,
            "description": clean_text(mapped.description) if mapped.description else "",
        }

"""Writing a stream of raw-row batches into the store, shared by file ingestion and live collection.

``BatchRunner`` runs the CPU-heavy preparation (:mod:`skillgauge.pipeline.prepare`) in worker
processes and yields results in input order; ``to_write_batch`` de-duplicates a prepared batch against
the store (:mod:`skillgauge.pipeline.dedupe`) and turns it into the Arrow tables one transaction writes.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
import pyarrow as pa

from skillgauge.models import RawRow
from skillgauge.pipeline.dedupe import Overlay, Verdict, decide
from skillgauge.pipeline.prepare import (
    POSTING_FIELDS,
    Prepared,
    RecordMapper,
    Tools,
    ToolSpec,
    init_worker,
    prepare_batch,
    set_tools,
)
from skillgauge.sources.files import PendingLine
from skillgauge.store.db import Counts, Store, WriteBatch

#: A batch's records: parsed, or JSON Lines still to parse (``prepare_batch`` parses those).
Row = TypeVar("Row", bound=RawRow | PendingLine)


@dataclass
class IngestOptions:
    overrides: Mapping[str, str] = field(default_factory=dict)
    source: str | None = None
    fmt: str | None = None
    as_of: Any = None
    batch_size: int = 5000
    threshold: float = 0.8
    workers: int = 1
    taxonomy_hash: str = ""


#: Records one worker prepares at a time. A batch (one transaction) larger than this is cut into
#: chunks of it, so the workers' memory and the results in flight stay the same whatever the batch
#: size, while de-duplication and writing, whose lookups scan the store once per batch, run on
#: the whole batch.
CHUNK = 5000


class BatchRunner:
    """Runs prepare_batch in a process pool (or in-process for one worker), results in order.

    With a pool, each batch goes out in chunks of at most ``CHUNK`` records and comes back as one
    ``Prepared`` (``Prepared.concat``: the same as preparing the batch in one call).
    """

    def __init__(self, tools: Tools, spec: ToolSpec, workers: int) -> None:
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None
        if workers > 1:
            self.pool = ProcessPoolExecutor(workers, initializer=init_worker, initargs=(spec,))
        else:
            set_tools(tools)

    def map(
        self, batches: Iterator[list[Row]], mapper: RecordMapper, source: str
    ) -> Iterator[tuple[list[Row], Prepared]]:
        if self.pool is None:
            for rows in batches:
                yield rows, prepare_batch(rows, mapper, source)
            return
        pending: deque[tuple[list[Row], list[Future[Prepared]]]] = deque()
        queued = 0  # chunks submitted and not yet collected
        for rows in batches:
            chunks = [
                self.pool.submit(prepare_batch, rows[i : i + CHUNK], mapper, source)
                for i in range(0, len(rows), CHUNK)
            ]
            pending.append((rows, chunks))
            queued += len(chunks)
            # collect the oldest batch once the others keep every worker busy meanwhile
            while len(pending) > 1 and queued - len(pending[0][1]) >= self.workers:
                r, futs = pending.popleft()
                queued -= len(futs)
                yield r, Prepared.concat([f.result() for f in futs])
        while pending:
            r, futs = pending.popleft()
            yield r, Prepared.concat([f.result() for f in futs])

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)


class PipelinedWriter:
    """Writes batch *k* in a background thread while the main thread de-duplicates batch *k+1*.

    Why: DuckDB's inserts and commit (about a quarter of the main process's time) release the GIL,
    and the main process is what bounds ingestion; running them beside the next batch's lookups
    and Arrow building keeps both cores busier. What stays the same: batches commit one at a time
    and in order, each in one transaction that also moves the checkpoint (so a crash still leaves
    the store at its last committed batch), and verdicts are those of the sequential path: the
    lookups run on their own connection and see every batch but the one in flight, which
    ``dedupe.Overlay`` covers (the parity tests run both paths).
    """

    def __init__(self, store: Store, run_id: int, key: str, options: IngestOptions) -> None:
        self.store = store
        self.run_id = run_id
        self.key = key
        self.options = options
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="skillgauge-writer")
        self._pending: Future[Counts] | None = None
        self._overlay: Overlay | None = None
        self._lookups = store.lookups_beside_writes()
        self._lookups.__enter__()
        self._closed = False

    def submit(
        self, path: str, source: str, p: Prepared, rows_done: int, board: str | None = None
    ) -> Counts | None:
        """Decide ``p`` and start writing it; returns the counts of the batch whose write this
        call saw finish (the previous one), or None for the first batch."""
        verdict = decide(self.store, p, self.options.threshold, self._overlay)
        batch = batch_tables(self.run_id, self.key, path, source, p, verdict, self.options, board)
        done = self._wait()
        self._overlay = Overlay.of(p, verdict)
        self._pending = self._pool.submit(self._write, batch, rows_done)
        return done

    def _write(self, batch: WriteBatch, rows_done: int) -> Counts:
        self.store.write_batch(self.run_id, self.key, batch, rows_done=rows_done)
        return batch.counts

    def _wait(self) -> Counts | None:
        pending, self._pending = self._pending, None
        return pending.result() if pending is not None else None

    def finish(self) -> Counts | None:
        """Wait for the last write; returns its counts. Call before anything else uses the store."""
        try:
            return self._wait()
        finally:
            self.close()

    def close(self) -> None:
        """Stop, waiting for a write in flight (its transaction commits or rolls back whole)."""
        if self._closed:
            return
        self._closed = True
        if self._pending is not None:
            with suppress(Exception):  # the error that stopped the caller is the one to report
                self._pending.result()
            self._pending = None
        self._pool.shutdown(wait=True)
        self._lookups.__exit__(None, None, None)


def _reject_id(source: str, position: int, raw: str) -> str:
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{source}\0{position}\0".encode())
    h.update(raw.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def to_write_batch(
    store: Store,
    run_id: int,
    key: str,
    path: str,
    source: str,
    p: Prepared,
    options: IngestOptions,
    board: str | None = None,
) -> WriteBatch:
    """De-duplicate a prepared batch against the store and build what one transaction writes."""
    verdict = decide(store, p, options.threshold)
    return batch_tables(run_id, key, path, source, p, verdict, options, board)


def batch_tables(
    run_id: int,
    key: str,
    path: str,
    source: str,
    p: Prepared,
    verdict: Verdict,
    options: IngestOptions,
    board: str | None = None,
) -> WriteBatch:
    """The Arrow tables of a decided batch (no I/O)."""
    new = [i for i, k in enumerate(verdict.kind) if k == "new"]
    dup = [i for i, k in enumerate(verdict.kind) if k in ("exact", "near")]
    stored_raw = [i for i, k in enumerate(verdict.kind) if k != "seen"]
    n_seen = sum(1 for k in verdict.kind if k == "seen")

    def pick(values: Sequence[Any], idx: list[int]) -> list[Any]:
        return [values[i] for i in idx]

    wb = WriteBatch()
    wb.raw = pa.table(
        {
            "raw_id": pick(p.raw_ids, stored_raw),
            "run_id": pa.array([run_id] * len(stored_raw), pa.int32()),
            "source": [source] * len(stored_raw),
            "source_key": [key] * len(stored_raw),
            "position": pa.array(pick(p.positions, stored_raw), pa.int64()),
            "payload": pick(p.payloads, stored_raw),
        }
    )
    cols: dict[str, Any] = {
        "posting_id": pick(p.raw_ids, new),
        "run_id": pa.array([run_id] * len(new), pa.int32()),
        "source": [source] * len(new),
    }
    for name in POSTING_FIELDS:
        cols[name] = pick(p.columns[name], new)
    cols["date_posted"] = pa.array(cols["date_posted"], pa.date32())
    cols["remote"] = pa.array(cols["remote"], pa.bool_())
    for num in ("salary_min", "salary_max"):
        cols[num] = pa.array(cols[num], pa.float64())
    cols["fingerprint"] = pick(p.fingerprints, new)
    cols["extracted_hash"] = [options.taxonomy_hash] * len(new)
    cols["board"] = [board] * len(new)
    sigs = p.signatures.astype("<u4", copy=False)
    cols["minhash"] = pa.array([sigs[i].tobytes() for i in new], pa.binary())
    wb.postings = pa.table(cols)

    role_pid: list[str] = []
    role_id: list[str] = []
    for i in new:
        for r in dict.fromkeys(p.roles[i]):
            role_pid.append(p.raw_ids[i])
            role_id.append(r)
    wb.roles = pa.table({"posting_id": role_pid, "role": role_id})

    bands = p.band_keys.shape[1] if p.band_keys.ndim == 2 else 0
    wb.bands = pa.table(
        {
            "band": pa.array(np.tile(np.arange(bands, dtype=np.int16), len(new)), pa.int16()),
            "key": pa.array(p.band_keys[new].reshape(-1) if new else [], pa.int64()),
            "posting_id": np.repeat(np.asarray(pick(p.raw_ids, new), dtype=object), bands).tolist(),
        }
    )

    mc = p.mentions
    keep = np.isin(mc.row, np.asarray(new, np.int32))
    wb.mentions = pa.table(
        {
            "posting_id": pa.array(p.raw_ids, pa.string()).take(pa.array(mc.row[keep])),
            "term_id": pa.array(mc.term_id, pa.string()).filter(pa.array(keep)),
            "start_pos": pa.array(mc.start[keep], pa.int32()),
            "end_pos": pa.array(mc.end[keep], pa.int32()),
            "surface": pa.array(mc.surface, pa.string()).filter(pa.array(keep)),
        }
    )
    wb.duplicates = pa.table(
        {
            "raw_id": pick(p.raw_ids, dup),
            "posting_id": [verdict.kept[i] for i in dup],
            "kind": [verdict.kind[i] for i in dup],
            "similarity": pa.array([verdict.similarity[i] for i in dup], pa.float64()),
            "run_id": pa.array([run_id] * len(dup), pa.int32()),
            "source": [source] * len(dup),
        }
    )
    wb.rejected = pa.table(
        {
            "reject_id": [_reject_id(source, pos, raw) for pos, _, raw in p.rejects],
            "run_id": pa.array([run_id] * len(p.rejects), pa.int32()),
            "source": [source] * len(p.rejects),
            "source_key": [key] * len(p.rejects),
            "path": [path] * len(p.rejects),
            "position": pa.array([pos for pos, _, _ in p.rejects], pa.int64()),
            "reason": [reason for _, reason, _ in p.rejects],
            "payload": [raw for _, _, raw in p.rejects],
        }
    )
    wb.counts = Counts(
        read=p.size + len(p.rejects),
        stored=len(new),
        rejected=len(p.rejects),
        duplicates=len(dup) + n_seen,
    )
    return wb

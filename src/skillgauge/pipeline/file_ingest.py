"""Ingest files into the store: read -> prepare (workers) -> de-duplicate -> write, batch by batch.

Each batch is one transaction that also moves the input's checkpoint, so an interrupted run (crash,
Ctrl-C, SIGKILL) leaves the store at its last committed batch; the next ``ingest`` of the same file
finds the run still marked ``running``, marks it ``resumed`` and carries on after the checkpoint.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from skillgauge.exceptions import SourceNotFound
from skillgauge.models import RawRow
from skillgauge.pipeline.dedupe import decide
from skillgauge.pipeline.prepare import (
    POSTING_FIELDS,
    Prepared,
    Tools,
    ToolSpec,
    init_worker,
    prepare_batch,
    set_tools,
)
from skillgauge.sources.files import FileFormat, detect_format, open_reader
from skillgauge.sources.mapping import FieldMapper, detect_profile
from skillgauge.store.db import Counts, Store, WriteBatch

#: Called after every committed batch: (path, bytes done, bytes total, counts so far for the file).
ProgressFn = Callable[[Path, int, int, Counts], None]


@dataclass
class FileResult:
    path: Path
    source: str
    format: str
    counts: Counts
    mapping: dict[str, str]
    resumed_from_run: int | None = None
    skipped: int = 0


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


def source_key(path: Path) -> str:
    """Identity of an input file: resolved path, size, mtime and a sample of its content."""
    st = path.stat()
    h = hashlib.blake2b(digest_size=16)
    h.update(str(path.resolve()).encode())
    h.update(f"{st.st_size}:{st.st_mtime_ns}".encode())
    with path.open("rb") as fh:
        h.update(fh.read(65536))
        if st.st_size > 65536:
            fh.seek(max(st.st_size - 65536, 65536))
            h.update(fh.read(65536))
    return h.hexdigest()


def default_source_name(path: Path, profile: str | None) -> str:
    """The name postings from a file are recorded under: the profile's source, else the file stem."""
    if profile == "hackernews":
        return "hackernews"
    name = path.name
    for suffix in (".gz", ".zst", ".zstd"):
        name = name.removesuffix(suffix)
    return Path(name).stem


def check_paths(paths: Sequence[Path]) -> list[tuple[Path, FileFormat]]:
    """Fail early, with one clear line, on a missing path or an unknown format."""
    found: list[tuple[Path, FileFormat]] = []
    for p in paths:
        if not p.exists():
            raise SourceNotFound(f"no such file: {p}")
        if p.is_dir():
            raise SourceNotFound(f"{p} is a directory; give the files inside it")
        found.append((p, detect_format(p)))
    return found


class _Runner:
    """Runs prepare_batch in a process pool (or in-process for one worker), results in order."""

    def __init__(self, tools: Tools, spec: ToolSpec, workers: int) -> None:
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None
        if workers > 1:
            self.pool = ProcessPoolExecutor(workers, initializer=init_worker, initargs=(spec,))
        else:
            set_tools(tools)

    def map(
        self, batches: Iterator[list[RawRow]], mapper: FieldMapper, source: str
    ) -> Iterator[tuple[list[RawRow], Prepared]]:
        if self.pool is None:
            for rows in batches:
                yield rows, prepare_batch(rows, mapper, source)
            return
        pending: deque[tuple[list[RawRow], Future[Prepared]]] = deque()
        for rows in batches:
            pending.append((rows, self.pool.submit(prepare_batch, rows, mapper, source)))
            if len(pending) > self.workers:
                r, fut = pending.popleft()
                yield r, fut.result()
        while pending:
            r, fut = pending.popleft()
            yield r, fut.result()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)


def ingest_files(
    store: Store,
    run_id: int,
    paths: Sequence[tuple[Path, FileFormat]],
    options: IngestOptions,
    tools: Tools,
    spec: ToolSpec,
    progress: ProgressFn | None = None,
) -> list[FileResult]:
    runner = _Runner(tools, spec, options.workers)
    try:
        return [
            _ingest_one(store, run_id, path, fmt, options, runner, progress) for path, fmt in paths
        ]
    finally:
        runner.close()


def _ingest_one(
    store: Store,
    run_id: int,
    path: Path,
    fmt: FileFormat,
    options: IngestOptions,
    runner: _Runner,
    progress: ProgressFn | None,
) -> FileResult:
    key = source_key(path)
    interrupted = store.find_interrupted(key)
    skip = interrupted.rows_done if interrupted else 0
    if interrupted is not None:
        store.mark_resumed(interrupted.run_id, run_id)
    counts = Counts()
    with open_reader(path, fmt, batch_size=options.batch_size) as reader:
        batches = reader.iter_batches()
        first = _first_nonempty(batches)
        payloads = [r.payload for r in first if r.payload is not None]
        columns = _columns(payloads)
        profile = detect_profile(columns, payloads[0] if payloads else {})
        mapper = FieldMapper.for_columns(
            columns, options.overrides, profile=profile, as_of=options.as_of
        )
        source = options.source or default_source_name(path, profile)
        mapping = mapper.describe()
        store.add_run_source(
            run_id,
            source_key=key,
            path=str(path),
            source=source,
            fmt=fmt.kind + (f"+{fmt.compression}" if fmt.compression else ""),
            size=reader.bytes_total,
            skip_rows=skip,
            mapping=mapping,
        )

        def remaining() -> Iterator[list[RawRow]]:
            for rows in _chain([first], batches):
                kept = [r for r in rows if r.position >= skip] if skip else rows
                if kept:
                    yield kept

        if progress is not None:  # starts the clock and the bar before the first batch
            progress(path, reader.bytes_done(), reader.bytes_total, counts)
        done = skip
        for rows, prepared in runner.map(remaining(), mapper, source):
            batch = _to_write_batch(store, run_id, key, str(path), source, prepared, options)
            done = rows[-1].position + 1
            store.write_batch(run_id, key, batch, rows_done=done - skip)
            counts.add(batch.counts)
            if progress is not None:
                progress(path, reader.bytes_done(), reader.bytes_total, counts)
    store.con.execute(
        "UPDATE run_sources SET status = 'complete' WHERE run_id = ? AND source_key = ?",
        [run_id, key],
    )
    return FileResult(
        path,
        source,
        fmt.kind,
        counts,
        mapping,
        interrupted.run_id if interrupted else None,
        skip,
    )


def _first_nonempty(batches: Iterator[list[RawRow]]) -> list[RawRow]:
    for rows in batches:
        if rows:
            return rows
    return []


def _chain(head: list[list[RawRow]], tail: Iterator[list[RawRow]]) -> Iterator[list[RawRow]]:
    yield from head
    yield from tail


def _columns(payloads: list[dict[str, Any]]) -> list[str]:
    seen: dict[str, None] = {}
    for p in payloads:
        for k in p:
            seen.setdefault(str(k), None)
    return list(seen)


def _reject_id(source: str, position: int, raw: str) -> str:
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{source}\0{position}\0".encode())
    h.update(raw.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _to_write_batch(
    store: Store,
    run_id: int,
    key: str,
    path: str,
    source: str,
    p: Prepared,
    options: IngestOptions,
) -> WriteBatch:
    verdict = decide(store, p, options.threshold)
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

    m_pid: list[str] = []
    m_term: list[str] = []
    m_start: list[int] = []
    m_end: list[int] = []
    m_surface: list[str] = []
    for i in new:
        pid = p.raw_ids[i]
        for m in p.mentions[i]:
            m_pid.append(pid)
            m_term.append(m.term_id)
            m_start.append(m.start)
            m_end.append(m.end)
            m_surface.append(m.surface)
    wb.mentions = pa.table(
        {
            "posting_id": m_pid,
            "term_id": m_term,
            "start_pos": pa.array(m_start, pa.int32()),
            "end_pos": pa.array(m_end, pa.int32()),
            "surface": m_surface,
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

"""Ingest files into the store: read -> prepare (workers) -> de-duplicate -> write, batch by batch.

Each batch is one transaction that also moves the input's checkpoint, so an interrupted run (crash,
Ctrl-C, SIGKILL) leaves the store at its last committed batch; the next ``ingest`` of the same file
finds the run still marked ``running``, marks it ``resumed`` and carries on after the checkpoint.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from skillgauge.exceptions import SourceNotFound
from skillgauge.models import RawRow
from skillgauge.pipeline.prepare import Tools, ToolSpec
from skillgauge.pipeline.writing import BatchRunner, IngestOptions, PipelinedWriter
from skillgauge.sources.files import FileFormat, ReadRow, detect_format, open_reader, resolve_rows
from skillgauge.sources.mapping import FieldMapper, detect_profile
from skillgauge.store.db import Counts, Store

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


def ingest_files(
    store: Store,
    run_id: int,
    paths: Sequence[tuple[Path, FileFormat]],
    options: IngestOptions,
    tools: Tools,
    spec: ToolSpec,
    progress: ProgressFn | None = None,
) -> list[FileResult]:
    runner = BatchRunner(tools, spec, options.workers)
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
    runner: BatchRunner,
    progress: ProgressFn | None,
) -> FileResult:
    key = source_key(path)
    interrupted = store.find_interrupted(key)
    skip = interrupted.rows_done if interrupted else 0
    if interrupted is not None:
        store.mark_resumed(interrupted.run_id, run_id)
    counts = Counts()
    with open_reader(path, fmt, batch_size=options.batch_size) as reader:
        # JSON Lines arrive unparsed (workers parse them); the first batch is parsed here, since
        # the field mapping is decided from it
        batches = reader.iter_batches(defer=True)
        first: list[ReadRow] = [*resolve_rows(_first_nonempty(batches))]
        payloads = [r.payload for r in first if isinstance(r, RawRow) and r.payload is not None]
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

        def remaining() -> Iterator[list[ReadRow]]:
            for rows in _chain([first], batches):
                kept = [r for r in rows if r.position >= skip] if skip else rows
                if kept:
                    yield kept

        if progress is not None:  # starts the clock and the bar before the first batch
            progress(path, reader.bytes_done(), reader.bytes_total, counts)
        writer = PipelinedWriter(store, run_id, key, options)
        try:
            for rows, prepared in runner.map(remaining(), mapper, source):
                rows_done = rows[-1].position + 1 - skip
                committed = writer.submit(str(path), source, prepared, rows_done)
                if committed is not None:
                    counts.add(committed)
                    if progress is not None:
                        progress(path, reader.bytes_done(), reader.bytes_total, counts)
            last = writer.finish()
        finally:
            writer.close()
        if last is not None:
            counts.add(last)
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


def _first_nonempty(batches: Iterator[list[ReadRow]]) -> list[ReadRow]:
    for rows in batches:
        if rows:
            return rows
    return []


def _chain(head: list[list[ReadRow]], tail: Iterator[list[ReadRow]]) -> Iterator[list[ReadRow]]:
    yield from head
    yield from tail


def _columns(payloads: list[dict[str, Any]]) -> list[str]:
    seen: dict[str, None] = {}
    for p in payloads:
        for k in p:
            seen.setdefault(str(k), None)
    return list(seen)

"""Cutting input files into splits that executors read in parallel, with the project's own readers.

Why not ``spark.read.json``/``spark.read.parquet``: Spark infers a schema (missing keys become
nulls, numbers change type), so records would differ from what :class:`FileReader` yields and get
other raw ids (posting ids) and mappings than the DuckDB backend. Instead the driver plans splits and
each task reads its split with the same parsing code, producing the very same :class:`RawRow`:

* uncompressed JSON Lines: byte ranges (a line belongs to the range holding its first byte, as in
  Hadoop's line reader); positions are exact, from a first pass that counts each range's records;
* Parquet: groups of row groups, positions from the footer's row counts;
* anything else (CSV, JSON arrays, HTML, compressed files): one split per file, read by
  :class:`FileReader` itself (not splittable without reading everything before a point).

The field mapping is decided on the driver exactly as in the DuckDB path: from the file's first
batch of ``batch_size`` records.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from skillgauge.models import RawRow
from skillgauge.pipeline.file_ingest import check_paths, default_source_name
from skillgauge.sources.files import FileFormat, FileReader, open_reader, to_jsonable
from skillgauge.sources.mapping import FieldMapper, detect_profile

#: Bytes of uncompressed JSON Lines per split, and Parquet rows per split (about the same work).
SPLIT_BYTES = 64 << 20
SPLIT_ROWS = 20_000


@dataclass(frozen=True)
class FilePlan:
    """One input file: where it is, how to read it, which mapper and source name it uses."""

    index: int
    path: str
    fmt: FileFormat
    mapper: FieldMapper
    source: str
    mapping: dict[str, str]


@dataclass(frozen=True)
class Split:
    """A piece of one file. ``mode`` is lines (byte range ``[start, end)``), rowgroups (row groups
    ``[start, end)``) or whole; ``first_position`` is the position of its first record."""

    file_index: int
    mode: str
    start: int = 0
    end: int = 0
    first_position: int = 0


def plan_files(
    paths: Sequence[Path],
    *,
    overrides: Mapping[str, str] | None = None,
    source: str | None = None,
    as_of: Any = None,
    batch_size: int = 5000,
) -> list[FilePlan]:
    """Check the paths and decide each file's mapper and source name (driver side, reads the
    first batch of every file; the same decisions as :mod:`skillgauge.pipeline.file_ingest`)."""
    plans: list[FilePlan] = []
    for index, (path, fmt) in enumerate(check_paths(paths)):
        with open_reader(path, fmt, batch_size=batch_size) as reader:
            first: list[RawRow] = []
            for rows in reader.iter_batches():
                if rows:
                    first = rows
                    break
        payloads = [r.payload for r in first if r.payload is not None]
        columns = list(dict.fromkeys(str(k) for p in payloads for k in p))
        profile = detect_profile(columns, payloads[0] if payloads else {})
        mapper = FieldMapper.for_columns(columns, overrides or {}, profile=profile, as_of=as_of)
        name = source or default_source_name(path, profile)
        plans.append(FilePlan(index, str(path), fmt, mapper, name, mapper.describe()))
    return plans


def plan_splits(
    plans: Sequence[FilePlan], split_bytes: int = SPLIT_BYTES, split_rows: int = SPLIT_ROWS
) -> list[Split]:
    """Splits of every file, in arrival order. JSON Lines splits still need their
    ``first_position`` (:func:`with_positions`, after counting)."""
    out: list[Split] = []
    for plan in plans:
        kind, comp = plan.fmt.kind, plan.fmt.compression
        if kind == "jsonl" and comp is None:
            size = Path(plan.path).stat().st_size
            starts = list(range(0, max(size, 1), max(split_bytes, 1)))
            for k, start in enumerate(starts):
                end = starts[k + 1] if k + 1 < len(starts) else size
                out.append(Split(plan.index, "lines", start, end))
        elif kind == "parquet" and comp is None:
            out.extend(_parquet_splits(plan, split_rows))
        else:
            out.append(Split(plan.index, "whole"))
    return out


def _parquet_splits(plan: FilePlan, split_rows: int) -> list[Split]:
    import pyarrow.parquet as pq

    try:
        meta = pq.ParquetFile(plan.path).metadata
    except Exception:  # a broken footer: FileReader reports it as one rejected record
        return [Split(plan.index, "whole")]
    out: list[Split] = []
    position = 0
    group_start, rows_in = 0, 0
    for g in range(meta.num_row_groups):
        rows_in += meta.row_group(g).num_rows
        if rows_in >= split_rows or g == meta.num_row_groups - 1:
            out.append(Split(plan.index, "rowgroups", group_start, g + 1, position))
            position += rows_in
            group_start, rows_in = g + 1, 0
    return out or [Split(plan.index, "whole")]


def with_positions(splits: Sequence[Split], counts: Sequence[int]) -> list[Split]:
    """Fill each JSON Lines split's first position from the record counts of the splits before it
    in the same file (``counts[k]`` = records of ``splits[k]``; other splits are kept as they are)."""
    out: list[Split] = []
    running: dict[int, int] = {}
    for split, n in zip(splits, counts, strict=True):
        if split.mode == "lines":
            first = running.get(split.file_index, 0)
            out.append(replace(split, first_position=first))
            running[split.file_index] = first + n
        else:
            out.append(split)
    return out


def _lines(path: str, start: int, end: int) -> Iterator[tuple[int, bytes]]:
    """(byte offset, line) of every line whose first byte lies in ``[start, end)``."""
    with Path(path).open("rb") as fh:
        offset = start
        if start > 0:
            fh.seek(start - 1)
            if fh.read(1) != b"\n":  # mid-line: that line belongs to the previous split
                offset = start + len(fh.readline())
            fh.seek(offset)
        while offset < end:
            line = fh.readline()
            if not line:
                return
            yield offset, line
            offset += len(line)


def count_records(plan: FilePlan, split: Split) -> int:
    """Records (non-blank lines) of a JSON Lines split: the first, cheap pass."""
    if split.mode != "lines":
        return 0
    return sum(1 for _, line in _lines(plan.path, split.start, split.end) if line.strip())


def read_split(plan: FilePlan, split: Split, batch_size: int) -> Iterator[list[RawRow]]:
    """The split's records as batches of :class:`RawRow`, exactly as :class:`FileReader` reads
    them (same payloads, errors and positions)."""
    if split.mode == "whole":
        with open_reader(Path(plan.path), plan.fmt, batch_size=batch_size) as reader:
            yield from reader.iter_batches()
        return
    rows = _line_rows(plan, split) if split.mode == "lines" else _parquet_rows(plan, split)
    batch: list[RawRow] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


def _line_rows(plan: FilePlan, split: Split) -> Iterator[RawRow]:
    position = split.first_position
    for offset, raw in _lines(plan.path, split.start, split.end):
        line, start = raw, offset
        if offset == 0 and line.startswith(codecs.BOM_UTF8):
            line = line[len(codecs.BOM_UTF8) :]
            start += len(codecs.BOM_UTF8)
        if not line.strip():
            continue
        yield FileReader._json_record(position, line.rstrip(b"\r\n"), start)
        position += 1


def _parquet_rows(plan: FilePlan, split: Split) -> Iterator[RawRow]:
    import pyarrow.parquet as pq

    position = split.first_position
    try:
        parquet = pq.ParquetFile(plan.path)
        for batch in parquet.iter_batches(row_groups=list(range(split.start, split.end))):
            for record in batch.to_pylist():
                yield RawRow(position, {str(k): to_jsonable(v) for k, v in record.items()})
                position += 1
    except Exception as exc:  # the same one error record FileReader makes
        yield RawRow(position, None, raw="", error=f"unreadable Parquet: {exc}")

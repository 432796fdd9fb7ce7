"""The pipeline: composition of the stages, each callable alone.

``ingest`` = read + clean + de-duplicate + extract + store, as one recorded run;
``reextract`` = extract again from stored postings after a taxonomy change (no re-reading).
Reporting reads the store (:mod:`skillgauge.analyze`, :mod:`skillgauge.report`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from skillgauge import __version__
from skillgauge.parallel import worker_count
from skillgauge.pipeline.file_ingest import FileResult, ProgressFn, check_paths, ingest_files
from skillgauge.pipeline.prepare import Tools, ToolSpec, build_tools, extract_batch, set_tools
from skillgauge.pipeline.source_collect import BoardResult, CollectProgress, collect_boards
from skillgauge.pipeline.writing import BatchRunner, IngestOptions
from skillgauge.settings import Settings
from skillgauge.sources.base import Fetcher, Source
from skillgauge.store import queries
from skillgauge.store.db import Counts, Store

__all__ = ["CollectResult", "IngestResult", "collect", "ingest", "reextract", "tools_for"]


@dataclass
class IngestResult:
    run_id: int
    files: list[FileResult] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)
    status: str = "complete"


def workers_for(settings: Settings) -> int:
    return worker_count(settings.workers)


def tool_spec(settings: Settings) -> ToolSpec:
    return ToolSpec(
        taxonomy=settings.taxonomy,
        roles=settings.roles,
        minhash_perm=settings.minhash_perm,
        dedup_threshold=settings.dedup_threshold,
        vocab=settings.vocab,
        vocab_mode=settings.vocab_mode,
    )


def tools_for(settings: Settings) -> Tools:
    return build_tools(tool_spec(settings))


def _begin_run(store: Store, kind: str, settings: Settings, tools: Tools, command: str) -> int:
    """Record the taxonomy in use and start a run of ``kind``; every run carries the versions
    (skillgauge, taxonomy + hash, roles) and the settings that produced it."""
    tax = tools.taxonomy
    store.record_taxonomy(tax.content_hash, tax.version, len(tax.terms), tax.to_json())
    return store.start_run(
        kind,
        command=command,
        version=__version__,
        taxonomy_version=tax.version,
        taxonomy_hash=tax.content_hash,
        roles_version=tools.roles.version,
        settings=settings.model_dump(mode="json"),
    )


def ingest(
    store: Store,
    paths: Sequence[Path],
    settings: Settings,
    *,
    overrides: Mapping[str, str] | None = None,
    source: str | None = None,
    as_of: Any = None,
    command: str = "",
    progress: ProgressFn | None = None,
    tools: Tools | None = None,
) -> IngestResult:
    """Ingest files as one recorded run. Raises before starting a run on a missing path or an
    unknown format; a failure mid-run marks the run ``failed`` (committed batches stay)."""
    checked = check_paths(paths)
    tools = tools or tools_for(settings)
    run_id = _begin_run(store, "ingest", settings, tools, command)
    options = IngestOptions(
        overrides=dict(overrides or {}),
        source=source,
        as_of=as_of,
        batch_size=settings.batch_size,
        threshold=settings.dedup_threshold,
        workers=workers_for(settings),
        taxonomy_hash=tools.taxonomy.content_hash,
    )
    result = IngestResult(run_id)
    try:
        result.files = ingest_files(
            store, run_id, checked, options, tools, tool_spec(settings), progress
        )
    except BaseException as exc:
        _finish(store, run_id, "failed", f"{type(exc).__name__}: {exc}")
        raise
    for f in result.files:
        result.counts.add(f.counts)
    resumed = [f.resumed_from_run for f in result.files if f.resumed_from_run is not None]
    if resumed:
        store.con.execute(
            "UPDATE runs SET resumed_run_id = ? WHERE run_id = ?", [resumed[0], run_id]
        )
    _finish(store, run_id, "complete")
    return result


@dataclass
class CollectResult:
    run_id: int
    boards: list[BoardResult] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)
    status: str = "complete"


def collect(
    store: Store,
    source: Source,
    settings: Settings,
    fetcher: Fetcher,
    *,
    boards: Sequence[str | None] = (None,),
    since: dt.date | None = None,
    command: str = "",
    progress: CollectProgress | None = None,
    tools: Tools | None = None,
) -> CollectResult:
    """Collect from a live source as one recorded run (kind ``collect``). A board that fails is
    reported (run status ``failed``, message naming it) while the other boards are still collected."""
    tools = tools or tools_for(settings)
    run_id = _begin_run(store, "collect", settings, tools, command)
    options = IngestOptions(
        source=source.info.name,
        batch_size=settings.batch_size,
        threshold=settings.dedup_threshold,
        workers=workers_for(settings),
        taxonomy_hash=tools.taxonomy.content_hash,
    )
    result = CollectResult(run_id)
    runner = BatchRunner(tools, tool_spec(settings), options.workers)
    try:
        result.boards = collect_boards(
            store,
            run_id,
            source,
            list(boards),
            fetcher,
            options,
            runner,
            since=since,
            progress=progress,
        )
    except BaseException as exc:
        _finish(store, run_id, "failed", f"{type(exc).__name__}: {exc}")
        raise
    finally:
        runner.close()
    for b in result.boards:
        result.counts.add(b.counts)
    failed = [b.error for b in result.boards if b.error]
    result.status = "failed" if failed else "complete"
    _finish(store, run_id, result.status, "; ".join(e for e in failed if e) or None)
    return result


ExtractProgress = Callable[[int, int], None]


def reextract(
    store: Store,
    settings: Settings,
    *,
    force: bool = False,
    command: str = "",
    progress: ExtractProgress | None = None,
    tools: Tools | None = None,
) -> tuple[int, int]:
    """Extract terms again from stored postings whose mentions came from another taxonomy (all of
    them with ``force``). Returns (run id, postings re-extracted). Resumable: each batch commits."""
    from skillgauge.store import queries

    tools = tools or tools_for(settings)
    set_tools(tools)
    tax = tools.taxonomy
    run_id = _begin_run(store, "extract", settings, tools, command)
    total = queries.count_to_extract(store.con, None if force else tax.content_hash)
    done = 0
    try:
        for chunk in queries.iter_documents(
            store.con, None if force else tax.content_hash, settings.batch_size
        ):
            found = extract_batch(chunk)
            table = pa.table(
                {
                    "posting_id": [chunk[i][0] for i in found.row],
                    "term_id": found.term_id,
                    "start_pos": pa.array(found.start, pa.int32()),
                    "end_pos": pa.array(found.end, pa.int32()),
                    "surface": found.surface,
                }
            )
            store.replace_mentions(run_id, [p for p, _ in chunk], table, tax.content_hash)
            done += len(chunk)
            if progress is not None:
                progress(done, total)
    except BaseException as exc:
        _finish(store, run_id, "failed", f"{type(exc).__name__}: {exc}")
        raise
    _finish(store, run_id, "complete")
    return run_id, done


def _finish(store: Store, run_id: int, status: str, message: str | None = None) -> None:
    """Close a run, then bring the pre-aggregated role x term counts up to date with what it wrote
    (once per run, so the shares query never pays for the join). A failed run leaves that to the
    first query (``queries.ensure_aggregates``) rather than risk masking its own error."""
    store.finish_run(run_id, status, message)
    if status != "failed":
        queries.refresh_aggregates(store.con)

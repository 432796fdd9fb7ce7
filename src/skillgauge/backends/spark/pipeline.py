"""Ingest on Spark: read -> prepare (per partition) -> de-duplicate (per window) -> Parquet dataset.

The stages are the DuckDB pipeline's, distributed:

1. **read + prepare** (``mapInArrow``): each task reads one split of an input file with the
   project's own readers (:mod:`.splits`) and runs :func:`~skillgauge.pipeline.prepare.prepare_batch`
   on it: map, clean, roles, seniority, fingerprint, MinHash + LSH keys, extraction, salary. The
   tools (taxonomy matcher, role book, MinHasher) are built once on the driver and broadcast;
   each Python worker deserialises them once and keeps them between tasks (worker reuse).
2. **seen**: only the first arrival of a raw id takes part (a window function over the raw id).
3. **de-duplicate** (``groupBy(dedup_window).applyInArrow``): the window's postings in arrival
   order through :func:`skillgauge.backends.dedupe.greedy_window_dedupe`, the same rule the
   DuckDB backend applies batch by batch.
4. **write** Parquet: ``postings``, ``posting_roles``, ``mentions`` (posting-level term ids),
   ``duplicates``, ``rejected`` and ``run`` (one row: read = stored + rejected + duplicates).

Arrival order is (input file index, position in the file), as in a DuckDB ingest of the same paths.
Inputs must be readable at the same path by every executor (a local run, or a shared filesystem).
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa

from skillgauge import __version__
from skillgauge.backends.dedupe import greedy_window_dedupe
from skillgauge.backends.spark.splits import (
    SPLIT_BYTES,
    SPLIT_ROWS,
    FilePlan,
    Split,
    count_records,
    plan_files,
    plan_splits,
    read_split,
    with_positions,
)
from skillgauge.pipeline.prepare import POSTING_FIELDS, Prepared, Tools, prepare_batch, set_tools
from skillgauge.settings import Settings
from skillgauge.store.db import Counts

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame, SparkSession

#: Arrow schema of the prepared records (one row per record read, good or rejected).
PREPARED_SCHEMA = pa.schema(
    [
        ("file_index", pa.int32()),
        ("position", pa.int64()),
        ("ok", pa.bool_()),
        ("raw_id", pa.string()),
        ("source", pa.string()),
        ("source_id", pa.string()),
        ("url", pa.string()),
        ("title", pa.string()),
        ("company", pa.string()),
        ("location", pa.string()),
        ("remote", pa.bool_()),
        ("date_posted", pa.date32()),
        ("date_raw", pa.string()),
        ("salary_min", pa.float64()),
        ("salary_max", pa.float64()),
        ("salary_currency", pa.string()),
        ("salary_period", pa.string()),
        ("salary_text", pa.string()),
        ("salary_source", pa.string()),
        ("employment_type", pa.string()),
        ("seniority_hint", pa.string()),
        ("role_hint", pa.string()),
        ("text", pa.string()),
        ("seniority", pa.string()),
        ("dedup_window", pa.string()),
        ("fingerprint", pa.string()),
        ("minhash", pa.binary()),
        ("band_keys", pa.list_(pa.int64())),
        ("roles", pa.list_(pa.string())),
        ("terms", pa.list_(pa.string())),
        ("reason", pa.string()),
        ("payload", pa.string()),
    ]
)
assert [f for f in POSTING_FIELDS if f not in PREPARED_SCHEMA.names] == []

VERDICT_SCHEMA = pa.schema(
    [
        ("raw_id", pa.string()),
        ("kind", pa.string()),
        ("kept_id", pa.string()),
        ("similarity", pa.float64()),
    ]
)

#: The Parquet tables of a dataset (directories under the output directory).
TABLES = ("postings", "posting_roles", "mentions", "duplicates", "rejected", "run")


@dataclass(frozen=True)
class SparkRun:
    """What a Spark ingest did: the counts (they reconcile), the files and where it wrote."""

    out: str
    counts: Counts
    files: list[FilePlan]
    splits: int


def _spark_ddl(schema: pa.Schema) -> str:
    from pyspark.sql.pandas.types import from_arrow_schema

    ddl: str = from_arrow_schema(schema).simpleString()
    return ddl.removeprefix("struct<").removesuffix(">")


# -- stage 1: read + prepare (runs on the executors) -------------------------------------------------


def prepared_table(prep: Prepared, file_index: int, source: str) -> pa.Table:
    """A prepared batch as Arrow rows of :data:`PREPARED_SCHEMA`: good records, then rejects."""
    n, r = prep.size, len(prep.rejects)
    cols: dict[str, Any] = {
        "file_index": [file_index] * (n + r),
        "position": prep.positions + [pos for pos, _, _ in prep.rejects],
        "ok": [True] * n + [False] * r,
        "raw_id": prep.raw_ids + [None] * r,
        "source": [source] * (n + r),
    }
    for name in POSTING_FIELDS:
        cols[name] = list(prep.columns[name]) + [None] * r
    sigs = prep.signatures.astype("<u4", copy=False)
    cols["fingerprint"] = prep.fingerprints + [None] * r
    cols["minhash"] = [sigs[i].tobytes() for i in range(n)] + [None] * r
    cols["band_keys"] = prep.band_keys.tolist() + [None] * r
    cols["roles"] = [list(dict.fromkeys(rs)) for rs in prep.roles] + [None] * r
    cols["terms"] = [sorted(ts) for ts in prep.mentions.term_sets(n)] + [None] * r
    cols["reason"] = [None] * n + [reason for _, reason, _ in prep.rejects]
    cols["payload"] = [None] * n + [raw for _, _, raw in prep.rejects]
    return pa.table(cols, schema=PREPARED_SCHEMA)


def prepare_splits(
    plans: Sequence[FilePlan], splits: Sequence[Split], tools: Tools, batch_size: int
) -> Iterator[pa.Table]:
    """Read and prepare the given splits in this process (what one Spark task does)."""
    set_tools(tools)
    by_index = {p.index: p for p in plans}
    for split in splits:
        plan = by_index[split.file_index]
        for rows in read_split(plan, split, batch_size):
            yield prepared_table(
                prepare_batch(rows, plan.mapper, plan.source), plan.index, plan.source
            )


# -- stage 3: de-duplicate one window (runs on the executors) ----------------------------------------


def dedupe_window(table: pa.Table, threshold: float) -> pa.Table:
    """Verdicts (:data:`VERDICT_SCHEMA`) for one window's first arrivals, in any row order."""
    table = table.sort_by([("file_index", "ascending"), ("position", "ascending")])
    n = table.num_rows
    raw_ids = table.column("raw_id").to_pylist()
    if n == 0:
        return VERDICT_SCHEMA.empty_table()
    sig_bytes = b"".join(table.column("minhash").to_pylist())
    signatures = np.frombuffer(sig_bytes, dtype="<u4").reshape(n, -1).astype(np.uint32)
    keys = table.column("band_keys").combine_chunks()
    band_keys = np.asarray(keys.flatten().to_numpy(zero_copy_only=False), dtype=np.int64)
    band_keys = band_keys.reshape(n, -1)
    verdict = greedy_window_dedupe(
        table.column("fingerprint").to_pylist(),
        table.column("title").to_pylist(),
        [bool(t) for t in table.column("text").to_pylist()],
        signatures,
        band_keys,
        threshold,
    )
    return pa.table(
        {
            "raw_id": raw_ids,
            "kind": verdict.kind,
            "kept_id": [None if k is None else raw_ids[k] for k in verdict.kept],
            "similarity": verdict.similarity,
        },
        schema=VERDICT_SCHEMA,
    )


# -- the driver ------------------------------------------------------------------------------------


def ingest_spark(
    spark: SparkSession,
    paths: Sequence[Path],
    out: Path | str,
    settings: Settings,
    tools: Tools,
    *,
    overrides: Mapping[str, str] | None = None,
    source: str | None = None,
    as_of: dt.date | None = None,
    command: str = "",
    split_bytes: int | None = None,
    split_rows: int | None = None,
) -> SparkRun:
    """Ingest ``paths`` into a Parquet dataset at ``out`` (overwritten). See the module docstring."""
    from pyspark.sql import functions as F
    from pyspark.sql.window import Window

    plans = plan_files(
        [Path(p) for p in paths],
        overrides=overrides,
        source=source,
        as_of=as_of,
        batch_size=settings.batch_size,
    )
    sc = spark.sparkContext
    if split_bytes is None:  # at least two splits per core, so small inputs use every core too
        total = sum(Path(p.path).stat().st_size for p in plans)
        split_bytes = max(1 << 20, min(SPLIT_BYTES, total // (2 * sc.defaultParallelism) + 1))
    splits = plan_splits(plans, split_bytes, split_rows or SPLIT_ROWS)
    n_splits = len(splits)
    if any(s.mode == "lines" for s in splits):
        records = (
            sc.parallelize(list(enumerate(splits)), n_splits)
            .map(lambda ks: count_records(plans[ks[1].file_index], ks[1]))
            .collect()
        )
        splits = with_positions(splits, records)

    tools_bc = sc.broadcast(tools)
    batch_size = settings.batch_size
    split_list = list(splits)

    def prepare_partition(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for rb in batches:
            ids = rb.column(0).to_pylist()
            for table in prepare_splits(
                plans, [split_list[i] for i in ids], tools_bc.value, batch_size
            ):
                yield from table.to_batches()

    out_s = str(out)
    stage = f"{out_s}/_prepared"
    # One split per partition, so the splits run in parallel in arrival-independent order.
    ids = spark.createDataFrame(
        sc.parallelize([(i,) for i in range(n_splits)], max(n_splits, 1)), "split_id int"
    )
    prepared = ids.mapInArrow(prepare_partition, _spark_ddl(PREPARED_SCHEMA))
    prepared.write.mode("overwrite").parquet(stage)
    prep = spark.read.parquet(stage)

    good = prep.filter(F.col("ok"))
    first = Window.partitionBy("raw_id").orderBy("file_index", "position")
    ranked = good.withColumn("_arrival", F.row_number().over(first))
    live = ranked.filter(F.col("_arrival") == 1).drop("_arrival")
    threshold = settings.dedup_threshold

    def dedupe(table: pa.Table) -> pa.Table:
        return dedupe_window(table, threshold)

    verdicts = (
        live.select(
            "dedup_window",
            "raw_id",
            "file_index",
            "position",
            "fingerprint",
            "title",
            "text",
            "minhash",
            "band_keys",
        )
        .groupBy("dedup_window")
        .applyInArrow(dedupe, _spark_ddl(VERDICT_SCHEMA))
    )
    decided = live.join(verdicts, "raw_id")
    decided.write.mode("overwrite").parquet(f"{out_s}/_decided")
    decided = spark.read.parquet(f"{out_s}/_decided")

    kept = decided.filter(F.col("kind") == "new")
    posting_cols: list[Column | str] = [
        F.col("raw_id").alias("posting_id"),
        "source",
        *POSTING_FIELDS,
        "fingerprint",
        "file_index",
        "position",
    ]
    kept.select(*posting_cols).write.mode("overwrite").parquet(f"{out_s}/postings")
    kept.select(F.col("raw_id").alias("posting_id"), F.explode("roles").alias("role")).write.mode(
        "overwrite"
    ).parquet(f"{out_s}/posting_roles")
    kept.select(
        F.col("raw_id").alias("posting_id"), F.explode("terms").alias("term_id")
    ).write.mode("overwrite").parquet(f"{out_s}/mentions")
    decided.filter(F.col("kind") != "new").select(
        "raw_id",
        F.col("kept_id").alias("posting_id"),
        "kind",
        "similarity",
        "source",
    ).write.mode("overwrite").parquet(f"{out_s}/duplicates")
    prep.filter(~F.col("ok")).select(
        "source", "file_index", "position", "reason", "payload"
    ).write.mode("overwrite").parquet(f"{out_s}/rejected")

    totals = prep.agg(
        F.count(F.lit(1)).alias("read"), F.sum(F.when(~F.col("ok"), 1).otherwise(0)).alias("rej")
    ).first()
    by_kind = {r["kind"]: int(r["count"]) for r in decided.groupBy("kind").count().collect()}
    n_good_live = sum(by_kind.values())
    n_good = good.count()
    counts = Counts(
        read=int(totals["read"]) if totals else 0,
        stored=by_kind.get("new", 0),
        rejected=int(totals["rej"] or 0) if totals else 0,
        duplicates=by_kind.get("exact", 0) + by_kind.get("near", 0) + (n_good - n_good_live),
    )
    tax = tools.taxonomy
    run_row = {
        "read": counts.read,
        "stored": counts.stored,
        "rejected": counts.rejected,
        "duplicates": counts.duplicates,
        "seen": n_good - n_good_live,
        "exact": by_kind.get("exact", 0),
        "near": by_kind.get("near", 0),
        "skillgauge_version": __version__,
        "taxonomy_version": tax.version,
        "taxonomy_hash": tax.content_hash,
        "roles_version": tools.roles.version,
        "dedup_threshold": settings.dedup_threshold,
        "minhash_perm": settings.minhash_perm,
        "command": command,
        "files": [p.path for p in plans],
        "sources": [p.source for p in plans],
        "finished_at": dt.datetime.now(dt.UTC).isoformat(),
    }
    spark.createDataFrame([run_row]).coalesce(1).write.mode("overwrite").parquet(f"{out_s}/run")
    tools_bc.unpersist()
    _remove_local(stage)
    _remove_local(f"{out_s}/_decided")
    return SparkRun(out_s, counts, plans, n_splits)


def _remove_local(path: str) -> None:
    """Drop an intermediate directory when it is on the local filesystem (a cluster's object store
    keeps it; ``_``-prefixed directories are ignored by readers)."""
    if "://" in path and not path.startswith("file://"):
        return
    shutil.rmtree(path.removeprefix("file://"), ignore_errors=True)


def read_table(spark: SparkSession, data: Path | str, name: str) -> DataFrame:
    """One table of a dataset written by :func:`ingest_spark`."""
    return spark.read.parquet(f"{data}/{name}")

"""DuckDB and Spark ``local[2]`` side by side: ingest postings/s and peak memory of the process tree.

    python benchmarks/backends.py                          # 1,000,000 and 5,000,000 postings
    python benchmarks/backends.py --postings 20000         # a quick check that it all works

The corpus is benchmarks/pipeline.py's: real titles and sentences from ../shared/data recombined
into unique postings, so both backends do the full work (clean, MinHash, extraction) on each.
Each backend runs as its own ``skillgauge`` process (``--workers 2`` for DuckDB; ``--backend spark``
with ``SKILLGAUGE_SPARK_MASTER=local[2]``); peak RSS covers the whole tree (Spark's JVM and its
Python workers included). Per-core throughput for docs/scale.md is postings/s / 2. Prints a
Markdown table; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pipeline import make_corpus, run_watched  # benchmarks/pipeline.py

CORES = 2


def duckdb_run(corpus: Path, work: Path) -> tuple[float, int, str]:
    db = work / "bench.duckdb"
    db.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "skillgauge", "--db", str(db), "--workers", str(CORES)]
    return run_watched([*cmd, "ingest", str(corpus)], dict(os.environ))


def spark_run(corpus: Path, work: Path) -> tuple[float, int, str]:
    out = work / "dataset"
    shutil.rmtree(out, ignore_errors=True)
    env = dict(os.environ, SKILLGAUGE_SPARK_MASTER=f"local[{CORES}]")
    cmd = [sys.executable, "-m", "skillgauge", "ingest", "--backend", "spark", str(corpus)]
    return run_watched([*cmd, "--out", str(out)], env)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, nargs="+", default=[1_000_000, 5_000_000])
    parser.add_argument("--work", type=Path, default=Path("/tmp/skillgauge-bench-backends"))
    parser.add_argument("--backends", nargs="+", default=["duckdb", "spark"])
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    rows: list[str] = []
    for n in args.postings:
        corpus = make_corpus(args.work / f"corpus-{n}.jsonl", n)
        for backend in args.backends:
            run = duckdb_run if backend == "duckdb" else spark_run
            secs, peak, line = run(corpus, args.work)
            rate = n / secs
            print(
                f"{backend} {n:,}: {secs:.1f} s, {rate:,.0f} postings/s, peak {peak / 2**30:.2f} GiB"
            )
            print("   ", line)
            rows.append(
                f"| {backend} | {n:,} | {secs:.1f} | {rate:,.0f} | {rate / CORES:,.0f} "
                f"| {peak / 2**30:.2f} |"
            )
    print()
    print("| backend | postings | seconds | postings/s | postings/s per core | peak RSS GiB |")
    print("|---|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()

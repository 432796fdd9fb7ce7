"""Benchmark and evaluate :func:`skillgauge.clean.salary.find_salary_in_text` on real postings.

    python benchmarks/salary.py [--db PATH] [--repeat 3]   # postings/s on a DuckDB of postings
    python benchmarks/salary.py --snippets                 # precision/recall on the labelled set

The DuckDB must have a ``postings`` table with a ``text`` column (e.g. a copy of a demo corpus);
it is opened read-only. Speed is one process, one core, best of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path

from skillgauge.clean.salary import find_salary_in_text

REPO = Path(__file__).resolve().parents[1]
SNIPPETS = REPO / "tests" / "data" / "salary_snippets.csv"


def speed(db: Path, repeat: int) -> None:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    texts = [t or "" for (t,) in con.execute("SELECT text FROM postings").fetchall()]
    con.close()
    best = float("inf")
    found = 0
    for _ in range(repeat):
        start = time.perf_counter()
        found = sum(find_salary_in_text(t) is not None for t in texts)
        best = min(best, time.perf_counter() - start)
    print(
        f"{len(texts)} postings, {sum(map(len, texts)) / max(len(texts), 1):.0f} chars avg: "
        f"{len(texts) / best:,.0f} postings/s ({best / len(texts) * 1e6:.1f} us each), "
        f"{found} with a salary"
    )


def snippets() -> None:
    with SNIPPETS.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    predicted = correct = labelled = 0
    for row in rows:
        want = (
            float(row["min"]) if row["min"] else None,
            float(row["max"]) if row["max"] else None,
            row["currency"] or None,
            row["period"] or None,
        )
        s = find_salary_in_text(row["snippet"])
        got = None if s is None else (s.min, s.max, s.currency, s.period)
        labelled += want[:2] != (None, None)
        predicted += got is not None
        correct += got is not None and got == want
        if got != want and (got is not None or want[:2] != (None, None)):
            print(f"MISS {row['snippet']!r}: want {want}, got {got}")
    print(
        f"{len(rows)} snippets ({labelled} salaries): precision {correct / max(predicted, 1):.3f}, "
        f"recall {correct / max(labelled, 1):.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/demo_corpus.duckdb"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--snippets", action="store_true")
    args = parser.parse_args()
    if args.snippets:
        snippets()
    else:
        speed(args.db, args.repeat)


if __name__ == "__main__":
    main()

"""End-to-end benchmark: ``skillgauge ingest`` over a corpus scaled up from the shared postings.

    python benchmarks/pipeline.py                 # 1,000,000 postings, baseline 100,000
    python benchmarks/pipeline.py --postings 200000 --baseline 20000
    python benchmarks/pipeline.py --stages-only   # the per-stage CPU profile alone

The corpus: every posting in ../shared/data is cleaned once; new postings are composed of a real title
and ~12-25 sentences drawn at random from the pool of real sentences, so texts are realistic in
vocabulary and length yet unique (no two are near-duplicates), and the pipeline does its full work on
each. The baseline is the same pipeline on a smaller corpus in the same run: postings/s should not drop
and peak RSS should not grow with size. Also times the role x term share query on the result, and
ends with the CPU of each stage of the per-posting work in one process (``--stages`` postings).

Targets (printed, not asserted): 1M postings <= 120 s on 2 cores (>= 8,000 postings/s), peak RSS of the
whole process tree <= 2 GiB, the share query <= 200 ms.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import pandas as pd
import psutil

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"


def _pool() -> tuple[list[str], list[str]]:
    from skillgauge.clean.text import clean_text

    titles: list[str] = []
    texts: list[str] = []
    for f in sorted((SHARED / "tech_postings_small").glob("*.csv.gz")) + sorted(
        (SHARED / "linkedin_indeed_ca_2018").glob("*.csv.gz")
    ):
        df = pd.read_csv(f)
        tcol = next(
            c
            for c in df.columns
            if c.lower().replace(" ", "_") in ("title", "job_title", "jobtitle")
        )
        dcol = next(
            c
            for c in df.columns
            if c.lower().replace(" ", "_") in ("description", "job_description", "jobdescription")
        )
        titles += [str(t) for t in df[tcol].dropna()]
        texts += [str(t) for t in df[dcol].dropna()]
    with gzip.open(
        SHARED / "hn_whoishiring_2013_2018" / "hn_hiring_mapped_2013_2018.jsonl.gz", "rt"
    ) as fh:
        for line in fh:
            texts.append(clean_text(json.loads(line)["full_html"]))
    sentences = [
        s.strip()
        for t in texts
        for s in re.split(r"(?<=[.!?])\s+|\n+", t)
        if 20 <= len(s.strip()) <= 400
    ]
    return titles, sentences


def make_corpus(path: Path, n: int, seed: int = 11) -> Path:
    if path.exists():
        return path
    titles, sentences = _pool()
    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for i in range(n):
            body = " ".join(rng.choice(sentences) for _ in range(rng.randint(12, 25)))
            rec = {
                "id": i,
                "title": rng.choice(titles),
                "company": f"Company {rng.randint(1, 20000)}",
                "description": f"<p>{body}</p>",
                "date_posted": f"20{rng.randint(13, 26)}-{rng.randint(1, 12):02d}-01",
            }
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    tmp.rename(path)
    return path


def _tree_rss(proc: psutil.Process) -> int:
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            total += p.memory_info().rss
    return total


def run_watched(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, int, str]:
    """Run ``cmd``; (seconds, peak RSS of its whole process tree in bytes, last output line).
    Exits with the output when the command fails."""
    start = time.perf_counter()
    # stderr (progress bars, and the error if it fails) goes to a file: a pipe nobody reads would
    # fill and stall the run, and a failure must say why
    with tempfile.TemporaryFile("w+") as errors:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=errors, text=True, env=env)
        ps = psutil.Process(proc.pid)
        peak = 0
        done = threading.Event()

        def watch() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, _tree_rss(ps))
                time.sleep(0.2)

        t = threading.Thread(target=watch, daemon=True)
        t.start()
        out, _ = proc.communicate()
        done.set()
        t.join()
        elapsed = time.perf_counter() - start
        if proc.returncode != 0:
            errors.seek(0)
            tail = errors.read()[-3000:]
            raise SystemExit(f"{' '.join(cmd)} failed:\n{out}\n{tail}")
    lines = out.strip().splitlines()
    return elapsed, peak, lines[-1] if lines else ""


def ingest(corpus: Path, db: Path, workers: int) -> tuple[float, int]:
    if db.exists():
        db.unlink()
    cmd = [
        sys.executable,
        "-m",
        "skillgauge",
        "--db",
        str(db),
        "--workers",
        str(workers),
        "ingest",
        str(corpus),
    ]
    elapsed, peak, last = run_watched(cmd)
    print("   ", last)
    return elapsed, peak


def share_query_ms(db: Path) -> float:
    import skillgauge as sg

    with sg.open(db, read_only=True) as d:
        roles = list(d.role_ids())
        d.shares(roles=roles)  # warm (taxonomy, roles loaded)
        best = float("inf")
        for _ in range(5):
            t0 = time.perf_counter()
            d.shares(roles=roles)
            best = min(best, time.perf_counter() - t0)
    return best * 1000


def stage_profile(corpus: Path, limit: int = 20_000) -> None:
    """CPU time of each stage of the per-posting work on ``limit`` postings, in one process: where
    the time goes (the end-to-end run spreads the same work over the worker processes). The stages
    are those of ``pipeline.prepare.prepare_batch``, in its order."""
    import orjson

    from skillgauge.clean.dedupe import MinHasher, fingerprint_words, word_bytes
    from skillgauge.clean.roles import load_roles
    from skillgauge.clean.salary import find_salary_in_text
    from skillgauge.clean.text import clean_field, clean_text
    from skillgauge.extract.matcher import Matcher
    from skillgauge.sources.files import detect_format, open_reader, resolve_rows
    from skillgauge.sources.mapping import FieldMapper
    from skillgauge.taxonomy.loader import load_taxonomy

    spent: dict[str, float] = {}

    def timed(name: str, fn: Any) -> Any:
        t0 = time.process_time()
        out = fn()
        spent[name] = time.process_time() - t0
        return out

    def read() -> list[Any]:
        lines: list[Any] = []
        with open_reader(corpus, detect_format(corpus)) as reader:
            for batch in reader.iter_batches(defer=True):
                lines += batch
                if len(lines) >= limit:
                    break
        return lines[:limit]

    lines = timed("read (cut lines)", read)
    rows = timed("parse JSON (workers)", lambda: resolve_rows(lines))
    mapper = FieldMapper.for_columns(list(rows[0].payload))
    mapped = timed("map fields", lambda: [mapper.map(r.payload) for r in rows])
    timed(
        "payload JSON", lambda: [orjson.dumps(r.payload, option=orjson.OPT_SORT_KEYS) for r in rows]
    )
    texts = timed("clean (HTML to text)", lambda: [clean_text(m.description) for m in mapped])
    titles = [clean_field(m.title) for m in mapped]
    book = load_roles()
    timed("roles + seniority", lambda: [book.classify(t) for t in titles])
    timed("salary in the text", lambda: [find_salary_in_text(t) for t in texts])

    def words() -> list[bytes]:
        out = []
        for a, b in zip(titles, texts, strict=True):
            tw = word_bytes(a, nfkc=True) if a else b""
            xw = word_bytes(b, nfkc=True)
            fingerprint_words(tw, xw)
            out.append(tw + b" " + xw)
        return out

    parts = timed("word bytes + fingerprint", words)
    hasher = MinHasher(64)
    timed("MinHash signatures", lambda: hasher.signatures_of_words(parts))
    docs = [f"{a}\n{b}" for a, b in zip(titles, texts, strict=True)]
    matcher = Matcher.from_taxonomy(load_taxonomy())
    timed("extract terms", lambda: matcher.find_columns(docs))
    total = sum(spent.values())
    print(f"\nper-stage CPU on {len(rows):,} postings (one process):")
    for name, sec in spent.items():
        print(
            f"    {name:26s} {sec:6.2f} s  {len(rows) / sec:>10,.0f} postings/s  {100 * sec / total:5.1f}%"
        )
    print(f"    {'total':26s} {total:6.2f} s  {len(rows) / total:>10,.0f} postings/s per core")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--postings", type=int, default=1_000_000)
    ap.add_argument("--baseline", type=int, default=100_000)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--dir", type=Path, default=REPO / "bench-out")
    ap.add_argument("--stages", type=int, default=20_000, help="postings for the per-stage profile")
    ap.add_argument("--stages-only", action="store_true", help="only the per-stage CPU profile")
    args = ap.parse_args()
    args.dir.mkdir(exist_ok=True)
    if args.stages_only:
        stage_profile(
            make_corpus(args.dir / f"corpus_{args.baseline}.jsonl", args.baseline), args.stages
        )
        return
    results = {}
    for n in (args.baseline, args.postings):
        corpus = make_corpus(args.dir / f"corpus_{n}.jsonl", n)
        mb = corpus.stat().st_size / 1e6
        print(f"ingest {n:,} postings ({mb:,.0f} MB), {args.workers} workers")
        elapsed, peak = ingest(corpus, args.dir / f"bench_{n}.duckdb", args.workers)
        q = share_query_ms(args.dir / f"bench_{n}.duckdb")
        results[n] = (elapsed, peak, q)
        print(
            f"    {elapsed:,.1f} s  {n / elapsed:,.0f} postings/s  {mb / elapsed:,.1f} MB/s  "
            f"peak RSS {peak / 2**30:.2f} GiB  role x term shares {q:,.0f} ms"
        )
    (e0, p0, _), (e1, p1, q1) = results[args.baseline], results[args.postings]
    rate0, rate1 = args.baseline / e0, args.postings / e1
    print(
        f"\n{args.postings:,} vs {args.baseline:,}: throughput ratio {rate1 / rate0:.2f}, "
        f"peak RSS ratio {p1 / p0:.2f}"
    )
    print(
        f"targets: <= 120 s ({e1:.0f} s), >= 8,000 postings/s ({rate1:,.0f}), "
        f"RSS <= 2 GiB ({p1 / 2**30:.2f}), shares <= 200 ms ({q1:.0f} ms)"
    )
    if args.stages:
        stage_profile(args.dir / f"corpus_{args.baseline}.jsonl", args.stages)


if __name__ == "__main__":
    main()

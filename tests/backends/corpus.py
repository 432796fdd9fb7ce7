"""A planted corpus for the backend parity suite: every de-duplication case the rule distinguishes.

Rows all have the same keys (id, title, description, date_posted, company) so the field mapping
does not depend on how many rows the first batch holds. ``PLANTED`` names the records whose fate is
known in advance (by their ``id``): kept, exact, near, seen.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from tests.synth import TECH, TITLES, WORDS

MONTHS = ["2024-01", "2024-02", "2024-03", "2024-04"]


def _words(rng: random.Random, n: int) -> list[str]:
    return [rng.choice(WORDS) + str(rng.randint(0, 999)) for _ in range(n)]


def _row(
    pid: str, title: str, words: list[str], date: str | None, extra: str = ""
) -> dict[str, object]:
    return {
        "id": pid,
        "title": title,
        "description": " ".join(words) + extra,
        "date_posted": date,
        "company": f"Company {pid}",
    }


def _mutate(rng: random.Random, words: list[str], positions: range | list[int]) -> list[str]:
    out = list(words)
    for k in positions:
        out[k] = "changed" + str(rng.randint(0, 10**6))
    return out


def build(seed: int = 11, n_base: int = 160) -> tuple[list[dict[str, object]], dict[str, str]]:
    """(rows in arrival order, planted id -> expected kind)."""
    rng = random.Random(seed)
    rows: list[dict[str, object]] = []
    planted: dict[str, str] = {}
    for i in range(n_base):
        tech = ", ".join(rng.sample(TECH, 3))
        month = MONTHS[i % len(MONTHS)]
        date = None if i % 37 == 5 else f"{month}-{10 + i % 15}"
        # ambiguous words beside real mentions: "go to market", "R&D", "spark joy"
        extra = f". Uses {tech}. We go to market fast; R&D budget; ideas that spark joy."
        rows.append(_row(f"b{i}", TITLES[i % len(TITLES)], _words(rng, 60), date, extra))

    # exact duplicate re-rendered (HTML, case, whitespace) in the same month
    a = _words(rng, 60)
    rows.append(_row("exact-a", "Data Engineer", a, "2024-02-03", " Python and SQL."))
    rows.append(
        _row(
            "exact-b",
            "DATA  engineer",
            [w.upper() for w in a],
            "2024-02-20",
            " <b>Python</b> and SQL.",
        )
    )
    planted |= {"exact-a": "new", "exact-b": "exact"}

    # the same record twice from the same file (a re-read): seen, counted as a duplicate
    rows.append(dict(rows[130]))
    planted["seen:b130"] = "seen"

    # near duplicate: 3 words of 60 changed
    n = _words(rng, 60)
    rows.append(_row("near-a", "Machine Learning Engineer", n, "2024-03-02", " PyTorch."))
    rows.append(
        _row(
            "near-b",
            "Machine Learning Engineer",
            _mutate(rng, n, [5, 30, 50]),
            "2024-03-09",
            " PyTorch.",
        )
    )
    # same text but another level: not a duplicate
    rows.append(_row("near-lvl", "Senior Machine Learning Engineer", n, "2024-03-11", " PyTorch."))
    planted |= {"near-a": "new", "near-b": "near", "near-lvl": "new"}

    # chain: A ~ B, B ~ C, A !~ C; B is a duplicate, so C (compared with kept A only) is kept
    c = _words(rng, 60)
    b = _mutate(rng, c, range(10))  # a block of 10 words: 14 shingles differ
    cc = _mutate(rng, b, range(50, 60))  # then another block at the end
    rows.append(_row("chain-a", "Data Scientist", c, "2024-01-05", " R and SQL."))
    rows.append(_row("chain-b", "Data Scientist", b, "2024-01-06", " R and SQL."))
    rows.append(_row("chain-c", "Data Scientist", cc, "2024-01-07", " R and SQL."))
    planted |= {"chain-a": "new", "chain-b": "near", "chain-c": "new"}

    # cross-month repost: counts again next month; within that month its copy is exact
    r = _words(rng, 60)
    rows.append(_row("month-a", "Data Analyst", r, "2024-01-28", " Tableau."))
    rows.append(_row("month-b", "Data Analyst", r, "2024-02-02", " Tableau."))
    rows.append(_row("month-c", "Data Analyst", r, "2024-02-25", " Tableau."))
    planted |= {"month-a": "new", "month-b": "new", "month-c": "exact"}

    # a near duplicate X of K, then Y with X's fingerprint but other words ("data base" vs
    # "database"): Y must not be an exact duplicate of the (unkept) X
    k = _words(rng, 60)
    x = [*_mutate(rng, k, [10, 40]), "data", "base"]
    y = [*_mutate(rng, k, [10, 40]), "database"]
    y[10], y[40] = x[10], x[40]
    rows.append(_row("fp-k", "Software Engineer", k, "2024-04-01", ""))
    rows.append(_row("fp-x", "Software Engineer", x, "2024-04-02", ""))
    rows.append(_row("fp-y", "Software Engineer", y, "2024-04-03", ""))
    planted |= {"fp-k": "new", "fp-x": "near", "fp-y": "near"}

    # a posting with no text, then one whose text is that title: near only if kept postings
    # without text are candidates in a batch as they are in the store
    rows.append(_row("empty-a", "Data Engineer Platform Team Berlin", [], "2024-04-05", ""))
    rows.append(
        {
            "id": "empty-b",
            "title": "",
            "description": "Data Engineer Platform Team Berlin",
            "date_posted": "2024-04-06",
            "company": "Company empty-b",
        }
    )
    planted |= {"empty-a": "new", "empty-b": "near"}
    return rows, planted


def write(dir_: Path, rows: list[dict[str, object]]) -> list[Path]:
    """The rows as two files read in order: the first 100 as Parquet (small row groups), the rest
    as JSON Lines with a blank line and a malformed line in it (two rejects)."""
    dir_.mkdir(parents=True, exist_ok=True)
    pq_path = dir_ / "first.parquet"
    head = rows[:100]
    pq.write_table(pa.Table.from_pylist(head), pq_path, row_group_size=17)
    lines = [json.dumps(r) for r in rows[100:]]
    lines.insert(5, "")
    lines.insert(9, '{"id": "broken", "title": ')
    lines.insert(20, json.dumps({"id": "no-text", "title": None, "description": None,
                                 "date_posted": None, "company": None}))  # fmt: skip
    jl = dir_ / "rest.jsonl"
    jl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [pq_path, jl]

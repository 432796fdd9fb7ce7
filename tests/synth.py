"""Synthetic postings for tests that need volume (resume after SIGKILL, reconciliation).

Each posting is made of random words so no two are near-duplicates, plus a few technology names so
extraction has work to do. Real postings are used wherever realism matters (``shared_data``).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

WORDS = [
    "build",
    "ship",
    "data",
    "models",
    "pipeline",
    "team",
    "customers",
    "scale",
    "platform",
    "product",
    "design",
    "review",
    "deploy",
    "monitor",
    "improve",
    "research",
    "analyse",
    "report",
    "service",
    "quality",
    "growth",
    "users",
    "mobile",
    "cloud",
    "secure",
    "fast",
    "reliable",
    "modern",
    "experiment",
    "measure",
    "dashboards",
    "features",
    "systems",
    "clients",
    "partners",
    "global",
    "remote",
]
TECH = ["Python", "SQL", "Spark", "AWS", "Docker", "Kubernetes", "TensorFlow", "PyTorch", "Java"]
TITLES = [
    "Machine Learning Engineer",
    "Senior Data Scientist",
    "Data Engineer",
    "Software Engineer",
    "Data Analyst",
]


def posting(i: int, rng: random.Random) -> dict[str, object]:
    words = " ".join(rng.choice(WORDS) for _ in range(80))
    tech = ", ".join(rng.sample(TECH, 3))
    return {
        "id": f"p{i}",
        "title": rng.choice(TITLES),
        "company": f"Company {i % 97}",
        "description": f"<p>{words} {i}</p><ul><li>{tech}</li></ul>",
        "date_posted": f"2024-0{1 + i % 9}-1{i % 10}",
    }


def write_jsonl(path: Path, n: int, seed: int = 7) -> Path:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps(posting(i, rng)) + "\n")
    return path


def planted_postings(n: int, seed: int) -> list[dict[str, object]]:
    """Synthetic postings with planted role differences for the analysis tests: ML engineers ask
    for PyTorch and Kubernetes, data scientists for R, SQL and Tableau; a third state a salary;
    two sources ("a", "b")."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        p = posting(i, rng)
        if "Machine Learning" in str(p["title"]):
            p["description"] = str(p["description"]) + " PyTorch and Kubernetes."
        elif "Scientist" in str(p["title"]):
            p["description"] = str(p["description"]) + " R, SQL and Tableau."
        p["salary"] = f"${rng.randint(80, 200)}k" if i % 3 == 0 else None
        p["source_name"] = "a" if i % 2 else "b"
        rows.append(p)
    return rows


def write_rows(path: Path, rows: list[dict[str, object]]) -> Path:
    """Rows as a JSON Lines file."""
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path

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

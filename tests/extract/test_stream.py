"""The IO of ``skillgauge extract``: plain text or JSONL in, one JSON line per text out."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from skillgauge.exceptions import InputError
from skillgauge.extract.stream import detect_mode, extract_stream
from skillgauge.taxonomy.loader import load_taxonomy

SMALL = Path(__file__).resolve().parents[1] / "data" / "taxonomy_small.yaml"


def run(text: str, mode: str = "auto") -> list[dict[str, object]]:
    out = io.StringIO()
    extract_stream(io.StringIO(text), out, load_taxonomy(SMALL), mode=mode)  # type: ignore[arg-type]
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_plain_text_ids_are_line_numbers() -> None:
    rows = run("Python and R&D\n\nC/C++\n")
    assert [r["id"] for r in rows] == ["1", "2", "3"]
    assert rows[0]["terms"] == [
        {
            "id": "python",
            "label": "Python",
            "category": "language",
            "start": 0,
            "end": 6,
            "surface": "Python",
        }
    ]
    assert rows[1]["terms"] == []
    assert [t["id"] for t in rows[2]["terms"]] == ["c", "cpp"]  # type: ignore[union-attr]


def test_jsonl_keeps_ids() -> None:
    lines = [{"id": "a1", "text": "Kubernetes"}, {"id": 7, "text": None}, {"text": "Java"}]
    rows = run("\n".join(json.dumps(x) for x in lines) + "\n")
    assert [r["id"] for r in rows] == ["a1", 7, "3"]
    assert [len(r["terms"]) for r in rows] == [1, 0, 1]  # type: ignore[arg-type]


def test_bad_jsonl_line() -> None:
    with pytest.raises(InputError, match="line 2"):
        run('{"id": 1, "text": "x"}\n{not json\n')


def test_detect_mode() -> None:
    assert detect_mode('{"id": 1, "text": "x"}') == "jsonl"
    assert detect_mode("{curly} text") == "text"
    assert detect_mode('{"id": 1}') == "text"
    assert detect_mode("Python") == "text"

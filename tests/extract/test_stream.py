"""The IO of ``skillgauge extract``: plain text or JSONL in, one JSON line per text out."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skillgauge.exceptions import InputError
from skillgauge.extract.matcher import Matcher
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


def _jsonl(n: int) -> str:
    texts = ["Python and SQL", "R&D with C/C++", "", "Kubernetes, Java not JavaScript", "nothing"]
    return "".join(
        json.dumps({"id": f"p{i}", "text": texts[i % len(texts)]}) + "\n"
        if i % 7
        else "\n"  # blank lines are skipped in JSONL but still counted as line numbers
        for i in range(n)
    )


@pytest.mark.parametrize("mode", ["jsonl", "text"])
def test_workers_give_the_serial_output_in_order(
    monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    import skillgauge.extract.stream as stream

    monkeypatch.setattr(stream, "CHUNK_LINES", 7)
    text = _jsonl(200)
    tax = load_taxonomy(SMALL)
    outputs = []
    for workers in (1, 2):
        out = io.StringIO()
        n = extract_stream(io.StringIO(text), out, tax, mode=mode, workers=workers)  # type: ignore[arg-type]
        outputs.append((n, out.getvalue()))
    assert outputs[0] == outputs[1]
    n, body = outputs[0]
    rows = [json.loads(line) for line in body.splitlines()]
    assert len(rows) == n
    if mode == "jsonl":
        assert n == 200 - len(range(0, 200, 7))
        assert [r["id"] for r in rows[:3]] == ["p1", "p2", "p3"]
    else:
        assert n == 200 and [r["id"] for r in rows[:3]] == ["1", "2", "3"]


@pytest.mark.parametrize("workers", [1, 2])
def test_bad_line_in_a_later_chunk_writes_every_line_before_it(
    monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    import skillgauge.extract.stream as stream

    monkeypatch.setattr(stream, "CHUNK_LINES", 5)
    good = [json.dumps({"id": i, "text": "Python"}) for i in range(40)]
    lines = [*good[:33], "{broken", *good[33:]]
    out = io.StringIO()
    with pytest.raises(InputError, match="line 34"):
        extract_stream(
            io.StringIO("\n".join(lines) + "\n"), out, load_taxonomy(SMALL), workers=workers
        )
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["id"] for r in rows] == list(range(33))


def test_values_orjson_would_change_or_refuse_pass_through() -> None:
    big = 123456789012345678901234567890
    lines = [f'{{"id": {big}, "text": "Python"}}', '{"id": NaN, "text": "SQL"}']
    rows = run("\n".join([*lines, '{"id": "s", "text": "\\ud800 Go"}']) + "\n")
    assert rows[0]["id"] == big and rows[0]["terms"][0]["id"] == "python"  # type: ignore[index]
    assert rows[1]["terms"][0]["id"] == "sql"  # type: ignore[index]
    assert rows[2]["id"] == "s"


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet="ab Python\n\r\t{}é", max_size=120),
    chunk=st.integers(1, 6),
)
def test_text_mode_lines_are_the_streams_lines_whatever_the_chunking(text: str, chunk: int) -> None:
    """Ids are the line numbers iterating the stream gives, blank lines and a last line without a
    newline included, however the input is cut into chunks."""
    import skillgauge.extract.stream as stream

    tax = load_taxonomy(SMALL)
    renderer = stream.Renderer(tax, Matcher.from_taxonomy(tax))
    expected = [
        {"id": str(n), "terms": renderer.terms_of(line.rstrip("\r\n"))}
        for n, line in enumerate(io.StringIO(text), 1)
    ]
    old = stream.CHUNK_LINES
    stream.CHUNK_LINES = chunk
    try:
        out = io.StringIO()
        n = extract_stream(io.StringIO(text), out, tax, mode="text")
    finally:
        stream.CHUNK_LINES = old
    assert [json.loads(x) for x in out.getvalue().splitlines()] == expected
    assert n == len(expected)


def test_auto_mode_reads_past_blank_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    import skillgauge.extract.stream as stream

    monkeypatch.setattr(stream, "CHUNK_LINES", 3)
    rows = run("\n" * 20 + '{"id": "a", "text": "Python"}\n')
    assert [r["id"] for r in rows] == ["a"]


def test_a_reader_that_goes_away_stops_the_module_quietly(tmp_path: Path) -> None:
    """``python -m skillgauge.extract.stream big.jsonl | head -1``: exit 1, no traceback."""
    import subprocess
    import sys

    src = tmp_path / "in.txt"
    src.write_text("Python, SQL and Kubernetes\n" * 30_000)
    with src.open("rb") as fh:
        proc = subprocess.Popen(
            [sys.executable, "-m", "skillgauge.extract.stream", "--taxonomy", str(SMALL)],
            stdin=fh,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert proc.stdout is not None and proc.stderr is not None
        assert proc.stdout.read(10)
        proc.stdout.close()
        stderr = proc.stderr.read().decode()
        assert proc.wait(timeout=60) == 1
    assert "Traceback" not in stderr

"""The IO of ``skillgauge extract``: texts in on a stream, one JSON line of mentions out per text.

Input is either plain text (one text per line; ids "1", "2", ... by line number) or JSON Lines
``{"id": ..., "text": ...}``; ``mode="auto"`` decides from the first non-blank line (a JSON object
with a "text" key means JSONL). Output, one line per input line::

    {"id": "1", "terms": [{"id": "python", "label": "Python", "category": "language",
                           "start": 0, "end": 6, "surface": "Python"}]}

Why here and not in the CLI: the CLI is a thin typer layer; this module is also runnable as
``python -m skillgauge.extract.stream [--taxonomy PATH] [--extra PATH] [--replace]`` so the benchmark
can time the whole process without the rest of the package.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Literal, TextIO

from skillgauge.exceptions import InputError
from skillgauge.extract.matcher import Matcher
from skillgauge.taxonomy.loader import load_taxonomy
from skillgauge.taxonomy.model import Taxonomy

Mode = Literal["auto", "jsonl", "text"]
_BATCH = 512


def detect_mode(first_line: str) -> Literal["jsonl", "text"]:
    """JSONL when the line is a JSON object with a "text" key, else plain text."""
    stripped = first_line.strip()
    if stripped.startswith("{"):
        try:
            obj = json.loads(stripped)
        except ValueError:
            return "text"
        if isinstance(obj, dict) and "text" in obj:
            return "jsonl"
    return "text"


def _records(lines: Iterable[str], mode: Mode) -> Iterator[tuple[Any, str]]:
    """``(id, text)`` per input line; blank lines are texts too (so ids stay line numbers)."""
    it = iter(lines)
    pending: list[str] = []
    if mode == "auto":
        mode = "text"
        for line in it:
            pending.append(line)
            if line.strip():
                mode = detect_mode(line)
                break
    number = 0
    for line in _chain(pending, it):
        number += 1
        body = line.rstrip("\r\n")
        if mode == "text":
            yield str(number), body
            continue
        if not body.strip():
            continue
        try:
            obj = json.loads(body)
        except ValueError as exc:
            raise InputError(f"line {number}: not valid JSON ({exc})") from None
        if not isinstance(obj, dict):
            raise InputError(f"line {number}: expected a JSON object with 'id' and 'text'")
        text = obj.get("text")
        if text is not None and not isinstance(text, str):
            raise InputError(f"line {number}: 'text' must be a string")
        yield obj.get("id", str(number)), text or ""


def _chain(first: list[str], rest: Iterator[str]) -> Iterator[str]:
    yield from first
    yield from rest


def mention_rows(tax: Taxonomy, matcher: Matcher, text: str) -> list[dict[str, Any]]:
    """The "terms" list of one output line."""
    by_id = tax.by_id
    rows = []
    for m in matcher.find(text):
        term = by_id[m.term_id]
        rows.append(
            {
                "id": m.term_id,
                "label": term.label,
                "category": str(term.category),
                "start": m.start,
                "end": m.end,
                "surface": m.surface,
            }
        )
    return rows


def extract_stream(
    inp: TextIO, out: TextIO, tax: Taxonomy, matcher: Matcher | None = None, mode: Mode = "auto"
) -> int:
    """Read texts from ``inp``, write one JSON line per text to ``out``; returns the texts done."""
    matcher = matcher or Matcher.from_taxonomy(tax)
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    buffer: list[str] = []
    count = 0
    for rid, text in _records(inp, mode):
        buffer.append(dumps({"id": rid, "terms": mention_rows(tax, matcher, text)}))
        count += 1
        if len(buffer) >= _BATCH:
            out.write("\n".join(buffer) + "\n")
            buffer.clear()
    if buffer:
        out.write("\n".join(buffer) + "\n")
    return count


def main(argv: list[str] | None = None) -> int:
    """``python -m skillgauge.extract.stream``: stdin -> stdout."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--taxonomy", type=Path, default=None, help="a terms YAML (default: built-in)"
    )
    parser.add_argument(
        "--extra", type=Path, default=None, help="a user YAML/CSV of terms to merge"
    )
    parser.add_argument(
        "--replace", action="store_true", help="use --extra instead of the built-in"
    )
    parser.add_argument("--mode", choices=["auto", "jsonl", "text"], default="auto")
    args = parser.parse_args(argv)
    tax = load_taxonomy(args.taxonomy, extra=args.extra, replace=args.replace)
    stdin = open(sys.stdin.fileno(), encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115
    stdout = open(sys.stdout.fileno(), "w", encoding="utf-8", closefd=False)  # noqa: SIM115
    try:
        extract_stream(stdin, stdout, tax, mode=args.mode)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

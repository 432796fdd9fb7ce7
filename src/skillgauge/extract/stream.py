"""The IO of ``skillgauge extract``: texts in on a stream, one JSON line of mentions out per text.

Input is either plain text (one text per line; ids "1", "2", ... by line number) or JSON Lines
``{"id": ..., "text": ...}``; ``mode="auto"`` decides from the first non-blank line (a JSON object
with a "text" key means JSONL). Output, one line per input line, in input order::

    {"id": "1", "terms": [{"id": "python", "label": "Python", "category": "language",
                           "start": 0, "end": 6, "surface": "Python"}]}

How it is fast (``benchmarks/extract.py`` measures it as a whole process): the input is cut into
chunks of lines (``CHUNK_LINES`` lines or ``CHUNK_BYTES`` of text, whichever comes first), and each
chunk is parsed (orjson), matched and rendered (orjson) in one pure function, ``render_chunk``. The
first chunk runs in this process, so a short input never pays for starting workers; from the second
on, with ``workers > 1``, chunks go to a process pool that holds at most ``2 x workers`` of them at
once (memory stays bounded whatever the input's size) and their outputs are written in input order.
A bad JSON line stops the stream with its line number after every line before it has been written.

Why here and not in the CLI: the CLI is a thin typer layer; this module is also runnable as
``python -m skillgauge.extract.stream [--taxonomy PATH] [--extra PATH] [--replace] [--workers N]``
so the benchmark can time the whole process without the rest of the package.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TextIO

import orjson

from skillgauge import jsonio
from skillgauge.exceptions import InputError
from skillgauge.extract.matcher import Matcher
from skillgauge.parallel import worker_count
from skillgauge.taxonomy.loader import load_taxonomy
from skillgauge.taxonomy.model import Taxonomy

Mode = Literal["auto", "jsonl", "text"]

#: A chunk ends after this many lines or this many characters of text, whichever comes first:
#: large enough that handing it to a worker costs little beside matching it (~20 ms of work).
CHUNK_LINES = 2000
CHUNK_BYTES = 1 << 20


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


@dataclass(frozen=True, slots=True)
class Chunk:
    """Consecutive input lines; ``first`` is the 1-based number of the first one."""

    first: int
    lines: list[str]


@dataclass(frozen=True, slots=True)
class Rendered:
    """A chunk's output lines (newline-terminated, joined), how many, and the error that stopped it
    (the output then holds every line before the bad one)."""

    text: str
    count: int
    error: str | None = None


class Renderer:
    """Turns texts into output lines: the matcher plus, per term, its label and category.

    Plain data and a ``Matcher`` (which pickles by its aliases), so a worker process gets one copy.
    """

    def __init__(self, tax: Taxonomy, matcher: Matcher) -> None:
        self.matcher = matcher
        self.terms = {t.id: (t.label, str(t.category)) for t in tax.terms}

    def terms_of(self, text: str) -> list[dict[str, Any]]:
        """The "terms" list of one output line."""
        terms = self.terms
        rows = []
        for m in self.matcher.find(text):
            label, category = terms[m.term_id]
            rows.append(
                {
                    "id": m.term_id,
                    "label": label,
                    "category": category,
                    "start": m.start,
                    "end": m.end,
                    "surface": m.surface,
                }
            )
        return rows


def _dumps(record: dict[str, Any]) -> str:
    """One output line; the standard library for what orjson cannot encode (lone surrogates,
    integers beyond 64 bits)."""
    try:
        return orjson.dumps(record).decode()
    except (TypeError, orjson.JSONEncodeError):
        return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def render_chunk(renderer: Renderer, chunk: Chunk, mode: Literal["jsonl", "text"]) -> Rendered:
    """Parse, match and render one chunk (pure: the same chunk always gives the same output)."""
    out: list[str] = []
    number = chunk.first - 1
    for line in chunk.lines:
        number += 1
        body = line.rstrip("\r\n")
        if mode == "text":
            out.append(_dumps({"id": str(number), "terms": renderer.terms_of(body)}))
            continue
        if not body.strip():
            continue
        try:
            obj = jsonio.loads(body)
        except ValueError as exc:
            return _stop(out, f"line {number}: not valid JSON ({exc})")
        if not isinstance(obj, dict):
            return _stop(out, f"line {number}: expected a JSON object with 'id' and 'text'")
        text = obj.get("text")
        if text is not None and not isinstance(text, str):
            return _stop(out, f"line {number}: 'text' must be a string")
        out.append(
            _dumps({"id": obj.get("id", str(number)), "terms": renderer.terms_of(text or "")})
        )
    return _stop(out, None)


def _stop(out: list[str], error: str | None) -> Rendered:
    """The lines rendered so far, and the error that stopped the chunk (``None``: it ended)."""
    return Rendered("".join(s + "\n" for s in out), len(out), error)


def chunks(lines: Iterable[str], mode: Mode) -> tuple[Literal["jsonl", "text"], Iterator[Chunk]]:
    """The decided mode and the input cut into chunks (auto mode reads up to the first non-blank
    line to decide; blank lines are texts in text mode, so ids stay line numbers)."""
    it = iter(lines)
    pending: list[str] = []
    decided: Literal["jsonl", "text"] = "text" if mode == "auto" else mode
    if mode == "auto":
        for line in it:
            pending.append(line)
            if line.strip():
                decided = detect_mode(line)
                break

    def cut() -> Iterator[Chunk]:
        first = 1
        buf = pending[:]
        size = sum(len(x) for x in buf)
        for line in it:
            buf.append(line)
            size += len(line)
            if len(buf) >= CHUNK_LINES or size >= CHUNK_BYTES:
                yield Chunk(first, buf)
                first += len(buf)
                buf, size = [], 0
        if buf:
            yield Chunk(first, buf)

    return decided, cut()


# -- the worker side: one Renderer per process, set once ---------------------------------------------

_WORKER: Renderer | None = None


def _init_worker(renderer: Renderer) -> None:
    global _WORKER
    _WORKER = renderer


def _render_in_worker(chunk: Chunk, mode: Literal["jsonl", "text"]) -> Rendered:
    assert _WORKER is not None, "the pool's initializer sets the renderer"
    return render_chunk(_WORKER, chunk, mode)


def extract_stream(
    inp: TextIO,
    out: TextIO,
    tax: Taxonomy,
    matcher: Matcher | None = None,
    mode: Mode = "auto",
    *,
    workers: int = 1,
) -> int:
    """Read texts from ``inp``, write one JSON line per text to ``out``, in order; returns the
    texts done. Raises ``InputError`` at a bad JSONL line, after writing every line before it.
    ``workers``: processes for the chunks after the first (0 = one per core, 1 = none)."""
    workers = worker_count(workers)
    renderer = Renderer(tax, matcher or Matcher.from_taxonomy(tax))
    decided, parts = chunks(inp, mode)
    first = next(parts, None)
    if first is None:
        return 0
    count = _write(out, render_chunk(renderer, first, decided))
    if workers <= 1:
        for chunk in parts:
            count += _write(out, render_chunk(renderer, chunk, decided))
        return count
    second = next(parts, None)
    if second is None:
        return count
    with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(renderer,)) as pool:
        window: deque[Future[Rendered]] = deque()
        try:
            for chunk in _chain([second], parts):
                window.append(pool.submit(_render_in_worker, chunk, decided))
                if len(window) >= 2 * workers:
                    count += _write(out, window.popleft().result())
            while window:
                count += _write(out, window.popleft().result())
        except BaseException:
            for f in window:
                f.cancel()
            raise
    return count


def _chain(first: list[Chunk], rest: Iterator[Chunk]) -> Iterator[Chunk]:
    yield from first
    yield from rest


def _write(out: TextIO, rendered: Rendered) -> int:
    out.write(rendered.text)
    if rendered.error is not None:
        raise InputError(rendered.error)
    return rendered.count


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
    parser.add_argument(
        "--workers", type=int, default=0, help="worker processes (0 = one per core)"
    )
    args = parser.parse_args(argv)
    tax = load_taxonomy(args.taxonomy, extra=args.extra, replace=args.replace)
    stdin = open(sys.stdin.fileno(), encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115
    stdout = open(sys.stdout.fileno(), "w", encoding="utf-8", closefd=False)  # noqa: SIM115
    try:
        extract_stream(stdin, stdout, tax, mode=args.mode, workers=args.workers)
        stdout.flush()
    except InputError as exc:
        stdout.flush()
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader went away (| head): stop quietly, as the CLI does
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The compiled whitespace collapse (``clean._spaces``) returns exactly what the pure-Python
``text.collapse_whitespace`` returns, for any string (every width of ``str``: ASCII, Latin-1, BMP,
astral), and ``normalize_text`` on real postings is unchanged by it."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skillgauge.clean import text as text_module
from skillgauge.clean.text import collapse_whitespace, html_to_text

try:
    from skillgauge.clean._spaces import collapse_whitespace as compiled
except ImportError:  # pragma: no cover - depends on the build
    compiled = None

needs_compiled = pytest.mark.skipif(compiled is None, reason="skillgauge.clean._spaces not built")

PIECES = [
    " ",
    "  ",
    "\t",
    "\n",
    "\n\n",
    "\n\n\n",
    " \n ",
    "\r",
    "\x0b",
    "\xa0",
    "a",
    "bc",
    "é",
    "ÿ",
]
PIECES += ["\u2028", "\u3000", "и", "—", "🚀", "\U0001f600", "_", "."]
strings = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


@needs_compiled
@given(strings)
@settings(max_examples=5000, deadline=None)
def test_compiled_equals_python(text: str) -> None:
    assert compiled is not None
    assert compiled(text) == collapse_whitespace(text)


@needs_compiled
@given(st.text(max_size=60))
@settings(max_examples=3000, deadline=None)
def test_compiled_equals_python_on_any_text(text: str) -> None:
    assert compiled is not None
    assert compiled(text) == collapse_whitespace(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ""),
        ("  a  b  ", "a b"),
        ("a\t\tb", "a b"),
        ("a \n b", "a\nb"),
        ("a\n \n \n b", "a\n\nb"),
        ("a\n\n\n\n\nb", "a\n\nb"),
        ("\n\n a", "a"),
        ("é  🚀\n", "é 🚀"),
        ("a\rb", "a\rb"),  # only spaces, tabs and newlines are collapsed here
    ],
)
def test_collapse_cases(text: str, expected: str) -> None:
    assert collapse_whitespace(text) == expected
    if compiled is not None:
        assert compiled(text) == expected


@needs_compiled
def test_result_is_a_canonical_str() -> None:
    """Dropping the only wide character's neighbours keeps Python's canonical string form (a
    narrower kind compares equal and hashes the same)."""
    assert compiled is not None
    out = compiled("é \n 🚀")
    assert out == "é\n🚀" and hash(out) == hash("é\n🚀")
    assert compiled("ÿ  a") == "ÿ a"


@needs_compiled
@pytest.mark.shared
def test_normalize_text_unchanged_on_real_postings(
    shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = shared_data / "hn_whoishiring_2026" / "hn_jobs_2026.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as f:
        raw = [html_to_text(str(json.loads(line).get("text") or "")) for line in f]
    fast = [text_module.normalize_text(t) for t in raw]
    monkeypatch.setattr(text_module, "_collapse_whitespace", collapse_whitespace)
    slow = [text_module.normalize_text(t) for t in raw]
    assert len(raw) > 1000
    assert fast == slow

"""The compiled passes of ``normalize_text`` (``clean._spaces``) return exactly what the pure-Python
ones return: the whitespace collapse and the control scan, for any string (every width of ``str``:
ASCII, Latin-1, BMP, astral, lone surrogates), and ``normalize_text`` on real postings is unchanged
by them."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skillgauge.clean import text as text_module
from skillgauge.clean.text import collapse_whitespace, html_to_text

try:
    from skillgauge.clean._spaces import collapse_whitespace as compiled
    from skillgauge.clean._spaces import control_scan, mark_breaks
except ImportError:  # pragma: no cover - depends on the build
    compiled = control_scan = mark_breaks = None

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
    hn_2026_posts: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = [html_to_text(str(p.get("text") or "")) for p in hn_2026_posts]
    fast = [text_module.normalize_text(t) for t in raw]
    monkeypatch.setattr(text_module, "_collapse_whitespace", collapse_whitespace)
    monkeypatch.setattr(text_module, "_control_scan", None)
    slow = [text_module.normalize_text(t) for t in raw]
    assert len(raw) > 1000
    assert fast == slow


CONTROL_PIECES = [
    *PIECES,
    "\x00",
    "\x07",
    "\x1b",
    "\x7f",
    "\x1c",
    "\x85",
    "\u200b",
    "\u200d",
    "\ufeff",
]
CONTROL_PIECES += ["\u00ad", "\u202e", "\ud800", "\udc80", "\u2029", "\u2003", "日本", "\U0001d400"]
control_strings = st.lists(st.sampled_from(CONTROL_PIECES), max_size=40).map("".join)


def _pure_scan(text: str) -> tuple[bool, bool, set[str]]:
    raw = text.encode("utf-8", "surrogatepass")
    controls = len(raw.translate(None, text_module._ASCII_CONTROLS)) != len(raw)
    others = raw.translate(None, text_module._ASCII_BYTES).decode("utf-8", "surrogatepass")
    return controls, "\r" in text, set(others)


@needs_compiled
@given(st.one_of(control_strings, st.text(max_size=80)))
@settings(max_examples=4000, deadline=None)
def test_control_scan_equals_the_pure_scan(text: str) -> None:
    """The ASCII controls, the carriage returns and the distinct non-ASCII characters, each once
    (those of the BMP in order of first appearance, then the others); ``_strip_controls`` and
    ``normalize_text`` give the same text either way."""
    assert control_scan is not None
    controls, cr, distinct = control_scan(text)
    assert (controls, cr, set(distinct)) == _pure_scan(text)
    bmp = [c for c in dict.fromkeys(text) if 128 <= ord(c) < 65536]
    assert list(distinct) == bmp + sorted({c for c in text if ord(c) >= 65536})
    assert text_module._strip_controls(text) == text_module._strip_controls(text, compiled=False)
    assert text_module._scan(text, compiled=False)[:2] == (controls, cr)


@needs_compiled
@given(st.one_of(control_strings, st.text(max_size=80)))
@settings(max_examples=2000, deadline=None)
def test_normalize_text_equals_the_pure_path(text: str) -> None:
    fast = text_module.normalize_text(text)
    scan, collapse = text_module._control_scan, text_module._collapse_whitespace
    try:
        text_module._control_scan = None
        text_module._collapse_whitespace = collapse_whitespace
        assert text_module.normalize_text(text) == fast
    finally:
        text_module._control_scan, text_module._collapse_whitespace = scan, collapse


@needs_compiled
def test_control_scan_on_texts_of_many_distinct_characters() -> None:
    """Thousands of distinct characters (Chinese, astral letters), repeated: each comes once."""
    assert control_scan is not None
    chinese = "".join(chr(c) for c in range(0x4E00, 0x5E00))
    astral = "".join(chr(c) for c in range(0x1D400, 0x1D500))
    controls, cr, distinct = control_scan(chinese * 2 + "\x01" + astral[::-1] * 3 + "\r")
    assert controls and cr
    assert distinct == chinese + astral
    assert control_scan("plain ASCII\ttext\n") == (False, False, "")


TAG_PIECES = ["<", "</", "/", ">", " ", "\n", "_", "x", "1", "7", "é", "\u0130", "\u0131", "\u017f"]
TAG_PIECES += ["\u212a", "\u0661", "日", "🚀", "li", "LI", "Li", "td", "TH", "tr", "thead", "tbody"]
TAG_PIECES += ["p", "P", "pre", "h1", "H6", "h7", "hr", "header", "div", "DIV", "blockquote"]
TAG_PIECES += ["bloc\u212aquote", "\u017fection", "l\u0131", "d\u0130v", "figcaption", "a", "br/"]
TAG_PIECES += ["figcaptions", "summary", "span", "<p>", "<li>", "</td>", "<br/>", "&amp;", "<!--"]
markups = st.lists(st.sampled_from(TAG_PIECES), max_size=30).map("".join)


@needs_compiled
@given(st.one_of(markups, st.text(alphabet="<>/ lipdtrhé_1\u0131\u017f", max_size=60)))
@settings(max_examples=5000, deadline=None)
def test_mark_breaks_equals_the_regexes(markup: str) -> None:
    """The compiled pass puts the same markers before the same "<" as the three regexes, with
    their case-insensitive matching (İ and ı as i, ſ as s, the Kelvin sign as k) and their
    word boundary after the tag name."""
    assert mark_breaks is not None
    expected = text_module._mark_breaks_re(markup)
    assert mark_breaks(markup, text_module._BLOCK_NAMES) == expected


@needs_compiled
@pytest.mark.shared
def test_mark_breaks_unchanged_on_real_postings(hn_2026_posts: list[dict[str, Any]]) -> None:
    assert mark_breaks is not None
    markups = [str(p.get("text") or "") for p in hn_2026_posts]
    assert sum("<p>" in m for m in markups) > 1000
    for markup in markups:
        assert mark_breaks(markup, text_module._BLOCK_NAMES) == text_module._mark_breaks_re(markup)

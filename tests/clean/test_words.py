"""The compiled word bytes and fingerprint squeeze (``clean._words``) give exactly the bytes of the
pure-Python path, for any NFKC string (every width of ``str``, lone surrogates included) and on
real postings, so fingerprints and MinHash signatures in stores do not depend on the build."""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skillgauge.clean import dedupe
from skillgauge.clean.dedupe import _ASCII_LOWER, _word_of_char, fingerprint_words, word_bytes
from skillgauge.clean.text import clean_field, clean_text

try:
    from skillgauge.clean._words import lower_squeezed
except ImportError:  # pragma: no cover - depends on the build
    lower_squeezed = None

needs_compiled = pytest.mark.skipif(
    lower_squeezed is None, reason="skillgauge.clean._words not built"
)

PIECES = [" ", "\n", "a", "Bc", "RoleData", "C++", "1.5", "_", "é", "É", "ß", "İ", "ΐ", "ǅ", "ﬁ"]
PIECES += ["“", "”", "•", "—", "\xa0", "и", "Ж", "日本", "🚀", "𝐀", "\ud800", "\udfff", "Σ", "ς"]
strings = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


@needs_compiled
@given(strings)
@settings(max_examples=3000, deadline=None)
def test_compiled_word_bytes_equal_python(text: str) -> None:
    text = _nfkc(text)
    assert word_bytes(text, nfkc=True) == word_bytes(text, nfkc=True, compiled=False)


@needs_compiled
@given(st.text(max_size=80))
@settings(max_examples=3000, deadline=None)
def test_compiled_word_bytes_equal_python_on_any_text(text: str) -> None:
    assert word_bytes(text) == word_bytes(text, compiled=False)


def test_no_character_maps_to_one_that_maps_again() -> None:
    """Why mapping each character on its own equals the pure path's one replace per distinct
    character, in any order: what a character becomes holds no non-ASCII character that would
    change again, and no ASCII character but letters, digits and spaces. Checked over all of
    Unicode."""
    for cp in range(128, 0x110000):
        for c in _word_of_char(chr(cp)).decode("utf-8"):
            if ord(c) < 128:
                assert c.isalnum() or c == " ", hex(cp)
            else:
                assert _word_of_char(c) == c.encode("utf-8"), hex(cp)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Straße café", b"Strasse caf\xc3\xa9"),  # ASCII case kept, ß folded
        ("“Python” • SQL — ok", b" Python    SQL   ok"),
        ("İstanbul", b"i stanbul"),  # folds to i + a combining dot, not alphanumeric
        ("a\ud800b", b"a b"),
        ("RoleData 🚀", b"RoleData  "),
    ],
)
def test_word_bytes_cases(text: str, expected: bytes) -> None:
    assert word_bytes(text, compiled=False) == expected
    assert word_bytes(text) == expected


@needs_compiled
@given(st.binary(max_size=200))
@settings(max_examples=2000, deadline=None)
def test_lower_squeezed_equals_translate(words: bytes) -> None:
    assert lower_squeezed is not None
    assert lower_squeezed(words) == words.translate(_ASCII_LOWER, b" ")


@needs_compiled
@pytest.mark.shared
def test_fingerprints_and_word_bytes_unchanged_on_real_postings(
    hn_2026_posts: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    pairs = [
        (clean_field(str(p.get("title") or "")), clean_text(str(p.get("text") or "")))
        for p in hn_2026_posts
    ]
    assert len(pairs) > 1000 and sum(not t.isascii() for _, t in pairs) > 500

    def run() -> tuple[list[bytes], list[str]]:
        words = [word_bytes(t, nfkc=True) for _, t in pairs]
        fps = [
            fingerprint_words(word_bytes(title, nfkc=True), w)
            for (title, _), w in zip(pairs, words, strict=True)
        ]
        return words, fps

    fast = run()
    monkeypatch.setattr(dedupe, "_compiled_word_bytes", None)
    monkeypatch.setattr(dedupe, "_lower_squeezed", None)
    assert run() == fast

"""The fast matcher equals the regex-trie reference on generated texts (property test)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skillgauge.extract.matcher import Matcher, ReferenceMatcher
from skillgauge.taxonomy.loader import load_taxonomy

SMALL = Path(__file__).resolve().parents[1] / "data" / "taxonomy_small.yaml"
MATCHER = Matcher.from_taxonomy(load_taxonomy(SMALL))
REFERENCE = ReferenceMatcher(MATCHER)

# Pieces that stress the boundary and overlap rules: aliases in several cases, their prefixes and
# extensions, separators, non-ASCII letters and punctuation.
ALIASES = sorted({e.text for e in MATCHER.entries})
PIECES = [
    *ALIASES,
    *(a.lower() for a in ALIASES),
    *(a.upper() for a in ALIASES),
    "ite",
    "s",
    "x",
    "3",
    "_",
    "+",
    "#",
    ".",
    "/",
    "-",
    "&",
    "'s",
    " ",
    ", ",
    "\n",
    "é",
    "İ",
    "–",
    "ASP",
    "example",
    "level",
    "d",
    "to",
    "our",
    "programming",
    "pivot",
    "Series",
]
texts = st.lists(st.sampled_from(PIECES), max_size=25).map("".join)


@given(texts)
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_fast_equals_reference(text: str) -> None:
    assert MATCHER.find(text) == REFERENCE.find(text)
    assert MATCHER.term_ids(text) == {m.term_id for m in REFERENCE.find(text)}


@pytest.mark.slow
@given(texts)
@settings(max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_fast_equals_reference_many(text: str) -> None:
    assert MATCHER.find(text) == REFERENCE.find(text)

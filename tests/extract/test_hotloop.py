"""The compiled scan (``_hotloop``) and the pure-Python path give the same matches as the reference.

Skipped (with a reason) when the extension is not compiled in this installation; the pure-Python
path is covered by the other tests either way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skillgauge.extract.matcher import (
    COMPILED,
    AliasEntry,
    Matcher,
    ReferenceMatcher,
    _scan_tables,
)
from skillgauge.taxonomy.loader import load_taxonomy

SMALL = Path(__file__).resolve().parents[1] / "data" / "taxonomy_small.yaml"
TAX = load_taxonomy(SMALL)
PURE = Matcher.from_taxonomy(TAX, compiled=False)
REFERENCE = ReferenceMatcher(PURE)

needs_compiled = pytest.mark.skipif(not COMPILED, reason="skillgauge.extract._hotloop not built")

ALIASES = sorted({e.text for e in PURE.entries})
PIECES = [
    *ALIASES,
    *(a.lower() for a in ALIASES),
    *(a.upper() for a in ALIASES),
    *(a[:-1] for a in ALIASES if len(a) > 1),  # walks that fail one byte short
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
    " ",
    ", ",
    "\n",
    "é",
    "É",
    "İ",
    "–",
    "и",
    "🚀",
    "\ud800",  # a lone surrogate (encoded with surrogatepass)
    "٣",  # a non-ASCII digit is a word character
    "programming",
]
texts = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


@pytest.fixture(scope="module")
def compiled() -> Matcher:
    return Matcher.from_taxonomy(TAX, compiled=True)


def test_pure_path_is_pure() -> None:
    assert not PURE.compiled


@needs_compiled
def test_compiled_is_used_by_default() -> None:
    assert Matcher.from_taxonomy(TAX).compiled


@needs_compiled
@given(texts)
@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_compiled_equals_pure_and_reference(text: str) -> None:
    matcher = Matcher.from_taxonomy(TAX, compiled=True)
    found = matcher.find(text)
    assert found == PURE.find(text)
    assert found == REFERENCE.find(text)
    assert matcher.candidates(text) == PURE.candidates(text)
    assert matcher.term_ids(text) == PURE.term_ids(text)


@needs_compiled
@pytest.mark.parametrize(
    "text",
    [
        "",
        "R",
        "Spark S",  # the text ends inside a longer alias's walk: "Spark" is still found
        "Spark SQLite",
        "Spark SQL",
        ".NE",
        "x.NET .NET",
        "éR, R",
        "R é R\u00e9",
        "C++",
        "C++x C#",
        "Node.js.x Node.js",
        "CI/CDx CI/CD",
        "🚀Python🚀 ٣Python Python٣",
        "\ud800R\ud800 Go",
        "python3 Python 3 python",
    ],
)
def test_edge_cases(compiled: Matcher, text: str) -> None:
    assert compiled.find(text) == PURE.find(text) == REFERENCE.find(text)


#: Long enough (at least 256 bytes) for the scan to split the text into two halves at a comma or
#: a line break and run them side by side.
long_texts = st.lists(st.sampled_from(PIECES), min_size=60, max_size=160).map("".join)


@needs_compiled
@given(long_texts)
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_split_scan_equals_pure_and_reference(text: str) -> None:
    matcher = Matcher.from_taxonomy(TAX, compiled=True)
    assert matcher.find(text) == PURE.find(text) == REFERENCE.find(text)
    assert matcher.candidates(text) == PURE.candidates(text)


@needs_compiled
@pytest.mark.parametrize("sep", [",", "\n", ";"])
@pytest.mark.parametrize(
    "left, right",
    [
        ("Python", "SQL"),  # a match on each side of the split byte
        ("Spark S", "QL Spark"),  # a walk cut by the split byte: no "Spark SQL"
        ("x.NET", ".NET x"),
        ("données R", "R é"),  # non-ASCII: character offsets continue across the halves
        ("C++", "++C"),
        ("", "Go"),
    ],
)
def test_split_at_the_middle(compiled: Matcher, left: str, right: str, sep: str) -> None:
    """The split byte (the only one in the text, so the scan splits there whichever half it is
    in) with matches and walks touching it on both sides."""
    pad = "x " * 80
    for t in (pad + left + sep + right + " " + pad, pad[:-1] + left + sep + right + pad[:-40]):
        data = t.encode()
        assert compiled._scanner.split_point(t) == data.index(sep.encode())
        assert compiled.find(t) == PURE.find(t) == REFERENCE.find(t)


@needs_compiled
def test_rewinds_are_direct_where_nothing_was_recorded() -> None:
    """A walk through "data " that fails on "s" (no "data s..." alias) goes straight to the
    state of "s" read at a boundary, instead of a rewind step; with a valid alias on the way
    ("data" itself) the failure stays a special step, which emits it."""
    cls, ncls, trans, term, depth, _ = _scan_tables([b"data warehouse", b"sql"])

    def walk(text: bytes) -> int:
        state = 1
        for b in text:
            state = trans[state * ncls + cls[b]]
            assert state >= 0
        return state

    assert trans[walk(b"data ") * ncls + cls[ord("s")]] == walk(b"s")
    assert depth[walk(b"data ")] == 5
    cls, ncls, trans, term, _, _ = _scan_tables([b"data warehouse", b"data", b"sql"])
    node = walk(b"data")
    assert term[node] == 1 and trans[node * ncls + cls[ord(" ")]] <= -2  # recorded, goes on
    node = -2 - trans[node * ncls + cls[ord(" ")]]
    assert trans[node * ncls + cls[ord("s")]] == -1


@needs_compiled
@pytest.mark.shared
def test_compiled_scan_on_real_postings(hn_2026_posts: list[dict[str, Any]]) -> None:
    """The compiled scan (split texts and direct rewinds included) finds what the pure path finds
    on 3,000 real HN posts."""
    texts_ = [str(p.get("text") or "") for p in hn_2026_posts[:3000]]
    full = load_taxonomy()
    compiled = Matcher.from_taxonomy(full, compiled=True)
    pure = Matcher.from_taxonomy(full, compiled=False)
    assert sum(1 for t in texts_ if compiled._scanner.split_point(t) > 0) > 1000
    for text in texts_:
        assert compiled._scan(text) == pure._scan(text)


def test_case_dropped_match_still_hides_what_it_overlaps() -> None:
    entries = [
        AliasEntry("rd", "other", "R D", True, False),
        AliasEntry("d", "language", "D", True, False),
    ]
    ref = ReferenceMatcher(Matcher(entries, compiled=False))
    for compiled in (False, True) if COMPILED else (False,):
        m = Matcher(entries, compiled=compiled)
        # "r D": "r d" is the longest alias at 0, dropped by its case; it still hides "D"
        assert m.find("r D") == ref.find("r D") == []
        assert [x.term_id for x in m.find("R D, D")] == ["rd", "d"]


def test_non_ascii_alias_uses_the_pure_path() -> None:
    entries = [AliasEntry("cafe", "other", "Café", False, False)]
    m = Matcher(entries)
    assert not m.compiled
    assert [x.surface for x in m.find("Café, CAFé")] == ["Café", "CAFé"]
    with pytest.raises(ValueError, match="ASCII"):
        Matcher(entries, compiled=True)
    with pytest.raises(ValueError, match="ASCII"):
        _scan_tables(["café".encode()])


def test_scan_tables_shape() -> None:
    cls, ncls, trans, term, depth, flags = _scan_tables([b"go", b"c++", b"r"])
    assert len(cls) == 256 and len(trans) == len(term) * ncls
    assert len(depth) == len(flags) == len(term)
    assert cls[ord("G")] == cls[ord("g")]  # ASCII folding is in the byte columns
    assert sorted(t for t in term if t >= 0) == [0, 1, 2]


@given(st.lists(texts, max_size=6))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_find_columns_is_find_many_flattened(batch: list[str]) -> None:
    """The pipeline's columnar ``find_columns`` finds exactly what ``find_many`` finds, on both
    engines (empty texts included: they keep their index)."""
    batch = ["", *batch, ""]
    flat = [
        (i, m.term_id, m.start, m.end, m.surface)
        for i, ms in enumerate(PURE.find_many(batch))
        for m in ms
    ]
    for matcher in (PURE, Matcher.from_taxonomy(TAX)):  # the compiled loop is checked too
        found = matcher.find_columns(batch)
        assert list(zip(*found, strict=True)) == flat

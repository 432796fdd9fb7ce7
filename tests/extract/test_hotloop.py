"""The compiled scan (``_hotloop``) and the pure-Python path give the same matches as the reference.

Skipped (with a reason) when the extension is not compiled in this installation; the pure-Python
path is covered by the other tests either way.
"""

from __future__ import annotations

from pathlib import Path

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

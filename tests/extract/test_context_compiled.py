"""The compiled context rules (``_context.Decider``) decide exactly as ``context.ContextJudge``.

``Matcher(compiled=False)`` decides with ``ContextJudge`` in Python; the default matcher uses the
compiled rules when they are built. Both must keep the same candidates on any text: generated
texts around the cues, windows and Unicode case corners, the packaged taxonomy's rules on
generated texts, and (marked ``shared``) real postings. Skipped with a reason when the extension
is not compiled in this installation.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skillgauge.extract.context import ContextJudge, Nearby
from skillgauge.extract.matcher import COMPILED_CONTEXT, AliasEntry, Matcher
from skillgauge.taxonomy.loader import load_taxonomy
from skillgauge.taxonomy.model import ContextRule

needs_compiled = pytest.mark.skipif(
    not COMPILED_CONTEXT, reason="skillgauge.extract._context not built"
)

# A small rule set built for the corners: cues with the letters re's IGNORECASE matches with
# non-ASCII characters (i: İ and dotless ı, s: long ſ, k: the Kelvin sign), a multi-word cue, a
# cue with punctuation, near categories, and reject regexes before and after.
ENTRIES = [
    AliasEntry("r", "language", "R", True, True),
    AliasEntry("go", "language", "Go", False, True),
    AliasEntry("kiss", "other", "kiss", False, True),
    AliasEntry("norule", "other", "zz", False, True),  # needs context, has no rule: dropped
    AliasEntry("python", "language", "Python", False, False),
    AliasEntry("sql", "data-store", "SQL", False, False),
    AliasEntry("excel", "bi", "Excel", False, False),
]
CONTEXTS = {
    "r": ContextRule(
        cues=("statistics", "data science", "ggplot2", "c#", ".net", "ski"),
        near_categories=("language",),
        window=12,
        reject_before=(r"\bh&$", r"\d\s*$", r"\w-$"),
        reject_after=(r"&\s*d", r"^\.\s?[A-Z]\."),
    ),
    "go": ContextRule(
        cues=("golang", "kiss", "services"),
        near_categories=("data-store", "language"),
        window=20,
        reject_before=(r"\b(?:to|will|let's)\s+$",),
        reject_after=(r"^\s+(?:for|ahead)\b",),
    ),
    "kiss": ContextRule(cues=("is", "sk"), window=5),
}
PIECES = [
    "R",
    "r",
    "Go",
    "go",
    "kiss",
    "zz",
    "Python",
    "SQL",
    "Excel",
    "statistics",
    "STATISTICS",
    "data science",
    "Data  Science",
    "ggplot2",
    "c#",
    "C#",
    ".net",
    ".NET",
    "ski",
    "SKİ",
    "skı",
    "ſki",
    "\u212aiss",  # KELVIN SIGN + iss
    "golang",
    "GoLang",
    "services",
    "is",
    "Is",
    "ıs",
    "sk",
    "H&",
    "&D",
    ".J.",
    "to ",
    "will ",
    "let's ",
    " for",
    " ahead",
    "3",
    "-",
    "_",
    " ",
    ", ",
    "\n",
    "é",
    "ß",
    "٣",
    "🚀",
]
texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


@pytest.fixture(scope="module")
def small_pair() -> tuple[Matcher, Matcher]:
    return Matcher(ENTRIES, CONTEXTS), Matcher(ENTRIES, CONTEXTS, compiled=False)


@needs_compiled
def test_default_matcher_uses_the_compiled_rules(small_pair: tuple[Matcher, Matcher]) -> None:
    compiled, pure = small_pair
    assert compiled._decider is not None
    assert pure._decider is None


@needs_compiled
@given(texts)
@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_compiled_rules_equal_context_judge(small_pair: tuple[Matcher, Matcher], text: str) -> None:
    compiled, pure = small_pair
    assert compiled.find(text) == pure.find(text)
    assert compiled.term_ids(text) == pure.term_ids(text)


@needs_compiled
@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("R, statistics", True),  # a cue after
        ("statistics: R", True),  # a cue before
        ("SKİ R", True),  # İ is i for re.IGNORECASE
        ("skı R", True),  # and so is the dotless ı
        ("ſki R", True),  # and the long s is s
        ("skiing R", False),  # a cue must end at a word boundary
        ("xski R", False),  # and start at one
        ("H&R, statistics", False),  # reject before wins over a cue
        ("R&D statistics", False),  # reject after
        ("Python, R", True),  # a near category
        ("zz statistics", False),  # no rule: dropped
    ],
)
def test_compiled_rules_on_corners(
    small_pair: tuple[Matcher, Matcher], text: str, found: bool
) -> None:
    compiled, pure = small_pair
    ids = compiled.term_ids(text)
    assert ("r" in ids) is found
    assert compiled.find(text) == pure.find(text)


def test_cue_characters_are_those_re_matches() -> None:
    """The characters the compiled cue rule takes for an ASCII letter are exactly those that
    ``re.IGNORECASE`` matches: its simple lower case, plus re's fixes (checked over every code
    point, so a Python whose case tables change fails here)."""
    letter = re.compile("[a-z]", re.IGNORECASE)
    matched = {c for c in range(0x80, 0x110000) if letter.fullmatch(chr(c))}
    assert matched == {0x130, 0x131, 0x17F, 0x212A}
    for c in sorted(matched):
        lowered = chr(c).lower()[:1]
        fixed = {0x131: "i", 0x17F: "s"}.get(c, lowered)
        for x in "abcdefghijklmnopqrstuvwxyz":
            assert bool(re.fullmatch(x, chr(c), re.IGNORECASE)) is (x == fixed)


# The packaged taxonomy: every rule it ships, on texts built from its own cues and aliases.
TAX = load_taxonomy()
FULL = Matcher.from_taxonomy(TAX)
FULL_PURE = Matcher.from_taxonomy(TAX, compiled=False)
RULE_PIECES = sorted(
    {c for t in TAX.terms if t.context for c in t.context.cues}
    | {a.text for t in TAX.terms if t.context for a in t.aliases}
)
rule_texts = st.lists(
    st.one_of(st.sampled_from(RULE_PIECES), st.sampled_from([" ", ", ", "-", "&", ".", "\n", "3"])),
    max_size=30,
).map("".join)


@needs_compiled
@given(rule_texts)
@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_packaged_rules_compiled_equal_python(text: str) -> None:
    assert FULL.find(text) == FULL_PURE.find(text)


@needs_compiled
@pytest.mark.shared
def test_packaged_rules_on_real_postings(hn_2026_posts: list[dict[str, Any]]) -> None:
    """Every decision on 3,000 real HN posts (the compiled rules against ``ContextJudge``)."""
    texts_ = [str(p.get("text") or p.get("full_html") or "") for p in hn_2026_posts[:3000]]
    assert sum(1 for t in texts_ if t) > 1000
    decided = 0
    for text in texts_:
        cands, n_ctx = FULL._scan(text)
        decided += n_ctx
        assert FULL._decide(text, cands) == FULL_PURE._decide(text, cands)
    assert decided > 1000


def test_joined_reject_regexes_answer_as_each_one() -> None:
    """``ContextJudge`` joins a rule's reject regexes into one search (and turns the ones before a
    match around) where the meaning cannot change; a back-reference keeps its own regex."""
    rule = ContextRule(
        cues=("x",),
        reject_before=(r"\bh&$", r"\d\s*$", r"(a)\1$"),
        reject_after=(r"&\s*d", r"^\s*-"),
    )
    judge = ContextJudge(rule)
    assert judge.has_reject_before
    assert len(judge.reject_after) == 1
    nearby = Nearby([], [], [])
    for before, after, accepted in [
        ("x h&", "", False),
        ("x 3 ", "", False),
        ("x aa", "", False),
        ("x ab", "", True),
        ("x ", "& d", False),
        ("x ", " - y", False),
        ("x ", " y", True),
    ]:
        text = before + "Z" + after
        start = len(before)
        assert judge.accepts(text, start, start + 1, nearby) is accepted, (before, after)


@needs_compiled
def test_compiled_find_builds_real_mentions() -> None:
    """``find``'s compiled path sets the slots of real ``Mention`` objects: equal, hashable and
    still frozen, as the pure path's."""
    from dataclasses import FrozenInstanceError

    from skillgauge.models import Mention

    text = "Python, R and SQL"
    found = FULL.find(text)
    assert found == FULL_PURE.find(text)
    assert [type(m) for m in found] == [Mention] * len(found)
    assert {m.term_id for m in found} >= {"python", "r", "sql"}
    assert hash(found[0]) == hash(Mention(found[0].term_id, 0, 6, "Python"))
    with pytest.raises(FrozenInstanceError):
        found[0].start = 3  # type: ignore[misc]


@needs_compiled
def test_decider_refuses_a_class_that_is_not_mention_shaped() -> None:
    from skillgauge.extract import _context

    class Other:
        __slots__ = ("start", "term_id")

    with pytest.raises(ValueError, match="four Mention slots"):
        _context.Decider(*_decider_args(), mention=Other)


@needs_compiled
def test_decider_refuses_slots_it_cannot_store_into() -> None:
    """``mentions`` stores into the slots at their member descriptors' offsets: a class whose
    slot name is taken over by something else (here a property of a subclass) is refused."""
    from skillgauge.extract import _context

    class Base:
        __slots__ = ("term_id", "start", "end", "surface")  # noqa: RUF023 - Mention's order

    class Shadowed(Base):
        __slots__ = ()
        term_id = property(lambda self: "x")

    Shadowed.__slots__ = Base.__slots__  # type: ignore[assignment]  # passes the first check
    with pytest.raises(ValueError, match="'term_id' is not a member descriptor"):
        _context.Decider(*_decider_args(), mention=Shadowed)
    _context.Decider(*_decider_args(), mention=Base)  # the real shape is accepted


def _decider_args() -> list[object]:
    from array import array

    return [
        array("i", [-1]),
        array("i", [0]),
        array("i"),
        b"",
        1,
        array("I"),
        array("i", [0]),
        array("i", [0]),
        [],
        [],
        [],
        ["python"],
    ]

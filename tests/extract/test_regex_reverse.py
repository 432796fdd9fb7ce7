"""``regex_reverse``: the reversed regex, matched at the start of the reversed string, answers
exactly what the forward search answers (``re.search(pattern, s, re.IGNORECASE)``)."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skillgauge.extract.regex_reverse import reversed_suffix_pattern
from skillgauge.taxonomy.loader import load_taxonomy

# Every construct the reversal handles, anchored at the end as ContextJudge anchors them.
HAND = [
    r"(?:\bh&)$",
    r"(?:\d\s*)$",
    r"(?:\w-)$",
    r"(?:[A-Za-z]\.)$",
    r"(?:\b(?:dr|mr|mrs|ms)\.?\s+)$",
    r"(?:[^a-c]x)$",
    r"(?:a[^\d\W]b)$",
    r"(?:x.y)$",
    r"(?:ab+?c)$",
    r"(?:(?:ab){2,3})$",
    r"(?:(a|bc)*d)$",
    r"(?:^ab)$",
    r"(?:\Aab\s*)$",
    r"(?:\Bb)$",
    r"(?:(?<!\w)go\s+)$",
    r"(?:(?<=x)y)$",
    r"(?:y(?=\s))$",
    r"(?:y(?!\w))$",
    r"(?:°\s*)$",
    r"(?:é\u0130)$",
    r"(?:\U0001f680)$",
    r"(?P<g>ab)$",
    r"a|b$",  # the $ is inside the alternation: not reversible, stays forward
]
PACKAGED = sorted(
    {
        p if p.endswith("$") else f"(?:{p})$"
        for t in load_taxonomy().terms
        if t.context
        for p in t.context.reject_before
    }
)
ALPHABET = [*"abcdrmsxy-.&,/=+°é_ 3\n", "\u0130", "ı", "ſ", "\u212a", "\U0001f680", "Dr", "MR"]
strings = st.lists(st.sampled_from(ALPHABET), max_size=16).map("".join)


def _reversed_answer(reversed_: str, text: str) -> bool:
    rev = re.compile(reversed_, re.IGNORECASE)
    turned = text[::-1]
    return bool(rev.match(turned) or (turned[:1] == "\n" and rev.match(turned, 1)))


def test_packaged_patterns_are_all_reversible() -> None:
    assert PACKAGED
    assert all(reversed_suffix_pattern(p) is not None for p in PACKAGED)


@pytest.mark.parametrize(
    "pattern",
    [
        r"(a)\1$",  # a back-reference
        r"(?:a$b)$",  # a $ inside
        r"(?:(?=a+b)a)$",  # a look-ahead that would become a variable look-behind
        r"(?:(?>ab))$",  # an atomic group
        r"(?:a++)$",  # a possessive repeat
        r"(?s:a.)$",  # a scoped flag
        r"(?x)a b$",  # a global flag
        r"(?:ab)",  # not anchored at the end
        r"(?:(?(1)a|b))$",  # a conditional (does not even compile)
    ],
)
def test_unsupported_patterns_stay_forward(pattern: str) -> None:
    assert reversed_suffix_pattern(pattern) is None


@given(st.sampled_from(HAND + PACKAGED), strings)
@settings(max_examples=6000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_reversed_equals_forward_search(pattern: str, text: str) -> None:
    reversed_ = reversed_suffix_pattern(pattern)
    if reversed_ is None:
        assert pattern == r"a|b$"
        return
    forward = bool(re.search(pattern, text, re.IGNORECASE))
    assert _reversed_answer(reversed_, text) is forward


@pytest.mark.parametrize("pattern", HAND[:-1] + PACKAGED)
def test_reversed_on_fixed_cases(pattern: str) -> None:
    """The same comparison on strings that end like the windows of real postings."""
    reversed_ = reversed_suffix_pattern(pattern)
    assert reversed_ is not None
    for text in [
        "",
        "\n",
        "Dr. ",
        "series A ",
        "H&",
        "the 3 \n",
        "R&D, x-",
        "a, b, and ",
        "a / b / ",
        "plan  ",
        "see U.S. ",
        "abd",
        "xy ",
        "éİ",
        "🚀",
        "bcbcad",
        "ab",  # ^ and \A: the whole string
        "ab \n",
        " ab",
    ]:
        forward = bool(re.search(pattern, text, re.IGNORECASE))
        assert _reversed_answer(reversed_, text) is forward, (pattern, text)

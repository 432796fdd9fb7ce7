"""The cue search over the ASCII-folded text decides as the case-insensitive search does."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from skillgauge.extract.context import (
    _FOLDS_TO_ASCII,
    ContextJudge,
    Nearby,
    folded_for_cues,
)
from skillgauge.taxonomy.model import ContextRule

JUDGE = ContextJudge(
    ContextRule(cues=("statistics", "Shiny", "ggplot2", "data science"), window=30)
)
NO_NEAR = Nearby([], [], [])
ALPHABET = "RrStaisticsShinyggplot2dD ce_-.,\n\u0130\u0131\u017f\u212a\u00e9\u00c9\u00df"


def test_the_special_characters_are_all_there_are() -> None:
    """Every non-ASCII character re.IGNORECASE matches to an ASCII letter is in _FOLDS_TO_ASCII."""
    letter = re.compile("[a-z]", re.IGNORECASE)
    found = {chr(cp) for cp in range(128, 0x110000) if letter.fullmatch(chr(cp))}
    assert found and all(_FOLDS_TO_ASCII.fullmatch(c) for c in found)


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=80), st.data())
@example("R and STATISTICS", None)
@example("R and \u017ftati\u017ftics", None)  # long s: IGNORECASE matches it, the fold does not
@example("\u212aR shiny", None)
def test_fast_and_case_insensitive_cue_searches_agree(
    text: str, data: st.DataObject | None
) -> None:
    if not text:
        return
    start = data.draw(st.integers(0, len(text) - 1)) if data else 0
    end = data.draw(st.integers(start + 1, len(text))) if data else 1
    slow = JUDGE.accepts(text, start, end, NO_NEAR)
    fast = JUDGE.accepts(text, start, end, NO_NEAR, folded_for_cues(text))
    assert fast == slow

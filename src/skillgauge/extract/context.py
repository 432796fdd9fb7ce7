"""Boundary, case and context rules: the decisions the raw automaton cannot make.

Why a module of its own: the automaton only says "these characters spell an alias". Whether that
is a *mention* depends on the characters around it (token boundaries), on the original case (``R``
but not ``r``), and for ambiguous names on the words nearby (``R`` in "Python, R and SQL" but not in
"R&D"). Keeping these rules here, as small pure functions over ``(text, start, end)``, lets the
matcher and the regex reference of the benchmark share exactly one definition.

Boundary rule (the format spec): the character before a match is not a letter, digit or underscore;
the character after is not a letter, digit, underscore, ``+`` or ``#`` (so ``C`` does not match in
``C++`` or ``C#``). The rule is checked on the case-folded text, whose letters and digits are the
original's.

Context rule for an alias with ``needs_context``, in this order of precedence:

1. a ``reject_before`` regex matches the ``window`` characters before the match (anchored at their
   end), or a ``reject_after`` regex matches the ``window`` characters after it (anchored at their
   start): rejected;
2. a cue (a word or phrase, case-insensitive, whole words) occurs within ``window`` characters
   before or after: accepted;
3. an accepted context-free mention of a term whose category is in ``near_categories`` lies (even
   partly) within ``window`` characters: accepted ("Python, R, SQL");
4. otherwise rejected.

(``ContextJudge.accepts`` tests 2-3 before 1 because it is cheaper; the outcome is the same.)
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from skillgauge.extract.regex_reverse import reversed_suffix_pattern
from skillgauge.taxonomy.model import ContextRule

#: Characters that may not follow a match, besides letters, digits and underscore.
AFTER_FORBIDDEN = "+#"


def is_word_char(char: str) -> bool:
    """Letter, digit or underscore (the same set as ``re``'s ``\\w``)."""
    return char.isalnum() or char == "_"


def boundary_ok(folded: str, start: int, end: int) -> bool:
    """The token-boundary rule at ``folded[start:end]`` (see the module docstring)."""
    if start > 0:
        before = folded[start - 1]
        if before.isalnum() or before == "_":
            return False
    if end < len(folded):
        after = folded[end]
        if after.isalnum() or after == "_" or after in AFTER_FORBIDDEN:
            return False
    return True


def fold(text: str) -> str:
    """ASCII lower case: ``A``-``Z`` become ``a``-``z``, every other character is kept.

    Why ASCII only: technology names are ASCII, ASCII folding keeps one character per character
    (``str.lower`` turns ``İ`` into two), and it is what ``bytes.lower`` does at memory speed on the
    UTF-8 bytes the automaton scans. An alias with non-ASCII letters matches those letters exactly.
    """
    if text.isascii():
        return text.lower()
    return text.encode("utf-8", "surrogatepass").lower().decode("utf-8", "surrogatepass")


@dataclass(frozen=True, slots=True)
class Nearby:
    """Accepted context-free mentions of one text, for the near-category rule.

    ``starts``/``ends`` are sorted (mentions do not overlap), ``categories`` aligned with them.
    """

    starts: Sequence[int]
    ends: Sequence[int]
    categories: Sequence[str]


#: Back-references, named groups, conditionals and global inline flags: a pattern with any of
#: these keeps its own regex.
_NOT_JOINABLE = re.compile(r"\\[1-9]|\(\?P[=<]|\(\?\(|\(\?[aiLmsux]+\)")


def _any_of(patterns: Sequence[str]) -> list[re.Pattern[str]]:
    """Regexes equivalent to "any of ``patterns`` is found": one alternation where possible.

    Why: a rule has up to a dozen reject regexes, and ``re`` pays per search call and per start
    position; one search of ``(?:a)|(?:b)`` finds a match exactly when one of them does (a search
    tries every alternative at every position). Patterns whose meaning depends on group numbers
    or on inline flags are kept apart, so the answer never changes.
    """
    joinable = [p for p in patterns if not _NOT_JOINABLE.search(p)]
    out = [re.compile(p, re.IGNORECASE) for p in patterns if _NOT_JOINABLE.search(p)]
    if len(joinable) == 1:
        out.insert(0, re.compile(joinable[0], re.IGNORECASE))
    elif joinable:
        try:
            joined = re.compile("|".join(f"(?:{p})" for p in joinable), re.IGNORECASE)
        except re.error:  # pragma: no cover - each compiles alone (validated), so should this
            out[:0] = [re.compile(p, re.IGNORECASE) for p in joinable]
        else:
            out.insert(0, joined)
    return out


class ContextJudge:
    """A compiled ``ContextRule``: decides one ambiguous match of one term."""

    __slots__ = (
        "_before_reversed",
        "_cues",
        "_near",
        "_reject_after",
        "_reject_before",
        "rule",
        "window",
    )

    def __init__(self, rule: ContextRule) -> None:
        self.rule = rule
        self.window = rule.window
        self._near = frozenset(str(c) for c in rule.near_categories)
        cues = sorted({c.lower() for c in rule.cues}, key=len, reverse=True)
        self._cues = (
            re.compile(
                r"(?<!\w)(?:" + "|".join(re.escape(c) for c in cues) + r")(?!\w)", re.IGNORECASE
            )
            if cues
            else None
        )
        before = [p if p.endswith("$") else f"(?:{p})$" for p in rule.reject_before]
        turned = {p: reversed_suffix_pattern(p) for p in before if not _NOT_JOINABLE.search(p)}
        reversible = [r for r in turned.values() if r is not None]
        self._before_reversed = (
            re.compile("|".join(f"(?:{r})" for r in reversible), re.IGNORECASE)
            if reversible
            else None
        )
        self._reject_before = _any_of([p for p in before if turned.get(p) is None])
        self._reject_after = _any_of(
            [p if p.startswith("^") else f"^(?:{p})" for p in rule.reject_after]
        )

    @property
    def cue_pattern(self) -> re.Pattern[str] | None:
        """The compiled cue search (``None``: the rule has no cues)."""
        return self._cues

    @property
    def has_reject_before(self) -> bool:
        """Whether rule 1 has regexes for the characters before a match."""
        return bool(self._reject_before) or self._before_reversed is not None

    @property
    def reject_after(self) -> tuple[re.Pattern[str], ...]:
        """Regexes of rule 1 searched in the characters after a match (any one rejects it)."""
        return tuple(self._reject_after)

    def rejected_before(self, before: str) -> bool:
        """Rule 1 on ``before``, the ``window`` characters before a match: whether a
        ``reject_before`` regex matches at its end.

        The regexes ``regex_reverse`` can turn around are matched once at the start of the
        reversed window (``$`` also matches before a final newline: then at 1 as well); the
        others are searched forward.
        """
        rev = self._before_reversed
        if rev is not None:
            turned = before[::-1]
            if rev.match(turned) or (turned[:1] == "\n" and rev.match(turned, 1)):
                return True
        # loops, not any() over a generator: called ~50,000 times per 40 MB (0.4 us saved each)
        for r in self._reject_before:  # noqa: SIM110 - measured, see above
            if r.search(before):
                return True
        return False

    def rejected_after(self, after: str) -> bool:
        """Rule 1 on ``after``, the ``window`` characters after a match: whether a
        ``reject_after`` regex matches at its start."""
        for r in self._reject_after:  # noqa: SIM110 - a loop: see rejected_before
            if r.search(after):
                return True
        return False

    @property
    def near_categories(self) -> frozenset[str]:
        """Categories whose context-free mentions confirm a match nearby (rule 3)."""
        return self._near

    def accepts(self, text: str, start: int, end: int, nearby: Nearby) -> bool:
        """Whether the match ``text[start:end]`` is confirmed by its context.

        Evaluated cheapest first with the rule's result unchanged: most ambiguous matches have
        neither a cue nor a near term, and then the reject regexes need not run at all.
        """
        w = self.window
        lo = max(0, start - w)
        hi = end + w
        if not (self._near_term(lo, hi, nearby) or self._cue(text, lo, start, end, hi)):
            return False
        if self.has_reject_before and self.rejected_before(text[lo:start]):
            return False
        return not (self._reject_after and self.rejected_after(text[end:hi]))

    def _cue(self, text: str, lo: int, start: int, end: int, hi: int) -> bool:
        cues = self._cues
        return cues is not None and bool(cues.search(text, lo, start) or cues.search(text, end, hi))

    def _near_term(self, lo: int, hi: int, nearby: Nearby) -> bool:
        if not self._near:
            return False
        # first mention ending after the window's start; walk while it starts before its end
        i = bisect_right(nearby.ends, lo)
        starts = nearby.starts
        cats = nearby.categories
        while i < len(starts) and starts[i] < hi:
            if cats[i] in self._near:
                return True
            i += 1
        return False

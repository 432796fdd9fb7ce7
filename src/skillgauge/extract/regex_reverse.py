"""Regexes anchored at the end of a string, turned around so that ``re`` tries one position.

Why: a context rule's ``reject_before`` regexes must match at the *end* of the characters before a
candidate (``(?:p)$``). ``re`` has no backward search, so ``search`` tries every start position of
the window (60 characters), and this was most of the time the context rules took. The reversed
regex, matched at the start of the reversed window, answers the same question in one attempt:
a string ``s`` has a suffix in the language of ``p`` exactly when ``s[::-1]`` has a prefix in the
language of ``p`` reversed.

Reversal keeps the meaning of: literals, classes, ``.``, alternation, groups (all become
non-capturing), greedy and lazy repeats (which repeat does not matter for *whether* there is a
match), ``\\b``/``\\B`` (symmetric), ``^``/``\\A`` (become ``\\Z``), ``\\Z`` (becomes ``\\A``) and
look-arounds (a look-ahead becomes a look-behind of the reversed body, and back). Anything else
(back-references, conditionals, atomic groups, possessive repeats, inline flags, ``$`` other than
the final anchor, a look-behind that would need variable width) gives ``None``: the caller keeps
the forward search. tests/extract/test_regex_reverse.py checks the answers against ``re.search``.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

parser: Any
c: Any
try:  # the parser ``re`` itself uses; private (untyped), hence the fallback to the forward search
    parser = importlib.import_module("re._parser")
    c = importlib.import_module("re._constants")
except ImportError:  # pragma: no cover - Python < 3.11 is not supported anyway
    parser = None
    c = None

_FLAGS_OK = re.IGNORECASE | re.UNICODE


class _Unsupported(Exception):
    """The pattern uses something whose reversal this module does not do."""


def reversed_suffix_pattern(pattern: str) -> str | None:
    """For a ``pattern`` whose every match must end at the end of the string (its last element is
    a top-level ``$``), the pattern ``r`` such that ``re.search(pattern, s, re.I)`` finds a match
    exactly when ``re.match(r, s[::-1], re.I)`` does, or ``re.match(r, s[::-1], 1)`` does and
    ``s`` ends with a newline (``$`` also matches before a final newline). ``None``: not
    reversible here; search forward.
    """
    if parser is None or c is None:
        return None
    try:
        tree = parser.parse(pattern, re.IGNORECASE)
    except re.error:
        return None
    if tree.state.flags & ~_FLAGS_OK:
        return None  # an inline flag (verbose, dot-all, multi-line ...) changes the meaning
    items = list(tree)
    if not items or items[-1] != (c.AT, c.AT_END):
        return None
    try:
        reversed_ = _sequence(items[:-1])
        re.compile(reversed_, re.IGNORECASE)  # a look-behind of variable width fails here
    except (_Unsupported, re.error):
        return None
    return reversed_


def _sequence(items: list[tuple[Any, Any]]) -> str:
    return "".join(_item(op, av) for op, av in reversed(items))


def _char(code: int) -> str:
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


_CATEGORIES = {
    "CATEGORY_DIGIT": r"\d",
    "CATEGORY_NOT_DIGIT": r"\D",
    "CATEGORY_SPACE": r"\s",
    "CATEGORY_NOT_SPACE": r"\S",
    "CATEGORY_WORD": r"\w",
    "CATEGORY_NOT_WORD": r"\W",
}


def _class(items: list[tuple[Any, Any]]) -> str:
    parts: list[str] = []
    for k, (op, av) in enumerate(items):
        if op is c.NEGATE and k == 0:
            parts.append("^")
        elif op is c.LITERAL:
            parts.append(_char(av))
        elif op is c.RANGE:
            parts.append(f"{_char(av[0])}-{_char(av[1])}")
        elif op is c.CATEGORY and str(av) in _CATEGORIES:
            parts.append(_CATEGORIES[str(av)])
        else:
            raise _Unsupported(op)
    return "[" + "".join(parts) + "]"


def _item(op: Any, av: Any) -> str:
    if op is c.LITERAL:
        return _char(av)
    if op is c.NOT_LITERAL:
        return f"[^{_char(av)}]"
    if op is c.ANY:
        return "."
    if op is c.IN:
        return _class(list(av))
    if op is c.BRANCH:
        return "(?:" + "|".join(_sequence(list(alt)) for alt in av[1]) + ")"
    if op is c.SUBPATTERN:
        _group, add_flags, del_flags, body = av
        if add_flags or del_flags:
            raise _Unsupported(op)
        return "(?:" + _sequence(list(body)) + ")"
    if op is c.MAX_REPEAT or op is c.MIN_REPEAT:
        lo, hi, body = av
        bound = f"{{{lo},}}" if hi is c.MAXREPEAT else f"{{{lo},{hi}}}"
        lazy = "?" if op is c.MIN_REPEAT else ""
        return "(?:" + _sequence(list(body)) + ")" + bound + lazy
    if op is c.AT:
        if av is c.AT_BOUNDARY:
            return r"\b"
        if av is c.AT_NON_BOUNDARY:
            return r"\B"
        if av is c.AT_BEGINNING or av is c.AT_BEGINNING_STRING:
            return r"\Z"  # without MULTILINE, ^ is the start of the string
        if av is c.AT_END_STRING:
            return r"\A"
        raise _Unsupported(av)  # $ inside: also before a final newline, not kept here
    if op is c.ASSERT or op is c.ASSERT_NOT:
        direction, body = av
        sign = "=" if op is c.ASSERT else "!"
        behind = "<" if direction == 1 else ""  # a look-ahead becomes a look-behind, and back
        return f"(?{behind}{sign}" + _sequence(list(body)) + ")"
    raise _Unsupported(op)

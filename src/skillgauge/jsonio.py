"""JSON text to Python values exactly as the standard library reads it, at orjson's speed.

Why: reading JSON Lines was a tenth of the ingesting process's time with ``json.loads``, and orjson
parses the same text several times faster. The two differ only where orjson refuses what the
standard library accepts (``NaN``, ``Infinity``, lone surrogate escapes, ``1e400``, deep nesting)
or changes a value (an integer beyond 64 bits becomes a float). So orjson reads every text; the
standard library reads it again when orjson refuses it, or when orjson's value holds a float and the
text a run of 19 or more digits (a possible big integer), and its value or its error is the answer.
The digit test runs only after a float is found: searching every text for it cost more than the
parse (a regex scans ~70 MB/s). A test compares both on generated texts.
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson

_LONG_DIGITS = re.compile(r"\d{19}")
_LONG_ASCII_DIGITS = re.compile(rb"[0-9]{19}")


def loads(text: str) -> Any:
    """``json.loads(text)``, same value and same exceptions, mostly through orjson."""
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)
    if _holds_float(value) and _LONG_DIGITS.search(text) is not None:
        return json.loads(text)
    return value


def loads_bytes(data: bytes) -> Any:
    """``json.loads(data.decode("utf-8"))``: the same value, and the same exceptions
    (``UnicodeDecodeError`` for bytes that are not UTF-8).

    Why: orjson reads UTF-8 bytes directly (and checks them), so the common case skips decoding a
    line to ``str`` and orjson encoding it back (~2.5 us of ~10 per 1.7 KB posting line). JSON
    numbers are ASCII digits, so the long-integer test looks for ASCII digits only.
    """
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data.decode("utf-8"))
    if _holds_float(value) and _LONG_ASCII_DIGITS.search(data) is not None:
        return json.loads(data.decode("utf-8"))
    return value


def _holds_float(value: Any) -> bool:
    """Whether a float is anywhere in ``value`` (a parsed JSON value: dicts, lists, scalars)."""
    stack = [value]
    while stack:
        v = stack.pop()
        kind = type(v)
        if kind is float:
            return True
        if kind is dict:
            stack.extend(v.values())
        elif kind is list:
            stack.extend(v)
    return False

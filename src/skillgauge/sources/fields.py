"""Small, forgiving readers for the fields of API records, shared by the source modules.

Job APIs send whatever their producers happened to write: ``null`` where a string belongs, numbers
where the documentation promises text, ``true`` where a number belongs (and in Python a ``bool`` *is*
an ``int``), amounts as ``"120,000"``, dates as ISO text or epoch seconds or milliseconds. A source's
``map`` must never crash on such a record and never invent a value from it, so each helper here
answers either a clean value or ``None`` (an empty list for lists); it never raises for a wrong type.

Where the sources genuinely read a field differently, the difference is a keyword argument (spelled
out at the call site) or a separate function, never a silent change: e.g. the ATS boards read whole
numbers as text (:func:`as_text_or_int`, their ids and codes are often numbers) while the public
feeds read only strings (:func:`as_text`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from skillgauge.exceptions import InputError, TerminalSourceError
from skillgauge.sources.base import Page
from skillgauge.sources.mapping import parse_date

__all__ = [
    "as_amount",
    "as_date",
    "as_dict",
    "as_int",
    "as_list",
    "as_text",
    "as_text_or_int",
    "decode_json",
    "decode_json_object",
    "dicts",
    "final_page",
    "floor_date",
    "int_option",
    "names",
    "newer",
    "newest_date",
    "object_list",
]

_Cursor = TypeVar("_Cursor", str, int)


def as_text(value: Any) -> str | None:
    """A string field, stripped; ``None`` for blank text and for anything that is not a string.

    Exists because ``null``, numbers, booleans, lists and objects turn up in fields documented as
    text; ``str()`` of them ("None", "True", "{...}") would be a wrong value, not a missing one.
    """
    return value.strip() or None if isinstance(value, str) else None


def as_text_or_int(value: Any) -> str | None:
    """:func:`as_text`, but a whole number is also read as its digits (``123`` -> ``"123"``).

    Exists for the ATS boards, whose ids, requisition numbers and codes are sent as numbers by some
    accounts and as strings by others. Booleans are not numbers here (``True`` -> ``None``, not
    ``"True"``), and floats are not read (``1.0`` has no single right spelling as an id).
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return as_text(value)


def as_date(value: Any, *, text_only: bool = False) -> dt.date | None:
    """A posting date read by :func:`~skillgauge.sources.mapping.parse_date`, or ``None``.

    Exists because dates arrive as ISO text, other text formats, epoch seconds or epoch
    milliseconds (numbers or digit strings), ``null`` or ``""``, and sometimes as garbage: anything
    unreadable (a boolean, an object, an out-of-range epoch, "soon") is ``None`` instead of an
    exception. A relative date ("3 days ago") has no day without a reference date, so it is ``None``
    too. ``text_only=True`` reads strings only, for fields and cursors that are always text where a
    number is not a date (JobSpy rows, Adzuna's and USAJOBS' ``created`` and saved cursors).
    """
    if text_only and not isinstance(value, str):
        return None
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return parse_date(value)[0]
    except (ValueError, TypeError, OverflowError, OSError):
        return None


def as_amount(
    value: Any, *, strings: bool = True, ignore: str = "", finite: bool = True
) -> float | None:
    """A positive amount (a salary bound, a number of hours), or ``None``.

    Exists because "unknown" is written as ``0``, ``null``, ``""``, a negative number, ``true`` or
    text such as "competitive": only a positive number is an amount, and a boolean never is.

    * ``strings``: also read numeric text (``"85000"``, ``" 1.5e5 "``); ``False`` reads numbers only.
    * ``ignore``: characters deleted from text before reading it (``","`` for "120,000", ``",$"`` for
      "$120,000").
    * ``finite``: refuse infinity (``Infinity`` is valid to Python's JSON reader); ``False`` keeps
      the behaviour of the sources that never checked. NaN is refused either way (it is not > 0).
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and strings:
        for char in ignore:
            value = value.replace(char, "")
        try:
            value = float(value)
        except ValueError:
            return None
    if not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:  # an integer beyond float range (JSON allows any number of digits)
        return None
    if finite and not math.isfinite(number):
        return None
    return number if number > 0 else None


def as_int(value: Any, *, strings: bool = True, floats: bool = False) -> int | None:
    """A whole number (an id, a count, an epoch second), or ``None``.

    Exists because ids and counts arrive as numbers or as digit strings, and ``True`` must not be
    read as ``1``. ``strings``: also read digit strings (``" 42 "``; signs and decimals are not read);
    ``floats``: also read finite floats, truncated (``1.7e9`` -> ``1700000000``), for epoch fields
    that some producers write with a fraction (NaN and infinity are ``None``).
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if floats and isinstance(value, float):
        return int(value) if math.isfinite(value) else None
    if strings and isinstance(value, str) and value.strip().isdigit():
        try:
            return int(value.strip())
        except ValueError:  # digits int() does not read, such as superscripts ("²")
            return None
    return None


def as_dict(value: Any) -> dict[str, Any]:
    """``value`` when it is an object, else ``{}``, so nested reads can chain ``.get`` safely."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    """``value`` when it is an array, else ``[]`` (a ``null`` or a lone object reads as no items)."""
    return value if isinstance(value, list) else []


def names(items: Any, key: str = "name", *, ints: bool = False) -> list[str]:
    """``[{"name": "Security"}, ...]`` -> ``["Security"]``, skipping anything malformed.

    Exists because lists of named objects (departments, offices, categories, levels) may be
    ``null``, hold non-objects, or hold objects whose ``key`` is missing, blank or not text. ``ints``
    reads a whole-number ``key`` as text too (:func:`as_text_or_int`).
    """
    read = as_text_or_int if ints else as_text
    return [t for item in as_list(items) if isinstance(item, dict) and (t := read(item.get(key)))]


def int_option(value: int | str, name: str, source: str) -> int:
    """An integer option, which arrives as text from ``--opt`` or the environment.

    Exists so that a mistyped option is an :class:`~skillgauge.exceptions.InputError` naming the
    source and the option, not a bare ``ValueError`` from deep inside a fetch.
    """
    try:
        return int(value)
    except ValueError:
        raise InputError(f"{source}: option {name} must be a whole number, not {value!r}") from None


def dicts(value: Any) -> list[dict[str, Any]]:
    """The objects of an array, skipping anything else; ``[]`` when ``value`` is not an array.

    Exists because API arrays of records may hold ``null``, strings or numbers among the objects;
    only an object can be a record.
    """
    return [item for item in as_list(value) if isinstance(item, dict)]


def decode_json(body: bytes, source: str, *, what: str = "response", hint: str = "") -> Any:
    """``body`` read as JSON, or a :class:`~skillgauge.exceptions.TerminalSourceError`.

    Exists so that every source says the same thing about a body that is not JSON (an HTML error
    page, a truncated download): "the {what} is not JSON (<reason>)", then "; {hint}" if given.
    """
    try:
        return json.loads(body)
    except ValueError as exc:
        message = f"the {what} is not JSON ({exc})"
        raise TerminalSourceError(source, f"{message}; {hint}" if hint else message) from exc


def decode_json_object(body: bytes, source: str) -> dict[str, Any]:
    """:func:`decode_json`, which must also be a JSON object (the envelope of a search API)."""
    data = decode_json(body, source)
    if not isinstance(data, dict):
        raise TerminalSourceError(source, "the response is not a JSON object")
    return data


def object_list(data: Any, key: str, source: str) -> list[dict[str, Any]]:
    """The objects of the array under ``key`` of an envelope object (see :func:`dicts`).

    Exists because an envelope without that array (an error object, a changed API, a JSON array
    where an object belongs) is not "no jobs" but a broken response: it raises
    :class:`~skillgauge.exceptions.TerminalSourceError` "the response has no '{key}' array".
    """
    items = data.get(key) if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise TerminalSourceError(source, f"the response has no '{key}' array")
    return dicts(items)


def newest_date(records: Iterable[dict[str, Any]], *keys: str, default: str | None) -> str | None:
    """The newest posting date of ``records`` as ISO text, or ``default`` when none has a date.

    Exists for the snapshot boards, whose cursor is the newest date on the board. Each record's date
    is the first truthy of its ``keys`` (a fallback, like ``record.get(a) or record.get(b)``) read
    by :func:`as_date`.
    """
    dates: list[str] = []
    for record in records:
        value = None
        for key in keys:
            value = record.get(key)
            if value:
                break
        if day := as_date(value):
            dates.append(day.isoformat())
    return max(dates, default=default)


def floor_date(
    since: dt.date | None, cursor: str | None, *, text_only: bool = False
) -> dt.date | None:
    """The later of ``since`` and the date of a saved ``cursor`` (:func:`as_date`), or ``None``.

    Exists for the paged sources, which stop (or ask the API to stop) at the older of the pages
    that a ``since`` date and a previous fetch's cursor have already covered. ``text_only`` is
    passed to :func:`as_date`.
    """
    return max(
        (d for d in (since, as_date(cursor, text_only=text_only)) if d is not None), default=None
    )


def newer(current: _Cursor | None, values: Iterable[_Cursor]) -> _Cursor | None:
    """The greatest of ``current`` and ``values``: a paging cursor moved on by one page's values.

    Exists for the paged sources, whose cursor is the newest value seen on any page so far;
    ``current`` is ``None`` before the first value (and stays so when no page has one).
    """
    values = list(values)
    if not values:
        return current
    return max(values) if current is None else max(current, *values)


def final_page(pending: Page | None, cursor: str | None) -> Iterator[Page]:
    """The last page of a paged fetch, if any, now carrying the cursor of the whole fetch.

    Exists because the paged sources hold each page back until the next is read and give the
    cursor only to the last one, so that an interrupted fetch saves no cursor past unsaved pages.
    """
    if pending is not None:
        yield dataclasses.replace(pending, cursor=cursor)

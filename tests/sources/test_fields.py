"""The shared field readers of the source modules (``skillgauge.sources.fields``), tested directly.

Each reader must answer a clean value or ``None`` (``[]``/``{}`` for containers) for whatever a
record holds: nulls, wrong types, booleans (which are ints in Python), padded text, epoch seconds
and milliseconds. The keyword arguments keep the sources' real differences; each is tested here.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pytest

from skillgauge.exceptions import InputError
from skillgauge.sources.fields import (
    as_amount,
    as_date,
    as_dict,
    as_int,
    as_list,
    as_text,
    as_text_or_int,
    int_option,
    names,
)

NOT_TEXT: list[Any] = [None, True, False, 1.5, [], ["a"], {}, {"name": "a"}, b"bytes"]


# --- as_text / as_text_or_int ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [("Engineer", "Engineer"), ("  padded \n", "padded"), ("", None), ("  \t\n", None)],
)
def test_as_text_strips_and_blank_is_none(value: str, expected: str | None) -> None:
    assert as_text(value) == expected
    assert as_text_or_int(value) == expected


@pytest.mark.parametrize("value", NOT_TEXT)
def test_as_text_refuses_everything_that_is_not_a_string(value: Any) -> None:
    assert as_text(value) is None
    assert as_text_or_int(value) is None  # bools and floats are not ids either


def test_as_text_does_not_read_numbers() -> None:
    assert as_text(123) is None
    assert as_text(0) is None


def test_as_text_or_int_reads_whole_numbers_but_not_bools() -> None:
    assert as_text_or_int(123) == "123"
    assert as_text_or_int(0) == "0"
    assert as_text_or_int(-7) == "-7"
    assert as_text_or_int(True) is None
    assert as_text_or_int(False) is None
    assert as_text_or_int(4.0) is None


# --- as_date -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-01", dt.date(2024, 3, 1)),
        ("2024-03-01T23:59:59Z", dt.date(2024, 3, 1)),
        ("  2024-03-01  ", dt.date(2024, 3, 1)),
        ("2024-03-01 09:15:00 UTC", dt.date(2024, 3, 1)),
        (1709251200, dt.date(2024, 3, 1)),  # epoch seconds
        (1709251200000, dt.date(2024, 3, 1)),  # epoch milliseconds
        (1709251200.5, dt.date(2024, 3, 1)),
        ("1709251200", dt.date(2024, 3, 1)),  # epoch seconds as text
        ("1709251200000", dt.date(2024, 3, 1)),  # epoch milliseconds as text
    ],
)
def test_as_date_reads_text_and_epochs(value: Any, expected: dt.date) -> None:
    assert as_date(value) == expected


@pytest.mark.parametrize(
    "value",
    [None, "", "   ", True, False, 0, 1, -5, [], {}, "soon", "2024-13-45", float("nan"), 10**20],
)
def test_as_date_unreadable_is_none_not_an_error(value: Any) -> None:
    assert as_date(value) is None


def test_as_date_relative_text_has_no_day() -> None:
    assert as_date("3 days ago") is None


def test_as_date_text_only_refuses_numbers() -> None:
    assert as_date("2024-03-01", text_only=True) == dt.date(2024, 3, 1)
    assert as_date("1709251200", text_only=True) == dt.date(2024, 3, 1)
    assert as_date(1709251200, text_only=True) is None
    assert as_date(1709251200000, text_only=True) is None
    assert as_date(dt.date(2024, 3, 1), text_only=True) is None
    assert as_date("  ", text_only=True) is None
    assert as_date(None, text_only=True) is None


# --- as_amount -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [(85000, 85000.0), (85000.5, 85000.5), ("85000", 85000.0), (" 1.5e5 ", 150000.0)],
)
def test_as_amount_reads_positive_numbers_and_numeric_text(value: Any, expected: float) -> None:
    result = as_amount(value)
    assert result == expected
    assert isinstance(result, float)


UNKNOWN: list[Any] = [None, "", "  ", 0, 0.0, -1, -2.5, "0", "-3", True, False, "competitive"]


@pytest.mark.parametrize("value", [*UNKNOWN, [], {}, [5], {"a": 1}])
def test_as_amount_unknowns_are_none(value: Any) -> None:
    assert as_amount(value) is None
    assert as_amount(value, finite=False) is None


def test_as_amount_strings_false_reads_numbers_only() -> None:
    assert as_amount(120, strings=False) == 120.0
    assert as_amount("120", strings=False) is None


def test_as_amount_ignore_deletes_separators_from_text_only() -> None:
    assert as_amount("120,000") is None  # a comma is not part of a number unless ignored
    assert as_amount("120,000", ignore=",") == 120000.0
    assert as_amount("$120,000", ignore=",") is None
    assert as_amount("$120,000", ignore=",$") == 120000.0
    assert as_amount(" $ 1,250.50 ", ignore=",$") == 1250.5


def test_as_amount_infinity_only_when_not_finite() -> None:
    inf = float("inf")
    assert as_amount(inf) is None
    assert as_amount("inf") is None
    assert as_amount(inf, finite=False) == inf
    assert as_amount("1e999", finite=False) == inf
    assert as_amount(-inf, finite=False) is None
    assert as_amount(float("nan")) is None
    assert as_amount(float("nan"), finite=False) is None
    assert as_amount("nan", finite=False) is None


def test_as_amount_integer_beyond_float_range_is_none() -> None:
    assert as_amount(10**400) is None
    assert as_amount(10**400, finite=False) is None
    assert as_amount(-(10**400), strings=False) is None


# --- as_int --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"), [(42, 42), (0, 0), (-3, -3), ("42", 42), (" 42 ", 42), ("007", 7)]
)
def test_as_int_reads_ints_and_digit_strings(value: Any, expected: int) -> None:
    assert as_int(value) == expected


@pytest.mark.parametrize(
    "value", [None, True, False, "", " ", "-3", "+3", "4.0", "4e2", "x1", "²", 4.0, [], {}]
)
def test_as_int_refuses_bools_floats_and_other_text(value: Any) -> None:
    assert as_int(value) is None


def test_as_int_strings_false_reads_ints_only() -> None:
    assert as_int(7, strings=False) == 7
    assert as_int("7", strings=False) is None
    assert as_int(True, strings=False) is None


def test_as_int_floats_truncates_finite_floats() -> None:
    assert as_int(1709251200.9, floats=True) == 1709251200
    assert as_int(1709251200, floats=True) == 1709251200
    assert as_int("1709251200", floats=True) == 1709251200
    assert as_int(True, floats=True) is None
    for value in (float("nan"), float("inf"), -math.inf):
        assert as_int(value, floats=True) is None


# --- as_dict / as_list / names -------------------------------------------------------------------


def test_as_dict_and_as_list_give_the_container_or_an_empty_one() -> None:
    obj = {"a": 1}
    items = [1, 2]
    assert as_dict(obj) is obj
    assert as_list(items) is items
    for value in (None, "x", 1, True, ()):
        assert as_dict(value) == {}
        assert as_list(value) == []
    assert as_dict(items) == {}
    assert as_list(obj) == []
    assert as_dict(None).get("missing") is None  # chained reads never fail


def test_names_skips_anything_malformed() -> None:
    items = [
        {"name": " Security "},
        {"name": ""},
        {"name": None},
        {"name": True},
        {"name": 7},
        {"other": "x"},
        "Engineering",
        None,
        {"name": "Platform"},
    ]
    assert names(items) == ["Security", "Platform"]
    assert names(items, ints=True) == ["Security", "7", "Platform"]


def test_names_other_key_and_non_lists() -> None:
    offices = [{"name": "Berlin", "location": "Berlin, DE"}, {"location": "  "}]
    assert names(offices, "location") == ["Berlin, DE"]
    for value in (None, "Security", {"name": "Security"}, 3):
        assert names(value) == []


# --- int_option ----------------------------------------------------------------------------------


def test_int_option_reads_text_and_ints() -> None:
    assert int_option("25", "count", "jobicy") == 25
    assert int_option(" 25 ", "count", "jobicy") == 25
    assert int_option(25, "count", "jobicy") == 25


@pytest.mark.parametrize("value", ["", "ten", "2.5"])
def test_int_option_names_the_source_and_option(value: str) -> None:
    with pytest.raises(InputError, match=r"jobicy: option count must be a whole number"):
        int_option(value, "count", "jobicy")

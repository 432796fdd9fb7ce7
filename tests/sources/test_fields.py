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

from skillgauge.exceptions import InputError, TerminalSourceError
from skillgauge.sources.base import Page
from skillgauge.sources.fields import (
    as_amount,
    as_date,
    as_dict,
    as_int,
    as_list,
    as_text,
    as_text_or_int,
    decode_json,
    decode_json_object,
    dicts,
    final_page,
    floor_date,
    int_option,
    names,
    newer,
    newest_date,
    object_list,
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


def test_dicts_keeps_only_the_objects_of_an_array() -> None:
    assert dicts([{"a": 1}, None, "x", 3, [], {}]) == [{"a": 1}, {}]
    for value in (None, {"a": 1}, "text", 5):
        assert dicts(value) == []


def test_decode_json_reads_any_json_value() -> None:
    assert decode_json(b'{"a": [1]}', "src") == {"a": [1]}
    assert decode_json(b"[1, 2]", "src") == [1, 2]
    assert decode_json(b"null", "src") is None


def test_decode_json_refuses_a_body_that_is_not_json() -> None:
    with pytest.raises(TerminalSourceError, match=r"the response is not JSON \(") as info:
        decode_json(b"<html>", "src")
    assert "src" in str(info.value)
    with pytest.raises(TerminalSourceError, match=r"the page is not JSON \(.*\)$"):
        decode_json(b"", "src", what="page")
    with pytest.raises(TerminalSourceError, match=r"is not JSON \(.*\); retry later$"):
        decode_json(b"{", "src", hint="retry later")


def test_decode_json_object_needs_an_object() -> None:
    assert decode_json_object(b'{"results": []}', "src") == {"results": []}
    for body in (b"[]", b"null", b'"text"', b"1"):
        with pytest.raises(TerminalSourceError, match="the response is not a JSON object"):
            decode_json_object(body, "src")
    with pytest.raises(TerminalSourceError, match="the response is not JSON"):
        decode_json_object(b"nope", "src")


def test_object_list_reads_the_array_under_a_key() -> None:
    data = {"jobs": [{"id": 1}, None, "x", {"id": 2}], "other": 1}
    assert object_list(data, "jobs", "src") == [{"id": 1}, {"id": 2}]
    assert object_list({"jobs": []}, "jobs", "src") == []


@pytest.mark.parametrize("data", [{}, {"jobs": None}, {"jobs": {"id": 1}}, [{"id": 1}], None, "x"])
def test_object_list_refuses_an_envelope_without_the_array(data: Any) -> None:
    with pytest.raises(TerminalSourceError, match="the response has no 'jobs' array"):
        object_list(data, "jobs", "src")


def test_newest_date_is_the_newest_iso_date_or_the_default() -> None:
    records = [
        {"a": "2024-03-01T10:00:00Z"},
        {"a": None, "b": "2024-05-02"},
        {"a": "", "b": "garbage"},
        {"a": "2024-04-01", "b": "2025-01-01"},  # the first truthy key wins
    ]
    assert newest_date(records, "a", "b", default="x") == "2024-05-02"
    assert newest_date(records, "a", default=None) == "2024-04-01"
    assert newest_date([], "a", default="2020-01-01") == "2020-01-01"
    assert newest_date([{"a": None}], "a", default=None) is None


def test_newer_moves_a_cursor_on_by_a_page_of_values() -> None:
    assert newer(None, []) is None
    assert newer("2024-01-01", []) == "2024-01-01"
    assert newer(None, ["2024-01-02", "2024-03-01"]) == "2024-03-01"
    assert newer("2024-05-01", ["2024-01-02", "2024-03-01"]) == "2024-05-01"
    assert newer(5, iter([3, 9])) == 9


def test_final_page_gives_the_pending_page_the_cursor() -> None:
    when = dt.datetime(2024, 1, 2, tzinfo=dt.UTC)
    pending = Page(url="u", body=b"b", board="bd", fetched_at=when)
    assert list(final_page(pending, "c")) == [
        Page(url="u", body=b"b", board="bd", cursor="c", fetched_at=when)
    ]
    assert list(final_page(None, "c")) == []


def test_floor_date_is_the_later_of_since_and_the_cursor() -> None:
    since = dt.date(2024, 3, 1)
    assert floor_date(None, None) is None
    assert floor_date(since, None) == since
    assert floor_date(None, "2024-02-01") == dt.date(2024, 2, 1)
    assert floor_date(since, "2024-02-01") == since
    assert floor_date(since, "2024-04-01T08:00:00Z") == dt.date(2024, 4, 1)
    assert floor_date(since, "not a date") == since
    assert floor_date(since, "2024-04-01", text_only=True) == dt.date(2024, 4, 1)

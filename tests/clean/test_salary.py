"""Salary text parsing: real strings from the sources, and what must *not* count as a salary."""

from __future__ import annotations

import pytest

from skillgauge.clean.salary import find_salary_in_text, parse_salary_text


@pytest.mark.parametrize(
    ("text", "lo", "hi", "currency", "period"),
    [
        ("$53K-$91K (Glassdoor est.)", 53_000, 91_000, "USD", "year"),
        ("$17-$27 Per Hour(Glassdoor est.)", 17, 27, "USD", "hour"),
        ("$140k–$180k", 140_000, 180_000, "USD", "year"),
        ("€60,000 - €75,000 a year", 60_000, 75_000, "EUR", "year"),
        ("USD 120000", 120_000, 120_000, "USD", "year"),
        ("£45k", 45_000, 45_000, "GBP", "year"),
        ("$80/hr", 80, 80, "USD", "hour"),
        ("up to $150k", None, 150_000, "USD", "year"),
        ("$100k+", 100_000, None, "USD", "year"),
        ("$140-180k", 140_000, 180_000, "USD", "year"),
        ("€~55k-€~75k", 55_000, 75_000, "EUR", "year"),
        ("60.000 EUR per year", 60_000, 60_000, "EUR", "year"),
        ("85k-110k CHF", 85_000, 110_000, "CHF", "year"),
        ("$4,000 per month", 4_000, 4_000, "USD", "month"),
    ],
)
def test_parse_salary_text(
    text: str, lo: float | None, hi: float | None, currency: str, period: str
) -> None:
    salary = parse_salary_text(text)
    assert salary is not None
    assert (salary.min, salary.max, salary.currency, salary.period) == (lo, hi, currency, period)
    assert salary.text == text


@pytest.mark.parametrize("text", ["120000", "5 years", "Salary + Equity", "-1", "", "$5M", "$0"])
def test_not_a_salary(text: str) -> None:
    assert parse_salary_text(text) is None


@pytest.mark.parametrize(
    ("text", "lo", "hi"),
    [
        (
            "OmniAI (YC W24) | SF In-Person | Full Time | $125k–$175k • 0.50%–1.50%",
            125_000,
            175_000,
        ),
        ("Dealini | Zurich, Switzerland | Senior Python Developer | 85k-110k CHF", 85_000, 110_000),
        ("Mirae Asset Securities UK | Software Engineer | Up to £100k base", None, 100_000),
        ("Remote | 90-120k | Full-time", 90_000, 120_000),
    ],
)
def test_find_salary_in_text(text: str, lo: float | None, hi: float | None) -> None:
    salary = find_salary_in_text(text)
    assert salary is not None and (salary.min, salary.max) == (lo, hi)


@pytest.mark.parametrize(
    "text",
    [
        "We raised $5M from great investors",
        "Team of 300 engineers in 12 offices",
        "Equity 0.5%-1.5%",
        "Founded 2015 | Berlin | Full-time",
    ],
)
def test_no_salary_in_text(text: str) -> None:
    assert find_salary_in_text(text) is None

"""Salary text parsing: real strings from the sources, and what must *not* count as a salary."""

from __future__ import annotations

import csv
from pathlib import Path

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


# ---------------------------------------------------------------------------------------------
# find_salary_in_text on whole posting texts: the measured problems, one test each.


@pytest.mark.parametrize(
    "text",
    [
        "Medical, dental and vision, 401k match, unlimited PTO",
        "recently added health insurance, 401(k), and a host of HR features.",
        "Benefits: 401K plan with employer matching",
    ],
)
def test_401k_is_never_a_salary(text: str) -> None:
    assert find_salary_in_text(text) is None


@pytest.mark.parametrize(
    ("text", "lo", "hi", "period"),
    [
        ("The base salary is between $160,000 and $180,000. This", 160_000, 180_000, "year"),
        (
            "a base salary between $140,000 to $160,000 (based on experience)",
            140_000,
            160_000,
            "year",
        ),
        (
            "The U.S. pay range for this position is $118,500 -- $219,100 annually.",
            118_500,
            219_100,
            "year",
        ),
        ("California Pay Range: $140,100—$210,100 USD", 140_100, 210_100, "year"),
        ("Comp: $177,900 – $257,550 base + Equity", 177_900, 257_550, "year"),
        ("$145~170k + up to 10% bonus", 145_000, 170_000, "year"),
    ],
)
def test_ranges_with_words_and_dashes(text: str, lo: float, hi: float, period: str) -> None:
    salary = find_salary_in_text(text)
    assert salary is not None
    assert (salary.min, salary.max, salary.period) == (lo, hi, period)


def test_and_is_a_range_only_after_between() -> None:
    salary = find_salary_in_text("Salary: $65k and if some Hadoop then $70k")
    assert salary is not None and (salary.min, salary.max) == (65_000, 65_000)


@pytest.mark.parametrize(
    ("text", "currency", "lo", "period"),
    [
        (
            "Predictive Modeler Analyst - Contract to HireSan Mateo, CA$80/hour An",
            "USD",
            80,
            "hour",
        ),
        ("Healthcare LeaderPasadena, CA$ 28.00 to $30.00 per hour", "USD", 28, "hour"),
        ("* Canadian Residents: CA$100,000-$165,600/year", "CAD", 100_000, "year"),
        ("Intermediate Software Developer | $70-80K CAD | Ontario", "CAD", 70_000, "year"),
    ],
)
def test_ca_dollar_glued_to_a_us_state(text: str, currency: str, lo: float, period: str) -> None:
    salary = find_salary_in_text(text)
    assert salary is not None
    assert (salary.currency, salary.min, salary.period) == (currency, lo, period)


@pytest.mark.parametrize(
    "text",
    [
        "Oscar was valued at $20 billion following a $400 million investment",
        "Circle is backed by $70 million from investors",
        "We just raised $21M Series B last week",
        "Typeform Raises €1.2M - http://techcrunch.com",
        "responsible for more than $1.3 trillion in annual commerce.",
        "We also offer a $1000 referral bonus on hire",
        "as little as $1. We have over a million users",
        "revenue grew to $2.7 last quarter per share",
        "Tiered dental reimbursement up to $1500 - New parent leave",
        "€10k signing bonus - Visa sponsorship",
        "currently clocking 15k downloads per day",
        "We raised $500k seed from great angels",
        "Instead of spending $10,000 to $20,000 on a coding bootcamp, come work with us",
        "Equity 0.5%-1.5% and great benefits",
        "a $20K+ yearly budget for self-improvement",
    ],
)
def test_funding_prices_and_perks_are_not_salaries(text: str) -> None:
    assert find_salary_in_text(text) is None


@pytest.mark.parametrize(
    ("text", "lo", "hi", "currency", "period"),
    [
        ("Pay Range on W2 Hourly: $92 - $97 with Mindsource", 92, 97, "USD", "hour"),
        ("Contract role, $92-97 per hour, W2", 92, 97, "USD", "hour"),
        ("Senior Engineer | USD 120k/year | Remote", 120_000, 120_000, "USD", "year"),
        ("Backend developer | €60k p.a. | Berlin", 60_000, 60_000, "EUR", "year"),
        ("Contract | $80/hr | Remote", 80, 80, "USD", "hour"),
        ("Salary: 8000 - 11.000 CHF / month after taxes", 8_000, 11_000, "CHF", "month"),
        ("I can only offer up to $4,000/mo ($50,000/yr)", None, 4_000, "USD", "month"),
    ],
)
def test_period_is_read_around_the_match(
    text: str, lo: float | None, hi: float, currency: str, period: str
) -> None:
    salary = find_salary_in_text(text)
    assert salary is not None
    assert (salary.min, salary.max, salary.currency, salary.period) == (lo, hi, currency, period)


@pytest.mark.parametrize(
    "text",
    [
        "Amazon | Seattle | Full-Time | On-Site ($130-$250+ depending on experience)",
        "San Francisco, CA | Onsite. Full-Time. $100-150+ Equity |",
        "Meals cost between $10-15 and are delivered to your door",
    ],
)
def test_small_ranges_without_k_or_period_are_ambiguous(text: str) -> None:
    assert find_salary_in_text(text) is None


@pytest.mark.parametrize(
    ("text", "lo", "hi", "currency", "period"),
    [
        ("Senior Dev | Berlin | 60.000-80.000 € brutto/Jahr", 60_000, 80_000, "EUR", "year"),
        ("Zurich | CHF 120'000 - 140'000 | Onsite", 120_000, 140_000, "CHF", "year"),
        ("London | £45,000 - £55,000 per annum", 45_000, 55_000, "GBP", "year"),
        ("Paris | 50 000 - 60 000 EUR | CDI", 50_000, 60_000, "EUR", "year"),
        ("= What do we offer? = 25-35k€ salary (yearly review)", 25_000, 35_000, "EUR", "year"),
        (
            "das monatlich netto zwischen 7500 CHF und 10000 CHF liegen kann",
            7_500,
            10_000,
            "CHF",
            "month",
        ),
        ("Salary: INR400K – INR800K with up to 0.3% Equity", 400_000, 800_000, "INR", "year"),
        ("Comp: ₹40–60L + ESOPs", 4_000_000, 6_000_000, "INR", "year"),
        ("$181,440.00 - $200,000.00 The actual base salary", 181_440, 200_000, "USD", "year"),
    ],
)
def test_european_and_other_formats(
    text: str, lo: float, hi: float, currency: str, period: str
) -> None:
    salary = find_salary_in_text(text)
    assert salary is not None
    assert (salary.min, salary.max, salary.currency, salary.period) == (lo, hi, currency, period)


# ---------------------------------------------------------------------------------------------
# A labelled set of real snippets (HN, LinkedIn, Glassdoor, Indeed texts) - salaries and near misses.

SNIPPETS = Path(__file__).resolve().parents[1] / "data" / "salary_snippets.csv"


def _expected(row: dict[str, str]) -> tuple[float | None, float | None, str | None, str | None]:
    def num(value: str) -> float | None:
        return float(value) if value else None

    return (num(row["min"]), num(row["max"]), row["currency"] or None, row["period"] or None)


def test_labelled_snippets_precision_and_recall() -> None:
    with SNIPPETS.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) >= 120
    predicted = correct = labelled = 0
    misses: list[str] = []
    for row in rows:
        want = _expected(row)
        found = find_salary_in_text(row["snippet"])
        got = None if found is None else (found.min, found.max, found.currency, found.period)
        is_salary = want[0] is not None or want[1] is not None
        labelled += is_salary
        predicted += got is not None
        if got is not None and got == want:
            correct += 1
        elif got is not None or is_salary:
            misses.append(f"{row['snippet']!r}: want {want}, got {got}")
    precision = correct / predicted
    recall = correct / labelled
    print(f"precision {precision:.3f} recall {recall:.3f} ({len(rows)} snippets)")
    print("\n".join(misses))
    assert precision >= 0.97, misses
    assert recall >= 0.9, misses

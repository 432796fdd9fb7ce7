"""The compiled pre-check of the salary scans (``_salary_hints``) never skips a scan that matches.

``salary._candidates`` runs a scan only when the pre-check says it may match; these tests run both
scans regardless and check that whenever one finds something, the pre-check had said yes, on texts
generated around every case the conditions name and on real postings.
"""

from __future__ import annotations

import gzip
import json
from itertools import islice
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skillgauge.clean import salary
from skillgauge.clean.text import clean_text

hints_module = pytest.importorskip(
    "skillgauge.clean._salary_hints", reason="skillgauge.clean._salary_hints not compiled"
)
HINTS = hints_module.SalaryHints(salary._CODES)
CUR, NUM = hints_module.CURRENCY_FIRST, hints_module.NUMBER_FIRST


def check(text: str) -> None:
    """Every scan that matches was allowed by the pre-check."""
    flags = HINTS(text)
    if salary._SCAN_CUR.search(text):
        assert flags & CUR, text
    if salary._SCAN_NUM.search(text):
        assert flags & NUM, text


PIECES = [
    *salary._CODES,
    *("US$", "C$", "A$", "HK$", "USD$", "zł", "zl", "Z"),
    *"$€£₹¥₪",
    *("k", "K", "L", "l", "m", "M", "mm", "MM", "b", "B", "bn", "t", "T", "tn", "x", "ki", "Mo"),
    *("million", "Million", "billion", "Billion", "trillion", "Trillion", "lakh", "lakhs"),
    *("lac", "lacs", "LPA", "LPAx", "per year", "/hr", "/ year", "an hour", "salary", "DOE"),
    *("1", "12", "120", "120,000", "120.000", "120 000", "120'000", "17.5", "٣", "２", "3"),
    *(" ", "  ", "\u00a0", "\u202f", "\t", "\n", "~", " ~ ", "+", "-", "–", " to ", " and "),
    *(",", ".", "(", ")", "/", "%", "a", "Q", "S3", "EC2", "H-1B", "401k", "CHF120'000"),
    *("é", "—", "🚀"),  # so every width of str (1, 2 and 4 bytes a character) is scanned
]
texts = st.lists(st.sampled_from(PIECES), max_size=14).map("".join)


def test_conditions_on_written_cases() -> None:
    for text in [
        "$120k",
        "USD 90,000 - 110,000",
        "CHF 120'000 - 140'000",
        "EUR~ 60.000",
        "90-120k",
        "60.000 € brutto",
        "12 LPA",
        "5 lakhs",
        "100-120+ €",
        "₹ 12,00,000",
        "1.2 million",
        "50 zł/h",
        "120 MXN",
    ]:
        check(text)
        assert HINTS(text), text
    for text in ["3 months", "5+ years", "Python 3", "AWS S3 and EC2", "401 errors", ""]:
        assert HINTS(text) == 0, text


@given(texts)
@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_never_skips_a_scan_that_matches(text: str) -> None:
    check(text)


@given(st.text(max_size=40))
@settings(max_examples=1000, deadline=None)
def test_never_skips_a_scan_that_matches_on_any_text(text: str) -> None:
    check(text)


@pytest.mark.shared
def test_candidates_unchanged_on_real_postings(shared_data: Path) -> None:
    """On 4,000 real HN posts (a fifth of which name pay): the pre-check never skips a match."""
    path = shared_data / "hn_whoishiring_2013_2018" / "hn_hiring_mapped_2013_2018.jsonl.gz"
    with gzip.open(path, "rt") as fh:
        posts = [clean_text(json.loads(line).get("full_html") or "") for line in islice(fh, 4000)]
    for text in posts:
        check(text)
    assert sum(1 for t in posts if HINTS(t)) < len(posts)  # it does skip some

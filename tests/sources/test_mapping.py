"""Field mapping, profiles, dates and missing-value codes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skillgauge.exceptions import MappingError
from skillgauge.models import MappedPosting, Salary
from skillgauge.sources import mapping as mapping_module
from skillgauge.sources.files import detect_format, open_reader
from skillgauge.sources.jsonld import extract_job_postings
from skillgauge.sources.mapping import FieldMapper, detect_profile, is_missing, parse_date

DATA = Path(__file__).resolve().parents[1] / "data" / "files"


def mapped(mapper: FieldMapper, payload: dict[str, object]) -> MappedPosting:
    result = mapper.map(payload)
    assert isinstance(result, MappedPosting), result
    return result


def test_columns_by_normalised_name_in_order_of_preference() -> None:
    cols = ["Job Title", "text", "Job Description", "Company Name", "publishedAt", "linkedin_url"]
    mapper = FieldMapper.for_columns(cols)
    assert mapper.describe() == {
        "title": "Job Title",
        "description": "Job Description",
        "company": "Company Name",
        "date_posted": "publishedAt",
        "url": "linkedin_url",
    }


def test_overrides() -> None:
    mapper = FieldMapper.for_columns(["Job Name", "title", "body"], {"title": "Job Name"})
    assert mapper.describe()["title"] == "Job Name"
    posting = mapped(mapper, {"Job Name": "Data Engineer", "title": "ignored", "body": "SQL"})
    assert posting.title == "Data Engineer"
    assert posting.extra == {"title": "ignored"}
    with pytest.raises(MappingError, match="unknown field 'colour'"):
        FieldMapper.for_columns(["a"], {"colour": "a"})
    with pytest.raises(MappingError, match="no column 'Nope'"):
        FieldMapper.for_columns(["a"], {"title": "Nope"})


def test_csv_fixture_end_to_end() -> None:
    path = DATA / "postings.csv"
    with open_reader(path, detect_format(path)) as reader:
        rows = [r for b in reader.iter_batches() for r in b]
    assert rows[0].payload is not None
    mapper = FieldMapper.for_columns(list(rows[0].payload))
    results = [mapper.map(r.payload) if r.payload is not None else r.error for r in rows]
    first = results[0]
    assert isinstance(first, MappedPosting)
    assert first.company == "Acme"  # Glassdoor-style rating after a newline is dropped
    assert first.date_posted == dt.date(2024, 5, 1)
    assert first.salary == Salary(120_000, 150_000, "USD", "year", "$120k-$150k")
    second = results[1]
    assert isinstance(second, MappedPosting)
    assert second.date_posted is None and second.date_raw == "5 days ago"
    assert second.salary is None  # "-1" is missing
    assert results[2] == "no title and no text"
    assert results[3] == "unparseable date 'not a date' in column 'posted_at'"
    assert results[4] == "CSV row has 2 fields, header has 5"


def test_relative_dates_resolve_against_as_of() -> None:
    mapper = FieldMapper.for_columns(["title", "posted_date"], as_of=dt.date(2024, 7, 10))
    for text, day in [
        ("Reposted 2 weeks ago", dt.date(2024, 6, 26)),
        ("30+ days ago", dt.date(2024, 6, 10)),
        ("5 hours ago", dt.date(2024, 7, 10)),
        ("Just posted", dt.date(2024, 7, 10)),
        ("today", dt.date(2024, 7, 10)),
        ("1 month ago", dt.date(2024, 6, 10)),
    ]:
        posting = mapped(mapper, {"title": "x", "posted_date": text})
        assert (posting.date_posted, posting.date_raw) == (day, text)


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("2024-05-29", dt.date(2024, 5, 29)),
        ("2026-03-15T09:00:00Z", dt.date(2026, 3, 15)),
        ("2026-03-02T10:00:00-05:00", dt.date(2026, 3, 2)),
        ("2013-08", dt.date(2013, 8, 1)),
        (1767369853, dt.date(2026, 1, 2)),
        ("1767369853", dt.date(2026, 1, 2)),
        (1717200000000, dt.date(2024, 6, 1)),
        ("July 22, 2018", dt.date(2018, 7, 22)),
        ("22 Jul 2018", dt.date(2018, 7, 22)),
        ("22/07/2018", dt.date(2018, 7, 22)),
        ("07/22/2018", dt.date(2018, 7, 22)),
        ("03/04/2018", dt.date(2018, 3, 4)),
        ("2018/07/22", dt.date(2018, 7, 22)),
    ],
)
def test_parse_date(value: object, day: dt.date) -> None:
    assert parse_date(value) == (day, False)


@pytest.mark.parametrize(
    "value", ["Sonoma, Inc.", "Irvine", "July", "13/13/2018", "42", True, "soon"]
)
def test_unparseable_dates(value: object) -> None:
    with pytest.raises(ValueError):
        parse_date(value)


def test_missing_codes_for_every_field() -> None:
    mapper = FieldMapper.for_columns(["title", "company", "location", "salary", "url"])
    for code in ["-1", "nan", "NaN", "null", "N/A", ""]:
        posting = mapped(
            mapper,
            {"title": "T", "company": code, "location": code, "salary": code, "url": code},
        )
        assert (posting.company, posting.location, posting.salary, posting.url) == (None,) * 4
    assert mapper.map({"title": "-1", "company": "x"}) == "no title and no text"


def test_numeric_salary_columns_and_odd_values() -> None:
    cols = ["jobTitle", "salaryMin", "salaryMax", "salaryCurrency", "salaryPeriod", "remote"]
    mapper = FieldMapper.for_columns(cols)
    posting = mapped(
        mapper,
        {
            "jobTitle": "SRE",
            "salaryMin": 90000,
            "salaryMax": "120,000",
            "salaryCurrency": "usd",
            "salaryPeriod": "yearly",
            "remote": "maybe",
        },
    )
    assert posting.salary == Salary(90_000, 120_000, "USD", "year", None)
    assert posting.remote is None
    zero = mapped(mapper, {"jobTitle": "x", "salaryMin": 0, "salaryMax": 0, "remote": True})
    assert zero.salary is None and zero.remote is True


def test_profiles_detected() -> None:
    assert detect_profile(["id", "month", "url", "full_html", "location"], None) == "hackernews"
    assert detect_profile(["id", "source", "time", "text", "thread_title"], None) == "hackernews"
    assert detect_profile(["Job Title", "Salary Estimate", "Company Name"], None) == "glassdoor"
    assert detect_profile(["title", "description"], {"title": "x"}) is None


def test_hackernews_2013_row() -> None:
    mapper = FieldMapper.for_columns(["id", "month", "url", "full_html", "location", "remote"])
    html = '<font color="#000000">Code Platoon - Chicago, IL - Ruby Instructor<p>Teach Rails</font>'
    posting = mapped(
        mapper,
        {
            "id": 123,
            "month": "2016-02",
            "url": "u",
            "full_html": html,
            "location": "X",
            "remote": True,
        },
    )
    assert posting.date_posted == dt.date(2016, 2, 1) and posting.date_raw == "2016-02"
    assert (posting.company, posting.location, posting.title) == (
        "Code Platoon",
        "Chicago, IL",
        "Ruby Instructor",
    )
    assert posting.remote is None  # the first line says nothing; the regex guess stays in extra
    assert posting.extra == {"location": "X", "remote": True}
    assert posting.url == "https://news.ycombinator.com/item?id=123"
    assert posting.source_id == "123"
    assert posting.description == html


def test_hackernews_2026_rows() -> None:
    cols = ["id", "source", "time", "text", "run_date", "thread_id", "thread_title"]
    mapper = FieldMapper.for_columns(cols)
    text = "Acme | Berlin | Data Engineer, ML Engineer | €70k-€90k<p>Spark"
    posting = mapped(
        mapper,
        {
            "id": 7,
            "source": "who_is_hiring",
            "time": 1767369853,
            "text": text,
            "thread_title": "Ask HN: Who is hiring? (February 2026)",
        },
    )
    assert posting.date_posted == dt.date(2026, 2, 1)
    assert posting.role_hint == "Data Engineer, ML Engineer"
    assert posting.salary is not None and posting.salary.currency == "EUR"
    direct = mapped(
        mapper,
        {
            "id": 8,
            "source": "direct",
            "time": 1771434065,
            "text": "Flexport Is Hiring Engineers",
            "thread_title": None,
        },
    )
    assert direct.date_posted == dt.date(2026, 2, 1)


def test_jsonld_payload_maps() -> None:
    html = (DATA / "graph_jsonld.html").read_text()
    postings = extract_job_postings(html)
    assert len(postings) == 2
    mapper = FieldMapper.for_columns(sorted({k for p in postings for k in p}))
    first = mapped(mapper, postings[0])
    assert first.company == "Graph Co"
    assert first.location == "Lyon, ARA, France"
    assert first.date_posted == dt.date(2026, 2, 1)
    assert first.employment_type == "FULL_TIME, CONTRACTOR"
    assert first.source_id == "DE-42"
    assert first.salary == Salary(50_000, 65_000, "EUR", "year", None)
    assert first.extra == {"valid_through": "2026-03-01"}
    second = mapped(mapper, postings[1])
    assert second.remote is True and second.title == "Nested Analyst"


@settings(max_examples=2000, deadline=None)
@given(
    st.one_of(
        st.text(),
        st.sampled_from(["-1", " NaN ", "NULL", "n/a\t", "None", "", "  ", "K", "N/A\u212a"]),
        st.builds(
            lambda pad, code: pad + code + pad,
            st.text(" \t\n\u00a0\u2003", max_size=3),
            st.sampled_from(["-1", "nan", "NULL", "n/a", "NoNe", "İ", "\u212a"]),
        ),
    )
)
def test_is_missing_on_text_is_the_strip_lower_lookup(value: str) -> None:
    """The length short-cut in ``is_missing`` decides every string as the plain definition does."""
    assert is_missing(value) == (value.strip().lower() in mapping_module._MISSING)
    # and a text field reads as the definition says: missing, else the stripped string
    expected = None if is_missing(value) else value.strip() or None
    assert mapping_module._text(value) == expected


@pytest.mark.parametrize(
    ("value", "as_of"),
    [
        ("2019-03-01", None),
        (" 2019-03-01T10:00:00Z ", None),
        ("2018-7", None),
        ("5 days ago", dt.date(2026, 3, 10)),
        ("5 days ago", dt.date(2026, 4, 10)),
        ("5 days ago", None),
        ("March 3, 2021", None),
    ],
)
def test_date_strings_parse_the_same_from_the_cache(value: str, as_of: dt.date | None) -> None:
    """Date strings are parsed once per (string, as_of); a repeat gives the same answer."""
    uncached = mapping_module._parse_date_text.__wrapped__(value, as_of)
    assert parse_date(value, as_of) == uncached
    assert parse_date(value, as_of) == uncached


def test_an_unparseable_date_string_fails_every_time() -> None:
    for _ in range(2):
        with pytest.raises(ValueError):
            parse_date("not a date at all")

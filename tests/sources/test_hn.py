"""HN first lines: real first lines (quoted from both HN files) and thread months."""

from __future__ import annotations

import datetime as dt

import pytest

from skillgauge.sources.hn import parse_first_line, thread_month

# (first line as HTML, company, location, remote, salary text, employment type, roles)
CASES = [
    (
        "Clever Benefits | Scottsdale, AZ (Hybrid — 2 days&#x2F;week onsite, North Scottsdale) | "
        "Full-time | $140k–$180k | Senior Full Stack (React&#x2F;React Native&#x2F;Node&#x2F;AWS)<p>x",
        "Clever Benefits",
        "Scottsdale, AZ (Hybrid — 2 days/week onsite, North Scottsdale)",
        False,
        "$140k–$180k",
        "full-time",
        "Senior Full Stack (React/React Native/Node/AWS)",
    ),
    (
        "NobodyWho | Copenhagen, Denmark | Software Engineer, ML Engineer, DevRel | Full-time | "
        "ONSITE<p>",
        "NobodyWho",
        "Copenhagen, Denmark",
        False,
        None,
        "full-time",
        "Software Engineer, ML Engineer, DevRel",
    ),
    (
        "Carrot | Senior Software Engineers | Full-time | Remote<p>",
        "Carrot",
        None,
        True,
        None,
        "full-time",
        "Senior Software Engineers",
    ),
    (
        "OpenSanctions | Customer Engineer | REMOTE (EU&#x2F;Asia&#x2F;Americas -- no US) or HYBRID "
        "Berlin | €~55k-€~75k | https:&#x2F;&#x2F;www.opensanctions.org&#x2F;<p>",
        "OpenSanctions",
        "REMOTE (EU/Asia/Americas -- no US) or HYBRID Berlin",
        True,
        "€~55k-€~75k",
        None,
        "Customer Engineer",
    ),
    (
        "Evervault | Engineers, Designers, PM | London or Dublin | Fulltime | https://evervault.com<p>",
        "Evervault",
        "London or Dublin",
        None,
        None,
        "full-time",
        "Engineers, Designers, PM",
    ),
    (
        "Founding Engineer @ Conductor (San Francisco, ONSITE)<p>",
        "Conductor",
        "San Francisco, ONSITE",
        False,
        None,
        None,
        "Founding Engineer",
    ),
    (
        '<font color="#000000">London, England - Full Time - Local Only (with flexibility to work '
        "from home on occasion)<p>Optim.al is hiring",
        None,
        "London, England",
        False,
        None,
        "full-time",
        None,
    ),
    (
        "Code Platoon - Chicago, IL - Ruby Instructor<p>",
        "Code Platoon",
        "Chicago, IL",
        None,
        None,
        None,
        "Ruby Instructor",
    ),
    (
        "Salt Lake City, UT - Lucidchart<p>",
        None,
        "Salt Lake City, UT",
        None,
        None,
        None,
        None,
    ),
    (
        "Trail | London | Full Time, Remote<p>",
        "Trail",
        "London",
        True,
        None,
        "full-time",
        None,
    ),
    (
        "Breather | Sr. Front-End Developer (React&#x2F;Redux)| Montreal, QC| ONSITE | "
        "https:&#x2F;&#x2F;breather.com<p>",
        "Breather",
        "Montreal, QC",
        False,
        None,
        None,
        "Sr. Front-End Developer (React/Redux)",
    ),
    (
        "Dealini | Zurich, Switzerland | Onsite | Fulltime | Senior Python Developer | 85k-110k CHF<p>",
        "Dealini",
        "Zurich, Switzerland",
        False,
        "85k-110k CHF",
        "full-time",
        "Senior Python Developer",
    ),
    (
        "Engage (http:&#x2F;&#x2F;enga.ge) | Washington DC (Alexandria, VA) | Web Development Intern "
        "(Paid) | On-site | Student Visas Welcome<p>",
        "Engage",
        "Washington DC (Alexandria, VA)",
        False,
        None,
        "internship",
        "Web Development Intern (Paid)",
    ),
    (
        "SwingVision is the AI tennis &amp; pickleball app that provides automated stats, highlights, "
        "and line calling using just your phone. Our mission is to democratize tennis.<p>",
        None,
        None,
        None,
        None,
        None,
        None,
    ),
]


@pytest.mark.parametrize(
    ("html", "company", "location", "remote", "salary", "kind", "roles"),
    CASES,
    ids=[c[0][:25] for c in CASES],
)
def test_parse_first_line(
    html: str,
    company: str | None,
    location: str | None,
    remote: bool | None,
    salary: str | None,
    kind: str | None,
    roles: str | None,
) -> None:
    header = parse_first_line(html)
    assert header.company == company
    assert header.location == location
    assert header.remote is remote
    assert header.salary == salary
    assert header.employment_type == kind
    assert header.roles == roles
    assert "<" not in header.first_line and "&#x2F;" not in header.first_line


def test_first_line_is_before_first_paragraph() -> None:
    header = parse_first_line("Acme | Remote<p>Berlin | Data Engineer")
    assert header.first_line == "Acme | Remote"
    assert header.roles is None


@pytest.mark.parametrize(
    ("title", "month"),
    [
        ("Ask HN: Who is hiring? (January 2026)", dt.date(2026, 1, 1)),
        ("Ask HN: Who is hiring? (September 2024)", dt.date(2024, 9, 1)),
        ("Ask HN: Who wants to be hired?", None),
        ("", None),
    ],
)
def test_thread_month(title: str, month: dt.date | None) -> None:
    assert thread_month(title) == month

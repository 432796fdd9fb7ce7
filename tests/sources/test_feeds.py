"""Public job APIs: records + map on recorded and real responses, fetch requests, paging and keys."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from skillgauge.exceptions import InputError, SourceError, TerminalSourceError
from skillgauge.models import MappedPosting
from skillgauge.sources import registry
from skillgauge.sources.adzuna import AdzunaSource
from skillgauge.sources.arbeitnow import ArbeitnowSource
from skillgauge.sources.http import HttpClient
from skillgauge.sources.jobicy import JobicySource
from skillgauge.sources.remoteok import RemoteOKSource
from skillgauge.sources.remotive import RemotiveSource
from skillgauge.sources.themuse import TheMuseSource
from skillgauge.sources.usajobs import USAJobsSource

DATA = Path(__file__).resolve().parents[1] / "data"
REAL = "api_responses"


class Recorder:
    """A MockTransport handler serving recorded files (or a status) by request, remembering each."""

    def __init__(self, route: Callable[[httpx.Request], Path | int]) -> None:
        self.route = route
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        out = self.route(request)
        if isinstance(out, int):
            return httpx.Response(out, text="error")
        return httpx.Response(
            200, content=out.read_bytes(), headers={"content-type": "application/json"}
        )

    def client(self) -> HttpClient:
        return HttpClient(transport=httpx.MockTransport(self), rate=math.inf, max_retries=0)


def postings(source: Any, body: bytes) -> list[MappedPosting | str]:
    return [source.map(r) for r in source.records(body)]


def jobs(source: Any, body: bytes) -> list[MappedPosting]:
    out = postings(source, body)
    return [m for m in out if isinstance(m, MappedPosting)]


# -- Remotive ---------------------------------------------------------------------------------


def test_remotive_records_and_map() -> None:
    out = postings(RemotiveSource(), (DATA / "remotive" / "remote-jobs.json").read_bytes())
    assert out[2] == "no title and no description"
    first = out[0]
    assert isinstance(first, MappedPosting)
    assert first.source_id == "1901234" and first.title == "Senior Data Engineer"
    assert first.company == "Acme Analytics" and first.location == "Europe" and first.remote is True
    assert first.date_posted == dt.date(2026, 7, 30)
    assert first.salary is not None and (first.salary.min, first.salary.max) == (70_000, 85_000)
    assert first.salary.currency == "EUR"
    assert first.employment_type == "full_time"
    assert first.description == "<p>We use <strong>Python</strong>, Spark and Airflow on AWS.</p>"
    assert first.extra == {"category": "Software Development", "tags": ["python", "spark", "aws"]}
    second = out[1]
    assert (
        isinstance(second, MappedPosting) and second.salary is None and "tags" not in second.extra
    )


def test_remotive_fetch_is_one_request_with_filters() -> None:
    server = Recorder(lambda r: DATA / "remotive" / "remote-jobs.json")
    with server.client() as client:
        pages = list(RemotiveSource(category="software-dev", limit="50").fetch(client))
    assert len(server.requests) == 1
    req = server.requests[0]
    assert str(req.url).startswith("https://remotive.com/api/remote-jobs?")
    assert dict(req.url.params) == {"category": "software-dev", "limit": "50"}
    assert len(pages) == 1 and pages[0].cursor == "2026-07-30T10:11:12"


@pytest.mark.shared
def test_remotive_real_response(shared_data: Path) -> None:
    body = (shared_data / REAL / "remotive" / "remote-jobs-2026-08.json").read_bytes()
    out = jobs(RemotiveSource(), body)
    assert len(out) == 5  # no 0-legal-notice / job-count in this trimmed copy: still fine
    assert out[0].source_id == "2091081" and out[0].date_posted == dt.date(2026, 7, 28)
    hourly = out[1].salary
    assert hourly is not None and (hourly.min, hourly.max, hourly.period) == (18, 22, "hour")
    assert out[4].salary is None and out[4].employment_type is None  # "" salary and job_type


# -- RemoteOK ---------------------------------------------------------------------------------


def test_remoteok_legal_notice_rejected_and_zero_salary_unknown() -> None:
    out = postings(RemoteOKSource(), (DATA / "remoteok" / "api.json").read_bytes())
    assert out[0] == "RemoteOK legal notice (element 0), not a job"
    go, front = out[1], out[2]
    assert isinstance(go, MappedPosting) and isinstance(front, MappedPosting)
    assert go.salary is not None and (go.salary.min, go.salary.max, go.salary.currency) == (
        120_000,
        160_000,
        "USD",
    )
    assert front.salary is None  # salary_min/max 0 means unknown
    assert front.location == "How"  # junk location kept, trimmed
    assert go.date_posted == dt.date(2026, 8, 3) and go.remote is True
    assert go.title == "Senior Golang Engineer" and go.source_id == "1136100"
    assert go.extra["tags"] == ["golang", "backend", "postgres"]


def test_remoteok_sends_a_user_agent_and_tag() -> None:
    server = Recorder(lambda r: DATA / "remoteok" / "api.json")
    with server.client() as client:
        pages = list(RemoteOKSource(tag="python", user_agent="skillgauge-test/1").fetch(client))
    req = server.requests[0]
    assert req.url.path == "/api" and req.url.params["tag"] == "python"
    assert req.headers["User-Agent"] == "skillgauge-test/1"
    assert pages[0].cursor == "1785790000"


@pytest.mark.shared
def test_remoteok_real_response(shared_data: Path) -> None:
    out = postings(
        RemoteOKSource(), (shared_data / REAL / "remoteok" / "api-2026-08.json").read_bytes()
    )
    assert isinstance(out[0], str) and "legal notice" in out[0]
    real = [m for m in out if isinstance(m, MappedPosting)]
    assert len(real) == 4 and all(m.salary is None for m in real)
    assert [m.source_id for m in real] == ["1135929", "1136039", "1135927", "1135924"]
    assert all(m.date_posted == dt.date(2026, 8, 2) for m in real)


# -- Arbeitnow --------------------------------------------------------------------------------


def arbeitnow_route(request: httpx.Request) -> Path | int:
    page = request.url.params.get("page", "1")
    return DATA / "arbeitnow" / f"page{page}.json"


def test_arbeitnow_follows_links_next_and_sets_cursor_on_last_page() -> None:
    server = Recorder(arbeitnow_route)
    with server.client() as client:
        pages = list(ArbeitnowSource().fetch(client))
    assert [str(r.url) for r in server.requests] == [
        "https://www.arbeitnow.com/api/job-board-api",
        "https://www.arbeitnow.com/api/job-board-api?page=2",
    ]
    assert [p.cursor for p in pages] == [None, "1785792634"]


def test_arbeitnow_stops_at_since() -> None:
    server = Recorder(arbeitnow_route)
    with server.client() as client:
        # page 1 reaches back to 1785700000 (2026-08-02): older than since, so page 2 is not read
        pages = list(ArbeitnowSource().fetch(client, since=dt.date(2026, 8, 3)))
    assert len(server.requests) == 1 and len(pages) == 1 and pages[0].cursor == "1785792634"


def test_arbeitnow_stops_at_cursor_and_max_pages_and_foreign_next(tmp_path: Path) -> None:
    server = Recorder(arbeitnow_route)
    with server.client() as client:
        list(ArbeitnowSource().fetch(client, cursor="1785750000"))
        list(ArbeitnowSource(max_pages="1").fetch(client))
    assert len(server.requests) == 2
    foreign = json.loads((DATA / "arbeitnow" / "page1.json").read_text())
    foreign["links"]["next"] = "https://evil.example/api?page=2"
    (tmp_path / "p.json").write_text(json.dumps(foreign))
    server = Recorder(lambda r: tmp_path / "p.json")
    with server.client() as client:
        assert len(list(ArbeitnowSource().fetch(client))) == 1
    assert len(server.requests) == 1


def test_arbeitnow_map() -> None:
    out = jobs(ArbeitnowSource(), (DATA / "arbeitnow" / "page1.json").read_bytes())
    assert out[0].remote is True and out[1].remote is False
    assert out[0].date_posted == dt.date(2026, 8, 3)  # created_at is epoch seconds
    assert out[0].source_id == "backend-engineer-berlin-11"
    assert out[0].employment_type == "professional / experienced" and out[1].employment_type is None


@pytest.mark.shared
def test_arbeitnow_real_response(shared_data: Path) -> None:
    body = (shared_data / REAL / "arbeitnow" / "job-board-api-2026-08.json").read_bytes()
    out = jobs(ArbeitnowSource(), body)
    assert len(out) == 5 and all(m.remote is False for m in out)
    assert out[0].title == "ML Product Engineer" and out[0].date_posted == dt.date(2026, 8, 3)
    server = Recorder(lambda r: shared_data / REAL / "arbeitnow" / "job-board-api-2026-08.json")
    with server.client() as client:  # no links/meta in the trimmed copy: one page, done
        assert len(list(ArbeitnowSource().fetch(client))) == 1


# -- Jobicy -----------------------------------------------------------------------------------


def test_jobicy_map_salary_and_escaped_text() -> None:
    out = jobs(JobicySource(), (DATA / "jobicy" / "remote-jobs.json").read_bytes())
    platform, support = out
    assert platform.company == "Cloud & Co" and platform.extra["industry"] == ["DevOps & Sysadmin"]
    assert platform.salary is not None and platform.salary.period == "year"
    assert (platform.salary.min, platform.salary.max, platform.salary.currency) == (
        150_000,
        190_000,
        "USD",
    )
    assert support.salary is not None and (support.salary.period, support.salary.currency) == (
        "hour",
        "EUR",
    )
    assert support.description == "Zendesk."  # empty jobDescription: the excerpt is used
    assert platform.seniority_hint == "Senior" and platform.employment_type == "Full-Time"


def test_jobicy_fetch_params() -> None:
    server = Recorder(lambda r: DATA / "jobicy" / "remote-jobs.json")
    with server.client() as client:
        pages = list(JobicySource(count="20", tag="python").fetch(client))
    assert dict(server.requests[0].url.params) == {"count": "20", "tag": "python"}
    assert pages[0].cursor == "2026-08-03T18:45:05+00:00"


@pytest.mark.shared
def test_jobicy_real_response(shared_data: Path) -> None:
    out = jobs(
        JobicySource(),
        (shared_data / REAL / "jobicy" / "remote-jobs-api-2026-08.json").read_bytes(),
    )
    assert len(out) == 5 and all(m.salary is not None and m.salary.period == "year" for m in out)
    assert out[0].extra["industry"] == ["Project & Program Management"]


# -- The Muse ---------------------------------------------------------------------------------


def muse_route(request: httpx.Request) -> Path | int:
    return DATA / "themuse" / f"page{request.url.params['page']}.json"


def test_themuse_pages_until_page_count_and_hides_the_key() -> None:
    server = Recorder(muse_route)
    with server.client() as client:
        pages = list(
            TheMuseSource(key="muse-secret-123", category="Software Engineering").fetch(client)
        )
    assert [r.url.params["page"] for r in server.requests] == ["1", "2"]
    assert all(r.url.params["api_key"] == "muse-secret-123" for r in server.requests)
    assert all(r.url.params["descending"] == "true" for r in server.requests)
    assert all("muse-secret-123" not in p.url for p in pages)
    assert pages[0].url.startswith("https://www.themuse.com/api/public/jobs?page=1")
    assert [p.cursor for p in pages] == [None, "2026-08-03T12:00:00.123456Z"]


def test_themuse_since_stops_early_and_map() -> None:
    server = Recorder(muse_route)
    with server.client() as client:
        pages = list(TheMuseSource().fetch(client, since=dt.date(2026, 8, 2)))
    assert len(server.requests) == 1 and "api_key" not in server.requests[0].url.params
    out = jobs(TheMuseSource(), pages[0].body)
    assert out[0].remote is True and out[0].location == "New York, NY"
    assert out[1].remote is None and out[1].location == "Chicago, IL"
    assert out[0].company == "Bankly" and out[0].date_posted == dt.date(2026, 8, 3)
    assert out[0].url == "https://www.themuse.com/jobs/bankly/senior-software-engineer"
    assert out[0].seniority_hint == "Senior Level"


# -- USAJOBS ----------------------------------------------------------------------------------


def usajobs_route(request: httpx.Request) -> Path | int:
    if request.headers.get("Authorization-Key") != "usa-secret-key":
        return 401
    return DATA / "usajobs" / f"search_page{request.url.params['Page']}.json"


def test_usajobs_headers_paging_and_since() -> None:
    server = Recorder(usajobs_route)
    source = USAJobsSource(
        key="usa-secret-key",
        email="me@example.org",
        keyword="data",
        results_per_page="2",
        today=lambda: dt.date(2026, 8, 4),
    )
    with server.client() as client:
        pages = list(source.fetch(client, since=dt.date(2026, 7, 25)))
    assert [r.url.params["Page"] for r in server.requests] == ["1", "2"]  # 2 per page, 3 in all
    first = server.requests[0]
    assert first.headers["Host"] == "data.usajobs.gov"
    assert first.headers["User-Agent"] == "me@example.org"
    assert first.url.params["DatePosted"] == "10" and first.url.params["Keyword"] == "data"
    assert all("usa-secret-key" not in p.url for p in pages)
    assert pages[-1].cursor == "2026-08-01T00:00:00.0000"


def test_usajobs_needs_key_and_refused_key_is_not_shown() -> None:
    with pytest.raises(TerminalSourceError, match="SKILLGAUGE_USAJOBS_KEY"):
        list(USAJobsSource(email="me@example.org").fetch(Recorder(usajobs_route).client()))
    server = Recorder(usajobs_route)
    with server.client() as client, pytest.raises(SourceError) as err:
        list(USAJobsSource(key="wrong-key-xyz", email="me@example.org").fetch(client))
    assert "wrong-key-xyz" not in str(err.value)


def test_usajobs_map() -> None:
    out = jobs(USAJobsSource(), (DATA / "usajobs" / "search_page1.json").read_bytes())
    it, scientist = out
    assert it.source_id == "800100100" and it.title == "IT Specialist (Data Management)"
    assert it.company == "Census Bureau" and it.extra["department"] == "Department of Commerce"
    assert it.salary is not None and (it.salary.min, it.salary.max, it.salary.period) == (
        117962,
        153354,
        "year",
    )
    assert it.remote is False and scientist.remote is True
    assert it.date_posted == dt.date(2026, 8, 1)
    assert it.description is not None and "Build ETL pipelines in Python and SQL." in it.description
    assert it.employment_type == "Full-time" and it.location == "Washington, District of Columbia"
    intern = jobs(USAJobsSource(), (DATA / "usajobs" / "search_page2.json").read_bytes())[0]
    assert intern.salary is not None and intern.salary.period == "hour" and intern.remote is None


# -- Adzuna -----------------------------------------------------------------------------------


def adzuna_route(request: httpx.Request) -> Path | int:
    if request.url.params.get("app_key") != "adz-secret-key":
        return 401
    page = request.url.path.rsplit("/", 1)[1]
    return DATA / "adzuna" / f"gb_search_{page}.json"


def test_adzuna_page_in_path_keys_in_params_not_in_page_url() -> None:
    server = Recorder(adzuna_route)
    source = AdzunaSource(
        app_id="adz-id-1", app_key="adz-secret-key", what="python", results_per_page="2",
        today=lambda: dt.date(2026, 8, 4),
    )  # fmt: skip
    with server.client() as client:
        pages = list(source.fetch(client, since=dt.date(2026, 7, 28)))
    assert [r.url.path for r in server.requests] == [
        "/v1/api/jobs/gb/search/1",
        "/v1/api/jobs/gb/search/2",
    ]
    params = server.requests[0].url.params
    assert params["app_id"] == "adz-id-1" and params["what"] == "python"
    assert params["max_days_old"] == "7" and params["sort_by"] == "date"
    for page in pages:
        assert "adz-secret-key" not in page.url and "adz-id-1" not in page.url
    assert pages[-1].cursor == "2026-08-03T09:12:45Z"


def test_adzuna_refused_key_not_in_error_and_missing_key() -> None:
    server = Recorder(adzuna_route)
    with server.client() as client, pytest.raises(SourceError) as err:
        list(AdzunaSource(app_id="i", app_key="bad-secret-abc").fetch(client))
    assert "bad-secret-abc" not in str(err.value)
    with pytest.raises(TerminalSourceError, match="SKILLGAUGE_ADZUNA_APP_KEY"):
        list(AdzunaSource().fetch(server.client()))
    with pytest.raises(InputError):
        AdzunaSource(country="xx")


def test_adzuna_map_predicted_salary_is_not_a_salary() -> None:
    stated, predicted = jobs(AdzunaSource(), (DATA / "adzuna" / "gb_search_1.json").read_bytes())
    assert stated.salary is not None and stated.salary.currency == "GBP"
    assert (stated.salary.min, stated.salary.max, stated.salary.period) == (70_000, 85_000, "year")
    assert predicted.salary is None
    assert predicted.extra["predicted_salary"]["min"] == 52341.12
    assert stated.extra["description_is_snippet"] is True
    assert stated.company == "Thames Tech" and stated.location == "The City"
    assert stated.employment_type == "full_time, permanent"
    assert stated.date_posted == dt.date(2026, 8, 3) and stated.source_id == "4810001"


# -- every source -----------------------------------------------------------------------------

SOURCES: list[Any] = [
    RemotiveSource(),
    RemoteOKSource(),
    ArbeitnowSource(),
    JobicySource(),
    TheMuseSource(),
    USAJobsSource(),
    AdzunaSource(),
]


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.info.name)
def test_map_never_raises_on_odd_records(source: Any) -> None:
    odd: list[dict[str, Any]] = [
        {},
        {"title": 5, "description": ["x"], "id": None},
        dict.fromkeys(("title", "position", "jobTitle", "name", "PositionTitle")),
        {"title": "T", "position": "T", "jobTitle": "T", "name": "T", "salary": 7, "salary_min": "x",
         "salaryMin": True, "publication_date": "yesterday-ish", "created_at": "soon", "epoch": -5,
         "pubDate": 12, "created": {}, "locations": "Remote", "company": 3, "tags": "a",
         "MatchedObjectDescriptor": {"PositionTitle": "T", "PositionRemuneration": "x", "UserArea": 1}},
    ]  # fmt: skip
    for record in odd:
        assert isinstance(source.map(record), MappedPosting | str)


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.info.name)
def test_malformed_body_is_a_terminal_error_naming_the_source(source: Any) -> None:
    with pytest.raises(TerminalSourceError, match=f"^{source.info.name}: "):
        source.records(b"<html>maintenance</html>")


@pytest.mark.parametrize(
    "name",
    [
        "hackernews",
        "remotive",
        "remoteok",
        "arbeitnow",
        "jobicy",
        "themuse",
        "usajobs",
        "adzuna",
        "boards",
    ],
)
def test_registry_builds_each_source_from_text_options(name: str) -> None:
    info = registry.info(name)
    assert info.terms and info.docs and info.kind in {"forum", "public-api", "scraper"}
    env = {
        "SKILLGAUGE_THEMUSE_MAX_PAGES": "3",
        "SKILLGAUGE_USAJOBS_KEY": "k",
        "SKILLGAUGE_USAJOBS_RESULTS_PER_PAGE": "100",
        "SKILLGAUGE_ADZUNA_APP_KEY": "k",
        "SKILLGAUGE_BOARDS_SITES": "linkedin,indeed",
        "SKILLGAUGE_BOARDS_RESULTS_WANTED": "20",
        "SKILLGAUGE_HACKERNEWS_HITS_PER_PAGE": "50",
    }
    source = registry.create(name, env=env)
    assert type(source).info is info
    with pytest.raises(InputError, match="no option nope"):
        registry.create(name, {"nope": "1"})


def test_numeric_options_given_as_bad_text_are_input_errors() -> None:
    with pytest.raises(InputError, match="max_pages must be a whole number"):
        registry.create("themuse", {"max_pages": "many"})

"""Company-board sources: Greenhouse, Lever, Ashby, SmartRecruiters, Workable, Recruitee, Personio.

Each source is tested on a response recorded under ``tests/data/<source>/`` in the documented shape
(quirks included: escaped HTML, epoch milliseconds, nulls, unknown keys), through ``records`` +
``map``, and through ``fetch`` on the real :class:`HttpClient` over an ``httpx.MockTransport``
(:class:`RecordedServer`) so the exact requests, paging and stop conditions are asserted. The real
recorded responses in ``../shared`` are exercised in ``test_board_shared.py``.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx
import pytest

from skillgauge.exceptions import InputError, TerminalSourceError
from skillgauge.models import MappedPosting, Salary
from skillgauge.sources import registry
from skillgauge.sources.ashby import AshbySource, compensation_salary
from skillgauge.sources.greenhouse import GreenhouseSource
from skillgauge.sources.http import HttpClient
from skillgauge.sources.lever import LeverSource
from skillgauge.sources.personio import PersonioSource
from skillgauge.sources.recruitee import RecruiteeSource
from skillgauge.sources.smartrecruiters import SmartRecruitersSource
from skillgauge.sources.workable import WorkableSource

DATA = Path(__file__).resolve().parents[1] / "data"
GREENHOUSE = DATA / "greenhouse" / "northwind-jobs-content.json"
LEVER_0 = DATA / "lever" / "acme-postings-skip0.json"
LEVER_2 = DATA / "lever" / "acme-postings-skip2.json"
ASHBY = DATA / "ashby" / "lumen-job-board-comp.json"
SR_DIR = DATA / "smartrecruiters"
WORKABLE = DATA / "workable" / "kestrel-widget-details.json"
RECRUITEE = DATA / "recruitee" / "harbor-offers.json"
PERSONIO = DATA / "personio" / "alpenrad-jobs.xml"
SR_IDS = ("744000151234501", "744000151234502", "744000151234503")
SR_LIST = "https://api.smartrecruiters.com/v1/companies/FjordTech/postings"


class RecordedServer:
    """Serve recorded bodies by URL on a MockTransport and remember every request in order.

    Routes are keyed by the URL without its query plus the query parameters, so a request with a
    different ``skip`` or a missing ``content=true`` is a 404 (turned by the real HttpClient into a
    TerminalSourceError), not a silent success.
    """

    def __init__(self) -> None:
        self.routes: dict[tuple[str, frozenset[tuple[str, str]]], tuple[int, bytes, str]] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []

    def add(
        self,
        url: str,
        body: bytes | Path,
        *,
        params: Mapping[str, str | int] | None = None,
        status: int = 200,
        content_type: str = "application/json",
    ) -> None:
        data = body.read_bytes() if isinstance(body, Path) else body
        key = (url, frozenset((k, str(v)) for k, v in (params or {}).items()))
        self.routes[key] = (status, data, content_type)

    def handler(self, request: httpx.Request) -> httpx.Response:
        base = str(request.url.copy_with(query=None))
        params = dict(request.url.params.items())
        self.requests.append((base, params))
        found = self.routes.get((base, frozenset(params.items())))
        if found is None:
            return httpx.Response(404, text="not found")
        status, body, content_type = found
        return httpx.Response(status, content=body, headers={"Content-Type": content_type})

    def client(self) -> HttpClient:
        """The real HttpClient, without waits or retries, on this server."""
        return HttpClient(
            transport=httpx.MockTransport(self.handler),
            rate=math.inf,
            max_retries=0,
            respect_robots=False,
            sleep=lambda _seconds: None,
        )


def mapped(source: Any, record: dict[str, Any], board: str | None = None) -> MappedPosting:
    result = source.map(record, board=board)
    assert isinstance(result, MappedPosting), result
    return result


# -- the seven sources share the contract ---------------------------------------------------------

SOURCES: dict[str, tuple[Any, Path, str]] = {
    "greenhouse": (GreenhouseSource(), GREENHOUSE, "northwind"),
    "lever": (LeverSource(), LEVER_0, "acme"),
    "ashby": (AshbySource(), ASHBY, "lumen"),
    "smartrecruiters": (
        SmartRecruitersSource(),
        SR_DIR / f"fjordtech-posting-{SR_IDS[0]}.json",
        "FjordTech",
    ),
    "workable": (WorkableSource(), WORKABLE, "kestrel"),
    "recruitee": (RecruiteeSource(), RECRUITEE, "harbor"),
    "personio": (PersonioSource(), PERSONIO, "alpenrad"),
}


@pytest.mark.parametrize("name", list(SOURCES))
def test_info_and_registry(name: str) -> None:
    source, _, _ = SOURCES[name]
    assert registry.source_class(name) is type(source)
    info = source.info
    assert info.name == name
    assert info.kind == "company-board"
    assert info.snapshot is True
    assert info.docs.startswith("https://")
    assert info.terms and info.needs and "board" in info.needs[0]


@pytest.mark.parametrize("name", list(SOURCES))
def test_registry_creates_each_source_without_options(name: str) -> None:
    assert type(registry.create(name, env={})) is type(SOURCES[name][0])


@pytest.mark.parametrize("name", list(SOURCES))
def test_fetch_without_a_board_is_an_input_error_before_any_request(name: str) -> None:
    source, _, _ = SOURCES[name]
    server = RecordedServer()
    with server.client() as client:
        for bad in (None, "", "../etc", "a/b", "x?y=1", "evil.com#"):
            with pytest.raises(InputError):
                list(source.fetch(client, board=bad))
    assert server.requests == []


def _variants(value: Any) -> list[Any]:
    return [None, "", "garbage", 0, -1, 1.5, True, [], {}, ["x", None], {"x": None}, value]


@pytest.mark.parametrize("name", list(SOURCES))
def test_map_survives_nulls_and_wrong_types_in_every_field(name: str) -> None:
    """Every key (and every key of nested objects) set to null or a wrong type: never raises."""
    source, path, board = SOURCES[name]
    records = source.records(path.read_bytes())
    assert records
    for record in records:
        for key, value in record.items():
            for variant in _variants(value):
                broken = dict(record, **{key: variant})
                assert isinstance(source.map(broken, board=board), MappedPosting | str)
            if isinstance(value, dict):
                for inner in value:
                    for variant in _variants(value[inner]):
                        broken = copy.deepcopy(record)
                        broken[key][inner] = variant
                        assert isinstance(source.map(broken, board=board), MappedPosting | str)


@pytest.mark.parametrize("name", list(SOURCES))
@pytest.mark.parametrize(
    "record", [{}, {"legal": "Terms apply", "last_updated": 1718000000}, {"id": 5, "meta": {}}]
)
def test_a_record_that_is_not_a_job_is_rejected_with_a_reason(
    name: str, record: dict[str, Any]
) -> None:
    source, _, board = SOURCES[name]
    reason = source.map(record, board=board)
    assert isinstance(reason, str) and "no title" in reason


@pytest.mark.parametrize("name", [n for n in SOURCES if n != "personio"])
@pytest.mark.parametrize("body", [b"<html><body>Oops</body></html>", b'{"error": "x"}', b"42"])
def test_records_on_a_body_that_is_not_the_api_response_is_a_terminal_error(
    name: str, body: bytes
) -> None:
    source, _, _ = SOURCES[name]
    with pytest.raises(TerminalSourceError) as info:
        source.records(body)
    assert str(info.value).startswith(f"{name}: ")


# -- Greenhouse -------------------------------------------------------------------------------------


def test_greenhouse_records_and_map() -> None:
    source = GreenhouseSource()
    records = source.records(GREENHOUSE.read_bytes())
    assert [r["id"] for r in records] == [7012345008, 7012345009, 7012345010, 7012345011]
    postings = [mapped(source, r, board="northwind") for r in records]
    assert [p.title for p in postings] == [
        "Senior Backend Engineer, Payments",
        "Data Engineer",
        "Site Reliability Engineer",
        "Product Designer",
    ]
    first, second, third, fourth = postings
    # HTML-escaped content is kept exactly as sent: the cleaner unescapes it once.
    assert first.description == records[0]["content"]
    assert first.description is not None and first.description.startswith("&lt;div class=&quot;")
    assert first.source_id == "7012345008" and first.company == "Northwind Robotics"
    assert first.remote is True and first.location == "Remote - US"
    assert first.date_posted == dt.date(2026, 4, 28)
    assert first.date_raw == "2026-04-28T09:30:00-04:00"
    assert first.url == "https://job-boards.greenhouse.io/northwind/jobs/7012345008"
    assert first.extra["departments"] == ["Engineering"]
    assert first.extra["requisition_id"] == "ENG-1042"
    assert first.salary is None  # the pay range is only inside the HTML
    # "On-Site" metadata wins over anything; the date is the local date of the offset given
    assert second.remote is False and second.date_posted == dt.date(2026, 3, 30)
    assert second.url == "https://northwind.example/careers?gh_jid=7012345009"
    assert "hiring_plan_badge" not in second.extra  # unknown keys are ignored
    # Location Type null: the location text decides; no first_published: updated_at
    assert third.remote is True and third.location == "London, UK; Remote-Friendly, Europe"
    assert third.date_posted == dt.date(2026, 1, 15)
    assert third.company == "northwind" and third.description is None
    # nulls everywhere and a date that is not one: None fields, not an exception
    assert fourth.location is None and fourth.remote is None
    assert fourth.date_posted is None and fourth.date_raw == "not a date"


def test_greenhouse_single_job_response_is_one_record() -> None:
    job = json.loads(GREENHOUSE.read_bytes())["jobs"][1]
    records = GreenhouseSource().records(json.dumps(job).encode())
    assert len(records) == 1 and records[0]["title"] == "Data Engineer"


def test_greenhouse_fetch_one_request_with_content() -> None:
    server = RecordedServer()
    url = "https://boards-api.greenhouse.io/v1/boards/northwind/jobs"
    server.add(url, GREENHOUSE, params={"content": "true"})
    with server.client() as client:
        pages = list(GreenhouseSource().fetch(client, board="northwind"))
        again = list(GreenhouseSource().fetch(client, board="northwind", since=dt.date(2026, 4, 1)))
    assert server.requests == [(url, {"content": "true"})] * 2  # since cannot be sent
    (page,) = pages
    assert page.board == "northwind" and page.cursor == "2026-04-28"
    assert page.body == GREENHOUSE.read_bytes() and page.url == f"{url}?content=true"
    assert again[0].body == page.body  # snapshot: since drops nothing


def test_greenhouse_unknown_board_is_terminal() -> None:
    server = RecordedServer()
    with server.client() as client, pytest.raises(TerminalSourceError, match="board"):
        list(GreenhouseSource().fetch(client, board="nosuchboard"))


# -- Lever ------------------------------------------------------------------------------------------


def test_lever_records_and_map() -> None:
    source = LeverSource()
    records = source.records(LEVER_0.read_bytes()) + source.records(LEVER_2.read_bytes())
    assert len(records) == 3
    first, second, third = (mapped(source, r, board="acme") for r in records)
    assert first.title == "Platform Engineer"
    assert first.source_id == "0b7e3c52-6a1e-4d8e-9d62-0f6a8e1c9a01"
    assert first.date_posted == dt.date(2026, 1, 1)  # epoch milliseconds
    assert first.date_raw == "1767225600000"
    assert first.remote is True and first.company == "acme"
    assert first.salary == Salary(70000.0, 95000.0, "EUR", "year", "Base salary range")
    assert first.employment_type == "Full-time"
    assert first.description is not None
    assert first.description.startswith("<div>Join the <b>platform</b> team.</div>")
    assert "<h3>What you'll do</h3>\n<ul><li>Operate Kafka and Terraform</li>" in first.description
    assert first.description.endswith("<div>We are an equal opportunity employer.</div>")
    assert first.extra["all_locations"] == ["Remote - Europe", "Lisbon"]
    assert first.extra["team"] == "Platform" and first.extra["country"] == "PT"
    # empty description: opening + descriptionBody; hybrid is not remote; pay from the text
    assert second.description == (
        "<p>Hybrid role, three days in the office.</p>\n"
        "<p>Analyse product usage with <b>SQL</b> and dbt.</p>"
    )
    assert second.remote is False and second.date_posted == dt.date(2026, 2, 1)
    assert second.salary is not None and (second.salary.min, second.salary.max) == (85.0, 110.0)
    assert second.salary.period == "hour"
    # epoch ms as a string, null categories and salaryRange, an unknown key
    assert third.date_posted == dt.date(2026, 3, 1)
    assert third.remote is None and third.location is None and third.salary is None
    assert third.description == "Help customers succeed."
    assert "futureField" not in third.extra


def test_lever_company_from_hosted_url_when_no_board_is_given() -> None:
    record = json.loads(LEVER_0.read_bytes())[0]
    assert mapped(LeverSource(), record).company == "acme"


def _lever_server(host: str = "https://api.lever.co") -> tuple[RecordedServer, str]:
    server = RecordedServer()
    url = f"{host}/v0/postings/acme"
    server.add(url, LEVER_0, params={"mode": "json", "skip": 0, "limit": 2})
    server.add(url, LEVER_2, params={"mode": "json", "skip": 2, "limit": 2})
    return server, url


def test_lever_fetch_pages_until_a_short_page() -> None:
    server, url = _lever_server()
    with server.client() as client:
        pages = list(LeverSource(page_size=2).fetch(client, board="acme"))
    assert server.requests == [
        (url, {"mode": "json", "skip": "0", "limit": "2"}),
        (url, {"mode": "json", "skip": "2", "limit": "2"}),
    ]
    assert [p.cursor for p in pages] == ["2026-02-01", "2026-03-01"]
    assert [len(LeverSource().records(p.body)) for p in pages] == [2, 1]
    assert {p.board for p in pages} == {"acme"}


def test_lever_fetch_stops_on_an_empty_first_page_and_ignores_since() -> None:
    server = RecordedServer()
    url = "https://api.lever.co/v0/postings/empty"
    server.add(url, b"[]", params={"mode": "json", "skip": 0, "limit": 100})
    with server.client() as client:
        pages = list(LeverSource().fetch(client, board="empty", since=dt.date(2026, 1, 1)))
    assert len(server.requests) == 1 and len(pages) == 1
    assert pages[0].cursor is None


def test_lever_fetch_eu_host() -> None:
    server, url = _lever_server("https://api.eu.lever.co")
    with server.client() as client:
        pages = list(LeverSource(region="eu", page_size="2").fetch(client, board="acme"))
    assert len(pages) == 2 and all(u == url for u, _ in server.requests)


def test_lever_fetch_stops_when_skip_is_ignored() -> None:
    """A server answering the first page for every ``skip`` must not loop or duplicate postings."""
    server = RecordedServer()
    url = "https://api.lever.co/v0/postings/acme"
    for skip in (0, 2, 4):
        server.add(url, LEVER_0, params={"mode": "json", "skip": skip, "limit": 2})
    with server.client() as client:
        pages = list(LeverSource(page_size=2).fetch(client, board="acme"))
    assert len(server.requests) == 2 and len(pages) == 1


def test_lever_html_instead_of_json_is_a_clear_terminal_error() -> None:
    server = RecordedServer()
    url = "https://api.lever.co/v0/postings/acme"
    server.add(
        url,
        b"<!DOCTYPE html><html>Jobs</html>",
        params={"mode": "json", "skip": 0, "limit": 100},
        content_type="text/html",
    )
    with server.client() as client, pytest.raises(TerminalSourceError, match="HTML"):
        list(LeverSource().fetch(client, board="acme"))


@pytest.mark.parametrize("options", [{"region": "us"}, {"page_size": 0}, {"page_size": "many"}])
def test_lever_rejects_bad_options(options: dict[str, Any]) -> None:
    with pytest.raises(InputError):
        LeverSource(**options)


# -- Ashby ------------------------------------------------------------------------------------------


def test_ashby_records_and_map() -> None:
    source = AshbySource()
    records = source.records(ASHBY.read_bytes())
    assert [r["id"][-2:] for r in records] == ["01", "02", "03"]
    first, second, third = (mapped(source, r, board="lumen") for r in records)
    assert first.title == "Machine Learning Engineer" and first.company == "lumen"
    assert first.remote is False and first.employment_type == "FullTime"
    assert first.date_posted == dt.date(2026, 2, 10)
    # the range spans both tiers' Salary components; equity and bonus are not salary
    assert first.salary == Salary(190000.0, 250000.0, "USD", "year", "$190K - $250K")
    assert first.description == records[0]["descriptionHtml"]
    assert first.extra["secondary_locations"] == ["New York, NY"]
    assert first.extra["country"] == "USA" and first.extra["team"] == "Ranking"
    # isRemote and workplaceType null: the location text says remote; hourly CAD tier
    assert second.remote is True and second.location == "Remote (Canada)"
    assert second.salary == Salary(55.0, 70.0, "CAD", "hour", "CA$55 – CA$70 per hour")
    assert "country" not in second.extra  # postalAddress {}
    # Hybrid (isRemote true) is not remote; hidden pay; an unlisted job is kept and marked
    assert third.remote is False and third.salary is None
    assert third.extra["is_listed"] is False and third.extra["workplace_type"] == "Hybrid"


def test_ashby_without_api_version_or_compensation() -> None:
    data = json.loads(ASHBY.read_bytes())
    del data["apiVersion"]
    for job in data["jobs"]:
        del job["compensation"]
    source = AshbySource()
    records = source.records(json.dumps(data).encode())
    assert len(records) == 3
    assert all(mapped(source, r).salary is None for r in records)
    assert mapped(source, records[0]).company == "lumen"  # from jobUrl


def test_ashby_compensation_salary_does_not_mix_currencies_or_intervals() -> None:
    tiers = [
        {
            "components": [
                {
                    "compensationType": "Salary",
                    "interval": "1 YEAR",
                    "currencyCode": "EUR",
                    "minValue": 60000,
                    "maxValue": 80000,
                }
            ]
        },
        {
            "components": [
                {
                    "compensationType": "Salary",
                    "interval": "1 YEAR",
                    "currencyCode": "USD",
                    "minValue": 90000,
                    "maxValue": 120000,
                }
            ]
        },
        {
            "components": [
                {
                    "compensationType": "Salary",
                    "interval": "1 HOUR",
                    "currencyCode": "EUR",
                    "minValue": 40,
                    "maxValue": 50,
                }
            ]
        },
    ]
    salary = compensation_salary({"compensationTiers": tiers})
    assert salary == Salary(60000.0, 80000.0, "EUR", "year", None)
    assert compensation_salary({"scrapeableCompensationSalarySummary": "€50K - €70K"}) == Salary(
        50000.0, 70000.0, "EUR", "year", "€50K - €70K"
    )
    assert compensation_salary({"compensationTiers": [], "summaryComponents": []}) is None
    assert compensation_salary(None) is None


def test_ashby_fetch_asks_for_compensation() -> None:
    server = RecordedServer()
    url = "https://api.ashbyhq.com/posting-api/job-board/lumen"
    server.add(url, ASHBY, params={"includeCompensation": "true"})
    with server.client() as client:
        (page,) = list(AshbySource().fetch(client, board="lumen", cursor="2020-01-01"))
    assert server.requests == [(url, {"includeCompensation": "true"})]
    assert page.cursor == "2026-03-01" and page.board == "lumen"


# -- SmartRecruiters --------------------------------------------------------------------------------


def _sr_server(missing: str | None = None) -> RecordedServer:
    server = RecordedServer()
    server.add(
        SR_LIST, SR_DIR / "fjordtech-postings-offset0.json", params={"offset": 0, "limit": 2}
    )
    server.add(
        SR_LIST, SR_DIR / "fjordtech-postings-offset2.json", params={"offset": 2, "limit": 2}
    )
    for posting_id in SR_IDS:
        if posting_id != missing:
            server.add(f"{SR_LIST}/{posting_id}", SR_DIR / f"fjordtech-posting-{posting_id}.json")
    return server


def test_smartrecruiters_fetch_lists_then_details_until_total_found() -> None:
    server = _sr_server()
    with server.client() as client:
        pages = list(SmartRecruitersSource(page_size=2).fetch(client, board="FjordTech"))
    assert server.requests == [
        (SR_LIST, {"offset": "0", "limit": "2"}),
        (f"{SR_LIST}/{SR_IDS[0]}", {}),
        (f"{SR_LIST}/{SR_IDS[1]}", {}),
        (SR_LIST, {"offset": "2", "limit": "2"}),
        (f"{SR_LIST}/{SR_IDS[2]}", {}),
    ]
    assert [p.url for p in pages] == [f"{SR_LIST}/{i}" for i in SR_IDS]
    assert [p.cursor for p in pages] == ["2026-04-14", "2026-04-20", "2026-04-20"]
    records = [r for p in pages for r in SmartRecruitersSource().records(p.body)]
    assert [r["id"] for r in records] == list(SR_IDS)


def test_smartrecruiters_skips_a_posting_closed_between_list_and_detail() -> None:
    server = _sr_server(missing=SR_IDS[1])
    with server.client() as client:
        pages = list(SmartRecruitersSource(page_size=2).fetch(client, board="FjordTech"))
    assert [p.url.rsplit("/", 1)[1] for p in pages] == [SR_IDS[0], SR_IDS[2]]


def test_smartrecruiters_gives_up_after_repeated_detail_failures() -> None:
    server = RecordedServer()
    content = [{"id": str(700 + i), "name": f"Job {i}"} for i in range(8)]
    body = json.dumps({"offset": 0, "limit": 100, "totalFound": 8, "content": content}).encode()
    server.add(SR_LIST, body, params={"offset": 0, "limit": 100})
    with server.client() as client, pytest.raises(TerminalSourceError, match="not found"):
        list(SmartRecruitersSource().fetch(client, board="FjordTech"))
    assert len(server.requests) == 1 + 5


def test_smartrecruiters_stops_at_total_found_after_a_full_page() -> None:
    """Two postings, limit 2: ``totalFound`` says there is no next page to ask for."""
    server = RecordedServer()
    data = json.loads((SR_DIR / "fjordtech-postings-offset0.json").read_bytes())
    data["totalFound"] = 2
    server.add(SR_LIST, json.dumps(data).encode(), params={"offset": 0, "limit": 2})
    for posting_id in SR_IDS[:2]:
        server.add(f"{SR_LIST}/{posting_id}", SR_DIR / f"fjordtech-posting-{posting_id}.json")
    with server.client() as client:
        pages = list(SmartRecruitersSource(page_size=2).fetch(client, board="FjordTech"))
    assert len(pages) == 2 and len(server.requests) == 3


def test_smartrecruiters_stops_on_a_short_page_without_total_found() -> None:
    server = RecordedServer()
    data = json.loads((SR_DIR / "fjordtech-postings-offset2.json").read_bytes())
    del data["totalFound"]
    server.add(SR_LIST, json.dumps(data).encode(), params={"offset": 0, "limit": 2})
    server.add(f"{SR_LIST}/{SR_IDS[2]}", SR_DIR / f"fjordtech-posting-{SR_IDS[2]}.json")
    with server.client() as client:
        pages = list(SmartRecruitersSource(page_size=2).fetch(client, board="FjordTech"))
    assert len(pages) == 1 and len(server.requests) == 2


def test_smartrecruiters_map_detail_and_list_item() -> None:
    source = SmartRecruitersSource()
    details = [
        source.records((SR_DIR / f"fjordtech-posting-{i}.json").read_bytes())[0] for i in SR_IDS
    ]
    first, second, third = (mapped(source, d, board="FjordTech") for d in details)
    assert first.title == "Senior Java Developer (all genders)"
    assert first.company == "Fjord Tech AS" and first.location == "Oslo, Oslo, Norway"
    assert first.remote is False and first.extra["hybrid"] is True
    assert first.date_posted == dt.date(2026, 4, 14)
    assert first.employment_type == "Full-time" and first.seniority_hint == "Mid-Senior Level"
    assert first.url is not None and first.url.startswith(
        "https://jobs.smartrecruiters.com/FjordTech/"
    )
    assert first.description is not None
    assert first.description.index("<h3>Company Description</h3>") < first.description.index(
        "<h3>Job Description</h3>\n<ul><li>Develop services in Java 21"
    )
    assert "NOK 750,000" in first.description
    assert (
        first.extra["department"] == "Technology"
        and first.extra["function"] == "Information Technology"
    )
    # null and empty sections are skipped; no fullLocation: the parts
    assert second.remote is True and second.location == "Berlin, BE, de"
    assert second.description == (
        "<h3>Unternehmensbeschreibung</h3>\n<p>Wir bauen Software.</p>\n"
        "<h3>Stellenbeschreibung</h3>\n<p>Dashboards mit Power BI und Python.</p>"
    )
    assert third.remote is None and "department" not in third.extra
    # a list item (no jobAd) maps with its title, no text, and a built URL
    (item,) = source.records((SR_DIR / "fjordtech-postings-offset2.json").read_bytes())
    listed = mapped(source, item)
    assert listed.description is None and listed.title == "IT Support Technician"
    assert listed.url == f"https://jobs.smartrecruiters.com/FjordTech/{SR_IDS[2]}"


# -- Workable ---------------------------------------------------------------------------------------


def test_workable_records_map_and_fetch() -> None:
    source = WorkableSource()
    records = source.records(WORKABLE.read_bytes())
    first, second = (mapped(source, r, board="kestrel") for r in records)
    assert (first.source_id, second.source_id) == ("8F3A1C2D7E", "4B9E6D0A11")
    assert first.title == "Full Stack Developer" and first.remote is True
    assert first.location == "Athens, Attica, Greece" and first.date_posted == dt.date(2026, 4, 2)
    assert first.description is not None and "<strong>TypeScript</strong>" in first.description
    assert first.company == "kestrel" and first.seniority_hint == "Mid-Senior level"
    assert first.url == "https://apply.workable.com/j/8F3A1C2D7E"
    assert second.remote is False and second.date_posted == dt.date(2026, 2, 11)
    assert second.location == "Nicosia, Nicosia, Cyprus"  # from locations[]
    assert second.employment_type == "Part-time" and "department" not in second.extra

    server = RecordedServer()
    url = "https://apply.workable.com/api/v1/widget/accounts/kestrel"
    server.add(url, WORKABLE, params={"details": "true"})
    with server.client() as client:
        (page,) = list(source.fetch(client, board="kestrel", since=dt.date(2026, 4, 1)))
    assert server.requests == [(url, {"details": "true"})]
    assert page.cursor == "2026-04-02" and len(source.records(page.body)) == 2


# -- Recruitee --------------------------------------------------------------------------------------


def test_recruitee_records_map_and_fetch() -> None:
    source = RecruiteeSource()
    records = source.records(RECRUITEE.read_bytes())
    assert [r["id"] for r in records] == [1873401, 1873402, 1873403]
    first = mapped(source, records[0], board="harbor")
    assert first.title == "DevOps Engineer" and first.company == "Harbor Logistics B.V."
    assert first.date_posted == dt.date(2026, 3, 19)  # "2026-03-19 08:00:00 UTC"
    assert first.salary == Salary(4500.0, 6000.0, "EUR", "month", None)
    assert first.remote is False  # hybrid
    assert first.description is not None and first.description.endswith(
        "<ul><li>Docker and Kubernetes</li><li>Terraform or Pulumi</li></ul>"
    )
    assert first.employment_type == "fulltime_permanent" and first.source_id == "1873401"
    assert first.extra["tags"] == ["devops", "cloud"] and first.extra["min_hours"] == 32.0
    second = mapped(source, records[1], board="harbor")
    assert second.remote is True and second.company == "harbor"
    assert second.location == "Antwerp, Belgium" and second.salary is None
    assert second.date_posted == dt.date(2026, 1, 5)  # published_at null: created_at
    assert source.map(records[2], board="harbor") == "offer status is 'internal', not published"

    server = RecordedServer()
    url = "https://harbor.recruitee.com/api/offers/"
    server.add(url, RECRUITEE)
    with server.client() as client:
        (page,) = list(source.fetch(client, board="Harbor"))
    assert server.requests == [(url, {})]
    assert page.board == "harbor" and page.cursor == "2026-03-19"


# -- Personio ---------------------------------------------------------------------------------------


def test_personio_records_one_dict_per_position() -> None:
    records = PersonioSource().records(PERSONIO.read_bytes())
    assert [r["id"] for r in records] == ["1402731", "1402732"]
    assert records[0]["additionalOffices"] == ["Wien", "Zürich"]
    assert records[0]["jobDescriptions"][1] == {
        "name": "Dein Profil & Skills",
        "value": "<p>Erfahrung mit Embedded Linux &amp; CAN-Bus.</p>",
    }
    assert records[1]["additionalOffices"] == [] and records[1]["subcompany"] == ""


def test_personio_map() -> None:
    source = PersonioSource()
    first, second = (
        mapped(source, r, board="alpenrad") for r in source.records(PERSONIO.read_bytes())
    )
    assert first.title == "Embedded Software Engineer (m/w/d)" and first.company == "Alpenrad GmbH"
    assert first.location == "München" and first.remote is None and first.salary is None
    assert first.date_posted == dt.date(2026, 4, 7)
    assert first.url == "https://alpenrad.jobs.personio.de/job/1402731"
    assert first.employment_type == "permanent, full-time" and first.seniority_hint == "experienced"
    assert first.description is not None
    assert first.description.startswith("<h3>Deine Aufgaben</h3>\n<ul><li>Firmware in C++")
    assert "<h3>Dein Profil &amp; Skills</h3>" in first.description
    assert first.extra["additional_offices"] == ["Wien", "Zürich"]
    assert second.company == "alpenrad" and "additional_offices" not in second.extra
    assert second.employment_type == "working_student, part-time"
    assert mapped(source, source.records(PERSONIO.read_bytes())[0]).url is None  # no board


def test_personio_remote_only_from_an_office_that_says_so() -> None:
    source = PersonioSource()
    record = source.records(PERSONIO.read_bytes())[1]
    assert mapped(source, record).remote is None
    assert mapped(source, dict(record, additionalOffices=["Berlin (Remote)"])).remote is True
    assert mapped(source, dict(record, office="Remote")).remote is True


@pytest.mark.parametrize(
    "body",
    [
        # an external entity (XXE): refused before the parser sees it
        b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<workzag-jobs><position><name>&x;</name></position></workzag-jobs>",
        # entity expansion ("billion laughs")
        b'<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b"<workzag-jobs><position><name>&b;</name></position></workzag-jobs>",
        b"<workzag-jobs><position><name>unclosed</position></workzag-jobs>",
        b"<rss><channel/></rss>",
        b'{"jobs": []}',
    ],
)
def test_personio_refuses_dtds_and_bad_xml(body: bytes) -> None:
    with pytest.raises(TerminalSourceError, match=r"^personio: "):
        PersonioSource().records(body)


def test_personio_fetch_host_and_language() -> None:
    server = RecordedServer()
    url = "https://alpenrad.jobs.personio.com/xml"
    server.add(url, PERSONIO, params={"language": "en"}, content_type="text/xml")
    with server.client() as client:
        (page,) = list(
            PersonioSource(host="jobs.personio.com", language="en").fetch(client, board="alpenrad")
        )
    assert server.requests == [(url, {"language": "en"})]
    assert page.cursor == "2026-04-07"
    source = PersonioSource(host="jobs.personio.com")
    assert mapped(source, source.records(page.body)[1], board="alpenrad").url == (
        "https://alpenrad.jobs.personio.com/job/1402732"
    )


@pytest.mark.parametrize("options", [{"host": "evil.example"}, {"language": "english"}])
def test_personio_rejects_bad_options(options: dict[str, Any]) -> None:
    with pytest.raises(InputError):
        PersonioSource(**options)

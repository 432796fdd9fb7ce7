"""Hacker News "Who is hiring?": thread discovery, top-level comments, thread-month dates, cursors."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import math
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from skillgauge.exceptions import InputError, TerminalSourceError
from skillgauge.models import MappedPosting
from skillgauge.sources.hackernews import (
    HackerNewsSource,
    is_hiring_title,
    parse_thread_page,
    thread_records,
)
from skillgauge.sources.http import HttpClient

DATA = Path(__file__).resolve().parents[1] / "data" / "hackernews"


class Recorder:
    """A MockTransport handler serving recorded files by URL, remembering every request."""

    def __init__(self, route: Callable[[httpx.Request], Path | None]) -> None:
        self.route = route
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = self.route(request)
        if path is None:
            return httpx.Response(404, text="not found")
        return httpx.Response(
            200, content=path.read_bytes(), headers={"content-type": "application/json"}
        )

    def client(self) -> HttpClient:
        return HttpClient(transport=httpx.MockTransport(self), rate=math.inf, max_retries=0)

    def paths(self) -> list[str]:
        return [r.url.path for r in self.requests]


def algolia_route(request: httpx.Request) -> Path | None:
    path = request.url.path
    if path == "/api/v1/search_by_date":
        return DATA / f"algolia_stories_page{request.url.params['page']}.json"
    if path.startswith("/api/v1/items/"):
        found = DATA / f"algolia_item_{path.rsplit('/', 1)[1]}.json"
        return found if found.exists() else None
    return None


def firebase_route(request: httpx.Request) -> Path | None:
    name = request.url.path.rsplit("/", 1)[1]  # whoishiring.json or 41425910.json
    kind = "user" if "/user/" in request.url.path else "item"
    found = DATA / "firebase" / f"{kind}_{name}"
    return found if found.exists() else None


def fixed(day: dt.date) -> Callable[[], dt.date]:
    return lambda: day


def mapped(source: HackerNewsSource, body: bytes) -> list[MappedPosting]:
    out = [source.map(r) for r in source.records(body)]
    assert all(isinstance(m, MappedPosting) for m in out), out
    return [m for m in out if isinstance(m, MappedPosting)]


def test_hiring_titles_only() -> None:
    assert is_hiring_title("Ask HN: Who is hiring? (September 2024)")
    assert is_hiring_title("Ask HN: Who is hiring? (January, 2013)")
    assert not is_hiring_title("Ask HN: Who wants to be hired? (September 2024)")
    assert not is_hiring_title("Ask HN: Freelancer? Seeking freelancer? (September 2024)")
    assert not is_hiring_title("Ask HN: Who is hiring? (Smarch 2024)")
    assert not is_hiring_title(None)


def test_algolia_fetch_pages_listing_and_fetches_threads_oldest_first() -> None:
    server = Recorder(algolia_route)
    source = HackerNewsSource(today=fixed(dt.date(2024, 10, 15)), hits_per_page=3)
    with server.client() as client:
        pages = list(source.fetch(client))
    assert server.paths() == [
        "/api/v1/search_by_date",
        "/api/v1/search_by_date",
        "/api/v1/items/41129813",
        "/api/v1/items/41425910",
    ]
    listing = server.requests[0].url.params
    assert listing["tags"] == "story,author_whoishiring"
    assert listing["hitsPerPage"] == "3"
    assert [r.url.params["page"] for r in server.requests[:2]] == ["0", "1"]
    assert "numericFilters" not in listing
    # both months have ended by 2024-10-15: each page moves the cursor to its month
    assert [p.cursor for p in pages] == ["2024-08", "2024-09"]
    assert pages[1].url == "https://hn.algolia.com/api/v1/items/41425910"


def test_current_month_thread_is_fetched_but_not_marked_collected() -> None:
    server = Recorder(algolia_route)
    source = HackerNewsSource(today=fixed(dt.date(2024, 9, 20)), hits_per_page=3)
    with server.client() as client:
        pages = list(source.fetch(client))
    assert [p.cursor for p in pages] == ["2024-08", None]


def test_since_filters_server_side_and_by_thread_month() -> None:
    server = Recorder(algolia_route)
    source = HackerNewsSource(today=fixed(dt.date(2024, 10, 15)), hits_per_page=3)
    with server.client() as client:
        pages = list(source.fetch(client, since=dt.date(2024, 9, 10)))
    floor = server.requests[0].url.params["numericFilters"]
    # a week of slack before 2024-09-01 00:00 UTC (threads go up on the 1st weekday)
    assert floor == f"created_at_i>={int(dt.datetime(2024, 8, 25, tzinfo=dt.UTC).timestamp())}"
    assert [p.url.rsplit("/", 1)[1] for p in pages] == ["41425910"]


def test_cursor_skips_months_already_collected() -> None:
    server = Recorder(algolia_route)
    source = HackerNewsSource(today=fixed(dt.date(2024, 10, 15)), hits_per_page=3)
    with server.client() as client:
        pages = list(source.fetch(client, cursor="2024-08"))
    assert "/api/v1/items/41129813" not in server.paths()
    assert [p.cursor for p in pages] == ["2024-09"]


def test_algolia_thread_top_level_comments_dated_by_thread_month() -> None:
    source = HackerNewsSource()
    body = (DATA / "algolia_item_41425910.json").read_bytes()
    records = source.records(body)
    # the reply (parent 41428115) and the deleted comment (text null) are not postings
    assert [r["id"] for r in records] == [41428115, 41426639, 41538686]
    assert all("children" not in r for r in records)
    assert {r["month"] for r in records} == {"2024-09"}
    posts = mapped(source, body)
    formal = posts[0]
    assert formal.company == "Formal"
    assert formal.title == "Founding Software Engineer (Compilers, Networking)"
    assert formal.role_hint == "Founding Software Engineer (Compilers, Networking)"
    assert formal.remote is True
    assert formal.salary is not None and formal.salary.min == 200_000
    assert formal.url == "https://news.ycombinator.com/item?id=41428115"
    assert formal.source_id == "41428115"
    assert formal.description is not None and formal.description.startswith("Formal | ")
    assert posts[1].location == "Amsterdam, The Netherlands" and posts[1].remote is False
    # posted on 14 September, and a late August post on the 31st: both dated by their thread
    assert {p.date_posted for p in posts} == {dt.date(2024, 9, 1)}
    late = mapped(source, (DATA / "algolia_item_41129813.json").read_bytes())
    assert late[0].date_posted == dt.date(2024, 8, 1)
    assert late[0].date_raw == "Ask HN: Who is hiring? (August 2024)"


def test_algolia_comment_search_hits_keep_top_level_only() -> None:
    source = HackerNewsSource()
    records = source.records((DATA / "algolia_comments_story_41425910.json").read_bytes())
    assert [r["objectID"] for r in records] == ["41426639"]
    post = source.map(records[0])
    assert isinstance(post, MappedPosting)
    assert post.date_posted == dt.date(2024, 9, 1) and post.company == "MONUMENTAL"


def test_story_listing_is_not_postings() -> None:
    assert HackerNewsSource().records((DATA / "algolia_stories_page0.json").read_bytes()) == []


def test_firebase_fetch_bundles_live_top_level_comments() -> None:
    server = Recorder(firebase_route)
    source = HackerNewsSource(api="firebase", today=fixed(dt.date(2024, 10, 15)))
    with server.client() as client:
        pages = list(source.fetch(client, since=dt.date(2024, 8, 1)))
    names = [p.rsplit("/", 1)[1] for p in server.paths()]
    assert names[0] == "whoishiring.json"
    # submitted[] is newest first: the July thread (posted before since) ends the scan
    assert names[1:7] == [
        f"{i}.json" for i in (41425912, 41425911, 41425910, 41129813, 41129812, 40846428)
    ]
    assert "40846500.json" not in names  # July's comments never requested
    assert [p.cursor for p in pages] == ["2024-08", "2024-09"]
    assert pages[1].url == "https://hacker-news.firebaseio.com/v0/item/41425910.json"
    bundle = json.loads(pages[1].body)
    kept = [c["id"] for c in bundle["comments"]]
    assert kept == [41428115, 41426639, 41538686]  # deleted 41426700 and dead 41426701 skipped
    posts = mapped(source, pages[1].body)
    assert [p.company for p in posts] == ["Formal", "MONUMENTAL", "FINN"]
    assert {p.date_posted for p in posts} == {dt.date(2024, 9, 1)}
    assert posts[2].location is not None and "Munich" in posts[2].location


def test_firebase_and_algolia_give_the_same_postings() -> None:
    algolia = HackerNewsSource()
    from_algolia = mapped(algolia, (DATA / "algolia_item_41425910.json").read_bytes())
    server = Recorder(firebase_route)
    source = HackerNewsSource(api="firebase", today=fixed(dt.date(2024, 10, 15)))
    with server.client() as client:
        pages = list(source.fetch(client, since=dt.date(2024, 9, 1)))
    from_firebase = mapped(source, pages[-1].body)
    assert [(p.source_id, p.company, p.date_posted) for p in from_algolia] == [
        (p.source_id, p.company, p.date_posted) for p in from_firebase
    ]


def test_map_rejects_deleted_and_empty_and_never_raises() -> None:
    source = HackerNewsSource()
    assert source.map({"id": 1, "deleted": True}) == "deleted or dead comment"
    assert isinstance(source.map({"id": 1, "text": None}), str)
    for junk in (
        {},
        {"text": 5},
        {"text": "x", "month": "not-a-month", "id": "abc"},
        {"text": "a|b", "thread_title": 7},
    ):
        assert isinstance(source.map(junk), MappedPosting | str)
    post = source.map({"id": 5, "text": "Acme | Engineer | Remote", "month": "2019-01"})
    assert isinstance(post, MappedPosting) and post.date_posted == dt.date(2019, 1, 1)


def test_records_shapes_and_errors() -> None:
    assert thread_records([1, 2]) == []
    assert (
        thread_records(
            {"thread": {"id": 1, "title": "x"}, "comments": [{"parent": 2, "text": "y"}]}
        )
        == []
    )
    with pytest.raises(TerminalSourceError, match="hackernews: the response is not JSON"):
        HackerNewsSource().records(b"{not json")
    with pytest.raises(InputError):
        HackerNewsSource(api="rss")  # type: ignore[arg-type]


@pytest.mark.shared
def test_real_thread_page_gives_thread_and_top_level_posts(shared_data: Path) -> None:
    page = shared_data / "api_responses" / "hackernews" / "hn-web-thread-2024-09-gabfl.html.gz"
    html = gzip.decompress(page.read_bytes()).decode("utf-8")
    story_id, title, comments = parse_thread_page(html)
    assert story_id == 41425910
    assert title == "Ask HN: Who is hiring? (September 2024)"
    # 310 rows with indent=0 on the page; the few without text (deleted/flagged) are skipped
    assert 290 <= len(comments) <= 310
    assert all(c["parent"] == 41425910 and c["month"] == "2024-09" for c in comments)
    source = HackerNewsSource()
    posts = mapped(source, html.encode())
    assert len(posts) == len(comments)
    assert {p.date_posted for p in posts} == {dt.date(2024, 9, 1)}
    assert posts[0].company == "Formal" and posts[0].remote is True
    with_company = sum(p.company is not None for p in posts)
    assert with_company / len(posts) > 0.8
    assert not any('class="reply"' in (p.description or "") for p in posts)

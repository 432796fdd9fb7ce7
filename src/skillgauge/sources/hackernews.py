"""Hacker News "Ask HN: Who is hiring?": every top-level comment of the monthly threads is a posting.

Two APIs reach the same threads (``api="algolia"``, the default, or ``"firebase"``):

* **Algolia** (hn.algolia.com, ~10,000 requests/hour/IP): ``search_by_date?tags=story,
  author_whoishiring`` lists the whoishiring account's stories, paged by ``page``/``nbPages``;
  ``items/{id}`` returns a whole thread as one nested tree, so one request per month.
* **Firebase** (the official API, no limit stated): ``user/whoishiring.json`` -> ``submitted[]``
  (newest first) -> ``item/{id}.json`` for each story, then one request per top-level comment
  (``kids[]``; deleted/dead ones are skipped). A thread costs hundreds of requests, so the
  comments are bundled into one page, ``{"thread": story, "comments": [items]}``.

Only stories titled "Ask HN: Who is hiring? (Month YYYY)" count ("Who wants to be hired?" and
"Freelancer?" threads share the account). Only *top-level* comments are postings (replies are
questions to the poster): ``parent_id``/``parent`` equal to the story id. A posting is dated by its
**thread's month**, not by the comment's time (late posts still belong to that month's listing);
each record carries ``thread_id``, ``thread_title`` and ``month`` ("YYYY-MM") beside the comment's
own fields, the same names the offline HN file profile reads. The reply subtree (``children``) is
dropped from each record: it is other people's text.

``since`` keeps threads from that month on, so ``since=2019-01-01`` yields the multi-year series;
the cursor is the newest thread month *fully collected* (a month that has ended; the current
month's thread keeps growing, so it is fetched again next time). The saved thread page
(``news.ycombinator.com/item?id=...``) is read too: :func:`parse_thread_page` finds the thread id,
title and top-level comments in it, an HTML fallback when both APIs are unreachable.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from typing import Any, ClassVar, Literal

from selectolax.lexbor import LexborHTMLParser, LexborNode

from skillgauge.clean.salary import find_salary_in_text, parse_salary_text
from skillgauge.exceptions import InputError, TerminalSourceError
from skillgauge.models import MappedPosting
from skillgauge.sources.base import Fetcher, Page, SourceInfo
from skillgauge.sources.fields import as_int, decode_json, int_option
from skillgauge.sources.hn import parse_first_line, thread_month

__all__ = [
    "ALGOLIA",
    "FIREBASE",
    "HackerNewsSource",
    "is_hiring_title",
    "parse_thread_page",
    "thread_records",
]

ALGOLIA = "https://hn.algolia.com/api/v1"
FIREBASE = "https://hacker-news.firebaseio.com/v0"
ITEM_URL = "https://news.ycombinator.com/item?id={}"
ACCOUNT = "whoishiring"

_HIRING_RE = re.compile(r"^\s*Ask HN:\s*Who is hiring\?\s*\(\s*[A-Za-z]+,?\s+\d{4}\s*\)\s*$", re.I)
_MONTH_RE = re.compile(r"(\d{4})-(\d{1,2})")
_MAX_LISTING_PAGES = 50
_SLACK = dt.timedelta(days=7)  # a month's thread may be posted a little before the 1st


def is_hiring_title(title: Any) -> bool:
    """True for "Ask HN: Who is hiring? (March 2024)" and nothing else of the account's threads."""
    return (
        isinstance(title, str) and bool(_HIRING_RE.match(title)) and thread_month(title) is not None
    )


def _month_text(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _parse_month(text: str | None) -> dt.date | None:
    m = _MONTH_RE.fullmatch(text.strip()) if isinstance(text, str) else None
    if m is None or not 1 <= int(m.group(2)) <= 12:
        return None
    return dt.date(int(m.group(1)), int(m.group(2)), 1)


def _epoch(day: dt.date) -> int:
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())


def _with_thread(comment: dict[str, Any], thread_id: Any, title: Any) -> dict[str, Any]:
    month = thread_month(title) if isinstance(title, str) else None
    record = {k: v for k, v in comment.items() if k != "children"}
    record["thread_id"] = as_int(thread_id)
    record["thread_title"] = title if isinstance(title, str) else None
    record["month"] = _month_text(month) if month else None
    return record


def thread_records(data: Any) -> list[dict[str, Any]]:
    """The top-level comments of a thread in any of the shapes :meth:`HackerNewsSource.fetch` pages.

    Algolia ``items/{id}`` tree, Algolia ``search?tags=comment,story_{id}`` hits, or the Firebase
    bundle ``{"thread", "comments"}``. Story listings give no records. Deleted/dead comments are
    skipped.
    """
    if not isinstance(data, dict):
        return []
    if isinstance(data.get("thread"), dict) and isinstance(data.get("comments"), list):
        story = data["thread"]
        story_id = as_int(story.get("id"))
        return [
            _with_thread(c, story_id, story.get("title"))
            for c in data["comments"]
            if isinstance(c, dict)
            and as_int(c.get("parent")) == story_id
            and not c.get("deleted")
            and not c.get("dead")
        ]
    if isinstance(data.get("children"), list):
        story_id = as_int(data.get("id"))
        return [
            _with_thread(c, story_id, data.get("title"))
            for c in data["children"]
            if isinstance(c, dict) and as_int(c.get("parent_id")) == story_id and c.get("text")
        ]
    if isinstance(data.get("hits"), list):
        return [
            _with_thread(h, h.get("story_id"), h.get("story_title"))
            for h in data["hits"]
            if isinstance(h, dict)
            and h.get("comment_text")
            and as_int(h.get("parent_id")) is not None
            and as_int(h.get("parent_id")) == as_int(h.get("story_id"))
        ]
    return []


def _inner_html(node: LexborNode) -> str:
    return "".join(child.html or "" for child in node.iter(include_text=True))


def parse_thread_page(html: str) -> tuple[int | None, str | None, list[dict[str, Any]]]:
    """The thread id, title and top-level comments of a saved ``news.ycombinator.com`` thread page.

    Each comment becomes ``{"id", "by", "text", "parent", "thread_id", "thread_title", "month"}``
    (``text`` is the comment's HTML as shown, reply link removed). Comments are top-level when their
    ``td.ind`` has ``indent="0"``. The page shows only the first ~100-300 comments of a big
    thread ("More" links page the rest), which is why the APIs are the primary path.
    """
    tree = LexborHTMLParser(html)
    story = tree.css_first("tr.athing:not(.comtr)")
    title_node = tree.css_first("span.titleline > a") or tree.css_first("title")
    story_id = as_int(story.attributes.get("id")) if story is not None else None
    title = title_node.text(strip=True) if title_node is not None else None
    if title and title.endswith(" | Hacker News"):
        title = title[: -len(" | Hacker News")]
    comments: list[dict[str, Any]] = []
    for row in tree.css("tr.athing.comtr"):
        indent = row.css_first("td.ind")
        if indent is None or indent.attributes.get("indent") != "0":
            continue
        body = row.css_first("div.commtext") or row.css_first("span.commtext")
        if body is None:
            continue  # a deleted or flagged comment shows no text
        for reply in body.css("div.reply"):
            reply.decompose()
        author = row.css_first("a.hnuser")
        comments.append(
            _with_thread(
                {
                    "id": as_int(row.attributes.get("id")),
                    "by": author.text(strip=True) if author is not None else None,
                    "text": _inner_html(body).strip(),
                    "parent": story_id,
                },
                story_id,
                title,
            )
        )
    return story_id, title, comments


class HackerNewsSource:
    """Hacker News "Who is hiring?" threads via Algolia (default) or Firebase."""

    info: ClassVar[SourceInfo] = SourceInfo(
        name="hackernews",
        title='Hacker News "Ask HN: Who is hiring?"',
        kind="forum",
        needs=(),
        terms=(
            "Public APIs, no key. Algolia HN Search allows about 10,000 requests per hour per IP; "
            "the Firebase API states no limit (be polite). Posts belong to their authors: link "
            "each posting to its news.ycombinator.com/item?id= page."
        ),
        docs="https://github.com/HackerNews/API and https://hn.algolia.com/api",
    )

    def __init__(
        self,
        *,
        api: Literal["algolia", "firebase"] = "algolia",
        today: Callable[[], dt.date] = dt.date.today,
        hits_per_page: int | str = 100,
    ) -> None:
        if api not in ("algolia", "firebase"):
            raise InputError(f"hackernews: api must be 'algolia' or 'firebase', not {api!r}")
        self.api = api
        self._today = today
        self.hits_per_page = int_option(hits_per_page, "hits_per_page", "hackernews")

    def fetch(
        self,
        fetcher: Fetcher,
        *,
        board: str | None = None,
        since: dt.date | None = None,
        cursor: str | None = None,
    ) -> Iterator[Page]:
        """One page per thread, oldest month first; cursor = the month once it has ended."""
        since_month = since.replace(day=1) if since is not None else None
        done = _parse_month(cursor)
        this_month = self._today().replace(day=1)
        if self.api == "algolia":
            threads = self._algolia_threads(fetcher, since_month)
        else:
            threads = self._firebase_threads(fetcher, since_month)
        wanted = sorted(
            (month, story_id, story)
            for story_id, (month, story) in threads.items()
            if (since_month is None or month >= since_month) and (done is None or month > done)
        )
        for month, story_id, story in wanted:
            if self.api == "algolia":
                url = f"{ALGOLIA}/items/{story_id}"
                response = fetcher.get(url, source=self.info.name)
                page_url, body = response.url, response.body
            else:
                page_url = f"{FIREBASE}/item/{story_id}.json"
                body = json.dumps(
                    {"thread": story, "comments": self._firebase_comments(fetcher, story)}
                ).encode()
            yield Page(
                url=page_url,
                body=body,
                board=board,
                cursor=_month_text(month) if month < this_month else None,
            )

    def _get_json(
        self, fetcher: Fetcher, url: str, params: dict[str, str | int] | None = None
    ) -> Any:
        response = fetcher.get(url, source=self.info.name, params=params)
        try:
            return json.loads(response.body)
        except ValueError as exc:
            raise TerminalSourceError(self.info.name, f"{url}: the response is not JSON") from exc

    def _algolia_threads(
        self, fetcher: Fetcher, since_month: dt.date | None
    ) -> dict[int, tuple[dt.date, dict[str, Any]]]:
        """The whoishiring stories, page by page (``numericFilters`` cuts those before since)."""
        params: dict[str, str | int] = {
            "tags": f"story,author_{ACCOUNT}",
            "hitsPerPage": self.hits_per_page,
        }
        if since_month is not None:
            params["numericFilters"] = f"created_at_i>={_epoch(since_month - _SLACK)}"
        threads: dict[int, tuple[dt.date, dict[str, Any]]] = {}
        page = 0
        while page < _MAX_LISTING_PAGES:
            data = self._get_json(fetcher, f"{ALGOLIA}/search_by_date", {**params, "page": page})
            hits = data.get("hits") if isinstance(data, dict) else None
            if not isinstance(hits, list) or not hits:
                break
            for hit in hits:
                if not isinstance(hit, dict) or not is_hiring_title(hit.get("title")):
                    continue
                story_id = as_int(hit.get("objectID")) or as_int(hit.get("story_id"))
                month = thread_month(hit["title"])
                if story_id is not None and month is not None:
                    threads[story_id] = (month, hit)
            pages = as_int(data.get("nbPages"))
            page += 1
            if pages is None or page >= pages:
                break
        return threads

    def _firebase_threads(
        self, fetcher: Fetcher, since_month: dt.date | None
    ) -> dict[int, tuple[dt.date, dict[str, Any]]]:
        """``submitted[]`` is newest first: stop at the first story older than since."""
        user = self._get_json(fetcher, f"{FIREBASE}/user/{ACCOUNT}.json")
        submitted = user.get("submitted") if isinstance(user, dict) else None
        threads: dict[int, tuple[dt.date, dict[str, Any]]] = {}
        floor = _epoch(since_month - _SLACK) if since_month is not None else None
        for raw_id in submitted if isinstance(submitted, list) else []:
            item_id = as_int(raw_id)
            if item_id is None:
                continue
            story = self._get_json(fetcher, f"{FIREBASE}/item/{item_id}.json")
            if not isinstance(story, dict):
                continue  # null: an item that no longer exists
            posted = as_int(story.get("time"))
            if floor is not None and posted is not None and posted < floor:
                break
            month = (
                thread_month(story.get("title", ""))
                if is_hiring_title(story.get("title"))
                else None
            )
            if month is not None and not story.get("deleted") and not story.get("dead"):
                threads[item_id] = (month, story)
        return threads

    def _firebase_comments(self, fetcher: Fetcher, story: dict[str, Any]) -> list[dict[str, Any]]:
        kids = story.get("kids")
        comments: list[dict[str, Any]] = []
        for raw_id in kids if isinstance(kids, list) else []:
            kid = as_int(raw_id)
            if kid is None:
                continue
            item = self._get_json(fetcher, f"{FIREBASE}/item/{kid}.json")
            if isinstance(item, dict) and not item.get("deleted") and not item.get("dead"):
                comments.append(item)
        return comments

    def records(self, body: bytes, *, board: str | None = None) -> list[dict[str, Any]]:
        """Top-level comments of a thread page (JSON of either API, or a saved HTML page)."""
        head = body[:200].lstrip().lower()
        if head.startswith((b"<!doctype", b"<html", b"<")):
            return parse_thread_page(body.decode("utf-8", errors="replace"))[2]
        data = decode_json(body, self.info.name)
        return thread_records(data)

    def map(self, record: dict[str, Any], *, board: str | None = None) -> MappedPosting | str:
        """A post's first line -> company, location, remote, salary, roles; dated by thread month."""
        if record.get("deleted") or record.get("dead"):
            return "deleted or dead comment"
        text = record.get("text") or record.get("comment_text")
        if not isinstance(text, str) or not text.strip():
            return "no title and no text (empty comment)"
        header = parse_first_line(text)
        month = _parse_month(record.get("month"))
        title = record.get("thread_title")
        if month is None and isinstance(title, str):
            month = thread_month(title)
        item_id = as_int(record.get("id")) or as_int(record.get("objectID"))
        salary = parse_salary_text(header.salary) if header.salary else None
        salary = salary or find_salary_in_text(header.first_line)
        author = record.get("by") or record.get("author")
        extra = {
            "thread_id": as_int(record.get("thread_id")),
            "author": author if isinstance(author, str) else None,
            "first_line": header.first_line or None,
        }
        return MappedPosting(
            title=header.roles.split(" | ")[0] if header.roles else None,
            description=text,
            company=header.company,
            location=header.location,
            remote=header.remote,
            date_posted=month,
            date_raw=title if isinstance(title, str) else record.get("month"),
            salary=salary,
            url=ITEM_URL.format(item_id) if item_id is not None else None,
            source_id=str(item_id) if item_id is not None else None,
            employment_type=header.employment_type,
            role_hint=header.roles,
            extra={k: v for k, v in extra.items() if v is not None},
        )

"""Arbeitnow's job-board API (mostly Germany and Europe, many remote jobs), paged by ``links.next``.

Pages come newest first, 100 jobs each, with Laravel-style paging: ``links.next`` is the next page's
full URL (``null`` on the last page) and ``meta`` holds ``current_page``/``per_page``. Trimmed copies
drop both; then there is no next page. :meth:`fetch` follows ``links.next`` (only on Arbeitnow's own
host, at most ``max_pages`` pages, never the same URL twice) and stops early once a page reaches back
past ``since`` or the saved cursor: everything older was collected before. ``created_at`` is epoch
*seconds*; ``remote`` is a real bool; ``job_types`` is a list (English or German labels).

The cursor (newest ``created_at`` seen) is only given with the *last* page: an interrupted fetch
then leaves the old cursor in place and the next run re-reads what was missed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, ClassVar
from urllib.parse import urlsplit

from skillgauge.models import MappedPosting
from skillgauge.sources.base import Fetcher, Page, SourceInfo
from skillgauge.sources.fields import (
    as_date,
    as_int,
    as_text,
    decode_json,
    final_page,
    int_option,
    newer,
    object_list,
)

__all__ = ["ArbeitnowSource"]

API_URL = "https://www.arbeitnow.com/api/job-board-api"


class ArbeitnowSource:
    """Arbeitnow (``www.arbeitnow.com/api/job-board-api``)."""

    info: ClassVar[SourceInfo] = SourceInfo(
        name="arbeitnow",
        title="Arbeitnow job board API",
        kind="public-api",
        needs=(),
        terms=(
            "Free, no key. Link back to the job on Arbeitnow (the job's url) and credit Arbeitnow; "
            "no stated call limit, so page politely (the shared client's rate limit)."
        ),
        docs="https://www.arbeitnow.com/blog/job-board-api",
    )

    def __init__(self, *, max_pages: int | str = 50) -> None:
        self.max_pages = int_option(max_pages, "max_pages", "arbeitnow")

    def fetch(
        self,
        fetcher: Fetcher,
        *,
        board: str | None = None,
        since: dt.date | None = None,
        cursor: str | None = None,
    ) -> Iterator[Page]:
        """Follow ``links.next`` until it is null, a page is empty or older than since/cursor."""
        floor = _floor(since, cursor)
        url: str | None = API_URL
        seen: set[str] = set()
        newest = as_int(cursor, floats=True)
        pending: Page | None = None
        while url is not None and len(seen) < self.max_pages and url not in seen:
            seen.add(url)
            response = fetcher.get(url, source=self.info.name)
            data = decode_json(response.body, self.info.name)
            jobs = object_list(data, "data", self.info.name)
            stamps = [
                e for job in jobs if (e := as_int(job.get("created_at"), floats=True)) is not None
            ]
            newest = newer(newest, stamps)
            if pending is not None:
                yield pending
            pending = Page(url=response.url, body=response.body, board=board)
            url = _next_url(data)
            if not jobs or (floor is not None and stamps and min(stamps) < floor):
                break
        yield from final_page(pending, str(newest) if newest is not None else cursor)

    def records(self, body: bytes, *, board: str | None = None) -> list[dict[str, Any]]:
        """The ``data`` array (``links``/``meta`` are paging, not jobs)."""
        return object_list(decode_json(body, self.info.name), "data", self.info.name)

    def map(self, record: dict[str, Any], *, board: str | None = None) -> MappedPosting | str:
        """One job: ``created_at`` epoch seconds, ``remote`` bool, ``job_types`` list."""
        title = as_text(record.get("title"))
        description = as_text(record.get("description"))
        if title is None and description is None:
            return "no title and no description"
        remote = record.get("remote")
        types = record.get("job_types")
        tags = record.get("tags")
        type_text = (
            ", ".join(t.strip() for t in types if isinstance(t, str) and t.strip())
            if isinstance(types, list)
            else as_text(types)
        )
        return MappedPosting(
            title=title,
            description=description,
            company=as_text(record.get("company_name")),
            location=as_text(record.get("location")),
            remote=remote if isinstance(remote, bool) else None,
            date_posted=as_date(record.get("created_at")),
            url=as_text(record.get("url")),
            source_id=as_text(record.get("slug")),
            employment_type=type_text or None,
            extra={"tags": [t for t in tags if isinstance(t, str)]}
            if isinstance(tags, list) and tags
            else {},
        )


def _floor(since: dt.date | None, cursor: str | None) -> int | None:
    """The epoch second before which everything was already collected (the later of the two)."""
    bounds = [as_int(cursor, floats=True)] if as_int(cursor, floats=True) is not None else []
    if since is not None:
        bounds.append(
            int(dt.datetime(since.year, since.month, since.day, tzinfo=dt.UTC).timestamp())
        )
    return max((b for b in bounds if b is not None), default=None)


def _next_url(data: Any) -> str | None:
    """``links.next`` when it is an Arbeitnow URL (a foreign host is never followed)."""
    links = data.get("links") if isinstance(data, dict) else None
    nxt = links.get("next") if isinstance(links, dict) else None
    if not isinstance(nxt, str) or not nxt:
        return None
    host = urlsplit(nxt).hostname or ""
    return nxt if host == "arbeitnow.com" or host.endswith(".arbeitnow.com") else None

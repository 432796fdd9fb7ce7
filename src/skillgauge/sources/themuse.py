"""The Muse public jobs API, paged by ``page``/``page_count``, 20 jobs a page, key optional.

``GET /api/public/jobs?page=N`` returns ``{page, page_count, total, results[], ...}``. Pages start
at 1 and the API serves at most 99 of them per query (page 100 answers 400), so a query is capped at
1,980 jobs: narrow it with ``category``/``level``/``location``/``company``. With ``descending=true``
the newest come first, which lets :meth:`fetch` stop once a page reaches back past ``since`` or the
saved cursor. The optional key (option ``key``, SKILLGAUGE_THEMUSE_KEY) raises the limit from 500 to 3,600
requests an hour; it is sent as a query parameter, never written into a ``Page.url``.

Remote has no flag: a location named "Flexible / Remote" marks it. ``contents`` is HTML.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, ClassVar
from urllib.parse import urlencode

from skillgauge.models import MappedPosting
from skillgauge.sources.base import Fetcher, Page, SourceInfo
from skillgauge.sources.fields import (
    as_date,
    as_int,
    as_text,
    decode_json_object,
    final_page,
    floor_date,
    int_option,
    names,
    newer,
    object_list,
)

__all__ = ["TheMuseSource"]

API_URL = "https://www.themuse.com/api/public/jobs"
MAX_PAGES = 99  # the API refuses page 100 and beyond


class TheMuseSource:
    """The Muse (``www.themuse.com/api/public/jobs``)."""

    info: ClassVar[SourceInfo] = SourceInfo(
        name="themuse",
        title="The Muse public jobs API",
        kind="public-api",
        needs=("SKILLGAUGE_THEMUSE_KEY (optional: 3,600 instead of 500 requests/hour)",),
        terms=(
            "Use under The Muse API terms (themuse.com/developers/api/v2/terms): attribute The "
            "Muse and link to the job's landing page; 500 requests/hour without a key, 3,600 with "
            "one (over the limit answers 403)."
        ),
        docs="https://www.themuse.com/developers/api/v2",
    )

    def __init__(
        self,
        *,
        key: str | None = None,
        category: str | None = None,
        level: str | None = None,
        location: str | None = None,
        company: str | None = None,
        max_pages: int | str = MAX_PAGES,
    ) -> None:
        self._key = key
        self.filters: dict[str, str] = {
            k: v
            for k, v in (
                ("category", category),
                ("level", level),
                ("location", location),
                ("company", company),
            )
            if v
        }
        self.max_pages = min(int_option(max_pages, "max_pages", "themuse"), MAX_PAGES)

    def fetch(
        self,
        fetcher: Fetcher,
        *,
        board: str | None = None,
        since: dt.date | None = None,
        cursor: str | None = None,
    ) -> Iterator[Page]:
        """Pages 1.. newest first until ``page_count``, an empty page, or past since/cursor."""
        floor = floor_date(since, cursor)
        newest: str | None = cursor
        pending: Page | None = None
        page = 1
        while page <= self.max_pages:
            public: dict[str, str | int] = {"page": page, "descending": "true", **self.filters}
            params = dict(public)
            if self._key:
                params["api_key"] = self._key
            response = fetcher.get(API_URL, source=self.info.name, params=params)
            data = decode_json_object(response.body, self.info.name)
            jobs = object_list(data, "results", self.info.name)
            dates = [d for job in jobs if (d := as_text(job.get("publication_date")))]
            newest = newer(newest, dates)
            if pending is not None:
                yield pending
            pending = Page(url=f"{API_URL}?{urlencode(public)}", body=response.body, board=board)
            page_count = as_int(data.get("page_count"), strings=False)
            oldest = min((d for d in map(as_date, dates) if d is not None), default=None)
            if not jobs or (page_count is not None and page >= page_count):
                break
            if floor is not None and oldest is not None and oldest < floor:
                break
            page += 1
        yield from final_page(pending, newest)

    def records(self, body: bytes, *, board: str | None = None) -> list[dict[str, Any]]:
        """The ``results`` array."""
        return object_list(decode_json_object(body, self.info.name), "results", self.info.name)

    def map(self, record: dict[str, Any], *, board: str | None = None) -> MappedPosting | str:
        """One job; "Flexible / Remote" among the locations marks it remote."""
        title = as_text(record.get("name"))
        description = as_text(record.get("contents"))
        if title is None and description is None:
            return "no title and no description"
        locations = names(record.get("locations"))
        places = [loc for loc in locations if "remote" not in loc.lower()]
        remote = True if len(places) < len(locations) else None
        company = record.get("company")
        refs = record.get("refs")
        levels = names(record.get("levels"))
        raw_id = record.get("id")
        extra = {"categories": names(record.get("categories")), "levels": levels}
        return MappedPosting(
            title=title,
            description=description,
            company=as_text(company.get("name")) if isinstance(company, dict) else None,
            location=" / ".join(places) or None,
            remote=remote,
            date_posted=as_date(record.get("publication_date")),
            url=as_text(refs.get("landing_page")) if isinstance(refs, dict) else None,
            source_id=str(raw_id) if isinstance(raw_id, int | str) and raw_id != "" else None,
            seniority_hint=levels[0] if levels else None,
            extra={k: v for k, v in extra.items() if v},
        )

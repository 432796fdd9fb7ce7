"""Remotive's public remote-jobs API: one request returns every open job (a feed, not a board).

Remotive asks API users to link back to it and to call rarely (its jobs are delayed by 24 hours, so
polling more than a few times a day gains nothing and more than two calls a minute gets the caller
blocked). So :meth:`RemotiveSource.fetch` makes exactly one request; ``since`` cannot be sent (the API
has no date filter) and is applied by the pipeline on ``date_posted``. The page cursor is the newest
``publication_date`` seen, for information: the response has no way to ask for "newer than".

Real responses may lack the ``0-legal-notice`` and ``job-count`` envelope keys (trimmed copies do);
only ``jobs`` is needed. ``publication_date`` is ISO without a timezone; ``salary`` is free text and
often ``""``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, ClassVar

from skillgauge.clean.salary import parse_salary_text
from skillgauge.models import MappedPosting
from skillgauge.sources.base import Fetcher, Page, SourceInfo
from skillgauge.sources.fields import as_date, as_text, decode_json, int_option, object_list

__all__ = ["RemotiveSource"]

API_URL = "https://remotive.com/api/remote-jobs"


class RemotiveSource:
    """Remotive (``remotive.com/api/remote-jobs``); every job is remote."""

    info: ClassVar[SourceInfo] = SourceInfo(
        name="remotive",
        title="Remotive remote jobs API",
        kind="public-api",
        needs=(),
        terms=(
            "Link back to Remotive (the job's url) and credit Remotive as the source. Jobs are "
            "published with a 24h delay; call at most about 4 times a day - more than 2 calls a "
            "minute gets blocked."
        ),
        docs="https://github.com/remotive-com/remote-jobs-api",
    )

    def __init__(
        self,
        *,
        category: str | None = None,
        search: str | None = None,
        company_name: str | None = None,
        limit: int | str | None = None,
    ) -> None:
        self.params: dict[str, str | int] = {
            k: v
            for k, v in {
                "category": category,
                "search": search,
                "company_name": company_name,
                "limit": int_option(limit, "limit", "remotive") if limit is not None else None,
            }.items()
            if v is not None
        }

    def fetch(
        self,
        fetcher: Fetcher,
        *,
        board: str | None = None,
        since: dt.date | None = None,
        cursor: str | None = None,
    ) -> Iterator[Page]:
        """One request (the terms ask for few calls); the cursor is the newest publication date."""
        response = fetcher.get(API_URL, source=self.info.name, params=self.params or None)
        dates = [
            d for job in self.records(response.body) if (d := as_text(job.get("publication_date")))
        ]
        yield Page(
            url=response.url, body=response.body, board=board, cursor=max(dates, default=cursor)
        )

    def records(self, body: bytes, *, board: str | None = None) -> list[dict[str, Any]]:
        """The ``jobs`` array (envelope keys such as ``0-legal-notice`` are not jobs)."""
        return object_list(decode_json(body, self.info.name), "jobs", self.info.name)

    def map(self, record: dict[str, Any], *, board: str | None = None) -> MappedPosting | str:
        """One Remotive job; ``salary`` is free text parsed conservatively."""
        title = as_text(record.get("title"))
        description = as_text(record.get("description"))
        if title is None and description is None:
            return "no title and no description"
        salary_text = as_text(record.get("salary"))
        tags = record.get("tags")
        extra = {
            "category": as_text(record.get("category")),
            "tags": [t.strip() for t in tags if isinstance(t, str)]
            if isinstance(tags, list)
            else None,
        }
        return MappedPosting(
            title=title,
            description=description,
            company=as_text(record.get("company_name")),
            location=as_text(record.get("candidate_required_location")),
            remote=True,
            date_posted=as_date(record.get("publication_date")),
            salary=parse_salary_text(salary_text) if salary_text else None,
            url=as_text(record.get("url")),
            source_id=str(record["id"]) if isinstance(record.get("id"), int | str) else None,
            employment_type=as_text(record.get("job_type")),
            extra={k: v for k, v in extra.items() if v},
        )

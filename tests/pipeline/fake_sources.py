"""Two small live sources for pipeline tests: a company board (snapshot) and an aggregator feed.

They follow the real contract (skillgauge.sources.base) over JSON bodies the tests serve through a
fake fetcher; the real sources are tested against recorded responses in tests/sources/.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any, ClassVar

from skillgauge.models import MappedPosting
from skillgauge.sources.base import Fetcher, Page, SourceInfo


class FakeBoard:
    info: ClassVar[SourceInfo] = SourceInfo(
        name="fakeboard",
        title="A company board for tests",
        kind="company-board",
        needs=("board names",),
        terms="none",
        docs="https://example.invalid/docs",
        snapshot=True,
    )

    def fetch(
        self,
        fetcher: Fetcher,
        *,
        board: str | None = None,
        since: dt.date | None = None,
        cursor: str | None = None,
    ) -> Iterator[Page]:
        url = f"https://boards.example.invalid/{board}/jobs"
        resp = fetcher.get(url, source=self.info.name)
        yield Page(url=url, body=resp.body, board=board, cursor=None)

    def records(self, body: bytes, *, board: str | None = None) -> list[dict[str, Any]]:
        data = json.loads(body)
        jobs: list[dict[str, Any]] = data["jobs"]
        return jobs

    def map(self, record: dict[str, Any], *, board: str | None = None) -> MappedPosting | str:
        if not record.get("title") and not record.get("content"):
            return "no title and no text"
        return MappedPosting(
            title=record.get("title"),
            description=record.get("content"),
            company=board,
            source_id=str(record["id"]),
            date_posted=dt.date.fromisoformat(record["date"]),
            url=f"https://boards.example.invalid/{board}/jobs/{record['id']}",
        )


class FakeFeed(FakeBoard):
    info: ClassVar[SourceInfo] = SourceInfo(
        name="fakefeed",
        title="An aggregator feed for tests",
        kind="public-api",
        needs=(),
        terms="none",
        docs="https://example.invalid/docs",
        snapshot=False,
    )

    def fetch(
        self,
        fetcher: Fetcher,
        *,
        board: str | None = None,
        since: dt.date | None = None,
        cursor: str | None = None,
    ) -> Iterator[Page]:
        page = int(cursor or 0)
        while True:
            url = f"https://feed.example.invalid/jobs?page={page}"
            body = fetcher.get(url, source=self.info.name).body
            if not json.loads(body)["jobs"]:
                return
            page += 1
            yield Page(url=url, body=body, cursor=str(page))

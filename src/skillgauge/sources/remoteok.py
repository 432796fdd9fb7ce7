"""RemoteOK's public API: one JSON array whose element 0 is the legal notice, then the jobs.

RemoteOK's terms travel *inside* the payload (element 0, ``{"last_updated", "legal"}``): link back
to RemoteOK with a followed link (no ``nofollow``) and do not use its logo. :meth:`records` keeps
element 0 like any record so the raw payload stays complete, and :meth:`map` rejects it with a reason
instead of inventing a job. RemoteOK refuses clients without a User-Agent, so one is always sent.

``salary_min``/``salary_max`` are 0 when unknown (0 is not a salary); amounts are US dollars a year.
``location`` is free text and can be junk such as ``"How, "``: it is kept, trimmed. ``epoch`` is in
seconds. One request returns the whole feed, newest first; the cursor is the newest ``epoch``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, ClassVar

from skillgauge import __version__
from skillgauge.exceptions import TerminalSourceError
from skillgauge.models import MappedPosting, Salary
from skillgauge.sources.base import Fetcher, Page, SourceInfo
from skillgauge.sources.fields import decode_json, dicts
from skillgauge.sources.mapping import parse_date

__all__ = ["USER_AGENT", "RemoteOKSource"]

API_URL = "https://remoteok.com/api"
USER_AGENT = f"skillgauge/{__version__} (+https://github.com/skillgauge/skillgauge)"


def _text(value: Any) -> str | None:
    return value.strip().strip(",").strip() or None if isinstance(value, str) else None


def _amount(value: Any) -> float | None:
    """A positive amount; 0, negatives, booleans and text are unknown."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        else:
            return None
    return float(value) if value > 0 else None


def _date(record: dict[str, Any]) -> dt.date | None:
    for key in ("date", "epoch"):
        value = record.get(key)
        if value in (None, ""):
            continue
        try:
            return parse_date(value)[0]
        except (ValueError, TypeError, OverflowError):
            continue
    return None


class RemoteOKSource:
    """RemoteOK (``remoteok.com/api``, optionally ``?tag=``); every job is remote."""

    info: ClassVar[SourceInfo] = SourceInfo(
        name="remoteok",
        title="RemoteOK API",
        kind="public-api",
        needs=(),
        terms=(
            "Link back to RemoteOK with a followed link (no rel=nofollow) to the job URL and "
            "mention RemoteOK as the source; do not use the RemoteOK logo. The terms are element "
            "0 ('legal') of every response. Send a User-Agent."
        ),
        docs="https://remoteok.com/api",
    )

    def __init__(self, *, tag: str | None = None, user_agent: str = USER_AGENT) -> None:
        self.tag = tag
        self.user_agent = user_agent

    def fetch(
        self,
        fetcher: Fetcher,
        *,
        board: str | None = None,
        since: dt.date | None = None,
        cursor: str | None = None,
    ) -> Iterator[Page]:
        """One request (the whole feed); the cursor is the newest ``epoch`` seen."""
        response = fetcher.get(
            API_URL,
            source=self.info.name,
            params={"tag": self.tag} if self.tag else None,
            headers={"User-Agent": self.user_agent},
        )
        epochs = [
            e
            for job in self.records(response.body)
            if isinstance(e := job.get("epoch"), int) and not isinstance(e, bool)
        ]
        newest = str(max(epochs)) if epochs else cursor
        yield Page(url=response.url, body=response.body, board=board, cursor=newest)

    def records(self, body: bytes, *, board: str | None = None) -> list[dict[str, Any]]:
        """Every element of the array, the legal notice included (``map`` rejects it)."""
        data = decode_json(body, self.info.name)
        if not isinstance(data, list):
            raise TerminalSourceError(self.info.name, "the response is not a JSON array")
        return dicts(data)

    def map(self, record: dict[str, Any], *, board: str | None = None) -> MappedPosting | str:
        """One job; the legal notice element is rejected with a reason."""
        if "legal" in record and "position" not in record:
            return "RemoteOK legal notice (element 0), not a job"
        title = _text(record.get("position"))
        description = _text(record.get("description"))
        if title is None and description is None:
            return "no title and no description"
        lo, hi = _amount(record.get("salary_min")), _amount(record.get("salary_max"))
        salary = Salary(min=lo, max=hi, currency="USD", period="year") if lo or hi else None
        tags = record.get("tags")
        raw_id = record.get("id")
        extra = {
            "slug": _text(record.get("slug")),
            "apply_url": _text(record.get("apply_url")),
            "tags": [t for t in tags if isinstance(t, str)] if isinstance(tags, list) else None,
        }
        return MappedPosting(
            title=title,
            description=description,
            company=_text(record.get("company")),
            location=_text(record.get("location")),
            remote=True,
            date_posted=_date(record),
            salary=salary,
            url=_text(record.get("url")),
            source_id=str(raw_id) if isinstance(raw_id, int | str) and raw_id != "" else None,
            extra={k: v for k, v in extra.items() if v},
        )

"""Greenhouse job board API: one request returns every open job of a company's board.

``GET https://boards-api.greenhouse.io/v1/boards/{token}/jobs?content=true`` needs no key and has no
paging (``meta.total`` counts the jobs), so the board is a *snapshot*: a job missing from the next
complete fetch has closed. ``since`` cannot be sent (no date filter) and is not used to drop jobs
(that would make closed and merely old jobs look alike); the pipeline filters on ``date_posted``.

Quirks of real responses (see ``tests/data/greenhouse`` and the shared recordings):

* ``content`` is HTML *entity-escaped* (``&lt;p&gt;``). It is kept exactly as sent; the cleaner
  unescapes once and then parses the HTML.
* ``first_published`` is missing on older boards (and in 2013 ``/embed/jobs`` responses): the date
  falls back to ``updated_at``.
* remote has no flag: some boards carry ``metadata[]`` "Location Type" (Remote / On-Site / Hybrid /
  null); otherwise "remote" in ``location.name`` says remote and nothing else is inferred.
* salary is not in the list (only ``/jobs/{id}?pay_transparency=true`` has it); it stays in the HTML.
* ``/jobs/{id}`` (a single job object, no ``jobs`` envelope) is accepted by :meth:`records` too.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any, ClassVar
from urllib.parse import quote

from skillgauge.exceptions import InputError, TerminalSourceError
from skillgauge.models import MappedPosting
from skillgauge.sources.base import Fetcher, Page, SourceInfo
from skillgauge.sources.fields import (
    as_date,
    as_text_or_int,
    decode_json,
    dicts,
    names,
    newest_date,
)

__all__ = ["GreenhouseSource"]

API_ROOT = "https://boards-api.greenhouse.io/v1/boards"
_BOARD_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
_REMOTE_RE = re.compile(r"\bremote\b", re.IGNORECASE)
_LOCATION_TYPES = {"remote": True, "on-site": False, "onsite": False, "hybrid": False}


def _location_type(metadata: Any) -> str | None:
    if not isinstance(metadata, list):
        return None
    for item in metadata:
        if isinstance(item, dict) and as_text_or_int(item.get("name")) == "Location Type":
            return as_text_or_int(item.get("value"))
    return None


def check_board(board: str | None) -> str:
    """The board token, or :class:`InputError` saying where to find it."""
    if board is None or not _BOARD_RE.fullmatch(board.strip()):
        raise InputError(
            f"greenhouse needs a board token (letters, digits, '.', '_' or '-'), got {board!r}: "
            "it is the name in boards.greenhouse.io/<token> or job-boards.greenhouse.io/<token>"
        )
    return board.strip()


class GreenhouseSource:
    """A company's Greenhouse job board (``board`` = the board token, e.g. ``anthropic``)."""

    info: ClassVar[SourceInfo] = SourceInfo(
        name="greenhouse",
        title="Greenhouse job board API",
        kind="company-board",
        needs=("board names (the token in boards.greenhouse.io/<token>)",),
        terms=(
            "Public job board data; GET needs no key and Greenhouse documents no rate limit "
            "(responses are cached). Jobs belong to the company: link to each job's absolute_url. "
            "Only the application POST endpoint needs the board's API key (not used here)."
        ),
        docs="https://developers.greenhouse.io/job-board.html",
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
        """One request for the whole board; the cursor is the newest posting date on it."""
        token = check_board(board)
        url = f"{API_ROOT}/{quote(token, safe='')}/jobs"
        response = fetcher.get(url, source=self.info.name, params={"content": "true"})
        newest = newest_date(
            self.records(response.body), "first_published", "updated_at", default=cursor
        )
        yield Page(url=response.url, body=response.body, board=token, cursor=newest)

    def records(self, body: bytes, *, board: str | None = None) -> list[dict[str, Any]]:
        """The ``jobs`` array, or the job itself for a ``/jobs/{id}`` response."""
        data = decode_json(body, self.info.name)
        if isinstance(data, dict) and isinstance(data.get("jobs"), list):
            return dicts(data["jobs"])
        if isinstance(data, dict) and "id" in data and "title" in data:
            return [data]
        raise TerminalSourceError(self.info.name, "the response has no 'jobs' array")

    def map(self, record: dict[str, Any], *, board: str | None = None) -> MappedPosting | str:
        """One job. ``content`` stays HTML-escaped as sent; remote from metadata, else location."""
        if not isinstance(record, dict):
            return "not a job object"
        title = as_text_or_int(record.get("title"))
        content = as_text_or_int(record.get("content"))
        if title is None and content is None:
            return "no title and no text"
        location_value = record.get("location")
        location = (
            as_text_or_int(location_value.get("name"))
            if isinstance(location_value, dict)
            else as_text_or_int(location_value)
        )
        location_type = _location_type(record.get("metadata"))
        remote = _LOCATION_TYPES.get(location_type.lower()) if location_type else None
        if remote is None and location and _REMOTE_RE.search(location):
            remote = True
        raw_date = record.get("first_published") or record.get("updated_at")
        offices = record.get("offices")
        extra: dict[str, Any] = {
            "departments": names(record.get("departments"), ints=True),
            "offices": names(offices, ints=True),
            "office_locations": names(offices, "location", ints=True),
            "location_type": location_type,
            "requisition_id": as_text_or_int(record.get("requisition_id")),
            "internal_job_id": as_text_or_int(record.get("internal_job_id")),
            "language": as_text_or_int(record.get("language")),
            "updated_at": as_text_or_int(record.get("updated_at")),
            "application_deadline": as_text_or_int(record.get("application_deadline")),
        }
        return MappedPosting(
            title=title,
            description=content,
            company=as_text_or_int(record.get("company_name"))
            or (board.strip() if board else None),
            location=location,
            remote=remote,
            date_posted=as_date(raw_date),
            date_raw=raw_date if isinstance(raw_date, str) else None,
            url=as_text_or_int(record.get("absolute_url")),
            source_id=as_text_or_int(record.get("id")),
            extra={k: v for k, v in extra.items() if v},
        )

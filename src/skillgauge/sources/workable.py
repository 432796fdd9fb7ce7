"""Workable's public job widget: one request returns every published job of an account.

``GET https://apply.workable.com/api/v1/widget/accounts/{subdomain}?details=true`` needs no key and
answers ``{name, description, jobs: [...]}``; ``details=true`` adds each job's ``description`` (HTML).
No paging, so the account is a snapshot board (``since`` cannot be sent; the pipeline filters on
``date_posted``). The newer ``/api/v3/accounts/{sub}/jobs`` is a POST with a body and a paging token,
which the :class:`~skillgauge.sources.base.Fetcher` contract (GET only) does not carry; the v1 widget
gives the same jobs in one GET.

No genuine response was available: ``tests/data/workable`` follows the documented shape (jobs with
``shortcode``, ``telecommuting``, ``published_on``/``created_at`` as ``YYYY-MM-DD``, ``locations[]``).
The company name is in the envelope, not in each job, so a record maps with ``company`` = the board
(records are kept exactly as sent).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any, ClassVar
from urllib.parse import quote

from skillgauge.exceptions import InputError
from skillgauge.models import MappedPosting
from skillgauge.sources.base import Fetcher, Page, SourceInfo
from skillgauge.sources.fields import as_date, as_text_or_int, decode_json, newest_date, object_list

__all__ = ["WorkableSource"]

API_ROOT = "https://apply.workable.com/api/v1/widget/accounts"
_ACCOUNT_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


def _location(record: dict[str, Any]) -> str | None:
    parts = [t for k in ("city", "state", "country") if (t := as_text_or_int(record.get(k)))]
    if parts:
        return ", ".join(parts)
    locations = record.get("locations")
    for loc in locations if isinstance(locations, list) else []:
        if isinstance(loc, dict) and loc.get("hidden") is not True:
            found = [t for k in ("city", "region", "country") if (t := as_text_or_int(loc.get(k)))]
            if found:
                return ", ".join(found)
    return None


class WorkableSource:
    """A Workable account's published jobs (``board`` = the subdomain in apply.workable.com/<sub>)."""

    info: ClassVar[SourceInfo] = SourceInfo(
        name="workable",
        title="Workable job widget API",
        kind="company-board",
        needs=("board names (the account in apply.workable.com/<account>)",),
        terms=(
            "Public widget endpoint used by companies' career pages; no key and no documented "
            "rate limit: fetch each account rarely and link to each job's url. The SPI v3 API "
            "(bearer token) is for the account's owner and is not used."
        ),
        docs="https://workable.readme.io/reference/jobs-1",
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
        """One request with ``details=true``; the cursor is the newest ``published_on``."""
        if board is None or not _ACCOUNT_RE.fullmatch(board.strip()):
            raise InputError(
                f"workable needs an account name (letters, digits, '.', '_' or '-'), got {board!r}: "
                "it is the name in apply.workable.com/<account>"
            )
        account = board.strip()
        response = fetcher.get(
            f"{API_ROOT}/{quote(account, safe='')}",
            source=self.info.name,
            params={"details": "true"},
        )
        newest = newest_date(
            self.records(response.body), "published_on", "created_at", default=cursor
        )
        yield Page(url=response.url, body=response.body, board=account, cursor=newest)

    def records(self, body: bytes, *, board: str | None = None) -> list[dict[str, Any]]:
        """The ``jobs`` array of the widget envelope."""
        return object_list(decode_json(body, self.info.name), "jobs", self.info.name)

    def map(self, record: dict[str, Any], *, board: str | None = None) -> MappedPosting | str:
        """One job: ``shortcode`` is the id, ``telecommuting`` the remote flag."""
        if not isinstance(record, dict):
            return "not a job object"
        title = as_text_or_int(record.get("title"))
        description = as_text_or_int(record.get("description"))
        if title is None and description is None:
            return "no title and no text"
        telecommuting = record.get("telecommuting")
        raw_date = record.get("published_on") or record.get("created_at")
        extra: dict[str, Any] = {
            "department": as_text_or_int(record.get("department")),
            "function": as_text_or_int(record.get("function")),
            "industry": as_text_or_int(record.get("industry")),
            "education": as_text_or_int(record.get("education")),
            "code": as_text_or_int(record.get("code")),
            "apply_url": as_text_or_int(record.get("application_url")),
        }
        return MappedPosting(
            title=title,
            description=description,
            company=board.strip() if board else None,
            location=_location(record),
            remote=telecommuting if isinstance(telecommuting, bool) else None,
            date_posted=as_date(raw_date),
            date_raw=raw_date if isinstance(raw_date, str) else None,
            url=as_text_or_int(record.get("url")) or as_text_or_int(record.get("shortlink")),
            source_id=as_text_or_int(record.get("shortcode")),
            employment_type=as_text_or_int(record.get("employment_type")),
            seniority_hint=as_text_or_int(record.get("experience")),
            extra={k: v for k, v in extra.items() if v},
        )

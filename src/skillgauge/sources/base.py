"""The contract every live source follows: one module per source, all the same shape.

A source knows three things and nothing else:

* ``fetch(fetcher, board=..., since=..., cursor=...)``: which requests to make (paging included),
  yielding each response as a :class:`Page`. It makes no HTTP calls itself: ``fetcher`` (the polite
  client in :mod:`skillgauge.sources.http`, or anything with the same ``get``) does, with retries,
  rate limits, cache and robots.txt. Tests pass a client on an ``httpx.MockTransport``.
* ``records(body, board=...)``: split one response body into job records (dicts, exactly as the
  service sent them: they are stored as the raw payload).
* ``map(record, board=...)``: turn one record into a :class:`~skillgauge.models.MappedPosting`, or
  a rejection reason (``str``) when it is not a usable job (a legal notice, no title and no text).

The pipeline stores records through the same batches, cleaning, de-duplication and extraction as
files; ``skillgauge parse SOURCE FILE`` runs ``records`` + ``map`` over one saved response offline.
Adding a source is one module (plus its recorded responses under ``tests/data/<source>/``) and one
line in :mod:`skillgauge.sources.registry`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

from skillgauge.models import MappedPosting


@dataclass(frozen=True)
class SourceInfo:
    """What ``skillgauge sources`` prints about a source."""

    name: str  # the id used on the command line: "greenhouse", "hackernews", ...
    title: str  # "Greenhouse job board API"
    kind: str  # "company-board" | "forum" | "public-api" | "scraper"
    needs: tuple[
        str, ...
    ]  # what the user must supply: "board names", "SKILLGAUGE_USAJOBS_KEY", ...
    terms: str  # the terms of use to honour (attribution, call limits), as the service states them
    docs: str  # the official documentation URL
    #: True when one fetch returns every open posting of a board (company boards): a posting
    #: missing from the next complete fetch is marked closed. False for feeds/search APIs.
    snapshot: bool = False
    extra: str | None = None  # the optional extra it needs (``pip install 'skillgauge[boards]'``)


@dataclass(frozen=True)
class Response:
    """An HTTP response as a source sees it (status 2xx: errors were raised by the fetcher)."""

    url: str
    status: int
    headers: Mapping[str, str]
    body: bytes
    from_cache: bool = False


class Fetcher(Protocol):
    """What a source needs from the HTTP client (see :class:`skillgauge.sources.http.HttpClient`).

    ``get`` returns a 2xx response or raises :class:`~skillgauge.exceptions.TransientSourceError`
    (after its retries) or :class:`~skillgauge.exceptions.TerminalSourceError`; ``source`` names
    the source in those messages.
    """

    def get(
        self,
        url: str,
        *,
        source: str,
        params: Mapping[str, str | int] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response: ...


@dataclass(frozen=True)
class Page:
    """One response of a fetch, with what is needed to store and resume it."""

    url: str
    body: bytes
    board: str | None = None
    #: the cursor to save once this page is stored (e.g. the newest date or id seen), or None
    cursor: str | None = None
    fetched_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))


class Source(Protocol):
    """One live source. Implementations are small classes with no state beyond their settings."""

    info: ClassVar[SourceInfo]

    def fetch(
        self,
        fetcher: Fetcher,
        *,
        board: str | None = None,
        since: dt.date | None = None,
        cursor: str | None = None,
    ) -> Iterator[Page]: ...

    def records(self, body: bytes, *, board: str | None = None) -> list[dict[str, Any]]: ...

    def map(self, record: dict[str, Any], *, board: str | None = None) -> MappedPosting | str: ...

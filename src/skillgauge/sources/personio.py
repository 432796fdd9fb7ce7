"""Personio's public XML job feed: one request returns every published position of a company.

``GET https://{company}.jobs.personio.de/xml[?language=en]`` (some accounts answer on
``jobs.personio.com``) needs no key and has no paging: a snapshot board (``since`` cannot be sent;
the pipeline filters on ``date_posted``). The feed is ``<workzag-jobs><position>...``; each
``<position>`` becomes one record dict: its simple children as text, ``additionalOffices`` as a list
of office names and ``jobDescriptions`` as ``[{"name", "value"}]`` (``value`` is CDATA HTML). The feed
has no salary and no remote flag (an office named like "Berlin (Remote)" is taken as remote), and
the job URL is derived: ``https://{company}.{host}/job/{id}``.

XML safety, defusedxml-style: the feed is parsed with :mod:`xml.etree.ElementTree`, whose expat parser
does not resolve external entities (no file or network access from ``<!ENTITY x SYSTEM ...>``).
Internal entity expansion ("billion laughs") is bounded by expat >= 2.4, and on top of that any
document carrying a ``<!DOCTYPE`` (where entities are declared; Personio's feed has none) is refused
before parsing, as defusedxml's ``forbid_dtd`` would.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any, ClassVar

from skillgauge.exceptions import InputError, TerminalSourceError
from skillgauge.models import MappedPosting
from skillgauge.sources.base import Fetcher, Page, SourceInfo
from skillgauge.sources.fields import as_date, as_text_or_int, newest_date

__all__ = ["PersonioSource", "parse_feed"]

HOSTS = ("jobs.personio.de", "jobs.personio.com")
_SUBDOMAIN_RE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_LANGUAGE_RE = re.compile(r"[a-z]{2}")
_REMOTE_RE = re.compile(r"\bremote\b", re.IGNORECASE)
_DOCTYPE_RE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)


def _local(tag: str) -> str:
    """``{namespace}name`` -> ``name`` (the feed has no namespace, but be lenient)."""
    return tag.rsplit("}", 1)[-1]


def _position(element: ET.Element) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for child in element:
        name = _local(child.tag)
        if name == "additionalOffices":
            record[name] = [t for office in child if (t := (office.text or "").strip())]
        elif name == "jobDescriptions":
            record[name] = [
                {_local(part.tag): (part.text or "").strip() for part in description}
                for description in child
            ]
        else:
            record[name] = (child.text or "").strip()
    return record


def parse_feed(body: bytes, source: str = "personio") -> list[dict[str, Any]]:
    """One dict per ``<position>``; :class:`TerminalSourceError` for a DTD or malformed XML."""
    if _DOCTYPE_RE.search(body):
        raise TerminalSourceError(
            source, "the feed declares a DOCTYPE/ENTITY; refused (a job feed needs neither)"
        )
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise TerminalSourceError(source, f"the response is not well-formed XML ({exc})") from exc
    if _local(root.tag) != "workzag-jobs":
        raise TerminalSourceError(
            source, f"expected a <workzag-jobs> feed, got <{_local(root.tag)}>"
        )
    return [_position(p) for p in root if _local(p.tag) == "position"]


class PersonioSource:
    """A company's Personio positions (``board`` = the subdomain in <company>.jobs.personio.de)."""

    info: ClassVar[SourceInfo] = SourceInfo(
        name="personio",
        title="Personio XML job feed",
        kind="company-board",
        needs=("board names (the subdomain in <company>.jobs.personio.de)",),
        terms=(
            "Public XML feed meant for job boards and career pages; no key and no documented rate "
            "limit: fetch each company rarely and link to the position's page on its jobs site."
        ),
        docs="https://developer.personio.de/docs/integration-of-open-positions",
        snapshot=True,
    )

    def __init__(self, *, host: str = "jobs.personio.de", language: str | None = None) -> None:
        """``host``: jobs.personio.de or jobs.personio.com; ``language``: e.g. "en" (optional)."""
        if host not in HOSTS:
            raise InputError(f"personio: host must be one of {', '.join(HOSTS)}, got {host!r}")
        if language is not None and not _LANGUAGE_RE.fullmatch(language):
            raise InputError(f"personio: language must be a two-letter code, got {language!r}")
        self.host = host
        self.language = language

    def fetch(
        self,
        fetcher: Fetcher,
        *,
        board: str | None = None,
        since: dt.date | None = None,
        cursor: str | None = None,
    ) -> Iterator[Page]:
        """One request for the feed; the cursor is the newest ``createdAt``."""
        if board is None or not _SUBDOMAIN_RE.fullmatch(board.strip()):
            raise InputError(
                f"personio needs a company subdomain (letters, digits and '-'), got {board!r}: "
                f"it is the name in <company>.{self.host}"
            )
        company = board.strip().lower()
        response = fetcher.get(
            f"https://{company}.{self.host}/xml",
            source=self.info.name,
            params={"language": self.language} if self.language else None,
        )
        newest = newest_date(self.records(response.body), "createdAt", default=cursor)
        yield Page(url=response.url, body=response.body, board=company, cursor=newest)

    def records(self, body: bytes, *, board: str | None = None) -> list[dict[str, Any]]:
        """One dict per ``<position>`` (see :func:`parse_feed`)."""
        return parse_feed(body, self.info.name)

    def map(self, record: dict[str, Any], *, board: str | None = None) -> MappedPosting | str:
        """One position: ``name`` is the title, ``jobDescriptions`` the text (HTML sections)."""
        if not isinstance(record, dict):
            return "not a position"
        title = as_text_or_int(record.get("name"))
        sections = record.get("jobDescriptions")
        parts: list[str] = []
        for section in sections if isinstance(sections, list) else []:
            if not isinstance(section, dict):
                continue
            heading, value = (
                as_text_or_int(section.get("name")),
                as_text_or_int(section.get("value")),
            )
            if value is None:
                continue
            if heading:
                parts.append(f"<h3>{html.escape(heading, quote=False)}</h3>")
            parts.append(value)
        description = "\n".join(parts) or None
        if title is None and description is None:
            return "no title and no text"
        position_id = as_text_or_int(record.get("id"))
        company = (
            board.strip().lower() if board and _SUBDOMAIN_RE.fullmatch(board.strip()) else None
        )
        offices = record.get("additionalOffices")
        office_names = [as_text_or_int(record.get("office"))] + (
            [as_text_or_int(x) for x in offices] if isinstance(offices, list) else []
        )
        # no flag, but offices such as "Berlin (Remote)" say the position can be done remotely
        remote = True if any(o and _REMOTE_RE.search(o) for o in office_names) else None
        types = [t for k in ("employmentType", "schedule") if (t := as_text_or_int(record.get(k)))]
        raw_date = record.get("createdAt")
        extra: dict[str, Any] = {
            "department": as_text_or_int(record.get("department")),
            "recruiting_category": as_text_or_int(record.get("recruitingCategory")),
            "additional_offices": [t for x in offices if (t := as_text_or_int(x))]
            if isinstance(offices, list)
            else None,
            "years_of_experience": as_text_or_int(record.get("yearsOfExperience")),
            "occupation": as_text_or_int(record.get("occupation")),
            "occupation_category": as_text_or_int(record.get("occupationCategory")),
        }
        return MappedPosting(
            title=title,
            description=description,
            company=as_text_or_int(record.get("subcompany")) or company,
            location=as_text_or_int(record.get("office")),
            remote=remote,
            date_posted=as_date(raw_date),
            date_raw=raw_date if isinstance(raw_date, str) else None,
            url=f"https://{company}.{self.host}/job/{position_id}"
            if company and position_id and position_id.isdigit()
            else None,
            source_id=position_id,
            employment_type=", ".join(types) or None,
            seniority_hint=as_text_or_int(record.get("seniority")),
            extra={k: v for k, v in extra.items() if v},
        )

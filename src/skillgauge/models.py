"""Plain typed records that flow between the pipeline stages. No I/O here.

The flow is::

    RawRow  (sources: one record as read from a file or an API, or why it could not be read)
      -> MappedPosting  (sources.mapping: fields found by their common names, typed, not yet cleaned)
      -> Posting  (clean: text, roles, seniority, fingerprint; what the store keeps)
      -> Mention  (extract: one technology term found in a posting's text)

Records are frozen dataclasses (cheap to build by the hundred thousand) rather than pydantic models;
pydantic validates the *data files* (taxonomy, roles, settings), where its error messages matter.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class RawRow:
    """One record as read from a source, before any interpretation.

    ``payload`` is the record's fields as read (column -> value), or ``None`` when the record could not
    be parsed at all; then ``raw`` holds the undecodable text (or a repr of the bytes) and ``error``
    says why. ``position`` is the 0-based record number in the source (row, line or array index),
    so a rejected record can be found again.
    """

    position: int
    payload: dict[str, Any] | None
    raw: str | None = None
    error: str | None = None

    def __reduce__(self) -> tuple[type[RawRow], tuple[Any, ...]]:
        # Pickled by the million between the pipeline's processes: the generated state methods of
        # a frozen slots dataclass call ``dataclasses.fields`` per object (measured ~10x slower).
        return (
            RawRow,
            (
                self.position,
                self.payload,
                self.raw,
                self.error,
            ),
        )


@dataclass(frozen=True, slots=True)
class Salary:
    """A stated salary. Amounts are in ``currency`` per ``period`` (year, month, week, day, hour)."""

    min: float | None
    max: float | None
    currency: str | None = None
    period: str | None = None
    text: str | None = None

    def __reduce__(self) -> tuple[type[Salary], tuple[Any, ...]]:
        # Pickled by the million between the pipeline's processes: the generated state methods of
        # a frozen slots dataclass call ``dataclasses.fields`` per object (measured ~10x slower).
        return (
            Salary,
            (
                self.min,
                self.max,
                self.currency,
                self.period,
                self.text,
            ),
        )


@dataclass(frozen=True, slots=True)
class MappedPosting:
    """A record whose fields were found and typed, but whose text is not cleaned yet.

    ``description`` may hold HTML (it is kept as the original); ``date_raw`` keeps the date as written
    when ``date_posted`` had to be derived (an HN thread month, a relative "3 days ago").
    ``role_hint`` carries role text found outside the title (the roles part of an HN first line);
    ``seniority_hint`` a seniority column such as LinkedIn's "Mid-Senior level".
    """

    title: str | None
    description: str | None
    company: str | None = None
    location: str | None = None
    remote: bool | None = None
    date_posted: dt.date | None = None
    date_raw: str | None = None
    salary: Salary | None = None
    url: str | None = None
    source_id: str | None = None
    employment_type: str | None = None
    seniority_hint: str | None = None
    role_hint: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Rejection:
    """Why a record was quarantined instead of stored."""

    position: int
    reason: str
    raw: str


@dataclass(frozen=True, slots=True)
class Mention:
    """One technology term found in a text. ``start``/``end`` are character offsets into the text."""

    term_id: str
    start: int
    end: int
    surface: str

    def __reduce__(self) -> tuple[type[Mention], tuple[Any, ...]]:
        # Pickled by the million between the pipeline's processes: the generated state methods of
        # a frozen slots dataclass call ``dataclasses.fields`` per object (measured ~10x slower).
        return (
            Mention,
            (
                self.term_id,
                self.start,
                self.end,
                self.surface,
            ),
        )


@dataclass(frozen=True, slots=True)
class RoleAssignment:
    """What a title (or an HN roles line) says about the job: one or more roles and a seniority."""

    roles: tuple[str, ...]
    seniority: str

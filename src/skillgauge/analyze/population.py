"""The population a statistic was computed over: how many postings, of which roles, when, from where.

Every analysis result carries one, so a figure is never read without its denominator ("median
salary of 212 postings, data engineer, HN 2014-01..2018-12"). Defined once here and shared by all
analyses (salary, comparisons, trends).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from skillgauge.exceptions import InputError

__all__ = ["Population", "describe_population"]


@dataclass(frozen=True)
class Population:
    """Unique postings behind a result. ``roles`` and ``sources`` are sorted; dates may be ``None``
    when no selected posting has a date."""

    postings: int
    roles: tuple[str, ...]
    date_min: dt.date | None
    date_max: dt.date | None
    sources: tuple[str, ...]

    def __str__(self) -> str:
        """One line for people: postings, roles, dates and sources, separated by "; "."""
        parts = [f"{self.postings:,} unique postings"]
        parts.append("roles: " + ", ".join(self.roles) if self.roles else "all roles")
        if self.date_min or self.date_max:
            lo = self.date_min.isoformat() if self.date_min else "?"
            hi = self.date_max.isoformat() if self.date_max else "?"
            parts.append(f"dates {lo} to {hi}")
        else:
            parts.append("no dates")
        n = len(self.sources)
        parts.append(f"{n} source{'' if n == 1 else 's'}: " + ", ".join(self.sources))
        return "; ".join(parts)


def _as_date(value: pd.Timestamp) -> dt.date | None:
    return None if pd.isna(value) else value.date()


def describe_population(
    meta: pd.DataFrame, posting_ids: Iterable[str], roles: Iterable[str] = ()
) -> Population:
    """The :class:`Population` of ``posting_ids`` within ``meta`` (a ``posting_meta`` frame).

    ``roles`` names the role selection the caller made (the meta frame has no role column).
    Raises :class:`~skillgauge.exceptions.InputError` when no given id is in ``meta``: a result
    over nothing must not look like a result.
    """
    wanted = set(map(str, posting_ids))
    # A set membership test over object values: pandas 3's ``isin`` on Arrow-backed strings turns
    # every wanted id into a pyarrow scalar (measured ~0.25 s for 34k ids).
    sub = meta[[pid in wanted for pid in meta["posting_id"].astype(object)]]
    if sub.empty:
        raise InputError("no postings in the selection: nothing to describe")
    dates = pd.to_datetime(sub["date_posted"], errors="coerce").dropna()
    sources = sorted({str(s) for s in sub["source"].dropna()})
    return Population(
        postings=int(sub["posting_id"].nunique()),
        roles=tuple(sorted({str(r) for r in roles})),
        date_min=_as_date(dates.min()) if len(dates) else None,
        date_max=_as_date(dates.max()) if len(dates) else None,
        sources=tuple(sources),
    )

"""What a role-vs-role report is made of: the shares table, the manifest, and the term order.

The store queries (written elsewhere) produce a :class:`RoleReport`; every renderer (chart, HTML,
Markdown, CSV, JSON, terminal) reads only this module's types. Keeping one validated, normalised
input means the renderers cannot disagree about which terms are shown, in which order, or which
roles are flagged as low-n: they all go through :meth:`RoleReport.rows`.

No I/O here: this module only checks and reshapes data that is already in memory.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from skillgauge.analyze.shares import SHARE_COLUMNS
from skillgauge.exceptions import InputError

#: A grouped bar chart stays readable up to five bars per term; the palette has that many colours.
MAX_ROLES = 5


@dataclass(frozen=True)
class Manifest:
    """Where the numbers come from, so a reader can judge them and a user can reproduce them."""

    corpus_postings: int
    postings_by_role: dict[str, int]
    raw_read: int
    rejected: int
    duplicates: int
    date_min: dt.date | None
    date_max: dt.date | None
    sources: list[tuple[str, int]]
    dedup_rule: str
    taxonomy_version: str
    taxonomy_hash: str
    roles_version: str
    interval_method: str
    min_n: int
    created_at: dt.datetime
    command: str
    skillgauge_version: str
    database: str

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready fields: ISO dates, ``created_at`` in UTC, sources as named objects."""
        created = self.created_at
        created = (
            created.replace(tzinfo=dt.UTC) if created.tzinfo is None else created.astimezone(dt.UTC)
        )
        return {
            "corpus_postings": int(self.corpus_postings),
            "postings_by_role": {k: int(v) for k, v in sorted(self.postings_by_role.items())},
            "raw_read": int(self.raw_read),
            "rejected": int(self.rejected),
            "duplicates": int(self.duplicates),
            "date_min": self.date_min.isoformat() if self.date_min else None,
            "date_max": self.date_max.isoformat() if self.date_max else None,
            "sources": [{"name": name, "postings": int(count)} for name, count in self.sources],
            "dedup_rule": self.dedup_rule,
            "taxonomy_version": self.taxonomy_version,
            "taxonomy_hash": self.taxonomy_hash,
            "roles_version": self.roles_version,
            "interval_method": self.interval_method,
            "min_n": int(self.min_n),
            "created_at": created.isoformat(),
            "command": self.command,
            "skillgauge_version": self.skillgauge_version,
            "database": self.database,
        }

    def period(self) -> str | None:
        """The posting dates covered, as ``2013-01-01 to 2018-12-31``, or ``None`` if unknown."""
        if self.date_min is None and self.date_max is None:
            return None
        lo = self.date_min.isoformat() if self.date_min else "?"
        hi = self.date_max.isoformat() if self.date_max else "?"
        return f"{lo} to {hi}"

    def corpus_line(self) -> str:
        """One sentence describing the corpus, used in the chart footnote and the page header."""
        n_src = len(self.sources)
        text = (
            f"{self.corpus_postings:,} unique postings from {n_src} "
            f"source{'' if n_src == 1 else 's'}"
        )
        period = self.period()
        return f"{text}, {period}" if period else text


@dataclass(frozen=True)
class RoleInfo:
    """One role of the report: its id, label, sample size and whether that size is below the minimum."""

    role: str
    label: str
    n: int
    low_n: bool


@dataclass(frozen=True)
class Cell:
    """One role's figures for one term. ``share`` and the interval are fractions (0..1), NaN if n=0."""

    role: str
    count: int
    n: int
    share: float
    ci_low: float
    ci_high: float
    low_n: bool

    @property
    def defined(self) -> bool:
        """False when the role has no postings, so no share can be stated."""
        return self.n > 0 and not math.isnan(self.share)


@dataclass(frozen=True)
class TermRow:
    """One term of the report with one :class:`Cell` per role, in the report's role order."""

    term_id: str
    label: str
    category: str
    cells: tuple[Cell, ...]


# eq=False: the dataclass-generated __eq__ would compare DataFrames, whose truth value is ambiguous.
@dataclass(frozen=True, eq=False)
class RoleReport:
    """A role profile (the first role) compared with up to four other roles.

    ``shares`` is checked and normalised on construction (a private copy, typed columns), so every
    renderer can trust it: one row per (role, term) for every role in ``roles`` and every term.
    """

    roles: tuple[str, ...]
    shares: pd.DataFrame
    manifest: Manifest
    top: int
    title: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "shares", _normalise_shares(self.shares, self.roles))
        if self.top < 1:
            raise InputError(f"a report needs top >= 1 terms, got {self.top}")

    def ordered_terms(self) -> list[str]:
        """The top ``top`` term ids by the first role's share (ties by label, then id).

        This is the order used everywhere: chart (largest at top), tables, CSV and JSON.
        """
        first = self.shares[self.shares["role"] == self.roles[0]]
        ranked = first.assign(_key=first["share"].fillna(0.0)).sort_values(
            ["_key", "label", "term_id"], ascending=[False, True, True], kind="mergesort"
        )
        return [str(t) for t in ranked["term_id"].head(self.top)]

    def role_infos(self) -> tuple[RoleInfo, ...]:
        """Label, n and low-n flag of each role, in report order (taken from ``shares``)."""
        infos = []
        for role in self.roles:
            row = self.shares[self.shares["role"] == role].iloc[0]
            infos.append(
                RoleInfo(
                    role=role,
                    label=str(row["role_label"]),
                    n=int(row["n"]),
                    low_n=bool(row["low_n"]),
                )
            )
        return tuple(infos)

    def selected_shares(self) -> pd.DataFrame:
        """The shares rows of the shown terms: term order first, then role order."""
        terms = self.ordered_terms()
        term_rank = {t: i for i, t in enumerate(terms)}
        role_rank = {r: i for i, r in enumerate(self.roles)}
        df = self.shares[self.shares["term_id"].isin(term_rank)]
        df = df.assign(
            _t=df["term_id"].map(term_rank),
            _r=df["role"].map(role_rank),
        ).sort_values(["_t", "_r"], kind="mergesort")
        return df.loc[:, list(SHARE_COLUMNS)].reset_index(drop=True)

    def rows(self) -> list[TermRow]:
        """The shown terms in order, each with one cell per role: what every renderer draws."""
        df = self.selected_shares()
        out: list[TermRow] = []
        n_roles = len(self.roles)
        records = df.to_dict("records")
        for start in range(0, len(records), n_roles):
            group = records[start : start + n_roles]
            head = group[0]
            cells = tuple(
                Cell(
                    role=str(r["role"]),
                    count=int(r["count"]),
                    n=int(r["n"]),
                    share=float(r["share"]),
                    ci_low=float(r["ci_low"]),
                    ci_high=float(r["ci_high"]),
                    low_n=bool(r["low_n"]),
                )
                for r in group
            )
            out.append(
                TermRow(
                    term_id=str(head["term_id"]),
                    label=str(head["label"]),
                    category=str(head["category"]),
                    cells=cells,
                )
            )
        return out


def _normalise_shares(shares: pd.DataFrame, roles: tuple[str, ...]) -> pd.DataFrame:
    """Check the shares table against the report's roles and return a typed private copy.

    Raises :class:`InputError` for what would otherwise turn into a silently wrong chart: missing
    columns, unknown or missing roles, duplicate or missing (role, term) rows, a role whose n varies.
    """
    if not roles:
        raise InputError("a report needs at least one role")
    if len(set(roles)) != len(roles):
        raise InputError(f"roles are repeated: {', '.join(roles)}")
    if len(roles) > MAX_ROLES:
        raise InputError(f"a report compares at most {MAX_ROLES} roles, got {len(roles)}")
    missing = [c for c in SHARE_COLUMNS if c not in shares.columns]
    if missing:
        raise InputError(f"shares table lacks columns: {', '.join(missing)}")

    df = shares.loc[shares["role"].isin(roles), list(SHARE_COLUMNS)].copy()
    for col in ("role", "role_label", "term_id", "label", "category"):
        df[col] = df[col].astype(str)
    for col in ("count", "n"):
        df[col] = df[col].astype("int64")
    for col in ("share", "ci_low", "ci_high"):
        df[col] = df[col].astype("float64")
    df["low_n"] = df["low_n"].astype(bool)

    absent = [r for r in roles if r not in set(df["role"])]
    if absent:
        raise InputError(f"no shares rows for role(s): {', '.join(absent)}")
    if df.duplicated(["role", "term_id"]).any():
        raise InputError("shares table has more than one row for a (role, term) pair")
    terms = set(df["term_id"])
    for role in roles:
        sub = df[df["role"] == role]
        lacking = terms - set(sub["term_id"])
        if lacking:
            raise InputError(
                f"role {role!r} has no row for term(s) {', '.join(sorted(lacking)[:5])}; "
                "include zero counts"
            )
        if sub["n"].nunique() != 1:
            raise InputError(f"role {role!r} has more than one n in the shares table")
    if (df["count"] < 0).any() or (df["count"] > df["n"]).any():
        raise InputError("shares table has a count below 0 or above n")
    return df.reset_index(drop=True)

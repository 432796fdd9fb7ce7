"""The full report of one role: every analysis of the project gathered in one document.

:func:`build_full_report` asks a :class:`~skillgauge.database.Database` for each section's data and
returns a :class:`FullReport` that holds only data (frames, the learning path, the manifest), never
figures: the renderers (:mod:`skillgauge.report.render_full`) build the charts from it with the pure
chart functions, so the HTML, the PNGs, the CSV and the JSON cannot disagree.

Why a section failing does not fail the report: a small corpus has enough postings to compare roles
but often too few salaries or no dated postings for a trend. Each section catches
:class:`~skillgauge.exceptions.InputError` (the error a user can fix by adding data) and keeps its
message as the section's note, shown where the section would be. Anything else (an unknown role, a
broken database) is not a data shortage and still fails loudly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import pandas as pd

from skillgauge.advise.path import LearningPath
from skillgauge.database import Database
from skillgauge.exceptions import InputError
from skillgauge.report.model import Manifest, RoleReport

#: The source trends are read from by default: one source, so a change in the mix of sources
#: cannot pose as a trend (as ``skillgauge trends``); Hacker News is the one dated over years.
DEFAULT_TREND_SOURCE = "hackernews"
#: Terms drawn in the trend chart: one colour each from the five-colour palette.
TREND_TERMS = 5
#: Terms of the co-occurrence heatmap: up to this many the chart writes each cell's value.
HEATMAP_TERMS = 12
#: Rows of the "also asked" table.
ALSO_ASKED_ROWS = 15
#: Pairs seen together fewer times than this are left out of the co-occurrence table.
COOC_MIN_COUNT = 5

#: Data sections in report order: each one table, one CSV file, one JSON entry.
SECTION_KEYS: tuple[str, ...] = (
    "comparison",
    "differences",
    "trends",
    "also_asked",
    "cooccurrence",
    "salary",
    "salary_coverage",
    "path",
)

T = TypeVar("T")


def not_enough(error: InputError) -> str:
    """The note a section shows instead of its content."""
    return f"not enough data: {error}"


@dataclass(frozen=True, eq=False)
class FullReport:
    """Everything the full report shows, as data. A ``None`` part comes with a note in ``notes``.

    ``notes`` maps a section key (:data:`SECTION_KEYS`) to a sentence shown in that section: why it
    is empty ("not enough data: ..."), or a caveat about what it shows.
    """

    role: str
    role_label: str
    compare: tuple[str, ...]
    title: str
    top: int
    manifest: Manifest
    comparison: RoleReport | None = None
    differences: pd.DataFrame | None = None
    diff_against: str = "rest"
    trends: pd.DataFrame | None = None
    trend_source: str | None = DEFAULT_TREND_SOURCE
    trend_n: int = 0
    also_asked_term: str | None = None
    also_asked: pd.DataFrame | None = None
    cooccurrence: pd.DataFrame | None = None
    heatmap_terms: tuple[str, ...] = ()
    role_n: int = 0
    salary: pd.DataFrame | None = None
    salary_n: int = 0
    salary_coverage: pd.DataFrame | None = None
    path: LearningPath | None = None
    labels: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)

    def label(self, term_id: str) -> str:
        """A term's display name (its id when the taxonomy does not know it)."""
        return self.labels.get(term_id, term_id)

    def role_name(self, role: str) -> str:
        """A role's display name: the comparison's label when known, the id otherwise."""
        if self.comparison is not None:
            for info in self.comparison.role_infos():
                if info.role == role:
                    return info.label
        return self.role_label if role == self.role else role

    def section_frames(self) -> dict[str, pd.DataFrame | None]:
        """Each data section's table (``None`` when the section has none), in report order."""
        return {
            "comparison": None if self.comparison is None else self.comparison.selected_shares(),
            "differences": self.differences,
            "trends": self.trends,
            "also_asked": self.also_asked,
            "cooccurrence": self.cooccurrence,
            "salary": self.salary,
            "salary_coverage": self.salary_coverage,
            "path": None if self.path is None else self.path.to_frame(),
        }


def _attempt(notes: dict[str, str], key: str, fn: Callable[[], T]) -> T | None:
    """``fn()``, or ``None`` with the section's "not enough data" note on an InputError."""
    try:
        return fn()
    except InputError as error:
        notes[key] = not_enough(error)
        return None


def build_full_report(
    db: Database,
    role: str,
    compare: Sequence[str] = (),
    *,
    top: int = 20,
    command: str = "",
    trend_source: str | None = DEFAULT_TREND_SOURCE,
    currency: str = "USD",
) -> FullReport:
    """Gather every section of ``role``'s full report from ``db`` (read only; no file written).

    ``compare`` are the roles of the comparison chart; the difference chart is ``role`` against the
    first of them (against every other posting when there is none). ``trend_source`` ``None`` or
    ``""`` reads trends from every source. Unknown roles raise
    :class:`~skillgauge.exceptions.UnknownRole`; a section without enough data gets a note.
    """
    roles = list(dict.fromkeys(db.check_role(r) for r in [role, *compare]))
    role = roles[0]
    others = tuple(roles[1:])
    notes: dict[str, str] = {}
    labels = db.term_labels()
    role_label = db.role_label(role)

    comparison = _attempt(notes, "comparison", lambda: db.report(role, others, top=top))
    top_terms = comparison.ordered_terms() if comparison is not None else []

    against = others[0] if others else "rest"
    differences = _attempt(notes, "differences", lambda: db.compare(role, against))
    if differences is not None and differences.empty:
        notes["differences"] = "not enough data: no term to compare"
        differences = None

    source = trend_source or None
    trends: pd.DataFrame | None = None
    trend_n = 0
    no_terms = (
        "not enough data: the role's postings mention no technology"
        if comparison is not None
        else "not enough data: no top terms (see the role comparison)"
    )
    if not top_terms:
        notes["trends"] = no_terms
    else:
        trends = _attempt(
            notes,
            "trends",
            lambda: db.trends(top_terms[:TREND_TERMS], role=role, freq="quarter", source=source),
        )
        if trends is not None:
            population = trends.attrs.get("population")
            trend_n = int(getattr(population, "postings", 0))
            if trends.empty or trend_n == 0:
                notes["trends"] = "not enough data: no dated postings for the role"
                trends = None

    also_term = top_terms[0] if top_terms else None
    also: pd.DataFrame | None = None
    if also_term is None:
        notes["also_asked"] = no_terms
    else:
        also = _attempt(
            notes,
            "also_asked",
            lambda: db.also_asked(also_term, role=role, top=ALSO_ASKED_ROWS),
        )
    pairs = _attempt(
        notes, "cooccurrence", lambda: db.cooccurrence(role=role, min_count=COOC_MIN_COUNT)
    )
    heat = tuple(top_terms[:HEATMAP_TERMS])
    if pairs is not None:
        keep = set(heat)
        pairs = pairs[pairs["term_a"].isin(keep) & pairs["term_b"].isin(keep)]
        pairs = pairs.reset_index(drop=True)
        if pairs.empty or len(heat) < 2:
            notes["cooccurrence"] = (
                f"not enough data: no pair of the top terms is asked together "
                f"{COOC_MIN_COUNT} times or more"
            )
            pairs = None

    min_n = db.settings.min_n
    salary = _attempt(notes, "salary", lambda: db.salary(role=role, currency=currency))
    salary_n = 0
    if salary is not None:
        population = salary.attrs.get("population")
        salary_n = int(getattr(population, "postings", 0))
        if salary.empty:
            notes["salary"] = f"not enough data: no posting states a salary in {currency}"
            salary = None
        elif salary_n < min_n:
            notes["salary"] = (
                f"not enough data: only {salary_n} postings of the role state a salary in "
                f"{currency} (fewer than {min_n}); the figures are too uncertain to chart"
            )
            salary = None
    coverage = _attempt(notes, "salary_coverage", lambda: db.salary_coverage(role))
    path = _attempt(notes, "path", lambda: db.path(role, top=top))
    if path is not None and path.message:
        notes["path"] = path.message

    manifest = db.manifest(roles, command)
    title = f"Full report: {role_label}"
    if others:
        title += " vs " + " and ".join(db.role_label(r) for r in others)
    return FullReport(
        role=role,
        role_label=role_label,
        compare=others,
        title=title,
        top=top,
        manifest=manifest,
        comparison=comparison,
        differences=differences,
        diff_against=against,
        trends=trends,
        trend_source=source,
        trend_n=trend_n,
        also_asked_term=also_term,
        also_asked=also,
        cooccurrence=pairs,
        heatmap_terms=heat,
        role_n=int(manifest.postings_by_role.get(role, 0)),
        salary=salary,
        salary_n=salary_n,
        salary_coverage=coverage,
        path=path,
        labels=labels,
        notes=notes,
    )

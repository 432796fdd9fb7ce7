"""A learning path for a role: what to learn, in which order, and why, from the postings themselves.

Three sources of evidence, each with a job:

* **Demand** picks the terms: the ``top`` terms by share of the role's unique postings (count, n and
  a 95% Wilson interval, as in :mod:`skillgauge.analyze.shares`).
* **Prerequisites** from the taxonomy fix the order: a prerequisite missing from the top list is
  added (transitively), and it never comes after a term that needs it.
* **Co-occurrence** keeps related terms together: among terms of similar demand, the next step is
  the one asked for most often with the step just placed (lift), so PyTorch is followed by
  Lightning rather than by an unrelated term of equal share.

Stage rule (documented in docs/advise.md). First by demand alone:

* ``foundations``: asked in >= 50% of the role's postings;
* ``core``: asked in >= 25%;
* ``specialisation``: asked in >= 10%;
* ``nice to have``: the rest of the top list (and added prerequisites nobody asks for).

Then prerequisites move earlier: a prerequisite of a foundations or core term is a foundation
(what the core builds on is foundational), and a prerequisite of a specialisation or nice-to-have
term moves up to its dependant's stage when that is earlier than its own. Applied from dependants to
prerequisites, this makes a prerequisite's stage never later than its dependant's, without
promoting Git to "foundations" because GitHub is a nice-to-have. Within a stage the order is
topological (Kahn's algorithm), so a prerequisite is never placed after its dependant anywhere.

Within a stage, among the terms whose prerequisites are already placed, the next step is chosen by
(demand band of 5 percentage points, lift with the step just placed, share, label): demand comes
first, co-occurrence breaks near-ties, and the result is deterministic.
"""

from __future__ import annotations

import difflib
import html
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from skillgauge.analyze.intervals import WILSON_95, wilson
from skillgauge.exceptions import InputError, UnknownRole
from skillgauge.taxonomy.model import Taxonomy

#: The role id meaning "every posting".
ALL_ROLES = "all"

#: Stages in path order.
STAGES: tuple[str, ...] = ("foundations", "core", "specialisation", "nice to have")

#: Share thresholds of the stage rule (a prerequisite of another path term is a foundation anyway).
FOUNDATION_SHARE = 0.50
CORE_SHARE = 0.25
SPECIALISATION_SHARE = 0.10

#: Width of the demand band inside which co-occurrence decides the order.
DEMAND_BAND = 0.05

#: A lift at least this high with the previous step is mentioned in the ``why`` text.
TOGETHER_LIFT = 1.5

#: Columns of :meth:`LearningPath.to_frame`, in order.
PATH_COLUMNS: tuple[str, ...] = (
    "step",
    "stage",
    "term_id",
    "label",
    "category",
    "share",
    "ci_low",
    "ci_high",
    "count",
    "n",
    "added_as_prerequisite",
    "prerequisites",
    "prerequisite_of",
    "why",
)

PATH_METHOD = (
    f"top terms by share of the role's unique postings ({WILSON_95}); missing taxonomy "
    "prerequisites added; stages by share: foundations >= 50%, core >= 25%, specialisation >= 10%, "
    "nice to have = the rest; a prerequisite of a foundations/core term is a foundation, other "
    "prerequisites move up to their dependant's stage; topological order within stages, "
    "near-ties (same 5-point demand band) ordered by lift with the previous step"
)


@dataclass(frozen=True, slots=True)
class PathStep:
    """One term to learn, with its demand figures and the reason for its place."""

    term_id: str
    label: str
    category: str
    stage: str
    share: float
    ci_low: float
    ci_high: float
    count: int
    n: int
    why: str
    added_as_prerequisite: bool = False
    prerequisites: tuple[str, ...] = ()
    prerequisite_of: tuple[str, ...] = ()


@dataclass(slots=True)
class LearningPath:
    """The ordered steps for one role, with the sample size behind every figure."""

    role: str
    role_label: str
    n: int
    min_n: int
    steps: list[PathStep] = field(default_factory=list)
    method: str = PATH_METHOD

    @property
    def low_n(self) -> bool:
        """Fewer postings than ``min_n``: the shares (and so the order) are uncertain."""
        return self.n < self.min_n

    @property
    def message(self) -> str:
        """A one-line caveat for the reader, empty when there is nothing to warn about."""
        if self.n == 0:
            return f"No postings for {self.role_label}: no path can be computed."
        if not self.steps:
            return f"No posting of {self.role_label} mentions a known technology."
        if self.low_n:
            return (
                f"Only {self.n} postings of {self.role_label} (fewer than {self.min_n}): "
                "the shares are uncertain (see the intervals) and the order may change with more data."
            )
        return ""

    def to_frame(self) -> pd.DataFrame:
        """One row per step, in path order (``step`` from 1); ``attrs`` carry role, n and method."""
        rows = [
            (
                i,
                s.stage,
                s.term_id,
                s.label,
                s.category,
                s.share,
                s.ci_low,
                s.ci_high,
                s.count,
                s.n,
                s.added_as_prerequisite,
                ", ".join(s.prerequisites),
                ", ".join(s.prerequisite_of),
                s.why,
            )
            for i, s in enumerate(self.steps, start=1)
        ]
        df = pd.DataFrame(rows, columns=list(PATH_COLUMNS))
        df.attrs.update(
            {"role": self.role, "n": self.n, "low_n": self.low_n, "method": self.method}
        )
        return df

    def to_markdown(self) -> str:
        """A heading, the caveat if any, and one table per stage (cells escaped)."""
        out = [f"## Learning path: {md_escape(self.role_label)} (n={self.n} postings)", ""]
        if self.message:
            out += [f"> {md_escape(self.message)}", ""]
        for stage, steps in self._by_stage():
            out += [f"### {stage.capitalize()}", ""]
            out += ["| # | Technology | Share [95% CI] | Why |", "|---:|---|---|---|"]
            out += [
                f"| {i} | {md_escape(s.label)} | {md_escape(share_text(s))} | {md_escape(s.why)} |"
                for i, s in steps
            ]
            out.append("")
        out.append(f"_Method: {md_escape(self.method)}._")
        return "\n".join(out) + "\n"

    def to_html(self) -> str:
        """A self-contained HTML fragment (no scripts, no external resources; all text escaped)."""
        e = html.escape
        out = [
            '<section class="skillgauge-path">',
            f"<h2>Learning path: {e(self.role_label)} (n={self.n} postings)</h2>",
        ]
        if self.message:
            out.append(f'<p class="caveat">{e(self.message)}</p>')
        for stage, steps in self._by_stage():
            out.append(f"<h3>{e(stage.capitalize())}</h3>")
            out.append(
                "<table><thead><tr><th>#</th><th>Technology</th><th>Share [95% CI]</th>"
                "<th>Why</th></tr></thead><tbody>"
            )
            out += [
                f"<tr><td>{i}</td><td>{e(s.label)}</td><td>{e(share_text(s))}</td>"
                f"<td>{e(s.why)}</td></tr>"
                for i, s in steps
            ]
            out.append("</tbody></table>")
        out.append(f'<p class="method">Method: {e(self.method)}.</p>')
        out.append("</section>")
        return "\n".join(out) + "\n"

    def _by_stage(self) -> list[tuple[str, list[tuple[int, PathStep]]]]:
        numbered = list(enumerate(self.steps, start=1))
        groups = [(st, [(i, s) for i, s in numbered if s.stage == st]) for st in STAGES]
        return [(st, steps) for st, steps in groups if steps]


# -- shared helpers (gap.py uses them too) ------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def md_escape(text: object) -> str:
    """Escape text for a Markdown table cell: a backslash before the characters that would split
    the cell (``|``) or start code, emphasis, links or raw HTML; line breaks folded (they would end
    the row). Parentheses, ``+`` and ``#`` mean nothing inside a cell and are left readable."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def pct(value: float) -> str:
    """A share as a percentage: whole numbers from 10%, one decimal below (2.4% is not 2%)."""
    if math.isnan(value):
        return "n/a"
    p = value * 100.0
    return f"{p:.0f}" if p >= 9.95 else f"{p:.1f}"


def share_text(step: PathStep) -> str:
    """``62% [60-64%] (528/851)``."""
    return f"{pct(step.share)}% [{pct(step.ci_low)}-{pct(step.ci_high)}%] ({step.count}/{step.n})"


def role_postings(
    roles_frame: pd.DataFrame, role: str, known_roles: Iterable[str] = ()
) -> pd.Index:
    """The unique posting ids of ``role`` (``all``: every posting of ``roles_frame``).

    A role neither in ``roles_frame`` nor in ``known_roles`` raises ``UnknownRole`` naming the
    closest ids (difflib), because a typo should not read as "no postings".
    """
    known = sorted(set(roles_frame["role"].astype(str)) | set(known_roles))
    if role == ALL_ROLES:
        ids = roles_frame["posting_id"]
    elif role in known:
        ids = roles_frame.loc[roles_frame["role"] == role, "posting_id"]
    else:
        close = difflib.get_close_matches(role, known, n=3, cutoff=0.4)
        hint = (
            f"; did you mean {', '.join(close)}?" if close else f"; known roles: {', '.join(known)}"
        )
        raise UnknownRole(f"unknown role '{role}'{hint}")
    return pd.Index(pd.unique(ids.astype(object)))


@dataclass(frozen=True, slots=True)
class Demand:
    """A term's demand in a selection of postings: count and share with its Wilson interval."""

    count: int
    share: float
    ci_low: float
    ci_high: float


def role_demand(terms_frame: pd.DataFrame, postings: pd.Index) -> dict[str, Demand]:
    """Demand of every term mentioned by ``postings`` (terms no posting mentions are absent).

    The denominator is every posting of the selection, including those that mention no term, as
    in :func:`skillgauge.analyze.shares.shares`.
    """
    pairs = terms_frame.loc[terms_frame["posting_id"].isin(postings), ["posting_id", "term_id"]]
    counts = pairs.drop_duplicates()["term_id"].astype(str).value_counts()
    values = counts.to_numpy(dtype=np.int64)
    share, low, high = wilson(values, np.full(len(values), len(postings)))
    return {
        str(t): Demand(int(values[i]), float(share[i]), float(low[i]), float(high[i]))
        for i, t in enumerate(counts.index)
    }


def check_positive(**values: int) -> None:
    """``InputError`` for a ``top``/``min_n`` argument below 1 (or 0 for ``min_n``)."""
    for name, value in values.items():
        low = 0 if name == "min_n" else 1
        if value < low:
            raise InputError(f"{name} must be at least {low}, not {value}")


# -- the path -------------------------------------------------------------------------------------


def learning_path(
    roles_frame: pd.DataFrame,
    terms_frame: pd.DataFrame,
    taxonomy: Taxonomy,
    role: str,
    *,
    top: int = 25,
    min_n: int = 30,
    role_label: str | None = None,
    known_roles: Iterable[str] = (),
) -> LearningPath:
    """The learning path for ``role`` from ``posting_roles_frame`` and ``posting_terms`` frames.

    ``top`` terms by demand, plus any missing prerequisites; see the module docstring for stages
    and order. ``role_label`` names the role in the ``why`` texts (default: the id);
    ``known_roles`` are ids that are valid even without postings (e.g. every id of the roles
    file), which then give an empty path instead of ``UnknownRole``.
    """
    check_positive(top=top, min_n=min_n)
    label = role_label or role
    postings = role_postings(roles_frame, role, known_roles)
    path = LearningPath(role=role, role_label=label, n=len(postings), min_n=min_n)
    if not len(postings):
        return path
    demand = role_demand(terms_frame, postings)
    by_id = taxonomy.by_id

    def term_label(t: str) -> str:
        return by_id[t].label if t in by_id else t

    ranked = sorted(demand, key=lambda t: (-demand[t].count, term_label(t), t))
    chosen = ranked[:top]
    on_path = _with_prerequisites(chosen, taxonomy)
    added = on_path - set(chosen)
    prereqs = {t: _prereqs(t, taxonomy, on_path) for t in on_path}
    dependants: dict[str, list[str]] = {t: [] for t in on_path}
    for t, pres in prereqs.items():
        for p in pres:
            dependants[p].append(t)

    figures = _figures(demand, on_path, len(postings))
    stage = _stages(figures, prereqs)
    lift = _lifts(terms_frame, postings, on_path)
    order = _order(on_path, prereqs, stage, figures, lift, term_label)

    previous: str | None = None
    for t in order:
        share, low, high, count = figures[t]
        term = by_id.get(t)
        dep_labels = sorted((term_label(d) for d in dependants[t]), key=str.lower)
        why = _why(
            share=share,
            low=low,
            high=high,
            n=len(postings),
            role_label=label,
            top=top,
            added=t in added,
            prerequisite_of=dep_labels,
            needs=[term_label(p) for p in prereqs[t]],
            together=(
                (term_label(previous), lift.get(frozenset((t, previous)), 0.0))
                if previous is not None
                else None
            ),
        )
        path.steps.append(
            PathStep(
                term_id=t,
                label=term_label(t),
                category=str(term.category) if term is not None else "",
                stage=stage[t],
                share=share,
                ci_low=low,
                ci_high=high,
                count=count,
                n=len(postings),
                why=why,
                added_as_prerequisite=t in added,
                prerequisites=tuple(prereqs[t]),
                prerequisite_of=tuple(sorted(dependants[t])),
            )
        )
        previous = t
    return path


def _with_prerequisites(chosen: Sequence[str], taxonomy: Taxonomy) -> set[str]:
    """``chosen`` plus every prerequisite reachable from it in the taxonomy."""
    by_id = taxonomy.by_id
    out: set[str] = set()
    stack = list(chosen)
    while stack:
        t = stack.pop()
        if t in out:
            continue
        out.add(t)
        if t in by_id:
            stack.extend(p for p in by_id[t].prerequisites if p not in out)
    return out


def _prereqs(term_id: str, taxonomy: Taxonomy, on_path: set[str]) -> list[str]:
    term = taxonomy.by_id.get(term_id)
    return [p for p in term.prerequisites if p in on_path] if term is not None else []


def _figures(
    demand: Mapping[str, Demand], on_path: set[str], n: int
) -> dict[str, tuple[float, float, float, int]]:
    """(share, ci_low, ci_high, count) per path term; an added prerequisite may have count 0."""
    terms = sorted(on_path)
    counts = np.array([demand[t].count if t in demand else 0 for t in terms], dtype=np.int64)
    share, low, high = wilson(counts, np.full(len(terms), n))
    return {
        t: (float(share[i]), float(low[i]), float(high[i]), int(counts[i]))
        for i, t in enumerate(terms)
    }


def demand_stage(share: float) -> str:
    """The stage a term's demand alone puts it in."""
    if share >= FOUNDATION_SHARE:
        return STAGES[0]
    if share >= CORE_SHARE:
        return STAGES[1]
    if share >= SPECIALISATION_SHARE:
        return STAGES[2]
    return STAGES[3]


def _stages(
    figures: Mapping[str, tuple[float, float, float, int]], prereqs: Mapping[str, list[str]]
) -> dict[str, str]:
    """Demand stages, then prerequisites moved earlier (see the module docstring).

    Relaxation to a fixed point: stages only ever move earlier and there are four of them, so it
    ends; at the fixed point every prerequisite's stage is at most its dependant's.
    """
    rank = {st: i for i, st in enumerate(STAGES)}
    level = {t: rank[demand_stage(f[0])] for t, f in figures.items()}
    changed = True
    while changed:
        changed = False
        for t in sorted(level):
            cap = 0 if level[t] <= 1 else level[t]  # what t's prerequisites may be at most
            for p in prereqs[t]:
                if level[p] > cap:
                    level[p] = cap
                    changed = True
    return {t: STAGES[v] for t, v in level.items()}


def _lifts(
    terms_frame: pd.DataFrame, postings: pd.Index, on_path: set[str]
) -> dict[frozenset[str], float]:
    """Lift of every pair of path terms seen together in the role's postings (sparse X.T @ X)."""
    from skillgauge.analyze.cooccurrence import cooccurrence

    sel = terms_frame[terms_frame["term_id"].isin(on_path)]
    if sel.empty:
        return {}
    co = cooccurrence(sel, posting_ids=postings)
    return {
        frozenset((a, b)): float(v)
        for a, b, v in zip(co["term_a"], co["term_b"], co["lift"], strict=True)
    }


def _order(
    on_path: set[str],
    prereqs: Mapping[str, list[str]],
    stage: Mapping[str, str],
    figures: Mapping[str, tuple[float, float, float, int]],
    lift: Mapping[frozenset[str], float],
    term_label: Callable[[str], str],
) -> list[str]:
    """Kahn's algorithm, stage by stage; the ready term with the best key goes next."""
    placed: list[str] = []
    done: set[str] = set()
    for st in STAGES:
        todo = {t for t in on_path if stage[t] == st}
        while todo:
            ready = [t for t in todo if all(p in done for p in prereqs[t])]
            if not ready:  # cannot happen: prerequisites are foundations and the DAG is acyclic
                raise AssertionError(f"prerequisite order broken in stage {st!r}: {sorted(todo)}")
            last = placed[-1] if placed else None

            def key(t: str, last: str | None = last) -> tuple[int, float, float, str, str]:
                share = figures[t][0]
                band = math.floor(share / DEMAND_BAND + 1e-9)
                affinity = lift.get(frozenset((t, last)), 0.0) if last is not None else 0.0
                return (-band, -affinity, -share, term_label(t), t)

            nxt = min(ready, key=key)
            placed.append(nxt)
            done.add(nxt)
            todo.remove(nxt)
    return placed


def _why(
    *,
    share: float,
    low: float,
    high: float,
    n: int,
    role_label: str,
    top: int,
    added: bool,
    prerequisite_of: list[str],
    needs: list[str],
    together: tuple[str, float] | None,
) -> str:
    parts = [f"asked in {pct(share)}% [{pct(low)}-{pct(high)}%] of {role_label} postings (n={n})"]
    if added:
        parts.append(f"not in the top {top} itself, added as a prerequisite")
    if prerequisite_of:
        parts.append("prerequisite of " + ", ".join(prerequisite_of))
    if needs:
        parts.append("builds on " + ", ".join(needs))
    if together is not None and together[1] >= TOGETHER_LIFT:
        parts.append(f"often asked together with {together[0]} (lift {together[1]:.1f})")
    return "; ".join(parts)

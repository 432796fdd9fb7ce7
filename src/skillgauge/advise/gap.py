"""Gap analysis: what a person's skills already cover in a role, and what to learn next.

Why "fully covered postings" and not a sum of shares: a posting is an actual job, and a person
qualifies for it (on the technology side) only when they know *every* technology it lists. Summing
shares would say that Python + SQL "cover 90%" of data-analyst demand even if almost every posting
also asks for a BI tool. So:

* a posting is **covered** when every term it mentions is in the person's set; postings that
  mention no term say nothing either way, so they are excluded from the denominator (and counted);
* the **next skills** are chosen greedily over the actual postings: at each step the term that
  makes the most further postings fully covered (ties by the term's share of the role, then label).
  Greedy is the standard approximation for this max-coverage problem and, unlike an exact search,
  explains itself one step at a time. A step may gain nothing on its own (every uncovered posting
  still lacks two or more terms); it is then the most demanded missing term.
* **best roles** rank every role by the share of its postings the person covers, ordered by the
  lower bound of the 95% Wilson interval so that a role with three postings does not top the list by
  luck.

Everything runs on one sparse 0/1 posting x term matrix (``scipy.sparse``): the number of missing
terms per posting is one matrix-vector product, and each greedy step is another.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pandas as pd

from skillgauge.advise.path import (
    Demand,
    check_positive,
    md_escape,
    pct,
    role_demand,
    role_postings,
)
from skillgauge.analyze.intervals import WILSON_95, wilson
from skillgauge.exceptions import InputError
from skillgauge.taxonomy.model import Taxonomy

if TYPE_CHECKING:
    from skillgauge.extract.matcher import Matcher

#: Roles left out of ``best_roles`` by default: the catch-all is not a role to aim for.
EXCLUDED_ROLES: tuple[str, ...] = ("other",)

#: How many roles ``best_roles`` lists.
BEST_ROLES = 5

#: Columns of :meth:`Gap.to_frame` (the next skills), in order.
GAP_COLUMNS: tuple[str, ...] = (
    "step",
    "term_id",
    "label",
    "category",
    "gain",
    "gain_pp",
    "covered",
    "coverage",
    "coverage_ci_low",
    "coverage_ci_high",
    "count",
    "n",
    "share",
    "ci_low",
    "ci_high",
)

GAP_METHOD = (
    "a posting is covered when every term it mentions is in the skill set; postings mentioning no "
    f"term are excluded; coverage with a {WILSON_95}; next skills chosen greedily by postings newly "
    "covered (ties by share of the role's postings); best roles ranked by the interval's lower bound"
)

_SPLIT = re.compile(r"[,;\n\r]+")
_BULLET = re.compile(r"^(?:[-*•·]\s*)+")


@dataclass(frozen=True, slots=True)
class HaveSkill:
    """A skill the person has, with its demand in the role (count 0: not asked for there)."""

    term_id: str
    label: str
    count: int
    n: int
    share: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True, slots=True)
class GapStep:
    """One next skill: postings it newly covers and the cumulative coverage after learning it."""

    term_id: str
    label: str
    category: str
    gain: int
    gain_pp: float
    covered: int
    coverage: float
    coverage_ci_low: float
    coverage_ci_high: float
    count: int
    n: int
    share: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True, slots=True)
class RoleFit:
    """How well the person's current skills cover one role's postings."""

    role: str
    role_label: str
    covered: int
    n: int
    coverage: float
    ci_low: float
    ci_high: float
    low_n: bool


@dataclass(slots=True)
class Gap:
    """The result of :func:`gap_analysis` for one role and one skill set."""

    role: str
    role_label: str
    skills: tuple[str, ...]
    n: int
    n_no_terms: int
    covered: int
    coverage: float
    ci_low: float
    ci_high: float
    min_n: int
    have: list[HaveSkill] = field(default_factory=list)
    next_steps: list[GapStep] = field(default_factory=list)
    best_roles: list[RoleFit] = field(default_factory=list)
    method: str = GAP_METHOD

    @property
    def n_evaluated(self) -> int:
        """Postings of the role that mention at least one term (the coverage denominator)."""
        return self.n - self.n_no_terms

    @property
    def complete(self) -> bool:
        """The skills already cover every posting of the role that lists technologies."""
        return self.n_evaluated > 0 and self.covered == self.n_evaluated

    @property
    def low_n(self) -> bool:
        """Fewer evaluated postings than ``min_n``: the figures are uncertain."""
        return self.n_evaluated < self.min_n

    @property
    def messages(self) -> list[str]:
        """Caveats and notable outcomes for the reader, in order of importance."""
        out: list[str] = []
        if self.n_evaluated == 0:
            out.append(
                f"No posting of {self.role_label} lists a known technology "
                f"({self.n} postings): coverage cannot be computed."
            )
            return out
        if self.complete:
            out.append(
                f"Your skills already cover every {self.role_label} posting that lists "
                f"technologies ({self.covered} of {self.n_evaluated}): nothing to add."
            )
        if self.low_n:
            out.append(
                f"Only {self.n_evaluated} {self.role_label} postings list technologies (fewer than "
                f"{self.min_n}): the figures are uncertain, read the intervals."
            )
        return out

    @property
    def message(self) -> str:
        """The caveats as one line (empty when there is nothing to say)."""
        return " ".join(self.messages)

    def to_frame(self) -> pd.DataFrame:
        """The next skills, one row per greedy step (``step`` from 1); ``attrs`` hold the rest."""
        rows = [
            (
                i,
                s.term_id,
                s.label,
                s.category,
                s.gain,
                s.gain_pp,
                s.covered,
                s.coverage,
                s.coverage_ci_low,
                s.coverage_ci_high,
                s.count,
                s.n,
                s.share,
                s.ci_low,
                s.ci_high,
            )
            for i, s in enumerate(self.next_steps, start=1)
        ]
        df = pd.DataFrame(rows, columns=list(GAP_COLUMNS))
        df.attrs.update(
            {
                "role": self.role,
                "n": self.n,
                "n_no_terms": self.n_no_terms,
                "covered": self.covered,
                "coverage": self.coverage,
                "complete": self.complete,
                "low_n": self.low_n,
                "method": self.method,
            }
        )
        return df

    def have_frame(self) -> pd.DataFrame:
        """The person's skills with their demand in the role, most demanded first."""
        return pd.DataFrame(
            [(h.term_id, h.label, h.count, h.n, h.share, h.ci_low, h.ci_high) for h in self.have],
            columns=["term_id", "label", "count", "n", "share", "ci_low", "ci_high"],
        )

    def best_roles_frame(self) -> pd.DataFrame:
        """The roles the person's current skills cover best."""
        return pd.DataFrame(
            [
                (r.role, r.role_label, r.covered, r.n, r.coverage, r.ci_low, r.ci_high, r.low_n)
                for r in self.best_roles
            ],
            columns=[
                "role",
                "role_label",
                "covered",
                "n",
                "coverage",
                "ci_low",
                "ci_high",
                "low_n",
            ],
        )

    def to_markdown(self) -> str:
        """Summary, the skills you have, the next skills and the best-fitting roles (escaped)."""
        md = md_escape
        out = [f"## Skill gap: {md(self.role_label)}", ""]
        for m in self.messages:
            out += [f"> {md(m)}", ""]
        if self.n_evaluated:
            out += [
                f"Your skills fully cover **{pct(self.coverage)}%** "
                f"[{pct(self.ci_low)}-{pct(self.ci_high)}%] of {md(self.role_label)} postings "
                f"({self.covered} of {self.n_evaluated}; {self.n_no_terms} postings listing no "
                "technology are left out).",
                "",
            ]
        if self.have:
            out += ["### Skills you have", "", "| Technology | Share of postings [95% CI] |"]
            out.append("|---|---|")
            for h in self.have:
                figure = (
                    f"{pct(h.share)}% [{pct(h.ci_low)}-{pct(h.ci_high)}%] ({h.count}/{h.n})"
                    if h.count
                    else "not asked for in this role"
                )
                out.append(f"| {md(h.label)} | {md(figure)} |")
            out.append("")
        if self.next_steps:
            out += [
                "### Next skills",
                "",
                "| # | Technology | Newly covered | Coverage after | Share of postings [95% CI] |",
                "|---:|---|---:|---|---|",
            ]
            for i, s in enumerate(self.next_steps, start=1):
                gain = f"+{s.gain} (+{s.gain_pp:.1f} pp)"
                after = f"{pct(s.coverage)}% [{pct(s.coverage_ci_low)}-{pct(s.coverage_ci_high)}%]"
                share = f"{pct(s.share)}% [{pct(s.ci_low)}-{pct(s.ci_high)}%]"
                out.append(f"| {i} | {md(s.label)} | {md(gain)} | {md(after)} | {md(share)} |")
            out.append("")
        if self.best_roles:
            out += ["### Roles your skills fit best", "", "| Role | Covered [95% CI] | n |"]
            out.append("|---|---|---:|")
            for r in self.best_roles:
                fig = f"{pct(r.coverage)}% [{pct(r.ci_low)}-{pct(r.ci_high)}%]"
                flag = " (few postings)" if r.low_n else ""
                out.append(f"| {md(r.role_label)}{flag} | {md(fig)} | {r.n} |")
            out.append("")
        out.append(f"_Method: {md(self.method)}._")
        return "\n".join(out) + "\n"


class _Matrix:
    """The 0/1 posting x term matrix of every posting that mentions at least one term."""

    def __init__(self, terms_frame: pd.DataFrame) -> None:
        from scipy import sparse

        pairs = terms_frame[["posting_id", "term_id"]].drop_duplicates()
        rows, self.posting_ids = pd.factorize(pairs["posting_id"].astype(object))
        cols, terms = pd.factorize(pairs["term_id"].astype(str), sort=True)
        self.terms: list[str] = [str(t) for t in terms]
        self.col = {t: i for i, t in enumerate(self.terms)}
        self.x = sparse.csr_matrix(
            (np.ones(len(pairs), dtype=np.int32), (rows, cols)),
            shape=(len(self.posting_ids), len(self.terms)),
        )

    def missing(self, skills: Iterable[str]) -> npt.NDArray[np.int64]:
        """Per posting, how many of its terms are not in ``skills``."""
        lacking = np.ones(len(self.terms), dtype=np.int64)
        for s in skills:
            if s in self.col:
                lacking[self.col[s]] = 0
        return np.asarray(self.x @ lacking, dtype=np.int64)

    def rows(self, postings: pd.Index) -> npt.NDArray[np.int64]:
        """Row numbers of those ``postings`` that mention a term (the others have no row)."""
        idx = pd.Index(self.posting_ids).get_indexer(postings)
        return np.asarray(idx[idx >= 0], dtype=np.int64)


def gap_analysis(
    roles_frame: pd.DataFrame,
    terms_frame: pd.DataFrame,
    taxonomy: Taxonomy,
    role: str,
    skills: Iterable[str],
    *,
    top: int = 10,
    min_n: int = 30,
    role_labels: Mapping[str, str] | None = None,
    known_roles: Iterable[str] = (),
    exclude_roles: Iterable[str] = EXCLUDED_ROLES,
) -> Gap:
    """Coverage of ``role`` by ``skills`` (term ids), the ``top`` next skills and the best roles.

    ``roles_frame``/``terms_frame``: ``posting_roles_frame`` and ``posting_terms`` frames.
    ``role_labels`` names roles in texts (default: the ids); ``known_roles`` are valid even
    without postings; ``exclude_roles`` are left out of ``best_roles``. A skill id the taxonomy
    and the corpus do not know raises ``InputError`` naming the closest ids.
    """
    check_positive(top=top, min_n=min_n)
    labels = dict(role_labels or {})
    postings = role_postings(roles_frame, role, known_roles)
    by_id = taxonomy.by_id
    have_ids = _check_skills(skills, taxonomy, terms_frame)

    def term_label(t: str) -> str:
        return by_id[t].label if t in by_id else t

    mat = _Matrix(terms_frame)
    missing_all = mat.missing(have_ids)
    rows = mat.rows(postings)
    n, n_eval = len(postings), len(rows)
    covered = int(np.count_nonzero(missing_all[rows] == 0))
    cov, low, high = (float(v[0]) for v in wilson([covered], [n_eval]))

    demand = role_demand(terms_frame, postings)
    gap = Gap(
        role=role,
        role_label=labels.get(role, role),
        skills=tuple(have_ids),
        n=n,
        n_no_terms=n - n_eval,
        covered=covered,
        coverage=cov,
        ci_low=low,
        ci_high=high,
        min_n=min_n,
    )
    gap.have = _have(have_ids, demand, n, term_label)
    gap.next_steps = _greedy(mat, rows, missing_all[rows], have_ids, demand, n, top, taxonomy)
    gap.best_roles = _best_roles(mat, missing_all, roles_frame, labels, exclude_roles, min_n)
    return gap


def _check_skills(
    skills: Iterable[str], taxonomy: Taxonomy, terms_frame: pd.DataFrame
) -> list[str]:
    """The skills, de-duplicated in order; ``InputError`` for ids nobody knows."""
    out = list(dict.fromkeys(str(s) for s in skills))
    known = set(taxonomy.by_id)
    unknown = [s for s in out if s not in known]
    if unknown:
        known |= set(terms_frame["term_id"].astype(str))
        unknown = [s for s in unknown if s not in known]
    if unknown:
        hints = []
        for s in unknown:
            close = difflib.get_close_matches(s, sorted(known), n=3, cutoff=0.6)
            hints.append(f"{s!r}" + (f" (did you mean {', '.join(close)}?)" if close else ""))
        raise InputError(f"unknown skill term id(s): {', '.join(hints)}")
    return out


def _have(
    have_ids: list[str],
    demand: Mapping[str, Demand],
    n: int,
    term_label: Callable[[str], str],
) -> list[HaveSkill]:
    """The person's skills with their demand, most demanded first (undemanded ones last)."""
    counts = np.array([demand[t].count if t in demand else 0 for t in have_ids], dtype=np.int64)
    share, low, high = wilson(counts, np.full(len(have_ids), n))
    out = [
        HaveSkill(
            term_id=t,
            label=term_label(t),
            count=int(counts[i]),
            n=n,
            share=float(share[i]),
            ci_low=float(low[i]),
            ci_high=float(high[i]),
        )
        for i, t in enumerate(have_ids)
    ]
    return sorted(out, key=lambda h: (-h.count, h.label.lower(), h.term_id))


def _greedy(
    mat: _Matrix,
    rows: npt.NDArray[np.int64],
    missing: npt.NDArray[np.int64],
    have_ids: list[str],
    demand: Mapping[str, Demand],
    n: int,
    top: int,
    taxonomy: Taxonomy,
) -> list[GapStep]:
    """Greedy max coverage over the role's postings (see the module docstring)."""
    n_eval = len(rows)
    if n_eval == 0:
        return []
    x = mat.x[rows]
    xt = x.T.tocsr()  # terms x postings: gain = xt @ (missing == 1)
    xc = x.tocsc()
    counts = np.asarray(x.sum(axis=0), dtype=np.int64).ravel()  # == role counts of the terms
    labels = [taxonomy.by_id[t].label.lower() if t in taxonomy.by_id else t for t in mat.terms]
    # tie order: share (count) desc, then label, then id: one rank per term, smaller is better
    tie_rank = np.empty(len(mat.terms), dtype=np.int64)
    tie_rank[sorted(range(len(mat.terms)), key=lambda j: (-counts[j], labels[j], mat.terms[j]))] = (
        np.arange(len(mat.terms))
    )
    available = counts > 0
    for t in have_ids:
        if t in mat.col:
            available[mat.col[t]] = False
    missing = missing.copy()
    covered = int(np.count_nonzero(missing == 0))
    steps: list[GapStep] = []
    while len(steps) < top and covered < n_eval and available.any():
        gain = np.asarray(xt @ (missing == 1).astype(np.int64), dtype=np.int64).ravel()
        cand = np.flatnonzero(available)
        best = cand[np.lexsort((tie_rank[cand], -gain[cand]))[0]]
        available[best] = False
        col = xc[:, best].toarray().ravel().astype(np.int64)
        missing -= col
        covered += int(gain[best])
        term = mat.terms[best]
        d = demand[term]
        cov, low, high = (float(v[0]) for v in wilson([covered], [n_eval]))
        info = taxonomy.by_id.get(term)
        steps.append(
            GapStep(
                term_id=term,
                label=info.label if info is not None else term,
                category=str(info.category) if info is not None else "",
                gain=int(gain[best]),
                gain_pp=100.0 * int(gain[best]) / n_eval,
                covered=covered,
                coverage=cov,
                coverage_ci_low=low,
                coverage_ci_high=high,
                count=d.count,
                n=n,
                share=d.share,
                ci_low=d.ci_low,
                ci_high=d.ci_high,
            )
        )
    return steps


def _best_roles(
    mat: _Matrix,
    missing_all: npt.NDArray[np.int64],
    roles_frame: pd.DataFrame,
    labels: Mapping[str, str],
    exclude: Iterable[str],
    min_n: int,
) -> list[RoleFit]:
    """Coverage per role over its postings that mention a term, best lower bound first."""
    pr = roles_frame[["posting_id", "role"]].drop_duplicates()
    pr = pr[~pr["role"].isin(list(exclude))]
    idx = pd.Index(mat.posting_ids).get_indexer(pr["posting_id"].astype(object))
    keep = idx >= 0
    if not keep.any():
        return []
    frame = pd.DataFrame(
        {"role": pr["role"].astype(str).to_numpy()[keep], "covered": missing_all[idx[keep]] == 0}
    )
    agg = frame.groupby("role")["covered"].agg(["sum", "size"])
    share, low, high = wilson(agg["sum"].to_numpy(), agg["size"].to_numpy())
    out = [
        RoleFit(
            role=str(r),
            role_label=labels.get(str(r), str(r)),
            covered=int(agg["sum"].iloc[i]),
            n=int(agg["size"].iloc[i]),
            coverage=float(share[i]),
            ci_low=float(low[i]),
            ci_high=float(high[i]),
            low_n=int(agg["size"].iloc[i]) < min_n,
        )
        for i, r in enumerate(agg.index)
    ]
    out.sort(key=lambda f: (-f.ci_low, -f.coverage, f.role))
    return out[:BEST_ROLES]


def resolve_skills(text: str, matcher: Matcher, taxonomy: Taxonomy) -> tuple[list[str], list[str]]:
    """Term ids named in a skills list like ``"python, sql; pandas"`` and the pieces not recognised.

    Pieces are split on commas, semicolons and line breaks (leading bullets dropped). Each piece is,
    in order: an exact term id; a term's label or alias as a whole (case-insensitive: the piece
    is known to name a skill, so an ambiguous alias such as "Go" needs no context here); or any
    terms the extractor finds in it ("Python and SQL"). Ids come back de-duplicated, in order.
    """
    by_id = taxonomy.by_id
    whole: dict[str, str] = {}
    for term in taxonomy.terms:
        whole.setdefault(term.label.lower(), term.id)
        for alias in term.aliases:
            whole.setdefault(alias.text.lower(), term.id)
    found: list[str] = []
    unrecognised: list[str] = []
    for raw in _SPLIT.split(text):
        piece = _BULLET.sub("", raw.strip()).strip()
        if not piece:
            continue
        key = piece.lower()
        if key in by_id:
            ids = [key]
        elif key in whole:
            ids = [whole[key]]
        else:
            ids = [m.term_id for m in matcher.find(piece)]
        if ids:
            found.extend(ids)
        else:
            unrecognised.append(piece)
    return list(dict.fromkeys(found)), unrecognised

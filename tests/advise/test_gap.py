"""Gap analysis: coverage and greedy order counted by hand on a tiny corpus, best roles, edge cases,
a brute-force cross-check over random corpora (hypothesis), and skill-list resolution."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.proportion import proportion_confint

from skillgauge.advise.gap import GAP_COLUMNS, gap_analysis, resolve_skills
from skillgauge.exceptions import InputError, UnknownRole
from skillgauge.extract.matcher import Matcher
from skillgauge.taxonomy.loader import load_taxonomy
from skillgauge.taxonomy.model import Taxonomy, Term


def _taxonomy(ids: list[str]) -> Taxonomy:
    terms = tuple(
        Term(id=t, label=t.upper() if t != "pipe" else "A|B", category="language", aliases=(t,))
        for t in ids
    )
    return Taxonomy("0", "test", terms)


TAX = _taxonomy(["python", "sql", "tableau", "excel", "r", "pipe"])

# data-analyst: p1..p6 (p5 mentions nothing); data-scientist: p2, p7, p8, p9; other: p10;
# product-manager: p11 (mentions nothing).
ROLES = pd.DataFrame(
    [
        ("p1", "data-analyst"),
        ("p2", "data-analyst"),
        ("p2", "data-scientist"),
        ("p3", "data-analyst"),
        ("p4", "data-analyst"),
        ("p5", "data-analyst"),
        ("p6", "data-analyst"),
        ("p7", "data-scientist"),
        ("p8", "data-scientist"),
        ("p9", "data-scientist"),
        ("p10", "other"),
        ("p11", "product-manager"),
    ],
    columns=["posting_id", "role"],
)
POSTINGS = {
    "p1": {"python", "sql"},
    "p2": {"python", "sql", "tableau"},
    "p3": {"sql", "tableau"},
    "p4": {"python"},
    "p6": {"excel", "tableau"},
    "p7": {"python"},
    "p8": {"python", "r"},
    "p9": {"r"},
    "p10": {"python"},
}


def _frame(postings: dict[str, set[str]]) -> pd.DataFrame:
    rows = [(p, t) for p, terms in postings.items() for t in sorted(terms)]
    return pd.DataFrame(rows, columns=["posting_id", "term_id"])


TERMS = _frame(POSTINGS)


def test_coverage_counted_by_hand() -> None:
    gap = gap_analysis(ROLES, TERMS, TAX, "data-analyst", ["python", "sql"])
    # evaluated: p1 p2 p3 p4 p6 (p5 lists nothing); covered: p1, p4
    assert (gap.n, gap.n_no_terms, gap.n_evaluated, gap.covered) == (6, 1, 5, 2)
    low, high = proportion_confint(2, 5, method="wilson")
    assert gap.coverage == pytest.approx(0.4)
    assert (gap.ci_low, gap.ci_high) == pytest.approx((low, high))
    assert not gap.complete
    assert gap.low_n  # 5 < 30


def test_have_lists_demand_of_the_persons_skills() -> None:
    gap = gap_analysis(ROLES, TERMS, TAX, "data-analyst", ["sql", "r", "python"])
    have = {h.term_id: (h.count, h.n) for h in gap.have}
    assert have == {"python": (3, 6), "sql": (3, 6), "r": (0, 6)}
    assert [h.term_id for h in gap.have][-1] == "r"  # not asked for: listed last
    assert gap.have_frame()["share"].tolist()[:2] == [0.5, 0.5]


def test_greedy_order_by_hand() -> None:
    gap = gap_analysis(ROLES, TERMS, TAX, "data-analyst", ["python", "sql"])
    # missing: p2 {tableau}, p3 {tableau}, p6 {excel, tableau}; tableau covers p2+p3, then excel p6
    steps = [(s.term_id, s.gain, s.covered) for s in gap.next_steps]
    assert steps == [("tableau", 2, 4), ("excel", 1, 5)]
    assert gap.next_steps[0].gain_pp == pytest.approx(40.0)
    assert gap.next_steps[1].coverage == pytest.approx(1.0)
    assert (gap.next_steps[0].count, gap.next_steps[0].n) == (3, 6)
    assert gap.next_steps[0].share == pytest.approx(0.5)
    frame = gap.to_frame()
    assert tuple(frame.columns) == GAP_COLUMNS
    assert frame["step"].tolist() == [1, 2]
    assert frame.attrs["covered"] == 2


def test_greedy_ties_by_share_and_zero_gain_steps() -> None:
    roles = pd.DataFrame([(f"q{i}", "r1") for i in range(1, 4)], columns=["posting_id", "role"])
    tax = _taxonomy(["a", "b", "c", "e"])
    # skills {a}: b and c each complete one posting; c is asked more often (2/3) -> c first
    terms = _frame({"q1": {"a", "b"}, "q2": {"c"}, "q3": {"c", "e"}})
    gap = gap_analysis(roles, terms, tax, "r1", ["a"])
    assert [(s.term_id, s.gain) for s in gap.next_steps] == [("c", 1), ("b", 1), ("e", 1)]
    # nobody covered by one term: the first step gains nothing and is the most demanded term
    terms = _frame({"q1": {"a", "b"}, "q2": {"a", "c"}, "q3": {"a", "e"}})
    gap = gap_analysis(roles, terms, tax, "r1", [])
    assert gap.covered == 0
    assert (gap.next_steps[0].term_id, gap.next_steps[0].gain) == ("a", 0)
    # then b, c, e each complete one posting, same share: by label
    assert [s.term_id for s in gap.next_steps] == ["a", "b", "c", "e"]
    assert gap.next_steps[-1].covered == 3


def test_top_limits_the_steps() -> None:
    gap = gap_analysis(ROLES, TERMS, TAX, "data-analyst", [], top=1)
    assert len(gap.next_steps) == 1


def test_best_roles() -> None:
    gap = gap_analysis(ROLES, TERMS, TAX, "data-analyst", ["python", "sql"])
    fits = {f.role: (f.covered, f.n) for f in gap.best_roles}
    # data-scientist: p2 (tableau), p7 yes, p8 (r), p9 (r) -> 1 of 4; "other" left out;
    # product-manager has no posting listing a technology -> absent
    assert fits == {"data-analyst": (2, 5), "data-scientist": (1, 4)}
    assert gap.best_roles[0].role == "data-analyst"
    assert all(f.low_n for f in gap.best_roles)
    with_other = gap_analysis(
        ROLES, TERMS, TAX, "data-analyst", ["python", "sql"], exclude_roles=()
    )
    assert with_other.best_roles[0].role == "other"  # 1 of 1 covered
    assert len(gap.best_roles_frame()) == 2


def test_best_roles_rank_by_lower_bound() -> None:
    # big: 60 of 100 covered; small: 2 of 2 covered (share 1.0 but a wide interval)
    roles = [(f"b{i}", "big") for i in range(100)] + [("s0", "small"), ("s1", "small")]
    postings = {f"b{i}": {"a"} if i < 60 else {"a", "b"} for i in range(100)}
    postings |= {"s0": {"a"}, "s1": {"a"}}
    gap = gap_analysis(
        pd.DataFrame(roles, columns=["posting_id", "role"]),
        _frame(postings),
        _taxonomy(["a", "b"]),
        "big",
        ["a"],
    )
    assert [f.role for f in gap.best_roles] == ["big", "small"]
    assert gap.best_roles[1].coverage == 1.0


def test_everything_covered() -> None:
    gap = gap_analysis(ROLES, TERMS, TAX, "data-analyst", ["python", "sql", "tableau", "excel"])
    assert gap.complete
    assert gap.next_steps == []
    assert "already cover every" in gap.message
    assert "nothing to add" in gap.to_markdown()


def test_unknown_role_names_the_closest() -> None:
    with pytest.raises(UnknownRole, match="data-analyst"):
        gap_analysis(ROLES, TERMS, TAX, "data-analist", ["python"])


def test_unknown_skill_is_an_input_error() -> None:
    with pytest.raises(InputError, match=r"pyhton.*python"):
        gap_analysis(ROLES, TERMS, TAX, "data-analyst", ["pyhton"])


def test_low_n_message_and_threshold() -> None:
    gap = gap_analysis(ROLES, TERMS, TAX, "data-analyst", ["python"])
    assert gap.low_n
    assert "fewer than 30" in gap.message
    gap = gap_analysis(ROLES, TERMS, TAX, "data-analyst", ["python"], min_n=5)
    assert not gap.low_n
    assert gap.message == ""


def test_role_without_technologies() -> None:
    gap = gap_analysis(ROLES, TERMS, TAX, "product-manager", ["python"])
    assert (gap.n, gap.n_evaluated) == (1, 0)
    assert math.isnan(gap.coverage)
    assert gap.next_steps == []
    assert not gap.complete
    assert "cannot be computed" in gap.message
    # a known role without any posting is empty, not unknown
    empty = gap_analysis(ROLES, TERMS, TAX, "designer", [], known_roles=["designer"])
    assert empty.n == 0


def test_markdown_escapes_pipes() -> None:
    terms = _frame({"p1": {"python", "pipe"}})
    gap = gap_analysis(ROLES, terms, TAX, "data-analyst", ["python"])
    md = gap.to_markdown()
    assert "A\\|B" in md
    assert "A|B" not in md.replace("A\\|B", "")


@settings(max_examples=60, deadline=None)
@given(
    postings=st.lists(
        st.frozensets(st.sampled_from("abcdef"), max_size=4), min_size=1, max_size=25
    ),
    skills=st.frozensets(st.sampled_from("abcdef"), max_size=3),
)
def test_greedy_matches_brute_force(postings: list[frozenset[str]], skills: frozenset[str]) -> None:
    roles = pd.DataFrame(
        [(f"x{i}", "r") for i in range(len(postings))], columns=["posting_id", "role"]
    )
    terms = _frame({f"x{i}": set(p) for i, p in enumerate(postings)})
    gap = gap_analysis(roles, terms, _taxonomy(list("abcdef")), "r", sorted(skills), top=6)
    listed = [p for p in postings if p]
    assert gap.n_evaluated == len(listed)
    have = set(skills)
    assert gap.covered == sum(p <= have for p in listed)
    for step in gap.next_steps:
        candidates = {t for p in listed for t in p} - have
        gains = {
            t: sum(p <= have | {t} for p in listed) - sum(p <= have for p in listed)
            for t in candidates
        }
        assert step.gain == max(gains.values())
        assert gains[step.term_id] == step.gain
        have.add(step.term_id)
        assert step.covered == sum(p <= have for p in listed)
    if gap.next_steps and len(gap.next_steps) < 6:
        assert gap.next_steps[-1].covered == len(listed)  # stopped because everything is covered


@pytest.fixture(scope="module")
def real() -> tuple[Matcher, Taxonomy]:
    tax = load_taxonomy()
    return Matcher.from_taxonomy(tax), tax


def test_resolve_skills(real: tuple[Matcher, Taxonomy]) -> None:
    matcher, tax = real
    ids, unknown = resolve_skills(
        "Python, SQL; pandas\n- scikit-learn\nbasket weaving,,", matcher, tax
    )
    assert ids == ["python", "sql", "pandas", "scikit-learn"]
    assert unknown == ["basket weaving"]


def test_resolve_skills_ids_aliases_and_phrases(real: tuple[Matcher, Taxonomy]) -> None:
    matcher, tax = real
    ids, unknown = resolve_skills(
        "go; R ; hf-transformers; Python and PostgreSQL; python", matcher, tax
    )
    assert ids == ["go", "r", "hf-transformers", "python", "postgresql"]
    assert unknown == []
    assert resolve_skills("", matcher, tax) == ([], [])

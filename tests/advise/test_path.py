"""Learning path: prerequisites never after their dependants (hypothesis over random prerequisite
DAGs), stage thresholds, added prerequisites, co-occurrence ordering, renderers and edge cases."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.proportion import proportion_confint

from skillgauge.advise.path import PATH_COLUMNS, STAGES, learning_path
from skillgauge.exceptions import InputError, UnknownRole
from skillgauge.taxonomy.model import Taxonomy, Term, check_terms


def _taxonomy(
    prereqs: dict[str, tuple[str, ...]], labels: dict[str, str] | None = None
) -> Taxonomy:
    labels = labels or {}
    terms = tuple(
        Term(
            id=t,
            label=labels.get(t, t.capitalize()),
            category="language",
            aliases=(f"alias-{t}",),
            prerequisites=pre,
        )
        for t, pre in prereqs.items()
    )
    check_terms(terms)  # the same validation as the loader: known prerequisites, no cycle
    return Taxonomy("0", "test", terms)


def _corpus(role: str, n: int, counts: dict[str, int]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``n`` postings of ``role``; term t in the first ``counts[t]`` of them."""
    roles = pd.DataFrame([(f"p{i:03d}", role) for i in range(n)], columns=["posting_id", "role"])
    rows = [(f"p{i:03d}", t) for t, c in counts.items() for i in range(c)]
    return roles, pd.DataFrame(rows, columns=["posting_id", "term_id"])


def _rank(stage: str) -> int:
    return STAGES.index(stage)


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_prerequisite_never_after_dependant(data: st.DataObject) -> None:
    size = data.draw(st.integers(2, 12), label="terms")
    ids = [f"t{i}" for i in range(size)]
    # edges only to earlier ids: a DAG by construction, of any shape
    prereqs = {
        t: tuple(sorted(data.draw(st.sets(st.sampled_from(ids[:i]), max_size=3), label=t)))
        if i
        else ()
        for i, t in enumerate(ids)
    }
    tax = _taxonomy(prereqs)
    n = data.draw(st.integers(1, 60), label="n")
    postings = data.draw(
        st.lists(st.frozensets(st.sampled_from(ids), max_size=5), min_size=n, max_size=n),
        label="postings",
    )
    roles = pd.DataFrame([(f"p{i}", "r") for i in range(n)], columns=["posting_id", "role"])
    terms = pd.DataFrame(
        [(f"p{i}", t) for i, p in enumerate(postings) for t in sorted(p)],
        columns=["posting_id", "term_id"],
    )
    top = data.draw(st.integers(1, 12), label="top")
    path = learning_path(roles, terms, tax, "r", top=top, min_n=1)

    order = [s.term_id for s in path.steps]
    assert len(order) == len(set(order))
    position = {t: i for i, t in enumerate(order)}
    stage = {s.term_id: s.stage for s in path.steps}
    stage_ranks = [_rank(s.stage) for s in path.steps]
    assert stage_ranks == sorted(stage_ranks)  # stages in order along the path
    for t in order:
        for p in prereqs[t]:
            assert p in position, f"prerequisite {p} of {t} missing from the path"
            assert position[p] < position[t]
            assert _rank(stage[p]) <= _rank(stage[t])
    mentioned = {t for p in postings for t in p}
    not_added = [s for s in path.steps if not s.added_as_prerequisite]
    assert len(not_added) == min(top, len(mentioned))
    assert all(s.count > 0 for s in not_added)


def test_stages_by_share_and_counts() -> None:
    tax = _taxonomy(dict.fromkeys(["a", "b", "c", "d", "e"], ()))
    roles, terms = _corpus("r", 100, {"a": 50, "b": 49, "c": 25, "d": 10, "e": 9})
    path = learning_path(roles, terms, tax, "r")
    got = {s.term_id: s.stage for s in path.steps}
    assert got == {
        "a": "foundations",
        "b": "core",
        "c": "core",
        "d": "specialisation",
        "e": "nice to have",
    }
    a = path.steps[0]
    low, high = proportion_confint(50, 100, method="wilson")
    assert (a.term_id, a.count, a.n, a.share) == ("a", 50, 100, 0.5)
    assert (a.ci_low, a.ci_high) == pytest.approx((low, high))
    assert a.why.startswith("asked in 50% [40-60%] of r postings (n=100)")
    assert not path.low_n


def test_missing_prerequisites_are_added_and_staged_early() -> None:
    prereqs = {
        "python": (),
        "pytorch": ("python",),
        "lightning": ("pytorch",),
        "git": (),
        "github": ("git",),
        "docker": (),
        "kubernetes": ("docker",),
    }
    tax = _taxonomy(prereqs, {"pytorch": "PyTorch", "github": "GitHub"})
    counts = {"pytorch": 40, "lightning": 12, "github": 6, "kubernetes": 15, "docker": 30}
    roles, terms = _corpus("ml", 100, counts | {"python": 0, "git": 2})
    path = learning_path(roles, terms, tax, "ml", top=5, role_label="ML engineer")
    steps = {s.term_id: s for s in path.steps}
    assert set(steps) == set(prereqs)
    assert steps["python"].added_as_prerequisite and steps["git"].added_as_prerequisite
    assert not steps["docker"].added_as_prerequisite
    assert steps["python"].count == 0
    # a prerequisite of a core term is a foundation; of a nice-to-have, it shares its stage
    assert steps["python"].stage == "foundations"
    assert steps["pytorch"].stage == "core"
    assert steps["docker"].stage == "core"  # its own demand (30%) is earlier than kubernetes'
    assert (steps["git"].stage, steps["github"].stage) == ("nice to have", "nice to have")
    assert "added as a prerequisite" in steps["git"].why
    assert "prerequisite of GitHub" in steps["git"].why
    assert "prerequisite of PyTorch" in steps["python"].why
    assert "builds on PyTorch" in steps["lightning"].why
    order = [s.term_id for s in path.steps]
    assert order.index("python") < order.index("pytorch") < order.index("lightning")
    assert order.index("git") < order.index("github")


def test_foundation_by_prerequisite_of_a_foundation() -> None:
    tax = _taxonomy({"base": (), "top": ("base",)})
    roles, terms = _corpus("r", 10, {"top": 8, "base": 1})
    path = learning_path(roles, terms, tax, "r", min_n=1)
    assert [(s.term_id, s.stage) for s in path.steps] == [
        ("base", "foundations"),
        ("top", "foundations"),
    ]


def test_cooccurrence_orders_near_ties() -> None:
    tax = _taxonomy(dict.fromkeys(["lead", "x", "y"], ()))
    # lead in p0-p59; x (12%) in p60-p71: never with lead; y (11%) in p0-p10: always with lead
    roles = pd.DataFrame([(f"p{i:03d}", "r") for i in range(100)], columns=["posting_id", "role"])
    rows = [(f"p{i:03d}", "lead") for i in range(60)]
    rows += [(f"p{i:03d}", "x") for i in range(60, 72)]
    rows += [(f"p{i:03d}", "y") for i in range(11)]
    terms = pd.DataFrame(rows, columns=["posting_id", "term_id"])
    path = learning_path(roles, terms, tax, "r")
    # x and y share the 10-15% band: y, asked together with lead, follows it
    assert [s.term_id for s in path.steps] == ["lead", "y", "x"]
    assert "often asked together with Lead" in path.steps[1].why


def test_demand_outranks_cooccurrence_across_bands() -> None:
    tax = _taxonomy(dict.fromkeys(["lead", "x", "y"], ()))
    roles = pd.DataFrame([(f"p{i:03d}", "r") for i in range(100)], columns=["posting_id", "role"])
    rows = [(f"p{i:03d}", "lead") for i in range(60)]
    rows += [(f"p{i:03d}", "x") for i in range(60, 80)]  # 20%, never with lead
    rows += [(f"p{i:03d}", "y") for i in range(11)]  # 11%, always with lead
    terms = pd.DataFrame(rows, columns=["posting_id", "term_id"])
    path = learning_path(roles, terms, tax, "r")
    assert [s.term_id for s in path.steps] == ["lead", "x", "y"]


def test_low_n_and_empty_roles() -> None:
    tax = _taxonomy({"a": ()})
    roles, terms = _corpus("r", 5, {"a": 3})
    path = learning_path(roles, terms, tax, "r")
    assert path.low_n
    assert "uncertain" in path.message
    assert "uncertain" in path.to_markdown()
    empty = learning_path(roles, terms, tax, "designer", known_roles=["designer"])
    assert (empty.n, empty.steps) == (0, [])
    assert "No postings" in empty.message
    quiet = learning_path(roles, terms.iloc[0:0], tax, "r")
    assert quiet.steps == [] and "mentions" in quiet.message
    everyone = learning_path(roles, terms, tax, "all")
    assert everyone.n == 5


def test_unknown_role_and_bad_arguments() -> None:
    tax = _taxonomy({"a": ()})
    roles, terms = _corpus("data-scientist", 5, {"a": 3})
    with pytest.raises(UnknownRole, match="did you mean data-scientist"):
        learning_path(roles, terms, tax, "data-scientst")
    with pytest.raises(InputError):
        learning_path(roles, terms, tax, "data-scientist", top=0)


def test_frame_markdown_and_html() -> None:
    tax = _taxonomy({"a": (), "b": ("a",)}, {"a": "A|<script>", "b": "B & co"})
    roles, terms = _corpus("r", 40, {"a": 30, "b": 12})
    path = learning_path(roles, terms, tax, "r", role_label="Data <x> | y")
    frame = path.to_frame()
    assert tuple(frame.columns) == PATH_COLUMNS
    assert frame["step"].tolist() == [1, 2]
    assert frame["term_id"].tolist() == ["a", "b"]
    assert frame.attrs["n"] == 40
    md = path.to_markdown()
    assert "A\\|\\<script\\>" in md
    assert "| 1 | A\\|" in md
    for line in md.splitlines():
        if line.startswith("| 1 "):
            assert line.replace("\\|", "").count("|") == 5  # four cells, nothing split
    page = path.to_html()
    assert "<script>" not in page
    assert "A|&lt;script&gt;" in page
    assert "B &amp; co" in page
    assert page.startswith("<section") and page.rstrip().endswith("</section>")

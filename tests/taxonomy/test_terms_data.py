"""The shipped vocabulary (src/skillgauge/taxonomy/terms.yaml): its shape, and its behaviour on real postings.

Why test data: the vocabulary is the product's largest hand-edited input. These checks hold the promises
docs/taxonomy.md makes (the seed family with its categories, one owner per alias, an acyclic prerequisite
graph, a context rule for every ambiguous name) and one posting-level sanity check on real text.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path

import pandas as pd
import pytest
import yaml

from skillgauge.extract.matcher import Matcher
from skillgauge.taxonomy.loader import load_taxonomy
from skillgauge.taxonomy.model import Category, Taxonomy

TERMS_YAML = Path(__file__).resolve().parents[2] / "src" / "skillgauge" / "taxonomy" / "terms.yaml"

#: The seed article's family with the category each must have.
SEED: dict[str, str] = {
    "python": "language", "r": "language", "sql": "language", "java": "language",
    "scala": "language", "c": "language", "cpp": "language", "csharp": "language",
    "go": "language", "javascript": "language", "apache-spark": "big-data", "hadoop": "big-data",
    "hive": "big-data", "kafka": "big-data", "airflow": "big-data", "tensorflow": "ml-framework",
    "pytorch": "ml-framework", "keras": "ml-framework", "scikit-learn": "ml-framework",
    "pandas": "data-library", "numpy": "data-library", "aws": "cloud", "azure": "cloud",
    "gcp": "cloud", "docker": "devops", "kubernetes": "devops", "git": "version-control",
    "linux": "os", "tableau": "bi", "excel": "bi", "sas": "language", "matlab": "language",
    "nosql": "data-store", "postgresql": "data-store", "mongodb": "data-store",
    "snowflake": "data-store", "databricks": "big-data", "dbt": "big-data", "mlflow": "mlops",
}  # fmt: skip

#: Every name the brief calls ambiguous, with the term that owns it; each needs a context rule
#: (or, for the few decided context-free, a reason in docs/taxonomy.md).
AMBIGUOUS: dict[str, str] = {
    "R": "r", "Go": "go", "C": "c", "Spark": "apache-spark", "Excel": "excel", "Swift": "swift",
    "Rust": "rust", "Julia": "julia", "Ruby": "ruby", "Chef": "chef", "Puppet": "puppet",
    "Shell": "shell-scripting", "Make": "make", "React": "react", "Dart": "dart",
    "Crystal": "crystal", "Pig": "pig", "Hive": "hive", "Flask": "flask", "Bash": "bash",
    "Ember": "ember", "Meteor": "meteor", "Express": "express", "Spring": "spring",
    "Gatsby": "gatsby", "Ray": "ray", "Airflow": "airflow", "Snowflake": "snowflake",
    "Node": "nodejs", "Helm": "helm", "EMR": "aws-emr", "Lambda": "aws-lambda",
}  # fmt: skip

#: Ambiguous-looking names decided context-free after reading the data (see docs/taxonomy.md).
CONTEXT_FREE = {
    "Java": "java",
    "Elixir": "elixir",
    "Dask": "dask",
    "Polars": "polars",
    "Scala": "scala",
}


@cache
def _tax() -> Taxonomy:
    return load_taxonomy(TERMS_YAML)


@cache
def _matcher() -> Matcher:
    return Matcher.from_taxonomy(_tax())


def test_loads_through_the_real_loader_with_its_version() -> None:
    tax = _tax()
    assert tax.version == "1.1.0"
    assert re.fullmatch(r"[0-9a-f]{64}", tax.content_hash)


def test_is_the_core_of_the_packaged_default() -> None:
    """The default taxonomy is terms.yaml plus the reviewed imports (terms_imported.yaml) and the
    standard ids of core terms (standard_ids.yaml): same version, every core term in it."""
    default = load_taxonomy()
    assert default.version == _tax().version
    assert {t.id for t in _tax().terms} <= {t.id for t in default.terms}
    assert len(default.terms) >= 1500
    for term in _tax().terms:  # a core term keeps its aliases and category when ids are added
        merged = default.by_id[term.id]
        assert merged.category == term.category
        assert [a.text for a in merged.aliases] == [a.text for a in term.aliases]


def test_has_at_least_300_terms() -> None:
    assert len(_tax().terms) >= 300


@pytest.mark.parametrize(("term_id", "category"), sorted(SEED.items()))
def test_seed_family_present_with_its_category(term_id: str, category: str) -> None:
    term = _tax().by_id.get(term_id)
    assert term is not None, f"seed term {term_id!r} missing"
    assert term.category.value == category


def test_every_category_used_is_known_and_every_known_one_is_used() -> None:
    raw = yaml.safe_load(TERMS_YAML.read_text(encoding="utf-8"))
    used = {t["category"] for t in raw["terms"]}
    known = {c.value for c in Category}
    assert used <= known
    assert used == known, f"categories without a term: {sorted(known - used)}"


def test_no_alias_collisions_and_labels_are_aliases() -> None:
    owner: dict[str, str] = {}
    for term in _tax().terms:
        for alias in term.aliases:
            key = alias.text.casefold()
            assert owner.setdefault(key, term.id) == term.id, (
                f"{alias.text!r}: {owner[key]}, {term.id}"
            )
    # every label is spelled by some alias (labels with a qualifier in parentheses excepted)
    missing = [
        t.id
        for t in _tax().terms
        if "(" not in t.label
        and t.label.casefold() not in {a.text.casefold() for a in t.aliases}
        and not any(a.text.casefold() in t.label.casefold() for a in t.aliases)
    ]
    assert not missing, f"label not matched by any alias: {missing}"


def test_prerequisites_exist_and_are_acyclic() -> None:
    by_id = _tax().by_id
    state: dict[str, int] = {}

    def visit(node: str, path: tuple[str, ...]) -> None:
        state[node] = 1
        for pre in by_id[node].prerequisites:
            assert pre in by_id, f"{node} -> unknown {pre}"
            assert state.get(pre) != 1, f"cycle: {' -> '.join((*path, node, pre))}"
            if not state.get(pre):
                visit(pre, (*path, node))
        state[node] = 2

    for term_id in by_id:
        if not state.get(term_id):
            visit(term_id, ())
    # the prerequisites the brief names
    assert set(by_id["pyspark"].prerequisites) == {"python", "apache-spark"}
    assert "python" in by_id["pandas"].prerequisites
    assert "docker" in by_id["kubernetes"].prerequisites
    assert "python" in by_id["keras"].prerequisites


@pytest.mark.parametrize(("name", "term_id"), sorted(AMBIGUOUS.items()))
def test_each_ambiguous_name_has_a_context_rule(name: str, term_id: str) -> None:
    term = _tax().by_id[term_id]
    bare = [a for a in term.aliases if a.text == name]
    assert bare, f"{name!r} is not an alias of {term_id}"
    assert bare[0].needs_context, f"{name!r} should need context"
    assert term.context is not None
    assert term.context.cues or term.context.near_categories


@pytest.mark.parametrize(("name", "term_id"), sorted(CONTEXT_FREE.items()))
def test_context_free_names_stay_context_free(name: str, term_id: str) -> None:
    aliases = {a.text.casefold(): a for a in _tax().by_id[term_id].aliases}
    assert not aliases[name.casefold()].needs_context


def test_brief_spellings_are_aliases() -> None:
    """Spellings real postings use, each resolving to its term."""
    spellings = {
        "scikit learn": "scikit-learn", "sklearn": "scikit-learn", "Postgres": "postgresql",
        "k8s": "kubernetes", "golang": "go", "Amazon Web Services": "aws",
        "Google Cloud Platform": "gcp", "MS Excel": "excel", "PySpark": "pyspark",
        "Node.js": "nodejs", "C++": "cpp", "C#": "csharp", ".NET": "dotnet", "CI/CD": "ci-cd",
    }  # fmt: skip
    for text, term_id in spellings.items():
        found = [m.term_id for m in _matcher().find(f"Experience with {text} required")]
        assert found == [term_id], f"{text!r}: {found}"


# ---------------------------------------------------------------- posting-level sanity on real text


def _ds_descriptions(shared: Path, limit: int = 500) -> list[str]:
    """~500 distinct data-scientist descriptions: LinkedIn first, then Indeed."""
    texts: list[str] = []
    for name in ("linkedin_data_scientist.csv.gz", "indeed_cal_ds_500.csv.gz"):
        frame = pd.read_csv(shared / "linkedin_indeed_ca_2018" / name, usecols=["description"])
        texts.extend(str(d) for d in frame["description"].dropna())
    return list(dict.fromkeys(t for t in texts if t.strip()))[:limit]


@pytest.mark.shared
def test_data_scientist_postings_look_plausible(shared_data: Path) -> None:
    texts = _ds_descriptions(shared_data)
    assert len(texts) >= 400
    matcher = _matcher()
    per_posting: Counter[str] = Counter()
    for text in texts:
        mentions = matcher.find(text)
        per_posting.update({m.term_id for m in mentions})
        for m in mentions:
            if m.term_id == "r":
                assert not text[m.end : m.end + 6].lstrip().startswith("&"), text[
                    m.start : m.end + 9
                ]
    top = [t for t, _ in per_posting.most_common(5)]
    assert "python" in top and "sql" in top, per_posting.most_common(10)
    share_r = per_posting["r"] / len(texts)
    assert 0.15 <= share_r <= 0.70, share_r


@pytest.mark.shared
def test_r_is_never_found_in_r_and_d(shared_data: Path) -> None:
    """Every "R&D" in the LinkedIn/Indeed descriptions: none of them yields the term r there."""
    matcher = _matcher()
    seen = 0
    for name in ("linkedin_data_scientist.csv.gz", "linkedin_data_analyst.csv.gz"):
        frame = pd.read_csv(shared_data / "linkedin_indeed_ca_2018" / name, usecols=["description"])
        for text in frame["description"].dropna().astype(str):
            spots = {m.start() for m in re.finditer(r"\bR\s*&(?:amp;)?\s*D\b", text)}
            if not spots:
                continue
            seen += len(spots)
            starts = {m.start for m in matcher.find(text) if m.term_id == "r"}
            assert not (spots & starts), text[:200]
    assert seen >= 20  # the check did look at real R&D occurrences

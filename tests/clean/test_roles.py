"""Role and seniority from titles: tricky titles, HN role lists, seniority words, the file validator,
and accuracy against the hand-labelled real titles in tests/data/labelled_titles.csv."""

from __future__ import annotations

import csv
import pickle
from pathlib import Path

import pytest
import yaml
from statsmodels.stats.proportion import proportion_confint

from skillgauge.clean.roles import (
    REQUIRED_ROLE_IDS,
    RoleBook,
    load_roles,
    normalise_title,
    split_role_hint,
)
from skillgauge.exceptions import DataFileError, SourceNotFound, UnknownRole

LABELLED = Path(__file__).resolve().parents[1] / "data" / "labelled_titles.csv"
PACKAGED = Path(__file__).resolve().parents[2] / "src" / "skillgauge" / "taxonomy" / "roles.yaml"


@pytest.fixture(scope="module")
def book() -> RoleBook:
    return load_roles()


@pytest.mark.parametrize(
    ("title", "role"),
    [
        ("Sr. Software Engineer", "software-engineer"),
        ("SWE II", "software-engineer"),
        ("SDE AI/ML", "machine-learning-engineer"),
        ("NLP Engineer", "machine-learning-engineer"),
        ("Computer Vision Engineer", "machine-learning-engineer"),
        ("ML Engineer — LLM Evaluation", "machine-learning-engineer"),
        ("AI/ML Engineer", "machine-learning-engineer"),
        ("Data Scientist, Machine Learning", "data-scientist"),
        ("Machine Learning Scientist", "research-scientist"),
        ("Applied Scientist II", "research-scientist"),
        ("Research Engineer", "research-scientist"),
        ("Senior Research Scientist, Data Analytics", "research-scientist"),
        ("Scientist III", "other"),
        ("BI Analyst", "data-analyst"),
        ("Business Intelligence Developer", "data-analyst"),
        ("Big Data Analyst", "data-analyst"),
        ("ETL Developer", "data-engineer"),
        ("Big Data Engineer", "data-engineer"),
        ("Site Reliability Engineer", "devops-engineer"),
        ("Senior SRE", "devops-engineer"),
        ("Platform Engineer - AWS, DevOps, PHP", "devops-engineer"),
        ("Cloud Engineer", "devops-engineer"),
        ("Cloud Engineer (Machine Learning Ops)", "mlops-engineer"),
        ("Back-end Developer", "software-engineer"),
        ("iOS Software Engineer", "mobile-engineer"),
        ("Android Developer", "mobile-engineer"),
        ("Test Automation Engineer", "qa-engineer"),
        ("SDET", "qa-engineer"),
        ("Senior MySQL DBA", "database-administrator"),
        ("Head of Engineering", "engineering-manager"),
        ("VP Engineering", "engineering-manager"),
        ("Product Designer", "designer"),
        ("UX Researcher", "designer"),
        ("LLM Engineer", "ai-engineer"),
        ("GenAI/ML Engineer", "ai-engineer"),
        ("Founding AI Engineer", "ai-engineer"),
        ("MLOps Engineer", "mlops-engineer"),
        ("ML Platform Engineer", "mlops-engineer"),
        ("Analytics Engineer", "analytics-engineer"),
        ("Data Analytics Engineer", "analytics-engineer"),
        ("Front-End Engineer (React)", "frontend-engineer"),
        ("Senior Node.js Developer", "software-engineer"),
        ("Full Stack Engineer (Front End Focused)", "fullstack-engineer"),
        ("Technical Product Manager", "product-manager"),
        ("Director of Business Development", "other"),
        ("Network Engineer", "other"),
        ("Systems Software Engineer", "software-engineer"),
        ("Respiratory Therapist", "other"),
    ],
)
def test_tricky_titles(book: RoleBook, title: str, role: str) -> None:
    assert book.classify(title).roles == (role,)


@pytest.mark.parametrize(
    ("title", "seniority"),
    [
        ("Sr. Data Scientist", "senior"),
        ("Snr Developer", "senior"),
        ("Jr. Data Analyst", "junior"),
        ("Mid-level Developer (fullstack)", "mid"),
        ("Software Engineer II", "mid"),
        ("Software Engineer 2", "mid"),
        ("Intermediate Python Developer", "mid"),
        ("Scientist III", "senior"),
        ("Data Analyst I (Temp)", "junior"),
        ("Machine Learning Engineer I", "junior"),
        ("Web 2.0 Developer", "unknown"),
        ("Senior I.T. Systems Analyst", "senior"),
        ("Staff Data Scientist", "staff"),
        ("Senior Staff Engineer", "staff"),
        ("Principal ML Engineer", "principal"),
        ("Tech Lead", "lead"),
        ("Senior Engineering Manager", "manager"),
        ("Senior Product Manager", "senior"),
        ("Product Manager", "unknown"),
        ("Head of Engineering", "director"),
        ("VP Engineering", "executive"),
        ("CTO", "executive"),
        ("Summer 2019 Data Analyst Intern", "intern"),
        ("Junior/Senior Engineer", "senior"),
        ("Associate Software Engineer", "junior"),
        ("Software Engineer, New Grads 2024", "junior"),
        ("Data Scientist", "unknown"),
    ],
)
def test_seniority(book: RoleBook, title: str, seniority: str) -> None:
    assert book.classify(title).seniority == seniority


@pytest.mark.parametrize(
    ("hint", "roles"),
    [
        (
            "Senior Full Stack (React/Node), Data Engineer, ML Engineer",
            ("fullstack-engineer", "data-engineer", "machine-learning-engineer"),
        ),
        ("Backend & Frontend Engineers", ("software-engineer", "frontend-engineer")),
        ("Software Engineer, Full Stack", ("fullstack-engineer",)),
        ("Data Scientist, Machine Learning", ("data-scientist",)),
        ("Senior Backend Engineer, Incident Detection", ("software-engineer",)),
        ("AI/ML Engineer", ("machine-learning-engineer",)),
        ("DevOps Engineer (CI/CD)", ("devops-engineer",)),
        (
            "Software Engineers (SRE, data platform, backend, full-stack, mobile)",
            (
                "devops-engineer",
                "data-engineer",
                "software-engineer",
                "fullstack-engineer",
                "mobile-engineer",
            ),
        ),
        ("Software Engineer or Head of Engineering", ("software-engineer", "engineering-manager")),
        ("Engineers, Linguists", ("software-engineer",)),
        ("INTERNS", ("other",)),
        ("Head of R&D", ("engineering-manager",)),
    ],
)
def test_hn_role_lists(book: RoleBook, hint: str, roles: tuple[str, ...]) -> None:
    assert book.classify(None, role_hint=hint).roles == roles


def test_hint_seniority_and_title_precedence(book: RoleBook) -> None:
    got = book.classify(None, role_hint="Sr/Staff Software Engineers & PMs")
    assert got.roles == ("software-engineer", "product-manager")
    assert got.seniority == "staff"
    # the hint's roles win; the title's seniority wins when it states one
    got = book.classify("Junior Data Engineer", role_hint="Data Engineer, Designer")
    assert got.roles == ("data-engineer", "designer")
    assert got.seniority == "junior"
    # a hint with no real role falls back to the title
    assert book.classify("Data Analyst", role_hint="Full-time, INTERNS").roles == ("data-analyst",)


@pytest.mark.parametrize("title", [None, "", "   "])
def test_empty_titles(book: RoleBook, title: str | None) -> None:
    got = book.classify(title)
    assert got.roles == ("other",)
    assert got.seniority == "unknown"


def test_normalise_and_split() -> None:
    assert normalise_title("  Sr.\u2014Front–End  Ｄev ") == "sr.-front-end dev"
    assert split_role_hint("ai/ml engineer, r&d lead / ux and ui / qa") == [
        "ai/ml engineer",
        "r&d lead",
        "ux",
        "ui",
        "qa",
    ]


def test_book_metadata_and_pickle(book: RoleBook) -> None:
    assert book.version == "1.0.0"
    assert len(book.content_hash) == 64
    assert book.ids[-1] == "other"
    assert set(book.ids) >= REQUIRED_ROLE_IDS
    assert book.label("data-scientist") == "Data scientist"
    with pytest.raises(UnknownRole, match="no-such-role"):
        book.label("no-such-role")
    clone = pickle.loads(pickle.dumps(book))
    assert clone.content_hash == book.content_hash
    assert clone.classify("Sr. SDET") == book.classify("Sr. SDET")
    assert load_roles() is load_roles()  # the packaged default is cached


# --- the validator --------------------------------------------------------------------------------


def _write(tmp_path: Path, doc: dict[str, object]) -> Path:
    path = tmp_path / "roles.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def packaged_doc() -> dict[str, object]:
    doc = yaml.safe_load(PACKAGED.read_text(encoding="utf-8"))
    assert isinstance(doc, dict)
    return doc


def test_a_copy_of_the_packaged_file_loads(tmp_path: Path, packaged_doc: dict[str, object]) -> None:
    assert load_roles(_write(tmp_path, packaged_doc)).ids == load_roles().ids


def test_duplicate_id_is_refused(tmp_path: Path, packaged_doc: dict[str, object]) -> None:
    roles = packaged_doc["roles"]
    assert isinstance(roles, list)
    roles.insert(1, dict(roles[0]))
    with pytest.raises(DataFileError, match="duplicate role id 'engineering-manager'"):
        load_roles(_write(tmp_path, packaged_doc))


def test_bad_regex_is_refused_naming_the_role(
    tmp_path: Path, packaged_doc: dict[str, object]
) -> None:
    roles = packaged_doc["roles"]
    assert isinstance(roles, list)
    ds = next(r for r in roles if r["id"] == "data-scientist")
    ds["patterns"].append(r"\bdata (scien")
    with pytest.raises(DataFileError, match=r"role 'data-scientist': pattern \d+ .* not a valid"):
        load_roles(_write(tmp_path, packaged_doc))


def test_missing_required_id_is_refused(tmp_path: Path, packaged_doc: dict[str, object]) -> None:
    roles = packaged_doc["roles"]
    assert isinstance(roles, list)
    packaged_doc["roles"] = [r for r in roles if r["id"] != "qa-engineer"]
    with pytest.raises(DataFileError, match=r"required role.*missing: qa-engineer"):
        load_roles(_write(tmp_path, packaged_doc))


def test_other_must_be_last(tmp_path: Path, packaged_doc: dict[str, object]) -> None:
    roles = packaged_doc["roles"]
    assert isinstance(roles, list)
    packaged_doc["roles"] = [roles[-1], *roles[:-1]]
    with pytest.raises(DataFileError, match="'other' must be the last role"):
        load_roles(_write(tmp_path, packaged_doc))


def test_unknown_key_and_bad_yaml_and_missing_file(
    tmp_path: Path, packaged_doc: dict[str, object]
) -> None:
    packaged_doc["colour"] = "blue"
    with pytest.raises(DataFileError, match="colour"):
        load_roles(_write(tmp_path, packaged_doc))
    bad = tmp_path / "bad.yaml"
    bad.write_text("roles: [unclosed", encoding="utf-8")
    with pytest.raises(DataFileError, match="not valid YAML"):
        load_roles(bad)
    with pytest.raises(SourceNotFound):
        load_roles(tmp_path / "absent.yaml")


# --- accuracy over the labelled real titles ------------------------------------------------------


def test_labelled_set_is_broad() -> None:
    with LABELLED.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) >= 350
    assert len({r["source"] for r in rows}) == 11
    labelled_roles = {role for r in rows for role in r["role"].split(";")}
    assert labelled_roles >= REQUIRED_ROLE_IDS


def test_accuracy(book: RoleBook) -> None:
    """Role (same set of roles) and seniority accuracy over the hand-labelled real titles.

    HN rows hold a roles line and are read as ``role_hint``; the others are posting titles.
    """
    with LABELLED.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    role_misses: list[str] = []
    seniority_misses: list[str] = []
    for row in rows:
        if row["source"].startswith("hn_"):
            got = book.classify(None, role_hint=row["title"])
        else:
            got = book.classify(row["title"])
        if set(got.roles) != set(row["role"].split(";")):
            role_misses.append(
                f"  {row['title']!r}: labelled {row['role']}, got {';'.join(got.roles)}"
            )
        if got.seniority != row["seniority"]:
            seniority_misses.append(
                f"  {row['title']!r}: labelled {row['seniority']}, got {got.seniority}"
            )
    n = len(rows)
    for name, misses in (("role", role_misses), ("seniority", seniority_misses)):
        k = n - len(misses)
        low, high = proportion_confint(k, n, alpha=0.05, method="wilson")
        print(
            f"\n{name} accuracy: {k}/{n} = {k / n:.3f} (95% Wilson interval {low:.3f}-{high:.3f})"
        )
        print("\n".join(misses))
    assert (n - len(role_misses)) / n >= 0.95, "\n".join(role_misses)
    assert (n - len(seniority_misses)) / n >= 0.95, "\n".join(seniority_misses)

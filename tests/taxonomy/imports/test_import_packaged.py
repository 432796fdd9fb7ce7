"""The packaged vocabulary with its reviewed imports: size, provenance, reproducibility from the
review log, the import CLI, and the precision repairs made after reading real matches."""

from __future__ import annotations

import gzip
from functools import cache
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skillgauge.cli import app
from skillgauge.extract.matcher import Matcher
from skillgauge.taxonomy.imports.esco_labels import read_labels
from skillgauge.taxonomy.imports.onet import read_onet
from skillgauge.taxonomy.imports.review import (
    apply_review,
    esco_label_ids,
    imported_yaml,
    merge_ids,
    read_review,
    standard_ids_yaml,
)
from skillgauge.taxonomy.loader import load_taxonomy
from skillgauge.taxonomy.model import Taxonomy

TAX_DIR = Path(__file__).resolve().parents[3] / "src" / "skillgauge" / "taxonomy"
runner = CliRunner()


@cache
def _tax() -> Taxonomy:
    return load_taxonomy()


@cache
def _matcher() -> Matcher:
    return Matcher.from_taxonomy(_tax())


def _found(text: str) -> set[str]:
    return {m.term_id for m in _matcher().find(text)}


def test_packaged_vocabulary_has_1500_terms_with_provenance() -> None:
    tax = _tax()
    assert len(tax.terms) >= 1500
    imported = [t for t in tax.terms if t.source == "onet-29.2"]
    assert len(imported) >= 879
    for term in imported:
        assert term.licence == "CC-BY-4.0", term.id
        assert term.onet, term.id
    assert all(t.wikidata is None for t in tax.terms)  # no QIDs are guessed (none offline)
    assert sum(1 for t in tax.terms if t.onet and t.source is None) >= 200  # enriched core terms


def test_every_imported_term_and_id_has_a_review_decision() -> None:
    rows = read_review((TAX_DIR / "review" / "onet-29.2.csv").read_text(encoding="utf-8"))
    accepted = {r.id for r in rows if r.decision == "accept"}
    enriched = {r.id for r in rows if r.decision == "enrich"}
    tax = _tax()
    assert accepted == {t.id for t in tax.terms if t.source == "onet-29.2"}
    assert enriched == {t.id for t in tax.terms if t.onet and t.source is None}
    assert all(r.reason for r in rows)
    assert sum(r.decision == "reject" for r in rows) >= 500


@pytest.mark.parametrize(
    ("text", "term_id"),
    [
        ("Experience with PeopleSoft Financials and Workday HCM", "peoplesoft"),
        ("Experience with PeopleSoft Financials and Workday HCM", "workday"),
        ("design tools such as Sketch, Photoshop, Balsamiq", "photoshop"),
        ("Familiarity with data historians (e.g. OSIsoft PI)", "osisoft-pi"),
        ("ETL tools e.g. Datastage, SSIS, Informatica", "datastage"),
    ],
)
def test_real_mentions_of_imported_terms_are_found(text: str, term_id: str) -> None:
    assert term_id in _found(text)


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        ("Fluent in Python, Go, Node, or similar.", "ansys-fluent"),
        ("Drop a line at bloodcarter@gmail.com", "gmail"),
        ("Engineering, GTM | SF · NYC · Montevideo", "google-tag-manager"),
        ("candidates within a 50 mile radius of the office", "radius"),
        ("stay in constant contact with our clients", "constant-contact"),
        ("a dynamic presenter, with a creative approach", "adobe-presenter"),
        ("Samba TV is uniquely positioned at the forefront", "samba"),
        ("the Personal Genome Project (PGP) global network", "pgp"),
        ("Junior support engineer (Basic programming knowledge)", "basic"),
        ("Apply: https://acetalent.taleo.net/careersection/ace_external", "taleo"),
        ("At least 2 years as a System Architect or similar", "system-architect"),
        ("Backed by Spark Capital and OpenView Venture Partners", "hp-openview"),
        ("Kronos Bio seeks a highly motivated Research Scientist", "kronos"),
        ("We are hiring an Illustrator for our children's books", "adobe-illustrator"),
    ],
)
def test_misfires_found_in_review_stay_repaired(text: str, wrong: str) -> None:
    assert wrong in _tax().by_id  # the term exists: the check is not vacuous
    assert wrong not in _found(text)


def _fake_data(root: Path) -> Path:
    onet = root / "onet_29_2"
    onet.mkdir(parents=True)
    rows = [
        "O*NET-SOC Code\tExample\tCommodity Code\tCommodity Title\tHot Technology\tIn Demand",
        "15-2051.00\tOracle Java\t43232405\tObject or component oriented development\tY\tY",
        "15-2051.00\tFooBarDB software\t43232306\tData base user interface and query software\tN\tN",
    ]
    with gzip.open(onet / "Technology_Skills.txt.gz", "wt", encoding="utf-8") as fh:
        fh.write("\n".join(rows) + "\n")
    esco = root / "esco_skills"
    esco.mkdir()
    with gzip.open(esco / "skills_en.csv.gz", "wt", encoding="utf-8") as fh:
        fh.write("conceptUri,reuseLevel,preferredLabel,altLabels\n")
        fh.write("http://data.europa.eu/esco/skill/9,cross-sector,Python,\n")
    return root


def test_import_cli_writes_candidates_diff_and_applies_a_review(tmp_path: Path) -> None:
    data = _fake_data(tmp_path / "data")
    out, diff = tmp_path / "c.yaml", tmp_path / "d.md"
    res = runner.invoke(app, ["taxonomy", "import", "onet", "--data", str(data),
                              "--out", str(out), "--diff", str(diff)])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "2 O*NET examples" in res.output
    assert "| java | Oracle Java |" in diff.read_text()
    assert "foobardb" in out.read_text()
    res = runner.invoke(app, ["taxonomy", "import", "esco", "--data", str(data),
                              "--out", str(out), "--diff", str(diff)])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "| python | Python |" in diff.read_text()
    review = tmp_path / "review"
    review.mkdir()
    (review / "onet-29.2.csv").write_text(
        "id,decision,label,category,aliases,examples,reason\n"
        "foobardb,accept,FooBarDB,data-store,FooBarDB,FooBarDB software,named product\n"
        "java,enrich,,,,Oracle Java,same product\n"
    )
    (review / "esco.csv").write_text(
        "id,decision,label,category,aliases,examples,reason\n"
        "python,enrich,,,,http://data.europa.eu/esco/skill/9,same concept\n"
    )
    terms, ids = tmp_path / "t.yaml", tmp_path / "i.yaml"
    res = runner.invoke(app, ["taxonomy", "import", "apply", "--data", str(data), "--review-dir",
                              str(review), "--terms", str(terms), "--ids", str(ids)])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "id: foobardb" in terms.read_text()
    assert "esco/skill/9" in ids.read_text() and "Oracle Java" in ids.read_text()
    res = runner.invoke(app, ["taxonomy", "import", "onet", "--data", str(tmp_path / "nope"),
                              "--out", str(out), "--diff", str(diff)])  # fmt: skip
    assert res.exit_code != 0


@pytest.mark.shared
def test_packaged_files_are_rebuilt_exactly_from_the_review_log(shared_data: Path) -> None:
    """What `skillgauge taxonomy import apply` writes equals what is packaged: the log is the truth."""
    rows = read_review((TAX_DIR / "review" / "onet-29.2.csv").read_text(encoding="utf-8"))
    examples = {e.example: e for e in read_onet(shared_data)}
    assert len(examples) == 8768
    terms, ids = apply_review(rows, examples)
    label_log = TAX_DIR / "review" / "esco-labels-1.1.0.csv"
    labels = esco_label_ids(
        read_review(label_log.read_text(encoding="utf-8")), frozenset(read_labels(shared_data))
    )
    assert imported_yaml(terms) == (TAX_DIR / "terms_imported.yaml").read_text(encoding="utf-8")
    assert standard_ids_yaml(merge_ids(ids, labels)) == (TAX_DIR / "standard_ids.yaml").read_text(
        encoding="utf-8"
    )

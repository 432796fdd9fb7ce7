"""ESCO 1.1.0 preferred labels -> ``esco_label``: matching rules, the reviewed log, the packaged ids,
and the road from a label to its URI with a full ESCO download (``fixtures/skills_en.csv``, shaped
like ESCO's own file, with fake URIs)."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from skillgauge.cli import app
from skillgauge.exceptions import DataFileError
from skillgauge.taxonomy.imports.esco import match_concepts, read_esco
from skillgauge.taxonomy.imports.esco_labels import (
    label_review_rows,
    labels_diff_markdown,
    match_labels,
    read_labels,
    split_qualifier,
)
from skillgauge.taxonomy.imports.review import (
    ReviewRow,
    esco_label_ids,
    merge_ids,
    read_review,
    standard_ids_yaml,
)
from skillgauge.taxonomy.loader import (
    compose,
    load_taxonomy,
    parse_standard_ids_text,
    parse_taxonomy_text,
)
from skillgauge.taxonomy.model import Taxonomy, Term

TAX_DIR = Path(__file__).resolve().parents[3] / "src" / "skillgauge" / "taxonomy"
LOG = TAX_DIR / "review" / "esco-labels-1.1.0.csv"
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "skills_en.csv"
runner = CliRunner()

CORE = """
version: "1.0.0"
terms:
  - {id: java, label: Java, category: language, aliases: [Java]}
  - {id: python, label: Python, category: language, aliases: [Python]}
  - {id: swift, label: Swift, category: language, aliases: [{text: Swift, case_sensitive: true}]}
  - {id: machine-learning, label: Machine learning, category: methodology,
     aliases: [machine learning, {text: ML, case_sensitive: true}]}
  - {id: lisp, label: Lisp, category: language, aliases: [Lisp, Common Lisp]}
  - {id: spark, label: Apache Spark, category: big-data, aliases: [Apache Spark, Spark]}
  - {id: spark-ar, label: Spark AR, category: other-tool, aliases: [Spark AR, S.P.A.R.K.]}
  - {id: programming, label: Programming, category: methodology,
     aliases: [computer programming, coding]}
  - {id: chef, label: Chef, category: devops, aliases: [{text: Chef, case_sensitive: true}]}
"""


def _core() -> Taxonomy:
    return parse_taxonomy_text(CORE)


def _found(labels: list[str]) -> dict[str, str]:
    return {m.label: m.term_id for m in match_labels(labels, _core()).matches}


def test_qualifier_is_dropped_for_matching() -> None:
    assert split_qualifier("Swift (computer programming)") == ("Swift", "computer programming")
    assert split_qualifier("SQL") == ("SQL", None)
    found = _found(
        [
            "Swift (computer programming)",
            "Python (computer programming)",
            "Chef (tools for software configuration management)",
        ]
    )
    assert found == {
        "Swift (computer programming)": "swift",
        "Python (computer programming)": "python",
        "Chef (tools for software configuration management)": "chef",
    }


def test_wrong_senses_are_not_matched() -> None:
    # "Javanese" is a language of Java (the island); "ML (computer programming)" is the ML
    # language, and the term with the alias ML is machine learning, not a language
    result = match_labels(["Javanese", "ML (computer programming)"], _core())
    assert result.matches == ()
    assert [(r.label, r.term_ids) for r in result.refused] == [
        ("ML (computer programming)", ("machine-learning",))
    ]
    assert "not a language" in result.refused[0].reason
    # a case-sensitive alias needs the label's case: "CHEF" is not the tool Chef
    refused = match_labels(["CHEF"], _core()).refused
    assert refused[0].reason.startswith("differs in case")


def test_ambiguous_and_generic_labels_are_refused() -> None:
    result = match_labels(["SPARK", "computer programming"], _core())
    assert result.matches == ()
    why = {r.label: r.reason for r in result.refused}
    assert why["SPARK"].startswith("ambiguous") and "generic" in why["computer programming"]
    assert {r.term_ids for r in result.refused} == {("spark", "spark-ar"), ("programming",)}


def test_a_term_named_by_two_labels_keeps_the_one_equal_to_its_label() -> None:
    result = match_labels(["Common Lisp", "Lisp"], _core())
    assert [(m.label, m.term_id) for m in result.matches] == [("Lisp", "lisp")]
    assert [r.label for r in result.refused] == ["Common Lisp"]
    kept = match_labels(["Apache Spark", "Spark (big data)"], _core())
    assert [m.label for m in kept.matches] == ["Apache Spark"]  # "Spark" is also ambiguous
    neither = match_labels(["Common Lisp", "Common Lisp (computer programming)"], _core())
    assert neither.matches == () and len(neither.refused) == 2
    assert {r.reason for r in neither.refused} == {"several labels match the term"}


def test_review_rows_and_diff_name_label_alias_and_qualifier() -> None:
    core = _core()
    result = match_labels(["Swift (computer programming)", "SQL", "Common Lisp", "Lisp"], core)
    rows = label_review_rows(result, core)
    assert [(r.id, r.decision, r.examples) for r in rows] == [
        ("lisp", "enrich", ("Lisp",)),
        ("swift", "enrich", ("Swift (computer programming)",)),
    ]
    assert "qualifier (computer programming) dropped" in rows[1].reason
    diff = labels_diff_markdown(result, 4)
    assert "| swift | Swift (computer programming) | Swift | computer programming |" in diff
    assert "| Common Lisp | lisp |" in diff


def test_label_ids_are_one_per_term_and_per_label_and_known() -> None:
    rows = [
        ReviewRow("swift", "enrich", "", "", (), ("Swift (computer programming)",), "same"),
        ReviewRow("java", "reject", "", "", (), ("Javanese",), "a language, not Java"),
    ]
    assert esco_label_ids(rows) == {"swift": {"esco_label": "Swift (computer programming)"}}
    with pytest.raises(DataFileError, match="two ESCO labels"):
        esco_label_ids(rows * 2)
    with pytest.raises(DataFileError, match="is on terms"):
        esco_label_ids([rows[0], ReviewRow("java", "enrich", "", "", (), rows[0].examples, "")])
    with pytest.raises(DataFileError, match="not in the label list"):
        esco_label_ids(rows, frozenset({"SQL"}))
    with pytest.raises(DataFileError, match="one ESCO label"):
        esco_label_ids([ReviewRow("swift", "enrich", "", "", ("a", "b"), ("a", "b"), "")])


def test_esco_label_is_a_strict_standard_field() -> None:
    plain = {"id": "java", "label": "Java", "category": "language", "aliases": ["Java"]}
    for bad in ("", "  ", " Java", 42):
        with pytest.raises(ValueError):
            Term.model_validate({**plain, "esco_label": bad})
    ids = parse_standard_ids_text(
        standard_ids_yaml(merge_ids({"java": {"esco_label": "Java (computer programming)"}}))
    )
    tax = compose(_core(), (), ids, source="t")
    assert tax.by_id["java"].esco_label == "Java (computer programming)"
    assert tax.content_hash != _core().content_hash
    exported = {t["id"]: t for t in json.loads(tax.to_json())["terms"]}
    assert exported["java"]["esco_label"] == "Java (computer programming)"
    assert "esco_label" not in exported["python"]  # absent when empty: hashes stay as they were
    with pytest.raises(DataFileError, match="esco_label"):
        compose(_core(), (), {"java": {"esco_label": ""}}, source="t")


def test_packaged_labels_load_validate_and_come_from_the_reviewed_log() -> None:
    rows = read_review(LOG.read_text(encoding="utf-8"), source=str(LOG))
    assert all(r.reason for r in rows)
    accepted = {r.id: r.examples[0] for r in rows if r.decision == "enrich"}
    tax = load_taxonomy()
    assert {t.id: t.esco_label for t in tax.terms if t.esco_label} == accepted
    assert len(accepted) >= 80
    assert accepted["swift"] == "Swift (computer programming)"
    assert accepted["python"] == "Python (computer programming)"
    assert accepted["sql-server"] == "SQL Server" and accepted["mysql"] == "MySQL"
    rejected = {r.id for r in rows if r.decision == "reject"}
    assert {"apache-spark", "taleo"} <= rejected
    assert tax.by_id["apache-spark"].esco_label is None
    assert all(t.esco_uri is None for t in tax.terms)  # no URI without the full ESCO download


def test_full_esco_download_resolves_labels_to_uris(tmp_path: Path) -> None:
    """A full ``skills_en.csv`` (BOM, ESCO's columns, multi-line altLabels) gives each labelled
    term its concept URI; "Javanese" goes nowhere."""
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(FIXTURE, data / "skills_en.csv")
    concepts = read_esco(data)
    assert len(concepts) == 4 and concepts[0].alternatives == ("Python", "Python programming")
    ids = {
        "python": {"esco_label": "Python (computer programming)"},
        "swift": {"esco_label": "Swift (computer programming)"},
    }
    tax = compose(_core(), (), ids, source="t")
    found = {m.term_id: (m.concept.uri, m.by) for m in match_concepts(concepts, tax)}
    assert found == {
        "python": ("http://data.europa.eu/esco/skill/fake-0001-python", "esco_label"),
        "swift": ("http://data.europa.eu/esco/skill/fake-0002-swift", "esco_label"),
    }
    # through the CLI: import esco proposes the URIs, and apply writes them with the labels
    out, diff = tmp_path / "esco.yaml", tmp_path / "esco.md"
    res = runner.invoke(app, ["taxonomy", "import", "esco", "--data", str(data),
                              "--out", str(out), "--diff", str(diff)])  # fmt: skip
    assert res.exit_code == 0, res.output
    proposed = yaml.safe_load(out.read_text())["candidates"]
    assert {"target": "python", "by": "esco_label"}.items() <= next(
        c for c in proposed if c["target"] == "python"
    ).items()
    assert "fake-0002-swift" in diff.read_text()


def _fake_data(root: Path) -> Path:
    onet = root / "onet_29_2"
    onet.mkdir(parents=True)
    with gzip.open(onet / "Technology_Skills.txt.gz", "wt", encoding="utf-8") as fh:
        fh.write(
            "O*NET-SOC Code\tExample\tCommodity Code\tCommodity Title\tHot Technology\tIn Demand\n"
        )
        fh.write(
            "15-2051.00\tOracle Java\t43232405\tObject or component oriented development\tY\tY\n"
        )
    labels = root / "decorte_skill_extraction"
    labels.mkdir()
    with gzip.open(labels / "skills_en_label.txt.gz", "wt", encoding="utf-8") as fh:
        fh.write("Java (computer programming)\nJavanese\nSQL\n")
    shutil.copy(FIXTURE, root / "skills_en.csv")
    return root


def test_cli_proposes_labels_and_apply_merges_the_reviewed_ones(tmp_path: Path) -> None:
    data = _fake_data(tmp_path / "data")
    assert read_labels(data) == ["Java (computer programming)", "Javanese", "SQL"]
    out, diff = tmp_path / "rows.csv", tmp_path / "diff.md"
    res = runner.invoke(app, ["taxonomy", "import", "esco-labels", "--data", str(data),
                              "--out", str(out), "--diff", str(diff)])  # fmt: skip
    assert res.exit_code == 0, res.output
    proposed = {r.id: r.examples for r in read_review(out.read_text())}
    assert proposed["java"] == ("Java (computer programming)",)
    assert "Javanese" not in out.read_text()
    review = tmp_path / "review"
    review.mkdir()
    (review / "onet-29.2.csv").write_text(
        "id,decision,label,category,aliases,examples,reason\n"
        "java,enrich,,,,Oracle Java,same product\n"
    )
    (review / "esco-labels-1.1.0.csv").write_text(out.read_text())
    terms, ids = tmp_path / "t.yaml", tmp_path / "i.yaml"
    args = ["taxonomy", "import", "apply", "--data", str(data), "--review-dir", str(review),
            "--terms", str(terms), "--ids", str(ids)]  # fmt: skip
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    written = parse_standard_ids_text(ids.read_text())
    assert written["java"]["esco_label"] == "Java (computer programming)"
    assert written["java"]["onet"][0]["example"] == "Oracle Java"
    (review / "esco-labels-1.1.0.csv").write_text(
        out.read_text().replace("Java (computer programming)", "Java (island)")
    )
    res = runner.invoke(app, args)
    assert res.exit_code != 0  # a label the release's list lacks


@pytest.mark.shared
def test_label_list_yields_the_reviewed_matches(shared_data: Path) -> None:
    """The real ESCO 1.1.0 label list, matched against the taxonomy without its ESCO labels,
    proposes exactly the rows of the review log (every proposal decided, nothing unproposed)."""
    labels = read_labels(shared_data)
    assert len(labels) == 13896
    tax = load_taxonomy()
    result = match_labels(labels, tax)
    rows = read_review(LOG.read_text(encoding="utf-8"))
    assert {(m.term_id, m.label) for m in result.matches} == {(r.id, r.examples[0]) for r in rows}
    assert "Common Lisp" in {r.label for r in result.refused}
    assert "Javanese" in labels and "ML (computer programming)" in labels
    assert "Javanese" not in {m.label for m in result.matches}
    assert "ML (computer programming)" not in {m.label for m in result.matches}

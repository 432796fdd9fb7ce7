"""Review log -> packaged files, the standard-id fields of a term, composing the packaged vocabulary,
and ESCO matching."""

from __future__ import annotations

import json

import pytest
import yaml

from skillgauge.exceptions import DataFileError
from skillgauge.taxonomy.imports.esco import EscoConcept, match_concepts, parse_concepts
from skillgauge.taxonomy.imports.onet import OnetExample
from skillgauge.taxonomy.imports.review import (
    ReviewRow,
    apply_review,
    esco_ids,
    imported_yaml,
    merge_ids,
    read_review,
    standard_ids_yaml,
    write_review,
)
from skillgauge.taxonomy.loader import (
    compose,
    parse_imported_terms_text,
    parse_standard_ids_text,
    parse_taxonomy_text,
)
from skillgauge.taxonomy.model import Term, canonical_terms_json

CORE = """
version: "1.0.0"
terms:
  - {id: java, label: Java, category: language, aliases: [Java]}
  - {id: python, label: Python, category: language, aliases: [Python]}
"""

EXAMPLES = {
    e.example: e
    for e in (
        OnetExample("Oracle Java", "43232405", "Object or component", True, True, 100, 90),
        OnetExample("Oracle PeopleSoft", "43231602", "ERP software", True, False, 79, 79),
        OnetExample("Zoom", "43233502", "Video conferencing software", True, True, 50, 50),
    )
}

ROWS = [
    ReviewRow("java", "enrich", "", "", (), ("Oracle Java",), "same product"),
    ReviewRow(
        "peoplesoft",
        "accept",
        "PeopleSoft",
        "other-tool",
        ("PeopleSoft", "Oracle PeopleSoft"),
        ("Oracle PeopleSoft",),
        "named technology",
    ),
    ReviewRow("zoom", "accept", "Zoom", "collaboration", ("=Zoom",), ("Zoom",), "case-sensitive"),
    ReviewRow("web-browser", "reject", "Web browser", "other-tool", (), ("x",), "generic"),
]


def test_review_log_round_trips_and_rejects_bad_rows() -> None:
    text = write_review(ROWS)
    assert read_review(text) == ROWS
    with pytest.raises(DataFileError, match="decision 'maybe'"):
        read_review(text.replace(",reject,", ",maybe,"))
    with pytest.raises(DataFileError, match="lacks the column"):
        read_review("id,decision\nx,accept\n")


def test_apply_review_builds_terms_and_ids() -> None:
    terms, ids = apply_review(ROWS, EXAMPLES)
    assert [t["id"] for t in terms] == ["peoplesoft", "zoom"]
    assert terms[0]["source"] == "onet-29.2" and terms[0]["licence"] == "CC-BY-4.0"
    assert terms[0]["onet"][0]["occupations"] == 79
    assert terms[1]["aliases"] == [{"text": "Zoom", "case_sensitive": True}]
    assert set(ids) == {"java"} and len(ids["java"]["onet"]) == 1
    assert ids["java"]["onet"][0]["example"] == "Oracle Java"
    with pytest.raises(DataFileError, match="not in the data"):
        apply_review([ReviewRow("x", "enrich", "", "", (), ("Nope",), "")], EXAMPLES)


def test_packaged_files_compose_with_the_core() -> None:
    terms, ids = apply_review(ROWS, EXAMPLES)
    imported = parse_imported_terms_text(imported_yaml(terms))
    standard = parse_standard_ids_text(standard_ids_yaml(merge_ids(ids)))
    core = parse_taxonomy_text(CORE)
    tax = compose(core, imported, standard, source="test")
    assert tax.version == "1.0.0" and len(tax.terms) == 4
    assert tax.by_id["java"].onet[0].example == "Oracle Java"
    assert tax.by_id["java"].source is None  # ids only: the core term keeps its own provenance
    assert tax.by_id["zoom"].aliases[0].case_sensitive
    assert tax.content_hash != core.content_hash
    exported = json.loads(tax.to_json())
    assert "onet" in next(t for t in exported["terms"] if t["id"] == "java")
    assert "onet" not in next(t for t in exported["terms"] if t["id"] == "python")


def test_compose_errors_name_the_problem() -> None:
    core = parse_taxonomy_text(CORE)
    dup = parse_imported_terms_text(
        "terms:\n  - {id: java, label: J, category: language, aliases: [JJ]}\n"
    )
    with pytest.raises(DataFileError, match="already exist"):
        compose(core, dup, {}, source="t")
    clash = parse_imported_terms_text(
        "terms:\n  - {id: jython, label: Jython, category: language, aliases: [Jython, java]}\n"
    )
    with pytest.raises(DataFileError, match="alias 'java' already belongs to term 'java'"):
        compose(core, clash, {}, source="t")
    with pytest.raises(DataFileError, match="unknown term id 'nope'"):
        compose(core, (), {"nope": {"wikidata": "Q1"}}, source="t")
    with pytest.raises(DataFileError, match="not a QID"):
        compose(core, (), {"java": {"wikidata": "java"}}, source="t")
    with pytest.raises(DataFileError, match=r"version lives in terms\.yaml"):
        parse_imported_terms_text('version: "2.0"\nterms: []\n')
    with pytest.raises(DataFileError, match="unknown field"):
        parse_standard_ids_text("ids:\n  java: {label: Java}\n")


def test_standard_fields_are_validated_and_do_not_change_the_hash_when_absent() -> None:
    plain = {"id": "java", "label": "Java", "category": "language", "aliases": ["Java"]}
    term = Term.model_validate(plain)
    assert '"onet"' not in canonical_terms_json((term,))
    assert "wikidata" not in canonical_terms_json((term,))
    one = Term.model_validate(
        {**plain, "onet": {"example": "Java", "commodity_code": 43232405, "commodity_title": "x"}}
    )
    assert one.onet[0].commodity_code == "43232405"  # a single mapping and an int are accepted
    assert canonical_terms_json((one,)) != canonical_terms_json((term,))
    for bad in (
        {"esco_uri": "https://example.org/skill/1"},
        {"wikidata": "Q0"},
        {"onet": [{"example": "J", "commodity_code": "123", "commodity_title": "x"}]},
    ):
        with pytest.raises(ValueError):
            Term.model_validate({**plain, **bad})


ESCO_CSV = (
    "conceptUri,reuseLevel,preferredLabel,altLabels\n"
    'http://data.europa.eu/esco/skill/1,cross-sector,Python,"python programming"\n'
    'http://data.europa.eu/esco/skill/2,cross-sector,use spreadsheets software,"Java"\n'
    "not-a-uri,cross-sector,Java,\n"
)


def test_esco_matches_preferred_labels_only_by_default() -> None:
    concepts = parse_concepts(ESCO_CSV)
    assert [c.uri[-1] for c in concepts] == ["1", "2"]  # the row without an ESCO URI is skipped
    core = parse_taxonomy_text(CORE)
    assert [(m.term_id, m.concept.uri[-1]) for m in match_concepts(concepts, core)] == [
        ("python", "1")
    ]
    both = match_concepts(concepts, core, use_alternatives=True)
    assert {m.term_id for m in both} == {"java", "python"}
    ambiguous = [EscoConcept("http://data.europa.eu/esco/skill/3", "Java", ("Python",))]
    assert match_concepts(ambiguous, core, use_alternatives=True) == []


def test_esco_review_rows_give_one_uri_per_term() -> None:
    rows = [ReviewRow("python", "enrich", "", "", (), ("http://data.europa.eu/esco/skill/1",), "")]
    assert esco_ids(rows) == {"python": {"esco_uri": "http://data.europa.eu/esco/skill/1"}}
    with pytest.raises(DataFileError, match="two concept URIs"):
        esco_ids(rows * 2)
    text = standard_ids_yaml(merge_ids({"java": {"onet": []}}, esco_ids(rows)))
    assert yaml.safe_load(text)["ids"]["python"]["esco_uri"].endswith("/1")

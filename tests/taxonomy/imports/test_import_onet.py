"""O*NET rows -> folded examples -> candidates (new / enrich / conflict) -> YAML and Markdown diff."""

from __future__ import annotations

import pytest
import yaml

from skillgauge.exceptions import DataFileError
from skillgauge.taxonomy.imports.candidates import (
    build_candidates,
    candidates_yaml,
    category_for,
    diff_markdown,
)
from skillgauge.taxonomy.imports.names import WordProfile
from skillgauge.taxonomy.imports.onet import OnetExample, fold_examples, parse_rows
from skillgauge.taxonomy.loader import parse_taxonomy_text
from skillgauge.taxonomy.model import Category

HEADER = "O*NET-SOC Code\tExample\tCommodity Code\tCommodity Title\tHot Technology\tIn Demand"
ROWS = [
    "15-2051.00\tOracle Java\t43232405\tObject or component oriented development software\tY\tY",
    "15-1252.00\tOracle Java\t43232405\tObject or component oriented development software\tN\tN",
    "15-1252.00\tSun Microsystems Java\t43232405\tObject or component oriented development software\tN\tN",
    "11-1011.00\tOracle PeopleSoft\t43231602\tEnterprise resource planning ERP software\tY\tN",
    "13-2011.00\tOracle PeopleSoft\t43231602\tEnterprise resource planning ERP software\tN\tN",
    "13-2011.00\tSAP BusinessObjects\t43232314\tBusiness intelligence and data analysis software\tN\tN",
    "13-2011.00\tSAP Business Objects\t43232314\tBusiness intelligence and data analysis software\tN\tN",
    "43-9061.00\tMicrosoft Word\t43232104\tWord processing software\tY\tY",
    "43-9061.00\tApple iOS\t43233004\tOperating system software\tN\tN",
    "43-9061.00\tWeb browser software\t43232705\tInternet browser software\tN\tY",
]

CORE = """
version: "1.0.0"
terms:
  - {id: java, label: Java, category: language, aliases: [Java]}
  - {id: ios, label: iOS, category: mobile, aliases: [iOS]}
  - {id: cisco, label: Cisco, category: other-tool, aliases: [Cisco, Cisco IOS]}
"""


def _examples() -> list[OnetExample]:
    return fold_examples(parse_rows([HEADER, *ROWS]))


def test_parse_rows_reads_flags_and_rejects_a_wrong_header() -> None:
    rows = parse_rows([HEADER, ROWS[0], ""])
    assert len(rows) == 1
    assert rows[0].example == "Oracle Java" and rows[0].hot and rows[0].in_demand
    with pytest.raises(DataFileError, match="expected the columns"):
        parse_rows(["Code\tExample", ROWS[0]])
    with pytest.raises(DataFileError, match="line 2"):
        parse_rows([HEADER, "15-2051.00\tOracle Java"])


def test_fold_counts_occupations_and_orders_by_priority() -> None:
    examples = _examples()
    by_name = {e.example: e for e in examples}
    java = by_name["Oracle Java"]
    assert (java.occupations, java.hot_occupations, java.hot, java.in_demand) == (2, 1, True, True)
    assert by_name["Oracle PeopleSoft"].occupations == 2
    flagged = [e.example for e in examples if e.hot or e.in_demand]
    assert [e.example for e in examples][: len(flagged)] == flagged  # hot / in-demand first


def test_category_from_commodity() -> None:
    by_name = {e.example: e for e in _examples()}
    assert category_for(by_name["Oracle Java"]) is Category.LANGUAGE
    assert category_for(by_name["SAP BusinessObjects"]) is Category.BI
    assert category_for(by_name["Oracle PeopleSoft"]) is Category.OTHER_TOOL


def test_candidates_enrich_new_merge_and_conflict() -> None:
    cands = build_candidates(_examples(), parse_taxonomy_text(CORE), WordProfile())
    by_example = {e.example: c for c in cands for e in c.examples}
    java = by_example["Oracle Java"]
    assert java.kind == "enrich" and java.target == "java"
    assert (
        by_example["Sun Microsystems Java"] is java
    )  # same bare name: one candidate, two examples
    soft = by_example["Oracle PeopleSoft"]
    assert (soft.kind, soft.term_id, soft.label) == ("new", "peoplesoft", "PeopleSoft")
    assert soft.aliases == ("PeopleSoft", "Oracle PeopleSoft")
    bo = by_example["SAP BusinessObjects"]
    assert by_example["SAP Business Objects"] is bo  # spacing variants are one term
    word = by_example["Microsoft Word"]
    assert "Word" not in word.aliases and word.kind == "new"
    assert by_example["Web browser software"].generic
    # "Apple iOS" reaches ios by its bare name: an enrichment, not a new term
    assert by_example["Apple iOS"].target == "ios"


def test_alias_owned_by_two_terms_is_a_conflict() -> None:
    """O*NET's "Apple iOS" and "Cisco IOS" share the key "ios": core ios and cisco both claim it."""
    rows = [HEADER, "1\tCisco IOS\t43233004\tOperating system software\tN\tN"]
    cands = build_candidates(
        fold_examples(parse_rows([*rows, "2\tApple iOS\t43233004\tOperating system\tN\tN"])),
        parse_taxonomy_text(CORE),
        WordProfile(),
    )
    merged = [c for c in cands if len(c.examples) == 2]
    assert merged and merged[0].kind == "conflict"
    assert "cisco" in merged[0].notes[0] and "ios" in merged[0].notes[0]


def test_candidates_yaml_and_diff_are_reviewable() -> None:
    cands = build_candidates(_examples(), parse_taxonomy_text(CORE), WordProfile())
    data = yaml.safe_load(candidates_yaml(cands))
    assert data["licence"] == "CC-BY-4.0"
    entry = next(c for c in data["candidates"] if c["id"] == "peoplesoft")
    assert entry["onet"][0]["commodity_code"] == "43231602"
    assert entry["onet"][0]["occupations"] == 2
    md = diff_markdown(cands)
    for heading in ("## Enrichments", "## Conflicts", "## New terms", "## Generic names"):
        assert heading in md
    assert "| java | Oracle Java; Sun Microsystems Java |" in md
    assert "- Web browser software" in md

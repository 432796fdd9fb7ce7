"""taxonomy diff: the structured diff and the share movement it predicts, on tiny taxonomies."""

from __future__ import annotations

import math

import pytest

from skillgauge.analyze.taxonomy_shift import count_shift, shift_frame
from skillgauge.extract.matcher import Matcher
from skillgauge.taxonomy.diff import diff_taxonomies
from skillgauge.taxonomy.loader import parse_taxonomy_text

A = """
version: "1.0.0"
terms:
  - {id: python, label: Python, category: language, aliases: [Python]}
  - {id: spark, label: Spark, category: big-data, aliases: [Spark, PySpark]}
  - {id: go, label: Go, category: language, aliases: [Golang]}
  - {id: hive, label: Hive, category: big-data, aliases: [Hive]}
"""
B = """
version: "1.1.0"
terms:
  - {id: python, label: Python, category: language, aliases: [Python, PySpark]}
  - {id: spark, label: Apache Spark, category: data-library, aliases: [Spark]}
  - id: go
    label: Go
    category: language
    aliases: [Golang, {text: Go, case_sensitive: true, needs_context: true}]
    context: {cues: [programming]}
  - {id: kedro, label: Kedro, category: mlops, aliases: [Kedro]}
"""


def test_diff_lists_added_removed_changed_and_moved() -> None:
    a, b = parse_taxonomy_text(A), parse_taxonomy_text(B)
    d = diff_taxonomies(a, b)
    assert [t.id for t in d.added] == ["kedro"]
    assert [t.id for t in d.removed] == ["hive"]
    changes = {c.term_id: c for c in d.changed}
    assert set(changes) == {"python", "spark", "go"}
    assert changes["python"].aliases_added == ("PySpark",)
    assert changes["spark"].aliases_removed == ("PySpark",)
    assert changes["spark"].category == ("big-data", "data-library")
    assert changes["spark"].label == ("Spark", "Apache Spark")
    assert changes["go"].aliases_added == ("Go",) and changes["go"].context_changed
    assert [(m.alias, m.from_term, m.to_term) for m in d.moved] == [("PySpark", "spark", "python")]
    text = "\n".join(d.lines())
    assert "1 added, 1 removed, 3 changed, 1 alias(es) moved" in text
    assert "category: big-data -> data-library" in text
    assert d.to_dict()["moved"] == [{"alias": "PySpark", "from": "spark", "to": "python"}]


def test_identical_meaning_is_reported_as_such() -> None:
    a = parse_taxonomy_text(A)
    b = parse_taxonomy_text(A.replace('"1.0.0"', '"1.0.1"').replace("[Python]", "['Python']"))
    d = diff_taxonomies(a, b)
    assert d.identical and not d.changed and not d.added
    assert d.lines()[-1].startswith("no change of meaning")


def test_an_alias_case_rule_change_is_a_rule_change_not_remove_and_add() -> None:
    a = parse_taxonomy_text(A)
    b = parse_taxonomy_text(A.replace("[Hive]", "[{text: Hive, case_sensitive: true}]"))
    (change,) = diff_taxonomies(a, b).changed
    assert change.aliases_added == () and change.aliases_removed == ()
    assert change.rules_changed == ("Hive: case_sensitive False -> True",)


DOCS = [
    ("Python and PySpark on Hive", ("all", "data-engineer")),
    ("PySpark jobs", ("all", "data-engineer")),
    ("Spark and Kedro", ("all",)),
    ("Go programming, Golang", ("all", "backend")),
    ("Let's go hiking", ("all",)),
]


def test_shift_counts_postings_under_both_taxonomies() -> None:
    a, b = parse_taxonomy_text(A), parse_taxonomy_text(B)
    counts = count_shift(DOCS, Matcher.from_taxonomy(a), Matcher.from_taxonomy(b))
    assert counts.postings == 5 and counts.n["all"] == 5 and counts.n["data-engineer"] == 2
    # doc 1 loses spark+hive, gains nothing new for python; doc 2 spark -> python; doc 3 + kedro
    assert counts.postings_changed == 3
    frame = shift_frame(counts, {"python": "Python"})
    rows = {(r.role, r.term_id): r for r in frame.itertuples(index=False)}
    spark = rows[("data-engineer", "spark")]
    assert (spark.n, spark.count_a, spark.count_b) == (2, 2, 0)
    assert spark.delta == pytest.approx(-1.0)
    assert 0 < spark.low_a < spark.share_a == 1.0 and spark.high_b > 0 == spark.share_b
    assert rows[("all", "python")].count_b == 2 and rows[("all", "python")].label == "Python"
    assert ("all", "go") not in rows  # Golang matched under both: no movement, not listed
    deltas = [abs(d) for d in frame["delta"]]
    assert deltas == sorted(deltas, reverse=True)
    full = shift_frame(counts, moved_only=False)
    assert len(full) > len(frame)
    assert math.isclose(
        float(full[(full.role == "all") & (full.term_id == "go")]["share_a"].iloc[0]), 0.2
    )


def test_no_movement_gives_an_empty_frame_with_the_columns() -> None:
    a = parse_taxonomy_text(A)
    m = Matcher.from_taxonomy(a)
    frame = shift_frame(count_shift(DOCS, m, m))
    assert frame.empty and "delta" in frame.columns

"""Readers on tiny fixtures, the gold rule on a small taxonomy, and report escaping."""

from __future__ import annotations

import json

from skillgauge.evaluate import EvalResult, build_cases
from skillgauge.evaluate.annotations import (
    GoldRule,
    decode_bio,
    join_tokens,
    parse_decorte,
    parse_skillspan,
    product_like,
)
from skillgauge.evaluate.scoring import GAP_PREFIX, score
from skillgauge.extract.matcher import AliasEntry, Matcher


def test_decode_bio() -> None:
    tags = ["O", "B-K", "I-K", "O", "I-K", "B-K", "B-K", "I-K"]
    assert decode_bio(tags) == [(1, 3), (4, 5), (5, 6), (6, 8)]
    assert decode_bio([]) == [] and decode_bio(["O"]) == []


def test_join_tokens_glues_dotnet() -> None:
    text, starts = join_tokens(["C#", ".", "NET", "and", "Java", "."])
    assert text == "C# .NET and Java ."
    assert [text[s] for s in starts] == ["C", ".", "N", "a", "J", "."]


def test_parse_skillspan_offsets_and_layers() -> None:
    rec = {
        "idx": 3,
        "tokens": ["Know", "Python", "and", "work", "in", "teams"],
        "tags_skill": ["O", "O", "O", "B-Skill", "I-Skill", "I-Skill"],
        "tags_knowledge": ["O", "B-Knowledge", "O", "O", "O", "O"],
        "source": "tech",
    }
    [s] = parse_skillspan([json.dumps(rec), ""], split="test")
    assert [(sp.layer, sp.text) for sp in s.spans] == [
        ("knowledge", "Python"),
        ("skill", "work in teams"),
    ]
    assert all(s.text[sp.start : sp.end] == sp.text for sp in s.spans)


def test_parse_decorte_drops_exact_duplicates() -> None:
    text = (
        "sentence,span,sub_span,label\n"
        "django postgresql redis,postgresql,,PostgreSQL\n"
        "django postgresql redis,postgresql,,PostgreSQL\n"
        "django postgresql redis,redis,,LABEL NOT PRESENT\n"
        "Write code .,Write code,,develop software\n"
    )
    sents = parse_decorte(text, name="x")
    assert [len(s.spans) for s in sents] == [2, 1]
    assert sents[0].spans[0].start == len("django ")


def _matcher() -> Matcher:
    return Matcher(
        [
            AliasEntry("python", "language", "Python", False, False),
            AliasEntry("postgresql", "data-store", "PostgreSQL", False, False),
            AliasEntry("postgresql", "data-store", "Postgres", False, False),
            AliasEntry("r", "language", "R", True, False),
        ]
    )


def _rule(m: Matcher) -> GoldRule:
    return GoldRule.from_taxonomy_terms(
        m,
        [
            ("python", "Python", ["Python"]),
            ("postgresql", "PostgreSQL", ["PostgreSQL", "Postgres"]),
            ("r", "R", ["R"]),
        ],
    )


def test_gold_rule() -> None:
    rule = _rule(_matcher())
    assert rule.terms_of_span("Python 3") == {"python"}
    assert rule.terms_of_span("r") == {"r"}  # reviewed: a matching miss, not a gap
    assert rule.terms_of_span("SpecFlow )") == {GAP_PREFIX + "specflow"}  # product-like
    assert rule.terms_of_span("loggly") == {GAP_PREFIX + "loggly"}  # reviewed gap
    assert rule.terms_of_span("machine learning") == frozenset()
    assert rule.terms_of_label("PostgreSQL") == {"postgresql"}
    assert rule.terms_of_label("Python (computer programming)") == {"python"}
    assert rule.terms_of_label("manage databases") == frozenset()
    assert product_like("KeyVault") and not product_like("eCommerce") and not product_like("SQL")


def test_build_cases_and_report_escape_data() -> None:
    m = _matcher()
    rec = {
        "idx": 1,
        "tokens": ["Python", "|", "<script>", "r", "and", "Postgres", "in", "a", "team"],
        "tags_knowledge": ["B-K", "O", "O", "B-K", "O", "O", "O", "O", "O"],
        "tags_skill": ["O", "O", "O", "O", "O", "B-S", "I-S", "I-S", "I-S"],
    }
    cases = build_cases(parse_skillspan([json.dumps(rec)]), m, _rule(m), use_labels=False)
    [c] = cases
    assert set(c.gold) == {"python", "r"} and set(c.found) == {"python", "postgresql"}
    assert c.found_note["postgresql"].startswith("inside a SKILL span")
    d = score("skillspan", cases, n_resamples=100)
    assert (d.overall.tp, d.overall.fp, d.overall.fn) == (1, 1, 1)
    result = EvalResult((d,), "test 1", 3)
    html = result.to_html()
    assert "<script>" not in html and "&lt;script&gt;" in html
    md = result.to_markdown()
    assert "<script>" not in md and "Python \\| &lt;script&gt;" in md
    assert result.summary_lines()[0].startswith("skillspan: 1 sentences")

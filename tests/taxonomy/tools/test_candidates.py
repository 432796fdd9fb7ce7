"""taxonomy candidates: shapes, exclusions and the ranking signals, on inline postings."""

from __future__ import annotations

import datetime as dt

from skillgauge.extract.matcher import Matcher
from skillgauge.store.queries import CandidateDocument
from skillgauge.taxonomy.candidates import mine_candidates, shape_of
from skillgauge.taxonomy.loader import parse_taxonomy_text

TAX = parse_taxonomy_text(
    """
version: "1"
terms:
  - {id: python, label: Python, category: language, aliases: [Python]}
  - {id: postgresql, label: PostgreSQL, category: data-store, aliases: [PostgreSQL, Postgres]}
  - {id: docker, label: Docker, category: devops, aliases: [Docker]}
  - {id: go, label: Go, category: language, aliases: [Golang, Go]}
"""
)


def _doc(
    i: int, text: str, date: dt.date | None = None, company: str | None = None
) -> CandidateDocument:
    return CandidateDocument(str(i), "\n" + text, date, company)


def test_shapes() -> None:
    assert shape_of("GraphQL") == "camel"
    assert shape_of("Next.js") == "dotted" and shape_of("ASP.NET") == "dotted"
    assert shape_of(".NET") == "dotted" and shape_of("acme.io") == "domain"
    assert shape_of("Log4j") == "alnum" and shape_of("EC2") == "alnum"
    assert shape_of("AWS") == "acronym" and shape_of("Platform") == "capitalised"
    assert shape_of("platform") is None


def _corpus() -> list[CandidateDocument]:
    docs = []
    for i in range(8):
        year = 2016 if i < 4 else 2018
        docs.append(
            _doc(
                i,
                f"Acme is hiring. Our stack: Python, GraphQL, Postgres and Docker. We like Go. "
                f"The platform team owns our Platform. Visit https://acme.example/GraphQLJobs now. "
                f"{'We added Next.js this year.' if i >= 4 else 'Nothing else.'}",
                dt.date(year, 1, 1),
                company="Acme",
            )
        )
    for i in range(8, 12):
        docs.append(_doc(i, "Platform engineering at Zorblax: platform work, a platform role."))
    return docs


def test_known_aliases_matches_urls_and_ordinary_words_are_not_candidates() -> None:
    ranked = mine_candidates(_corpus(), TAX, Matcher.from_taxonomy(TAX), min_docs=3, top=None)
    texts = [c.text for c in ranked]
    assert texts[0] == "GraphQL"
    assert "Next.js" in texts
    for absent in ("Python", "Postgres", "Docker", "Go", "GraphQLJobs", "Stack", "We", "Our"):
        assert absent not in texts, absent
    by = {c.text: c for c in ranked}
    graphql = by["GraphQL"]
    assert (graphql.docs, graphql.count, graphql.consistency) == (8, 8, 1.0)
    assert graphql.near_known == 1.0 and graphql.lift >= 1.0
    assert graphql.examples and "GraphQL" in graphql.examples[0]
    nextjs = by["Next.js"]
    assert (nextjs.early, nextjs.late) == (0, 4) and nextjs.growth > 1
    # "Platform" is mostly lowercase mid-sentence: low consistency, ranked far below GraphQL
    platform = by["Platform"]
    assert platform.consistency < 0.5 and platform.score < graphql.score / 2
    # the advertiser's own name
    acme = by["Acme"]
    assert acme.own_company == 1.0 and acme.score == 0.0


def test_min_docs_and_top() -> None:
    matcher = Matcher.from_taxonomy(TAX)
    assert mine_candidates(_corpus(), TAX, matcher, min_docs=13, top=None) == []
    assert len(mine_candidates(_corpus(), TAX, matcher, min_docs=1, top=2)) == 2


def test_capitalised_ngrams_and_their_containment() -> None:
    docs = [
        _doc(
            i,
            f"We build games in Unreal Engine with Python tooling; {'Unreal Engine 5' if i % 2 else 'C'}.",
        )
        for i in range(6)
    ]
    ranked = mine_candidates(docs, TAX, Matcher.from_taxonomy(TAX), min_docs=3, top=None)
    texts = [c.text for c in ranked]
    assert "Unreal Engine" in texts
    assert "Unreal" not in texts and "Engine" not in texts  # the same name, kept once
    assert "Unreal Engine 5" not in texts or texts.index("Unreal Engine 5") > texts.index(
        "Unreal Engine"
    )

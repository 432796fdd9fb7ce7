"""The matcher on the small fixture vocabulary: boundaries, case, context, leftmost-longest."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from skillgauge.extract.matcher import Matcher, ReferenceMatcher, trie_regex
from skillgauge.taxonomy.loader import load_taxonomy

SMALL = Path(__file__).resolve().parents[1] / "data" / "taxonomy_small.yaml"


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher.from_taxonomy(load_taxonomy(SMALL))


def ids(matcher: Matcher, text: str) -> list[str]:
    return [m.term_id for m in matcher.find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We invest heavily in R&D and Python.", ["python"]),
        ("R & D budget", []),
        ("Python, R and SQL", ["python", "r", "sql"]),
        ("experience with R programming", ["r"]),
        ("C-level executives and C-suite", []),
        ("C/C++ developers", ["c", "cpp"]),
        ("C#, C++ and embedded C", ["csharp", "cpp", "c"]),
        ("Node.js backend", ["nodejs"]),
        ("JavaScript and TypeScript", ["javascript", "typescript"]),
        ("ASP.NET MVC", ["aspnet"]),
        ("ASP.NET and .NET Core", ["aspnet", "dotnet"]),
        ("CI/CD pipelines", ["cicd"]),
        ("Series C startup, Python shop", ["python"]),
        ("Go, Python and Kubernetes", ["go", "python", "kubernetes"]),
        ("Go to market fast", []),
        ("Spark joy at work", []),
        ("Spark and Hadoop", ["apache-spark", "hadoop"]),
        ("You will excel at Excel pivot tables", ["excel"]),
        ("excellent communication", []),
        ("scalable systems", []),
    ],
)
def test_cases(matcher: Matcher, text: str, expected: list[str]) -> None:
    assert ids(matcher, text) == expected


def test_offsets_and_surface(matcher: Matcher) -> None:
    text = "Use python3 with C/C++."
    found = matcher.find(text)
    assert [(m.term_id, m.start, m.end, m.surface) for m in found] == [
        ("python", 4, 11, "python3"),
        ("c", 17, 18, "C"),
        ("cpp", 19, 22, "C++"),
    ]
    for m in found:
        assert text[m.start : m.end] == m.surface


def test_node_js_is_one_mention_not_node(matcher: Matcher) -> None:
    found = matcher.find("Node.js")
    assert [(m.term_id, m.surface) for m in found] == [("nodejs", "Node.js")]


def test_javascript_is_not_java(matcher: Matcher) -> None:
    assert ids(matcher, "JavaScript") == ["javascript"]
    assert ids(matcher, "Java, not JavaScripts") == ["java"]


def test_dotnet_inside_a_word_is_not_matched(matcher: Matcher) -> None:
    assert ids(matcher, "see example.net or MyLib.NET") == []
    assert ids(matcher, "(.NET)") == ["dotnet"]


def test_boundaries_plus_and_hash(matcher: Matcher) -> None:
    assert ids(matcher, "C++11") == []  # a digit after the alias
    assert ids(matcher, "C+") == []  # "C" followed by "+"
    assert ids(matcher, "python_3") == []
    assert ids(matcher, "_Python") == []


def test_case_rule(matcher: Matcher) -> None:
    # R and C are case-sensitive; Python is not.
    assert ids(matcher, "PYTHON and python, r and c") == ["python", "python"]


def test_leftmost_longest_limitation(matcher: Matcher) -> None:
    # "Apache Spark" starts first, so "Spark SQL" (which overlaps it) is not seen; SQL is.
    assert ids(matcher, "Apache Spark SQL") == ["apache-spark", "sql"]
    # a longer alias failing its boundary does not hide a shorter valid one
    assert ids(matcher, "Spark SQLite with Hadoop") == ["apache-spark", "hadoop"]


def test_non_ascii_offsets(matcher: Matcher) -> None:
    text = "Café – Python, R и Java 🚀 C#"
    found = matcher.find(text)
    assert [m.term_id for m in found] == ["python", "r", "java", "csharp"]
    for m in found:
        assert text[m.start : m.end] == m.surface
    assert ids(matcher, "éR, Python") == ["python"]  # a non-ASCII letter before R


def test_term_ids_equals_find(matcher: Matcher) -> None:
    text = "Python, R&D, R and SQL; C-level; Go to; Go and Kubernetes; Excel in; MS Excel"
    assert matcher.term_ids(text) == {m.term_id for m in matcher.find(text)}
    assert matcher.term_ids("") == set()


def test_find_many(matcher: Matcher) -> None:
    texts = ["Python", "", "R&D"]
    assert matcher.find_many(texts) == [matcher.find(t) for t in texts]


def test_pickle_round_trip(matcher: Matcher) -> None:
    clone = pickle.loads(pickle.dumps(matcher))
    text = "Python, R and C/C++ on Spark with Hadoop"
    assert clone.find(text) == matcher.find(text)
    assert len(pickle.dumps(matcher)) < 50_000


def test_reference_agrees_on_cases(matcher: Matcher) -> None:
    ref = ReferenceMatcher(matcher)
    for text in [
        "Spark SQLite and Spark SQL",
        "our programming R programming",
        "example.net .NET ASP.NETx",
        "C++R C#.NET",
        "JS, js, Js and JSON",
    ]:
        assert matcher.find(text) == ref.find(text), text


def test_trie_regex_prefers_longest() -> None:
    assert trie_regex(["java", "javascript", "js"]) == "j(?:ava(?:script)?|s)"

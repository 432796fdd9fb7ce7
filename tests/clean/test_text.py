"""Text cleaning: HTML to text, normalisation, and the properties later stages rely on (no glued
words, idempotence, no script text)."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from skillgauge.clean.text import (
    clean_field,
    clean_text,
    html_to_text,
    looks_like_html,
    normalize_text,
)

# --- real snippets (short quotes) -------------------------------------------------------------


def test_hn_2026_entities_and_paragraphs() -> None:
    raw = (
        "Clever Benefits | Scottsdale, AZ | Full-time | Senior Full Stack "
        "(React&#x2F;React Native&#x2F;Node&#x2F;AWS)<p>We&#x27;re hiring &amp; growing."
    )
    assert clean_text(raw) == (
        "Clever Benefits | Scottsdale, AZ | Full-time | Senior Full Stack "
        "(React/React Native/Node/AWS)\nWe're hiring & growing."
    )


def test_hn_2013_font_wrapper_link_and_pre_block() -> None:
    raw = (
        '<font color="#000000">London, England - Full Time<p>Optim.al (<a href="https://www.'
        'optimalsocial.com/" rel="nofollow">https://www.optimalsocial.com/</a>) is hiring</p>'
        "<p>Requirements:</p><p></p><pre><code>    * BS or MS degree\n    * Good understanding"
        "</code></pre></font>"
    )
    assert clean_text(raw) == (
        "London, England - Full Time\nOptim.al (https://www.optimalsocial.com/) is hiring\n\n"
        "Requirements:\n\n* BS or MS degree\n* Good understanding"
    )


def test_greenhouse_content_escaped_once_is_unescaped_once() -> None:
    raw = (
        "&lt;div class=&quot;content-intro&quot;&gt;&lt;h2&gt;&lt;strong&gt;About Anthropic"
        "&lt;/strong&gt;&lt;/h2&gt;\n&lt;p&gt;Anthropic’s mission is to create reliable AI "
        "systems &amp;amp; tools.&lt;/p&gt;&lt;/div&gt;"
    )
    assert clean_text(raw) == (
        "About Anthropic\n\nAnthropic’s mission is to create reliable AI systems & tools."
    )


def test_text_about_markup_is_not_unescaped_twice() -> None:
    # real tags present: the escaped "<div>" is text the author wrote, keep it literal
    assert clean_text("We love &lt;div&gt; soup<p>Apply now") == "We love <div> soup\nApply now"


def test_linkedin_lost_line_breaks_are_left_alone() -> None:
    raw = "logistics engine for delivery! We're bringing on talented data scientists.As a machine"
    assert clean_text(raw) == raw


# --- no glued words ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("<li>Python</li><li>SQL</li>", "- Python\n- SQL"),
        ("<ul><li>Python</li><li>SQL</li></ul>", "- Python\n- SQL"),
        ("Python<br>SQL<br/>Go", "Python\nSQL\nGo"),
        ("<div>Python</div><div>SQL</div>", "Python\n\nSQL"),
        ("<h2>Skills</h2>Python", "Skills\nPython"),
        (
            "<table><tr><td>Python</td><td>SQL</td></tr><tr><td>Go</td></tr></table>",
            "Python SQL\n\nGo",
        ),
        ("<p>Python</p><p>SQL</p>", "Python\n\nSQL"),
        ("Py<b>th</b>on", "Python"),  # inline tags do not split words
    ],
)
def test_blocks_become_line_breaks(markup: str, expected: str) -> None:
    assert clean_text(markup) == expected


def test_script_style_and_head_are_dropped() -> None:
    raw = (
        "<html><head><title>T</title><style>p{color:red}</style></head><body>"
        "<script>var secret = 1;</script><p>Visible</p><noscript>x</noscript></body></html>"
    )
    assert clean_text(raw) == "Visible"


def test_fast_path_returns_plain_text_unparsed() -> None:
    plain = "No markup here, just text."
    assert html_to_text(plain) is plain
    assert html_to_text("R&D and AT&T") == "R&D and AT&T"
    assert not looks_like_html("R&D and a < b > c, mail me <at> example.com")
    assert looks_like_html("x &amp; y") and looks_like_html("<p>x")


# --- normalisation ----------------------------------------------------------------------------


def test_normalize_text_rules() -> None:
    raw = (
        "\ufeffＡＢＣ ﬁle\r\nsoft\u00adhy\u200bphen\x00\t\ttabs\u00a0nbsp\r\r\r\n  \nend \u2028next"
    )
    assert normalize_text(raw) == "ABC file\nsofthyphen tabs nbsp\n\nend\nnext"


def test_normalize_composes_after_deleting_zero_width() -> None:
    # a zero-width space between "e" and a combining accent: deleting it must yield the
    # composed letter already, or a second run would change the text
    assert normalize_text("e\u200b\u0301") == "é"


def test_clean_field_is_one_line() -> None:
    assert clean_field("  Senior <b>Data</b>\n Scientist<br>(Remote) ") == (
        "Senior Data Scientist (Remote)"
    )
    assert clean_field(None) == "" and clean_text(None) == ""


# --- properties -------------------------------------------------------------------------------

WORD = st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1, max_size=8)
BLOCK = st.sampled_from(["p", "div", "li", "h3", "tr", "td", "blockquote", "section"])
INLINE = st.sampled_from(["b", "i", "a", "span", "strong", "em", "font", "code"])
ENTITY = st.sampled_from(["&amp;", "&#x27;", "&#x2F;", "&quot;", "&gt;", "&nbsp;", "&#8217;"])


@st.composite
def html_docs(draw: st.DrawFn) -> str:
    """Random HTML made of words, entities, inline and block tags, <br> and scripts."""
    parts: list[str] = []
    for _ in range(draw(st.integers(0, 12))):
        kind = draw(st.integers(0, 5))
        if kind == 0:
            tag = draw(BLOCK)
            parts.append(f"<{tag}>{' '.join(draw(st.lists(WORD, max_size=4)))}</{tag}>")
        elif kind == 1:
            tag = draw(INLINE)
            parts.append(f"<{tag}>{draw(WORD)}</{tag}>")
        elif kind == 2:
            parts.append(draw(ENTITY))
        elif kind == 3:
            parts.append(draw(st.sampled_from(["<br>", "<br/>", "<p>", " ", "\n", "\t"])))
        elif kind == 4:
            parts.append("<script>var zqxpayload = '<p>';</script><style>.zqxstyle{}</style>")
        else:
            parts.append(draw(WORD))
    return "".join(parts)


@given(st.text())
def test_normalize_text_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


@given(st.text())
def test_normalize_text_output_shape(text: str) -> None:
    out = normalize_text(text)
    assert "\r" not in out and "\t" not in out and "  " not in out and "\n\n\n" not in out
    assert out == out.strip()
    assert all(line == line.strip() for line in out.split("\n"))
    assert not any(unicodedata.category(c) in ("Cc", "Cf", "Cs") for c in out if c != "\n")
    assert unicodedata.is_normalized("NFKC", out)
    out.encode("utf-8")  # storable: no lone surrogates


@given(html_docs())
def test_clean_text_on_html_is_idempotent_and_drops_scripts(markup: str) -> None:
    out = clean_text(markup)
    assert clean_text(out) == out
    assert "zqx" not in out and "<script" not in out.lower()
    assert "\r" not in out and "  " not in out


@given(st.text())
def test_clean_text_is_idempotent_when_nothing_markup_like_is_left(text: str) -> None:
    out = clean_text(text)
    assume(not looks_like_html(out))  # a decoded "&lt;p&gt;" is literal text "<p>" by design
    assert clean_text(out) == out
    assert "\r" not in out and "  " not in out


@given(st.lists(WORD, min_size=1, max_size=10), st.lists(BLOCK, min_size=1, max_size=10))
def test_block_tags_never_glue_words(words: list[str], tags: list[str]) -> None:
    markup = "".join(
        f"<{tags[i % len(tags)]}>{w}</{tags[i % len(tags)]}>" for i, w in enumerate(words)
    )
    lines = [line.removeprefix("- ") for line in clean_text(markup).split("\n")]
    assert " ".join(lines).split() == " ".join(normalize_text(w) for w in words).split()


@pytest.mark.slow
@settings(max_examples=10_000, deadline=None)
@given(html_docs() | st.text())
def test_clean_text_fuzz(markup: str) -> None:
    out = clean_text(markup)
    assert "\r" not in out and "  " not in out and "zqx" not in out
    if not looks_like_html(out):
        assert clean_text(out) == out


# --- real data --------------------------------------------------------------------------------


@pytest.mark.shared
def test_all_hn_2026_posts_clean_to_plain_text(hn_2026_posts: list[dict[str, Any]]) -> None:
    texts = [p["text"] or "" for p in hn_2026_posts]
    assert len(texts) == 1720
    for raw in texts:
        out = clean_text(raw)
        assert "<p>" not in out and "&#x2F;" not in out and "&amp;" not in out
        assert "\r" not in out and "  " not in out
        assert clean_text(out) == out


@pytest.mark.shared
def test_greenhouse_recorded_content_cleans(shared_data: Path) -> None:
    path = shared_data / "api_responses" / "greenhouse" / "anthropic-jobs-content-2026-07.json"
    jobs = json.loads(path.read_text(encoding="utf-8"))["jobs"]
    for job in jobs:
        out = clean_text(job["content"])
        assert "&lt;" not in out and "<div" not in out and "<p>" not in out
        assert out.startswith("About Anthropic")

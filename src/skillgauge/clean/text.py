"""Turn posting text (HTML, escaped HTML or plain text) into normalised plain text.

Why this exists: extraction matches terms on words, so cleaning must never glue two words together
("<li>Python</li><li>SQL</li>" must not become "PythonSQL") and must be stable (cleaning twice gives
the same text, so fingerprints of stored, already-cleaned text equal those of fresh input).

The HTML path is selectolax's lexbor backend (the only one in selectolax >= 1.0; the old Modest
``HTMLParser`` now raises ImportError). Block tags are found in the raw markup (regular expressions,
or one compiled pass over its "<" characters) and a newline marker is put in front of each, then
lexbor parses once and returns the text with entities decoded. That is faster than walking the DOM
in Python, and the markers cannot land inside a tag because they are only placed before a ``<``.
``benchmarks/clean.py`` measures it against a stdlib ``html.parser`` baseline.

Not attempted on purpose: restoring line breaks that a source already lost (LinkedIn 2018 text reads
"...delivery!We're..."); guessing where they were would invent word boundaries.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable

from selectolax.lexbor import LexborHTMLParser

__all__ = ["clean_field", "clean_text", "html_to_text", "looks_like_html", "normalize_text"]

# Tags whose start or end is a line break in the rendered text. <li> gets a "- " bullet instead.
_BLOCK_NAMES = frozenset(
    (
        "address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl", "dt",
        "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
        "header", "hr", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody",
        "thead", "tfoot", "tr", "ul",
    )
)  # fmt: skip
_BLOCK_RE = re.compile(rf"<(?=/?(?:{'|'.join(sorted(_BLOCK_NAMES))})\b)", re.IGNORECASE)
_LI_RE = re.compile(r"<(?=li\b)", re.IGNORECASE)
# Cells: a space, so "<td>a</td><td>b</td>" stays two words.
_CELL_RE = re.compile(r"<(?=/?t[dh]\b)", re.IGNORECASE)
_DROP_TAGS = ["script", "style", "noscript", "template", "head", "svg", "iframe", "object"]

_TAG_RE = re.compile(r"<[a-zA-Z!/][^>]*>")
# What counts as markup when deciding whether to parse: known element names only, so HN text such
# as "maksym <at> example.com" or "<your name>" (written escaped, decoded by the first clean) is
# not taken for a tag when cleaned text is cleaned again.
_HTML_ELEMENTS = (
    "a|abbr|address|article|aside|b|big|blockquote|body|br|button|caption|center|cite|code|col|"
    "colgroup|dd|del|details|dfn|div|dl|dt|em|figcaption|figure|font|footer|form|h[1-6]|head|"
    "header|hr|html|i|iframe|img|input|ins|kbd|label|li|link|main|mark|meta|nav|noscript|object|"
    "ol|option|p|pre|q|s|samp|script|section|select|small|span|strike|strong|style|sub|summary|"
    "sup|svg|table|tbody|td|template|textarea|tfoot|th|thead|title|tr|tt|u|ul|var|wbr"
)
_MARKUP_RE = re.compile(rf"</?(?:{_HTML_ELEMENTS})(?:\s[^>]*)?/?>|<!--|<!doctype", re.IGNORECASE)
_ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")
_ESCAPED_TAG_RE = re.compile(r"&lt;/?[a-zA-Z][a-zA-Z0-9]*(?:\s|/?&gt;)")


# ASCII control characters other than tab, newline and carriage return; \v, \f and the
# separators \x1c-\x1e are line breaks to str.splitlines, so they become "\n", the rest go.
_ASCII_CONTROLS = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_ASCII_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f]")
_ASCII_BYTES = bytes(range(128))
_LINE_BREAK_CHARS = frozenset("\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def looks_like_html(text: str) -> bool:
    """True when ``text`` holds an HTML tag (a known element), an entity or escaped markup: only
    then is it parsed."""
    if "<" in text and _MARKUP_RE.search(text):
        return True
    return "&" in text and _ENTITY_RE.search(text) is not None


def _unescape_if_escaped_markup(text: str) -> str:
    """Greenhouse sends HTML escaped once ("&lt;p&gt;..."). Unescape it once, but only when the text
    has escaped tags and no real ones: an HN post *writing about* "&lt;div&gt;" keeps its text."""
    if "&lt;" in text and _ESCAPED_TAG_RE.search(text) and not _TAG_RE.search(text):
        return html.unescape(text)
    return text


def html_to_text(markup: str) -> str:
    """Render HTML to plain text with block elements as line breaks and list items as "- ".

    Script, style and similar non-text elements are dropped; entities are decoded. Text with no
    "<" and no "&" is returned as is (no parse); text with "&" but no tag is only unescaped.
    The result is not normalised (see ``normalize_text``).
    """
    if "<" not in markup and "&" not in markup:
        return markup
    markup = _unescape_if_escaped_markup(markup)
    if "<" not in markup:
        return html.unescape(markup)
    tree = LexborHTMLParser(_mark_breaks(markup))
    tree.strip_tags(_DROP_TAGS)
    body = tree.body
    if body is None:
        return ""
    text: str = body.text(deep=True, separator="", strip=False)
    return text


def _mark_breaks_re(markup: str) -> str:
    """A line break before each block element's tag, "- " after one before each list item, a
    space before each table cell: markers lexbor keeps as text (they are only placed before a "<",
    so they never land inside a tag). The compiled ``_spaces.mark_breaks`` gives the same string
    in one pass (tests/clean/test_spaces.py) and is used when built."""
    marked = _BLOCK_RE.sub("\n<", markup)
    marked = _LI_RE.sub("\n- <", marked)
    return _CELL_RE.sub(" <", marked)


def _mark_breaks(markup: str) -> str:
    if _compiled_mark_breaks is not None:
        return _compiled_mark_breaks(markup, _BLOCK_NAMES)
    return _mark_breaks_re(markup)


def _ascii_control(match: re.Match[str]) -> str:
    return "\n" if match.group() in _LINE_BREAK_CHARS else ""


def _scan(text: str, compiled: bool = True) -> tuple[bool, bool, str]:
    """What the head of ``normalize_text`` needs to know of ``text``: whether it holds an ASCII
    control other than tab, newline and carriage return, whether it holds a carriage return, and
    its distinct non-ASCII characters (a str, each once).

    The compiled ``_spaces.control_scan`` finds all three in one pass when built; else the ASCII
    bytes of the UTF-8 are deleted to find the characters, and a bytes ``translate`` tests the
    controls.
    """
    if compiled and _control_scan is not None:
        return _control_scan(text)
    raw = text.encode("utf-8", "surrogatepass")
    controls = len(raw.translate(None, _ASCII_CONTROLS)) != len(raw)
    if len(raw) == len(text):
        return controls, "\r" in text, ""
    distinct = raw.translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass")
    return controls, "\r" in text, "".join(dict.fromkeys(distinct))


def _strip_controls(text: str, *, compiled: bool = True) -> str:
    """Delete control, format (zero-width space/joiners, BOM, soft hyphen, bidi marks) and
    surrogate characters; make the Unicode line separators "\n" and other spaces " "."""
    controls, _, distinct = _scan(text, compiled)
    return _strip_found(text, controls, distinct)


def _strip_found(text: str, controls: bool, distinct: str) -> str:
    """``_strip_controls`` given what ``_scan`` found. Works per *distinct* non-ASCII character and
    only when an ASCII control is there: a regex over the whole text is ten times slower on
    non-ASCII strings, and almost no text needs any change."""
    if controls:
        text = _ASCII_CONTROL_RE.sub(_ascii_control, text)
    for ch in distinct:
        if ch in _LINE_BREAK_CHARS:
            text = text.replace(ch, "\n")
        elif ch.isspace():  # no-break and other Unicode spaces (NFKC would map most anyway)
            text = text.replace(ch, " ")
        elif unicodedata.category(ch) in ("Cc", "Cf", "Cs"):
            text = text.replace(ch, "")
    return text


def normalize_text(text: str) -> str:
    """Unicode NFKC, "\n" line endings, no zero-width/control characters, single spaces, at most
    one blank line between paragraphs, no leading/trailing whitespace. Idempotent."""
    controls, cr, distinct = _scan(text)
    if cr:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Delete before NFKC: deleting a zero-width char afterwards could join a base letter and a
    # combining mark that NFKC would then compose on a second run (breaking idempotence). NFKC can
    # itself produce such characters (rarely), so repeat until stable.
    text = _strip_found(text, controls, distinct)
    while not text.isascii() and not unicodedata.is_normalized("NFKC", text):
        text = _strip_controls(unicodedata.normalize("NFKC", text))
    # Only " " and "\n" are left as whitespace at this point, besides tabs.
    return _collapse_whitespace(text)


def collapse_whitespace(text: str) -> str:
    """Tabs as spaces, single spaces, no space beside a newline, at most one blank line, nothing
    at either end: each run of spaces, tabs and newlines becomes one space when it holds no
    newline, else one or two newlines.

    With ``str.replace`` only (C loops; regexes are slow on non-ASCII strings); the compiled
    ``_spaces.collapse_whitespace`` does the same in one pass and is used when built.
    """
    text = text.replace("\t", " ")
    while "  " in text:
        text = text.replace("  ", " ")
    text = text.replace(" \n", "\n").replace("\n ", "\n")
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip(" \n")


_collapse_whitespace: Callable[[str], str]
_control_scan: Callable[[str], tuple[bool, bool, str]] | None
_compiled_mark_breaks: Callable[[str, frozenset[str]], str] | None
try:  # optional: the pure-Python definitions give the same strings
    from skillgauge.clean._spaces import collapse_whitespace as _collapse_whitespace
    from skillgauge.clean._spaces import control_scan as _control_scan
    from skillgauge.clean._spaces import mark_breaks as _compiled_mark_breaks
except ImportError:  # pragma: no cover - depends on the build
    _collapse_whitespace = collapse_whitespace
    _control_scan = _compiled_mark_breaks = None


def clean_text(raw: str | None) -> str:
    """Posting body to clean text: ``html_to_text`` when it looks like HTML, then ``normalize_text``.

    ``None`` gives "". Idempotent for text whose cleaned form has no tag or entity left in it (a
    decoded "&lt;div&gt;" becomes a literal "<div>", which a second run would read as markup).
    """
    if not raw:
        return ""
    if looks_like_html(raw):
        raw = html_to_text(raw)
    return normalize_text(raw)


def clean_field(raw: str | None) -> str:
    """A short field (title, company, location): ``clean_text`` on one line, single spaces."""
    text = clean_text(raw)
    if "\n" in text:
        text = " ".join(text.split())
    return text

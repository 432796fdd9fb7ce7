"""Readers for the public annotation sets, and the rule that turns an annotated span into gold
technology terms.

SkillSpan (Zhang et al., NAACL 2022) is token-level BIO in two layers; technologies are mostly in
the KNOWLEDGE layer. Decorte TECH (Decorte et al., 2022) is (sentence, span, sub_span, ESCO
label) rows with exact duplicates, removed here. Both readers are pure over their input lines so
tests can feed them tiny fixtures; ``read_*_files`` are the only functions that open files.

The gold rule (docs/accuracy.md has the long form), per annotated span:

1. the taxonomy's matcher, run on the span text alone and *without* the context rules (the
   annotator already said the span is knowledge, which is the context), finds terms: those are
   gold (a match failure of the extractor on the full sentence is then a real miss);
2. else the span is in ``REVIEWED`` (technology spans read by hand): gold is the listed term when
   the taxonomy has it (a matching miss), else a taxonomy-gap id (a taxonomy miss);
3. else the span looks like a product name (a token with an inner capital: ``SpecFlow``,
   ``KeyVault``): a taxonomy-gap id;
4. else it is not a technology mention.

Rules 2-3 are what keep recall from being 1.0 by construction. Their bias: lower-case and
ordinary-word product names that are neither reviewed nor CamelCase are not counted, so recall is
an upper bound.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from skillgauge.evaluate.scoring import GAP_PREFIX
from skillgauge.exceptions import SourceNotFound
from skillgauge.extract.context import fold
from skillgauge.extract.matcher import Matcher

#: Technology spans (folded, trimmed) seen in SkillSpan/Decorte KNOWLEDGE spans that the matcher
#: does not match on the span alone, reviewed by hand: -> the taxonomy term a human would map them
#: to, or ``None`` when the taxonomy has no such term. Concepts ("cloud", "machine learning", "REST
#: principles") are deliberately absent: they are not products.
REVIEWED: dict[str, str | None] = {
    "r": "r",
    "c": "c",
    "go": "go",
    "react": "react",
    "spring": "spring",
    "cypress": "cypress",
    "dax": "dax",
    "rest": "rest-api",
    "amazon-web-services": "aws",
    "google-cloud-platform": "gcp",
    "ruby-on-rails": "rails",
    ".net core": "dotnet",
    ".net-core": "dotnet",
    ".net framework": "dotnet",
    ".net webapi": "dotnet",
    "jest/enzyme": "jest",
    "hibernate": None,
    "nunit": None,
    "expecto": None,
    "canopy": None,
    "loggly": None,
    "pentaho": None,
    "blazor": None,
    "truffle": None,
    "chai": None,
    "less": None,
    "shapely": None,
    "spree commerce": None,
    "dynamics 365": None,
    "ms dynamics 365": None,
    "dynamics-365": None,
    "microsoft-dynamics": None,
    "dynamics crm": None,
    "jms": None,
    "ibm mq": None,
    "apache camel": None,
    "aurora": None,
    "singer": None,
    "dhis2": None,
    "iis": None,
    "api management": None,
    "blackfire": None,
    "infer#": None,
    ".net analyzers": None,
}

#: CamelCase words that are not products.
_NOT_PRODUCTS = frozenset({"ecommerce", "saas", "paas", "iaas", "phd", "bsc", "msc", "devops"})
_CAMEL = re.compile(r"[a-z][A-Z]")
_EDGES = " \t()[];:,.?!&\"'"


def normalise_span(text: str) -> str:
    """Folded, trimmed of brackets and punctuation at the edges, single-spaced (".NET" keeps its
    leading dot only when something follows it)."""
    s = " ".join(fold(text).split())
    lead = "." if s.startswith(".") and len(s) > 1 and s[1].isalpha() else ""
    return lead + s.strip(_EDGES) if lead else s.strip(_EDGES)


def product_like(text: str) -> bool:
    """A token with an inner capital (``SpecFlow``, ``KeyVault``), not a known non-product."""
    return any(
        _CAMEL.search(tok) and tok.strip(_EDGES).lower() not in _NOT_PRODUCTS
        for tok in text.split()
    )


@dataclass(frozen=True, slots=True)
class Span:
    """An annotated span: character offsets into its sentence, its layer and (Decorte) label."""

    start: int
    end: int
    text: str
    layer: str  # "knowledge", "skill" or "decorte"
    label: str = ""


@dataclass(frozen=True, slots=True)
class Sentence:
    sentence_id: str
    text: str
    spans: tuple[Span, ...]


def decode_bio(tags: Sequence[str]) -> list[tuple[int, int]]:
    """``[start, end)`` token ranges of the BIO spans. An ``I-`` with no open span starts one
    (annotators' slips exist); ``O`` or a new ``B-`` closes the open span."""
    spans: list[tuple[int, int]] = []
    start: int | None = None
    for i, tag in enumerate(tags):
        if tag.startswith("B") or (tag.startswith("I") and start is None):
            if start is not None:
                spans.append((start, i))
            start = i
        elif not tag.startswith("I") and start is not None:
            spans.append((start, i))
            start = None
    if start is not None:
        spans.append((start, len(tags)))
    return spans


def join_tokens(tokens: Sequence[str]) -> tuple[str, list[int]]:
    """Tokens joined by spaces, and each token's start offset.

    One repair: SkillSpan splits ".NET" into "." "NET"; the dot is glued to a following
    "net..." token so the text reads as the posting did.
    """
    parts: list[str] = []
    starts: list[int] = []
    pos = 0
    for i, tok in enumerate(tokens):
        glue = i > 0 and tokens[i - 1] == "." and tok.lower().startswith("net")
        if i > 0 and not glue:
            parts.append(" ")
            pos += 1
        starts.append(pos)
        parts.append(tok)
        pos += len(tok)
    return "".join(parts), starts


def parse_skillspan(lines: Iterable[str], *, split: str = "") -> list[Sentence]:
    """SkillSpan JSON lines -> sentences with their KNOWLEDGE and SKILL spans."""
    out: list[Sentence] = []
    for n, line in enumerate(lines):
        if not line.strip():
            continue
        rec = json.loads(line)
        tokens: list[str] = rec["tokens"]
        text, starts = join_tokens(tokens)
        spans: list[Span] = []
        for layer, key in (("knowledge", "tags_knowledge"), ("skill", "tags_skill")):
            for s, e in decode_bio(rec[key]):
                a, b = starts[s], starts[e - 1] + len(tokens[e - 1])
                spans.append(Span(a, b, text[a:b], layer))
        sid = f"skillspan/{split}:{rec.get('source', '')}:{rec.get('idx', '')}:{n}"
        out.append(Sentence(sid, text, tuple(spans)))
    return out


def parse_decorte(text: str, *, name: str = "") -> list[Sentence]:
    """Decorte CSV text -> sentences (rows grouped by sentence in first-seen order), exact
    duplicate rows dropped. A span not found in its sentence keeps offsets -1."""
    seen: set[tuple[str, ...]] = set()
    grouped: dict[str, list[Span]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        key = (row["sentence"], row["span"], row.get("sub_span") or "", row["label"])
        if key in seen:
            continue
        seen.add(key)
        sentence, span = row["sentence"], row["span"]
        start = sentence.find(span) if span else -1
        end = start + len(span) if start >= 0 else -1
        grouped.setdefault(sentence, []).append(Span(start, end, span, "decorte", row["label"]))
    return [
        Sentence(f"{name}:{i}", sentence, tuple(spans))
        for i, (sentence, spans) in enumerate(grouped.items())
    ]


def _read_text(path: Path) -> str:
    if not path.is_file():
        raise SourceNotFound(f"annotation file not found: {path}")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return fh.read()


def read_skillspan(directory: Path, splits: Sequence[str] = ("test",)) -> list[Sentence]:
    """The SkillSpan sentences of ``splits`` from ``directory/<split>.json.gz``."""
    out: list[Sentence] = []
    for split in splits:
        out.extend(
            parse_skillspan(_read_text(directory / f"{split}.json.gz").splitlines(), split=split)
        )
    return out


def read_decorte(
    directory: Path, files: Sequence[str] = ("tech_test", "tech_validation")
) -> list[Sentence]:
    """Decorte sentences from ``directory/<file>_annotations.csv.gz``, de-duplicated per file
    and then merged by sentence text (a sentence in two files keeps every distinct row)."""
    merged: dict[str, list[Span]] = {}
    for f in files:
        for s in parse_decorte(_read_text(directory / f"{f}_annotations.csv.gz"), name=f):
            bucket = merged.setdefault(s.text, [])
            bucket.extend(sp for sp in s.spans if sp not in bucket)
    return [
        Sentence(f"decorte-tech:{i}", text, tuple(spans))
        for i, (text, spans) in enumerate(merged.items())
    ]


class GoldRule:
    """Maps an annotated span to gold term ids (the module docstring's rules 1-4)."""

    def __init__(self, matcher: Matcher, term_ids: Iterable[str], labels: dict[str, str]) -> None:
        self._matcher = matcher
        self._ids = frozenset(term_ids)
        self._labels = labels  # folded term label or alias -> term id

    @classmethod
    def from_taxonomy_terms(
        cls, matcher: Matcher, terms: Iterable[tuple[str, str, Sequence[str]]]
    ) -> GoldRule:
        """``terms``: (id, label, alias texts) per taxonomy term."""
        labels: dict[str, str] = {}
        ids: list[str] = []
        for tid, label, aliases in terms:
            ids.append(tid)
            for name in (label, *aliases):
                labels.setdefault(normalise_span(name), tid)
        return cls(matcher, ids, labels)

    def terms_of_span(self, text: str) -> frozenset[str]:
        """Gold term ids of a technology span (a gap id when the taxonomy lacks it), or empty."""
        found = {e.term_id for _, _, e in self._matcher.candidates(text)}
        if found:
            return frozenset(found)
        key = normalise_span(text)
        if key in REVIEWED:
            tid = REVIEWED[key]
            return frozenset({tid if tid in self._ids else GAP_PREFIX + key})
        if product_like(text):
            return frozenset({GAP_PREFIX + key})
        return frozenset()

    def terms_of_label(self, label: str) -> frozenset[str]:
        """The term an ESCO label names exactly (``Java (computer programming)`` -> java)."""
        base = re.sub(r"\s*\([^)]*\)\s*$", "", label)
        tid = self._labels.get(normalise_span(base))
        return frozenset({tid}) if tid else frozenset()

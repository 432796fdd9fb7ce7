"""Match ESCO skill concepts to existing terms by label, for their concept URIs.

Why only enrichment: the ESCO file at hand is the cross-sector and transversal subset (4,199
concepts), whose labels are skills ("use spreadsheets software"), not products. A concept whose
preferred label (a trailing "software" aside) equals an alias of a term (case, spaces and
punctuation aside) gives that term its ``esco_uri``; nothing is imported as a term.

Why preferred labels only by default: in the copy at hand the ``altLabels`` column is shifted
against the rows (the concept "waste transport legislation" carries spreadsheet product names, the
SAS concept carries VAT-law labels), so an alternative label says nothing about its row's URI.
``use_alternatives=True`` is there for a clean ESCO download.

With a full ESCO download (``skills_en.csv`` of the skill pillar; its columns include
``conceptUri, preferredLabel, altLabels`` among others), a term whose reviewed ``esco_label``
(see ``esco_labels``) equals a concept's preferred label gets that concept's URI first: the label
names the concept, so that match needs no alias rule.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from skillgauge.exceptions import DataFileError, SourceNotFound
from skillgauge.taxonomy.model import ESCO_URI_PREFIX, Taxonomy

from .names import clean_example, norm_key

SOURCE = "esco-1.1"
FILE = "esco_skills/skills_en.csv.gz"
#: Where ``read_esco`` looks, in order: the shared copy, then a full ESCO download (the CSV as
#: ESCO ships it, in ``esco_skills/`` or directly in the data directory).
CANDIDATE_FILES = (FILE, "esco_skills/skills_en.csv", "skills_en.csv")
COLUMNS = ("conceptUri", "preferredLabel", "altLabels")


@dataclass(frozen=True, slots=True)
class EscoConcept:
    """One ESCO skill concept: its URI, preferred label and alternative labels."""

    uri: str
    preferred: str
    alternatives: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EscoMatch:
    """A concept whose label equals an alias of ``term_id`` (``by="alias"``) or the term's
    reviewed ``esco_label`` (``by="esco_label"``)."""

    term_id: str
    concept: EscoConcept
    label: str
    by: str = "alias"


def parse_concepts(text: str, *, source: str = FILE) -> list[EscoConcept]:
    """Concepts from the CSV text (``altLabels`` holds one label per line)."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise DataFileError(f"{source}: lacks the column(s) {', '.join(missing)}")
    out = []
    for row in reader:
        uri = (row["conceptUri"] or "").strip()
        if not uri.startswith(ESCO_URI_PREFIX):
            continue
        alts = tuple(a.strip() for a in (row["altLabels"] or "").splitlines() if a.strip())
        out.append(EscoConcept(uri, (row["preferredLabel"] or "").strip(), alts))
    return out


def read_esco(data_dir: Path) -> list[EscoConcept]:
    """The concepts of the first of ``CANDIDATE_FILES`` in ``data_dir`` (gzip or plain CSV; a
    byte-order mark, as in ESCO's own download, is dropped)."""
    for name in CANDIDATE_FILES:
        path = data_dir / name
        if path.is_file():
            break
    else:
        raise SourceNotFound(
            f"ESCO skills file not found in {data_dir} (looked for {', '.join(CANDIDATE_FILES)})"
        )
    if path.suffix == ".gz":
        with gzip.open(path, "rt", encoding="utf-8-sig", newline="") as fh:
            return parse_concepts(fh.read(), source=str(path))
    return parse_concepts(path.read_text(encoding="utf-8-sig"), source=str(path))


def match_concepts(
    concepts: Iterable[EscoConcept], taxonomy: Taxonomy, *, use_alternatives: bool = False
) -> list[EscoMatch]:
    """Concepts whose preferred (or, if asked, alternative) label equals a term's alias.

    A term matched by several concepts keeps the one matched by its preferred label, else the
    first; a concept matching two terms is left out (ambiguous), as is a label shorter than 2.
    A concept whose preferred label is a term's ``esco_label`` wins over any alias match.
    """
    owner: dict[str, str] = {}
    for term in taxonomy.terms:
        for alias in term.aliases:
            owner.setdefault(norm_key(alias.text), term.id)
    labelled = {t.esco_label: t.id for t in taxonomy.terms if t.esco_label}
    best: dict[str, tuple[int, EscoMatch]] = {}
    for concept in concepts:
        if concept.preferred in labelled:
            term_id = labelled[concept.preferred]
            best[term_id] = (-1, EscoMatch(term_id, concept, concept.preferred, "esco_label"))
            continue
        hits: dict[str, tuple[int, str]] = {}
        labels = (
            (concept.preferred, *concept.alternatives) if use_alternatives else (concept.preferred,)
        )
        for rank, label in enumerate(labels):
            key = norm_key(clean_example(label))
            if len(key) < 2 or key not in owner:
                continue
            hits.setdefault(owner[key], (0 if rank == 0 else 1, label))
        if len(hits) != 1:
            continue
        ((term_id, (rank, label)),) = hits.items()
        if term_id not in best or rank < best[term_id][0]:
            best[term_id] = (rank, EscoMatch(term_id, concept, label))
    return sorted((m for _, m in best.values()), key=lambda m: m.term_id)


def esco_diff_markdown(matches: list[EscoMatch], n_concepts: int) -> str:
    """The review diff of an ESCO import: proposed enrichments, one row per term."""
    lines = [
        "# ESCO import: candidates for review",
        "",
        f"{n_concepts} ESCO concepts read; {len(matches)} match an existing term by label "
        "(proposed: set the term's `esco_uri`). ESCO labels are skills, not products: no new "
        "terms are proposed.",
        "",
        "| term | ESCO preferred label | matched label | matched by | concept URI |",
        "|---|---|---|---|---|",
    ]
    for m in matches:
        lines.append(
            f"| {m.term_id} | {m.concept.preferred} | {m.label} | {m.by} | {m.concept.uri} |"
        )
    return "\n".join(lines) + "\n"

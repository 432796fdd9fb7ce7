"""The review log: one row per reviewed candidate, and the packaged files built from it.

Why a log file and not hand edits of the YAML: the decision and its reason stay reviewable later
(why was "Microsoft Word" imported as "MS Word" only? why was "Web browser" rejected?), and the
imported files can be rebuilt from the log and the source data at any time, so a fix to the rules
or a new O*NET release re-runs the same decisions.

Columns of ``taxonomy/review/<source>.csv``:

``id``        the term id (new id for ``accept``; the existing term for ``enrich``)
``decision``  ``accept`` (a new term), ``enrich`` (ids for an existing term) or ``reject``
``label``, ``category``   of a new term
``aliases``   ``|``-separated; a leading ``=`` marks a case-sensitive alias (``=Box``)
``examples``  ``|``-separated O*NET examples (or one ESCO concept URI, or one ESCO preferred label)
              the row stands for
``reason``    why, in words
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from skillgauge.exceptions import DataFileError

from .candidates import Candidate, onet_ref
from .onet import LICENCE, SOURCE, OnetExample

COLUMNS = ("id", "decision", "label", "category", "aliases", "examples", "reason")
DECISIONS = ("accept", "enrich", "reject")


@dataclass(frozen=True, slots=True)
class ReviewRow:
    """One decision of the review log."""

    id: str
    decision: str
    label: str
    category: str
    aliases: tuple[str, ...]
    examples: tuple[str, ...]
    reason: str


def _split(cell: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in cell.split("|") if p.strip())


def read_review(text: str, *, source: str = "<review>") -> list[ReviewRow]:
    """Parse a review log; an unknown decision or a missing column is a ``DataFileError``."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise DataFileError(f"{source}: lacks the column(s) {', '.join(missing)}")
    rows = []
    for line, raw in enumerate(reader, start=2):
        decision = (raw["decision"] or "").strip()
        if decision not in DECISIONS:
            raise DataFileError(f"{source}: line {line}: decision {decision!r} not in {DECISIONS}")
        rows.append(
            ReviewRow(
                id=(raw["id"] or "").strip(),
                decision=decision,
                label=(raw["label"] or "").strip(),
                category=(raw["category"] or "").strip(),
                aliases=_split(raw["aliases"] or ""),
                examples=_split(raw["examples"] or ""),
                reason=(raw["reason"] or "").strip(),
            )
        )
    return rows


def write_review(rows: Iterable[ReviewRow]) -> str:
    """The review log as CSV text (the inverse of ``read_review``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in rows:
        writer.writerow(
            [
                r.id,
                r.decision,
                r.label,
                r.category,
                "|".join(r.aliases),
                "|".join(r.examples),
                r.reason,
            ]
        )
    return out.getvalue()


def proposal(c: Candidate, decision: str, reason: str) -> ReviewRow:
    """A review row that takes a candidate as proposed."""
    return ReviewRow(
        id=c.target or c.term_id,
        decision=decision,
        label=c.label,
        category=c.category.value,
        aliases=c.aliases,
        examples=tuple(e.example for e in c.examples),
        reason=reason,
    )


def _alias(text: str) -> str | dict[str, Any]:
    if text.startswith("="):
        return {"text": text[1:], "case_sensitive": True}
    return text


def apply_review(
    rows: Iterable[ReviewRow], examples: Mapping[str, OnetExample]
) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """The accepted new terms (term dicts for ``terms_imported.yaml``) and the O*NET ids of the
    enriched existing terms (for ``standard_ids.yaml``). An example the data lacks is an error:
    the log and the data must be of the same release."""
    terms: list[dict[str, Any]] = []
    ids: dict[str, dict[str, Any]] = {}

    def refs(row: ReviewRow) -> list[dict[str, Any]]:
        unknown = [e for e in row.examples if e not in examples]
        if unknown:
            raise DataFileError(
                f"review row {row.id!r}: O*NET example(s) not in the data: {unknown}"
            )
        return [onet_ref(examples[e]) for e in row.examples]

    for row in rows:
        if row.decision == "accept":
            terms.append(
                {
                    "id": row.id,
                    "label": row.label,
                    "category": row.category,
                    "aliases": [_alias(a) for a in row.aliases],
                    "onet": refs(row),
                    "source": SOURCE,
                    "licence": LICENCE,
                }
            )
        elif row.decision == "enrich":
            entry = ids.setdefault(row.id, {})
            entry.setdefault("onet", []).extend(refs(row))
    return terms, ids


def esco_ids(rows: Iterable[ReviewRow]) -> dict[str, dict[str, Any]]:
    """``enrich`` rows of an ESCO review log: term id -> {esco_uri}. One URI per term."""
    ids: dict[str, dict[str, Any]] = {}
    for row in rows:
        if row.decision != "enrich":
            continue
        if len(row.examples) != 1:
            raise DataFileError(f"ESCO review row {row.id!r}: expected one concept URI")
        if row.id in ids:
            raise DataFileError(f"ESCO review: term {row.id!r} has two concept URIs")
        ids[row.id] = {"esco_uri": row.examples[0]}
    return ids


def esco_label_ids(
    rows: Iterable[ReviewRow], known: Collection[str] | None = None
) -> dict[str, dict[str, Any]]:
    """``enrich`` rows of an ESCO label review log: term id -> {esco_label}.

    One label per term and one term per label (a preferred label names one concept). With
    ``known`` (the release's label list), a label it lacks is an error: the log and the list must
    be of the same ESCO release.
    """
    ids: dict[str, dict[str, Any]] = {}
    owner: dict[str, str] = {}
    for row in rows:
        if row.decision != "enrich":
            continue
        if len(row.examples) != 1:
            raise DataFileError(f"ESCO label review row {row.id!r}: expected one ESCO label")
        label = row.examples[0]
        if row.id in ids:
            raise DataFileError(f"ESCO label review: term {row.id!r} has two ESCO labels")
        if label in owner:
            raise DataFileError(
                f"ESCO label review: label {label!r} is on terms {owner[label]!r} and {row.id!r}"
            )
        if known is not None and label not in known:
            raise DataFileError(
                f"ESCO label review row {row.id!r}: {label!r} not in the label list"
            )
        owner[label] = row.id
        ids[row.id] = {"esco_label": label}
    return ids


def merge_ids(*parts: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Several sources' ids for the same terms, one mapping (sorted by term id)."""
    out: dict[str, dict[str, Any]] = {}
    for part in parts:
        for term_id, fields in part.items():
            out.setdefault(term_id, {}).update(fields)
    return dict(sorted(out.items()))


IMPORTED_HEADER = """\
# Terms imported from O*NET 29.2 (Technology Skills) after review. Generated by
# `skillgauge taxonomy import apply` from taxonomy/review/onet-29.2.csv: edit the review log, not
# this file. O*NET content: "O*NET 29.2 Database by the U.S. Department of Labor, Employment and
# Training Administration (USDOL/ETA)", licensed under CC BY 4.0; labels and aliases adapted.
"""

IDS_HEADER = """\
# Standard ids of existing terms: O*NET 29.2 technology examples (CC BY 4.0, USDOL/ETA) and ESCO
# concepts (European Commission, ESCO classification; reuse with attribution, Decision 2011/833/EU).
# Generated by `skillgauge taxonomy import apply` from taxonomy/review/*.csv: edit the review logs,
# not this file. `esco_label` is the ESCO 1.1.0 skill preferred label (unique in the skill pillar,
# so it names the concept), matched against the ESCO 1.1.0 label list of the Decorte et al.
# skill-extraction benchmark (jensjorisdecorte/Skill-Extraction-benchmark, no licence stated there)
# and reviewed in review/esco-labels-1.1.0.csv. That list has no URIs: `esco_uri` needs the full
# ESCO download (`skillgauge taxonomy import esco --data DIR` with its skills_en.csv, then
# review/esco.csv). No Wikidata QIDs: there is no Wikidata data offline, and none is guessed.
"""


def imported_yaml(terms: list[dict[str, Any]]) -> str:
    """``terms_imported.yaml``: one flow-style line of YAML per term, as in terms.yaml."""
    lines = [
        IMPORTED_HEADER.rstrip("\n"),
        "name: skillgauge-imported",
        f"source: {SOURCE}",
        "terms:",
    ]
    for term in terms:
        body = yaml.safe_dump(
            term, default_flow_style=True, sort_keys=False, allow_unicode=True, width=10_000
        ).strip()
        lines.append(f"  - {body}")
    return "\n".join(lines) + "\n"


def standard_ids_yaml(ids: Mapping[str, Mapping[str, Any]]) -> str:
    """``standard_ids.yaml``: term id -> ids, one flow-style line per term."""
    lines = [IDS_HEADER.rstrip("\n"), "ids:"]
    for term_id, fields in ids.items():
        body = yaml.safe_dump(
            dict(fields), default_flow_style=True, sort_keys=False, allow_unicode=True, width=10_000
        ).strip()
        lines.append(f"  {term_id}: {body}")
    return "\n".join(lines) + "\n"

"""Match ESCO 1.1.0 skill preferred labels to existing terms, for their ``esco_label``.

Why labels and not URIs: the only full list of ESCO's skill pillar at hand is the 13,896 preferred
labels of ESCO 1.1.0 shipped with the Decorte et al. skill-extraction benchmark
(``decorte_skill_extraction/skills_en_label.txt.gz``, no URIs; the ESCO file with URIs is the
cross-sector/transversal subset, which has no technologies). A preferred label is unique inside the
skill pillar, so it names the concept, and ESCO's own download or API turns it into the URI
(``skillgauge taxonomy import esco`` with a full ``skills_en.csv`` does that).

The rules are those of the other imports (``clean_example`` then ``norm_key``: case, spaces,
punctuation and a trailing "software" aside), plus one of ESCO's: a trailing parenthesised
qualifier that disambiguates a name ("Swift (computer programming)", "Chef (tools for software
configuration management)") is dropped before matching. Refused, never guessed:

* a label whose matching form belongs to two terms (ambiguous);
* a generic label (a discipline or category, "computer programming"), and a label that is nothing
  but a qualifier;
* a "(computer programming)" label on a term that is not a language ("ML (computer programming)"
  is the ML language, not machine learning);
* a label that differs in case from a term's case-sensitive alias ("SWIFT" is not "Swift");
* a second label for one term, unless one of them is the term's own label (ESCO has "Lisp" and
  "Common Lisp"; the term ``lisp`` takes "Lisp").

Everything proposed is still read by a reviewer (``taxonomy/review/esco-labels-1.1.0.csv``).

Licence: the label list's repository states no licence; the labels are ESCO's (European
Commission, reuse with attribution under Decision 2011/833/EU). Only the matched labels are kept in
the repository, each as a reviewed identifier of one concept.
"""

from __future__ import annotations

import gzip
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from skillgauge.exceptions import SourceNotFound
from skillgauge.taxonomy.model import Category, Taxonomy

from .names import clean_example, norm_key
from .review import ReviewRow

SOURCE = "esco-1.1.0-labels"
FILE = "decorte_skill_extraction/skills_en_label.txt.gz"
LICENCE_NOTE = (
    "ESCO 1.1.0 preferred labels (European Commission, ESCO classification; reuse with attribution, "
    "Decision 2011/833/EU), from the label list of jensjorisdecorte/Skill-Extraction-benchmark "
    "(no licence stated there)"
)
#: The qualifier that says the concept is a programming language.
PROGRAMMING = "computer programming"
#: Labels that name a discipline or a category of software, never one technology.
GENERIC_LABELS: frozenset[str] = frozenset(
    norm_key(label)
    for label in (
        "computer programming",
        "programming",
        "software",
        "computer science",
        "information technology",
        "ICT",
        "data",
        "database",
        "databases",
        "query languages",
        "scripting programming",
        "web programming",
        "cloud technologies",
        "operating systems",
        "mobile operating systems",
        "programming languages",
        "software frameworks",
        "development environment",
    )
)

_QUALIFIER = re.compile(r"\s*\(([^()]*)\)\Z")
_CASE_DROP = re.compile(r"[^0-9A-Za-z+#]+")


@dataclass(frozen=True, slots=True)
class LabelMatch:
    """An ESCO preferred ``label`` that names ``term_id`` (its form equals ``alias``)."""

    term_id: str
    label: str
    alias: str
    qualifier: str | None


@dataclass(frozen=True, slots=True)
class LabelRefusal:
    """A label that matched but was not proposed, and why."""

    label: str
    term_ids: tuple[str, ...]
    reason: str


@dataclass(frozen=True, slots=True)
class LabelMatching:
    """What ``match_labels`` found: proposals (sorted by term id) and refusals (by label)."""

    matches: tuple[LabelMatch, ...]
    refused: tuple[LabelRefusal, ...]


def parse_labels(text: str) -> list[str]:
    """One label per line; blank lines skipped, surrounding spaces dropped."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def read_labels(data_dir: Path) -> list[str]:
    """The labels of ``<data_dir>/decorte_skill_extraction/skills_en_label.txt.gz``."""
    path = data_dir / FILE
    if not path.is_file():
        raise SourceNotFound(f"ESCO label list not found: {path}")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return parse_labels(fh.read())


def split_qualifier(label: str) -> tuple[str, str | None]:
    """``"Swift (computer programming)"`` -> ``("Swift", "computer programming")``."""
    found = _QUALIFIER.search(label)
    if found is None:
        return label, None
    return label[: found.start()].strip(), found.group(1).strip()


def match_form(label: str) -> tuple[str, str | None, str]:
    """The name (qualifier dropped, cleaned), the qualifier, and the key it is matched by."""
    name, qualifier = split_qualifier(label)
    name = clean_example(name) if name else ""
    return name, qualifier, norm_key(name)


def _same_case(name: str, alias: str) -> bool:
    return _CASE_DROP.sub("", name) == _CASE_DROP.sub("", alias)


def match_labels(labels: Iterable[str], taxonomy: Taxonomy) -> LabelMatching:
    """Labels that name exactly one term, by the rules of the module docstring."""
    owners: dict[str, list[tuple[str, str, bool]]] = defaultdict(list)
    for term in taxonomy.terms:
        for alias in term.aliases:
            owners[norm_key(alias.text)].append((term.id, alias.text, alias.case_sensitive))
    refused: list[LabelRefusal] = []
    per_term: dict[str, list[LabelMatch]] = defaultdict(list)
    for label in labels:
        name, qualifier, key = match_form(label)
        hits = owners.get(key) if key else None
        if not hits:
            continue
        term_ids = tuple(sorted({t for t, _, _ in hits}))
        if key in GENERIC_LABELS:
            refused.append(LabelRefusal(label, term_ids, "generic label (a discipline/category)"))
            continue
        if len(term_ids) != 1:
            refused.append(LabelRefusal(label, term_ids, "ambiguous: matches several terms"))
            continue
        (term_id,) = term_ids
        usable = [(a, cs) for t, a, cs in hits if not cs or _same_case(name, a)]
        if not usable:
            refused.append(
                LabelRefusal(label, term_ids, "differs in case from a case-sensitive alias")
            )
            continue
        if qualifier == PROGRAMMING and taxonomy.by_id[term_id].category != Category.LANGUAGE:
            refused.append(
                LabelRefusal(label, term_ids, "a programming language; the term is not a language")
            )
            continue
        per_term[term_id].append(LabelMatch(term_id, label, usable[0][0], qualifier))
    matches: list[LabelMatch] = []
    for term_id, found in per_term.items():
        if len(found) == 1:
            matches.append(found[0])
            continue
        own = norm_key(taxonomy.by_id[term_id].label)
        keep = [m for m in found if match_form(m.label)[2] == own]
        if len(keep) == 1:
            matches.append(keep[0])
        reason = (
            "another label equals the term's own label"
            if len(keep) == 1
            else "several labels match the term"
        )
        refused.extend(
            LabelRefusal(m.label, (term_id,), reason) for m in found if m not in keep[:1]
        )
    return LabelMatching(
        tuple(sorted(matches, key=lambda m: m.term_id)),
        tuple(sorted(refused, key=lambda r: r.label)),
    )


def label_review_rows(matching: LabelMatching, taxonomy: Taxonomy) -> list[ReviewRow]:
    """Proposed review rows (``enrich``, one per match) for the reviewer to confirm or reject."""
    rows = []
    for m in matching.matches:
        term = taxonomy.by_id[m.term_id]
        how = f"qualifier ({m.qualifier}) dropped; " if m.qualifier else ""
        rows.append(
            ReviewRow(
                id=m.term_id,
                decision="enrich",
                label=term.label,
                category=term.category.value,
                aliases=(m.alias,),
                examples=(m.label,),
                reason=f"{how}equals alias {m.alias!r}",
            )
        )
    return rows


def labels_diff_markdown(matching: LabelMatching, n_labels: int) -> str:
    """The review diff: proposed ``esco_label``s, then the refused labels with the reason."""
    lines = [
        "# ESCO 1.1.0 labels: candidates for review",
        "",
        f"{n_labels:,} ESCO preferred labels read; {len(matching.matches)} name an existing term "
        f"(proposed: set the term's `esco_label`); {len(matching.refused)} refused.",
        f"Source: {LICENCE_NOTE}.",
        "",
        "## Proposed",
        "",
        "| term | ESCO preferred label | equals alias | qualifier dropped |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {m.term_id} | {m.label} | {m.alias} | {m.qualifier or ''} |" for m in matching.matches
    ]
    lines += ["", "## Refused", "", "| ESCO preferred label | terms | why |", "|---|---|---|"]
    lines += [f"| {r.label} | {', '.join(r.term_ids)} | {r.reason} |" for r in matching.refused]
    return "\n".join(lines) + "\n"

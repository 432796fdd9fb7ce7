"""Candidate terms from O*NET examples: new terms, enrichments of existing terms, and conflicts.

Why candidates and not terms: an import proposes, a person decides. Each O*NET example becomes a
proposal whose label, aliases and category follow fixed rules (``names``, ``COMMODITY_CATEGORY``),
matched against the current taxonomy by alias: a match *enriches* the existing term with its O*NET
ids; no match proposes a *new* term; an alias that two proposals or two existing terms claim is a
*conflict*. The candidates YAML and the Markdown diff are what the reviewer reads.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import yaml

from skillgauge.taxonomy.model import Category, Taxonomy

from .names import WordProfile, derive, norm_key, slug
from .onet import LICENCE, SOURCE, OnetExample

Kind = Literal["new", "enrich", "conflict"]

#: UNSPSC commodity (as O*NET files the example) -> the category a new term gets by default.
COMMODITY_CATEGORY: Mapping[str, Category] = {
    "43232306": Category.DATA_STORE,  # Data base user interface and query software
    "43232304": Category.DATA_STORE,  # Data base management system software
    "43232311": Category.DATA_STORE,  # Object oriented data base management software
    "43232302": Category.BIG_DATA,  # Clustering software
    "43232305": Category.BI,  # Data base reporting software
    "43232314": Category.BI,  # Business intelligence and data analysis software
    "43232307": Category.BI,  # Data mining software
    "43232105": Category.BI,  # Charting software
    "43232402": Category.IDE_TOOL,  # Development environment software
    "43232409": Category.IDE_TOOL,  # Compiler and decompiler software
    "43232405": Category.LANGUAGE,  # Object or component oriented development software
    "43232408": Category.WEB_FRAMEWORK,  # Web platform development software
    "43232701": Category.WEB_FRAMEWORK,  # Application server software
    "43232107": Category.FRONTEND,  # Web page creation and editing software
    "43232404": Category.FRONTEND,  # Graphical user interface development software
    "43232406": Category.TESTING,  # Program testing software
    "43232401": Category.DEVOPS,  # Configuration management software
    "43232801": Category.DEVOPS,  # Network monitoring software
    "43233701": Category.DEVOPS,  # Enterprise system management software
    "43232804": Category.DEVOPS,  # Administration software
    "43232203": Category.VERSION_CONTROL,  # File versioning software
    "43233004": Category.OS,  # Operating system software
    "43233002": Category.OS,  # Network operation system software
    "43233513": Category.CLOUD,  # Cloud-based data access and sharing software
    "43232806": Category.CLOUD,  # Cloud-based management software
    "43233205": Category.SECURITY,  # Transaction security and virus protection software
    "43233203": Category.SECURITY,  # Network security or VPN management software
    "43233204": Category.SECURITY,  # Network security and VPN equipment software
    "43233206": Category.SECURITY,  # Cloud-based protection or security software
    "43233201": Category.SECURITY,  # Authentication server software
    "43232403": Category.API_PROTOCOL,  # Enterprise application integration software
    "43232201": Category.COLLABORATION,  # Content workflow software
    "43231507": Category.COLLABORATION,  # Project management software
    "43233501": Category.COLLABORATION,  # Electronic mail software
    "43233502": Category.COLLABORATION,  # Video conferencing software
    "43233503": Category.COLLABORATION,  # Network conferencing software
    "43233504": Category.COLLABORATION,  # Instant messaging software
    "43232108": Category.COLLABORATION,  # Calendar and scheduling software
    "43232702": Category.COLLABORATION,  # Desktop communications software
    "43232202": Category.COLLABORATION,  # Document management software
    "43232605": Category.DATA_LIBRARY,  # Analytical or scientific software
    "43232610": Category.OTHER_TOOL,  # Medical software
}

#: Commodities whose examples are in scope for a data/ML/software vocabulary (the review order puts
#: them first; the rest are reviewed only when hot, in demand or widely used).
IN_SCOPE: frozenset[str] = frozenset(
    set(COMMODITY_CATEGORY) - {"43232610"}
    | {
        "43231602",  # ERP
        "43232303",  # CRM
        "43232104",  # Word processing
        "43232110",  # Spreadsheet
        "43231513",  # Office suite
        "43232106",  # Presentation
        "43232102",  # Graphics or photo imaging
        "43232103",  # Video creation and editing
        "43232112",  # Desktop publishing
        "43232604",  # CAD
        "43232612",  # CAM
        "43232510",  # GIS
        "43233506",  # Map creation
        "43232309",  # Information retrieval or search
        "43232310",  # Metadata management
        "43231518",  # Process mapping and design
        "43232407",  # Requirements analysis and system architecture
        "43233415",  # Backup or archival
        "43232907",  # Storage networking
        "43232704",  # Internet directory services
        "43232908",  # Switch or router
        "43233001",  # Filesystem
        "43232902",  # Communications server
        "43232312",  # Portal server
        "43232313",  # Transaction server
        "43232301",  # Categorization or classification
        "43233413",  # Voice recognition
        "43231514",  # Sales and marketing
        "43231511",  # Expert system
        "43232502",  # Computer based training
        "43232705",  # Internet browser
        "43231505",  # Human resources
        "43231604",  # Financial analysis
        "43231601",  # Accounting
        "43233405",  # Device drivers or system software
    }
)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One proposal: a new term, an enrichment of ``target``, or a conflict to resolve by hand."""

    kind: Kind
    term_id: str
    label: str
    category: Category
    aliases: tuple[str, ...]
    examples: tuple[OnetExample, ...]
    target: str | None = None
    notes: tuple[str, ...] = ()
    generic: bool = False

    @property
    def hot(self) -> bool:
        return any(e.hot for e in self.examples)

    @property
    def in_demand(self) -> bool:
        return any(e.in_demand for e in self.examples)

    @property
    def occupations(self) -> int:
        return max(e.occupations for e in self.examples)

    @property
    def in_scope(self) -> bool:
        return any(e.commodity_code in IN_SCOPE for e in self.examples)

    def onet_refs(self) -> list[dict[str, Any]]:
        """The ``onet`` field of the term (the format of ``model.OnetRef``)."""
        return [onet_ref(e) for e in self.examples]


def onet_ref(example: OnetExample) -> dict[str, Any]:
    """An example as a term's ``onet`` entry."""
    return {
        "example": example.example,
        "commodity_code": example.commodity_code,
        "commodity_title": example.commodity_title,
        "hot": example.hot,
        "in_demand": example.in_demand,
        "occupations": example.occupations,
    }


def category_for(example: OnetExample) -> Category:
    """The default category of a new term from its commodity; ``other-tool`` when unmapped."""
    return COMMODITY_CATEGORY.get(example.commodity_code, Category.OTHER_TOOL)


def build_candidates(
    examples: Iterable[OnetExample], taxonomy: Taxonomy, profile: WordProfile
) -> list[Candidate]:
    """Every example as a candidate, in the order given (``fold_examples`` orders by priority).

    Examples whose aliases share a key (case, spaces and punctuation aside) become one candidate, so
    "SAP BusinessObjects" and "SAP Business Objects" are one term with two O*NET examples.
    """
    owner: dict[str, str] = {}
    for term in taxonomy.terms:
        for alias in term.aliases:
            owner.setdefault(norm_key(alias.text), term.id)
    taken_ids = {t.id for t in taxonomy.terms}

    groups: list[list[tuple[OnetExample, Any]]] = []
    group_of_key: dict[str, int] = {}
    for example in examples:
        derived = derive(example.example, profile)
        keys = {norm_key(a) for a in derived.aliases} | {norm_key(example.example)}
        keys.discard("")
        hit = sorted({group_of_key[k] for k in keys if k in group_of_key})
        if hit:
            index = hit[0]
            groups[index].append((example, derived))
        else:
            index = len(groups)
            groups.append([(example, derived)])
        for k in keys:
            group_of_key.setdefault(k, index)

    out: list[Candidate] = []
    for group in groups:
        first_example, first = group[0]
        aliases: list[str] = []
        notes: list[str] = []
        for _example, derived in group:
            for text in derived.aliases:
                if norm_key(text) not in {norm_key(a) for a in aliases}:
                    aliases.append(text)
            notes.extend(n for n in derived.notes if n not in notes)
        targets = sorted({owner[k] for a in aliases if (k := norm_key(a)) in owner})
        term_id = slug(first.label)
        if targets:
            kind: Kind = "enrich" if len(targets) == 1 else "conflict"
            if kind == "conflict":
                notes.append(f"aliases match several existing terms: {', '.join(targets)}")
            target: str | None = targets[0] if kind == "enrich" else None
            if kind == "enrich":
                term_id = targets[0]
        else:
            kind, target = "new", None
            if term_id in taken_ids:
                kind = "conflict"
                notes.append(f"id {term_id!r} already exists for another term")
        out.append(
            Candidate(
                kind=kind,
                term_id=term_id,
                label=first.label,
                category=category_for(first_example),
                aliases=tuple(aliases),
                examples=tuple(e for e, _ in group),
                target=target,
                notes=tuple(notes),
                generic=all(d.generic for _, d in group),
            )
        )
    return _mark_id_clashes(out)


def _mark_id_clashes(cands: list[Candidate]) -> list[Candidate]:
    """Two new candidates with one id: both become conflicts (the reviewer picks ids)."""
    count: dict[str, int] = defaultdict(int)
    for c in cands:
        if c.kind == "new":
            count[c.term_id] += 1
    out = []
    for c in cands:
        if c.kind == "new" and count[c.term_id] > 1:
            c = Candidate(
                **{
                    **{f: getattr(c, f) for f in Candidate.__slots__},
                    "kind": "conflict",
                    "notes": (*c.notes, f"id {c.term_id!r} is proposed by several examples"),
                }
            )
        out.append(c)
    return out


def candidates_yaml(cands: Iterable[Candidate]) -> str:
    """The candidates as YAML (one entry per candidate, the reviewer's input)."""
    entries = []
    for c in cands:
        entry: dict[str, Any] = {
            "kind": c.kind,
            "id": c.term_id,
            "label": c.label,
            "category": c.category.value,
            "aliases": list(c.aliases),
            "onet": c.onet_refs(),
            "source": SOURCE,
            "licence": LICENCE,
        }
        if c.target:
            entry["target"] = c.target
        if c.notes:
            entry["notes"] = list(c.notes)
        if c.generic:
            entry["generic"] = True
        entries.append(entry)
    header = (
        f"# Candidate terms imported from O*NET 29.2 ({SOURCE}, {LICENCE}); nothing here is in the\n"
        "# taxonomy until reviewed (see docs/taxonomy.md, 'Importing from O*NET and ESCO').\n"
    )
    return header + yaml.safe_dump(
        {"source": SOURCE, "licence": LICENCE, "candidates": entries},
        sort_keys=False,
        allow_unicode=True,
        width=100,
    )


def _flags(c: Candidate) -> str:
    return ("H" if c.hot else "") + ("D" if c.in_demand else "")


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def diff_markdown(cands: list[Candidate], *, title: str = "O*NET 29.2 import") -> str:
    """A Markdown review diff: counts, then enrichments, new terms and conflicts as tables."""
    new = [c for c in cands if c.kind == "new" and not c.generic]
    enrich = [c for c in cands if c.kind == "enrich"]
    conflict = [c for c in cands if c.kind == "conflict"]
    generic = [c for c in cands if c.kind == "new" and c.generic]
    noted = [c for c in cands if c.notes and c.kind != "conflict"]
    lines = [
        f"# {title}: candidates for review",
        "",
        f"{len(cands)} candidates from {sum(len(c.examples) for c in cands)} examples: "
        f"{len(new)} new terms ({sum(c.in_scope for c in new)} in scope), {len(enrich)} "
        f"enrichments of existing terms, {len(conflict)} conflicts, {len(generic)} generic names "
        f"(descriptions, not products). Flags: H = Hot Technology, D = In Demand; occ = "
        "occupations listing the example.",
        "",
        "## Enrichments of existing terms (O*NET ids only)",
        "",
        "| term | O*NET examples | flags | occ |",
        "|---|---|---|---|",
    ]
    for c in enrich:
        names = "; ".join(e.example for e in c.examples)
        lines.append(f"| {c.target} | {_cell(names)} | {_flags(c)} | {c.occupations} |")
    lines += [
        "",
        "## Conflicts (resolve by hand)",
        "",
        "| proposed id | O*NET examples | why |",
        "|---|---|---|",
    ]
    for c in conflict:
        names = "; ".join(e.example for e in c.examples)
        lines.append(f"| {c.term_id} | {_cell(names)} | {_cell('; '.join(c.notes))} |")
    lines += [
        "",
        "## Aliases held back (ordinary words, short acronyms)",
        "",
        "| id | note |",
        "|---|---|",
    ]
    for c in noted:
        lines.append(f"| {c.term_id} | {_cell('; '.join(c.notes))} |")
    lines += [
        "",
        "## New terms",
        "",
        "| id | label | category | aliases | flags | occ | scope | commodity |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for c in new:
        aliases = ", ".join(c.aliases)
        lines.append(
            f"| {c.term_id} | {_cell(c.label)} | {c.category.value} | {_cell(aliases)} | "
            f"{_flags(c)} | {c.occupations} | {'in' if c.in_scope else 'out'} | "
            f"{_cell(c.examples[0].commodity_title)} |"
        )
    lines += ["", "## Generic names (not products: proposed for rejection)", ""]
    lines += [f"- {_cell(c.examples[0].example)}" for c in generic]
    return "\n".join(lines) + "\n"

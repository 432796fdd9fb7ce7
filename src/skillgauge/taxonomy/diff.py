"""What changed between two taxonomies, term by term (pure; ``skillgauge taxonomy diff`` prints it).

Why a structured diff rather than a text diff of the YAML: the same vocabulary can be written in
several ways (string or object aliases, term order, comments), and what a curator needs to review
is the change of *meaning*: terms added or removed, aliases gained or lost (and aliases that moved
from one term to another, which silently moves counts), case/context rules, category, label and
prerequisites. Counts are the job of :mod:`skillgauge.analyze.taxonomy_shift`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from skillgauge.taxonomy.model import Alias, Taxonomy, Term

__all__ = ["AliasMove", "TaxonomyDiff", "TermChange", "diff_taxonomies"]


@dataclass(frozen=True)
class AliasMove:
    """An alias owned by one term in A and by another in B."""

    alias: str
    from_term: str
    to_term: str


@dataclass(frozen=True)
class TermChange:
    """One term present in both taxonomies whose definition differs."""

    term_id: str
    aliases_added: tuple[str, ...] = ()
    aliases_removed: tuple[str, ...] = ()
    rules_changed: tuple[str, ...] = ()  # "Go: case_sensitive false -> true"
    category: tuple[str, str] | None = None
    label: tuple[str, str] | None = None
    prerequisites: tuple[tuple[str, ...], tuple[str, ...]] | None = None
    context_changed: bool = False

    def lines(self) -> list[str]:
        """Human-readable lines, one per kind of change."""
        out: list[str] = []
        if self.aliases_added:
            out.append("aliases added: " + ", ".join(self.aliases_added))
        if self.aliases_removed:
            out.append("aliases removed: " + ", ".join(self.aliases_removed))
        out.extend(f"alias rule: {r}" for r in self.rules_changed)
        if self.category:
            out.append(f"category: {self.category[0]} -> {self.category[1]}")
        if self.label:
            out.append(f"label: {self.label[0]} -> {self.label[1]}")
        if self.prerequisites:
            before, after = self.prerequisites
            out.append(f"prerequisites: [{', '.join(before)}] -> [{', '.join(after)}]")
        if self.context_changed:
            out.append("context rule changed")
        return out


@dataclass(frozen=True)
class TaxonomyDiff:
    """Everything that differs between taxonomy A and taxonomy B."""

    a_version: str
    b_version: str
    a_hash: str
    b_hash: str
    added: tuple[Term, ...] = ()
    removed: tuple[Term, ...] = ()
    changed: tuple[TermChange, ...] = ()
    moved: tuple[AliasMove, ...] = field(default=())

    @property
    def identical(self) -> bool:
        """Same meaning (content hash); the versions may still differ."""
        return self.a_hash == self.b_hash

    def lines(self) -> list[str]:
        """The diff as plain text lines (what the CLI prints before the share table)."""
        out = [
            f"A: version {self.a_version} ({self.a_hash[:12]})",
            f"B: version {self.b_version} ({self.b_hash[:12]})",
        ]
        if self.identical:
            return [*out, "no change of meaning: the two taxonomies have the same content hash"]
        out.append(
            f"{len(self.added)} added, {len(self.removed)} removed, {len(self.changed)} changed, "
            f"{len(self.moved)} alias(es) moved between terms"
        )
        out.extend(
            f"+ {t.id} ({t.category.value}): {', '.join(a.text for a in t.aliases)}"
            for t in self.added
        )
        out.extend(f"- {t.id} ({t.category.value})" for t in self.removed)
        for change in self.changed:
            out.append(f"~ {change.term_id}")
            out.extend(f"    {line}" for line in change.lines())
        out.extend(f"> alias {m.alias!r}: {m.from_term} -> {m.to_term}" for m in self.moved)
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (``--json``)."""
        return {
            "a": {"version": self.a_version, "content_hash": self.a_hash},
            "b": {"version": self.b_version, "content_hash": self.b_hash},
            "identical": self.identical,
            "added": [t.model_dump(mode="json") for t in self.added],
            "removed": [t.id for t in self.removed],
            "changed": [
                {
                    "term_id": c.term_id,
                    "aliases_added": list(c.aliases_added),
                    "aliases_removed": list(c.aliases_removed),
                    "rules_changed": list(c.rules_changed),
                    "category": list(c.category) if c.category else None,
                    "label": list(c.label) if c.label else None,
                    "prerequisites": [list(p) for p in c.prerequisites]
                    if c.prerequisites
                    else None,
                    "context_changed": c.context_changed,
                }
                for c in self.changed
            ],
            "moved": [{"alias": m.alias, "from": m.from_term, "to": m.to_term} for m in self.moved],
        }


def diff_taxonomies(a: Taxonomy, b: Taxonomy) -> TaxonomyDiff:
    """Terms added (in B only), removed (in A only) and changed, plus aliases that changed owner.

    Aliases are compared case-insensitively, as the matcher treats them unless ``case_sensitive``;
    a change of spelling only in case shows as a rule change, not as remove + add.
    """
    a_ids, b_ids = a.by_id, b.by_id
    added = tuple(t for t in b.terms if t.id not in a_ids)
    removed = tuple(t for t in a.terms if t.id not in b_ids)
    changed = tuple(
        change
        for t in a.terms
        if t.id in b_ids
        for change in [_term_change(t, b_ids[t.id])]
        if change is not None
    )
    return TaxonomyDiff(
        a_version=a.version,
        b_version=b.version,
        a_hash=a.content_hash,
        b_hash=b.content_hash,
        added=added,
        removed=removed,
        changed=changed,
        moved=_moves(a, b),
    )


def _alias_map(term: Term) -> dict[str, Alias]:
    return {a.text.lower(): a for a in term.aliases}


def _term_change(old: Term, new: Term) -> TermChange | None:
    if old == new:
        return None
    before, after = _alias_map(old), _alias_map(new)
    rules: list[str] = []
    for key in before.keys() & after.keys():
        x, y = before[key], after[key]
        if x.text != y.text:
            rules.append(f"{x.text}: spelled {y.text}")
        for attr in ("case_sensitive", "needs_context"):
            if getattr(x, attr) != getattr(y, attr):
                rules.append(f"{y.text}: {attr} {getattr(x, attr)} -> {getattr(y, attr)}")
    change = TermChange(
        term_id=old.id,
        aliases_added=tuple(a.text for k, a in after.items() if k not in before),
        aliases_removed=tuple(a.text for k, a in before.items() if k not in after),
        rules_changed=tuple(sorted(rules)),
        category=(old.category.value, new.category.value) if old.category != new.category else None,
        label=(old.label, new.label) if old.label != new.label else None,
        prerequisites=(old.prerequisites, new.prerequisites)
        if set(old.prerequisites) != set(new.prerequisites)
        else None,
        context_changed=old.context != new.context,
    )
    if not change.lines():
        # Only fields this diff does not itemise differ (e.g. standard ids, alias order): still a
        # change of the content hash, so say so rather than hide the term.
        return TermChange(term_id=old.id, rules_changed=("other fields changed",))
    return change


def _moves(a: Taxonomy, b: Taxonomy) -> tuple[AliasMove, ...]:
    owner_a = {al.text.lower(): (al.text, t.id) for t in a.terms for al in t.aliases}
    moves = [
        AliasMove(owner_a[al.text.lower()][0], owner_a[al.text.lower()][1], t.id)
        for t in b.terms
        for al in t.aliases
        if al.text.lower() in owner_a and owner_a[al.text.lower()][1] != t.id
    ]
    return tuple(sorted(moves, key=lambda m: m.alias.lower()))

"""A user's own vocabulary (``--vocab FILE``): merged with the taxonomy in use, or replacing it.

Why a module over the loader: the loader validates a taxonomy; a *user's* file needs errors written
for its author. Every problem is one ``DataFileError`` line naming the file, the term and the rule
broken, and a clash with the built-in vocabulary says so (and how to resolve it) instead of the
generic "alias already belongs to term" a maintainer of ``terms.yaml`` would read.

The user's file is validated alone first (its own duplicates, empty aliases, unknown categories),
then, in merge mode, against the base: a term with a built-in id replaces that term; an alias of a
new term that a built-in term already owns is an error.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any, Literal

import yaml

from skillgauge.exceptions import DataFileError, SourceNotFound
from skillgauge.taxonomy.loader import (
    load_taxonomy,
    merge,
    parse_taxonomy_text,
    terms_from_csv_text,
)
from skillgauge.taxonomy.model import Category, Taxonomy, check_terms

__all__ = ["VocabMode", "load_vocabulary", "taxonomy_in_use"]

VocabMode = Literal["merge", "replace"]
CATEGORIES = frozenset(c.value for c in Category)


def taxonomy_in_use(
    taxonomy: Path | None = None, vocab: Path | None = None, mode: VocabMode | str = "merge"
) -> Taxonomy:
    """The taxonomy a run uses: ``taxonomy`` (``None``: the built-in one) with ``vocab`` merged in,
    or ``vocab`` alone when ``mode`` is ``replace``."""
    if mode not in ("merge", "replace"):
        raise DataFileError(f"vocabulary mode must be 'merge' or 'replace', not {mode!r}")
    if vocab is None:
        return load_taxonomy(taxonomy)
    user = load_vocabulary(vocab)
    if mode == "replace":
        return user
    base = load_taxonomy(taxonomy)
    check_collisions(base, user, source=str(vocab))
    return merge(base, user, source=str(vocab))


def load_vocabulary(path: Path) -> Taxonomy:
    """A user's YAML (taxonomy format) or CSV (``id,label,category,aliases``) file, validated alone."""
    if not path.is_file():
        raise SourceNotFound(f"vocabulary file not found: {path}")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataFileError(f"{path}: not UTF-8 text ({exc})") from None
    source = str(path)
    if path.suffix.lower() == ".csv":
        _check_csv_categories(text, source)
        terms = terms_from_csv_text(text, source=source)
        try:
            check_terms(terms)
        except ValueError as exc:
            raise DataFileError(f"{source}: {exc}") from None
        return Taxonomy(f"0.0.0+{path.stem}", path.stem, terms)
    _check_yaml_categories(text, source)
    return parse_taxonomy_text(text, source=source)


def check_collisions(base: Taxonomy, user: Taxonomy, *, source: str) -> None:
    """Merge-mode rule: an alias of the user's term may not belong to a *different* built-in term
    (a user term with a built-in id replaces that term, so its own old aliases do not count)."""
    replaced = {t.id for t in user.terms}
    owner = {a.text.lower(): t.id for t in base.terms if t.id not in replaced for a in t.aliases}
    for term in user.terms:
        for alias in term.aliases:
            other = owner.get(alias.text.lower())
            if other is not None:
                raise DataFileError(
                    f"{source}: term {term.id!r}: alias {alias.text!r} collides with built-in term "
                    f"{other!r} (drop the alias, give your term the id {other!r} to replace the "
                    "built-in one, or use --vocab-mode replace)"
                )


def _unknown_category(source: str, where: str, value: Any) -> DataFileError:
    return DataFileError(
        f"{source}: {where}: unknown category {value!r} (one of: {', '.join(sorted(CATEGORIES))})"
    )


def _check_yaml_categories(text: str, source: str) -> None:
    """Name an unknown category plainly (pydantic's enum message is a paragraph)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return  # the loader reports the YAML error itself
    terms = data.get("terms") if isinstance(data, dict) else None
    for index, item in enumerate(terms if isinstance(terms, list) else []):
        if isinstance(item, dict) and "category" in item:
            value = item["category"]
            if not isinstance(value, str) or value not in CATEGORIES:
                name = item.get("id", f"#{index + 1}")
                raise _unknown_category(source, f"term {name!r}", value)


def _check_csv_categories(text: str, source: str) -> None:
    for line, row in enumerate(csv.DictReader(text.splitlines()), start=2):
        value = (row.get("category") or "").strip()
        if "category" in row and value not in CATEGORIES:
            name = (row.get("id") or "").strip()
            raise _unknown_category(source, f"line {line}, term {name!r}", value)

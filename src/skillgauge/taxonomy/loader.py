"""Load the technology taxonomy: the packaged ``terms.yaml``, a file of the user's, or both merged.

Why a loader apart from the model: reading (YAML or CSV, packaged or on disk), merging and caching
are I/O concerns; the model only validates. Every problem becomes one ``DataFileError`` whose message
names the file and the term, because the CLI prints that line and nothing else.

A user file (``extra``) is merged with the built-in vocabulary: its terms are appended, a term whose
id already exists *replaces* the built-in one (so a user can fix or narrow a term), and an alias that
ends up on two terms is an error. ``replace=True`` uses the user file alone.
"""

from __future__ import annotations

import csv
import functools
import importlib.resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from skillgauge.exceptions import DataFileError, SourceNotFound
from skillgauge.taxonomy.model import TaxonomyFile, Term, check_terms

from .model import Taxonomy

__all__ = ["Taxonomy", "load_taxonomy", "parse_taxonomy_text", "terms_from_csv_text"]

PACKAGE = "skillgauge.taxonomy"
RESOURCE = "terms.yaml"
CSV_COLUMNS = ("id", "label", "category", "aliases")


def load_taxonomy(
    path: Path | None = None, *, extra: Path | None = None, replace: bool = False
) -> Taxonomy:
    """Load and validate a taxonomy.

    ``path``: a YAML file; ``None`` means the packaged ``terms.yaml`` (cached: it is parsed once per
    process). ``extra``: a user's YAML or CSV of terms merged into it, or used alone with
    ``replace=True``. Raises ``SourceNotFound`` for a missing file and ``DataFileError`` for one that
    fails validation.
    """
    if replace and extra is None:
        raise DataFileError("replace=True needs an extra taxonomy file to replace the built-in one")
    if extra is not None and replace:
        return _load_file(extra)
    base = _load_default() if path is None else _load_file(path)
    if extra is None:
        return base
    return merge(base, _load_file(extra), source=extra.name)


@functools.lru_cache(maxsize=1)
def _load_default() -> Taxonomy:
    resource = importlib.resources.files(PACKAGE).joinpath(RESOURCE)
    if not resource.is_file():
        raise DataFileError(f"the packaged taxonomy {PACKAGE}/{RESOURCE} is missing")
    return parse_taxonomy_text(resource.read_text(encoding="utf-8"), source=RESOURCE)


def _load_file(path: Path) -> Taxonomy:
    if not path.is_file():
        raise SourceNotFound(f"taxonomy file not found: {path}")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataFileError(f"{path}: not UTF-8 text ({exc})") from None
    if path.suffix.lower() == ".csv":
        terms = terms_from_csv_text(text, source=str(path))
        version = f"0.0.0+{path.stem}"
        return _build(version, path.stem, terms, source=str(path))
    return parse_taxonomy_text(text, source=str(path))


def parse_taxonomy_text(text: str, *, source: str = "<string>") -> Taxonomy:
    """Parse and validate the YAML text of a taxonomy file."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise DataFileError(f"{source}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise DataFileError(f"{source}: expected a mapping with 'version' and 'terms' at the top")
    if "version" in data and not isinstance(data["version"], str):
        data["version"] = str(data["version"])
    terms = _terms_from_dicts(data.get("terms"), source)
    try:
        parsed = TaxonomyFile(
            version=data.get("version", ""),
            name=data.get("name", "skillgauge-core"),
            terms=terms,
        )
    except ValidationError as exc:
        raise DataFileError(f"{source}: {_describe(exc)}") from None
    if not parsed.version:
        raise DataFileError(f"{source}: missing 'version'")
    return Taxonomy(parsed.version, parsed.name, parsed.terms)


def _terms_from_dicts(raw: Any, source: str) -> tuple[Term, ...]:
    """Validate term by term so the error names the term (pydantic would give a list index)."""
    if not isinstance(raw, list):
        raise DataFileError(f"{source}: 'terms' must be a list")
    terms: list[Term] = []
    for index, item in enumerate(raw):
        name = item.get("id", f"#{index + 1}") if isinstance(item, dict) else f"#{index + 1}"
        try:
            terms.append(Term.model_validate(item))
        except ValidationError as exc:
            raise DataFileError(f"{source}: term {name!r}: {_describe(exc)}") from None
    return tuple(terms)


def terms_from_csv_text(text: str, *, source: str = "<csv>") -> tuple[Term, ...]:
    """Terms from a CSV with columns id,label,category,aliases (aliases separated by ``|``).

    An optional ``prerequisites`` column uses ``|`` too. CSV aliases are plain (case-insensitive,
    no context rule): a term that needs those belongs in a YAML file.
    """
    reader = csv.DictReader(text.splitlines())
    header = tuple(reader.fieldnames or ())
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise DataFileError(f"{source}: CSV lacks the column(s) {', '.join(missing)}")
    terms: list[Term] = []
    for line, row in enumerate(reader, start=2):
        term_id = (row.get("id") or "").strip()
        aliases = [a.strip() for a in (row.get("aliases") or "").split("|")]
        if any(not a for a in aliases):
            raise DataFileError(f"{source}: line {line}, term {term_id!r}: empty alias")
        prereq = [p.strip() for p in (row.get("prerequisites") or "").split("|") if p.strip()]
        try:
            terms.append(
                Term.model_validate(
                    {
                        "id": term_id,
                        "label": (row.get("label") or "").strip(),
                        "category": (row.get("category") or "").strip(),
                        "aliases": aliases,
                        "prerequisites": prereq,
                    }
                )
            )
        except ValidationError as exc:
            raise DataFileError(
                f"{source}: line {line}, term {term_id!r}: {_describe(exc)}"
            ) from None
    return tuple(terms)


def merge(base: Taxonomy, extra: Taxonomy, *, source: str) -> Taxonomy:
    """The built-in terms with the user's merged in (same id replaces; new ids are appended)."""
    replacing = {t.id: t for t in extra.terms}
    terms = [replacing.pop(t.id, t) for t in base.terms]
    terms.extend(t for t in extra.terms if t.id in replacing)
    version = f"{base.version}+{Path(source).stem}"
    return _build(version, base.name, tuple(terms), source=source)


def _build(version: str, name: str, terms: tuple[Term, ...], *, source: str) -> Taxonomy:
    try:
        check_terms(terms)
    except ValueError as exc:
        raise DataFileError(f"{source}: {exc}") from None
    return Taxonomy(version, name, terms)


def _describe(exc: ValidationError) -> str:
    """One line per pydantic error, without the URL noise."""
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"])
        msg = str(err["msg"]).removeprefix("Value error, ")
        parts.append(f"{where}: {msg}" if where else msg)
    return "; ".join(parts)

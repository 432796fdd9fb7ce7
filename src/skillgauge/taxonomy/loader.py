"""Load the technology taxonomy: the packaged ``terms.yaml``, a file of the user's, or both merged.

Why a loader apart from the model: reading (YAML or CSV, packaged or on disk), merging and caching
are I/O concerns; the model only validates. Every problem becomes one ``DataFileError`` whose message
names the file and the term, because the CLI prints that line and nothing else.

A user file (``extra``) is merged with the built-in vocabulary: its terms are appended, a term whose
id already exists *replaces* the built-in one (so a user can fix or narrow a term), and an alias that
ends up on two terms is an error. ``replace=True`` uses the user file alone.

The packaged vocabulary is three files composed into one taxonomy (one version, one content hash):
``terms.yaml`` (the hand-curated core, which carries the version), ``terms_imported.yaml`` (reviewed
terms imported from O*NET, same term format, no version of its own) and ``standard_ids.yaml`` (term
id -> O*NET / ESCO / Wikidata ids for existing terms). Keeping imports apart lets the core be tuned by
hand while an import is reviewed, and keeps every imported entry's source and licence in one place.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import importlib.resources
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import orjson
import yaml
from pydantic import ValidationError

from skillgauge.exceptions import DataFileError, SourceNotFound
from skillgauge.taxonomy.model import TaxonomyFile, Term, check_terms

from .model import Taxonomy

__all__ = [
    "Taxonomy",
    "compose",
    "load_packaged",
    "load_taxonomy",
    "parse_imported_terms_text",
    "parse_standard_ids_text",
    "parse_taxonomy_text",
    "terms_from_csv_text",
]

PACKAGE = "skillgauge.taxonomy"
RESOURCE = "terms.yaml"
IMPORTED_RESOURCE = "terms_imported.yaml"
STANDARD_IDS_RESOURCE = "standard_ids.yaml"
#: What standard_ids.yaml may set on a core term (source/licence stay the core's own).
ID_FIELDS = ("onet", "esco_uri", "esco_label", "wikidata")
CSV_COLUMNS = ("id", "label", "category", "aliases")


def load_taxonomy(
    path: Path | None = None, *, extra: Path | None = None, replace: bool = False
) -> Taxonomy:
    """Load and validate a taxonomy.

    ``path``: a YAML file; ``None`` means the packaged vocabulary: ``terms.yaml`` composed with
    ``terms_imported.yaml`` and ``standard_ids.yaml`` (cached: parsed once per process).
    ``extra``: a user's YAML or CSV of terms merged into it, or used alone with ``replace=True``.
    Raises ``SourceNotFound`` for a missing file and ``DataFileError`` for one that fails validation.
    """
    if replace and extra is None:
        raise DataFileError("replace=True needs an extra taxonomy file to replace the built-in one")
    if extra is not None and replace:
        return _load_file(extra)
    base = load_packaged() if path is None else _load_file(path)
    if extra is None:
        return base
    return merge(base, _load_file(extra), source=extra.name)


@functools.lru_cache(maxsize=1)
def _load_default() -> Taxonomy:
    resource = importlib.resources.files(PACKAGE).joinpath(RESOURCE)
    if not resource.is_file():
        raise DataFileError(f"the packaged taxonomy {PACKAGE}/{RESOURCE} is missing")
    return parse_taxonomy_text(resource.read_text(encoding="utf-8"), source=RESOURCE)


@functools.lru_cache(maxsize=1)
def load_packaged() -> Taxonomy:
    """The packaged core composed with its reviewed imports and standard ids (cached)."""
    core = _load_default()
    package = importlib.resources.files(PACKAGE)
    imported: tuple[Term, ...] = ()
    ids: dict[str, dict[str, Any]] = {}
    resource = package.joinpath(IMPORTED_RESOURCE)
    if resource.is_file():
        imported = parse_imported_terms_text(
            resource.read_text(encoding="utf-8"), source=IMPORTED_RESOURCE
        )
    resource = package.joinpath(STANDARD_IDS_RESOURCE)
    if resource.is_file():
        ids = parse_standard_ids_text(
            resource.read_text(encoding="utf-8"), source=STANDARD_IDS_RESOURCE
        )
    return compose(core, imported, ids, source=f"{RESOURCE}+{IMPORTED_RESOURCE}")


def parse_imported_terms_text(text: str, *, source: str = "<string>") -> tuple[Term, ...]:
    """The terms of an imports file: same term format as terms.yaml, but no version of its own.

    Terms are validated one by one here; the cross-term rules run on the composed whole, because an
    imported term may name a core term as its prerequisite.
    """
    data = _yaml_mapping(text, source)
    unknown = set(data) - {"name", "source", "terms"}
    if unknown:
        raise DataFileError(
            f"{source}: unknown top-level key(s) {sorted(unknown)} (the version lives in terms.yaml)"
        )
    return _terms_from_dicts(data.get("terms") or [], source)


def parse_standard_ids_text(text: str, *, source: str = "<string>") -> dict[str, dict[str, Any]]:
    """``ids: {term id: {onet: [...], esco_uri: ..., esco_label: ..., wikidata: ...}}`` as dicts."""
    data = _yaml_mapping(text, source)
    raw = data.get("ids") or {}
    if not isinstance(raw, dict):
        raise DataFileError(f"{source}: 'ids' must be a mapping of term id -> ids")
    out: dict[str, dict[str, Any]] = {}
    for term_id, fields in raw.items():
        if not isinstance(fields, dict):
            raise DataFileError(f"{source}: term {term_id!r}: expected a mapping of ids")
        bad = set(fields) - set(ID_FIELDS)
        if bad:
            raise DataFileError(
                f"{source}: term {term_id!r}: unknown field(s) {sorted(bad)} "
                f"(allowed: {', '.join(ID_FIELDS)})"
            )
        out[str(term_id)] = dict(fields)
    return out


def compose(
    core: Taxonomy,
    imported: tuple[Term, ...],
    standard_ids: Mapping[str, Mapping[str, Any]],
    *,
    source: str,
) -> Taxonomy:
    """One taxonomy from the core, imported terms (appended) and ids set on existing terms.

    The version and name are the core's; the content hash covers everything. An imported id that
    already exists, an ids entry for an unknown term, or an alias on two terms is an error.
    """
    known = {t.id for t in core.terms}
    clash = [t.id for t in imported if t.id in known]
    if clash:
        raise DataFileError(f"{source}: imported term(s) {clash} already exist in the core")
    terms = [*core.terms, *imported]
    index = {t.id: i for i, t in enumerate(terms)}
    for term_id, fields in standard_ids.items():
        if term_id not in index:
            raise DataFileError(f"{STANDARD_IDS_RESOURCE}: unknown term id {term_id!r}")
        old = terms[index[term_id]]
        try:
            terms[index[term_id]] = Term.model_validate({**old.model_dump(), **fields})
        except ValidationError as exc:
            raise DataFileError(
                f"{STANDARD_IDS_RESOURCE}: term {term_id!r}: {_describe(exc)}"
            ) from None
    return _build(core.version, core.name, tuple(terms), source=source)


#: libyaml's safe loader when PyYAML was built with it (5x faster on the 1,500-term vocabulary).
_SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


#: Texts at least this long are parsed once per content and kept as JSON (the packaged vocabulary
#: is ~1 MB of YAML: 0.7 s to parse even with libyaml, 0.02 s to read back as JSON).
CACHE_MIN_CHARS = 64_000


def _cache_dir() -> Path:
    """``$SKILLGAUGE_CACHE_DIR``, else ``$XDG_CACHE_HOME/skillgauge``, else ``~/.cache/skillgauge``."""
    explicit = os.environ.get("SKILLGAUGE_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "skillgauge"


def _safe_load(text: str) -> Any:
    """YAML text to plain data; a large text's result is cached by its content hash.

    Why a cache: every ``skillgauge`` command and every extraction worker loads the vocabulary,
    and parsing its YAML was the largest part of their start-up. The cache holds only data that JSON
    represents exactly (checked by a round trip before writing; a YAML date, say, is never cached),
    is keyed by a hash of the whole text (an edited file is a new key), and is written atomically;
    any problem with it falls back to parsing.
    """
    if len(text) < CACHE_MIN_CHARS:
        return yaml.load(text, Loader=_SAFE_LOADER)
    key = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()
    path = _cache_dir() / "yaml" / f"{key}.json"
    try:
        return orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        pass
    data = yaml.load(text, Loader=_SAFE_LOADER)
    try:
        encoded = orjson.dumps(data)
        if orjson.loads(encoded) == data:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(encoded)
            tmp.replace(path)
    except (OSError, TypeError, orjson.JSONEncodeError):
        pass  # not representable, or no writable cache: parse again next time
    return data


def _yaml_mapping(text: str, source: str) -> dict[str, Any]:
    try:
        data = _safe_load(text)
    except yaml.YAMLError as exc:
        raise DataFileError(f"{source}: not valid YAML: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise DataFileError(f"{source}: expected a mapping at the top")
    return data


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
        data = _safe_load(text)
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

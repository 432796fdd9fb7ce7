"""Pydantic models of the taxonomy file (``terms.yaml``) and the checks run when it is loaded.

Why pydantic here (and frozen dataclasses elsewhere): the taxonomy is a hand-edited data file, and
when it is wrong the user needs a message naming the term and the rule it breaks. Cross-term rules
(unique ids, one owner per alias, known prerequisites without cycles) live in ``TaxonomyFile``;
per-term rules in ``Term``. Every failure is re-raised by the loader as ``DataFileError``.

Aliases are normalised on load: a bare string ``"Python"`` becomes
``Alias(text="Python", case_sensitive=False, needs_context=False)``, so the content hash does not
depend on which of the two spellings the file used.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9.+#-]*\Z")
DEFAULT_WINDOW = 60
QID_PATTERN = re.compile(r"Q[1-9][0-9]*\Z")
ESCO_URI_PREFIX = "http://data.europa.eu/esco/"
COMMODITY_PATTERN = re.compile(r"[0-9]{8}\Z")

#: The standard-id fields of a term. They are left out of the dumped term when empty, so a term
#: without them hashes exactly as it did before they existed (taxonomy 1.0.0 keeps its hash).
STANDARD_FIELDS = ("onet", "esco_uri", "esco_label", "wikidata", "source", "licence")


class Category(StrEnum):
    """The closed set of term categories (see docs/taxonomy.md)."""

    LANGUAGE = "language"
    ML_FRAMEWORK = "ml-framework"
    DATA_LIBRARY = "data-library"
    DATA_STORE = "data-store"
    BIG_DATA = "big-data"
    CLOUD = "cloud"
    MLOPS = "mlops"
    BI = "bi"
    DEVOPS = "devops"
    OS = "os"
    WEB_FRAMEWORK = "web-framework"
    FRONTEND = "frontend"
    MOBILE = "mobile"
    TESTING = "testing"
    SECURITY = "security"
    IDE_TOOL = "ide-tool"
    VERSION_CONTROL = "version-control"
    API_PROTOCOL = "api-protocol"
    AI_SERVICE = "ai-service"
    DATA_FORMAT = "data-format"
    COLLABORATION = "collaboration"
    METHODOLOGY = "methodology"
    HARDWARE_PLATFORM = "hardware-platform"
    OTHER_TOOL = "other-tool"


class Alias(BaseModel):
    """One surface form of a term, with its own case and context rules."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str
    case_sensitive: bool = False
    needs_context: bool = False

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("empty alias (an empty pattern would match everywhere)")
        if value != value.strip():
            raise ValueError(f"alias {value!r} has leading or trailing whitespace")
        return value


class ContextRule(BaseModel):
    """How an ambiguous alias (``needs_context: true``) is confirmed or rejected.

    Reject rules win; then one cue word or one accepted context-free term of a near category within
    ``window`` characters confirms the match; otherwise it is dropped.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    cues: tuple[str, ...] = ()
    near_categories: tuple[Category, ...] = ()
    window: int = Field(default=DEFAULT_WINDOW, ge=1, le=1000)
    reject_before: tuple[str, ...] = ()
    reject_after: tuple[str, ...] = ()

    @field_validator("cues")
    @classmethod
    def _cues_not_blank(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if any(not cue.strip() for cue in value):
            raise ValueError("empty cue")
        return value

    @field_validator("reject_before", "reject_after")
    @classmethod
    def _regexes_compile(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in value:
            if not pattern:
                raise ValueError("empty reject regex")
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"regex {pattern!r} does not compile: {exc}") from None
        return value


class OnetRef(BaseModel):
    """One O*NET technology example a term stands for (O*NET "Technology Skills" file).

    ``hot`` and ``in_demand`` are true when O*NET flags the example Hot Technology / In Demand for at
    least one occupation; ``occupations`` counts the occupations listing it (how widely it is used).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    example: str
    commodity_code: str
    commodity_title: str
    hot: bool = False
    in_demand: bool = False
    occupations: int = Field(default=0, ge=0)

    @field_validator("commodity_code", mode="before")
    @classmethod
    def _code_is_unspsc(cls, value: Any) -> Any:
        value = str(value) if isinstance(value, int) else value
        if not isinstance(value, str) or not COMMODITY_PATTERN.match(value):
            raise ValueError(f"commodity code {value!r} is not an 8-digit UNSPSC code")
        return value


class Term(BaseModel):
    """One technology: a stable id, a label, a category and every spelling that should match."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    label: str
    category: Category
    aliases: tuple[Alias, ...]
    prerequisites: tuple[str, ...] = ()
    context: ContextRule | None = None
    onet: tuple[OnetRef, ...] = ()
    esco_uri: str | None = None
    #: The ESCO skill preferred label (unique in ESCO's skill pillar, so it names the concept; the
    #: label list at hand has no URIs). Resolves to ``esco_uri`` with ESCO's download or API.
    esco_label: str | None = None
    wikidata: str | None = None
    source: str | None = None
    licence: str | None = None

    @field_validator("onet", mode="before")
    @classmethod
    def _onet_list(cls, value: Any) -> Any:
        return [value] if isinstance(value, dict) else value

    @field_validator("esco_uri")
    @classmethod
    def _esco_uri(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(ESCO_URI_PREFIX):
            raise ValueError(f"esco_uri {value!r} does not start with {ESCO_URI_PREFIX}")
        return value

    @field_validator("esco_label")
    @classmethod
    def _esco_label(cls, value: str | None) -> str | None:
        if value is not None and (not value.strip() or value != value.strip()):
            raise ValueError(f"esco_label {value!r} is empty or has surrounding whitespace")
        return value

    @field_validator("wikidata")
    @classmethod
    def _wikidata_qid(cls, value: str | None) -> str | None:
        if value is not None and not QID_PATTERN.match(value):
            raise ValueError(f"wikidata {value!r} is not a QID such as Q28865")
        return value

    @field_validator("id")
    @classmethod
    def _id_is_slug(cls, value: str) -> str:
        if not ID_PATTERN.match(value):
            raise ValueError(f"id {value!r} is not a lowercase slug [a-z0-9][a-z0-9.+#-]*")
        return value

    @field_validator("aliases", mode="before")
    @classmethod
    def _normalise_aliases(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = [value]
        if isinstance(value, list | tuple):
            return tuple({"text": a} if isinstance(a, str) else a for a in value)
        return value

    @model_validator(mode="after")
    def _term_rules(self) -> Term:
        if not self.aliases:
            raise ValueError("no aliases (list every surface form, the label included)")
        seen: set[str] = set()
        for alias in self.aliases:
            key = alias.text.lower()
            if key in seen:
                raise ValueError(f"duplicate alias {alias.text!r}")
            seen.add(key)
        if any(a.needs_context for a in self.aliases) and self.context is None:
            raise ValueError("an alias has needs_context: true but the term has no context block")
        if self.id in self.prerequisites:
            raise ValueError("lists itself as a prerequisite")
        return self


class TaxonomyFile(BaseModel):
    """The whole file: version, name and the terms, with the cross-term rules."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: str
    name: str = "skillgauge-core"
    terms: tuple[Term, ...]

    @model_validator(mode="after")
    def _cross_term_rules(self) -> TaxonomyFile:
        check_terms(self.terms)
        return self


def check_terms(terms: tuple[Term, ...]) -> None:
    """Rules that need the whole list: unique ids, one term per alias, prerequisites known, acyclic.

    Raises ``ValueError`` naming the term(s); the loader turns it into ``DataFileError``.
    """
    ids: dict[str, Term] = {}
    for term in terms:
        if term.id in ids:
            raise ValueError(f"duplicate term id {term.id!r}")
        ids[term.id] = term
    owner: dict[str, str] = {}
    for term in terms:
        for alias in term.aliases:
            key = alias.text.lower()
            other = owner.get(key)
            if other is not None and other != term.id:
                raise ValueError(
                    f"term {term.id!r}: alias {alias.text!r} already belongs to term {other!r}"
                )
            owner[key] = term.id
    for term in terms:
        for pre in term.prerequisites:
            if pre not in ids:
                raise ValueError(f"term {term.id!r}: unknown prerequisite {pre!r}")
    _check_acyclic({t.id: t.prerequisites for t in terms})


def _check_acyclic(graph: dict[str, tuple[str, ...]]) -> None:
    """Iterative three-colour DFS; names the cycle when there is one."""
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    for root in graph:
        if state.get(root):
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        path: list[str] = [root]
        state[root] = 1
        while stack:
            node, index = stack[-1]
            children = graph[node]
            if index < len(children):
                stack[-1] = (node, index + 1)
                child = children[index]
                if state.get(child) == 1:
                    cycle = [*path[path.index(child) :], child]
                    raise ValueError(f"prerequisite cycle: {' -> '.join(cycle)}")
                if not state.get(child):
                    state[child] = 1
                    stack.append((child, 0))
                    path.append(child)
            else:
                state[node] = 2
                stack.pop()
                path.pop()


class Taxonomy:
    """A validated, immutable vocabulary: what the matcher is built from and what reports cite.

    ``content_hash`` is the sha256 of a canonical JSON of the terms (normalised aliases, sorted keys,
    no whitespace), so re-formatting the YAML or switching an alias between its string and object
    form does not change it, while any change of meaning does.
    """

    __slots__ = ("_by_id", "content_hash", "name", "terms", "version")

    def __init__(self, version: str, name: str, terms: tuple[Term, ...]) -> None:
        self.version = version
        self.name = name
        self.terms = terms
        self._by_id: dict[str, Term] = {t.id: t for t in terms}
        self.content_hash = hashlib.sha256(canonical_terms_json(terms).encode()).hexdigest()

    @property
    def by_id(self) -> Mapping[str, Term]:
        """Read-only id -> term."""
        return MappingProxyType(self._by_id)

    def to_json(self) -> str:
        """What ``skillgauge taxonomy export`` prints: version, name, hash and the terms."""
        payload = {
            "version": self.version,
            "name": self.name,
            "content_hash": self.content_hash,
            "terms": [_term_dict(t) for t in self.terms],
        }
        return json.dumps(payload, ensure_ascii=False, indent=2)

    def __repr__(self) -> str:
        return (
            f"Taxonomy(name={self.name!r}, version={self.version!r}, terms={len(self.terms)}, "
            f"hash={self.content_hash[:12]})"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Taxonomy):
            return NotImplemented
        return (self.version, self.name, self.content_hash) == (
            other.version,
            other.name,
            other.content_hash,
        )

    def __hash__(self) -> int:
        return hash((self.version, self.name, self.content_hash))


def _term_dict(term: Term) -> dict[str, Any]:
    """The term as JSON-able data, without the standard-id fields it does not have."""
    data = term.model_dump(mode="json")
    for key in STANDARD_FIELDS:
        if not data[key]:
            del data[key]
    return data


def canonical_terms_json(terms: tuple[Term, ...]) -> str:
    """The canonical JSON the content hash is computed on (order of terms is kept: it is data)."""
    return json.dumps(
        [_term_dict(t) for t in terms], sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )

"""Role and seniority from a job title, by the rules kept in ``taxonomy/roles.yaml``.

Why data and regexes rather than a model: the rule has to be readable, reviewable and versioned
(a report says which roles file it used), and it runs once per posting, about a million times in a
benchmark. The file is validated once on load; after that ``RoleBook.classify`` is a pure function
over precompiled patterns (one combined regex per role and pass), with a small memo because job
titles repeat a lot.

The rule, in short (docs/roles.md has the whole of it):

* A posting title names one job: the first role in file order whose job patterns match wins; when
  none does, the first role whose field patterns match ("Data Science", "Backend"); else "other".
* A Hacker News roles line (``role_hint``) can list several jobs: it is split on ",", ";", "&",
  " and ", " or " and a spaced "/" ("AI/ML", "CI/CD" and "UI/UX" stay whole), each part is read as
  a title and the roles are united in order, dropping "other" when a real role was found. A part
  that names no job noun and only qualifies the part before it ("Software Engineer, Full Stack",
  "Data Scientist, Machine Learning") is read together with that part.
* Seniority is read separately over the whole text: the first level in file order that matches,
  which puts the highest named level first ("Junior/Senior" is senior); "unknown" when none.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.resources
import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from skillgauge.exceptions import DataFileError, SourceNotFound, UnknownRole
from skillgauge.models import RoleAssignment

__all__ = [
    "REQUIRED_ROLE_IDS",
    "REQUIRED_SENIORITY_IDS",
    "RoleBook",
    "RoleSpec",
    "RolesFile",
    "SeniorityLevel",
    "load_roles",
    "normalise_title",
    "split_role_hint",
]

OTHER = "other"
UNKNOWN = "unknown"

REQUIRED_ROLE_IDS: frozenset[str] = frozenset(
    {
        "machine-learning-engineer",
        "data-scientist",
        "data-engineer",
        "data-analyst",
        "analytics-engineer",
        "mlops-engineer",
        "ai-engineer",
        "research-scientist",
        "software-engineer",
        "frontend-engineer",
        "fullstack-engineer",
        "mobile-engineer",
        "devops-engineer",
        "security-engineer",
        "qa-engineer",
        "database-administrator",
        "engineering-manager",
        "product-manager",
        "designer",
        OTHER,
    }
)
REQUIRED_SENIORITY_IDS: frozenset[str] = frozenset(
    {
        "intern",
        "junior",
        "mid",
        "senior",
        "staff",
        "principal",
        "lead",
        "manager",
        "director",
        "executive",
        UNKNOWN,
    }
)

_MEMO_LIMIT = 200_000  # distinct (title, hint) pairs kept; cleared when full (titles repeat a lot)


def _check_patterns(owner: str, kind: str, patterns: list[str]) -> list[str]:
    for i, pattern in enumerate(patterns, start=1):
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(
                f"{owner}: {kind} {i} {pattern!r} is not a valid regex ({exc})"
            ) from None
    return patterns


class RoleSpec(BaseModel):
    """One role: ``patterns`` name the job, ``field_patterns`` only its field (second pass)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    label: str
    patterns: list[str] = []
    field_patterns: list[str] = []
    exclusions: list[str] = []

    @model_validator(mode="after")
    def _regexes_compile(self) -> RoleSpec:
        owner = f"role '{self.id}'"
        _check_patterns(owner, "pattern", self.patterns)
        _check_patterns(owner, "field pattern", self.field_patterns)
        _check_patterns(owner, "exclusion", self.exclusions)
        return self


class SeniorityLevel(BaseModel):
    """One seniority level and the words that state it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    patterns: list[str] = []

    @model_validator(mode="after")
    def _regexes_compile(self) -> SeniorityLevel:
        _check_patterns(f"seniority '{self.id}'", "pattern", self.patterns)
        return self


class RolesFile(BaseModel):
    """The whole roles file, as validated on load."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str
    roles: list[RoleSpec]
    seniority: list[SeniorityLevel]

    @field_validator("version")
    @classmethod
    def _version_is_semver(cls, value: str) -> str:
        if not re.fullmatch(r"\d+\.\d+\.\d+", value):
            raise ValueError(f"version {value!r} is not MAJOR.MINOR.PATCH")
        return value

    @model_validator(mode="after")
    def _ids_are_sound(self) -> RolesFile:
        _unique("role", [r.id for r in self.roles])
        _unique("seniority", [s.id for s in self.seniority])
        missing = sorted(REQUIRED_ROLE_IDS - {r.id for r in self.roles})
        if missing:
            raise ValueError(f"required role(s) missing: {', '.join(missing)}")
        missing = sorted(REQUIRED_SENIORITY_IDS - {s.id for s in self.seniority})
        if missing:
            raise ValueError(f"required seniority level(s) missing: {', '.join(missing)}")
        last = self.roles[-1]
        if last.id != OTHER:
            raise ValueError(
                f"role '{OTHER}' must be the last role (the fallback), not '{last.id}'"
            )
        if last.patterns or last.field_patterns:
            raise ValueError(f"role '{OTHER}' is the fallback and must have no patterns")
        if self.seniority[-1].id != UNKNOWN or self.seniority[-1].patterns:
            raise ValueError(f"seniority '{UNKNOWN}' must be last and have no patterns")
        return self


def _unique(kind: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for id_ in ids:
        if id_ in seen:
            raise ValueError(f"duplicate {kind} id '{id_}'")
        seen.add(id_)


# --- text handling -------------------------------------------------------------------------------

_DASHES = re.compile(r"[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")
_SPACES = re.compile(r"\s+")
# ",", ";", "&" with a space on a side (not "R&D"), " and ", " or ", a "/" with a space on a side
# (not "AI/ML", "CI/CD").
_SEPARATORS = re.compile(r"\s*[,;]\s*|\s+&\s*|\s*&\s+|\s+(?:and|or)\s+|\s+/\s*|\s*/\s+")
# A part naming one of these nouns is a job of its own; a part without one may only qualify the
# part before it.
_JOB_NOUN = re.compile(
    r"\b(?:engineers?|engineering|developers?|devs?|scientists?|analysts?|designers?|managers?|"
    r"management|architects?|sdets?|sres?|swes?|sdes?|dbas?|pms?|leads?|interns?|internships?|"
    r"researchers?|testers?|programmers?|administrators?|admins?|owners?|specialists?|"
    r"consultants?|roles?|positions?|directors?|head|cto|vp|sys ?ad(?:mins?)?)\b"
)
_ENDS_WITH_JOB_NOUN = re.compile(_JOB_NOUN.pattern + r"[\s).:]*$")


def normalise_title(text: str) -> str:
    """NFKC, lower case, every dash as "-", spaces collapsed; other punctuation is kept."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _DASHES.sub("-", text)
    return _SPACES.sub(" ", text).strip()


def split_role_hint(normalised: str) -> list[str]:
    """The job parts of a normalised HN roles line, in order (empty parts dropped)."""
    return [p.strip(" .-:()[]") for p in _SEPARATORS.split(normalised) if p.strip(" .-:()[]")]


_Compiled = tuple[str, re.Pattern[str], re.Pattern[str] | None]


def _combine(patterns: list[str]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None


# --- the classifier ------------------------------------------------------------------------------


class RoleBook:
    """The loaded roles file: version, hash, ids and labels, and ``classify``."""

    def __init__(self, data: bytes, source: str = "roles.yaml") -> None:
        self._data = data
        self._source = source
        spec = _parse(data, source)
        self.version: str = spec.version
        self.content_hash: str = hashlib.sha256(data).hexdigest()
        self.ids: tuple[str, ...] = tuple(r.id for r in spec.roles)
        self.seniority_ids: tuple[str, ...] = tuple(s.id for s in spec.seniority)
        self._labels = {r.id: r.label for r in spec.roles}
        matchable = [r for r in spec.roles if r.id != OTHER]
        self._strong: list[_Compiled] = [
            (r.id, rx, _combine(r.exclusions))
            for r in matchable
            if (rx := _combine(r.patterns)) is not None
        ]
        self._weak: list[_Compiled] = [
            (r.id, rx, _combine(r.exclusions))
            for r in matchable
            if (rx := _combine(r.field_patterns)) is not None
        ]
        self._levels = [
            (s.id, rx) for s in spec.seniority if (rx := _combine(s.patterns)) is not None
        ]
        # One search tells whether any level is stated at all (most titles state none).
        self._any_level = _combine([p for s in spec.seniority for p in s.patterns])
        self._part_memo: dict[str, tuple[str | None, str]] = {}
        self._memo: dict[tuple[str | None, str | None], RoleAssignment] = {}

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickle the file's bytes, not the compiled state: small, and rebuilt exactly on load.
        return (RoleBook, (self._data, self._source))

    def __repr__(self) -> str:
        return f"RoleBook(version={self.version!r}, roles={len(self.ids)}, source={self._source!r})"

    def label(self, role_id: str) -> str:
        """The human label of a role id; ``UnknownRole`` for an id not in the file."""
        try:
            return self._labels[role_id]
        except KeyError:
            raise UnknownRole(f"unknown role '{role_id}' (known: {', '.join(self.ids)})") from None

    def classify(self, title: str | None, role_hint: str | None = None) -> RoleAssignment:
        """Roles and seniority of a posting from its title and, for HN, its roles line."""
        key = (title, role_hint)
        found = self._memo.get(key)
        if found is None:
            found = self._classify(title, role_hint)
            if len(self._memo) >= _MEMO_LIMIT:
                self._memo.clear()
            self._memo[key] = found
        return found

    def _classify(self, title: str | None, role_hint: str | None) -> RoleAssignment:
        norm_title = normalise_title(title) if title else ""
        norm_hint = normalise_title(role_hint) if role_hint else ""
        roles: list[str] = []
        if norm_hint:
            for part in self._job_parts(split_role_hint(norm_hint)):
                role = self.role_of(part)
                if role not in roles:
                    roles.append(role)
        real = [r for r in roles if r != OTHER]
        if not real and norm_title:
            real = [r for r in (self.role_of(norm_title),) if r != OTHER]
        seniority = self.seniority_of(norm_title)
        if seniority == UNKNOWN and norm_hint:
            seniority = self.seniority_of(norm_hint)
        return RoleAssignment(roles=tuple(real) or (OTHER,), seniority=seniority)

    def _job_parts(self, parts: list[str]) -> list[str]:
        """Join each part that only qualifies the job before it onto that job.

        A part qualifies the previous one when it names no job noun, the previous part ends with
        one, and either the part names no job by itself ("Incident Detection") or the previous
        job is the generic software engineer ("Software Engineer, Full Stack"). Inside an open
        parenthesis the parts are a list ("Software Engineers (SRE, data platform, mobile)").
        """
        jobs: list[str] = []
        for part in parts:
            if (
                jobs
                and _JOB_NOUN.search(part) is None
                and _ENDS_WITH_JOB_NOUN.search(jobs[-1]) is not None
                and jobs[-1].count("(") <= jobs[-1].count(")")
                and (
                    self._roles_of(part)[0] is None
                    or self._roles_of(jobs[-1])[1] == "software-engineer"
                )
            ):
                jobs[-1] = f"{jobs[-1]}, {part}"
            else:
                jobs.append(part)
        return jobs

    def _roles_of(self, normalised: str) -> tuple[str | None, str]:
        """(role named by a job pattern or None, the role after both passes), memoised."""
        found = self._part_memo.get(normalised)
        if found is None:
            strong = self._first(self._strong, normalised)
            found = (strong, strong or self._first(self._weak, normalised) or OTHER)
            if len(self._part_memo) >= _MEMO_LIMIT:
                self._part_memo.clear()
            self._part_memo[normalised] = found
        return found

    @staticmethod
    def _first(table: list[_Compiled], normalised: str) -> str | None:
        for role_id, rx, excl in table:
            if rx.search(normalised) and not (excl and excl.search(normalised)):
                return role_id
        return None

    def role_of(self, normalised: str) -> str:
        """The one role of a normalised single-job text: job patterns, then field patterns."""
        return self._roles_of(normalised)[1]

    def seniority_of(self, normalised: str) -> str:
        """The first seniority level (file order) stated in a normalised text, else "unknown"."""
        if self._any_level is None or self._any_level.search(normalised) is None:
            return UNKNOWN
        for level_id, rx in self._levels:
            if rx.search(normalised):
                return level_id
        return UNKNOWN


def _parse(data: bytes, source: str) -> RolesFile:
    try:
        raw = yaml.safe_load(data)
    except yaml.YAMLError as exc:
        raise DataFileError(f"{source}: not valid YAML ({exc})") from None
    if not isinstance(raw, dict):
        raise DataFileError(f"{source}: expected a mapping with version, roles and seniority")
    try:
        return RolesFile.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'file'}: {err['msg']}"
            for err in exc.errors()
        )
        raise DataFileError(f"{source}: {problems}") from None


@functools.cache
def _default_book() -> RoleBook:
    data = importlib.resources.files("skillgauge.taxonomy").joinpath("roles.yaml").read_bytes()
    return RoleBook(data, "skillgauge/taxonomy/roles.yaml")


def load_roles(path: Path | None = None) -> RoleBook:
    """Load and validate a roles file; without a path, the packaged one (loaded once, cached)."""
    if path is None:
        return _default_book()
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise SourceNotFound(f"roles file not found: {path}") from None
    return RoleBook(data, str(path))

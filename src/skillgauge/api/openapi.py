"""The OpenAPI schema says which values are valid: roles, sources, terms and currencies as enums.

A ``source=zzz`` or ``term=zzz`` request is well formed but names something the database does not
hold; the API answers it with a documented 400 (404 for a role). A schema that only says "a string"
calls such a request valid, so clients (and schemathesis) cannot tell a good request from a bad one
without trying it. Here the schema lists the values the database actually holds, read from it when
the schema is first asked for and again after every write (an ingest can add a source).

Validation is unchanged: FastAPI still checks only types and bounds, and an unknown name still gets
its 400/404 with the closest ids in the message. The enums document; they do not reject.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI

from skillgauge.api.routes_common import ApiState
from skillgauge.database import Database

#: Query parameter name -> which list of known values it takes.
PARAMETER_KINDS: dict[str, str] = {
    "role": "roles",
    "role_a": "roles",
    "role_b": "roles_or_rest",
    "compare": "roles",
    "source": "sources",
    "term": "terms",
    "terms": "terms",
    "currency": "currencies",
}

_STRING_BOUNDS = ("minLength", "maxLength", "pattern")


@dataclass(frozen=True)
class KnownValues:
    """What the database holds, each sorted: the values the schema's enums list."""

    roles: tuple[str, ...]
    sources: tuple[str, ...]
    terms: tuple[str, ...]
    currencies: tuple[str, ...]

    @property
    def roles_or_rest(self) -> tuple[str, ...]:
        """``role_b`` of a comparison: a role, or ``rest`` (every posting not of ``role_a``)."""
        return (*self.roles, "rest")

    def of(self, kind: str) -> tuple[str, ...]:
        found: tuple[str, ...] = getattr(self, kind)
        return found


def known_values(db: Database) -> KnownValues:
    """Role ids (the roles file), sources and salary currencies (the postings), term ids (the
    taxonomy)."""
    con = db.store.con
    sources = [str(r[0]) for r in con.execute("SELECT DISTINCT source FROM postings").fetchall()]
    currencies = [
        str(r[0]).upper()
        for r in con.execute(
            "SELECT DISTINCT salary_currency FROM postings WHERE salary_currency IS NOT NULL"
        ).fetchall()
    ]
    return KnownValues(
        roles=tuple(sorted(db.role_ids())),
        sources=tuple(sorted(set(sources))),
        terms=tuple(sorted(db.term_labels())),
        currencies=tuple(sorted({c for c in currencies if len(c) == 3 and c.isalpha()})),
    )


def with_enum(node: dict[str, Any], values: Sequence[str]) -> dict[str, Any]:
    """A copy of a parameter's JSON schema whose string parts (also inside ``anyOf`` and array
    ``items``) list ``values`` as their enum. String bounds are dropped: the enum is tighter.
    An empty ``values`` leaves the node as it is (an enum must not be empty)."""
    if not values:
        return node
    out = copy.deepcopy(node)

    def visit(part: dict[str, Any]) -> None:
        if part.get("type") == "string" and "format" not in part:
            part["enum"] = list(values)
            for key in _STRING_BOUNDS:
                part.pop(key, None)
        if part.get("type") == "array" and isinstance(part.get("items"), dict):
            visit(part["items"])
        for sub in part.get("anyOf", []):
            if isinstance(sub, dict):
                visit(sub)

    visit(out)
    return out


def add_enums(spec: dict[str, Any], known: KnownValues) -> dict[str, Any]:
    """``spec`` with an enum on every query parameter named in :data:`PARAMETER_KINDS`."""
    for operations in spec.get("paths", {}).values():
        for operation in operations.values():
            for param in operation.get("parameters", []):
                kind = PARAMETER_KINDS.get(str(param.get("name")))
                if kind is not None and param.get("in") == "query" and "schema" in param:
                    param["schema"] = with_enum(param["schema"], known.of(kind))
    return spec


def install_openapi(app: FastAPI, api_state: ApiState) -> None:
    """Replace ``app.openapi`` with one that adds the enums, rebuilt after each write."""
    default: Callable[[], dict[str, Any]] = app.openapi
    cached: dict[int, dict[str, Any]] = {}

    def openapi() -> dict[str, Any]:
        generation = api_state.generation
        if generation not in cached:
            app.openapi_schema = None  # FastAPI caches its own; take a fresh copy to annotate
            spec = copy.deepcopy(default())
            cached.clear()
            cached[generation] = add_enums(spec, api_state.read(known_values))
        app.openapi_schema = cached[generation]
        return cached[generation]

    app.openapi = openapi  # type: ignore[method-assign]

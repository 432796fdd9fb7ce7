"""What is in the database: roles, taxonomy terms, the run audit trail and ``/-/versions``."""

from __future__ import annotations

import platform
from typing import Annotated, Any

import duckdb
from fastapi import APIRouter, Query, Request

from skillgauge import __version__
from skillgauge.api.errors import ERROR_RESPONSES
from skillgauge.api.routes_common import SafeJSONResponse, corpus_population, records, state
from skillgauge.database import Database
from skillgauge.store import queries
from skillgauge.store.migrations import schema_version

router = APIRouter(responses=ERROR_RESPONSES, default_response_class=SafeJSONResponse)


@router.get("/api/roles", tags=["meta"], summary="Roles with their unique postings")
def roles(request: Request) -> SafeJSONResponse:
    def run(db: Database) -> dict[str, Any]:
        counts = {str(r): int(n) for r, n in db.roles().itertuples(index=False, name=None)}
        return {
            "roles": [
                {"id": r, "label": db.role_label(r), "postings": counts.get(r, 0)}
                for r in db.role_ids()
            ],
            "population": corpus_population(db),
        }

    return SafeJSONResponse(state(request).read(run))


@router.get("/api/terms", tags=["meta"], summary="The taxonomy's terms")
def terms(request: Request) -> SafeJSONResponse:
    def run(db: Database) -> dict[str, Any]:
        tax = db.tools.taxonomy
        return {
            "taxonomy": {"version": tax.version, "hash": tax.content_hash},
            "terms": [
                {
                    "id": t.id,
                    "label": t.label,
                    "category": str(getattr(t.category, "value", t.category)),
                    "aliases": [a.text for a in t.aliases],
                    "prerequisites": list(t.prerequisites),
                }
                for t in tax.terms
            ],
        }

    return SafeJSONResponse(state(request).read(run))


@router.get("/api/runs", tags=["meta"], summary="The run audit trail, newest first")
def runs(request: Request, limit: Annotated[int, Query(ge=1, le=1000)] = 50) -> SafeJSONResponse:
    def run(db: Database) -> dict[str, Any]:
        return {"runs": records(db.runs(limit)), "population": corpus_population(db)}

    return SafeJSONResponse(state(request).read(run))


@router.get("/-/versions", tags=["meta"], summary="Versions of everything behind the numbers")
def versions(request: Request) -> SafeJSONResponse:
    def run(db: Database) -> dict[str, Any]:
        tax = db.tools.taxonomy
        facts = queries.corpus_facts(db.store.con)
        return {
            "skillgauge": __version__,
            "python": platform.python_version(),
            "duckdb": duckdb.__version__,
            "taxonomy": {
                "version": tax.version,
                "hash": tax.content_hash,
                "terms": len(tax.terms),
            },
            "roles_version": db.tools.roles.version,
            "schema_version": schema_version(db.store.con),
            "database": str(db.settings.db),
            "corpus": {
                "postings": facts.postings,
                "sources": [{"name": n, "postings": c} for n, c in facts.sources],
                "date_min": facts.date_min,
                "date_max": facts.date_max,
            },
        }

    return SafeJSONResponse(state(request).read(run))

"""Shares of postings per term (the role-vs-role report) and two-role comparisons."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request

from skillgauge.analyze.compare import ADJUST_METHOD, CI_METHOD, TEST_METHOD
from skillgauge.api.errors import ERROR_RESPONSES
from skillgauge.api.routes_common import (
    SafeJSONResponse,
    check_terms,
    frame_payload,
    records,
    state,
)
from skillgauge.database import ALL, Database
from skillgauge.report.model import MAX_ROLES

router = APIRouter(responses=ERROR_RESPONSES, default_response_class=SafeJSONResponse)

Role = Annotated[str, Query(min_length=1, max_length=100, description="A role id, or 'all'")]


@router.get("/api/shares", tags=["analyses"], summary="Share of postings mentioning each term")
def shares(
    request: Request,
    role: Role = ALL,
    # a report draws at most MAX_ROLES roles: the role and MAX_ROLES - 1 others
    compare: Annotated[list[str], Query(max_length=MAX_ROLES - 1)] = [],  # noqa: B006 - FastAPI copies it
    top: Annotated[int, Query(ge=1, le=200)] = 20,
) -> SafeJSONResponse:
    def run(db: Database) -> dict[str, Any]:
        report = db.report(role, compare, top=top, command="GET /api/shares")
        sizes = report.manifest.postings_by_role
        return {
            "roles": [
                {"id": r, "label": db.role_label(r), "postings": sizes.get(r, 0)}
                for r in report.roles
            ],
            "rows": records(report.shares),
            "manifest": report.manifest.as_dict(),
        }

    return SafeJSONResponse(state(request).read(run))


@router.get("/api/compare", tags=["analyses"], summary="Difference in share between two roles")
def compare(
    request: Request,
    role_a: Role,
    role_b: Annotated[str, Query(min_length=1, max_length=100)] = "rest",
    overlap: Literal["exclude", "include"] = "exclude",
    source: Annotated[str | None, Query(max_length=100)] = None,
    terms: Annotated[list[str] | None, Query(max_length=200)] = None,
    alpha: Annotated[float, Query(gt=0, lt=1)] = 0.05,
) -> SafeJSONResponse:
    def run(db: Database) -> dict[str, Any]:
        check_terms(db, terms)
        df = db.compare(
            role_a, role_b, terms=terms or None, overlap=overlap, source=source, alpha=alpha
        )
        payload = frame_payload(df)
        payload["methods"] = {
            "interval": CI_METHOD,
            "test": TEST_METHOD,
            "adjustment": ADJUST_METHOD,
            "alpha": alpha,
            "overlap": overlap,
        }
        return payload

    return SafeJSONResponse(state(request).read(run))

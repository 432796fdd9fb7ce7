"""Advice: a learning path for a role and a skill-gap analysis (the skills sent are never stored)."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from skillgauge.api.errors import ERROR_RESPONSES
from skillgauge.api.routes_common import SafeJSONResponse, state
from skillgauge.database import Database

router = APIRouter(responses=ERROR_RESPONSES, default_response_class=SafeJSONResponse)


@router.get("/api/path", tags=["advice"], summary="An ordered learning path for a role")
def path(
    request: Request,
    role: Annotated[str, Query(min_length=1, max_length=100)],
    top: Annotated[int, Query(ge=1, le=100)] = 25,
) -> SafeJSONResponse:
    def run(db: Database) -> dict[str, Any]:
        lp = db.path(role, top=top)
        return {
            "role": lp.role,
            "role_label": lp.role_label,
            "n": lp.n,
            "low_n": lp.low_n,
            "message": lp.message,
            "method": lp.method,
            "steps": [dataclasses.asdict(s) for s in lp.steps],
            "population": {"postings": lp.n, "roles": [lp.role]},
        }

    return SafeJSONResponse(state(request).read(run))


class GapRequest(BaseModel):
    """What the person knows, as text ("python, sql, pandas"), and the role they aim for."""

    model_config = ConfigDict(extra="forbid")

    role: str = Field(min_length=1, max_length=100)
    skills: str = Field(default="", max_length=5000)
    top: int = Field(default=10, ge=1, le=50)


@router.post("/api/gap", tags=["advice"], summary="What you have and what to learn next")
def gap(request: Request, body: GapRequest) -> SafeJSONResponse:
    def run(db: Database) -> dict[str, Any]:
        g, found, unknown = db.gap(body.role, skills=body.skills, top=body.top)
        return {
            "role": g.role,
            "role_label": g.role_label,
            "skills_found": found,
            "unrecognised": unknown,
            "coverage": g.coverage,
            "ci_low": g.ci_low,
            "ci_high": g.ci_high,
            "covered": g.covered,
            "n": g.n,
            "n_evaluated": g.n_evaluated,
            "low_n": g.low_n,
            "message": g.message,
            "have": [dataclasses.asdict(h) for h in g.have],
            "next": [dataclasses.asdict(s) for s in g.next_steps],
            "best_roles": [dataclasses.asdict(r) for r in g.best_roles],
            "method": g.method,
            "population": {"postings": g.n, "roles": [g.role]},
        }

    return SafeJSONResponse(state(request).read(run))

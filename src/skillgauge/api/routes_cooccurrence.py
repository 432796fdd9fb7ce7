"""Which terms are asked together: pairs, "also asked" for one term, and clusters."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Query, Request

from skillgauge.api.errors import ERROR_RESPONSES
from skillgauge.api.routes_common import SafeJSONResponse, frame_payload, state
from skillgauge.database import Database

router = APIRouter(responses=ERROR_RESPONSES, default_response_class=SafeJSONResponse)

OptRole = Annotated[str | None, Query(min_length=1, max_length=100)]
Source = Annotated[str | None, Query(max_length=100)]


def _payload(df: pd.DataFrame, role: str | None, source: str | None) -> dict[str, Any]:
    """The frame's rows; a population from its attrs, or from ``n`` and the selection made
    (the pair statistics are computed without the meta frame, so only the count is known)."""
    payload = frame_payload(df)
    if "population" not in payload:
        payload["population"] = {
            "postings": int(df.attrs.get("n", 0)),
            "roles": [role] if role else [],
            "sources": [source] if source else [],
        }
    elif role and not payload["population"].roles:
        # the role selection, which the frame's population cannot know
        payload["population"] = dataclasses.replace(payload["population"], roles=(role,))
    return payload


@router.get(
    "/api/cooccurrence",
    tags=["analyses"],
    summary="Term pairs asked together, or what postings asking for `term` also ask for",
)
def cooccurrence(
    request: Request,
    term: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
    role: OptRole = None,
    source: Source = None,
    top: Annotated[int, Query(ge=1, le=200)] = 15,
    min_count: Annotated[int, Query(ge=1)] = 5,
) -> SafeJSONResponse:
    def run(db: Database) -> dict[str, Any]:
        if term:
            df = db.also_asked(term, role=role, source=source, top=top)
            return _payload(df, role, source) | {"kind": "also_asked", "term": term}
        pairs = db.cooccurrence(role=role, source=source, min_count=min_count)
        head = pairs.head(top).copy()
        head.attrs = dict(pairs.attrs)
        return _payload(head, role, source) | {"kind": "pairs", "total_pairs": len(pairs)}

    return SafeJSONResponse(state(request).read(run))


@router.get("/api/clusters", tags=["analyses"], summary="Communities of terms asked together")
def clusters(
    request: Request,
    role: OptRole = None,
    source: Source = None,
    min_weight: Annotated[float, Query(ge=-1, le=1)] = 0.1,
) -> SafeJSONResponse:
    df = state(request).read(
        lambda db: db.skill_clusters(role=role, source=source, min_weight=min_weight)
    )
    return SafeJSONResponse(_payload(df, role, source))

"""Browse the stored (unique) postings: by role, by text, a page at a time."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from skillgauge.api.errors import ERROR_RESPONSES
from skillgauge.api.routes_common import SafeJSONResponse, records, state
from skillgauge.database import Database
from skillgauge.store import queries

router = APIRouter(responses=ERROR_RESPONSES, default_response_class=SafeJSONResponse)

MAX_PAGE_SIZE = 100


@router.get("/api/postings", tags=["postings"], summary="Search postings, a page at a time")
def postings(
    request: Request,
    role: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
    q: Annotated[
        str | None, Query(max_length=200, description="Text in title/company/body")
    ] = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 20,
) -> SafeJSONResponse:
    def run(db: Database) -> dict[str, Any]:
        checked = db.check_role(role) if role else None
        found = queries.postings_page(
            db.store.con,
            role=checked,
            q=q or None,
            offset=(page - 1) * page_size,
            limit=page_size,
        )
        return {
            "page": page,
            "page_size": page_size,
            "total": found.total,
            "items": records(found.items),
            "population": {"postings": found.total, "roles": [checked] if checked else []},
        }

    return SafeJSONResponse(state(request).read(run))

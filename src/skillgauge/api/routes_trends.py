"""Shares over time and the emerging/fading tests."""

from __future__ import annotations

from typing import Annotated, Literal

import pandas as pd
from fastapi import APIRouter, Query, Request

from skillgauge.api.errors import ERROR_RESPONSES
from skillgauge.api.routes_common import SafeJSONResponse, check_terms, frame_payload, state
from skillgauge.database import Database

router = APIRouter(responses=ERROR_RESPONSES, default_response_class=SafeJSONResponse)

Freq = Literal["month", "quarter"]
OptRole = Annotated[str | None, Query(min_length=1, max_length=100)]
Source = Annotated[str | None, Query(max_length=100)]


@router.get("/api/trends", tags=["analyses"], summary="Share per period for some terms")
def trends(
    request: Request,
    terms: Annotated[list[str], Query(min_length=1, max_length=20)],
    role: OptRole = None,
    freq: Freq = "month",
    source: Source = None,
) -> SafeJSONResponse:
    def run(db: Database) -> pd.DataFrame:
        check_terms(db, terms)
        return db.trends(terms, role=role, freq=freq, source=source)

    return SafeJSONResponse(frame_payload(state(request).read(run)))


@router.get("/api/trends/tests", tags=["analyses"], summary="Emerging and fading terms")
def trend_tests(
    request: Request,
    role: OptRole = None,
    freq: Freq = "month",
    source: Source = None,
    terms: Annotated[list[str] | None, Query(max_length=200)] = None,
) -> SafeJSONResponse:
    def run(db: Database) -> pd.DataFrame:
        check_terms(db, terms)
        return db.trend_tests(role=role, freq=freq, source=source, terms=terms or None)

    return SafeJSONResponse(frame_payload(state(request).read(run)))

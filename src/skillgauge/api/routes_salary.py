"""Stated salaries: medians with and without a term, coverage, and the controlled regression."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from skillgauge.api.errors import ERROR_RESPONSES
from skillgauge.api.routes_common import SafeJSONResponse, frame_payload, state

router = APIRouter(responses=ERROR_RESPONSES, default_response_class=SafeJSONResponse)

OptRole = Annotated[str | None, Query(min_length=1, max_length=100)]
Currency = Annotated[str, Query(pattern=r"^[A-Za-z]{3}$")]


@router.get("/api/salary", tags=["salary"], summary="Median salary with and without each term")
def salary(
    request: Request,
    role: OptRole = None,
    terms: Annotated[list[str] | None, Query(max_length=200)] = None,
    currency: Currency = "USD",
) -> SafeJSONResponse:
    df = state(request).read(
        lambda db: db.salary(role=role, terms=terms or None, currency=currency.upper())
    )
    return SafeJSONResponse(frame_payload(df))


@router.get("/api/salary/coverage", tags=["salary"], summary="Share of postings stating a salary")
def salary_coverage(request: Request, role: OptRole = None) -> SafeJSONResponse:
    df = state(request).read(lambda db: db.salary_coverage(role))
    return SafeJSONResponse(frame_payload(df))


@router.get("/api/salary/regression", tags=["salary"], summary="OLS of log salary on terms")
def salary_regression(
    request: Request,
    terms: Annotated[list[str], Query(min_length=1, max_length=50)],
    role: OptRole = None,
    currency: Currency = "USD",
) -> SafeJSONResponse:
    df = state(request).read(
        lambda db: db.salary_regression(terms, role=role, currency=currency.upper())
    )
    return SafeJSONResponse(frame_payload(df))

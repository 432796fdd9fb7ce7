"""Stated salaries: medians with and without a term, coverage, and the controlled regression."""

from __future__ import annotations

from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Query, Request

from skillgauge.api.errors import ERROR_RESPONSES
from skillgauge.api.routes_common import SafeJSONResponse, check_terms, frame_payload, state
from skillgauge.database import Database
from skillgauge.exceptions import InputError

router = APIRouter(responses=ERROR_RESPONSES, default_response_class=SafeJSONResponse)

#: Terms of ``/api/salary`` when none are named: the selection's top terms by share. Each term is a
#: bootstrap (about 40 ms on 35,000 postings) run under the API's one read lock, so "every term"
#: (some 600) held every other request for half a minute.
DEFAULT_SALARY_TERMS = 15
#: The most terms one ``/api/salary`` request may name (a 400 beyond it).
MAX_SALARY_TERMS = 25

OptRole = Annotated[str | None, Query(min_length=1, max_length=100)]
Currency = Annotated[str, Query(pattern=r"^[A-Za-z]{3}$")]


@router.get(
    "/api/salary",
    tags=["salary"],
    summary="Median salary with and without each term",
    description=(
        f"Without `terms`: the role's {DEFAULT_SALARY_TERMS} most asked-for terms (by share of "
        f"postings; all postings without `role`), listed in `terms` in the answer. At most "
        f"{MAX_SALARY_TERMS} `terms` per request (a 400 beyond). The figures for given terms in a "
        "given order do not depend on whether they were named or defaulted."
    ),
)
def salary(
    request: Request,
    role: OptRole = None,
    terms: Annotated[
        list[str] | None, Query(json_schema_extra={"maxItems": MAX_SALARY_TERMS})
    ] = None,
    currency: Currency = "USD",
) -> SafeJSONResponse:
    if terms is not None and len(terms) > MAX_SALARY_TERMS:
        raise InputError(
            f"at most {MAX_SALARY_TERMS} terms per salary request, got {len(terms)}; "
            "ask in several requests"
        )

    def run(db: Database) -> dict[str, Any]:
        check_terms(db, terms)
        chosen = list(terms) if terms else default_salary_terms(db, role)
        df = db.salary(role=role, terms=chosen, currency=currency.upper())
        return frame_payload(df, terms=chosen, default_terms=not terms)

    return SafeJSONResponse(state(request).read(run))


def default_salary_terms(db: Database, role: str | None) -> list[str]:
    """The role's (or the corpus's) :data:`DEFAULT_SALARY_TERMS` terms with the largest share of
    postings, most asked for first (the order of ``skillgauge report``)."""
    top = db.shares(role, top=DEFAULT_SALARY_TERMS)
    return [str(t) for t in top["term_id"]]


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
    def run(db: Database) -> pd.DataFrame:
        check_terms(db, terms)
        return db.salary_regression(terms, role=role, currency=currency.upper())

    return SafeJSONResponse(frame_payload(state(request).read(run)))

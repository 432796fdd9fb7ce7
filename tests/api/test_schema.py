"""The OpenAPI schema holds: schemathesis generates requests for every operation from
``/openapi.json`` and runs them in-process against the app on a small database; no response may be
a 500, every response must match its documented status, content type and schema, and a request the
schema calls valid must be accepted (roles, sources, terms and currencies are enums of what the
database holds, so a schema-valid request names only things that exist)."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from skillgauge.api import create_app
from skillgauge.database import Database
from tests.api.test_api import SETTINGS, build_db

# Built at import: schemathesis parametrises from a schema object (its ``from_fixture`` fails on
# this pytest). A small corpus (the statistics run on every request) and a write token, so the write
# endpoints are in the schema too: generated requests carry no valid token (a documented 401).
_tmp = tempfile.mkdtemp(prefix="skillgauge-schema-")
app = create_app(build_db(Path(_tmp), n=160), settings=SETTINGS, token="schema-test-token")
schema = schemathesis.openapi.from_asgi("/openapi.json", app)


#: The one kind of 400 a request naming only existing roles, terms and sources can still get: the
#: selection holds too few postings to answer (a role with no postings, too few salaries, a term no
#: posting of the role mentions), or asks to compare a role with itself. A schema cannot say either.
#: Anything else (an unknown source or term, a bound the schema does not state) fails the check.
NOT_ENOUGH_DATA = re.compile(
    r"^(no postings for role|too few postings|no posting in the selection|no term pairs|"
    r"no shares rows for role|"
    r"none of the terms .* can be estimated|cannot compare role '[^']+' with itself)"
)


def positive_data_accepted(ctx: Any, response: Any, case: schemathesis.Case) -> bool | None:
    """schemathesis's positive-data acceptance check, except for a data shortage (see above)."""
    if response.status_code == 400:
        message = str(response.json()["error"]["message"])
        if NOT_ENOUGH_DATA.search(message):
            return None
    result: bool | None = positive_data_acceptance(ctx, response, case)
    return result


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case: schemathesis.Case) -> None:
    case.call_and_validate(
        excluded_checks=[positive_data_acceptance], additional_checks=[positive_data_accepted]
    )


def test_schema_documents_the_contract() -> None:
    paths = set(app.openapi()["paths"])
    assert {
        "/api/roles",
        "/api/terms",
        "/api/shares",
        "/api/compare",
        "/api/trends",
        "/api/trends/tests",
        "/api/cooccurrence",
        "/api/clusters",
        "/api/salary",
        "/api/salary/coverage",
        "/api/salary/regression",
        "/api/path",
        "/api/gap",
        "/api/postings",
        "/api/runs",
        "/-/versions",
        "/api/ingest",
        "/api/collect",
    } <= paths


def _param(path: str, name: str) -> dict[str, Any]:
    params = app.openapi()["paths"][path]["get"]["parameters"]
    found: dict[str, Any] = next(p for p in params if p["name"] == name)
    return found


def test_schema_lists_the_valid_roles_sources_terms_and_currencies() -> None:
    with Database(Path(_tmp) / "api.duckdb", settings=SETTINGS, read_only=True) as db:
        roles, terms = sorted(db.role_ids()), sorted(db.term_labels())
    assert _param("/api/shares", "role")["schema"]["enum"] == roles
    assert _param("/api/shares", "compare")["schema"]["items"]["enum"] == roles
    assert _param("/api/compare", "role_b")["schema"]["enum"] == [*roles, "rest"]
    assert _param("/api/clusters", "source")["schema"]["anyOf"][0]["enum"] == ["a", "b"]
    assert _param("/api/cooccurrence", "term")["schema"]["anyOf"][0]["enum"] == terms
    assert _param("/api/trends", "terms")["schema"]["items"]["enum"] == terms
    assert _param("/api/salary", "currency")["schema"]["enum"] == ["USD"]


@pytest.mark.parametrize("status", ["400", "404", "422", "500"])
def test_errors_are_documented(status: str) -> None:
    op = app.openapi()["paths"]["/api/shares"]["get"]
    assert op["responses"][status]["content"]["application/json"]["schema"]["$ref"].endswith(
        "ErrorBody"
    )

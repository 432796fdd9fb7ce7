"""The OpenAPI schema holds: schemathesis generates requests for every operation from
``/openapi.json`` and runs them in-process against the app on a small database; no response may be
a 500, and every response must match its documented status, content type and schema."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from skillgauge.api import create_app
from tests.api.test_api import SETTINGS, build_db

# Built at import: schemathesis parametrises from a schema object (its ``from_fixture`` fails on
# this pytest). A small corpus (the statistics run on every request) and a write token, so the write
# endpoints are in the schema too: generated requests carry no valid token (a documented 401).
_tmp = tempfile.mkdtemp(prefix="skillgauge-schema-")
app = create_app(build_db(Path(_tmp), n=160), settings=SETTINGS, token="schema-test-token")
schema = schemathesis.openapi.from_asgi("/openapi.json", app)


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case: schemathesis.Case) -> None:
    # Every default check but one: a schema-valid request may still name a source or term the
    # database does not hold, and that is a documented 400 (InputError), not a defect.
    case.call_and_validate(excluded_checks=[positive_data_acceptance])


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


@pytest.mark.parametrize("status", ["400", "404", "422", "500"])
def test_errors_are_documented(status: str) -> None:
    op = app.openapi()["paths"]["/api/shares"]["get"]
    assert op["responses"][status]["content"]["application/json"]["schema"]["$ref"].endswith(
        "ErrorBody"
    )

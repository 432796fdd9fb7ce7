"""The REST API end to end on a small database built here: every endpoint's numbers against the
Database methods, the contract's error shapes, token rules, size limits, NaN as null, pagination."""

from __future__ import annotations

import json
import logging
import math
import random
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

import skillgauge as sg
from skillgauge.api import create_app
from skillgauge.api.routes_common import jsonable
from skillgauge.database import Database
from skillgauge.settings import load_settings
from tests.synth import planted_postings, posting

SETTINGS = load_settings(workers=1)
ML = "machine-learning-engineer"
DS = "data-scientist"


def build_db(tmp: Path, n: int = 400) -> Path:
    """Synthetic postings with planted differences (ML engineers ask for PyTorch, data
    scientists for R and SQL), salaries on a third, two sources (a, b)."""
    # the source is named after the file here, not by a field
    rows = [{k: v for k, v in r.items() if k != "source_name"} for r in planted_postings(n, seed=5)]
    files = [tmp / "a.jsonl", tmp / "b.jsonl"]  # the source is named after the file
    for k, f in enumerate(files):
        f.write_text("".join(json.dumps(r) + "\n" for r in rows[k::2]), encoding="utf-8")
    path = tmp / "api.duckdb"
    with sg.open(path, workers=1) as db:
        db.ingest(files)
    return path


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_db(tmp_path_factory.mktemp("api"))


@pytest.fixture(scope="module")
def client(db_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db_path, settings=SETTINGS)) as c:
        yield c


@pytest.fixture(scope="module")
def db(db_path: Path, client: TestClient) -> Iterator[Database]:
    # a second read-only connection in the same process, as the library would open it
    with Database(db_path, settings=SETTINGS, read_only=True) as d:
        yield d


def ok(client: TestClient, url: str, **kw: Any) -> dict[str, Any]:
    r = client.get(url, **kw)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def assert_error(r: Any, status: int, kind: str | None = None) -> str:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    err = r.json()["error"]
    assert set(err) == {"type", "message"}
    assert "Traceback" not in r.text
    if kind:
        assert err["type"] == kind
    return str(err["message"])


def same(a: object, b: object) -> bool:
    """Numbers equal, with NaN from the frame matching null in the JSON."""
    if b is None or (isinstance(b, float) and math.isnan(b)):
        return a is None
    if isinstance(b, float):
        return isinstance(a, int | float) and math.isclose(a, b, rel_tol=1e-12)
    return bool(a == b)


def rows_match(rows: list[dict[str, Any]], df: pd.DataFrame, cols: list[str]) -> None:
    assert len(rows) == len(df)
    for got, (_, want) in zip(rows, df.iterrows(), strict=True):
        for c in cols:
            assert same(got[c], jsonable(want[c])), (c, got[c], want[c])


# -- reading endpoints -------------------------------------------------------------------------


def test_roles_match_the_database(client: TestClient, db: Database) -> None:
    body = ok(client, "/api/roles")
    counts = dict(zip(db.roles()["role"], db.roles()["postings"], strict=True))
    assert [r["id"] for r in body["roles"]] == list(db.role_ids())
    for r in body["roles"]:
        assert r["postings"] == counts.get(r["id"], 0)
        assert r["label"] == db.role_label(r["id"])
    assert body["population"]["postings"] == db.table_counts()["postings"]


def test_terms_are_the_taxonomy(client: TestClient, db: Database) -> None:
    body = ok(client, "/api/terms")
    tax = db.tools.taxonomy
    assert body["taxonomy"] == {"version": tax.version, "hash": tax.content_hash}
    assert len(body["terms"]) == len(tax.terms)
    py = next(t for t in body["terms"] if t["id"] == "python")
    assert py["label"] == "Python" and "Python" in py["aliases"]
    assert set(py) == {"id", "label", "category", "aliases", "prerequisites"}


def test_shares_match_report(client: TestClient, db: Database) -> None:
    body = ok(client, f"/api/shares?role={ML}&compare={DS}&top=5")
    want = db.report(ML, [DS], top=5).shares
    assert [r["id"] for r in body["roles"]] == [ML, DS]
    rows_match(body["rows"], want, ["role", "term_id", "count", "n", "share", "ci_low", "low_n"])
    assert body["manifest"]["postings_by_role"][ML] == body["roles"][0]["postings"]
    assert body["manifest"]["corpus_postings"] == db.table_counts()["postings"]
    # default: every posting
    assert ok(client, "/api/shares")["roles"][0]["id"] == "all"


def test_compare_finds_the_planted_difference(client: TestClient, db: Database) -> None:
    body = ok(client, f"/api/compare?role_a={ML}&role_b={DS}")
    want = db.compare(ML, DS)
    rows_match(body["rows"], want, ["term_id", "diff", "diff_low", "diff_high", "q_value"])
    pytorch = next(r for r in body["rows"] if r["term_id"] == "pytorch")
    assert pytorch["diff"] > 0.5 and pytorch["significant"]
    assert body["population_a"]["postings"] == int(want["n_a"].iloc[0])
    assert body["population_b"]["roles"] == [DS]
    assert body["methods"]["overlap"] == "exclude" and "Newcombe" in body["methods"]["interval"]


def test_trends_and_tests(client: TestClient, db: Database) -> None:
    body = ok(client, "/api/trends?terms=python&terms=sql&freq=quarter&source=a")
    want = db.trends(["python", "sql"], freq="quarter", source="a")
    rows_match(body["rows"], want, ["period", "term", "count", "n", "share", "ci_high"])
    assert body["population"]["sources"] == ["a"] and body["method"]
    tests = ok(client, "/api/trends/tests?freq=quarter")
    rows_match(tests["rows"], db.trend_tests(freq="quarter"), ["term", "count", "n"])
    assert tests["population"]["postings"] > 0
    assert_error(client.get("/api/trends"), 422, "ValidationError")  # terms required


def test_cooccurrence_pairs_also_asked_and_clusters(client: TestClient, db: Database) -> None:
    pairs = ok(client, "/api/cooccurrence?top=7")
    want = db.cooccurrence().head(7)
    rows_match(pairs["rows"], want, ["term_a", "term_b", "count", "lift", "npmi"])
    assert (
        pairs["kind"] == "pairs"
        and pairs["population"]["postings"] == db.table_counts()["postings"]
    )
    also = ok(client, f"/api/cooccurrence?term=python&role={ML}&top=5")
    rows_match(also["rows"], db.also_asked("python", role=ML, top=5), ["other", "count", "share"])
    assert also["kind"] == "also_asked" and also["population"]["roles"] == [ML]
    assert_error(client.get("/api/cooccurrence?term=no-such-term"), 400, "InputError")
    clusters = ok(client, "/api/clusters")
    rows_match(clusters["rows"], db.skill_clusters(), ["term", "cluster", "degree"])


def test_salary_endpoints(client: TestClient, db: Database) -> None:
    body = ok(client, "/api/salary?terms=python&terms=pytorch")
    want = db.salary(terms=["python", "pytorch"])
    rows_match(body["rows"], want, ["term_id", "n_with", "median_with", "difference", "ci_low"])
    assert body["population"]["postings"] > 0
    cov = ok(client, "/api/salary/coverage")
    rows_match(cov["rows"], db.salary_coverage(), ["source", "n", "with_salary", "share"])
    reg = ok(client, "/api/salary/regression?terms=python&terms=pytorch")
    rows_match(reg["rows"], db.salary_regression(["python", "pytorch"]), ["term_id", "coef"])
    assert "population" in reg
    assert_error(client.get("/api/salary?currency=dollars"), 422)


def test_salary_default_is_bounded_and_keeps_the_numbers(
    client: TestClient, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without ``terms``: the role's top DEFAULT_SALARY_TERMS terms by share, not every term; the
    same figures as asking for those terms by name; more than MAX_SALARY_TERMS terms is a 400."""
    from skillgauge.api import routes_salary
    from skillgauge.api.routes_salary import DEFAULT_SALARY_TERMS, MAX_SALARY_TERMS

    assert DEFAULT_SALARY_TERMS == 15
    monkeypatch.setattr(routes_salary, "DEFAULT_SALARY_TERMS", 4)  # the small corpus has ~10 terms
    body = ok(client, f"/api/salary?role={ML}")
    top = [str(t) for t in db.shares(ML, top=4)["term_id"]]
    assert body["terms"] == top and len(top) == 4 and body["default_terms"]
    assert len(body["rows"]) <= 4 < len(db.salary(role=ML))
    assert {r["term_id"] for r in body["rows"]} <= set(top)
    named = ok(client, "/api/salary", params=[("role", ML)] + [("terms", t) for t in top])
    assert named["rows"] == body["rows"] and named["default_terms"] is False
    rows_match(body["rows"], db.salary(role=ML, terms=top), ["term_id", "median_with", "ci_low"])
    whole = ok(client, "/api/salary")
    assert whole["terms"] == [str(t) for t in db.shares(None, top=4)["term_id"]]
    many = [("terms", t) for t in sorted(db.term_labels())[: MAX_SALARY_TERMS + 1]]
    message = assert_error(client.get("/api/salary", params=many), 400, "InputError")
    assert f"at most {MAX_SALARY_TERMS} terms" in message
    ok(client, "/api/salary", params=many[:MAX_SALARY_TERMS])


def test_unknown_terms_are_a_400_not_a_row_of_zeros(client: TestClient) -> None:
    for url in (
        f"/api/compare?role_a={ML}&terms=python&terms=no-such-term",
        "/api/trends?terms=no-such-term",
        "/api/trends/tests?terms=no-such-term",
        "/api/salary?terms=no-such-term",
        "/api/salary/regression?terms=no-such-term",
    ):
        assert "no-such-term" in assert_error(client.get(url), 400, "InputError"), url


def test_path_matches_the_library(client: TestClient, db: Database) -> None:
    body = ok(client, f"/api/path?role={ML}&top=10")
    lp = db.path(ML, top=10)
    assert body["n"] == lp.n and body["low_n"] == lp.low_n and body["message"] == lp.message
    assert [s["term_id"] for s in body["steps"]] == [s.term_id for s in lp.steps]
    step = body["steps"][0]
    for key in ("label", "category", "stage", "share", "ci_low", "ci_high", "count", "n", "why"):
        assert key in step


def test_gap_computes_and_never_stores(client: TestClient, db: Database) -> None:
    before = db.table_counts()
    r = client.post("/api/gap", json={"role": ML, "skills": "python, sql, blorpfish"})
    assert r.status_code == 200, r.text
    body = r.json()
    g, found, unknown = db.gap(ML, skills="python, sql, blorpfish")
    assert body["skills_found"] == found == ["python", "sql"]
    assert body["unrecognised"] == unknown
    assert body["covered"] == g.covered and body["n"] == g.n
    assert same(body["coverage"], g.coverage) and same(body["ci_low"], g.ci_low)
    assert [s["term_id"] for s in body["next"]] == [s.term_id for s in g.next_steps]
    assert {r["role"] for r in body["best_roles"]} == {r.role for r in g.best_roles}
    assert db.table_counts() == before
    assert_error(client.post("/api/gap", json={"skills": "python"}), 422, "ValidationError")
    assert_error(client.post("/api/gap", json={"role": "ml-enginer"}), 404, "UnknownRole")


def test_postings_pagination(client: TestClient, db: Database) -> None:
    total = db.table_counts()["postings"]
    first = ok(client, "/api/postings?page=1&page_size=7")
    second = ok(client, "/api/postings?page=2&page_size=7")
    assert first["total"] == second["total"] == total
    assert len(first["items"]) == len(second["items"]) == 7
    ids = {i["posting_id"] for i in first["items"]} | {i["posting_id"] for i in second["items"]}
    assert len(ids) == 14  # stable order, no overlap
    item = first["items"][0]
    assert set(item) == {
        "posting_id",
        "source",
        "title",
        "company",
        "location",
        "date_posted",
        "roles",
        "terms",
    }
    last_page = math.ceil(total / 100)
    tail = ok(client, f"/api/postings?page={last_page}&page_size=100")
    assert len(tail["items"]) == total - 100 * (last_page - 1)
    assert ok(client, f"/api/postings?page={last_page + 1}&page_size=100")["items"] == []
    ml = ok(client, f"/api/postings?role={ML}&page_size=100")
    assert ml["total"] == int(db.roles().set_index("role").loc[ML, "postings"])
    assert all(ML in i["roles"] for i in ml["items"])
    q = ok(client, "/api/postings?q=PYTORCH&page_size=100")
    assert 0 < q["total"] < total and all("pytorch" in i["terms"] for i in q["items"])
    assert_error(client.get("/api/postings?page_size=101"), 422)
    assert_error(client.get("/api/postings?page=0"), 422)


def test_runs_and_versions(client: TestClient, db: Database) -> None:
    runs = ok(client, "/api/runs?limit=5")["runs"]
    assert runs[0]["run_id"] == int(db.runs(5)["run_id"].iloc[0])
    assert runs[0]["reconciles"] is True
    v = ok(client, "/-/versions")
    assert v["skillgauge"] == sg.__version__
    assert v["taxonomy"]["terms"] == len(db.tools.taxonomy.terms)
    assert v["taxonomy"]["hash"] == db.tools.taxonomy.content_hash
    assert v["schema_version"] >= 1 and v["roles_version"] == db.tools.roles.version
    assert v["corpus"]["postings"] == db.table_counts()["postings"]
    assert {s["name"] for s in v["corpus"]["sources"]} == {"a", "b"}
    assert v["corpus"]["date_min"] <= v["corpus"]["date_max"]
    assert {"python", "duckdb", "database"} <= set(v)


# -- errors ------------------------------------------------------------------------------------


def test_unknown_role_is_404_with_closest_ids(client: TestClient) -> None:
    for url in ("/api/shares?role=data-scientst", "/api/path?role=data-scientst"):
        message = assert_error(client.get(url), 404, "UnknownRole")
        assert "data-scientist" in message
    assert_error(client.get("/api/no-such-thing"), 404, "NotFound")


def test_unexpected_errors_are_a_json_500_without_traceback(
    db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(db_path, settings=SETTINGS)

    def boom() -> None:
        raise RuntimeError("secret internals")

    app.add_api_route("/boom", boom)
    with caplog.at_level(logging.ERROR, "skillgauge.api"), TestClient(app) as c:
        message = assert_error(c.get("/boom"), 500, "InternalError")
    assert "secret internals" not in message
    assert "secret internals" in caplog.text  # logged server-side


def test_nan_is_serialised_as_null(client: TestClient, db: Database) -> None:
    assert jsonable({"a": float("nan"), "b": [float("inf")], "c": pd.NaT}) == {
        "a": None,
        "b": [None],
        "c": None,
    }
    # a term no modelled posting mentions: its regression coefficient is NaN in the frame
    want = db.salary_regression(["python", "cobol"])
    assert math.isnan(float(want.set_index("term_id").loc["cobol", "coef"]))
    r = client.get("/api/salary/regression?terms=python&terms=cobol")
    assert r.status_code == 200, r.text
    assert "NaN" not in r.text and "Infinity" not in r.text
    got = {row["term_id"]: row for row in r.json()["rows"]}
    assert got["cobol"]["coef"] is None and got["python"]["coef"] is not None
    assert "not estimable" in got["cobol"]["note"]


def test_cors_off_by_default_on_when_configured(db_path: Path, client: TestClient) -> None:
    origin = {"Origin": "https://example.org"}
    assert "access-control-allow-origin" not in client.get("/api/roles", headers=origin).headers
    with TestClient(
        create_app(db_path, settings=SETTINGS, cors_origins=["https://example.org"])
    ) as c:
        r = c.get("/api/roles", headers=origin)
        assert r.headers["access-control-allow-origin"] == "https://example.org"


# -- write endpoints ---------------------------------------------------------------------------


def test_write_endpoints_absent_without_token(client: TestClient) -> None:
    assert_error(client.post("/api/ingest", files={"file": ("a.jsonl", b"{}")}), 404)
    assert_error(client.post("/api/collect", json={"source": "remotive"}), 404)
    schema = client.get("/openapi.json").json()
    assert "/api/ingest" not in schema["paths"] and "/api/collect" not in schema["paths"]


@pytest.fixture()
def writable(db_path: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "w.duckdb"
    shutil.copy(db_path, copy)
    return copy


def _token_app(path: Path, **kw: Any) -> FastAPI:
    return create_app(path, token="s3cret-token", settings=SETTINGS, **kw)


def test_token_rules_and_ingest(writable: Path, tmp_path: Path) -> None:
    rng = random.Random(99)
    lines = "".join(json.dumps(posting(10_000 + i, rng)) + "\n" for i in range(12))
    upload = {"file": ("new.jsonl", lines.encode(), "application/x-ndjson")}
    with TestClient(_token_app(writable)) as c:
        before = ok(c, "/-/versions")["corpus"]["postings"]
        assert_error(c.post("/api/ingest", files=upload), 401)
        wrong = {"Authorization": "Bearer nope"}
        assert_error(c.post("/api/ingest", files=upload, headers=wrong), 403)
        assert_error(c.post("/api/collect", json={"source": "x"}, headers=wrong), 403)
        good = {"Authorization": "Bearer s3cret-token"}
        sources = c.get("/openapi.json").json()["paths"]["/api/clusters"]["get"]["parameters"]
        assert "upload" not in str([p for p in sources if p["name"] == "source"])
        r = c.post("/api/ingest", files=upload, data={"source": "upload"}, headers=good)
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["counts"]["read"] == 12 and body["status"] == "complete"
        assert body["files"][0]["path"] == "new.jsonl"
        # reads after the write see it
        after = ok(c, "/-/versions")["corpus"]
        assert after["postings"] == before + body["counts"]["stored"]
        assert "upload" in {s["name"] for s in after["sources"]}
        # the schema's list of valid sources follows the write
        spec = c.get("/openapi.json").json()
        param = next(
            p for p in spec["paths"]["/api/clusters"]["get"]["parameters"] if p["name"] == "source"
        )
        assert "upload" in param["schema"]["anyOf"][0]["enum"]
        assert_error(c.post("/api/collect", json={"source": "no-such-source"}, headers=good), 400)


def test_env_token_enables_writes(writable: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SKILLGAUGE_API_TOKEN", "from-env")
    with TestClient(create_app(writable, settings=SETTINGS)) as c:
        assert_error(c.post("/api/collect", json={"source": "x"}), 401)


def test_upload_and_json_size_limits(writable: Path) -> None:
    good = {"Authorization": "Bearer s3cret-token"}
    big = b"x" * (1024 * 1024 + 10)
    with TestClient(_token_app(writable, max_upload_mb=1)) as c:
        r = c.post("/api/ingest", files={"file": ("big.jsonl", big)}, headers=good)
        assert_error(r, 413, "PayloadTooLarge")

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted while streaming
            yield b'{"role": "data-scientist", "skills": "'
            for _ in range(100):
                yield b"python, " * 100
            yield b'"}'

        r = c.post("/api/gap", content=chunks(), headers={"Content-Type": "application/json"})
        assert_error(r, 413, "PayloadTooLarge")
    with TestClient(_token_app(writable)) as c:
        assert_error(c.post("/api/gap", content=b" " * 70_000, headers={**good}), 413)

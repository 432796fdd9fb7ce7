"""The dashboard in a real browser (Playwright driving Debian's Chromium) against the real API
served by uvicorn: the chart shows the API's numbers, and hostile posting text stays text.

Without /usr/bin/chromium the browser tests skip, unless ``CI`` is set (CI installs it).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

import skillgauge as sg
from skillgauge.api.app import create_app
from skillgauge.api.dashboard import STATIC_DIR, plotly_js_path, render_page
from tests.synth import posting

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
XSS_SCRIPT = "<script>window.__xss=1</script>"
XSS_IMG = '<img src=x onerror="window.__xss=2">'
XSS_LINK = '<a href="javascript:window.__xss=3">click me</a>'
HOSTILE = f"{XSS_SCRIPT} {XSS_IMG} {XSS_LINK}"
ROLE, OTHER = "data-scientist", "machine-learning-engineer"
READY = "body[data-state=ready]"


# -- fixtures -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """400 synthetic postings (ML engineers ask for PyTorch, data scientists for R and SQL) plus
    three data-scientist postings whose title, text, company and source carry script."""
    tmp = tmp_path_factory.mktemp("dashboard")
    rng = random.Random(11)
    rows = []
    for i in range(400):
        p = posting(i, rng)
        if "Machine Learning" in str(p["title"]):
            p["description"] = str(p["description"]) + " PyTorch and Kubernetes."
        elif "Scientist" in str(p["title"]):
            p["description"] = str(p["description"]) + " R, SQL and Tableau."
        rows.append(p)
    plain = tmp / "synth.jsonl"
    plain.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    hostile = []
    for i in range(3):
        words = " ".join(rng.choice(["model", "data", "team", "ship", "stats"]) for _ in range(60))
        hostile.append(
            {
                "id": f"x{i}",
                "title": f"Data Scientist {XSS_SCRIPT}{XSS_IMG} {i}",
                "company": f"{XSS_IMG} Evil {XSS_LINK} {i}",
                "description": f"<p>{words} {i} {HOSTILE}</p><p>Python, SQL, R {XSS_LINK}</p>",
                "date_posted": f"2025-0{1 + i}-15",
            }
        )
    bad = tmp / "hostile.jsonl"
    bad.write_text("".join(json.dumps(r) + "\n" for r in hostile), encoding="utf-8")
    path = tmp / "dash.duckdb"
    with sg.open(path, workers=1) as db:
        db.ingest([plain])
        db.ingest([bad], source=f"{XSS_SCRIPT}{XSS_IMG}")
    return path


@pytest.fixture(scope="module")
def base_url(db_path: Path) -> Iterator[str]:
    """The real app (``create_app``) served by uvicorn in a thread on a free 127.0.0.1 port."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(db_path), log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing but CI is set: install chromium (apt)")
        pytest.skip(f"{CHROMIUM} not installed (apt install chromium); browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


Params = list[tuple[str, str | int | float | bool | None]]


def _api(base_url: str, path: str, params: Params) -> dict[str, Any]:
    response = httpx.get(f"{base_url}/api/{path}", params=params, timeout=30)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) < 1e-9


# -- without a browser ------------------------------------------------------------------------------


def test_page_and_static_files_are_local(base_url: str) -> None:
    page = httpx.get(base_url + "/", timeout=30)
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "script-src 'self'" in page.headers["content-security-policy"]
    js = httpx.get(base_url + "/static/plotly.min.js", timeout=30)
    assert js.status_code == 200 and js.content == plotly_js_path().read_bytes()
    for name in ("dashboard.js", "dashboard.css"):
        assert httpx.get(f"{base_url}/static/{name}", timeout=30).status_code == 200
    # nothing in the page or its own files points at another origin
    for text in [page.text, *(f.read_text("utf-8") for f in STATIC_DIR.iterdir())]:
        assert "http://" not in text and "https://" not in text and "//cdn" not in text
    assert httpx.get(base_url + "/static/../app.py", timeout=30).status_code == 404


def test_template_autoescapes() -> None:
    html = render_page(title=XSS_SCRIPT)
    assert XSS_SCRIPT not in html and "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html


def test_the_js_never_writes_markup() -> None:
    js = (STATIC_DIR / "dashboard.js").read_text("utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in js


# -- in the browser ---------------------------------------------------------------------------------


def test_chart_shows_the_api_numbers(browser: Any, base_url: str, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(base_url + "/")
    page.wait_for_selector(READY, timeout=30_000)

    # pick the role and exactly one role to compare, through the UI
    page.select_option("#role", ROLE)
    page.wait_for_selector(READY, timeout=30_000)
    for box in page.query_selector_all("#compare input:checked"):
        box.uncheck()
        page.wait_for_selector(READY, timeout=30_000)
    page.check(f"#compare input[value='{OTHER}']")
    page.wait_for_selector(READY, timeout=30_000)
    page.select_option("#top", "10")
    page.wait_for_selector(READY, timeout=30_000)

    traces = page.evaluate(
        """() => document.getElementById('shares-chart').data.map(t => ({
            role: t.meta.role, name: t.name, y: t.y, ids: t.customdata.map(c => c[0]),
            plus: t.error_y.array, minus: t.error_y.arrayminus}))"""
    )
    api = _api(base_url, "shares", [("role", ROLE), ("compare", OTHER), ("top", "10")])
    assert [t["role"] for t in traces] == [ROLE, OTHER]
    for trace in traces:
        rows = [r for r in api["rows"] if r["role"] == trace["role"]]
        assert trace["ids"] == [r["term_id"] for r in rows] and len(rows) == 10
        assert f"(n={rows[0]['n']:,})" in trace["name"]
        for y, plus, minus, row in zip(
            trace["y"], trace["plus"], trace["minus"], rows, strict=True
        ):
            assert _close(y, row["share"])
            assert _close(y + plus, row["ci_high"]) and _close(y - minus, row["ci_low"])
    # the planted difference is visible: R for data scientists, PyTorch for ML engineers
    share = {(r["role"], r["term_id"]): r["share"] for r in api["rows"]}
    assert share[(ROLE, "r")] > 0.9 > share[(OTHER, "r")]

    # trends and "also asked" show the API's numbers for what the page selected
    trend_terms = page.eval_on_selector_all(
        "#trend-terms option:checked", "os => os.map(o => o.value)"
    )
    freq = page.input_value("#freq")
    trend_y = page.evaluate(
        "() => document.getElementById('trends-chart').data.filter(t => t.customdata).map(t => t.y)"
    )
    trend_api = _api(
        base_url, "trends", [("terms", t) for t in trend_terms] + [("role", ROLE), ("freq", freq)]
    )
    expected = [
        [r["share"] if r["n"] >= 10 else None for r in trend_api["rows"] if r["term"] == t]
        for t in trend_terms
    ]
    assert trend_y == expected and any(v is not None for row in expected for v in row)
    also_term = page.input_value("#also-term")
    also = page.evaluate(
        """() => { const c = document.getElementById('also-chart');
            const t = c.data[0];
            return {x: t.x, plus: t.error_x.array, minus: t.error_x.arrayminus, name: t.name,
                    n: t.customdata.map(d => d[2]), axis: c.layout.xaxis.title.text}; }"""
    )
    also_api = _api(base_url, "cooccurrence", [("term", also_term), ("role", ROLE), ("top", "12")])
    also_rows = list(reversed(also_api["rows"]))
    assert also["x"] == [r["share"] for r in also_rows]
    # the co-occurrence panel shows its intervals and its n (postings asking for the term)
    for x, plus, minus, row in zip(also["x"], also["plus"], also["minus"], also_rows, strict=True):
        assert _close(x + plus, row["ci_high"]) and _close(x - minus, row["ci_low"])
    n_term = also_rows[0]["n_term"]
    assert also["n"] == [r["n_term"] for r in also_rows] and n_term > 0
    assert f"n={n_term:,}" in also["axis"] and "95% Wilson" in also["axis"]
    assert f"n={n_term:,}" in also["name"]

    # learning path and manifest are filled
    path_api = _api(base_url, "path", [("role", ROLE), ("top", "15")])
    labels = page.eval_on_selector_all(
        "#path-table tbody tr td:nth-child(3)", "t => t.map(x => x.textContent)"
    )
    assert labels == [s["label"] for s in path_api["steps"]]
    manifest = page.inner_text("#manifest")
    assert "Deduplication" in manifest and api["manifest"]["taxonomy_version"] in manifest
    assert not errors, errors

    shot = tmp_path / "dashboard.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    shutil.copy(shot, "/tmp/dashboard.png")
    page.close()


def test_hostile_posting_text_stays_text(browser: Any, base_url: str) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{base_url}/?role={ROLE}")
    page.wait_for_selector(READY, timeout=30_000)
    page.wait_for_timeout(500)  # let any injected image error handler run

    # the hostile postings were rendered, as text: exactly what the API holds for them (ingestion
    # strips markup from titles and companies, but the source's name is kept as given)
    api = _api(base_url, "postings", [("role", ROLE), ("page", "1"), ("page_size", "10")])
    cells = page.eval_on_selector_all(
        "#postings-table tbody tr", "rows => rows.map(r => [...r.cells].map(c => c.textContent))"
    )
    assert [c[1:4] for c in cells] == [
        [i["title"], i["company"], i["source"]] for i in api["items"]
    ]
    hostile_source = f"{XSS_SCRIPT}{XSS_IMG}"
    assert sum(c[3] == hostile_source for c in cells) == 3
    assert hostile_source in page.inner_text("#manifest")  # the sources of the manifest
    assert (
        page.evaluate("() => document.querySelectorAll('main script, main img, main a').length")
        == 0
    )

    assert page.evaluate("() => typeof window.__xss") == "undefined"
    assert dialogs == []
    assert all(u.startswith(base_url) for u in requests), requests
    page.close()


@pytest.mark.parametrize("full", [False, True])
def test_reports_with_hostile_postings_run_nothing(
    browser: Any, db_path: Path, tmp_path: Path, full: bool
) -> None:
    """The HTML reports of the same hostile database, opened in the real browser: nothing runs."""
    from skillgauge.report.full import build_full_report
    from skillgauge.report.render import write_report
    from skillgauge.report.render_full import write_full_report

    out = tmp_path / ("full.html" if full else "report.html")
    with sg.open(db_path, read_only=True) as db:
        if full:
            rep = build_full_report(
                db, ROLE, ["machine-learning-engineer"], command=XSS_SCRIPT, trend_source=None
            )
            write_full_report(rep, out, "html")
        else:
            write_report(
                db.report(ROLE, ["machine-learning-engineer"], command=XSS_SCRIPT), out, "html"
            )
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(out.as_uri())
    page.wait_for_timeout(500)
    assert f"{XSS_SCRIPT}{XSS_IMG}" in page.inner_text("body")  # the hostile source, as text
    assert page.evaluate("() => typeof window.__xss") == "undefined"
    assert page.evaluate("() => document.querySelectorAll('script').length") == 0
    assert dialogs == []
    page.close()

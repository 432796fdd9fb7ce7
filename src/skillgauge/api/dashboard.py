"""The web dashboard: one HTML page and its static files, mounted on the REST API's app.

The page holds no data: its script fetches the same ``/api/...`` JSON that any client gets, so
every number on screen is one the API also serves (and can be traced through its ``manifest`` or
``population``). Plotly's JavaScript comes from the installed ``plotly`` Python package and is
served locally: the page loads nothing from any other origin, and a Content-Security-Policy that
allows only this origin's scripts backs that up (and blunts any injected markup).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape

from skillgauge import __version__

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
TEMPLATE_DIR = HERE / "templates"

#: Only this origin's scripts, styles and data; Plotly sets inline styles on its SVG nodes, and
#: its toolbar's "download as PNG" uses data: and blob: URLs.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def plotly_js_path() -> Path:
    """``plotly.min.js`` inside the installed ``plotly`` package (its location moved between
    releases, so look in the known places, then anywhere in the package)."""
    root = Path(str(resources.files("plotly")))
    for rel in ("package_data/plotly.min.js", "offline/plotly.min.js"):
        candidate = root / rel
        if candidate.is_file():
            return candidate
    found = sorted(root.rglob("plotly.min.js"))
    if not found:
        raise FileNotFoundError(f"plotly.min.js not found in the plotly package at {root}")
    return found[0]


@lru_cache(maxsize=1)
def _environment() -> Environment:
    """Jinja with autoescaping on for every template (``.j2`` included), not just ``.html``."""
    return Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )


def render_page(*, title: str = "skillgauge dashboard") -> str:
    """The dashboard's HTML shell (autoescaped)."""
    template = _environment().get_template("dashboard.html.j2")
    return template.render(title=title, version=__version__)


def mount_dashboard(app: FastAPI) -> None:
    """Add ``GET /`` (the page), ``/static/plotly.min.js`` and ``/static/...`` to ``app``."""

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def dashboard_page() -> HTMLResponse:
        return HTMLResponse(render_page(), headers=SECURITY_HEADERS)

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly_js() -> FileResponse:
        try:
            path = plotly_js_path()
        except FileNotFoundError as exc:  # plotly installed without its bundle
            raise HTTPException(status_code=404, detail=str(exc)) from exc
        return FileResponse(
            path,
            media_type="text/javascript",
            headers={"Cache-Control": "public, max-age=86400", **SECURITY_HEADERS},
        )

    # registered after the routes above, so /static/plotly.min.js is served by its own route
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

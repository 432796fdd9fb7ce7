"""The FastAPI application: read-only JSON over one skillgauge database.

``create_app`` wires the routes (one module per resource), JSON errors, request size limits, CORS
(off unless origins are given) and, when a token is configured, the write endpoints. Routes hold no
SQL and no statistics: they call :class:`skillgauge.database.Database` and the store's queries.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from skillgauge import __version__
from skillgauge.api import (
    routes_advise,
    routes_cooccurrence,
    routes_meta,
    routes_postings,
    routes_salary,
    routes_shares,
    routes_trends,
)
from skillgauge.api.errors import BodyLimitMiddleware, CatchAllMiddleware, install_error_handlers
from skillgauge.api.openapi import install_openapi
from skillgauge.api.routes_common import ApiState, SafeJSONResponse
from skillgauge.settings import Settings

TOKEN_ENV = "SKILLGAUGE_API_TOKEN"
#: JSON bodies (a gap request, a collect request) are a few hundred bytes; 64 KiB is generous.
JSON_BODY_LIMIT = 64 * 1024
UPLOAD_PATHS = frozenset({"/api/ingest"})


def create_app(
    db_path: Path,
    *,
    token: str | None = None,
    cors_origins: Sequence[str] = (),
    max_upload_mb: int = 50,
    settings: Settings | None = None,
) -> FastAPI:
    """The API over ``db_path``. Without a token (argument or ``SKILLGAUGE_API_TOKEN``) it is
    read-only and the write endpoints do not exist (404)."""
    token = token or os.environ.get(TOKEN_ENV) or None
    api_state = ApiState(Path(db_path), settings, token)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        api_state.close()

    app = FastAPI(
        title="skillgauge",
        version=__version__,
        description=(
            "Which technology skills employers ask for, per role, from real job postings. "
            "Every figure comes with its population (n) or a manifest; shares with 95% intervals. "
            'Errors are JSON: {"error": {"type", "message"}}.'
        ),
        default_response_class=SafeJSONResponse,
        lifespan=lifespan,
    )
    app.state.skillgauge = api_state
    install_error_handlers(app)
    install_openapi(app, api_state)
    for module in (
        routes_meta,
        routes_shares,
        routes_trends,
        routes_cooccurrence,
        routes_salary,
        routes_advise,
        routes_postings,
    ):
        app.include_router(module.router)
    if token:
        from skillgauge.api import routes_write

        app.include_router(routes_write.router)

    # Added last = outermost: limits and CORS before routing, the catch-all around everything.
    app.add_middleware(
        BodyLimitMiddleware,
        upload_bytes=max_upload_mb * 1024 * 1024,
        json_bytes=JSON_BODY_LIMIT,
        upload_paths=UPLOAD_PATHS,
    )
    if cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.add_middleware(CatchAllMiddleware)

    try:
        from skillgauge.api.dashboard import mount_dashboard
    except ImportError:
        pass
    else:
        mount_dashboard(app)
    return app

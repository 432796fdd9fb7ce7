"""``skillgauge serve``: the API (and dashboard) on uvicorn, bound to localhost by default."""

from __future__ import annotations

from pathlib import Path

from skillgauge.settings import Settings


def serve(
    db_path: Path | str,
    host: str = "127.0.0.1",
    port: int = 8000,
    token: str | None = None,
    *,
    cors_origins: tuple[str, ...] = (),
    max_upload_mb: int = 50,
    settings: Settings | None = None,
) -> None:
    """Run the app until interrupted. One worker process: DuckDB allows a single writer per
    file, and the app serialises its own database access."""
    import uvicorn

    from skillgauge.api.app import create_app

    app = create_app(
        Path(db_path),
        token=token,
        cors_origins=cors_origins,
        max_upload_mb=max_upload_mb,
        settings=settings,
    )
    uvicorn.run(app, host=host, port=port, log_level="info")

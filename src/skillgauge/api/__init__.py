"""The REST API over a skillgauge database (``skillgauge serve``); see docs/api.md.

``create_app(db_path)`` builds the FastAPI application; ``serve(db_path)`` runs it on uvicorn.
"""

from __future__ import annotations

from skillgauge.api.app import create_app
from skillgauge.api.serve import serve

__all__ = ["create_app", "serve"]

"""Write endpoints, mounted only when a token is configured: upload a file to ingest, collect
from a live source. Each opens a writing Database for the request (reads wait meanwhile)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hmac
import re
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field

from skillgauge.api.errors import ERROR_RESPONSES
from skillgauge.api.routes_common import SafeJSONResponse, state

bearer = HTTPBearer(auto_error=False, description="Authorization: Bearer <SKILLGAUGE_API_TOKEN>")

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def require_token(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> None:
    """401 without a bearer token, 403 with a wrong one (constant-time comparison)."""
    expected = state(request).token
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise HTTPException(401, "a bearer token is required", {"WWW-Authenticate": "Bearer"})
    if expected is None or not hmac.compare_digest(
        credentials.credentials.encode(), expected.encode()
    ):
        raise HTTPException(403, "invalid token")


router = APIRouter(
    responses={
        **ERROR_RESPONSES,
        401: ERROR_RESPONSES[400] | {"description": "No bearer token"},
        403: ERROR_RESPONSES[400] | {"description": "Wrong token"},
    },
    default_response_class=SafeJSONResponse,
    dependencies=[Depends(require_token)],
    tags=["write"],
)


def safe_name(filename: str | None) -> str:
    """The upload's base name with only safe characters (the extension tells the format)."""
    name = _UNSAFE.sub("_", Path(filename or "upload").name).strip("._") or "upload"
    return name[-120:]


@router.post("/api/ingest", summary="Ingest an uploaded postings file (size-limited)")
def ingest(
    request: Request,
    file: Annotated[UploadFile, File(description="CSV, TSV, JSON, JSONL, Parquet, HTML (+gz/zst)")],
    source: Annotated[str | None, Form(max_length=100)] = None,
) -> SafeJSONResponse:
    with tempfile.TemporaryDirectory(prefix="skillgauge-upload-") as tmp:
        target = Path(tmp) / safe_name(file.filename)
        with target.open("wb") as out:
            while chunk := file.file.read(1 << 20):
                out.write(chunk)
        with state(request).writer() as db:
            result = db.ingest([target], source=source, command="POST /api/ingest")
    payload: dict[str, Any] = dataclasses.asdict(result)
    for f in payload["files"]:
        f["path"] = file.filename  # not the temporary path
    return SafeJSONResponse(payload)


class CollectRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: str = Field(min_length=1, max_length=100)
    boards: list[str] = Field(default_factory=list, max_length=100)
    since: dt.date | None = None


@router.post("/api/collect", summary="Collect from a live source into the database")
def collect(request: Request, body: CollectRequest) -> SafeJSONResponse:
    with state(request).writer() as db:
        result = db.collect(
            body.source, boards=body.boards, since=body.since, command="POST /api/collect"
        )
    return SafeJSONResponse(dataclasses.asdict(result))

"""Bulk export of the whole knowledge base, and what changed between data versions."""

from __future__ import annotations

from typing import Annotated

import anyio
from fastapi import APIRouter, Query
from starlette.responses import Response

from app.deps import ReplyDep, RuntimeDep
from app.http.errors import NotFound, error_responses
from app.http.negotiation import JSON, NDJSON, ExportFormatQuery
from app.models.meta import Changes, Export
from app.readmodel import export

router = APIRouter(tags=["export"])


@router.get(
    "/v1/export",
    response_model=Export,
    summary="Export the whole knowledge base",
    responses={200: {"content": {NDJSON.media_type: {"schema": {"type": "string"}}}}, **error_responses(422)},
)
async def get_export(
    reply: ReplyDep,
    format: ExportFormatQuery = None,
) -> Response:
    """Every citation, condition, mechanism and intervention as curated (the YAML schema), each with
    `updated`, plus the dataset version. `?format=ndjson` gives one entity per line after a meta line.
    Cacheable with ETag like every other response."""
    snapshot = reply.snapshot
    if format == NDJSON.name:
        return reply.text(("export", NDJSON.name), lambda: export.as_ndjson(snapshot), NDJSON)
    return reply.text(("export", JSON.name), lambda: export.as_json(snapshot), JSON)


@router.get(
    "/v1/changes",
    response_model=Changes,
    summary="What changed since a data version",
    responses=error_responses(404, 422, 503),
)
async def get_changes(
    reply: ReplyDep,
    runtime: RuntimeDep,
    since: Annotated[str, Query(pattern="^[0-9a-f]{16}$", description="A dataset_version seen earlier.")],
) -> Response:
    """Ids added, changed and removed between the `since` version and the one served now, by kind — for
    incremental sync. Versions are remembered by the database; the in-memory default forgets them on
    restart. 503 (with Retry-After) while the database cannot be reached."""
    to = reply.snapshot.version
    diff = await anyio.to_thread.run_sync(runtime.changes, since, to)
    if diff is None:
        raise NotFound(f"Version {since} is not known to this server's database.")
    return reply.query(("changes", since), lambda: Changes(since=since, to=to, **diff))

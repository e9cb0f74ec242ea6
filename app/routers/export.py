"""Bulk export of the whole knowledge base, and what changed between data versions."""

from __future__ import annotations

from typing import Annotated

import anyio
from fastapi import APIRouter, Query
from starlette.responses import Response

from app.deps import ReplyDep, RuntimeDep
from app.http.errors import NotFound
from app.http.negotiation import EXPORT_FORMATS, NDJSON, ExportFormatQuery, Format
from app.http.openapi import PLAIN_TEXT_TOO, alternates, documented
from app.http.respond import Reply, alone
from app.models.meta import Changes, Export
from app.readmodel import export
from app.routers.formats import response_class

router = APIRouter(tags=["export"])


def _export(reply: Reply, fmt: Format) -> Response:
    snapshot = reply.snapshot
    if fmt.name == NDJSON.name:
        return reply.text(("export",), lambda: export.as_ndjson(snapshot), fmt)
    return reply.text(("export",), lambda: export.as_json(snapshot), fmt)


@router.get(
    "/v1/export",
    response_model=Export,
    summary="Export the whole knowledge base",
    responses=documented(422, content=alternates(EXPORT_FORMATS, {})),
)
async def get_export(reply: ReplyDep, fmt: ExportFormatQuery = None) -> Response:
    """Every citation, condition, mechanism and intervention as curated (the YAML schema), each with
    `updated`, plus the dataset version and the date of the data. NDJSON (`?format=ndjson` or
    `Accept: application/x-ndjson`; generated clients: `get_export_ndjson`) gives one entity per line after a
    meta line. Only the data decides the bytes, so every server holding the same data sends the same body
    and ETag."""
    return _export(reply, reply.choose(fmt, EXPORT_FORMATS))


@router.get(
    "/v1/export/ndjson",
    response_class=response_class(NDJSON),
    summary="Export the whole knowledge base as NDJSON",
    responses=documented(content=PLAIN_TEXT_TOO),
)
async def get_export_ndjson(reply: ReplyDep) -> Response:
    """The export as NDJSON (`application/x-ndjson`): a meta line, then one entity per line, each
    `{"type": …, "record": …}`. The same bytes as `GET /v1/export?format=ndjson`; `Accept: text/plain` gets
    them as text/plain."""
    return _export(reply, reply.choose(None, alone(NDJSON)))


@router.get(
    "/v1/changes",
    response_model=Changes,
    summary="What changed since a data version",
    responses=documented(404, 422, 503),
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
    return reply.query(("changes", since), lambda: Changes(since=since, to=to, **diff).model_dump_json(by_alias=True))

"""Bulk export of the whole knowledge base, and what changed between data versions."""

from __future__ import annotations

import json
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from app.deps import RuntimeDep
from app.http import respond as conditional
from app.http.errors import NotFound, error_responses
from app.ingest.store import changes
from app.models.meta import Changes, Export
from app.readmodel.snapshot import Rendered, Snapshot

router = APIRouter(tags=["export"])

NDJSON = "application/x-ndjson"


def _documents(snapshot: Snapshot) -> dict[str, list[dict[str, Any]]]:
    """The records as in the YAML files, each with the date its content last changed."""
    kb = snapshot.kb
    documents = kb.as_documents()
    for plural, records in documents.items():
        for record in records:
            key = str(record.get("number", record.get("slug")))
            updated = kb.updated.get((plural[:-1], key))
            record["updated"] = updated.isoformat() if updated else None
    return documents


def _export(snapshot: Snapshot, ndjson: bool) -> Rendered:
    documents = _documents(snapshot)
    head = {
        "dataset_version": snapshot.version,
        "loaded_at": snapshot.loaded_at.isoformat(),
        "counts": snapshot.kb.counts(),
    }
    if not ndjson:
        return Rendered.raw(json.dumps({**head, **documents}, ensure_ascii=False), "application/json")
    lines = [json.dumps({"type": "meta", **head}, ensure_ascii=False)]
    lines += [
        json.dumps({"type": plural[:-1], "record": record}, ensure_ascii=False)
        for plural, records in documents.items()
        for record in records
    ]
    return Rendered.raw("\n".join(lines) + "\n", NDJSON)


@router.get(
    "/v1/export",
    response_model=Export,
    summary="Export the whole knowledge base",
    responses={200: {"content": {NDJSON: {"schema": {"type": "string"}}}}, **error_responses(422)},
)
async def get_export(
    request: Request,
    runtime: RuntimeDep,
    format: Annotated[str | None, Query(pattern="^(json|ndjson)$", description="json (default) or ndjson.")] = None,
) -> Response:
    """Every citation, condition, mechanism and intervention as curated (the YAML schema), each with
    `updated`, plus the dataset version. `?format=ndjson` gives one entity per line after a meta line.
    Cacheable with ETag like every other response."""
    snapshot = runtime.snapshot
    ndjson = format == "ndjson"
    rendered = snapshot.rendered_with(("export", ndjson), lambda: _export(snapshot, ndjson))
    return conditional.send(request, rendered, snapshot, runtime.settings, negotiated=True)


@router.get(
    "/v1/changes",
    response_model=Changes,
    summary="What changed since a data version",
    responses=error_responses(404, 422),
)
async def get_changes(
    request: Request,
    runtime: RuntimeDep,
    since: Annotated[str, Query(pattern="^[0-9a-f]{16}$", description="A dataset_version seen earlier.")],
) -> Response:
    """Ids added, changed and removed between the `since` version and the one served now, by kind — for
    incremental sync. Versions are remembered by the database; the in-memory default forgets them on
    restart."""
    snapshot = runtime.snapshot
    diff = await anyio.to_thread.run_sync(changes, runtime.engine, since, snapshot.version)
    if diff is None:
        raise NotFound(f"Version {since} is not known to this server's database.")
    rendered = snapshot.rendered_with(
        ("changes", since), lambda: Rendered.of(Changes(since=since, to=snapshot.version, **diff))
    )
    return conditional.send(request, rendered, snapshot, runtime.settings)

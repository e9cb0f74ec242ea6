"""Dataset metadata, the liveness/readiness probes and the metrics."""

from __future__ import annotations

import anyio
from fastapi import APIRouter
from prometheus_client import CONTENT_TYPE_LATEST
from starlette.responses import Response

from app.deps import GenerationDep, ReplyDep, RuntimeDep
from app.http.errors import ServiceUnavailable, error_responses
from app.models.meta import Counts, Health, Meta, Readiness

API_VERSION = "1.0.0"

router = APIRouter(tags=["meta"])


@router.get("/v1/meta", response_model=Meta, summary="Dataset version and counts")
async def get_meta(reply: ReplyDep) -> Response:
    """The loaded dataset's version (a hash of its content, so it changes exactly when content does),
    when it was loaded, entity counts, the API version, and the problems of a refused reload."""
    snapshot, errors = reply.snapshot, reply.generation.reload_errors
    return reply.model(
        ("meta", API_VERSION, errors),
        lambda: Meta(
            api_version=API_VERSION,
            dataset_version=snapshot.version,
            loaded_at=snapshot.loaded_at,
            counts=Counts(**snapshot.kb.counts()),
            reload_errors=list(errors),
        ),
    )


@router.get("/healthz", response_model=Health, summary="Liveness probe")
async def get_health() -> Health:
    """Answers 200 while the process serves HTTP."""
    return Health(status="ok")


@router.get("/readyz", response_model=Readiness, summary="Readiness probe", responses=error_responses(503))
async def get_readiness(generation: GenerationDep, runtime: RuntimeDep) -> Readiness:
    """Answers 200 once data is validated and loaded, with the version being served. If a reload was
    refused, its problems are listed while the previous data goes on being served. 503 while the database
    cannot be reached (a replica that follows it would miss new versions); 200 again once it can."""
    if runtime.database_error is not None:
        raise ServiceUnavailable(f"Serving {generation.snapshot.version}, but {runtime.database_error}.")
    return Readiness(
        status="ready", dataset_version=generation.snapshot.version, reload_errors=list(generation.reload_errors)
    )


@router.get("/metrics", include_in_schema=False)
async def get_metrics(runtime: RuntimeDep) -> Response:
    """Prometheus text exposition (written off the event loop: probes must not wait for a scrape)."""
    return Response(await anyio.to_thread.run_sync(runtime.metrics.exposition), media_type=CONTENT_TYPE_LATEST)

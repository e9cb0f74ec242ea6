"""Dataset metadata, the liveness/readiness probes and the metrics."""

from __future__ import annotations

import anyio
from fastapi import APIRouter, Request
from prometheus_client import CONTENT_TYPE_LATEST
from starlette.responses import Response

from app.deps import GenerationDep, ReplyDep, RuntimeDep
from app.http.cache import Rendered
from app.http.errors import ServiceUnavailable
from app.http.negotiation import JSON, choose_format
from app.http.openapi import documented
from app.http.respond import conditional
from app.models.meta import Counts, Health, Meta, Readiness

API_VERSION = "1.0.0"
# Probes and metrics answer for one server, now: revalidated on every use, never served from a cache.
PROBE_CACHE = "no-cache"

router = APIRouter(tags=["meta"])


@router.get("/v1/meta", response_model=Meta, summary="Dataset version and counts", responses=documented())
async def get_meta(reply: ReplyDep) -> Response:
    """The dataset's version (a hash of its content, so it changes exactly when content does), the date of
    the data (its latest review), entity counts, the API version, and the problems of a refused reload. Only
    the data (and a refused reload) decides it: every server holding the same data answers the same bytes."""
    snapshot, errors = reply.snapshot, reply.generation.reload_errors
    return reply.model(
        ("meta", API_VERSION, errors),
        lambda: Meta(
            api_version=API_VERSION,
            dataset_version=snapshot.version,
            updated=snapshot.updated,
            counts=Counts(**snapshot.kb.counts()),
            reload_errors=list(errors),
        ),
    )


@router.get("/healthz", response_model=Health, summary="Liveness probe", responses=documented(cacheable=False))
async def get_health(request: Request) -> Response:
    """Answers 200 while the process serves HTTP."""
    choose_format(request, None, (JSON,))
    return conditional(request, Rendered.of(Health(status="ok")), PROBE_CACHE)


@router.get("/readyz", response_model=Readiness, summary="Readiness probe", responses=documented(503, cacheable=False))
async def get_readiness(request: Request, generation: GenerationDep, runtime: RuntimeDep) -> Response:
    """Answers 200 once data is validated and loaded, with the version this server serves and when it built
    it. If a reload was refused, its problems are listed while the previous data goes on being served. 503
    while the database cannot be reached (a replica that follows it would miss new versions); 200 again once
    it can."""
    choose_format(request, None, (JSON,))
    snapshot = generation.snapshot
    if runtime.database_error is not None:
        raise ServiceUnavailable(f"Serving {snapshot.version}, but {runtime.database_error}.")
    readiness = Readiness(
        status="ready",
        dataset_version=snapshot.version,
        loaded_at=snapshot.loaded_at,
        reload_errors=list(generation.reload_errors),
    )
    return conditional(request, Rendered.of(readiness), PROBE_CACHE)


@router.get("/metrics", include_in_schema=False)
async def get_metrics(request: Request, runtime: RuntimeDep) -> Response:
    """Prometheus text exposition (written off the event loop: probes must not wait for a scrape)."""
    exposition = await anyio.to_thread.run_sync(runtime.metrics.exposition)
    return conditional(request, Rendered.raw(exposition.decode(), CONTENT_TYPE_LATEST), PROBE_CACHE)

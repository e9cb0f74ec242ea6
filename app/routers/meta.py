"""Dataset metadata and the liveness/readiness probes."""

from __future__ import annotations

from fastapi import APIRouter, Request
from prometheus_client import CONTENT_TYPE_LATEST
from starlette.responses import Response

from app.deps import RuntimeDep
from app.http import respond as conditional
from app.models.meta import Counts, Health, Meta, Readiness

API_VERSION = "1.0.0"

router = APIRouter(tags=["meta"])


@router.get("/v1/meta", response_model=Meta, summary="Dataset version and counts")
async def get_meta(request: Request, runtime: RuntimeDep) -> Response:
    """The loaded dataset's version (a hash of its content, so it changes exactly when content does),
    when it was loaded, entity counts, the API version, and the problems of a refused reload."""
    snapshot = runtime.snapshot
    rendered = snapshot.rendered(
        ("meta", API_VERSION, tuple(runtime.reload_errors)),
        lambda: Meta(
            api_version=API_VERSION,
            dataset_version=snapshot.version,
            loaded_at=snapshot.loaded_at,
            counts=Counts(**snapshot.kb.counts()),
            reload_errors=runtime.reload_errors,
        ),
    )
    return conditional.send(request, rendered, snapshot, runtime.settings)


@router.get("/healthz", response_model=Health, summary="Liveness probe")
async def get_health() -> Health:
    """Answers 200 while the process serves HTTP."""
    return Health(status="ok")


@router.get("/readyz", response_model=Readiness, summary="Readiness probe")
async def get_readiness(runtime: RuntimeDep) -> Readiness:
    """Answers 200 once data is validated and loaded, with the version being served. If a reload was
    refused, its problems are listed while the previous data goes on being served."""
    return Readiness(status="ready", dataset_version=runtime.snapshot.version, reload_errors=runtime.reload_errors)


@router.get("/metrics", include_in_schema=False)
async def get_metrics(request: Request) -> Response:
    """Prometheus text exposition."""
    return Response(request.app.state.metrics.exposition(), media_type=CONTENT_TYPE_LATEST)

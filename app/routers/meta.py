"""Dataset metadata and the liveness/readiness probes."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from app import conditional
from app.deps import SettingsDep, SnapshotDep
from app.models.response import Health, Meta, Readiness

API_VERSION = "1.0.0"

router = APIRouter(tags=["meta"])


@router.get("/v1/meta", response_model=Meta, summary="Dataset version and counts")
async def get_meta(request: Request, snapshot: SnapshotDep, settings: SettingsDep) -> Response:
    """The loaded dataset's version (a hash of its content, so it changes exactly when content does),
    when it was loaded, entity counts and the API version."""
    return conditional.send(request, snapshot.meta(API_VERSION), snapshot, settings)


@router.get("/healthz", response_model=Health, summary="Liveness probe")
async def get_health() -> Health:
    """Answers 200 while the process serves HTTP."""
    return Health(status="ok")


@router.get("/readyz", response_model=Readiness, summary="Readiness probe")
async def get_readiness(snapshot: SnapshotDep) -> Readiness:
    """Answers 200 once data is validated and loaded, with the version being served."""
    return Readiness(status="ready", dataset_version=snapshot.version)

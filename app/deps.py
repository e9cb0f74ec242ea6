"""The runtime state the lifespan owns, and the typed dependencies handlers use to reach it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine

from app.readmodel.snapshot import Snapshot
from app.settings import Settings


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    # Replaced as a whole on reload; handlers take one reference per request and never see a mix.
    snapshot: Snapshot
    timings: dict[str, float] = field(default_factory=dict)
    # Problems of the last refused reload; empty once a reload succeeds.
    reload_errors: list[str] = field(default_factory=list)


def _runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


# Dependencies are `async def` on purpose: FastAPI runs plain `def` dependencies in the thread pool,
# which costs more than the whole rest of a cached request.
async def get_runtime(request: Request) -> Runtime:
    return _runtime(request)


async def get_snapshot(request: Request) -> Snapshot:
    return _runtime(request).snapshot


async def get_settings(request: Request) -> Settings:
    return _runtime(request).settings


SnapshotDep = Annotated[Snapshot, Depends(get_snapshot)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
RuntimeDep = Annotated[Runtime, Depends(get_runtime)]

"""The FastAPI application factory; its lifespan validates and loads the data before serving."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import anyio
from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware

from app.collector import settle
from app.db import make_engine
from app.deps import Runtime
from app.http.errors import install_error_handlers
from app.http.middleware import RequestContextMiddleware
from app.ingest.store import latest_version, read_kb, write_kb
from app.ingest.validation import DataError, load_knowledge
from app.models.knowledge import KnowledgeBase
from app.observability import Metrics, PhaseTimer, configure_logging
from app.readmodel.snapshot import Snapshot
from app.routers import citations, conditions, docs, export, interventions, mechanisms, meta, references, search
from app.routers.meta import API_VERSION
from app.runtime import Reloader
from app.settings import Settings

logger = logging.getLogger("hairkb")

DESCRIPTION = """
A curated, citation-grounded knowledge base about hair loss: conditions, the biological mechanisms
behind them, and the numbered literature that supports every statement.

* Every response is cacheable: strong `ETag`, `If-None-Match` → `304`, `Cache-Control`.
* Errors are RFC 9457 `application/problem+json`.
* Content is educational, **not medical advice**; responses carry a `disclaimer`.
"""


def build_runtime(settings: Settings, knowledge: KnowledgeBase | None = None) -> Runtime:
    """Validate data_dir (unless `knowledge`, already validated from it, is given) and write it to the
    database in one transaction (unless this replica follows a database that already holds a version),
    then serve what is stored."""
    timer = PhaseTimer()
    engine = make_engine(settings.database_url)
    if settings.load_on_start or latest_version(engine) is None:
        with timer("validate"):
            kb = knowledge if knowledge is not None else load_knowledge(settings.data_dir)
            knowledge = None  # with `kb` deleted below, nothing here keeps the validated records alive
        with timer("load"):
            write_kb(engine, kb)
            del kb  # the records read back replace it; holding both doubles peak memory on large data
    with timer("read"):
        stored = read_kb(engine)
    with timer("index"):
        snapshot = Snapshot(stored)
    with timer("settle"):
        settle()
    logger.info("startup phases: %s", timer)
    return Runtime(settings=settings, engine=engine, snapshot=snapshot, timings=timer.seconds)


def _on_sighup(callback: Callable[[], None]) -> None:
    """SIGHUP reloads the data files; only the main thread may install signal handlers (a real server)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGHUP"):
        return
    with contextlib.suppress(RuntimeError, ValueError):  # no running loop, or one without signal support
        asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, callback)


def create_app(settings: Settings | None = None, knowledge: KnowledgeBase | None = None) -> FastAPI:
    """The app; `knowledge` is data_dir already validated by the caller (`hairkb serve`), so that start-up
    does not validate it a second time."""
    settings = settings or Settings()
    metrics = Metrics()
    # Handed over once: after start-up the app must not keep the validated records alive.
    preloaded = [knowledge] if knowledge is not None else []

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging(settings.log_json)
        try:
            runtime = await anyio.to_thread.run_sync(build_runtime, settings, preloaded.pop() if preloaded else None)
        except DataError as err:
            for problem in err.problems:
                logger.error("%s", problem)
            raise
        app.state.runtime = runtime
        metrics.serving(runtime.snapshot.version)
        logger.info("serving dataset %s", runtime.snapshot.version)
        reloader = Reloader(runtime, metrics)
        app.state.reloader = reloader
        _on_sighup(reloader.trigger)
        task = asyncio.create_task(reloader.run())
        try:
            yield
        finally:
            task.cancel()
            runtime.engine.dispose()

    app = FastAPI(
        title="hairkb",
        version=API_VERSION,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_tags=[
            {"name": "conditions", "description": "Hair-loss conditions and their full pages."},
            {
                "name": "mechanisms",
                "description": "Biological mechanisms and the conditions that involve them.",
            },
            {"name": "interventions", "description": "Treatments and claims, with evidence grades per condition."},
            {"name": "citations", "description": "Numbered literature citations with verified identifiers."},
            {"name": "search", "description": "Ranked, typo-tolerant search and autocomplete."},
            {"name": "export", "description": "Bulk export and change tracking for partners who sync."},
            {"name": "meta", "description": "Dataset version and health probes."},
        ],
    )
    app.state.metrics = metrics
    install_error_handlers(app)
    for router in (
        conditions.router,
        mechanisms.router,
        interventions.router,
        citations.router,
        search.router,
        meta.router,
        references.router,
        export.router,
        docs.router,
    ):
        app.include_router(router)
    docs.mount_assets(app)
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "HEAD", "OPTIONS"],
        allow_headers=["If-None-Match", "X-Request-ID", "Accept"],
        expose_headers=["ETag", "Link", "X-Request-ID", "X-Dataset-Version", "Location"],
        max_age=600,
    )
    app.add_middleware(RequestContextMiddleware)
    return app


app = create_app()

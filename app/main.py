"""The application factory: wiring only (routers, error handlers, middleware, the runtime's lifespan)."""

from __future__ import annotations

from functools import partial

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp

from app import site
from app.http.errors import install_error_handlers
from app.http.middleware import GZIP_MINIMUM, RequestContextMiddleware
from app.http.service import Service
from app.models.knowledge import KnowledgeBase
from app.observability import Metrics
from app.routers import (
    citations,
    conditions,
    docs,
    export,
    graphs,
    interventions,
    mechanisms,
    meta,
    references,
    search,
)
from app.routers.meta import API_VERSION
from app.runtime import Lifespan
from app.settings import Settings

DESCRIPTION = """
A curated, citation-grounded knowledge base about hair loss: conditions, the biological mechanisms
behind them, and the numbered literature that supports every statement.

* Every response is cacheable: strong `ETag`, `If-None-Match` → `304`, `Cache-Control`.
* Errors are RFC 9457 `application/problem+json`.
* Content is educational, **not medical advice**; responses carry a `disclaimer`.
"""

TAGS = [
    {"name": "conditions", "description": "Hair-loss conditions and their full pages."},
    {
        "name": "mechanisms",
        "description": "Biological mechanisms and the conditions that involve them.",
    },
    {"name": "interventions", "description": "Treatments and claims, with evidence grades per condition."},
    {"name": "citations", "description": "Numbered literature citations with verified identifiers."},
    {"name": "search", "description": "Ranked, typo-tolerant search and autocomplete."},
    {"name": "graph", "description": "How conditions, mechanisms and treatments hang together: JSON or SVG."},
    {"name": "export", "description": "Bulk export and change tracking for partners who sync."},
    {"name": "meta", "description": "Dataset version and health probes."},
]
ROUTERS = (
    conditions.router,
    mechanisms.router,
    interventions.router,
    citations.router,
    search.router,
    meta.router,
    references.router,
    graphs.router,
    export.router,
    docs.router,
)


def create_app(settings: Settings | None = None, knowledge: KnowledgeBase | None = None) -> FastAPI:
    """The app; `knowledge` is data_dir already validated by the caller (`hairkb serve`), so that start-up
    does not validate it a second time."""
    settings = settings or Settings()
    metrics = Metrics()
    lifespan = Lifespan(settings, metrics, knowledge)
    app = Service(
        title="hairkb",
        version=API_VERSION,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_tags=TAGS,
    )
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    docs.mount_assets(app)
    if settings.site:
        site.install(app)
    cors = {
        "allow_origins": settings.cors_origins,
        "allow_methods": ["GET", "HEAD", "OPTIONS"],
        "allow_headers": ["If-None-Match", "X-Request-ID", "Accept"],
        "expose_headers": ["ETag", "Link", "X-Request-ID", "X-Dataset-Version", "Location"],
        "max_age": 600,
    }
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MINIMUM)
    app.add_middleware(CORSMiddleware, **cors)  # type: ignore[arg-type]

    def encoding(inner: ASGIApp) -> ASGIApp:
        """CORS and gzip as the framework's stack has them, around the shortcuts' responses."""
        return CORSMiddleware(GZipMiddleware(inner, minimum_size=GZIP_MINIMUM), **cors)  # type: ignore[arg-type]

    # Outside FastAPI's own stack (its error middleware answers unhandled errors with our problem+json 500).
    app.wrap(
        partial(
            RequestContextMiddleware,
            metrics=metrics,
            access_log=settings.access_log,
            current=lifespan.current,
            max_age=settings.cache_max_age,
            shortcuts=search.SHORTCUTS if settings.shortcuts else None,
            encoding=encoding,
        )
    )
    return app


app = create_app()

"""The application factory: wiring only (routers, error handlers, middleware, the runtime's lifespan)."""

from __future__ import annotations

from functools import partial

from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp

from app import site
from app.http import openapi
from app.http.errors import install_error_handlers
from app.http.etags import CodingETags
from app.http.middleware import (
    GZIP_LEVEL,
    GZIP_MINIMUM,
    NegotiatedGZip,
    PlainErrorsAsProblems,
    RequestContextMiddleware,
)
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

* Every response is cacheable: strong `ETag` (a gzip body has its own), `If-None-Match` → `304`,
  `Cache-Control`. The same data gives the same bytes and ETags on every server.
* Representations by `Accept` or `?format=`; each non-JSON one also has an operation of its own
  (`/v1/citations/{number}/bibtex`, `/v1/conditions/{slug}/jsonld`, `/v1/graph/svg`…), for generated
  clients.
* Errors are RFC 9457 `application/problem+json`.
* Content is educational, **not medical advice**; responses carry a `disclaimer`.
"""
LICENSE = "MIT"

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
        openapi_url=None,  # served by routers/docs.py, with an ETag
        docs_url=None,
        redoc_url=None,
        openapi_tags=TAGS,
        # Starlette's own redirect builds an absolute Location from the Host header; errors.py redirects
        # to the other spelling of a path with a relative one instead.
        redirect_slashes=False,
        # Operation ids are the handlers' names (`get_condition`), as generated clients name their functions.
        generate_unique_id_function=lambda route: route.name,
    )
    openapi.install(app, servers=[settings.public_base_url], license_name=LICENSE)
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)  # every operation documents 414 and 431 (openapi.SHARED)
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
    app.add_middleware(NegotiatedGZip, minimum_size=GZIP_MINIMUM, compresslevel=GZIP_LEVEL)
    app.add_middleware(CodingETags)
    app.add_middleware(CORSMiddleware, **cors)  # type: ignore[arg-type]
    app.add_middleware(PlainErrorsAsProblems)

    def encoding(inner: ASGIApp) -> ASGIApp:
        """CORS, ETags per coding and gzip as the framework's stack has them, around the shortcuts' responses
        (which are never plain-text errors)."""
        coded = CodingETags(NegotiatedGZip(inner, minimum_size=GZIP_MINIMUM, compresslevel=GZIP_LEVEL))
        return CORSMiddleware(coded, **cors)  # type: ignore[arg-type]

    # Outside FastAPI's own stack (its error middleware answers unhandled errors with our problem+json 500).
    app.wrap(
        partial(
            RequestContextMiddleware,
            metrics=metrics,
            access_log=settings.access_log,
            current=lifespan.current,
            max_age=settings.cache_max_age,
            base_url=settings.public_base_url,
            shortcuts=search.SHORTCUTS if settings.shortcuts else None,
            encoding=encoding,
            templates=[
                *(r.path for router in ROUTERS for r in router.routes if isinstance(r, APIRoute)),
                docs.STATIC_TEMPLATE,
                *(site.TEMPLATES if settings.site else ()),
            ],
        )
    )
    return app


app = create_app()

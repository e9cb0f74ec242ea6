"""The OpenAPI document, Swagger UI, ReDoc and the problem-type pages: all served from local assets (no CDN),
each with an ETag like every other response."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.staticfiles import StaticFiles
from starlette.responses import Response

from app.deps import SettingsDep
from app.http.cache import Rendered
from app.http.errors import PROBLEM_TYPES, NotFound
from app.http.negotiation import JSON, choose_format
from app.http.respond import conditional

ASSETS = Path(fastapi_offline.__file__).parent / "static"
# The ReDoc bundle shows a logo it fetches from a CDN; ours points at a local image instead.
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
LOCAL_LOGO = "/static/favicon.png"
DOCS_MAX_AGE = "public, max-age=3600"
STATIC_TEMPLATE = "/static/{path:path}"

router = APIRouter(include_in_schema=False)


@cache
def _redoc_bundle() -> Rendered:
    text = (ASSETS / "redoc.standalone.js").read_text(encoding="utf-8")
    return Rendered.raw(text.replace(REDOC_LOGO, LOCAL_LOGO), "text/javascript")


@router.get("/openapi.json")
async def get_openapi_document(request: Request, settings: SettingsDep) -> Response:
    choose_format(request, None, (JSON,))
    spec = request.app.openapi()
    return conditional(
        request, Rendered.raw(json.dumps(spec), JSON.media_type), f"public, max-age={settings.cache_max_age}"
    )


@router.get("/docs")
async def get_swagger_ui(request: Request) -> Response:
    page = get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="hairkb API",
        swagger_js_url="/static/swagger-ui-bundle.js",
        swagger_css_url="/static/swagger-ui.css",
        swagger_favicon_url="/static/favicon.png",
        # No badge from the public validator service: the page fetches nothing from elsewhere.
        swagger_ui_parameters={"validatorUrl": None},
    )
    return conditional(request, Rendered.raw(bytes(page.body).decode(), "text/html"), DOCS_MAX_AGE)


@router.get("/redoc")
async def get_redoc(request: Request) -> Response:
    page = get_redoc_html(
        openapi_url="/openapi.json",
        title="hairkb API",
        redoc_js_url="/static/redoc.standalone.js",
        redoc_favicon_url="/static/favicon.png",
        with_google_fonts=False,
    )
    return conditional(request, Rendered.raw(bytes(page.body).decode(), "text/html"), DOCS_MAX_AGE)


@router.get("/static/redoc.standalone.js")
async def get_redoc_bundle(request: Request) -> Response:
    return conditional(request, _redoc_bundle(), DOCS_MAX_AGE)


@router.get("/problems/{kind}")
async def get_problem_type(request: Request, kind: str) -> Response:
    if kind not in PROBLEM_TYPES:
        raise NotFound(f"No problem type '{kind}'.")
    choose_format(request, None, (JSON,))
    body = json.dumps({"type": f"/problems/{kind}", "description": PROBLEM_TYPES[kind]})
    return conditional(request, Rendered.raw(body, JSON.media_type), DOCS_MAX_AGE)


def mount_assets(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=ASSETS), name="static")

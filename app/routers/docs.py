"""Swagger UI, ReDoc and the problem-type pages, all served from local assets (no CDN)."""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.staticfiles import StaticFiles
from starlette.responses import HTMLResponse

from app.http.errors import PROBLEM_TYPES, NotFound

ASSETS = Path(fastapi_offline.__file__).parent / "static"

router = APIRouter(include_in_schema=False)


@router.get("/docs")
async def get_swagger_ui() -> HTMLResponse:
    return get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="hairkb API",
        swagger_js_url="/static/swagger-ui-bundle.js",
        swagger_css_url="/static/swagger-ui.css",
        swagger_favicon_url="/static/favicon.png",
    )


@router.get("/redoc")
async def get_redoc() -> HTMLResponse:
    return get_redoc_html(
        openapi_url="/openapi.json",
        title="hairkb API",
        redoc_js_url="/static/redoc.standalone.js",
        redoc_favicon_url="/static/favicon.png",
        with_google_fonts=False,
    )


@router.get("/problems/{kind}")
async def get_problem_type(kind: str) -> dict[str, str]:
    if kind not in PROBLEM_TYPES:
        raise NotFound(f"No problem type '{kind}'.")
    return {"type": f"/problems/{kind}", "description": PROBLEM_TYPES[kind]}


def mount_assets(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=ASSETS), name="static")

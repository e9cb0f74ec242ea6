"""The browsable HTML site on the read model: routes, pages, templates (app/templates) and local assets
(app/static), switched off by `HAIRKB_SITE=false`."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from app.site.routes import install_not_found_page, router

ASSETS = Path(__file__).resolve().parent.parent / "static"


def install(app: FastAPI) -> None:
    app.include_router(router)
    app.mount("/assets", StaticFiles(directory=ASSETS), name="assets")
    install_not_found_page(app)

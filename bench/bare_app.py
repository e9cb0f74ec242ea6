"""Baseline for the API benchmarks: a bare FastAPI app whose async route returns a constant dict."""

from __future__ import annotations

from fastapi import FastAPI

app = FastAPI()

PAYLOAD = {"slug": "telogen-effluvium", "name": "Telogen effluvium", "category": "non-scarring"}


@app.get("/bare")
async def bare() -> dict[str, str]:
    return PAYLOAD

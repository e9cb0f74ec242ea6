"""The FastAPI application with one request layer outside FastAPI's own middleware stack, so that a response
the layer replays from the cache never enters that stack."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send


class Service(FastAPI):
    """A FastAPI app whose HTTP requests go through `edge` (built by `wrap`) first."""

    edge: ASGIApp | None = None

    def wrap(self, layer: Callable[[ASGIApp], ASGIApp]) -> None:
        self.edge = layer(self._stack)

    async def _stack(self, scope: Scope, receive: Receive, send: Send) -> None:
        await super().__call__(scope, receive, send)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.edge is not None and scope["type"] == "http":
            await self.edge(scope, receive, send)
        else:
            await super().__call__(scope, receive, send)

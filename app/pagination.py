"""Paged list responses: slice, wrap in {items, total, limit, offset}, cache per query, RFC 8288 Link header."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Query, Request
from pydantic import BaseModel
from starlette.responses import Response

from app import conditional
from app.models.response import Page
from app.services.snapshot import Rendered, Snapshot
from app.settings import Settings

Limit = Annotated[int, Query(ge=1, le=100, description="Page size (1–100).", examples=[20])]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Items to skip.", examples=[0])]


def _link_header(path: str, filters: dict[str, Any], total: int, limit: int, offset: int) -> str:
    def url(at: int) -> str:
        query = {k: v for k, v in filters.items() if v is not None}
        return f"<{path}?{urlencode({**query, 'limit': limit, 'offset': at})}>"

    links = [f'{url(0)}; rel="first"']
    if offset + limit < total:
        links.append(f'{url(offset + limit)}; rel="next"')
    if offset > 0:
        links.append(f'{url(max(offset - limit, 0))}; rel="prev"')
    return ", ".join(links)


def send_page(
    request: Request,
    snapshot: Snapshot,
    settings: Settings,
    filters: dict[str, Any],
    limit: int,
    offset: int,
    select: Callable[[], Sequence[BaseModel]],
) -> Response:
    """`select` runs only when this exact query is not cached for the current data version."""
    path = request.url.path
    key = (path, tuple(sorted((k, str(v)) for k, v in filters.items())), limit, offset)

    def build() -> Rendered:
        items = select()
        page = Page[Any](items=list(items[offset : offset + limit]), total=len(items), limit=limit, offset=offset)
        link = _link_header(path, {k: getattr(v, "value", v) for k, v in filters.items()}, len(items), limit, offset)
        return Rendered.of(page, headers=(("Link", link),))

    return conditional.send(request, snapshot.cached_list(key, build), snapshot, settings)

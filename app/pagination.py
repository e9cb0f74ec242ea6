"""Paged list responses: slice, wrap in {items, total, limit, offset}, cache per query, RFC 8288 Link header."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Query, Request
from pydantic import BaseModel
from starlette.responses import Response

from app.http import respond as conditional
from app.http.errors import InvalidParameter
from app.models.response import Page
from app.readmodel.snapshot import Rendered, Snapshot
from app.settings import Settings

UpdatedSince = Annotated[
    str | None,
    Query(
        pattern=r"^\d{4}-\d{2}-\d{2}$",
        description="Only entities whose content changed on or after this date (YYYY-MM-DD).",
        examples=["2026-11-01"],
    ),
]
Limit = Annotated[int, Query(ge=1, le=100, description="Page size (1–100).", examples=[20])]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Items to skip.", examples=[0])]


def changed_since(updated: dt.date | None, since: str | None) -> bool:
    """Whether an entity changed on or after `since` (a date `check_since` accepted)."""
    return since is None or (updated is not None and updated >= dt.date.fromisoformat(since))


def check_since(since: str | None) -> None:
    if since is None:
        return
    try:
        dt.date.fromisoformat(since)
    except ValueError:
        detail = f"updated_since {since!r} is not a calendar date."
        raise InvalidParameter(detail, [{"in": "query", "name": "updated_since", "message": "not a date"}]) from None


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
    check_since(filters.get("updated_since"))
    path = request.url.path
    key = (path, tuple(sorted((k, str(v)) for k, v in filters.items())), limit, offset)

    def build() -> Rendered:
        items = select()
        page = Page[Any](items=list(items[offset : offset + limit]), total=len(items), limit=limit, offset=offset)
        link = _link_header(path, {k: getattr(v, "value", v) for k, v in filters.items()}, len(items), limit, offset)
        return Rendered.of(page, headers=(("Link", link),))

    return conditional.send(request, snapshot.cached_list(key, build), snapshot, settings)

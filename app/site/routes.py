"""The site's routes (kept out of the OpenAPI document): pages answered from the per-version caches with the
API's ETag/304/gzip behaviour, aliases redirected to canonical URLs, and an HTML page-not-found page with
suggestions for browsers (API clients keep getting problem+json)."""

from __future__ import annotations

import inspect
import re
from typing import Annotated

from fastapi import APIRouter, FastAPI, Query, Request
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from app.deps import ReplyDep
from app.http.cache import Rendered
from app.http.errors import Redirect
from app.http.pictures import svg_picture
from app.http.respond import Reply
from app.models.kind import Kind
from app.models.presentation import Facet
from app.readmodel.snapshot import Snapshot
from app.readmodel.urls import site_url
from app.runtime import Runtime
from app.site import pages

router = APIRouter(include_in_schema=False)

_WORDS = re.compile(r"[^\W_]+")


def _html(reply: Reply, rendered: Rendered) -> Response:
    return reply.send(rendered, negotiated=True)


def not_found_page(snapshot: Snapshot, path: str) -> Response:
    """404 as an HTML page that suggests the pages whose names come closest to the path."""
    last = path.rstrip("/").rsplit("/", 1)[-1]
    guesses = [" ".join(_WORDS.findall(last)), " ".join(_WORDS.findall(path))]
    rendered = pages.not_found(snapshot, path, guesses)
    return Response(rendered.body, status_code=404, media_type=rendered.media_type, headers=dict(rendered.headers))


@router.get("/")
async def get_home(reply: ReplyDep, request: Request) -> Response:
    wanted: dict[Facet, frozenset[str]] = {}
    for facet in pages.NAVIGATOR_FACETS:
        allowed = {v.value for v in facet.vocabulary}
        chosen = frozenset(v for v in request.query_params.getlist(facet.value) if v in allowed)
        if chosen:
            wanted[facet] = chosen
    key = ("site", "home", tuple(sorted((f.value, tuple(sorted(v))) for f, v in wanted.items())))
    return _html(reply, reply.generation.bodies.listing(key, lambda: pages.home(reply.snapshot, wanted)))


async def _named(reply: Reply, kind: Kind, slug: str) -> Response:
    if slug not in reply.snapshot.kb.named(kind):
        canonical = reply.snapshot.resolve(kind, slug)
        if canonical is None:
            return not_found_page(reply.snapshot, reply.request.url.path)
        raise Redirect(site_url(kind, canonical), reply.max_age)
    svg = await svg_picture(reply.generation, kind, slug, site_links=True)
    return _html(
        reply,
        reply.generation.bodies.page(
            ("site", kind, slug), lambda: pages.entity_page(reply.snapshot, kind, slug, svg.body.decode())
        ),
    )


@router.get("/conditions/{slug}")
async def get_condition_page(reply: ReplyDep, slug: str) -> Response:
    return await _named(reply, Kind.condition, slug)


@router.get("/mechanisms/{slug}")
async def get_mechanism_page(reply: ReplyDep, slug: str) -> Response:
    return await _named(reply, Kind.mechanism, slug)


@router.get("/interventions/{slug}")
async def get_intervention_page(reply: ReplyDep, slug: str) -> Response:
    return await _named(reply, Kind.intervention, slug)


@router.get("/citations/{number}")
async def get_citation_page(reply: ReplyDep, number: str) -> Response:
    if not number.isdigit() or int(number) not in reply.snapshot.kb.citations:
        return not_found_page(reply.snapshot, reply.request.url.path)
    key = str(int(number))
    if key != number:
        raise Redirect(site_url(Kind.citation, key), reply.max_age)
    return _html(
        reply,
        reply.generation.bodies.page(
            ("site", Kind.citation, key), lambda: pages.entity_page(reply.snapshot, Kind.citation, key, None)
        ),
    )


@router.get("/map")
async def get_map(reply: ReplyDep) -> Response:
    svg = await svg_picture(reply.generation, None, None, site_links=True)
    return _html(
        reply, reply.generation.bodies.page(("site", "map"), lambda: pages.graph_map(reply.snapshot, svg.body.decode()))
    )


@router.get("/search")
async def get_search(
    reply: ReplyDep,
    q: Annotated[str, Query(max_length=256)] = "",
    type: Annotated[str | None, Query(max_length=20)] = None,
    page: Annotated[int, Query(ge=1, le=100)] = 1,
) -> Response:
    kind = next((k for k in Kind if k.value == type), None)
    key = ("site", "search", q, kind, page)
    return _html(reply, reply.generation.bodies.listing(key, lambda: pages.search(reply.snapshot, q, kind, page)))


def install_not_found_page(app: FastAPI) -> None:
    """Browsers asking for a page that does not exist get the HTML page; everything else (the API, clients
    that do not ask for HTML) keeps the problem+json handler already installed."""
    fallback = app.exception_handlers[StarletteHTTPException]

    async def handler(request: Request, exc: Exception) -> Response:
        path = request.url.path
        if "text/html" in request.headers.get("accept", "") and not path.startswith("/v1/"):
            runtime: Runtime = request.app.state.runtime
            return not_found_page(runtime.generation.snapshot, path)
        answer = fallback(request, exc)
        return await answer if inspect.isawaitable(answer) else answer

    app.add_exception_handler(404, handler)

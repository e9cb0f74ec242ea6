"""The knowledge graph: as Cytoscape.js JSON or as an SVG picture, whole or around one entity."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from app.deps import GraphedPageDep, PagePath, ReplyDep, SettingsDep
from app.http.negotiation import GRAPH_FORMATS, SVG, GraphFormatQuery
from app.http.openapi import PICTURE_UNAVAILABLE, PLAIN_TEXT_TOO, alternates, documented
from app.http.pictures import send_graph
from app.http.respond import alone
from app.models.graph import Graph
from app.routers.formats import response_class

router = APIRouter(tags=["graph"])

_PICTURE = """

**Picture**: `?format=svg` or `Accept: image/svg+xml` gives the same graph as an SVG laid out by Graphviz:
conditions on the left, mechanisms in the middle, interventions on the right; treatment edges coloured and
dashed by evidence grade, with a legend; text as text, a `<title>` and `<desc>`, and each node a link to its
page. Drawn once per data version; a 503 where Graphviz is missing (the JSON still works). Generated clients
call the picture's own operation (the path ending in `/svg`)."""

WHOLE = (
    """Every condition, mechanism and intervention as a node, and every link between them as a typed edge:
`involves` (condition → mechanism, with the mechanism's `role`), `treats` (intervention → condition, with
the evidence `grade`) and `acts-on` (intervention → mechanism, with `role`); each edge lists its
`citations`. The body is Cytoscape.js element JSON: `cytoscape({elements: body.elements})` loads it as
is, and so does `cy.json(body)`."""
    + _PICTURE
)
AROUND = (
    """A condition, mechanism or intervention (`focus: true`), everything it is linked to, and the edges
among them, in the JSON shape of `/v1/graph`. Aliases answer 308 to the canonical URL."""
    + _PICTURE
)
_SVG_ONLY = """ (`image/svg+xml`): the same bytes as `GET {path}` with `?format=svg` or that Accept header, under
an operation of its own. `Accept: text/plain` gets the same body as text/plain. A 503 where Graphviz is
missing."""


@router.get(
    "/v1/graph",
    response_model=Graph,
    summary="The whole knowledge graph",
    description=WHOLE,
    responses=documented(422, 503, content=alternates(GRAPH_FORMATS, {}), unavailable=PICTURE_UNAVAILABLE),
)
async def get_graph(reply: ReplyDep, settings: SettingsDep, fmt: GraphFormatQuery = None) -> Response:
    return await send_graph(reply, None, None, reply.choose(fmt, GRAPH_FORMATS), site_links=settings.site)


@router.get(
    "/v1/graph/svg",
    response_class=response_class(SVG),
    summary=f"The whole knowledge graph as {SVG.label}",
    description=f"The whole knowledge graph as {SVG.label}{_SVG_ONLY.format(path='/v1/graph')}",
    responses=documented(503, content=PLAIN_TEXT_TOO, unavailable=PICTURE_UNAVAILABLE),
)
async def get_graph_svg(reply: ReplyDep, settings: SettingsDep) -> Response:
    return await send_graph(reply, None, None, reply.choose(None, alone(SVG)), site_links=settings.site)


@router.get(
    "/v1/{kind}/{slug}/graph",
    response_model=Graph,
    summary="The graph around a page",
    description=AROUND,
    responses=documented(308, 404, 422, 503, content=alternates(GRAPH_FORMATS, {}), unavailable=PICTURE_UNAVAILABLE),
)
async def get_page_graph(reply: ReplyDep, settings: SettingsDep, page: GraphedPageDep) -> Response:
    fmt = reply.choose(page.format, GRAPH_FORMATS)
    return await send_graph(reply, page.kind, page.key, fmt, site_links=settings.site)


@router.get(
    "/v1/{kind}/{slug}/graph/svg",
    response_class=response_class(SVG),
    summary=f"The graph around a page as {SVG.label}",
    description=f"The graph around a page as {SVG.label}"
    f"{_SVG_ONLY.format(path='/v1/{kind}/{slug}/graph')} Aliases answer 308 to the canonical URL.",
    responses=documented(308, 404, 422, 503, content=PLAIN_TEXT_TOO, unavailable=PICTURE_UNAVAILABLE),
)
async def get_page_graph_svg(reply: ReplyDep, settings: SettingsDep, page: PagePath) -> Response:
    fmt = reply.choose(None, alone(SVG))
    return await send_graph(reply, page.kind, page.key, fmt, site_links=settings.site)

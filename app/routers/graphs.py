"""The knowledge graph: as Cytoscape.js JSON or as an SVG picture, whole or around one entity."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from app.deps import GraphedPageDep, ReplyDep, SettingsDep
from app.http.errors import error_responses
from app.http.negotiation import GRAPH_FORMATS, FormatQuery, alternate_content
from app.http.pictures import send_graph
from app.models.graph import Graph
from app.routers.conditions import REDIRECT

router = APIRouter(tags=["graph"])

_PICTURE = """

**Picture**: `?format=svg` or `Accept: image/svg+xml` gives the same graph as an SVG laid out by Graphviz:
conditions on the left, mechanisms in the middle, interventions on the right; treatment edges coloured and
dashed by evidence grade, with a legend; text as text, a `<title>` and `<desc>`, and each node a link to its
page. Drawn once per data version."""

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


@router.get(
    "/v1/graph",
    response_model=Graph,
    summary="The whole knowledge graph",
    description=WHOLE,
    responses={**error_responses(422, 503), **alternate_content(GRAPH_FORMATS)},
)
async def get_graph(reply: ReplyDep, settings: SettingsDep, fmt: FormatQuery = None) -> Response:
    return await send_graph(reply, None, None, fmt, site_links=settings.site)


@router.get(
    "/v1/{kind}/{slug}/graph",
    response_model=Graph,
    summary="The graph around a page",
    description=AROUND,
    responses={**REDIRECT, **error_responses(404, 422, 503), **alternate_content(GRAPH_FORMATS)},
)
async def get_page_graph(reply: ReplyDep, settings: SettingsDep, page: GraphedPageDep) -> Response:
    return await send_graph(reply, page.kind, page.key, page.format, site_links=settings.site)

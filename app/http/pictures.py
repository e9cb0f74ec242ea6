"""The knowledge graph per data version: its Cytoscape.js JSON, and its SVG picture drawn once by Graphviz in
a worker thread (a subprocess must not block the event loop)."""

from __future__ import annotations

from starlette.responses import Response

from app.http.cache import Generation, Rendered
from app.http.errors import Unavailable
from app.http.negotiation import GRAPH_FORMATS, JSON, SVG, choose_format
from app.http.respond import Reply
from app.models.graph import Graph
from app.models.kind import Kind
from app.readmodel.picture import PictureUnavailable, render_svg
from app.readmodel.snapshot import Snapshot
from app.readmodel.urls import site_url, url_for

# A picture opened on its own is a document: it may load nothing and run nothing.
SVG_HEADERS = (("Content-Security-Policy", "default-src 'none'"),)


def graph_of(snapshot: Snapshot, kind: Kind | None, key: str | None) -> Graph:
    """The whole graph (no kind), or the neighbourhood of one entity."""
    if kind is None or key is None:
        return snapshot.graph.whole()
    return snapshot.graph.around(kind, key)


async def svg_picture(generation: Generation, kind: Kind | None, key: str | None, *, site_links: bool) -> Rendered:
    """The picture, drawn once per data version; its nodes link to the site's pages (or, without the site,
    to the API's)."""

    def build() -> Rendered:
        try:
            text = render_svg(graph_of(generation.snapshot, kind, key), site_url if site_links else url_for)
        except PictureUnavailable as err:
            raise Unavailable(str(err)) from err
        return Rendered.raw(text, SVG.media_type, SVG_HEADERS)

    return await generation.bodies.page_in_thread(("svg", kind, key), build)


async def send_graph(
    reply: Reply, kind: Kind | None, key: str | None, format_param: str | None, *, site_links: bool
) -> Response:
    """The graph as JSON or SVG, by `?format=` or Accept."""
    fmt = choose_format(reply.request, format_param, GRAPH_FORMATS)
    if fmt is JSON:
        rendered = reply.generation.bodies.page(
            ("graph", kind, key), lambda: Rendered.of(graph_of(reply.snapshot, kind, key))
        )
    else:
        rendered = await svg_picture(reply.generation, kind, key, site_links=site_links)
    return reply.send(rendered, negotiated=True)

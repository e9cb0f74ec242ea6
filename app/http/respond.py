"""Sends pre-rendered bodies in the negotiated format, with ETag/Cache-Control; If-None-Match gives 304."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import Query, Request
from starlette.responses import RedirectResponse, Response

from app.http.errors import NotAcceptable, NotFound
from app.http.negotiation import BIBLIOGRAPHY_FORMATS, MEDIA_TYPES, PAGE_FORMATS, Unacceptable, negotiate
from app.readmodel.pages import url_for
from app.readmodel.snapshot import Rendered, Snapshot
from app.settings import Settings

FormatQuery = Annotated[
    str | None,
    Query(
        alias="format",
        max_length=20,
        description="Representation, instead of an Accept header: json, jsonld (pages); bibtex, ris, csl-json, "
        "text (citations and reference lists). Unknown: 406.",
    ),
]


def alternate_content(formats: Sequence[str]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI: the media types a 200 can carry besides JSON, and the 406 for anything else."""
    content = {
        MEDIA_TYPES[f]: {"schema": {"type": "string" if f in ("bibtex", "ris", "text") else "object"}}
        for f in formats
        if f != "json"
    }
    return {
        200: {"content": content},
        406: {"description": "No offered representation fits the Accept header or ?format=."},
    }


def etag_matches(header: str | None, etag: str) -> bool:
    """RFC 9110 If-None-Match: weak comparison over a comma-separated list, or `*`."""
    if not header:
        return False
    if header.strip() == "*":
        return True
    bare = etag.removeprefix("W/")
    return any(candidate.strip().removeprefix("W/") == bare for candidate in header.split(","))


def choose_format(request: Request, format_param: str | None, offered: Sequence[str]) -> str:
    """Negotiate a format (`?format=` first, then Accept); a 406 problem lists what is on offer."""
    try:
        return negotiate(format_param, request.headers.get("accept"), offered)
    except Unacceptable as err:
        supported = ", ".join(f"{MEDIA_TYPES[f]} (?format={f})" for f in err.offered)
        raise NotAcceptable(f"Supported here: {supported}.") from None


def send(
    request: Request,
    rendered: Rendered,
    snapshot: Snapshot,
    settings: Settings,
    *,
    negotiated: bool = False,
) -> Response:
    """`negotiated` is set by routes that chose among several formats; JSON-only routes check Accept here."""
    if not negotiated:
        choose_format(request, None, ("json",))
    headers = {
        "ETag": rendered.etag,
        "Cache-Control": f"public, max-age={settings.cache_max_age}",
        "X-Dataset-Version": snapshot.version,
        "Vary": "Accept",
        **dict(rendered.headers),
    }
    if etag_matches(request.headers.get("if-none-match"), rendered.etag):
        return Response(status_code=304, headers=headers)
    return Response(rendered.body, media_type=rendered.media_type, headers=headers)


def redirect(settings: Settings, url: str) -> Response:
    return RedirectResponse(
        url, status_code=308, headers={"Cache-Control": f"public, max-age={settings.cache_max_age}"}
    )


def _canonical(
    request: Request, snapshot: Snapshot, settings: Settings, kind: str, slug: str, suffix: str = ""
) -> Response:
    """For a page that does not exist under `slug`: a 308 to the canonical URL when `slug` is an alias or a
    differently written name (query kept), else 404."""
    canonical = snapshot.resolve(kind, slug)
    if canonical is None:
        raise NotFound(f"No {kind} '{slug}'. GET /v1/{kind}s lists them; /v1/search finds them by name.")
    query = f"?{request.url.query}" if request.url.query else ""
    return redirect(settings, f"{url_for(kind, canonical)}{suffix}{query}")


def send_entity(
    request: Request,
    snapshot: Snapshot,
    settings: Settings,
    kind: str,
    slug: str,
    format_param: str | None = None,
    offered: Sequence[str] = PAGE_FORMATS,
) -> Response:
    """An entity's page in the negotiated format, or the redirect/404 of `_canonical`."""
    if snapshot.page(kind, slug) is None:
        return _canonical(request, snapshot, settings, kind, slug)
    fmt = choose_format(request, format_param, offered)
    rendered = snapshot.representation(kind, slug, fmt)
    assert rendered is not None
    return send(request, rendered, snapshot, settings, negotiated=True)


def send_bibliography(
    request: Request, snapshot: Snapshot, settings: Settings, kind: str, slug: str, format_param: str | None
) -> Response:
    """A page's references in the negotiated format (aliases redirect like the page itself)."""
    if snapshot.page(kind, slug) is None:
        return _canonical(request, snapshot, settings, kind, slug, "/references")
    fmt = choose_format(request, format_param, BIBLIOGRAPHY_FORMATS)
    return send(request, snapshot.bibliography(kind, slug, fmt), snapshot, settings, negotiated=True)

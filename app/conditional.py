"""Sends pre-rendered bodies with ETag/Cache-Control and answers If-None-Match with 304."""

from __future__ import annotations

from fastapi import Request
from starlette.responses import RedirectResponse, Response

from app.errors import NotAcceptable, NotFound
from app.services.pages import url_for
from app.services.snapshot import Rendered, Snapshot
from app.settings import Settings


def etag_matches(header: str | None, etag: str) -> bool:
    """RFC 9110 If-None-Match: weak comparison over a comma-separated list, or `*`."""
    if not header:
        return False
    if header.strip() == "*":
        return True
    bare = etag.removeprefix("W/")
    return any(candidate.strip().removeprefix("W/") == bare for candidate in header.split(","))


JSON_TYPES = ("application/json", "application/*", "*/*", "application/problem+json")


def accepts_json(accept: str | None) -> bool:
    """Whether an Accept header admits JSON (a missing header admits anything; q=0 excludes)."""
    if not accept or not accept.strip():
        return True
    for item in accept.split(","):
        media, *params = (part.strip().lower() for part in item.split(";"))
        if media in JSON_TYPES and not any(p.replace(" ", "") in ("q=0", "q=0.0", "q=0.00", "q=0.000") for p in params):
            return True
    return False


def send(
    request: Request,
    rendered: Rendered,
    snapshot: Snapshot,
    settings: Settings,
    extra_headers: dict[str, str] | None = None,
) -> Response:
    headers = {
        "ETag": rendered.etag,
        "Cache-Control": f"public, max-age={settings.cache_max_age}",
        "X-Dataset-Version": snapshot.version,
        **dict(rendered.headers),
        **(extra_headers or {}),
    }
    if not accepts_json(request.headers.get("accept")):
        raise NotAcceptable(
            f"This resource is available as application/json; Accept was {request.headers['accept']!r}."
        )
    if etag_matches(request.headers.get("if-none-match"), rendered.etag):
        return Response(status_code=304, headers=headers)
    return Response(rendered.body, media_type="application/json", headers=headers)


def send_entity(request: Request, snapshot: Snapshot, settings: Settings, kind: str, slug: str) -> Response:
    """An entity's page; a 308 to the canonical URL for an alias or differently written name; else 404."""
    page = snapshot.page(kind, slug)
    if page is not None:
        return send(request, page, snapshot, settings)
    canonical = snapshot.resolve(kind, slug)
    if canonical is None:
        raise NotFound(f"No {kind} '{slug}'. GET /v1/{kind}s lists them; /v1/search finds them by name.")
    return RedirectResponse(
        url_for(kind, canonical),
        status_code=308,
        headers={"Cache-Control": f"public, max-age={settings.cache_max_age}"},
    )

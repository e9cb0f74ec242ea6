"""Pure-ASGI middleware: request ids, security headers, HEAD, request-target limit, last-resort 500,
and a replay cache of whole responses per data version."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Hashable
from http import HTTPStatus

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import PROBLEM_MEDIA_TYPE, problem_body
from app.services.snapshot import CachedResponse, Snapshot

logger = logging.getLogger("hairkb")

MAX_TARGET_BYTES = 4096
_CLIENT_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
# Request headers our responses vary on; everything else leaves a cached response valid.
_VARY = (b"accept-encoding", b"origin", b"if-none-match", b"accept")


class RequestContextMiddleware:
    """Outermost layer. Adds X-Request-ID and X-Content-Type-Options to every response, serves HEAD as
    GET without a body, refuses oversized request targets and turns any unhandled exception into a
    problem+json 500.

    It also replays cached responses: a GET whose response carried an ETag for the current data
    version is stored as the full stack produced it (CORS, gzip and all) and replayed for the next
    request with the same path, query and varying headers. Content only changes with the data version,
    and the cache lives on the Snapshot, so a reload starts a new one.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _request_id(scope)
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}
        target = len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"")
        if target > MAX_TARGET_BYTES:
            await _problem(
                send,
                scope,
                request_id,
                HTTPStatus.REQUEST_URI_TOO_LONG,
                "uri-too-long",
                f"The request target is {target} bytes; the limit is {MAX_TARGET_BYTES}.",
            )
            return

        snapshot = _snapshot(scope) if scope["method"] == "GET" else None
        key = _cache_key(scope) if snapshot is not None else None
        if snapshot is not None and key is not None:
            cached = snapshot.responses.get(key)
            if cached is not None:
                await _replay(send, cached, request_id, head)
                return

        started = False
        captured: list[Message] = []

        async def send_with_context(message: Message) -> None:
            nonlocal started
            if key is not None:
                captured.append(message)
            if message["type"] == "http.response.start":
                started = True
                message = {**message, "headers": [*message.get("headers", []), *_context_headers(request_id)]}
            elif head and message["type"] == "http.response.body":
                if message.get("more_body"):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        try:
            await self.app(scope, receive, send_with_context)
        except Exception:
            logger.exception("unhandled error", extra={"request_id": request_id, "path": scope.get("path")})
            if not started:
                await _problem(
                    send,
                    scope,
                    request_id,
                    HTTPStatus.INTERNAL_SERVER_ERROR,
                    "internal-error",
                    f"Unexpected server error; quote request id {request_id}.",
                )
            return
        if snapshot is not None and key is not None:
            _remember(snapshot, key, captured)


def _snapshot(scope: Scope) -> Snapshot | None:
    app = scope.get("app")
    runtime = getattr(getattr(app, "state", None), "runtime", None)
    return getattr(runtime, "snapshot", None)


def _cache_key(scope: Scope) -> Hashable:
    varying = dict.fromkeys(_VARY, b"")
    for name, value in scope.get("headers", []):
        if name in varying:
            varying[name] = b"gzip" if name == b"accept-encoding" and b"gzip" in value else value
    return (scope["path"], scope.get("query_string", b""), *varying.values())


def _remember(snapshot: Snapshot, key: Hashable, captured: list[Message]) -> None:
    """Store a response if it is a plain, complete, versioned one of this snapshot."""
    if len(captured) != 2 or captured[0]["type"] != "http.response.start" or captured[1].get("more_body"):
        return
    start, body = captured
    headers = tuple(start.get("headers", []))
    names = {name.lower(): value for name, value in headers}
    if start["status"] not in (200, 304) or b"etag" not in names:
        return
    if names.get(b"x-dataset-version") != snapshot.version.encode():
        return
    snapshot.responses.put(key, CachedResponse(start["status"], headers, body.get("body", b"")))


def _context_headers(request_id: str) -> list[tuple[bytes, bytes]]:
    return [(b"x-request-id", request_id.encode()), (b"x-content-type-options", b"nosniff")]


async def _replay(send: Send, cached: CachedResponse, request_id: str, head: bool) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": cached.status,
            "headers": [*cached.headers, *_context_headers(request_id)],
        }
    )
    await send({"type": "http.response.body", "body": b"" if head else cached.body})


def _request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == b"x-request-id":
            text = bytes(value).decode("latin-1")
            if _CLIENT_REQUEST_ID.match(text):
                return text
    return uuid.uuid4().hex


async def _problem(send: Send, scope: Scope, request_id: str, status: HTTPStatus, kind: str, detail: str) -> None:
    body = problem_body(status, kind, detail, scope.get("path", "")[:200])
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
                (b"content-length", str(len(body)).encode()),
                *_context_headers(request_id),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})

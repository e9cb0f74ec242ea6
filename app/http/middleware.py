"""The one request layer (pure ASGI, outside FastAPI's stack): request ids, security headers, HEAD, request
size limits, last-resort 500, metrics and access logs, the replay of whole responses from the current
generation's cache, and the shortcuts that answer plainly valid search and suggest requests. Also the gzip
middleware (by Accept-Encoding's q-values) and problem+json for the errors Starlette answers in plain text."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from http import HTTPStatus
from typing import NamedTuple

from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.gzip import GZipMiddleware, GZipResponder, IdentityResponder
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route, compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.http.cache import CachedResponse, Generation
from app.http.errors import PROBLEM_MEDIA_TYPE, REQUEST_ID_KEY, ApiError, problem_body
from app.http.etags import GZIP_SUFFIX
from app.http.negotiation import weighted
from app.http.respond import Reply
from app.observability import AccessLog, Metrics

logger = logging.getLogger("hairkb")

MAX_TARGET_BYTES = 4096
MAX_HEADER_BYTES = 16_384
_CLIENT_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
# Request headers our responses vary on; everything else leaves a cached response valid.
_VARY = (b"accept-encoding", b"origin", b"if-none-match", b"accept")
_RESPONSE_KEY = "hairkb.response"
GZIP_MINIMUM = 1024  # bytes: smaller bodies go out as they are
GZIP_LEVEL = 6  # zlib's default: level 9 costs about twice the CPU for a body a few per cent smaller

# A route answered without the framework for requests whose parameters are plainly valid; None lets the
# framework answer (and word any error).
Shortcut = Callable[[Reply], Response | None]


async def _send_response(scope: Scope, receive: Receive, send: Send) -> None:
    response: Response = scope[_RESPONSE_KEY]
    await response(scope, receive, send)


class RequestContextMiddleware:
    """The one request layer, outside the framework's own stack. Adds X-Request-ID and X-Content-Type-Options
    to every response, serves HEAD as GET without a body, refuses oversized request targets, turns any
    unhandled exception into a problem+json 500, and records metrics and an access log line per request
    (written after the responses).

    `shortcuts` answer their paths (search, suggest) without routing, dependency resolution and the
    framework's middleware when the parameters are plainly valid; the response goes through `encoding`
    (the same CORS and gzip layers the framework's stack has), so it is the framework's to the byte.

    It also replays cached responses: a GET whose response carried an ETag for the current data
    version is stored as the full stack produced it (CORS, gzip and all) and replayed for the next
    request with the same path, query and varying headers. Content only changes with the generation,
    which owns the cache, so a reload (or a refused one) starts a new one. `current` gives the
    generation being served (None before start-up).
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        metrics: Metrics,
        access_log: bool,
        current: Callable[[], Generation | None],
        max_age: int = 0,
        base_url: str = "",
        shortcuts: Mapping[str, Shortcut] | None = None,
        encoding: Callable[[ASGIApp], ASGIApp] = lambda app: app,
        templates: Sequence[str] = (),
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.access_log = AccessLog(logger) if access_log else None
        self.current = current
        self.max_age = max_age
        self.base_url = base_url
        self.shortcuts = shortcuts or {}
        self.shortcut_app = encoding(_send_response)
        # The app's path templates (a mount's ends in /{path:path}), to name requests no route handled.
        self.templates = [(compile_path(t)[0], t.removesuffix("/{path:path}")) for t in templates]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        began = time.perf_counter()
        request_id = _request_id(scope)
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET", "head": True}
        scope[REQUEST_ID_KEY] = request_id
        target = len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"")
        if target > MAX_TARGET_BYTES:
            detail = f"The request target is {target} bytes; the limit is {MAX_TARGET_BYTES}."
            await _problem(send, scope, request_id, HTTPStatus.REQUEST_URI_TOO_LONG, "uri-too-long", detail)
            self._record(scope, "unmatched", 414, began, request_id)
            return
        header_bytes = sum(len(name) + len(value) for name, value in scope.get("headers", []))
        if header_bytes > MAX_HEADER_BYTES:
            detail = f"The request headers are {header_bytes} bytes; the limit is {MAX_HEADER_BYTES}."
            too_large = HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
            await _problem(send, scope, request_id, too_large, "headers-too-large", detail)
            self._record(scope, "unmatched", 431, began, request_id)
            return

        generation = self.current() if scope["method"] == "GET" else None
        key = _cache_key(scope) if generation is not None else None
        if generation is not None and key is not None:
            cached = generation.replay.get(key)
            if cached is not None:
                await _replay(send, cached, request_id, head)
                self._record(scope, cached.route, cached.status, began, request_id)
                return

        started = False
        status = 500
        captured: list[Message] = []

        async def send_with_context(message: Message) -> None:
            nonlocal started, status
            if key is not None:
                captured.append(message)
            if message["type"] == "http.response.start":
                started = True
                status = message["status"]
                message = {**message, "headers": [*message.get("headers", []), *_context_headers(request_id)]}
            elif head and message["type"] == "http.response.body":
                if message.get("more_body"):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        # A revalidation of a gzip variant goes through the framework: CodingETags must translate its tag
        # before the reply compares it.
        shortcut = self.shortcuts.get(scope["path"]) if key is not None and not key.holds_gzip_tag else None
        try:
            response = None
            if shortcut is not None and generation is not None and key is not None:
                try:
                    response = shortcut(Reply(Request(scope), generation, self.max_age, self.base_url))
                except ApiError:
                    response = None  # the framework words it
            if response is None:
                await self.app(scope, receive, send_with_context)
                route = _route(scope)
            elif key is not None and key.plain:
                # What the gzip and CORS layers do to a request without Origin that does not accept gzip:
                # gzip names Accept-Encoding in Vary for a body it could have compressed, and Starlette's CORS
                # names Origin on every response (tests/test_shortcuts.py compares the bytes).
                headers = MutableHeaders(raw=response.raw_headers)
                if len(response.body) >= GZIP_MINIMUM:
                    headers.add_vary_header("Accept-Encoding")
                headers["Vary"] = ", ".join([*headers.getlist("Vary"), "Origin"])
                await response(scope, receive, send_with_context)
                route = scope["path"]
            else:
                scope[_RESPONSE_KEY] = response
                await self.shortcut_app(scope, receive, send_with_context)
                route = scope["path"]
        except Exception:
            logger.exception("unhandled error", extra={"request_id": request_id, "path": scope.get("path")})
            if not started:
                detail = f"Unexpected server error; quote request id {request_id}."
                await _problem(send, scope, request_id, HTTPStatus.INTERNAL_SERVER_ERROR, "internal-error", detail)
            self._record(scope, _route(scope), 500, began, request_id)
            return
        if generation is not None and key is not None:
            _remember(generation, key, captured, route)
        self._record(scope, route, status, began, request_id)

    def _record(self, scope: Scope, route: str, status: int, began: float, request_id: str) -> None:
        seconds = time.perf_counter() - began
        # HEAD is served as GET inside (see __call__), but recorded as what the client sent.
        method = "HEAD" if scope.get("head") else scope["method"]
        if route == "unmatched":
            route = next((t for regex, t in self.templates if regex.match(scope.get("path", ""))), route)
        self.metrics.observe(method, route, status, seconds)
        if self.access_log is not None:
            self.access_log.record(request_id, method, scope.get("path", ""), route, status, seconds)


def _route(scope: Scope) -> str:
    """The route template (`/v1/conditions/{slug}`), so metrics do not grow one series per URL. A request no
    route handled (a CORS preflight, answered before routing; a static file; a method the path does not allow)
    is named by the template its path fits, in `_record`."""
    route = scope.get("route")
    return route.path if isinstance(route, Route | Mount) else "unmatched"


class _Variant(NamedTuple):
    """What a cached response is kept under: the path, the query and the request headers responses vary on
    (Accept-Encoding reduced to whether gzip is accepted)."""

    path: str
    query: bytes
    gzip: bytes
    origin: bytes
    if_none_match: bytes
    accept: bytes

    @property
    def plain(self) -> bool:
        """No Origin (CORS only adds Vary) and gzip not accepted (gzip only adds Vary; CodingETags does nothing)."""
        return not self.origin and not self.gzip

    @property
    def holds_gzip_tag(self) -> bool:
        return GZIP_SUFFIX.encode() in self.if_none_match


def _cache_key(scope: Scope) -> _Variant:
    varying = dict.fromkeys(_VARY, b"")
    for name, value in scope.get("headers", []):
        if name in varying:
            varying[name] = (
                (b"gzip" if accepts_gzip(value.decode("latin-1")) else b"") if name == b"accept-encoding" else value
            )
    return _Variant(scope["path"], scope.get("query_string", b""), *varying.values())


def _remember(generation: Generation, key: _Variant, captured: list[Message], route: str) -> None:
    """Store a response if it is a plain, complete, versioned one of this generation's snapshot."""
    if len(captured) != 2 or captured[0]["type"] != "http.response.start" or captured[1].get("more_body"):
        return
    start, body = captured
    headers = tuple(start.get("headers", []))
    names = {name.lower(): value for name, value in headers}
    if start["status"] not in (200, 304) or b"etag" not in names:
        return
    if names.get(b"x-dataset-version") != generation.snapshot.version.encode():
        return
    key_size = sum(len(part) for part in key)
    generation.replay[key] = CachedResponse(start["status"], headers, body.get("body", b""), route, key_size)


def _context_headers(request_id: str) -> list[tuple[bytes, bytes]]:
    return [(b"x-request-id", request_id.encode()), (b"x-content-type-options", b"nosniff")]


async def _replay(send: Send, cached: CachedResponse, request_id: str, head: bool) -> None:
    headers = [*cached.headers, *_context_headers(request_id)]
    await send({"type": "http.response.start", "status": cached.status, "headers": headers})
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
    headers = [
        (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
        (b"content-length", str(len(body)).encode()),
        *_context_headers(request_id),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether Accept-Encoding allows gzip: named (or as its alias x-gzip, RFC 9110 8.4.1.3) with q > 0, or
    `*` with q > 0 when gzip is not named. `gzip;q=0` refuses it."""
    named: float | None = None
    anything: float | None = None
    for coding, q in weighted(accept_encoding):
        if coding in ("gzip", "x-gzip"):
            named = max(named or 0.0, q)
        elif coding == "*":
            anything = q
    return (named if named is not None else anything or 0.0) > 0


class NegotiatedGZip(GZipMiddleware):
    """Starlette's gzip, chosen by `accepts_gzip` instead of looking for "gzip" anywhere in the header."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # pragma: no cover - the app serves HTTP only
            await self.app(scope, receive, send)
            return
        responder: ASGIApp
        if accepts_gzip(Headers(scope=scope).get("accept-encoding", "")):
            responder = GZipResponder(
                self.app,
                self.minimum_size,
                compresslevel=self.compresslevel,
                thread_minimum_size=self.thread_minimum_size,
                exclude_content_types=self.exclude_content_types,
            )
        else:
            responder = IdentityResponder(self.app, self.minimum_size, exclude_content_types=self.exclude_content_types)
        await responder(scope, receive, send)


# The kinds of the client errors Starlette answers in text/plain by itself.
_PLAIN_ERROR_KINDS = {400: "bad-request", 416: "range-not-satisfiable"}


class PlainErrorsAsProblems:
    """Starlette answers a few client errors itself, in text/plain: a refused CORS preflight (400), a bad or
    unsatisfiable Range on a static file (400, 416). This turns any 4xx text/plain response into a problem,
    keeping its headers (Content-Range, Vary, CORS) and its text as the detail."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # pragma: no cover - the app serves HTTP only
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        text = b""

        async def send_problems(message: Message) -> None:
            nonlocal start, text
            if message["type"] == "http.response.start" and _is_plain_client_error(message):
                start = message
                return
            if start is None:
                await send(message)
                return
            text += message.get("body", b"")
            if message.get("more_body"):
                return
            status = start["status"]
            detail = text.decode("utf-8", "replace").strip() or HTTPStatus(status).phrase
            body = problem_body(
                status, _PLAIN_ERROR_KINDS.get(status, "http-error"), detail, scope.get("path", "")[:200]
            )
            kept = [
                (n, v) for n, v in start.get("headers", []) if n.lower() not in (b"content-type", b"content-length")
            ]
            headers = [
                *kept,
                (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
                (b"content-length", str(len(body)).encode()),
            ]
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, send_problems)


def _is_plain_client_error(start: Message) -> bool:
    if not 400 <= start["status"] < 500:
        return False
    content_type = next((v for n, v in start.get("headers", []) if n.lower() == b"content-type"), b"")
    return bytes(content_type).startswith(b"text/plain")

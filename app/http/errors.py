"""Domain errors and the handlers that turn every failure into RFC 9457 application/problem+json, and the
redirect to a canonical URL."""

from __future__ import annotations

import json
import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import RedirectResponse, Response
from starlette.routing import Match

from app.db import DatabaseUnavailable
from app.models.response import Moved, Problem

logger = logging.getLogger("hairkb")

PROBLEM_MEDIA_TYPE = "application/problem+json"
# Where the request layer leaves the request id in the ASGI scope, for the 500 answer to quote.
REQUEST_ID_KEY = "hairkb.request_id"

# The problem types this API uses; each is documented at /problems/{kind}.
PROBLEM_TYPES = {
    "not-found": "The resource does not exist. Check the slug or number; list endpoints show valid ones.",
    "method-not-allowed": "The resource exists but does not support this HTTP method (the API is read-only).",
    "invalid-parameter": "A path or query parameter is malformed or out of range; `errors` lists each one.",
    "not-acceptable": "None of the media types in the Accept header can be produced.",
    "uri-too-long": "The request target is longer than the server accepts.",
    "headers-too-large": "The request headers are larger than the server accepts.",
    "picture-unavailable": "The picture could not be drawn (Graphviz is missing or failed); the JSON graph works.",
    "bad-request": "The request could not be understood: not valid HTTP/1.1, a malformed Range header, or a "
    "cross-origin request (CORS preflight) for a method, origin or header the API does not allow.",
    "range-not-satisfiable": "The Range asked for lies outside the file.",
    "request-timeout": "The request head (request line and headers) did not arrive in time; the connection was closed.",
    "service-unavailable": "The server cannot answer this now (its database is unreachable); try again shortly.",
    "internal-error": "The server failed unexpectedly. The request id in the X-Request-ID header identifies it.",
    "http-error": "A generic HTTP error.",
}


class ApiError(Exception):
    """Raised by application code; never a bare HTTPException."""

    status = HTTPStatus.INTERNAL_SERVER_ERROR
    kind = "internal-error"

    def __init__(self, detail: str, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors


class Redirect(Exception):
    """Raised where a resource was asked for under another name than its canonical URL: answered 308, with
    a small JSON body that says where (so that clients that do not follow redirects can)."""

    def __init__(self, url: str, max_age: int, detail: str) -> None:
        super().__init__(url)
        self.url = url
        self.max_age = max_age
        self.detail = detail


class ServiceUnavailable(ApiError):
    """The answer needs the database, which cannot be reached now (what is in memory is still served)."""

    status = HTTPStatus.SERVICE_UNAVAILABLE
    kind = "service-unavailable"


# How long a client is asked to wait before trying again after a 503.
RETRY_AFTER_SECONDS = 5


class NotFound(ApiError):
    status = HTTPStatus.NOT_FOUND
    kind = "not-found"


class NotAcceptable(ApiError):
    status = HTTPStatus.NOT_ACCEPTABLE
    kind = "not-acceptable"


class PictureNotDrawn(ApiError):
    """A picture Graphviz could not draw; unlike ServiceUnavailable, retrying soon does not help."""

    status = HTTPStatus.SERVICE_UNAVAILABLE
    kind = "picture-unavailable"


class InvalidParameter(ApiError):
    status = HTTPStatus.UNPROCESSABLE_ENTITY
    kind = "invalid-parameter"


def problem_body(
    status: int, kind: str, detail: str, instance: str, errors: list[dict[str, Any]] | None = None
) -> bytes:
    problem = Problem(
        type=f"/problems/{kind}",
        title=HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        instance=instance,
        errors=errors,
    )
    return problem.model_dump_json(exclude_none=True, by_alias=True).encode()


def problem_response(
    request: Request,
    status: int,
    kind: str,
    detail: str,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    return Response(
        problem_body(status, kind, detail, request.url.path, errors),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def _validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    errors = []
    for item in exc.errors():
        loc = [str(part) for part in item.get("loc", ())]
        errors.append(
            {
                "in": loc[0] if loc else "request",
                "name": ".".join(loc[1:]) if len(loc) > 1 else "",
                "message": item.get("msg", "invalid"),
                # Echoing the input helps debugging; long inputs are cut so the error stays small.
                "input": _short(item.get("input")),
            }
        )
    return errors


def _short(value: Any) -> Any:
    try:
        text = value if isinstance(value, str) else json.dumps(value, default=str)
    except (TypeError, ValueError):
        return None
    return text if len(text) <= 100 else text[:100] + "…"


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)} if isinstance(exc, ServiceUnavailable) else None
    return problem_response(request, exc.status, exc.kind, exc.detail, exc.errors, headers)


async def _database_unavailable(request: Request, exc: Exception) -> Response:
    return await _api_error(request, ServiceUnavailable(f"The database cannot be reached: {exc}. Try again shortly."))


async def _request_validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = _validation_errors(exc)
    names = ", ".join(sorted({e["name"] or e["in"] for e in errors}))
    return problem_response(request, 422, "invalid-parameter", f"Invalid parameter(s): {names}.", errors)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 404 and (other := _other_spelling(request)) is not None:
        return RedirectResponse(other, status_code=308)
    kinds = {404: "not-found", 405: "method-not-allowed", 406: "not-acceptable", 414: "uri-too-long"}
    kind = kinds.get(exc.status_code, "http-error")
    if exc.status_code == 404:
        detail = f"No resource at {request.url.path}."
    elif exc.status_code == 405:
        detail = f"{request.method} is not allowed on {request.url.path}."
    else:
        detail = str(exc.detail)
    headers = {name.title(): value for name, value in (exc.headers or {}).items()}
    if "Allow" in headers:
        headers["Allow"] = _allow(headers["Allow"])
    return problem_response(request, exc.status_code, kind, detail, headers=headers)


def _allow(value: str) -> str:
    """An Allow header with each method once, and HEAD wherever GET is (see RequestContextMiddleware)."""
    methods = list(dict.fromkeys(m.strip().upper() for m in value.split(",") if m.strip()))
    if "GET" in methods and "HEAD" not in methods:
        methods.append("HEAD")
    return ", ".join(methods)


def _other_spelling(request: Request) -> str | None:
    """The path with its trailing slash removed (or one added) when a route answers that instead, as a
    relative URL with the query kept: never built from the Host header, never a `//host` URL."""
    path: str = request.scope["path"]
    raw = bytes(request.scope.get("raw_path") or path.encode()).decode("latin-1")
    if path.endswith("/"):
        other, other_raw = path.rstrip("/"), raw.rstrip("/")
    else:
        other, other_raw = path + "/", raw + "/"
    if not other.startswith("/") or other_raw.startswith("//"):
        return None
    scope = {**request.scope, "path": other}
    if not any(route.matches(scope)[0] is Match.FULL for route in request.app.router.routes):
        return None
    query = request.scope.get("query_string", b"").decode("latin-1")
    return f"{other_raw}?{query}" if query else other_raw


async def _internal(request: Request, exc: Exception) -> Response:
    """An unhandled exception, answered before the request layer logs it (see RequestContextMiddleware)."""
    request_id = request.scope.get(REQUEST_ID_KEY, "")
    detail = f"Unexpected server error; quote request id {request_id}."
    body = problem_body(HTTPStatus.INTERNAL_SERVER_ERROR, "internal-error", detail, request.url.path[:200])
    return Response(body, status_code=500, media_type=PROBLEM_MEDIA_TYPE)


async def _redirect(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Redirect)
    return Response(
        Moved(location=exc.url, detail=exc.detail).model_dump_json().encode(),
        status_code=308,
        media_type="application/json",
        headers={"Location": exc.url, "Cache-Control": f"public, max-age={exc.max_age}"},
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(Redirect, _redirect)
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(DatabaseUnavailable, _database_unavailable)
    app.add_exception_handler(RequestValidationError, _request_validation)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _internal)

"""Pure-ASGI middleware (no per-request task hop): request ids, security headers, HEAD, limits, last-resort 500."""

from __future__ import annotations

import logging
import re
import uuid
from http import HTTPStatus

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import PROBLEM_MEDIA_TYPE, problem_body

logger = logging.getLogger("hairkb")

MAX_TARGET_BYTES = 4096
_CLIENT_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class RequestContextMiddleware:
    """Adds X-Request-ID and X-Content-Type-Options to every response, serves HEAD as GET without a body,
    refuses oversized request targets, and turns any unhandled exception into a problem+json 500."""

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
        started = False

        async def send_with_context(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                headers.append((b"x-content-type-options", b"nosniff"))
                message = {**message, "headers": headers}
            elif head and message["type"] == "http.response.body":
                if message.get("more_body"):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        target = len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"")
        if target > MAX_TARGET_BYTES:
            await _problem(
                send_with_context,
                scope,
                HTTPStatus.REQUEST_URI_TOO_LONG,
                "uri-too-long",
                f"The request target is {target} bytes; the limit is {MAX_TARGET_BYTES}.",
            )
            return
        try:
            await self.app(scope, receive, send_with_context)
        except Exception:
            logger.exception("unhandled error", extra={"request_id": request_id, "path": scope.get("path")})
            if not started:
                await _problem(
                    send_with_context,
                    scope,
                    HTTPStatus.INTERNAL_SERVER_ERROR,
                    "internal-error",
                    f"Unexpected server error; quote request id {request_id}.",
                )


def _request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == b"x-request-id":
            text = bytes(value).decode("latin-1")
            if _CLIENT_REQUEST_ID.match(text):
                return text
    return uuid.uuid4().hex


async def _problem(send: Send, scope: Scope, status: HTTPStatus, kind: str, detail: str) -> None:
    path = scope.get("path", "")
    body = problem_body(status, kind, detail, path[:200])
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})

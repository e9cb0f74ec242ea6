"""One strong ETag per content coding (RFC 9110 §8.8.3): a gzip-coded body is another representation than the
identity one, so its tag is the identity tag with `-gzip`. Sits just outside the gzip middleware and reacts to
what it did, so that the decision to compress stays in one place."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

GZIP_SUFFIX = "-gzip"


def gzip_tag(etag: str) -> str:
    """`"abc"` → `"abc-gzip"` (a strong tag is quoted)."""
    return f'{etag[:-1]}{GZIP_SUFFIX}"'


def _identity_tag(etag: str) -> str | None:
    """The identity tag a gzip variant's tag was made from (If-None-Match compares weakly: `W/` is ignored);
    None for any other tag."""
    bare = etag.strip().removeprefix("W/")
    if bare.startswith('"') and bare.endswith(f'{GZIP_SUFFIX}"'):
        return f'{bare[: -len(GZIP_SUFFIX) - 1]}"'
    return None


class CodingETags:
    """Rewrites the ETag of a gzip-coded response to its own tag. A client revalidating a gzip variant sends
    that tag in If-None-Match: the identity tag is added to the header, so that the application (which only
    knows identity bodies) recognises it, and its 304 is given back the gzip tag the client holds."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        held: set[str] = set()  # identity tags of the gzip variants the client holds
        headers = []
        for name, value in scope["headers"]:
            if name == b"if-none-match":
                tags = value.decode("latin-1").split(",")
                held = {tag for tag in map(_identity_tag, tags) if tag is not None}
                if held:
                    value = ", ".join([*tags, *held]).encode("latin-1")
            headers.append((name, value))
        if held:
            scope = {**scope, "headers": headers}

        async def send_tagged(message: Message) -> None:
            if message["type"] == "http.response.start":
                response = MutableHeaders(scope=message)
                etag = response.get("etag")
                if etag and etag.startswith('"'):
                    gzipped = response.get("content-encoding") == "gzip"
                    if gzipped or (message["status"] == 304 and etag in held):
                        response["etag"] = gzip_tag(etag)
            await send(message)

        await self.app(scope, receive, send_tagged)

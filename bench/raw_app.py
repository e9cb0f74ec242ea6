"""For scale in the traffic benchmark: a raw ASGI callable returning fixed bytes, what the server itself can do."""

from __future__ import annotations

from typing import Any

BODY = b'{"slug":"telogen-effluvium","name":"Telogen effluvium","category":"non-scarring"}'
START = {
    "type": "http.response.start",
    "status": 200,
    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(BODY)).encode())],
}
RESPONSE = {"type": "http.response.body", "body": BODY}


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    await send(START)
    await send(RESPONSE)

"""How `hairkb serve` runs uvicorn: its HTTP/1.1 protocol with TCP_NODELAY on every connection."""

from __future__ import annotations

import asyncio
import socket

from uvicorn.protocols.http.h11_impl import H11Protocol


class NoDelayH11Protocol(H11Protocol):
    """With workers, uvicorn binds the socket itself, and asyncio then leaves Nagle's algorithm on for the
    connections (that socket's protocol number is 0): a response body, written after its head, waited for
    the client's delayed ACK, 40 ms per request. This protocol turns TCP_NODELAY on for each connection."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)

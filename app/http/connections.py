"""Connections as `hairkb serve` accepts them: uvicorn's HTTP/1.1 protocol with a deadline for the request
head, a cap on open connections that sheds idle ones first, and problem+json for requests that do not parse.

Uvicorn times out a connection only once it has answered on it: one that sends part of a request head and
stops was kept forever, so 20,000 of them exhausted the descriptors and every probe timed out."""

from __future__ import annotations

import asyncio
import resource
import socket
from collections import OrderedDict
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, ClassVar

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from app.http.errors import PROBLEM_MEDIA_TYPE, problem_body
from app.settings import Settings

# Descriptors kept out of the connection cap: the database pool, data files, logs, the listening socket.
RESERVED_DESCRIPTORS = 96


@dataclass(frozen=True)
class ConnectionLimits:
    header_seconds: float  # from a connection's start (or its last response) to a complete request head
    max_connections: int
    backlog: int  # connections the kernel queues, and asyncio may accept in one go

    @classmethod
    def within_descriptors(cls, header_seconds: float, max_connections: int, backlog: int) -> ConnectionLimits:
        """Limits that fit this process's descriptor limit, raised to its hard limit first: the cap, one
        accept burst and the reserve never need more descriptors than the process may open, so that accept()
        never fails with EMFILE (asyncio then stops accepting for a second and logs a traceback each time)."""
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if hard == resource.RLIM_INFINITY or soft < hard:
            wanted = 65_536 if hard == resource.RLIM_INFINITY else min(hard, 65_536)
            if wanted > soft:
                resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
                soft = wanted
        backlog = max(16, min(backlog, soft // 8))
        cap = max(16, min(max_connections, soft - backlog - RESERVED_DESCRIPTORS))
        return cls(header_seconds, cap, backlog)


class GuardedH11Protocol(H11Protocol):
    """H11Protocol plus: the request head must be complete within `limits.header_seconds` of the connection
    opening or of the last response (a 408 problem if some of it came, else a quiet close); past
    `limits.max_connections` open connections the one idle longest (no request in progress) is closed to
    make room, so that a flood of silent connections cannot keep real requests and probes out."""

    limits: ClassVar[ConnectionLimits]
    # Per server: the connections with no request in progress, longest idle first.
    idle: ClassVar[OrderedDict[GuardedH11Protocol, None]]

    @classmethod
    def configured(cls, limits: ConnectionLimits) -> type[GuardedH11Protocol]:
        """A protocol class for one server, to give uvicorn as `http=`."""
        return type("HairkbH11Protocol", (cls,), {"limits": limits, "idle": OrderedDict()})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        # With workers, uvicorn binds the socket itself, and asyncio then leaves Nagle's algorithm on for the
        # connections (that socket's protocol number is 0): a response body, written after its head, waited
        # for the client's delayed ACK, 40 ms per request.
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)
        if len(self.connections) > self.limits.max_connections:
            self._make_room()
        if not self.transport.is_closing():
            self._await_head()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_waiting()
        super().connection_lost(exc)

    def handle_events(self) -> None:
        super().handle_events()
        if self.conn.their_state is not h11.IDLE:  # a whole request head arrived
            self._stop_waiting()

    def on_response_complete(self) -> None:
        super().on_response_complete()  # arms uvicorn's keep-alive timeout; runs a pipelined request
        if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
            self._await_head()

    def send_400_response(self, msg: str) -> None:
        self._send_problem(HTTPStatus.BAD_REQUEST, "bad-request", f"{msg} The request could not be parsed.")

    def _await_head(self) -> None:
        self._stop_waiting()
        self.idle[self] = None
        self._head_deadline = self.loop.call_later(self.limits.header_seconds, self._head_timed_out)

    def _stop_waiting(self) -> None:
        self.idle.pop(self, None)
        if self._head_deadline is not None:
            self._head_deadline.cancel()
            self._head_deadline = None

    def _head_timed_out(self) -> None:
        self._head_deadline = None
        if self.transport.is_closing():
            return
        if self.conn.their_state is h11.IDLE and self.conn.trailing_data[0]:  # part of a head came
            seconds = self.limits.header_seconds
            detail = f"The request head was not complete within {seconds:g} seconds."
            self._send_problem(HTTPStatus.REQUEST_TIMEOUT, "request-timeout", detail)
        else:
            self.transport.close()

    def _make_room(self) -> None:
        oldest = next((other for other in self.idle if other is not self), None)
        if oldest is None:  # every other connection is busy with a request: this one waits for none
            self.transport.close()
            return
        self.idle.pop(oldest)
        oldest.transport.close()

    def _send_problem(self, status: HTTPStatus, kind: str, detail: str) -> None:
        """Answer with a problem and close, outside any request cycle (nothing was handed to the app)."""
        body = problem_body(status, kind, detail, "")
        head = (
            f"HTTP/1.1 {status.value} {status.phrase}\r\ncontent-type: {PROBLEM_MEDIA_TYPE}\r\n"
            f"content-length: {len(body)}\r\nx-content-type-options: nosniff\r\nconnection: close\r\n\r\n"
        )
        self.transport.write(head.encode() + body)
        self.transport.close()


class SettingsH11Protocol(GuardedH11Protocol):
    """The guarded protocol of a worker process (`hairkb serve --workers N`): uvicorn hands the class to its
    workers by name, so each fits the limits from its own settings, on its first connection."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        cls = type(self)
        if "limits" not in cls.__dict__:
            settings = Settings()
            cls.limits = ConnectionLimits.within_descriptors(
                settings.header_timeout, settings.max_connections, settings.backlog
            )
            cls.idle = OrderedDict()
        super().connection_made(transport)

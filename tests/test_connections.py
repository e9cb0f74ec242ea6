"""Connections to `hairkb serve`: a deadline for the request head, problem+json for what does not parse, and
a connection cap that sheds the longest-idle connection first."""

from __future__ import annotations

import contextlib
import json
import socket
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import TINY
from tests.live_server import running_server

pytestmark = pytest.mark.e2e
SERVE = [sys.executable, "-m", "app.cli", "serve"]


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, int]]:
    env = {"HAIRKB_HEADER_TIMEOUT": "1", "HAIRKB_MAX_CONNECTIONS": "40", "HAIRKB_ACCESS_LOG": "false"}
    with running_server(TINY, env, command=SERVE) as (base, _):
        yield base, int(base.rsplit(":", 1)[1])


def _connect(port: int) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=5)


def _read_all(sock: socket.socket) -> bytes:
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def _problem(raw: bytes) -> tuple[int, dict[str, object]]:
    head, _, body = raw.partition(b"\r\n\r\n")
    assert b"content-type: application/problem+json" in head.lower(), head
    return int(head.split()[1]), json.loads(body)


def test_a_partial_request_head_times_out_with_a_408_problem(server: tuple[str, int]) -> None:
    with _connect(server[1]) as sock:
        sock.sendall(b"GET /v1/meta HTTP/1.1\r\nHost: x\r\n")
        started = time.monotonic()
        status, body = _problem(_read_all(sock))
    assert status == 408 and body["type"] == "/problems/request-timeout"
    assert 0.5 < time.monotonic() - started < 3


def test_a_silent_connection_is_closed(server: tuple[str, int]) -> None:
    with _connect(server[1]) as sock:
        started = time.monotonic()
        assert _read_all(sock) == b""
    assert time.monotonic() - started < 3


def test_a_keep_alive_connection_gets_the_same_deadline(server: tuple[str, int]) -> None:
    with _connect(server[1]) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        assert sock.recv(65536).startswith(b"HTTP/1.1 200")
        sock.sendall(b"GET /healthz HTTP/1.1\r\n")  # uvicorn's keep-alive timer stops at the first byte
        status, _ = _problem(_read_all(sock))
    assert status == 408


@pytest.mark.parametrize(
    "request_bytes", [b"\x16\x03\x01\x02\x00\x01\x00\r\n\r\n", b"GET / HTTP/1.1\r\nBad Header\r\n\r\n"]
)
def test_unparsable_requests_get_a_400_problem(server: tuple[str, int], request_bytes: bytes) -> None:
    with _connect(server[1]) as sock:
        sock.sendall(request_bytes)
        status, body = _problem(_read_all(sock))
    assert status == 400 and body["type"] == "/problems/bad-request"


def test_past_the_cap_the_longest_idle_connection_makes_room(server: tuple[str, int]) -> None:
    base, port = server
    idle = [_connect(port) for _ in range(80)]  # twice the cap, each sending half a head
    try:
        for sock in idle:
            with contextlib.suppress(ConnectionResetError):  # closed already to make room
                sock.sendall(b"GET /v1/meta HTTP/1.1\r\n")
        started = time.monotonic()
        for _ in range(20):
            assert httpx.get(f"{base}/healthz", timeout=2).status_code == 200
        assert time.monotonic() - started < 5
        closed = 0
        for sock in idle[:40]:  # the oldest were closed to make room (before the head deadline)
            sock.settimeout(0.5)
            try:
                closed += sock.recv(1) == b""
            except ConnectionResetError:
                closed += 1
            except TimeoutError:
                pass
        assert closed >= 30
    finally:
        for sock in idle:
            sock.close()

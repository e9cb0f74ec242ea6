"""Hostile traffic against a live `hairkb serve`: distinct requests that fill caches, made-up methods that
would add metric series, and a flood of connections that send half a request head and stop."""

from __future__ import annotations

import contextlib
import os
import resource
import socket
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import DATA
from tests.faults.conftest import NO_COVERAGE, fetch_all
from tests.live_server import running_server

pytestmark = [pytest.mark.faults, pytest.mark.e2e]
SERVE = [sys.executable, "-m", "app.cli", "serve"]
QUIET = {"HAIRKB_ACCESS_LOG": "false", **NO_COVERAGE}


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")  # pragma: no cover - Linux reports it


def test_ten_thousand_distinct_requests_leave_memory_bounded() -> None:
    """Each distinct `/v1/export?x=N` used to keep one more gzipped export for replay (460 of them: +1.2 GB on
    a 2,000-entity knowledge base). Here the caches get 16 + 8 MB; 3,000 gzipped exports alone are ~60 MB."""
    env = {**QUIET, "HAIRKB_REPLAY_CACHE_MB": "16", "HAIRKB_LIST_CACHE_MB": "8"}
    gzip = {"Accept-Encoding": "gzip"}
    with running_server(DATA, env, command=SERVE) as (base, process):
        port = int(base.rsplit(":", 1)[1])
        warm = ["/v1/export", "/v1/search?q=alopecia", "/v1/export?format=ndjson"] * 20
        fetch_all(port, [("GET", target) for target in warm], gzip)
        before = _rss_mb(process.pid)
        started = time.monotonic()
        exports = [f"/v1/export?x={i}" for i in range(3000)]
        # Distinct searches, and the same search under distinct URLs (a replay entry each, one search).
        searches = [f"/v1/search?q=hair+{i}" for i in range(3000)] + [f"/v1/search?q=hair&x={i}" for i in range(4000)]
        statuses = fetch_all(port, [("GET", target) for target in exports + searches], gzip)
        seconds = time.monotonic() - started
        grown = _rss_mb(process.pid) - before
    assert statuses == [200] * 10_000
    assert grown < 60, f"RSS grew by {grown:.0f} MB"
    print(f"\n10,000 distinct export/search requests in {seconds:.0f} s: RSS {before:.0f} MB, +{grown:.0f} MB")


def test_made_up_methods_do_not_grow_the_metrics() -> None:
    """35,000 made-up methods made 600k series: a 57 MB scrape that blocked the event loop for 4.5 s."""
    with running_server(DATA, QUIET, command=SERVE) as (base, _):
        junk = [(f"M{i:05d}", "/v1/conditions") for i in range(5000)]
        assert set(fetch_all(int(base.rsplit(":", 1)[1]), junk, {})) == {405}
        started = time.monotonic()
        scrape = httpx.get(f"{base}/metrics")
        scrape_seconds = time.monotonic() - started
        health_started = time.monotonic()
        assert httpx.get(f"{base}/healthz").status_code == 200
        health_seconds = time.monotonic() - health_started
    assert 'method="other",route="/v1/conditions",status="405"} 5000.0' in scrape.text
    assert len(scrape.content) < 64_000 and scrape_seconds < 1 and health_seconds < 1
    size, milliseconds = len(scrape.content) / 1000, scrape_seconds * 1000
    print(f"\n5,000 made-up methods: /metrics {size:.0f} KB, scraped in {milliseconds:.0f} ms")


SERVER_DESCRIPTORS = 1024  # a common default: the flood below is twice as large
FLOOD = 2048


def _descriptor_limit() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (SERVER_DESCRIPTORS, SERVER_DESCRIPTORS))


def test_a_partial_header_flood_does_not_stall_the_probes() -> None:
    """20,500 half-sent heads used to exhaust the descriptors: every probe timed out for ~35 s."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < FLOOD + 256:
        pytest.skip(f"this process may open only {hard} descriptors")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, FLOOD + 256), hard))
    env = {**QUIET, "HAIRKB_HEADER_TIMEOUT": "5"}
    flood: list[socket.socket] = []
    with running_server(DATA, env, command=SERVE, preexec_fn=_descriptor_limit) as (base, process):
        port = int(base.rsplit(":", 1)[1])
        slowest = 0.0
        answered = 0
        try:
            for i in range(FLOOD):
                sock = socket.socket()
                sock.setblocking(False)
                with contextlib.suppress(BlockingIOError):
                    sock.connect(("127.0.0.1", port))
                flood.append(sock)
                if i % 256 == 255:
                    time.sleep(0.05)  # let the connections land, then half a head on each
                    for open_sock in flood[-256:]:
                        with contextlib.suppress(OSError):
                            open_sock.send(b"GET /v1/meta HTTP/1.1\r\nHost: x\r\n")
                    for probe in ("/healthz", "/readyz"):
                        started = time.monotonic()
                        assert httpx.get(f"{base}{probe}", timeout=5).status_code == 200
                        slowest = max(slowest, time.monotonic() - started)
                        answered += 1
            descriptors = len(os.listdir(f"/proc/{process.pid}/fd"))
        finally:
            for sock in flood:
                sock.close()
        assert process.poll() is None
    assert descriptors < SERVER_DESCRIPTORS and slowest < 2
    print(f"\nflood of {FLOOD} half heads against {SERVER_DESCRIPTORS} descriptors: {answered} probes answered,")
    print(f"slowest {slowest * 1000:.0f} ms; the server held {descriptors} descriptors")

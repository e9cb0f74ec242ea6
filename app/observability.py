"""Prometheus metrics (one registry per app), structured JSON logging and timing of named phases."""

from __future__ import annotations

import datetime as dt
import logging
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from prometheus_client import (
    GC_COLLECTOR,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)
from pythonjsonlogger.json import JsonFormatter

# Label values come from closed sets, so that no client can add series: any other method is "other" (routes
# are templates or "unmatched"; statuses are three digits).
METHODS = frozenset({"GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE", "TRACE", "CONNECT"})


class Metrics:
    def __init__(self) -> None:
        # A registry per app keeps test apps (and their counts) apart.
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "hairkb_http_requests", "HTTP requests served.", ["method", "route", "status"], registry=self.registry
        )
        self.latency = Histogram(
            "hairkb_http_request_seconds",
            "Time to answer a request.",
            ["method", "route", "status"],
            registry=self.registry,
            buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0),
        )
        self.dataset = Gauge(
            "hairkb_dataset_info", "The data version being served (value 1).", ["version"], registry=self.registry
        )
        self.reloads = Counter("hairkb_reloads", "Data reloads by outcome.", ["outcome"], registry=self.registry)
        for outcome in ("success", "failure"):  # a series from the start: rate() and alerts need no reload first
            self.reloads.labels(outcome)
        # The process's own figures (CPU, memory, file descriptors, start time), the interpreter and its GC.
        ProcessCollector(registry=self.registry)
        PlatformCollector(registry=self.registry)
        self.registry.register(GC_COLLECTOR)

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        method = method if method in METHODS else "other"
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route, str(status)).observe(seconds)

    def serving(self, version: str) -> None:
        self.dataset.clear()
        self.dataset.labels(version).set(1)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


class _UtcTime(logging.Formatter):
    """Timestamps in UTC, ISO 8601 with the zone (`2026-11-21T23:50:09.027+00:00`)."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds")


class _JsonLines(_UtcTime, JsonFormatter):
    pass


# Our loggers and uvicorn's server messages share one handler and format. uvicorn's own access log is off:
# RequestContextMiddleware logs each request once, with its request id and route.
SERVER_LOGGERS = ("hairkb", "uvicorn", "uvicorn.error")
UVICORN_ACCESS = "uvicorn.access"


def configure_logging(json_lines: bool, level: int = logging.INFO) -> None:
    """Route our logger and uvicorn's to stderr, as JSON objects (request id included) unless told otherwise."""
    handler = logging.StreamHandler(sys.stderr)
    if json_lines:
        handler.setFormatter(
            _JsonLines(
                "{asctime}{levelname}{name}{message}",
                style="{",
                rename_fields={"levelname": "level", "asctime": "time"},
            )
        )
    else:
        handler.setFormatter(_UtcTime("%(asctime)s %(levelname)s %(name)s %(message)s"))
    for name in SERVER_LOGGERS:
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(level)
        logger.propagate = False
    access = logging.getLogger(UVICORN_ACCESS)
    access.handlers[:] = []
    access.propagate = False
    access.disabled = True


class PhaseTimer:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = time.perf_counter() - started

    def __str__(self) -> str:
        return ", ".join(f"{name} {seconds:.2f}s" for name, seconds in self.seconds.items())

"""Prometheus metrics (one registry per app), structured JSON logging and timing of named phases."""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import json
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

        self._series: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        method = method if method in METHODS else "other"
        # The labelled series are looked up once: `labels()` takes a lock and builds its key on every call.
        # (Methods, routes and statuses come from closed sets, so this stays small.)
        series = self._series.get((method, route, status))
        if series is None:
            series = self._series[method, route, status] = (
                self.requests.labels(method, route, str(status)),
                self.latency.labels(method, route, str(status)),
            )
        series[0].inc()
        series[1].observe(seconds)

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


class AccessLog:
    """One line per request, written after the responses: a request appends a tuple, and a callback the event
    loop runs once the requests in hand are answered formats the batch and writes it in one call. JSON lines
    (the shape the logger's JSON formatter gives) are written straight to the handler's stream; any other
    configuration goes through the logger, record by record."""

    def __init__(self, logger: logging.Logger) -> None:
        self.logger = logger
        self._pending: list[tuple[float, str, str, str, str, int, float]] = []

    def record(self, request_id: str, method: str, path: str, route: str, status: int, seconds: float) -> None:
        if not self._pending:
            try:
                asyncio.get_running_loop().call_soon(self.flush)
            except RuntimeError:  # no loop (a caller outside the server): written at once
                self._pending.append((time.time(), request_id, method, path, route, status, seconds))
                self.flush()
                return
        self._pending.append((time.time(), request_id, method, path, route, status, seconds))

    def flush(self) -> None:
        pending, self._pending = self._pending, []
        if not pending or not self.logger.isEnabledFor(logging.INFO):
            return
        handlers = self.logger.handlers
        handler = handlers[0] if len(handlers) == 1 else None
        if isinstance(handler, logging.StreamHandler) and isinstance(handler.formatter, JsonFormatter):
            if handler.level <= logging.INFO:
                handler.acquire()
                try:
                    handler.stream.write("".join(_json_line(*entry) for entry in pending))
                    handler.flush()
                finally:
                    handler.release()
            return
        for _, request_id, method, path, route, status, seconds in pending:
            extra = {"request_id": request_id, "method": method, "path": path, "route": route, "status": status}
            self.logger.info("request", extra={**extra, "duration_ms": round(seconds * 1000, 3)})


@functools.lru_cache(maxsize=4)
def _second(at: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(at))


def _json_line(at: float, request_id: str, method: str, path: str, route: str, status: int, seconds: float) -> str:
    """The line `_JsonLines` would write for the record (UTC, ISO 8601 with the zone), without a record."""
    when = f"{_second(int(at))}.{int(at % 1 * 1000):03d}+00:00"
    return (
        f'{{"time": "{when}", "level": "INFO", "name": "hairkb", "message": "request", '
        f'"request_id": {json.dumps(request_id)}, "method": {json.dumps(method)}, "path": {json.dumps(path)}, '
        f'"route": {json.dumps(route)}, "status": {status}, "duration_ms": {round(seconds * 1000, 3)}}}\n'
    )


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

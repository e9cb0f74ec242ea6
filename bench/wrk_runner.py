"""Runs wrk against a uvicorn-served app; shared by the API and search benchmarks."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Identical server flags for every app measured, so ratios compare like with like.
UVICORN_FLAGS = ["--workers", "1", "--log-level", "warning", "--no-access-log"]


@dataclass(frozen=True)
class WrkResult:
    requests_per_second: float
    p99_ms: float
    errors: int


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    subprocess.run(["apt-get", "install", "-y", "wrk"], check=False, capture_output=True)
    found = shutil.which("wrk")
    if not found:
        sys.exit("wrk is not installed and apt-get could not install it (try: apt-get update && apt-get install wrk)")
    return found


def free_port() -> int:
    """A port nothing listens on now (tests/live_server.py has its own copy: tests and bench/ never
    import each other)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serve(
    app: str, env: dict[str, str] | None = None, ready_path: str = "/openapi.json", root: Path = ROOT
) -> Iterator[str]:
    """Start `uvicorn app` on 127.0.0.1 and yield its base URL; `app` is imported from `root`."""
    with serve_process(app, env, ready_path, root) as (base, _):
        yield base


@contextmanager
def serve_process(
    app: str,
    env: dict[str, str] | None = None,
    ready_path: str = "/openapi.json",
    root: Path = ROOT,
    workers: int | None = None,
) -> Iterator[tuple[str, int]]:
    """Start `uvicorn app` on 127.0.0.1 and yield its base URL and process id; with `workers`, start
    `hairkb serve --workers N` instead (the server command of the README)."""
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", app, *UVICORN_FLAGS]
    if workers is not None:
        command = [sys.executable, "-m", "app.cli", "serve", "--workers", str(workers)]
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [*command, "--host", "127.0.0.1", "--port", str(port)],
            cwd=root,
            env={**os.environ, **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError(f"{app} did not start:\n{log.read().decode()[-2000:]}")
                try:
                    with urllib.request.urlopen(base + ready_path, timeout=1):
                        break
                except OSError:
                    time.sleep(0.2)
            if workers is not None and workers > 1:
                time.sleep(5)  # the first worker answers as soon as it is up: give the others time to start too
            yield base, process.pid
        finally:
            process.terminate()
            process.wait(timeout=20)


def run_wrk(
    url: str, seconds: int, connections: int = 32, threads: int = 2, headers: dict[str, str] | None = None
) -> WrkResult:
    sent = [f"--header={name}: {value}" for name, value in (headers or {}).items()]
    command = [ensure_wrk(), f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", *sent, url]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    p99_ms = float(p99.group(1)) * scale[p99.group(2)] if p99 else float("nan")
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return WrkResult(rps, p99_ms, errors + (int(non2xx.group(1)) if non2xx else 0))

"""A real uvicorn process on 127.0.0.1 for end-to-end tests."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import httpx

from tests.conftest import ROOT
from tests.ports import free_port


@contextmanager
def running_server(
    data_dir: Path,
    extra_env: dict[str, str] | None = None,
    command: list[str] | None = None,
    log_path: Path | None = None,
    preexec_fn: Callable[[], None] | None = None,
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A server process serving `data_dir` (uvicorn by default, or `command` + --host/--port); yields its
    base URL and process, and stops it afterwards. Its output goes to `log_path` if given; `preexec_fn` runs
    in the child before it starts (limits)."""
    port = free_port()
    env = {**os.environ, "HAIRKB_DATA_DIR": str(data_dir), **(extra_env or {})}
    argv = command or [sys.executable, "-m", "uvicorn", "app.main:app"]
    with open(log_path, "w+b") if log_path else tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [*argv, "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=preexec_fn,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_ready(process, base, log)
            yield base, process
        finally:
            process.terminate()
            process.wait(timeout=10)


def _wait_ready(process: subprocess.Popen[bytes], base: str, log: IO[bytes]) -> None:
    deadline = time.monotonic() + 30
    # One client for all the polling, closed at the end: a probe that timed out must not leave its socket open.
    with httpx.Client(timeout=5) as http:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                log.seek(0)
                raise RuntimeError(log.read().decode())
            try:
                if http.get(f"{base}/readyz").status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
    raise RuntimeError("server did not become ready")


def wait_until(check: Callable[[], object], timeout: float = 10.0) -> None:
    """Poll `check` until it is true; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.05)

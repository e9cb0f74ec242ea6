"""End to end: a real uvicorn process on 127.0.0.1 serving the real data, spoken to over TCP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import httpx
import pytest

from tests.conftest import DATA, ROOT


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def running_server(data_dir: Path, extra_env: dict[str, str] | None = None) -> Iterator[str]:
    """A uvicorn process serving `data_dir`; yields its base URL and stops it afterwards."""
    port = _free_port()
    env = {**os.environ, "HAIRKB_DATA_DIR": str(data_dir), **(extra_env or {})}
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_ready(process, base, log)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=10)


def _wait_ready(process: subprocess.Popen[bytes], base: str, log: IO[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(log.read().decode())
        try:
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError("server did not become ready")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with running_server(DATA) as base:
        yield base


pytestmark = pytest.mark.e2e


def test_statuses_over_real_http(server: str) -> None:
    with httpx.Client(base_url=server) as http:
        page = http.get("/v1/conditions/telogen-effluvium")
        assert page.status_code == 200
        assert (
            http.get("/v1/conditions/telogen-effluvium", headers={"If-None-Match": page.headers["etag"]}).status_code
            == 304
        )
        redirect = http.get("/v1/conditions/FPHL")
        assert redirect.status_code == 308 and redirect.headers["location"] == "/v1/conditions/female-pattern-hair-loss"
        for method, path, status in [
            ("GET", "/v1/conditions/nope", 404),
            ("PUT", "/v1/meta", 405),
            ("GET", "/v1/conditions?limit=500", 422),
        ]:
            response = http.request(method, path)
            assert response.status_code == status
            assert response.headers["content-type"] == "application/problem+json"
            assert {"type", "title", "status", "detail", "instance"} <= set(response.json())


def test_head_and_cors_preflight_over_real_http(server: str) -> None:
    with httpx.Client(base_url=server) as http:
        head = http.head("/v1/conditions/alopecia-areata")
        assert head.status_code == 200 and head.content == b"" and int(head.headers["content-length"]) > 1000
        preflight = http.options(
            "/v1/conditions/alopecia-areata",
            headers={"Origin": "https://site.example", "Access-Control-Request-Method": "GET"},
        )
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == "*"


def test_invalid_data_refuses_to_start(tmp_path: Path) -> None:
    (tmp_path / "conditions.yaml").write_text("conditions: [\n")
    env = {**os.environ, "HAIRKB_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1", "--port", str(_free_port())],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert f"{tmp_path}/conditions.yaml:2:1: YAML syntax error" in result.stderr.decode()

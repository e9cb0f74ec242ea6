"""End to end: a real uvicorn process on 127.0.0.1 serving the real data, spoken to over TCP."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import DATA, ROOT
from tests.live_server import running_server
from tests.ports import free_port


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with running_server(DATA) as (base, _):
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
        [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1", "--port", str(free_port())],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert f"{tmp_path}/conditions.yaml:2:1: YAML syntax error" in result.stderr.decode()


@pytest.mark.parametrize(
    ("path", "headers", "statuses"),
    [
        ("/v1/conditions?q=" + "x" * 10_000, {}, {414}),
        # Over the 16 KB head limit, yet small enough to arrive in one read: a server that closes with
        # unread bytes in its buffer sends a TCP reset, which can discard the 431 before we read it.
        ("/v1/conditions/telogen-effluvium", {"X-Junk": "y" * 20_000}, {400, 431}),
        ("/v1/conditions/telogen-effluvium", {"If-None-Match": '"\\x00bad'}, {200}),
        ("/v1/conditions/telogen-effluvium", {"Accept": "text/csv"}, {406}),
        ("/v1/conditions/..%2F..%2Fdata%2Fconditions.yaml", {}, {404}),
        ("/v1/../../etc/passwd", {}, {404}),
        ("/v1/search?q=" + "%F0%9F%98%80" * 200, {}, {200, 422}),
    ],
)
def test_hostile_requests_get_clean_4xx_over_real_http(
    server: str, path: str, headers: dict[str, str], statuses: set[int]
) -> None:
    with httpx.Client(base_url=server) as http:
        response = http.get(path, headers=headers)
    assert response.status_code in statuses
    if response.status_code >= 400 and response.headers.get("content-type", "").startswith("application/problem"):
        assert response.json()["status"] == response.status_code


def test_the_readme_serve_command_starts_the_api(tmp_path: Path) -> None:
    """`hairkb serve` (README quickstart, Dockerfile CMD) serves /healthz, the data and the site."""
    command = [sys.executable, "-m", "app.cli", "serve"]
    with running_server(DATA, command=command) as (base, _):
        assert httpx.get(f"{base}/healthz").json() == {"status": "ok"}
        assert httpx.get(f"{base}/v1/conditions/FPHL", follow_redirects=True).status_code == 200
        assert "What could this be?" in httpx.get(f"{base}/").text  # the site, from the same command


def test_the_server_logs_json_only_and_each_request_once(tmp_path: Path) -> None:
    """`hairkb serve`: uvicorn's own lines are JSON too, and a request is logged once (by us, with its id)."""
    log = tmp_path / "server.log"
    command = [sys.executable, "-m", "app.cli", "serve"]
    with running_server(DATA, command=command, log_path=log) as (base, _):
        httpx.get(f"{base}/v1/meta", headers={"X-Request-ID": "once-1"})
    lines = [line for line in log.read_text().splitlines() if line.strip()]
    parsed = [json.loads(line) for line in lines]  # every line is JSON
    assert sum(1 for entry in parsed if "once-1" in json.dumps(entry)) == 1
    assert any(entry["name"].startswith("uvicorn") for entry in parsed)
    assert all(entry["time"].endswith("+00:00") for entry in parsed)


def test_serve_with_two_workers(tmp_path: Path) -> None:
    """`hairkb serve --workers 2`: worker processes that build their apps from the environment."""
    command = [sys.executable, "-m", "app.cli", "serve", "--workers", "2", "--data-dir", str(DATA)]
    with running_server(tmp_path, command=command) as (base, _), httpx.Client(base_url=base) as http:
        for _ in range(6):  # new connections, spread over the workers
            assert http.get("/v1/search?q=alopecia", headers={"Connection": "close"}).json()["total"] > 0

"""Prometheus metrics and structured JSON logs."""

from __future__ import annotations

import json
import logging
import sys
import time

import pytest
from fastapi.testclient import TestClient


def test_metrics_count_requests_by_route_template_and_status(tiny_client: TestClient) -> None:
    tiny_client.get("/v1/conditions/scarring-alopecia")
    tiny_client.get("/v1/conditions/scarring-alopecia")  # replayed from cache: still counted
    tiny_client.get("/v1/conditions/nope")
    text = tiny_client.get("/metrics").text
    assert 'hairkb_http_requests_total{method="GET",route="/v1/conditions/{slug}",status="200"} 2.0' in text
    assert 'hairkb_http_requests_total{method="GET",route="/v1/conditions/{slug}",status="404"} 1.0' in text
    assert "hairkb_http_request_seconds_bucket" in text
    version = tiny_client.get("/v1/meta").json()["dataset_version"]
    assert f'hairkb_dataset_info{{version="{version}"}} 1.0' in text


def test_access_log_is_json_with_request_id(tiny_client: TestClient, capsys: pytest.CaptureFixture[str]) -> None:
    handler = logging.getLogger("hairkb").handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(sys.stderr)  # the stream pytest captures
    tiny_client.get("/v1/meta", headers={"X-Request-ID": "trace-42"})
    lines: list[dict[str, object]] = []
    for _ in range(200):  # lines are written once the server's loop has answered the requests in hand
        lines += [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
        if any(line.get("request_id") == "trace-42" for line in lines):
            break
        time.sleep(0.01)
    entry = next(line for line in lines if line.get("request_id") == "trace-42")
    assert entry["message"] == "request" and entry["status"] == 200 and entry["route"] == "/v1/meta"
    assert entry["level"] == "INFO" and "duration_ms" in entry

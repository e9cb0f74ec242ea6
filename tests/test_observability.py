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


def test_made_up_methods_share_one_label(tiny_client: TestClient) -> None:
    """Every made-up method used to add series of its own (35,000 of them: 57 MB of /metrics)."""
    for i in range(200):
        assert tiny_client.request(f"M{i:05d}", "/v1/conditions").status_code == 405
    text = tiny_client.get("/metrics").text
    methods = {line.split('method="')[1].split('"')[0] for line in text.splitlines() if 'method="' in line}
    assert methods == {"other"}  # (this GET is counted once it is answered)
    assert 'hairkb_http_requests_total{method="other",route="/v1/conditions",status="405"} 200.0' in text
    assert len(text.splitlines()) < 200


def test_metrics_label_what_was_asked_with_bounded_labels(tiny_client: TestClient) -> None:
    """HEAD is recorded as HEAD; the latency histogram has the status; CORS preflights and static files are
    named by their route template, never one series per URL."""
    tiny_client.head("/v1/conditions/scarring-alopecia")
    tiny_client.options(
        "/v1/conditions/scarring-alopecia",
        headers={"Origin": "https://a.example", "Access-Control-Request-Method": "GET"},
    )
    tiny_client.get("/static/favicon.png")
    text = tiny_client.get("/metrics").text
    assert 'hairkb_http_requests_total{method="HEAD",route="/v1/conditions/{slug}",status="200"} 1.0' in text
    assert 'hairkb_http_requests_total{method="OPTIONS",route="/v1/conditions/{slug}",status="200"} 1.0' in text
    assert 'hairkb_http_requests_total{method="GET",route="/static",status="200"} 1.0' in text
    assert 'hairkb_http_request_seconds_count{method="HEAD",route="/v1/conditions/{slug}",status="200"} 1.0' in text


def test_reload_series_and_process_metrics_exist_from_the_start(tiny_client: TestClient) -> None:
    text = tiny_client.get("/metrics").text
    assert 'hairkb_reloads_total{outcome="success"} 0.0' in text
    assert 'hairkb_reloads_total{outcome="failure"} 0.0' in text
    for name in ("process_resident_memory_bytes", "process_open_fds", "python_info", "python_gc_objects_collected"):
        assert name in text


def test_log_time_is_utc_with_its_zone(tiny_client: TestClient, capsys: pytest.CaptureFixture[str]) -> None:
    handler = logging.getLogger("hairkb").handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(sys.stderr)
    tiny_client.get("/v1/meta", headers={"X-Request-ID": "zone-1"})
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    entry = next(line for line in lines if line.get("request_id") == "zone-1")
    assert entry["time"].endswith("+00:00") and "T" in entry["time"]

"""Caches are bounded in entries and in bytes, and clients cannot add metric series."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.http.cache import Bounded


def test_entries_are_bounded() -> None:
    cache: Bounded[int, bytes] = Bounded((4, 4000), len)
    for key in range(10):
        cache[key] = b"x"
    assert sorted(cache) == [6, 7, 8, 9]  # the least recently used went first


def test_bytes_are_bounded() -> None:
    cache: Bounded[int, bytes] = Bounded((100, 4000), len)
    for key in range(10):
        cache[key] = b"x" * 1500
    assert sorted(cache) == [8, 9] and cache.currsize <= 4000


def test_an_entry_larger_than_the_budget_is_not_kept() -> None:
    cache: Bounded[str, bytes] = Bounded((100, 4000), len)
    cache["small"] = b"x"
    cache["huge"] = b"x" * 5000
    assert "huge" not in cache and "small" in cache


def test_unknown_methods_share_one_metric_series(tiny_client: TestClient) -> None:
    for method in ("FOO", "BAR", "BAZ"):
        tiny_client.request(method, "/v1/meta")
    text = tiny_client.get("/metrics").text
    assert 'method="other",route="/v1/meta",status="405"} 3.0' in text
    assert 'method="FOO"' not in text

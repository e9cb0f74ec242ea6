"""Caches are bounded in entries and in bytes, and clients cannot add metric series."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi.testclient import TestClient

from app.http.cache import ENTRY_OVERHEAD, LARGEST_SHARE, BoundedLRU


@dataclass(frozen=True)
class Body:
    size: int


def test_entries_are_bounded() -> None:
    cache: BoundedLRU[int, Body] = BoundedLRU(4, 1_000_000)
    for key in range(10):
        cache[key] = Body(1)
    assert sorted(cache) == [6, 7, 8, 9]  # the least recently used went first


def test_bytes_are_bounded() -> None:
    budget = 8 * (1500 + ENTRY_OVERHEAD)
    cache: BoundedLRU[int, Body] = BoundedLRU(100, budget)
    for key in range(20):
        cache[key] = Body(1500)
    assert sorted(cache) == list(range(12, 20)) and cache.currsize <= budget


def test_an_entry_larger_than_its_share_is_not_kept() -> None:
    budget = 40_000
    cache: BoundedLRU[str, Body] = BoundedLRU(100, budget)
    cache["small"] = Body(1)
    cache["huge"] = Body(budget // LARGEST_SHARE)
    assert "huge" not in cache and "small" in cache


def test_a_cache_may_let_one_entry_take_the_whole_budget() -> None:
    budget = 40_000
    cache: BoundedLRU[str, Body] = BoundedLRU(100, budget, largest_share=1)
    cache["small"] = Body(1)
    cache["whole"] = Body(budget - ENTRY_OVERHEAD)
    assert "whole" in cache and "small" not in cache


def test_unknown_methods_share_one_metric_series(tiny_client: TestClient) -> None:
    for method in ("FOO", "BAR", "BAZ"):
        tiny_client.request(method, "/v1/meta")
    text = tiny_client.get("/metrics").text
    assert 'method="other",route="/v1/meta",status="405"} 3.0' in text
    assert 'method="FOO"' not in text

"""Caches that client parameters fill are bounded by bytes as well as entries: distinct queries cannot grow
the process without limit."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import app.http.cache as cache
from tests.conftest import client_for


def _held(entries: Mapping[object, cache.Rendered | cache.CachedResponse]) -> int:
    return sum(len(value.body) for value in entries.values())


def test_distinct_export_requests_keep_a_bounded_replay_cache(tiny_data: Path) -> None:
    """Each `?x=N` used to keep one more whole export (gzip and all) until 8,192 of them."""
    with client_for(tiny_data, replay_cache_mb=0.4) as client:
        with client.stream("GET", "/v1/export", headers={"Accept-Encoding": "gzip"}) as first:
            size = len(b"".join(first.iter_raw()))
        for i in range(300):
            assert client.get(f"/v1/export?x={i}", headers={"Accept-Encoding": "gzip"}).status_code == 200
        replay = client.app.state.runtime.generation.replay  # type: ignore[attr-defined]
        assert 0 < _held(replay) <= 0.4 * cache.MB < 300 * size
        assert client.get("/v1/export?x=299", headers={"Accept-Encoding": "gzip"}).json()  # still served


def test_an_entry_larger_than_its_share_is_served_but_not_kept(tiny_data: Path) -> None:
    with client_for(tiny_data, replay_cache_mb=0.008) as client:
        assert client.get("/v1/export?big", headers={"Accept-Encoding": "identity"}).status_code == 200
        assert client.get("/healthz?small").status_code == 200
        replay = client.app.state.runtime.generation.replay  # type: ignore[attr-defined]
        assert all(len(value.body) < 1000 for value in replay.values())


def test_distinct_searches_keep_a_bounded_list_cache(tiny_data: Path) -> None:
    with client_for(tiny_data, list_cache_mb=0.05) as client:
        for i in range(400):
            assert client.get("/v1/search", params={"q": f"alopecia {i}", "limit": 50}).status_code == 200
        lists = client.app.state.runtime.generation.bodies._lists  # type: ignore[attr-defined]
        assert 0 < _held(lists) <= 0.05 * cache.MB

"""Reloading data without losing anything: file watching, SIGHUP, invalid data kept out, load in flight."""

from __future__ import annotations

import asyncio
import hashlib
import os
import signal
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from app.ingest.validation import load_knowledge
from app.runtime import build_version
from tests.conftest import client_for
from tests.live_server import running_server, wait_until

SUMMARY = "Permanent hair loss from destroyed follicles [2]."


def _save(path: Path, text: str) -> None:
    """Save as editors do, by replacing the file: a truncate-then-write could be polled half-written, and the
    test would then see that refusal ("file is empty") instead of the one it waits for."""
    partial = path.with_suffix(".partial")
    partial.write_text(text)
    partial.replace(path)


def test_watch_reloads_changed_files_and_refuses_invalid_ones(tiny_data: Path) -> None:
    conditions = tiny_data / "conditions.yaml"
    original = conditions.read_text()
    with client_for(tiny_data, watch_data=True, poll_seconds=0.05) as client:
        first = client.get("/v1/meta").json()["dataset_version"]

        _save(conditions, original.replace(SUMMARY, "Lasting hair loss from destroyed follicles [2]."))
        wait_until(lambda: client.get("/v1/meta").json()["dataset_version"] != first)
        second = client.get("/v1/meta").json()["dataset_version"]
        assert client.get("/v1/conditions/scarring-alopecia").json()["summary"].startswith("Lasting")

        _save(conditions, original.replace("parent: scarring-alopecia", "parent: nowhere"))
        wait_until(lambda: client.get("/readyz").json()["reload_errors"] != [])
        ready = client.get("/readyz").json()
        assert ready["dataset_version"] == second  # still serving the last good data
        assert any("unknown condition 'nowhere'" in e for e in ready["reload_errors"])
        assert client.get("/v1/meta").json()["reload_errors"] == ready["reload_errors"]
        assert client.get("/v1/conditions/frontal-scarring").status_code == 200

        _save(conditions, original)
        wait_until(lambda: client.get("/readyz").json()["reload_errors"] == [])
        assert client.get("/v1/meta").json()["dataset_version"] == first
        metrics = client.get("/metrics").text
        assert 'hairkb_reloads_total{outcome="failure"}' in metrics


def test_cached_responses_do_not_outlive_a_reload(tiny_data: Path) -> None:
    conditions = tiny_data / "conditions.yaml"
    with client_for(tiny_data, watch_data=True, poll_seconds=0.05) as client:
        before = client.get("/v1/conditions/scarring-alopecia")
        assert client.get("/v1/conditions/scarring-alopecia").content == before.content  # now cached
        conditions.write_text(conditions.read_text().replace(SUMMARY, "Changed summary text [2]."))
        wait_until(lambda: client.get("/v1/conditions/scarring-alopecia").json()["summary"] == "Changed summary text.")
        after = client.get("/v1/conditions/scarring-alopecia", headers={"If-None-Match": before.headers["etag"]})
        assert after.status_code == 200 and after.headers["etag"] != before.headers["etag"]


@pytest.mark.e2e
def test_reload_under_concurrent_load_loses_and_mixes_nothing(tiny_data: Path) -> None:
    """A real server under 16 concurrent clients; the data changes (SIGHUP) while requests are in flight."""
    conditions = tiny_data / "conditions.yaml"
    old_version = load_knowledge(tiny_data).version
    command = [sys.executable, "-m", "app.cli", "serve", "--reload-data"]
    with running_server(tiny_data, {"HAIRKB_POLL_SECONDS": "30"}, command=command) as (base, process):
        results: list[tuple[str, int, dict[str, str], bytes]] = []

        async def client_loop(stop: float) -> None:
            async with httpx.AsyncClient(base_url=base, timeout=10) as http:
                while time.monotonic() < stop:
                    for path in ("/v1/meta", "/v1/conditions/scarring-alopecia", "/v1/search?q=scarring"):
                        response = await http.get(path)
                        results.append((path, response.status_code, dict(response.headers), response.content))

        async def drive() -> None:
            stop = time.monotonic() + 4
            clients = [asyncio.create_task(client_loop(stop)) for _ in range(16)]
            await asyncio.sleep(1.5)
            conditions.write_text(conditions.read_text().replace(SUMMARY, "Reloaded summary [2]."))
            os.kill(process.pid, signal.SIGHUP)
            await asyncio.gather(*clients)

        asyncio.run(drive())

    new_version = load_knowledge(tiny_data).version
    failures = [(p, s) for p, s, _, _ in results if s != 200]
    assert not failures, failures[:5]
    seen = set()
    bodies: dict[tuple[str, str], bytes] = {}
    for path, _, headers, body in results:
        version = headers["x-dataset-version"]
        seen.add(version)
        coding = "-gzip" if headers.get("content-encoding") == "gzip" else ""
        assert headers["etag"] == f'"{hashlib.sha256(body).hexdigest()[:32]}{coding}"'
        assert bodies.setdefault((path, version), body) == body  # one body per path and version
        if path == "/v1/meta":
            assert body.decode().count(version) == 1 and f'"dataset_version":"{version}"' in body.decode()
    assert seen == {old_version, new_version}
    print(f"\nreload under load: {len(results)} requests, 0 failed, versions served: {len(seen)}")


def test_reloads_are_never_aborted_by_concurrent_readers(tiny_data: Path) -> None:
    """Readers of the database (/v1/changes) while valid data is stored again and again: every reload
    succeeds and every read answers (one shared SQLite connection let a reader's rollback abort a reload)."""
    conditions = tiny_data / "conditions.yaml"
    original = conditions.read_text()
    with client_for(tiny_data) as client:
        runtime = client.app.state.runtime  # type: ignore[attr-defined]
        first = runtime.generation.snapshot.version
        stop = threading.Event()
        failures: list[object] = []

        def read(over_http: bool) -> None:
            while not stop.is_set():
                try:
                    if over_http:
                        status = client.get("/v1/changes", params={"since": first}).status_code
                        if status != 200:
                            failures.append(status)
                    else:
                        runtime.changes(first, runtime.generation.snapshot.version)
                except Exception as err:
                    failures.append(err)

        readers = [threading.Thread(target=read, args=(i % 2 == 0,)) for i in range(8)]
        for reader in readers:
            reader.start()
        try:
            for i in range(15):
                conditions.write_text(original.replace(SUMMARY, f"Summary number {i} [2]."))
                assert build_version(runtime, from_files=True)
        finally:
            stop.set()
            for reader in readers:
                reader.join()
        assert failures == []
        assert client.get("/v1/conditions/scarring-alopecia").json()["summary"] == "Summary number 14."

"""PostgreSQL as the shared store: identical responses to SQLite, atomic loads, replicas following versions."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.db import make_engine
from app.ingest.readback import read_kb
from app.ingest.store import latest_version, write_kb
from app.ingest.validation import load_knowledge
from app.models.knowledge import KnowledgeBase
from tests.conftest import DATA, ROOT, client_for


def _endpoints(client: TestClient) -> list[str]:
    paths = ["/v1/meta"]
    for kind in ("conditions", "mechanisms", "interventions", "citations"):
        listing = f"/v1/{kind}?limit=100"
        paths.append(listing)
        paths += [item["url"] for item in client.get(listing).json()["items"]]
    paths += [f"/v1/search?q={q}" for q in ("alopecia", "FPHL", "alopecia areta", "Castellana", "L65.0")]
    paths += ["/v1/suggest?q=fro", "/v1/conditions?code=ICD10CM:L65.0", "/v1/interventions?grade=limited"]
    return paths


@pytest.fixture
def pg_engine(pg_url: str) -> Iterator[Engine]:
    engine = make_engine(pg_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def pg_client(pg_url: str) -> Iterator[TestClient]:
    with client_for(DATA, database_url=pg_url) as client:
        yield client


def test_every_endpoint_answers_identically_on_postgres_and_sqlite(client: TestClient, pg_client: TestClient) -> None:
    paths = _endpoints(client)
    assert len(paths) > 80
    for path in paths:
        here, there = client.get(path), pg_client.get(path)
        assert here.status_code == there.status_code == 200, path
        assert here.content == there.content, path
        assert here.headers["etag"] == there.headers["etag"], path


def test_load_command_writes_a_version_in_one_transaction(pg_url: str, pg_engine: Engine, tiny_data: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "load", str(tiny_data)],
        cwd=ROOT,
        text=True,
        capture_output=True,
        env={"HAIRKB_DATABASE_URL": pg_url, "PATH": ""},
    )
    assert result.returncode == 0, result.stderr
    expected = load_knowledge(tiny_data).version
    assert latest_version(pg_engine) == expected
    assert read_kb(pg_engine).version == expected


def test_failed_load_leaves_the_previous_version_intact(pg_engine: Engine, tiny_data: Path) -> None:
    engine = pg_engine
    good = load_knowledge(DATA)
    write_kb(engine, good)
    tiny = load_knowledge(tiny_data)
    cond = next(iter(tiny.conditions.values()))
    clash = cond.model_copy(update={"slug": "other", "name": "Other", "parent": None})
    broken = KnowledgeBase(tiny.citations, {**tiny.conditions, "other": clash}, tiny.mechanisms, version="x")

    with pytest.raises(Exception, match=r"unique|duplicate"):
        write_kb(engine, broken)

    assert latest_version(engine) == good.version
    assert read_kb(engine).as_documents() == good.as_documents()


def test_replica_follows_a_new_version_without_restart(pg_url: str, pg_engine: Engine, tiny_data: Path) -> None:
    engine = pg_engine
    write_kb(engine, load_knowledge(DATA))
    settings = {"database_url": pg_url, "load_on_start": False, "follow_database": True, "poll_seconds": 0.1}
    with client_for(tiny_data, **settings) as replica:
        before = replica.get("/v1/meta").json()["dataset_version"]
        assert before == load_knowledge(DATA).version  # served what the database holds, not data_dir
        published = load_knowledge(tiny_data)
        write_kb(engine, published)  # what `hairkb load` does on another machine
        deadline = time.monotonic() + 10
        while replica.get("/v1/meta").json()["dataset_version"] != published.version:
            assert time.monotonic() < deadline, "replica did not pick up the new version"
            time.sleep(0.05)
        assert replica.get("/v1/conditions/scarring-alopecia").status_code == 200
        assert replica.get("/readyz").json()["dataset_version"] == published.version


def test_concurrent_loads_both_end_cleanly(pg_url: str, pg_engine: Engine, tiny_data: Path) -> None:
    """Two `hairkb load` at once: the second waits for the first, then publishes its own version on top
    (one of them used to end in a raw ForeignKeyViolation traceback)."""
    env = {"HAIRKB_DATABASE_URL": pg_url, "PATH": ""}
    for _ in range(2):
        loads = [
            subprocess.Popen(
                [sys.executable, "-m", "app.cli", "load", str(data)],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for data in (DATA, tiny_data, DATA, tiny_data)
        ]
        for load in loads:
            _, err = load.communicate(timeout=120)
            assert load.returncode == 0 and "Traceback" not in err, err
        latest = latest_version(pg_engine)
        assert latest in {load_knowledge(DATA).version, load_knowledge(tiny_data).version}
        assert read_kb(pg_engine).version == latest

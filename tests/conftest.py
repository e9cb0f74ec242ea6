"""Shared fixtures: the real data, a tiny fixture dataset, and apps built on either."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from tests.postgres_server import throwaway_server

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TINY = FIXTURES / "tiny"


@pytest.fixture
def tiny_data(tmp_path: Path) -> Path:
    """A writable copy of the tiny dataset at tmp_path/data."""
    target = tmp_path / "data"
    shutil.copytree(TINY, target)
    return target


def client_for(data_dir: Path, **settings: object) -> TestClient:
    return TestClient(create_app(Settings(data_dir=data_dir, **settings)))  # type: ignore[arg-type]


@pytest.fixture
def tiny_client(tiny_data: Path) -> Iterator[TestClient]:
    with client_for(tiny_data) as client:
        yield client


@pytest.fixture(scope="session")
def client() -> Iterator[TestClient]:
    """The API on the real data/ (one app for the session: it only reads)."""
    with client_for(DATA) as client:
        yield client


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A real PostgreSQL database: HAIRKB_TEST_DATABASE_URL's (CI starts one with
    scripts/start-test-postgres.sh), else a throwaway server started from the installed PostgreSQL."""
    url = os.environ.get("HAIRKB_TEST_DATABASE_URL")
    if url:
        yield url
        return
    with throwaway_server() as started:
        if started is None:
            pytest.skip("PostgreSQL is not installed (apt-get install postgresql), nor HAIRKB_TEST_DATABASE_URL set")
        yield started


def every(client: TestClient, path: str, params: dict[str, object] | None = None) -> list[dict[str, object]]:
    """All items of a list endpoint, following its `next` links (pages hold at most 100)."""
    items: list[dict[str, object]] = []
    response = client.get(path, params={**(params or {}), "limit": 100})
    while True:
        assert response.status_code == 200, response.text
        items += response.json()["items"]
        if "next" not in response.links:
            return items
        response = client.get(response.links["next"]["url"])

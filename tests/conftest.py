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
def pg_url() -> str:
    """A real PostgreSQL database (CI starts one with scripts/start-test-postgres.sh)."""
    url = os.environ.get("HAIRKB_TEST_DATABASE_URL")
    if not url:
        pytest.skip("HAIRKB_TEST_DATABASE_URL is not set (CI always sets it)")
    return url


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

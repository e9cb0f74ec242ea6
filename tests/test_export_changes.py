"""Bulk export (round-tripped through the validator), `updated` dates from the data, ?updated_since, the same
bytes from every server, and /v1/changes."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from app.ingest.validation import validate_dir
from tests.conftest import DATA, client_for


def test_export_round_trips_through_the_validator(client: TestClient, tmp_path: Path) -> None:
    response = client.get("/v1/export")
    assert response.headers["etag"] and response.headers["content-type"].startswith("application/json")
    export = response.json()
    meta = client.get("/v1/meta").json()
    assert export["counts"] == meta["counts"] and export["updated"] == meta["updated"]
    assert "loaded_at" not in export and "loaded_at" not in meta
    for kind in ("citations", "conditions", "mechanisms", "interventions"):
        records = [{k: v for k, v in r.items() if k != "updated"} for r in export[kind]]
        (tmp_path / f"{kind}.yaml").write_text(yaml.safe_dump({kind: records}, allow_unicode=True, sort_keys=False))

    kb, problems = validate_dir(tmp_path)

    assert problems == []
    assert kb is not None and kb.version == export["dataset_version"]


def test_ndjson_export_has_one_entity_per_line(client: TestClient) -> None:
    response = client.get("/v1/export", params={"format": "ndjson"})
    assert response.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert lines[0]["type"] == "meta"
    kinds = [line["type"] for line in lines[1:]]
    assert len(kinds) == sum(lines[0]["counts"].values())
    assert set(kinds) == {"citation", "condition", "mechanism", "intervention"}
    assert all(line["record"]["updated"] <= lines[0]["updated"] for line in lines[1:])


def test_updated_comes_from_the_data_not_the_clock(client: TestClient) -> None:
    """A page's `updated` is its `last_reviewed`; a citation's, the latest `last_reviewed` of the pages that
    cite it: the same on every server and after every restart."""
    reviewed: dict[str, str] = {}
    for kind in ("conditions", "mechanisms", "interventions"):
        for item in client.get(f"/v1/{kind}", params={"limit": 100}).json()["items"]:
            assert item["updated"] == item["last_reviewed"]
            reviewed[item["url"]] = item["last_reviewed"]
    citation = client.get("/v1/citations/3").json()
    assert citation["updated"] == max(reviewed[page["url"]] for page in citation["cited_by"])
    assert client.get("/v1/meta").json()["updated"] == max(reviewed.values())


def test_two_servers_with_the_same_data_send_the_same_bytes_and_etags(client: TestClient) -> None:
    with client_for(DATA) as other:
        for path in ("/v1/export", "/v1/export/ndjson", "/v1/meta", "/v1/conditions/alopecia-areata/jsonld"):
            here = client.get(path, headers={"Accept-Encoding": "gzip"})
            there = other.get(path, headers={"Accept-Encoding": "gzip"})
            assert here.content == there.content, path
            assert here.headers["etag"] == there.headers["etag"], path


@pytest.mark.parametrize("kind", ["conditions", "mechanisms", "interventions", "citations"])
def test_updated_since_filters_every_list(client: TestClient, kind: str) -> None:
    everything = client.get(f"/v1/{kind}", params={"limit": 100, "updated_since": "2000-01-01"}).json()
    assert everything["total"] == client.get(f"/v1/{kind}", params={"limit": 100}).json()["total"] > 0
    latest = dt.date.fromisoformat(client.get("/v1/meta").json()["updated"])
    after = (latest + dt.timedelta(days=1)).isoformat()
    assert client.get(f"/v1/{kind}", params={"updated_since": after}).json()["total"] == 0
    assert client.get(f"/v1/{kind}", params={"updated_since": latest.isoformat()}).json()["total"] > 0
    assert client.get(f"/v1/{kind}", params={"updated_since": "yesterday"}).status_code == 422


def test_changes_between_versions(tiny_data: Path) -> None:
    conditions = tiny_data / "conditions.yaml"
    with client_for(tiny_data, watch_data=True, poll_seconds=0.05) as client:
        first = client.get("/v1/meta").json()["dataset_version"]
        assert client.get("/v1/changes", params={"since": first}).json() == {
            "since": first,
            "to": first,
            "added": {},
            "changed": {},
            "removed": {},
        }
        text = conditions.read_text().replace("A frontal form of scarring alopecia [2].", "A frontal form [2].")
        conditions.write_text(text)
        deadline = time.monotonic() + 10
        while client.get("/v1/meta").json()["dataset_version"] == first:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        body = client.get("/v1/changes", params={"since": first}).json()
        assert body["changed"] == {"conditions": ["frontal-scarring"]}
        assert body["added"] == {} and body["removed"] == {}
        assert client.get("/v1/changes", params={"since": "0123456789abcdef"}).status_code == 404
        assert client.get("/v1/changes", params={"since": "nope"}).status_code == 422

"""OpenAPI completeness and the offline documentation pages."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def test_openapi_is_3_1_and_every_operation_is_documented(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    operations = [(path, op) for path, item in spec["paths"].items() for op in item.values()]
    assert len(operations) >= 9
    for path, op in operations:
        assert op.get("summary"), path
        assert op.get("description"), path
        assert op.get("tags"), path
        assert "200" in op["responses"] and op["responses"]["200"]["content"]["application/json"]["schema"], path
        if op.get("parameters"):
            assert "422" in op["responses"], path
        if "{" in path:
            assert "404" in op["responses"], path


def test_schemas_carry_examples(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    assert "Problem" in schemas and "ConditionPage" in schemas
    with_examples = [
        name for name, s in schemas.items() if any("examples" in p for p in s.get("properties", {}).values())
    ]
    assert {"ConditionListItem", "MechanismSummary", "Reference", "RegulatoryOut", "Problem", "Meta"} <= set(
        with_examples
    )


def test_docs_pages_use_only_local_assets(client: TestClient) -> None:
    for page in ("/docs", "/redoc"):
        html = client.get(page).text
        assert "/openapi.json" in html
        assert not re.search(r"(?:src|href)=[\"']https?://", html), page
        for asset in re.findall(r"(?:src|href)=[\"'](/static/[^\"']+)", html):
            assert client.get(asset).status_code == 200, asset

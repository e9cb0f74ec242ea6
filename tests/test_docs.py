"""OpenAPI completeness (what generators and linters read) and the offline documentation pages."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

SHARED = {"304", "405", "406", "414", "431", "500"}


def _operations(spec: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(path, op) for path, item in spec["paths"].items() for op in item.values()]


@pytest.fixture(scope="module")
def spec(client: TestClient) -> dict[str, Any]:
    document: dict[str, Any] = client.get("/openapi.json").json()
    return document


def test_openapi_is_3_1_public_licensed_and_has_a_server(spec: dict[str, Any]) -> None:
    assert spec["openapi"].startswith("3.1")
    assert spec["security"] == []
    assert spec["info"]["license"] == {"name": "MIT", "identifier": "MIT"}
    assert spec["servers"] == [{"url": "http://127.0.0.1:8000", "description": "This API"}]


def test_every_operation_has_an_explicit_id_a_description_and_every_status(spec: dict[str, Any]) -> None:
    operations = _operations(spec)
    assert len(operations) >= 29
    ids = [op["operationId"] for _, op in operations]
    assert len(set(ids)) == len(ids)
    for path, op in operations:
        assert re.fullmatch(r"(get|list)_[a-z_]+|search|suggest", op["operationId"]), op["operationId"]
        assert op.get("summary") and op.get("description") and op.get("tags"), path
        responses = op["responses"]
        assert set(responses) >= SHARED, path
        assert responses["200"]["content"], path
        headers = set(responses["200"]["headers"])
        assert {"ETag", "Cache-Control", "X-Request-ID"} <= headers, path
        assert set(responses["304"]["headers"]) >= {"ETag", "Cache-Control"}, path
        assert "content" not in responses["304"], path
        assert "Allow" in responses["405"]["headers"], path
        for status, response in responses.items():
            if status.startswith(("4", "5")):
                assert list(response["content"]) == ["application/problem+json"], (path, status)
        if op.get("parameters"):
            assert "422" in responses, path
        if "{" in path:
            assert "404" in responses, path
        if "{slug}" in path:
            assert set(responses["308"]["headers"]) >= {"Location"}, path
            assert responses["308"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Moved"}
        if path.startswith("/v1/"):
            assert "X-Dataset-Version" in headers, path


def test_lists_document_their_link_header(spec: dict[str, Any]) -> None:
    for path in ("/v1/conditions", "/v1/mechanisms", "/v1/interventions", "/v1/citations"):
        assert "Link" in spec["paths"][path]["get"]["responses"]["200"]["headers"]


def test_format_parameters_are_enums(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    found = 0
    for _, op in _operations(spec):
        for parameter in op.get("parameters", []):
            if parameter["name"] == "format":
                ref = next(s["$ref"] for s in parameter["schema"]["anyOf"] if "$ref" in s)
                assert schemas[ref.rsplit("/", 1)[1]]["enum"]
                found += 1
    assert found == 8  # pages (3), a citation, a bibliography, the export, the graphs (2)


def test_each_format_has_an_operation_with_one_typed_representation(spec: dict[str, Any]) -> None:
    """What generated clients call: JSON-based formats have a schema (CSL-JSON: an array), text ones a string
    (also offered as text/plain when their own type is not text/*); every non-JSON one has an example."""
    citation = "/v1/citations/{number}"
    content = {
        fmt: spec["paths"][f"{citation}/{fmt}"]["get"]["responses"]["200"]["content"]
        for fmt in ("jsonld", "bibtex", "ris", "csl-json", "text")
    }
    assert list(content["csl-json"]) == ["application/vnd.citationstyles.csl+json"]
    csl = content["csl-json"]["application/vnd.citationstyles.csl+json"]
    assert csl["schema"]["type"] == "array" and csl["schema"]["items"] == {"$ref": "#/components/schemas/CslItem"}
    assert csl["example"][0]["id"] == "hairkb-3"
    assert content["jsonld"]["application/ld+json"]["schema"] == {"$ref": "#/components/schemas/ArticleDocument"}
    assert list(content["bibtex"]) == ["application/x-bibtex", "text/plain"]
    assert content["bibtex"]["application/x-bibtex"]["example"].startswith("@article{hairkb3,")
    assert list(content["text"]) == ["text/x-bibliography"]
    page = spec["paths"]["/v1/conditions/{slug}/jsonld"]["get"]["responses"]["200"]["content"]["application/ld+json"]
    assert page["schema"] == {"$ref": "#/components/schemas/PageDocument"} and page["example"]["@type"]
    main = spec["paths"][citation]["get"]["responses"]["200"]["content"]
    assert set(main) == {
        "application/json",
        "application/ld+json",
        "application/x-bibtex",
        "application/x-research-info-systems",
        "application/vnd.citationstyles.csl+json",
        "text/x-bibliography",
    }
    assert all("example" in entry for media, entry in main.items() if media != "application/json")


def test_problem_examples_match_their_status(spec: dict[str, Any]) -> None:
    for _, op in _operations(spec):
        for status, response in op["responses"].items():
            if status.startswith(("4", "5")):
                example = response["content"]["application/problem+json"]["example"]
                assert example["status"] == int(status)
                assert example["type"].startswith("/problems/")
                assert ("errors" in example) == (status == "422")


def test_schemas_carry_examples(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
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
    assert '"validatorUrl": null' in client.get("/docs").text
    bundle = client.get("/static/redoc.standalone.js").text
    assert "cdn.redoc.ly" not in bundle and "/static/favicon.png" in bundle


@pytest.mark.parametrize(
    "path", ["/openapi.json", "/docs", "/redoc", "/healthz", "/readyz", "/metrics", "/problems/not-found"]
)
def test_every_endpoint_has_an_etag_and_answers_304(client: TestClient, path: str) -> None:
    first = client.get(path, headers={"Accept-Encoding": "identity"})
    etag = first.headers["etag"]
    again = client.get(path, headers={"If-None-Match": etag, "Accept-Encoding": "identity"})
    if path == "/metrics":  # counts change with every request: a new body, a new tag
        assert again.status_code == 200 and again.headers["etag"] != etag
    else:
        assert again.status_code == 304 and again.headers["etag"] == etag


@pytest.mark.parametrize("path", ["/v1/export", "/healthz", "/readyz", "/v1/meta", "/openapi.json", "/v1/changes"])
def test_json_only_endpoints_refuse_other_media_types(client: TestClient, path: str) -> None:
    version = client.get("/v1/meta").json()["dataset_version"]
    response = client.get(path, params={"since": version}, headers={"Accept": "text/csv"})
    assert response.status_code == 406
    assert response.headers["content-type"] == "application/problem+json"

"""Mechanism and citation endpoints on the real data: filters, reverse relations, cited_by, meta."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.conftest import every

REQUIRED_MECHANISMS = {
    "hair-follicle-immune-niche",
    "wnt-signaling",
    "oncostatin-m-jak-stat5",
    "macrophage-polarization",
    "follicular-microinflammation",
    "inflammatory-cytokines-catagen",
    "immune-privilege-collapse",
    "bulge-stem-cell-destruction",
}


def test_mechanism_list_has_every_required_mechanism(client: TestClient) -> None:
    body = client.get("/v1/mechanisms", params={"limit": 100}).json()
    assert {m["slug"] for m in body["items"]} >= REQUIRED_MECHANISMS


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"cell_type": "trem2-macrophage"}, {"oncostatin-m-jak-stat5"}),
        ({"effect": "maintains-telogen-quiescence"}, {"oncostatin-m-jak-stat5"}),
        ({"effect": "destroys-stem-cells"}, {"bulge-stem-cell-destruction", "perifollicular-fibrosis"}),
        ({"cell_type": "macrophage", "effect": "promotes-anagen"}, {"wnt-signaling"}),
        ({"cell_type": "cytotoxic-t-cell"}, {"immune-privilege-collapse", "ifn-gamma-il-15-jak"}),
        ({"cell_type": "dermatophyte"}, {"dermatophyte-hair-invasion"}),
        ({"effect": "miniaturises-follicle"}, {"androgen-signalling"}),
    ],
)
def test_mechanism_filters(client: TestClient, params: dict[str, str], expected: set[str]) -> None:
    body = client.get("/v1/mechanisms", params=params).json()
    assert {m["slug"] for m in body["items"]} == expected


def test_mechanism_filter_rejects_values_outside_the_vocabulary(client: TestClient) -> None:
    response = client.get("/v1/mechanisms", params={"cell_type": "neutrophil"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["name"] == "cell_type"


def test_mechanism_page_has_reverse_relation_with_roles(client: TestClient) -> None:
    page = client.get("/v1/mechanisms/immune-privilege-collapse").json()
    involved = {c["slug"]: c for c in page["conditions"]}
    assert set(involved) == {
        "alopecia-areata",
        "primary-cicatricial-alopecia",
        "lichen-planopilaris",
        "frontal-fibrosing-alopecia",
    }
    assert involved["alopecia-areata"]["role"] and involved["alopecia-areata"]["citations"]
    assert {"t-cell", "cytotoxic-t-cell"} <= {c["id"] for c in page["cell_types"]}
    assert page["references"] and page["evidence_organism"] == "both"


def test_mouse_evidence_is_labelled(client: TestClient) -> None:
    page = client.get("/v1/mechanisms/oncostatin-m-jak-stat5").json()
    assert page["evidence_organism"] == "mouse"
    assert page["summary"].startswith("In mice") and "in mice" in page["body_markdown"]
    assert {"label": "TREM2+ macrophage", "id": "trem2-macrophage"} in page["cell_types"]


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("OSM", "oncostatin-m-jak-stat5"),
        ("JAK-STAT", "oncostatin-m-jak-stat5"),
        ("jak–stat", "oncostatin-m-jak-stat5"),
        ("Wnt signaling", "wnt-signaling"),
        ("Wnt signalling", "wnt-signaling"),
        ("macrophage polarisation", "macrophage-polarization"),
    ],
)
def test_mechanism_aliases_redirect(client: TestClient, name: str, slug: str) -> None:
    response = client.get(f"/v1/mechanisms/{name}", follow_redirects=False)
    assert response.status_code == 308
    assert response.headers["location"] == f"/v1/mechanisms/{slug}"


def test_citation_page_with_cited_by(client: TestClient) -> None:
    page = client.get("/v1/citations/2").json()
    assert page["journal"] == "npj Regenerative Medicine"
    assert page["pmid"] is None and page["pubmed_url"] is None
    assert page["doi_url"] == "https://doi.org/10.1038/s41536-020-0095-2"
    assert {
        "type": "mechanism",
        "slug": "hair-follicle-immune-niche",
        "name": "Hair follicle immune niche",
        "url": "/v1/mechanisms/hair-follicle-immune-niche",
    } in page["cited_by"]
    assert "source_url" not in page and page["link"] == page["doi_url"]
    assert page["findings"] and all(len(f["text"]) <= 300 for f in page["findings"])


def test_every_citation_is_cited_by_some_page(client: TestClient) -> None:
    items = every(client, "/v1/citations")
    assert len(items) >= 150
    for item in items:
        assert client.get(item["url"]).json()["cited_by"], item["number"]


@pytest.mark.parametrize(
    ("params", "check"),
    [
        ({"organism": "mouse"}, lambda c: c["organism"] == "mouse"),
        ({"publication_type": "review"}, lambda c: c["publication_type"] == "review"),
        ({"year_from": 2020}, lambda c: c["year"] is not None and c["year"] >= 2020),
        ({"year_to": 2015}, lambda c: c["year"] is not None and c["year"] <= 2015),
        ({"year_from": 2019, "year_to": 2019}, lambda c: c["year"] == 2019),
    ],
)
def test_citation_filters(client: TestClient, params: dict[str, object], check: object) -> None:
    expected = [c["number"] for c in every(client, "/v1/citations") if check(c)]  # type: ignore[operator]
    assert expected and [c["number"] for c in every(client, "/v1/citations", params)] == expected


@pytest.mark.parametrize("params", [{"year_from": 2021, "year_to": 2019}, {"organism": "rat"}, {"year_from": 1500}])
def test_bad_citation_filters(client: TestClient, params: dict[str, object]) -> None:
    assert client.get("/v1/citations", params=params).status_code == 422


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/v1/citations/999", 404),
        ("/v1/citations/0", 422),
        ("/v1/citations/abc", 422),
        ("/v1/mechanisms/nope", 404),
    ],
)
def test_missing_or_malformed_ids(client: TestClient, path: str, status: int) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"


def test_meta_health_and_readiness(client: TestClient) -> None:
    meta = client.get("/v1/meta").json()
    conditions = client.get("/v1/conditions").json()["total"]
    assert meta["counts"]["conditions"] == conditions
    assert meta["counts"]["citations"] == client.get("/v1/citations").json()["total"]
    assert len(meta["dataset_version"]) == 16 and meta["api_version"]
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz").json()
    assert ready.pop("loaded_at")  # this server's own state: only in the probe, never in a cacheable body
    assert ready == {"status": "ready", "dataset_version": meta["dataset_version"], "reload_errors": []}
    assert meta["reload_errors"] == []


def test_dataset_version_changes_with_content(tiny_client: TestClient, client: TestClient) -> None:
    assert tiny_client.get("/v1/meta").json()["dataset_version"] != client.get("/v1/meta").json()["dataset_version"]

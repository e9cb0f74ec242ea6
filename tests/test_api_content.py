"""Regulatory status, safety, usage, findings and canonical links through the API, on the tiny dataset (a
fictional labelled drug whose label was read on a mirror at an IP address)."""

from __future__ import annotations

import json

import bibtexparser
import rispy
from fastapi.testclient import TestClient

MIRROR = "203.0.113.7"


def test_intervention_page_carries_regulatory_safety_and_usage(tiny_client: TestClient) -> None:
    page = tiny_client.get("/v1/interventions/follicor").json()

    assert page["approved_by"] == ["FDA"]
    [record] = page["regulatory"]
    assert record["agency"] == "FDA" and record["agency_name"] == "U.S. Food and Drug Administration"
    assert record["status"] == "approved" and record["year"] == 2025 and record["population"] == "adults"
    assert record["conditions"] == [
        {"slug": "scarring-alopecia", "name": "Scarring alopecia", "url": "/v1/conditions/scarring-alopecia"}
    ]
    assert record["citations"] == [3]
    assert page["safety"]["common"] == {
        "text": "The most common side effects are scalp irritation and itch.",
        "citations": [3],
    }
    assert page["safety"]["pregnancy"]["citations"] == [3]
    assert page["safety"]["serious"] is None and page["safety"]["monitoring"] is None
    assert page["usage"]["how"]["text"] == "It is applied to the scalp."
    [use] = page["uses"]
    assert use["grade"] == "approved" and [r["agency"] for r in use["regulatory"]] == ["FDA"]
    assert [r["number"] for r in page["references"]] == [3]


def test_interventions_without_label_data_say_so_with_nulls(tiny_client: TestClient) -> None:
    page = tiny_client.get("/v1/interventions/scalp-balm").json()
    assert page["regulatory"] == [] and page["safety"] is None and page["usage"] is None
    assert page["approved_by"] == []


def test_approved_by_filter(tiny_client: TestClient) -> None:
    def slugs(**params: str) -> list[str]:
        response = tiny_client.get("/v1/interventions", params=params)
        assert response.status_code == 200, response.text
        return [i["slug"] for i in response.json()["items"]]

    assert slugs(approved_by="FDA") == ["follicor"]
    assert slugs(approved_by="FDA", condition="scarring-alopecia") == ["follicor"]
    assert slugs(approved_by="FDA", condition="frontal-scarring") == []
    assert slugs(approved_by="EMA") == []
    response = tiny_client.get("/v1/interventions", params={"approved_by": "NICE"})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert "'FDA'" in response.text and "'EMA'" in response.text


def test_condition_page_lists_treatments_with_their_regulatory_status(tiny_client: TestClient) -> None:
    page = tiny_client.get("/v1/conditions/scarring-alopecia").json()
    by_slug = {i["slug"]: i for i in page["interventions"]}
    assert by_slug["follicor"]["regulatory"] == [
        {"agency": "FDA", "status": "approved", "year": 2025, "population": "adults"}
    ]
    assert by_slug["scalp-balm"]["regulatory"] == [] and by_slug["scalp-balm"]["serious_warnings"] is None
    assert page["presentation"]["pattern"] == {"values": ["patchy"], "citations": [2]}
    assert page["presentation"]["scalp_findings"]["values"] == ["redness", "itch"]


def test_citations_carry_findings_and_only_canonical_links(tiny_client: TestClient) -> None:
    citation = tiny_client.get("/v1/citations/3").json()
    assert citation["findings"][0] == {
        "text": "FOLLICOR is indicated for the treatment of scarring alopecia in adults.",
        "where": "label §1 (test fixture)",
    }
    assert citation["publisher"] == "U.S. Food and Drug Administration"
    assert citation["link"] == citation["publisher_url"] == "https://www.fda.gov/follicor-test-label"
    assert "source_url" not in citation
    paper = tiny_client.get("/v1/citations/1").json()
    assert paper["link"] == "https://doi.org/10.1371/journal.pbio.1002002"


def test_no_served_representation_links_to_where_a_curator_read_the_record(tiny_client: TestClient) -> None:
    bodies = [
        tiny_client.get("/v1/citations/3", params={"format": fmt}).text
        for fmt in ("json", "jsonld", "bibtex", "ris", "csl-json", "text")
    ]
    bodies += [tiny_client.get(f"/v1/interventions/follicor{path}").text for path in ("", "/references")]
    for body in bodies:
        assert MIRROR not in body
    [entry] = bibtexparser.parse_string(bodies[2]).entries  # type: ignore[attr-defined]
    assert entry.fields_dict["url"].value == "https://www.fda.gov/follicor-test-label"
    [record] = rispy.loads(bodies[3])
    assert record["urls"] == ["https://www.fda.gov/follicor-test-label"]
    assert json.loads(bodies[4])[0]["URL"] == "https://www.fda.gov/follicor-test-label"


def test_export_keeps_provenance(tiny_client: TestClient) -> None:
    """The export is the curated data itself: where each record was read travels with it."""
    export = tiny_client.get("/v1/export").json()
    [label] = [c for c in export["citations"] if c["number"] == 3]
    assert label["source_url"] == f"http://{MIRROR}/mirror/follicor"
    assert label["findings"][2]["text"] == "Do not use during pregnancy."

"""Citation exports and JSON-LD, each read back with an independent parser."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import rispy
from bibtexparser.entrypoint import parse_string
from fastapi.testclient import TestClient
from pyld import jsonld

FORMATS = {
    "bibtex": "application/x-bibtex",
    "ris": "application/x-research-info-systems",
    "csl-json": "application/vnd.citationstyles.csl+json",
    "text": "text/x-bibliography",
}


def _citation(client: TestClient, number: int) -> dict[str, Any]:
    body: dict[str, Any] = client.get(f"/v1/citations/{number}").json()
    return body


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_accept_header_and_format_parameter_choose_the_same_representation(client: TestClient, fmt: str) -> None:
    by_accept = client.get("/v1/citations/3", headers={"Accept": FORMATS[fmt]})
    by_param = client.get("/v1/citations/3", params={"format": fmt})
    assert by_accept.status_code == by_param.status_code == 200
    assert by_accept.content == by_param.content
    assert by_accept.headers["content-type"].startswith(FORMATS[fmt])
    assert "Accept" in by_accept.headers["vary"]


def test_bibtex_round_trip(client: TestClient) -> None:
    body = client.get("/v1/conditions/alopecia-areata/references", params={"format": "bibtex"}).text
    library = parse_string(body)
    assert not library.failed_blocks
    numbers = [r["number"] for r in client.get("/v1/conditions/alopecia-areata/references").json()["items"]]
    assert [e.key for e in library.entries] == [f"hairkb{n}" for n in numbers]
    for entry in library.entries:
        original = _citation(client, int(entry.key.removeprefix("hairkb")))
        assert entry.fields_dict["title"].value == original["title"]
        if original["doi"]:
            assert entry.fields_dict["doi"].value == original["doi"]
        if original["year"]:
            assert entry.fields_dict["year"].value == str(original["year"])
        if original["authors"]:
            # A corporate author (a regulator) is braced, so that BibTeX keeps it whole.
            names = re.split(r" and (?![^{]*\})", entry.fields_dict["author"].value)
            surnames = [a.split(",")[0].strip().strip("{}") for a in names]
            expected = [re.sub(r" [A-Z]{1,4}( (Jr|Sr|II|III))?$", "", a) for a in original["authors"]]
            assert surnames[: len(expected)] == expected


def test_ris_round_trip(client: TestClient) -> None:
    body = client.get("/v1/interventions/baricitinib/references", params={"format": "ris"}).text
    records = rispy.loads(body)
    numbers = [r["number"] for r in client.get("/v1/interventions/baricitinib/references").json()["items"]]
    assert [r["id"] for r in records] == [f"hairkb{n}" for n in numbers]
    for record in records:
        original = _citation(client, int(record["id"].removeprefix("hairkb")))
        assert record["title"] == original["title"]
        assert record.get("doi") == original["doi"]
        assert record.get("year") == (str(original["year"]) if original["year"] else None)
        assert record.get("secondary_title") == original["journal"]


def test_csl_json_round_trip(client: TestClient) -> None:
    items = json.loads(client.get("/v1/citations/5", params={"format": "csl-json"}).text)
    original = _citation(client, 5)
    assert items[0]["title"] == original["title"]
    assert items[0]["DOI"] == original["doi"]
    assert items[0]["issued"] == {"date-parts": [[original["year"]]]}
    assert [a["family"] for a in items[0]["author"]] == ["Wang", "Dai", "Ferrante", "Drake", "Christiano"]


def test_formatted_text_uses_permanent_numbers(client: TestClient) -> None:
    lines = client.get("/v1/mechanisms/wnt-signaling/references", params={"format": "text"}).text.splitlines()
    assert lines[0].startswith("3. Castellana D, Paus R, Perez-Moreno M. Macrophages contribute")
    assert lines[1].startswith("317. Androgen modulation of Wnt")


def test_retracted_papers_are_marked_in_every_format(client: TestClient) -> None:
    assert "Retracted" in client.get("/v1/citations/33", params={"format": "bibtex"}).text
    assert "Retracted" in client.get("/v1/citations/33", params={"format": "ris"}).text
    assert client.get("/v1/citations/33", params={"format": "text"}).text.startswith("33. RETRACTED:")
    ld = json.loads(client.get("/v1/citations/33", params={"format": "jsonld"}).text)
    assert ld["creativeWorkStatus"] == "Retracted"


@pytest.mark.parametrize(
    ("path", "params", "headers"),
    [
        ("/v1/citations/3", {"format": "xml"}, {}),
        ("/v1/citations/3", {}, {"Accept": "application/xml"}),
        ("/v1/conditions/telogen-effluvium", {"format": "bibtex"}, {}),
        ("/v1/conditions/telogen-effluvium/references", {"format": "jsonld"}, {}),
    ],
)
def test_unknown_format_is_406_listing_the_supported_ones(
    client: TestClient, path: str, params: dict[str, str], headers: dict[str, str]
) -> None:
    response = client.get(path, params=params, headers=headers)
    assert response.status_code == 406
    assert response.headers["content-type"] == "application/problem+json"
    assert "application/json (?format=json)" in response.json()["detail"]


def _offline_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """schema.org's context, served locally: tests never reach the internet."""
    assert url.rstrip("/") == "https://schema.org"
    return {"contextUrl": None, "documentUrl": url, "document": {"@context": {"@vocab": "https://schema.org/"}}}


def _expand(text: str) -> list[dict[str, Any]]:
    expanded: list[dict[str, Any]] = jsonld.expand(
        json.loads(text), {"documentLoader": _offline_loader, "base": "https://hairkb.example/"}
    )
    return expanded


def test_condition_json_ld_expands_with_codes_treatments_and_citations(client: TestClient) -> None:
    response = client.get("/v1/conditions/alopecia-areata", headers={"Accept": "application/ld+json"})
    assert response.headers["content-type"].startswith("application/ld+json")
    page = _expand(response.text)[0]
    s = "https://schema.org/"
    assert page["@type"] == [f"{s}MedicalWebPage"]
    assert page[f"{s}lastReviewed"][0]["@value"] == "2026-11-21"
    about = page[f"{s}about"][0]
    assert about["@type"] == [f"{s}MedicalCondition"]
    codes = {c[f"{s}codeValue"][0]["@value"] for c in about[f"{s}code"]}
    assert {"L63.9", "ED70.2", "D000506"} <= codes
    treatments = {t[f"{s}name"][0]["@value"] for t in about[f"{s}possibleTreatment"]}
    assert {"Baricitinib", "Ritlecitinib", "Deuruxolitinib"} <= treatments
    citations = page[f"{s}citation"]
    assert all(c["@type"] == [f"{s}ScholarlyArticle"] for c in citations)
    dois = {next(iter(c[f"{s}sameAs"][0].values())) for c in citations if f"{s}sameAs" in c}
    assert "https://doi.org/10.1038/nrdp.2017.11" in dois


@pytest.mark.parametrize(
    "path", ["/v1/mechanisms/wnt-signaling", "/v1/interventions/topical-minoxidil", "/v1/citations/3"]
)
def test_every_resource_kind_has_json_ld(client: TestClient, path: str) -> None:
    expanded = _expand(client.get(path, params={"format": "jsonld"}).text)
    assert expanded and expanded[0]["@type"]

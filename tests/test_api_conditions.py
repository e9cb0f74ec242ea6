"""Condition endpoints on the real data: lists, filters, pagination, full pages, alias redirects."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from app.text.markers import MARKER

REQUIRED_SLUGS = {
    "androgenetic-alopecia",
    "female-pattern-hair-loss",
    "telogen-effluvium",
    "alopecia-areata",
    "primary-cicatricial-alopecia",
    "lichen-planopilaris",
    "frontal-fibrosing-alopecia",
    "central-centrifugal-cicatricial-alopecia",
}


def test_list_has_every_required_condition(client: TestClient) -> None:
    body = client.get("/v1/conditions", params={"limit": 100}).json()
    assert {item["slug"] for item in body["items"]} >= REQUIRED_SLUGS
    assert body["total"] == len(body["items"])
    first = body["items"][0]
    assert set(first) == {
        "slug",
        "name",
        "aliases",
        "category",
        "summary",
        "url",
        "updated",
        "last_reviewed",
        "presentation",
        "matched",
    }
    assert first["url"] == f"/v1/conditions/{first['slug']}"
    assert not MARKER.search(first["summary"])


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"category": "scarring"},
            {
                "primary-cicatricial-alopecia",
                "lichen-planopilaris",
                "frontal-fibrosing-alopecia",
                "central-centrifugal-cicatricial-alopecia",
                "discoid-lupus-erythematosus",
                "folliculitis-decalvans",
                "dissecting-cellulitis",
                "pseudopelade-of-brocq",
                "acne-keloidalis",
                "erosive-pustular-dermatosis",
            },
        ),
        (
            {"parent": "primary-cicatricial-alopecia"},
            {
                "lichen-planopilaris",
                "frontal-fibrosing-alopecia",
                "central-centrifugal-cicatricial-alopecia",
                "folliculitis-decalvans",
                "dissecting-cellulitis",
                "pseudopelade-of-brocq",
                "acne-keloidalis",
            },
        ),
        ({"code": "ICD10CM:L65.0"}, {"telogen-effluvium", "chronic-telogen-effluvium", "postpartum-telogen-effluvium"}),
        ({"code": "ICD10CM:A51.32"}, {"syphilitic-alopecia"}),
        ({"code": "ICD11:ED70.0"}, {"androgenetic-alopecia", "male-pattern-hair-loss"}),
        ({"code": "icd11:ed70.1"}, {"androgenetic-alopecia", "female-pattern-hair-loss"}),
        ({"code": "MONDO:0005340"}, {"alopecia-areata"}),
        ({"code": "ORPHA:254492"}, {"frontal-fibrosing-alopecia"}),
        ({"code": "MESH:D000506"}, {"alopecia-areata"}),
        ({"code": "ICD10CM:L64"}, {"female-pattern-hair-loss"}),
        ({"code": "ICD10CM:Z99.9"}, set()),
        ({"parent": "androgenetic-alopecia"}, {"female-pattern-hair-loss", "male-pattern-hair-loss"}),
        (
            {"mechanism": "immune-privilege-collapse"},
            {"alopecia-areata", "primary-cicatricial-alopecia", "lichen-planopilaris", "frontal-fibrosing-alopecia"},
        ),
        (
            {"mechanism": "androgen-signalling"},
            {
                "androgenetic-alopecia",
                "female-pattern-hair-loss",
                "male-pattern-hair-loss",
                "hyperandrogenism-hair-loss",
            },
        ),
        (
            {"mechanism": "macrophage-polarization", "category": "scarring"},
            {"lichen-planopilaris", "frontal-fibrosing-alopecia"},
        ),
    ],
)
def test_list_filters(client: TestClient, params: dict[str, str], expected: set[str]) -> None:
    body = client.get("/v1/conditions", params={**params, "limit": 100}).json()
    assert {item["slug"] for item in body["items"]} == expected
    assert body["total"] == len(expected)


def test_non_scarring_filter_excludes_scarring(client: TestClient) -> None:
    body = client.get("/v1/conditions", params={"category": "non-scarring", "limit": 100}).json()
    assert body["items"] and all(item["category"] == "non-scarring" for item in body["items"])


def test_pagination_walks_the_whole_list_with_link_headers(client: TestClient) -> None:
    everything = [i["slug"] for i in client.get("/v1/conditions", params={"limit": 100}).json()["items"]]
    seen: list[str] = []
    url: str | None = "/v1/conditions?limit=3"
    while url:
        response = client.get(url)
        seen += [i["slug"] for i in response.json()["items"]]
        links = dict((rel, href) for href, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', response.headers["link"]))
        url = links.get("next")
    assert seen == everything
    last = client.get("/v1/conditions?limit=3&offset=3")
    assert 'rel="prev"' in last.headers["link"] and "offset=0" in last.headers["link"]


def test_filters_are_kept_in_pagination_links(client: TestClient) -> None:
    response = client.get("/v1/conditions", params={"category": "scarring", "limit": 1})
    assert "category=scarring" in response.headers["link"]


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": 101},
        {"offset": -1},
        {"category": "bald"},
        {"mechanism": "Not A Slug"},
        {"mechanism": "no-such-mechanism"},
        {"parent": "no-such-condition"},
        {"limit": "ten"},
    ],
)
def test_bad_list_parameters_are_422_problems(client: TestClient, params: dict[str, object]) -> None:
    response = client.get("/v1/conditions", params=params)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["errors"] and body["errors"][0]["name"] in params


def test_condition_page_has_everything_for_rendering(client: TestClient) -> None:
    page = client.get("/v1/conditions/telogen-effluvium").json()
    assert page["name"] == "Telogen effluvium"
    assert "TE" in page["aliases"] and "hair shedding after illness" in page["aliases"]
    assert page["category"] == "non-scarring"
    assert page["immune_involvement"]["class"] == "secondary"
    assert page["disclaimer"] and "not medical advice" in page["disclaimer"]
    assert page["last_reviewed"] == "2026-11-21"
    section = page["sections"][0]
    assert "[7]" in section["body_markdown"]
    assert '<sup class="citation"><a class="citation" href="#ref-7"' in section["body_html"]
    assert [s["id"] for s in page["sections"]] == [
        "overview",
        "symptoms",
        "causes",
        "diagnosis",
        "treatment",
        "outlook",
        "when-to-see-a-doctor",
    ]
    assert page["presentation"]["pattern"]["values"] == ["diffuse"]
    assert {m["slug"] for m in page["mechanisms"]} == {"hair-cycle", "inflammatory-cytokines-catagen"}
    assert page["mechanisms"][0]["url"] == f"/v1/mechanisms/{page['mechanisms'][0]['slug']}"


def test_references_are_every_cited_number_in_order_of_first_appearance(client: TestClient) -> None:
    page = client.get("/v1/conditions/alopecia-areata").json()
    texts = [page["summary"]]  # summary is plain text; its numbers are listed separately
    order: list[int] = list(page["summary_citations"])
    for key in ("immune_involvement", "reversibility"):
        order += [n for n in page[key]["citations"] if n not in order]
    for section in page["sections"]:
        order += [n for n in section["citations"] if n not in order]
    for mech in page["mechanisms"]:
        order += [n for n in mech["citations"] if n not in order]
    for item in page["interventions"]:
        order += [n for n in item["citations"] if n not in order]
    for item in page["interventions"]:  # the page shows each treatment's serious warnings, cited
        order += [n for n in (item["serious_warnings"] or {"citations": []})["citations"] if n not in order]
    assert [ref["number"] for ref in page["references"]] == order
    assert texts
    ref = page["references"][0]
    assert ref["url"] == f"/v1/citations/{ref['number']}"
    assert ref["formatted"] and ref["title"] in ref["formatted"]


def test_reference_links_use_verified_identifiers(client: TestClient) -> None:
    refs = {r["number"]: r for r in client.get("/v1/conditions/androgenetic-alopecia").json()["references"]}
    ramos = refs[14]
    assert ramos["doi_url"] == "https://doi.org/10.1590/abd1806-4841.20153370"
    assert ramos["pubmed_url"] == "https://pubmed.ncbi.nlm.nih.gov/26375223/"
    assert ramos["pmc_url"] == "https://pmc.ncbi.nlm.nih.gov/articles/PMC4560543/"
    assert ramos["link"] == ramos["doi_url"]


def test_parent_and_children(client: TestClient) -> None:
    pca = client.get("/v1/conditions/primary-cicatricial-alopecia").json()
    assert pca["parent"] is None
    assert {c["slug"] for c in pca["children"]} == {
        "lichen-planopilaris",
        "frontal-fibrosing-alopecia",
        "central-centrifugal-cicatricial-alopecia",
        "folliculitis-decalvans",
        "dissecting-cellulitis",
        "pseudopelade-of-brocq",
        "acne-keloidalis",
    }
    fphl = client.get("/v1/conditions/female-pattern-hair-loss").json()
    assert fphl["parent"] == {
        "slug": "androgenetic-alopecia",
        "name": "Androgenetic alopecia",
        "url": "/v1/conditions/androgenetic-alopecia",
    }


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("FPHL", "female-pattern-hair-loss"),
        ("fphl", "female-pattern-hair-loss"),
        ("female androgenetic alopecia", "female-pattern-hair-loss"),
        ("AGA", "androgenetic-alopecia"),
        ("pattern hair loss", "androgenetic-alopecia"),
        ("Male Pattern Baldness", "male-pattern-hair-loss"),
        ("TE", "telogen-effluvium"),
        ("aa", "alopecia-areata"),
        ("PCA", "primary-cicatricial-alopecia"),
        ("scarring alopecia", "primary-cicatricial-alopecia"),
        ("cicatricial alopecia", "primary-cicatricial-alopecia"),
        ("LPP", "lichen-planopilaris"),
        ("FFA", "frontal-fibrosing-alopecia"),
        ("CCCA", "central-centrifugal-cicatricial-alopecia"),
        ("Telogen-Effluvium", "telogen-effluvium"),
        ("Telogen Effluvium", "telogen-effluvium"),
    ],
)
def test_aliases_redirect_308_to_the_canonical_url(client: TestClient, name: str, slug: str) -> None:
    response = client.get(f"/v1/conditions/{name}", follow_redirects=False)
    assert response.status_code == 308
    assert response.headers["location"] == f"/v1/conditions/{slug}"
    assert client.get(f"/v1/conditions/{name}").json()["slug"] == slug


def test_unknown_condition_is_404_problem(client: TestClient) -> None:
    response = client.get("/v1/conditions/baldness-from-wearing-hats")
    assert response.status_code == 404
    assert response.json()["detail"].startswith("No condition 'baldness-from-wearing-hats'")

"""Interventions, evidence grades, the retraction rule and standard codes, through the API on the real data."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

REQUIRED = {
    "topical-minoxidil",
    "oral-minoxidil",
    "baricitinib",
    "ritlecitinib",
    "deuruxolitinib",
    "platelet-rich-plasma",
    "stem-cell-therapy",
    "finasteride",
    "spironolactone",
    "hair-transplantation",
    "dietary-macrophage-activating-factor",
}
NEW_CONDITIONS = {
    "anagen-effluvium",
    "traction-alopecia",
    "trichotillomania",
    "tinea-capitis",
    "discoid-lupus-erythematosus",
    "folliculitis-decalvans",
    "dissecting-cellulitis",
}


def test_every_required_intervention_is_served(client: TestClient) -> None:
    body = client.get("/v1/interventions", params={"limit": 100}).json()
    assert {i["slug"] for i in body["items"]} >= REQUIRED


def test_new_conditions_are_served_with_sections_and_citations(client: TestClient) -> None:
    for slug in NEW_CONDITIONS:
        page = client.get(f"/v1/conditions/{slug}").json()
        assert page["sections"] and page["references"], slug


@pytest.mark.parametrize(
    ("alias", "slug"),
    [
        ("alopecia totalis", "alopecia-areata"),
        ("Alopecia Universalis", "alopecia-areata"),
        ("chemotherapy-induced alopecia", "anagen-effluvium"),
        ("GcMAF", "dietary-macrophage-activating-factor"),
        ("Olumiant", "baricitinib"),
        ("Propecia", "finasteride"),
        ("PRP", "platelet-rich-plasma"),
    ],
)
def test_aliases_resolve(client: TestClient, alias: str, slug: str) -> None:
    kind = "conditions" if "alopecia" in slug or "effluvium" in slug else "interventions"
    response = client.get(f"/v1/{kind}/{alias}", follow_redirects=False)
    assert response.status_code == 308 and response.headers["location"] == f"/v1/{kind}/{slug}"


def test_jak_inhibitors_are_approved_for_alopecia_areata_with_their_boxed_warning(client: TestClient) -> None:
    for slug, agencies in (
        ("baricitinib", {"FDA", "EMA"}),
        ("ritlecitinib", {"FDA", "EMA"}),
        ("deuruxolitinib", {"FDA"}),
    ):
        page = client.get(f"/v1/interventions/{slug}").json()
        [use] = page["uses"]
        assert use["condition"]["slug"] == "alopecia-areata" and use["grade"] == "approved", slug
        assert {r["agency"] for r in use["regulatory"] if r["status"] == "approved"} == agencies, slug
        assert page["safety"]["serious"]["citations"], slug
        labels = {r["number"] for r in page["references"] if r["publication_type"] == "label"}
        assert set(page["safety"]["serious"]["citations"]) & labels, slug


def test_conflicting_sources_are_both_shown(client: TestClient) -> None:
    page = client.get("/v1/interventions/finasteride").json()
    fphl = next(u for u in page["uses"] if u["condition"]["slug"] == "female-pattern-hair-loss")
    roles = {e["role"] for e in fphl["evidence"]}
    assert {"supports", "contradicts"} <= roles


def test_gcmaf_has_no_evidence_and_retracted_papers_are_marked(client: TestClient) -> None:
    page = client.get("/v1/interventions/dietary-macrophage-activating-factor").json()
    assert [u["grade"] for u in page["uses"]] == ["no-evidence"]
    retracted_entries = [e for u in page["uses"] for e in u["evidence"] if e["retracted"]]
    assert retracted_entries and all(e["role"] == "retracted-source" for e in retracted_entries)
    refs = {r["number"]: r for r in page["references"]}
    flagged = [n for n in retracted_entries[0]["citations"]]
    assert all(refs[n]["retracted"] and refs[n]["formatted"].startswith("RETRACTED") for n in flagged)
    supporting = [n for u in page["uses"] for e in u["evidence"] if e["role"] == "supports" for n in e["citations"]]
    assert not set(supporting) & set(flagged)


def test_no_retracted_citation_supports_anything(client: TestClient) -> None:
    citations = client.get("/v1/citations", params={"limit": 100}).json()["items"]
    retracted = {c["number"] for c in citations if c["retracted"]}
    assert retracted
    for item in client.get("/v1/interventions", params={"limit": 100}).json()["items"]:
        page = client.get(item["url"]).json()
        for use in page["uses"]:
            for evidence in use["evidence"]:
                if evidence["role"] != "retracted-source":
                    assert not set(evidence["citations"]) & retracted, item["slug"]


def test_unproven_products_are_not_presented_as_treatments(client: TestClient) -> None:
    for slug in ("dietary-macrophage-activating-factor", "biotin", "vitamin-d"):
        page = client.get(f"/v1/interventions/{slug}").json()
        assert {u["grade"] for u in page["uses"]} == {"no-evidence"}, slug
        assert re.search(r"\b(not|no)\b", page["summary"].split(".")[0].lower()), slug
    stem = client.get("/v1/interventions/stem-cell-therapy").json()
    grades = {u["condition"]["slug"]: u["grade"] for u in stem["uses"]}
    assert grades == {"androgenetic-alopecia": "limited", "alopecia-areata": "no-evidence"}


def test_condition_page_lists_interventions_with_grades_and_codes(client: TestClient) -> None:
    page = client.get("/v1/conditions/alopecia-areata").json()
    jak = next(i for i in page["interventions"] if i["slug"] == "baricitinib")
    assert jak["grade"] == "approved" and jak["url"] == "/v1/interventions/baricitinib"
    assert {(r["agency"], r["status"]) for r in jak["regulatory"]} == {("FDA", "approved"), ("EMA", "approved")}
    assert jak["serious_warnings"]["text"] and jak["serious_warnings"]["citations"]
    curies = {c["curie"]: c for c in page["codes"]}
    assert curies["ICD10CM:L63.9"]["match"] == "exact"
    assert curies["ICD10CM:L63.0"]["match"] == "narrower"
    fphl = client.get("/v1/conditions/female-pattern-hair-loss").json()
    broader = next(c for c in fphl["codes"] if c["curie"] == "ICD10CM:L64")
    assert broader["match"] == "broader" and broader["note"]


def test_every_condition_has_codes_or_says_why_not(client: TestClient) -> None:
    for item in client.get("/v1/conditions", params={"limit": 100}).json()["items"]:
        page = client.get(item["url"]).json()
        assert page["codes"] or page["codes_note"], item["slug"]


def test_mechanism_page_lists_interventions_that_act_on_it(client: TestClient) -> None:
    page = client.get("/v1/mechanisms/ifn-gamma-il-15-jak").json()
    assert {"baricitinib", "ritlecitinib", "deuruxolitinib"} <= {i["slug"] for i in page["interventions"]}
    androgens = client.get("/v1/mechanisms/androgen-signalling").json()
    assert "finasteride" in {i["slug"] for i in androgens["interventions"]}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"condition": "alopecia-areata", "grade": "approved"},
            {"baricitinib", "ritlecitinib", "deuruxolitinib", "intralesional-corticosteroids"},
        ),
        ({"kind": "cell-based"}, {"stem-cell-therapy", "exosome-products"}),
        (
            {"grade": "no-evidence"},
            {"stem-cell-therapy", "dietary-macrophage-activating-factor", "vitamin-d", "biotin"},
        ),
        (
            {"condition": "female-pattern-hair-loss", "approved_by": "FDA"},
            {"topical-minoxidil", "low-level-light-therapy"},
        ),
        (
            {"condition": "male-pattern-hair-loss", "approved_by": "FDA"},
            {"topical-minoxidil", "finasteride", "low-level-light-therapy"},
        ),
        ({"condition": "tinea-capitis", "approved_by": "MHRA"}, {"griseofulvin"}),
    ],
)
def test_intervention_filters(client: TestClient, params: dict[str, str], expected: set[str]) -> None:
    body = client.get("/v1/interventions", params={**params, "limit": 100}).json()
    assert {i["slug"] for i in body["items"]} == expected


def test_unknown_condition_filter_is_422(client: TestClient) -> None:
    assert client.get("/v1/interventions", params={"condition": "nope"}).status_code == 422


@pytest.mark.parametrize("name", ["FPHL", "female pattern hair loss", "Female-Pattern-Hair-Loss"])
def test_filters_take_names_and_aliases_like_paths(client: TestClient, name: str) -> None:
    """`?condition=FPHL` answers what `?condition=female-pattern-hair-loss` does, with canonical Link URLs."""
    by_alias = client.get("/v1/interventions", params={"condition": name, "limit": 2})
    by_slug = client.get("/v1/interventions", params={"condition": "female-pattern-hair-loss", "limit": 2})
    assert by_alias.status_code == 200 and by_alias.json() == by_slug.json()
    assert by_alias.headers["link"] == by_slug.headers["link"]
    children = client.get("/v1/conditions", params={"parent": "PCA", "limit": 100}).json()["items"]
    assert children and {c["slug"] for c in children} == {
        c["slug"]
        for c in client.get("/v1/conditions", params={"parent": "primary-cicatricial-alopecia", "limit": 100}).json()[
            "items"
        ]
    }


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("baricitinib", "/v1/interventions/baricitinib"),
        ("Olumiant", "/v1/interventions/baricitinib"),
        ("GcMAF", "/v1/interventions/dietary-macrophage-activating-factor"),
        ("L65.0", "/v1/conditions/telogen-effluvium"),
        ("ICD10CM:L66.12", "/v1/conditions/frontal-fibrosing-alopecia"),
        ("scalp ringworm", "/v1/conditions/tinea-capitis"),
        ("hair pulling", "/v1/conditions/trichotillomania"),
    ],
)
def test_search_covers_interventions_codes_and_new_conditions(client: TestClient, query: str, first: str) -> None:
    assert client.get("/v1/search", params={"q": query}).json()["hits"][0]["url"] == first


def test_suggest_covers_interventions(client: TestClient) -> None:
    urls = [i["url"] for i in client.get("/v1/suggest", params={"q": "barici"}).json()["items"]]
    assert "/v1/interventions/baricitinib" in urls


def test_citations_are_cited_by_interventions(client: TestClient) -> None:
    cited_by = client.get("/v1/citations/24").json()["cited_by"]
    assert ("intervention", "topical-minoxidil") in {(c["type"], c["slug"]) for c in cited_by}

"""The "what could this be" navigator on /v1/conditions: facet logic (OR within, AND across), what each
condition matched, facet counts, and clear errors — on the tiny dataset, whose two conditions are
  scarring-alopecia: patchy · gradual · chronic · scarring yes · redness, itch · who all · adults, older adults
  frontal-scarring: frontotemporal, hairline-band · gradual · chronic, relapsing · yes · papules · women · older
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

SA, FS = "scarring-alopecia", "frontal-scarring"


def listing(client: TestClient, params: list[tuple[str, str]]) -> dict[str, Any]:
    response = client.get("/v1/conditions", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ([], [SA, FS]),
        ([("pattern", "patchy")], [SA]),
        ([("pattern", "patchy"), ("pattern", "frontotemporal")], [SA, FS]),  # OR within a facet
        ([("pattern", "patchy"), ("onset", "gradual")], [SA]),  # AND across facets
        ([("pattern", "patchy"), ("course", "relapsing")], []),
        ([("who", "women")], [SA, FS]),  # scarring-alopecia affects everyone
        ([("who", "men")], [SA]),
        ([("who", "children"), ("age", "adults")], [SA]),
        ([("scarring", "no")], []),
        ([("scalp_findings", "itch"), ("scalp_findings", "perifollicular-papules")], [SA, FS]),
        ([("category", "scarring"), ("age", "older-adults")], [SA, FS]),
        ([("parent", SA), ("course", "relapsing")], [FS]),
    ],
)
def test_facets_combine_with_and_across_or_within(
    tiny_client: TestClient, params: list[tuple[str, str]], expected: list[str]
) -> None:
    body = listing(tiny_client, params)
    assert [item["slug"] for item in body["items"]] == expected
    assert body["total"] == len(expected)


def test_each_item_says_which_asked_values_it_matched(tiny_client: TestClient) -> None:
    body = listing(tiny_client, [("pattern", "patchy"), ("pattern", "hairline-band"), ("who", "women")])
    matched = {item["slug"]: item["matched"] for item in body["items"]}
    assert matched == {
        SA: {"pattern": ["patchy"], "who": ["women"]},
        FS: {"pattern": ["hairline-band"], "who": ["women"]},
    }
    unfiltered = listing(tiny_client, [])
    assert all(item["matched"] == {} for item in unfiltered["items"])
    assert unfiltered["items"][1]["presentation"]["pattern"] == ["frontotemporal", "hairline-band"]


def test_facet_counts_for_a_sidebar(tiny_client: TestClient) -> None:
    none_asked = listing(tiny_client, [])["facets"]
    assert none_asked["pattern"] == {
        "diffuse": 0,
        "widening-part": 0,
        "vertex-crown": 0,
        "frontotemporal": 1,
        "hairline-band": 1,
        "patchy": 1,
        "single-patch": 0,
        "marginal-traction": 0,
        "central-crown": 0,
        "nape": 0,
        "body-hair": 0,
    }
    assert none_asked["who"] == {"women": 2, "men": 1, "children": 1, "all": 1}
    assert none_asked["scarring"] == {"no": 0, "yes": 2, "possible": 0}
    # A facet's own choice does not narrow its counts; other facets' choices do.
    asked = listing(tiny_client, [("pattern", "patchy")])["facets"]
    assert asked["pattern"]["frontotemporal"] == 1 and asked["pattern"]["patchy"] == 1
    assert asked["who"] == {"women": 1, "men": 1, "children": 1, "all": 1}
    assert asked["course"] == {"acute": 0, "chronic": 1, "relapsing": 0}


def test_paging_links_repeat_the_facet_values(tiny_client: TestClient) -> None:
    response = tiny_client.get(
        "/v1/conditions", params=[("pattern", "patchy"), ("pattern", "frontotemporal"), ("limit", "1")]
    )
    body = response.json()
    assert [item["slug"] for item in body["items"]] == [SA] and body["total"] == 2
    assert "pattern=frontotemporal&pattern=patchy" in response.headers["link"]
    follow = tiny_client.get(response.links["next"]["url"]).json()
    assert [item["slug"] for item in follow["items"]] == [FS]


@pytest.mark.parametrize(
    ("facet", "known", "unknown", "allowed"),
    [
        ("pattern", "patchy", "spiral", "'central-crown'"),
        ("scarring", "yes", "maybe", "'possible'"),
        ("who", "all", "pets", "'children'"),
    ],
)
def test_unknown_values_are_a_422_listing_the_allowed_ones(
    tiny_client: TestClient, facet: str, known: str, unknown: str, allowed: str
) -> None:
    response = tiny_client.get("/v1/conditions", params=[(facet, known), (facet, unknown)])
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    [error] = response.json()["errors"]
    assert error["name"] == f"{facet}.1"  # the second value of the facet is the unknown one
    assert allowed in error["message"]


def test_openapi_documents_the_vocabularies_as_enums(tiny_client: TestClient) -> None:
    spec = tiny_client.get("/openapi.json").json()
    params = {p["name"]: p for p in spec["paths"]["/v1/conditions"]["get"]["parameters"]}
    for facet in ("pattern", "onset", "course", "scarring", "scalp_findings", "who", "age"):
        schema = params[facet]["schema"]
        items = next(s for s in schema.get("anyOf", [schema]) if s.get("type") == "array")["items"]
        ref = items.get("$ref")
        enum = spec["components"]["schemas"][ref.rsplit("/", 1)[1]]["enum"] if ref else items["enum"]
        assert len(enum) >= 2, facet

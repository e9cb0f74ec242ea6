"""Product rules for the real content that the validator leaves to tests (so that fixtures stay tiny):
breadth, sources per page, mechanisms linked, approvals resting on a regulator's label, safety for every
medicine, and no link that is not canonical anywhere in what is served."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from app.models.fields import CANONICAL_HOSTS
from tests.conftest import every

REVIEWS = {"review", "systematic-review", "meta-analysis", "guideline"}
URL = re.compile(r"https?://[^\s\"'<>)]+")


def test_the_knowledge_base_has_the_breadth_a_reference_needs(client: TestClient) -> None:
    counts = client.get("/v1/meta").json()["counts"]
    assert counts["conditions"] >= 30
    assert counts["interventions"] >= 35
    assert counts["mechanisms"] >= 14
    assert counts["citations"] >= 150


def test_every_condition_cites_five_sources_including_a_recent_review(client: TestClient) -> None:
    for item in every(client, "/v1/conditions"):
        page = client.get(str(item["url"])).json()
        refs = page["references"]
        assert len({r["number"] for r in refs}) >= 5, item["slug"]
        recent = [r for r in refs if r["publication_type"] in REVIEWS and (r["year"] or 0) >= 2016]
        assert recent, item["slug"]
        for section in page["sections"]:
            assert section["citations"], (item["slug"], section["id"])


def test_every_mechanism_is_linked_from_a_condition(client: TestClient) -> None:
    for item in every(client, "/v1/mechanisms"):
        page = client.get(str(item["url"])).json()
        assert page["conditions"], item["slug"]
        assert all(c["role"] and c["citations"] for c in page["conditions"]), item["slug"]


def test_every_approved_use_rests_on_a_regulators_document(client: TestClient) -> None:
    approved = 0
    for item in every(client, "/v1/interventions"):
        page = client.get(str(item["url"])).json()
        kinds = {r["number"]: r["publication_type"] for r in page["references"]}
        for use in page["uses"]:
            if use["grade"] != "approved":
                continue
            approved += 1
            authorising = [r for r in use["regulatory"] if r["status"] in {"approved", "cleared", "otc"}]
            assert authorising, (item["slug"], use["condition"]["slug"])
            cited = {n for r in authorising for n in r["citations"]}
            assert {kinds[n] for n in cited} & {"label", "regulatory-notice"}, (item["slug"], cited)
    assert approved >= 10


@pytest.mark.parametrize(
    ("slug", "condition", "agency"),
    [
        ("topical-minoxidil", "female-pattern-hair-loss", "FDA"),
        ("topical-minoxidil", "male-pattern-hair-loss", "FDA"),
        ("finasteride", "male-pattern-hair-loss", "FDA"),
        ("baricitinib", "alopecia-areata", "FDA"),
        ("baricitinib", "alopecia-areata", "EMA"),
        ("ritlecitinib", "alopecia-areata", "FDA"),
        ("deuruxolitinib", "alopecia-areata", "FDA"),
    ],
)
def test_the_approved_treatments_are_graded_approved(
    client: TestClient, slug: str, condition: str, agency: str
) -> None:
    page = client.get(f"/v1/interventions/{slug}").json()
    use = next(u for u in page["uses"] if u["condition"]["slug"] == condition)
    assert use["grade"] == "approved"
    assert agency in {r["agency"] for r in use["regulatory"]}


def test_every_medicine_procedure_and_device_says_what_can_go_wrong(client: TestClient) -> None:
    for item in every(client, "/v1/interventions"):
        page = client.get(str(item["url"])).json()
        if page["kind"] in {"drug", "procedure", "device", "cell-based"}:
            assert page["safety"] is not None, item["slug"]
        if page["kind"] == "drug":
            assert page["safety"]["pregnancy"]["citations"], item["slug"]
            assert page["safety"]["common"] or page["safety"]["serious"], item["slug"]


def test_finasteride_and_spironolactone_warn_about_pregnancy(client: TestClient) -> None:
    for slug in ("finasteride", "spironolactone"):
        pregnancy = client.get(f"/v1/interventions/{slug}").json()["safety"]["pregnancy"]["text"].lower()
        assert "pregnan" in pregnancy, slug


def test_every_citation_says_what_the_source_says(client: TestClient) -> None:
    for citation in every(client, "/v1/citations"):
        findings: list[dict[str, str]] = citation["findings"]  # type: ignore[assignment]
        limit = 6 if citation["publication_type"] in {"label", "regulatory-notice"} else 3
        assert 1 <= len(findings) <= limit, citation["number"]
        assert all(len(f["text"]) <= 300 and f["where"] for f in findings), citation["number"]


def _hosts(body: str) -> set[str]:
    return {(urlsplit(url).hostname or "").lower() for url in URL.findall(body)}


def test_no_served_link_points_anywhere_but_a_canonical_host(client: TestClient) -> None:
    """Where a curator read a record (mirrors, proxies, IP addresses) is provenance, never a link. (JSON-LD
    names our own pages under the public base URL, 127.0.0.1 by default.)"""
    allowed = {"doi.org", "pubmed.ncbi.nlm.nih.gov", "pmc.ncbi.nlm.nih.gov", "schema.org", "127.0.0.1"}

    def canonical(host: str) -> bool:
        return host in allowed or any(host == h or host.endswith(f".{h}") for h in CANONICAL_HOSTS)

    bodies = []
    for path in ("/v1/conditions", "/v1/mechanisms", "/v1/interventions"):
        for item in every(client, path):
            bodies.append(client.get(str(item["url"])).text)
            bodies.append(client.get(str(item["url"]), params={"format": "jsonld"}).text)
    citations = every(client, "/v1/citations")
    bodies.append(json.dumps(citations))
    for fmt in ("bibtex", "ris", "csl-json"):
        bodies.append(client.get("/v1/conditions/alopecia-areata/references", params={"format": fmt}).text)
    bad = {host for body in bodies for host in _hosts(body) if not canonical(host)}
    assert not bad, sorted(bad)

"""Citation exports and JSON-LD, each read back by parsers this code does not use: bibtexparser and pybtex in
strict mode, rispy, the official CSL-JSON schema, and pyld with schema.org's own context (all vendored or
installed: no network)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pybtex.errors
import pytest
import rispy
from bibtexparser.entrypoint import parse_string
from fastapi.testclient import TestClient
from pybtex.database import BibliographyData
from pybtex.database import parse_string as pybtex_parse
from pybtex.plugin import find_plugin
from pyld import jsonld

from tests.conftest import FIXTURES, every

VENDOR = FIXTURES / "vendor"
FORMATS = {
    "bibtex": "application/x-bibtex",
    "ris": "application/x-research-info-systems",
    "csl-json": "application/vnd.citationstyles.csl+json",
    "text": "text/x-bibliography",
}
PAGES = ("conditions", "mechanisms", "interventions")


def _citation(client: TestClient, number: int) -> dict[str, Any]:
    body: dict[str, Any] = client.get(f"/v1/citations/{number}").json()
    return body


@pytest.fixture(scope="module")
def bibliographies(client: TestClient) -> dict[str, list[str]]:
    """Every page's bibliography in every format (together they cite every citation)."""
    out: dict[str, list[str]] = {fmt: [] for fmt in FORMATS}
    for plural in PAGES:
        for item in every(client, f"/v1/{plural}"):
            for fmt in FORMATS:
                out[fmt].append(client.get(f"{item['url']}/references/{fmt}").text)
    return out


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_accept_header_format_parameter_and_own_operation_give_the_same_bytes(client: TestClient, fmt: str) -> None:
    by_accept = client.get("/v1/citations/3", headers={"Accept": FORMATS[fmt]})
    by_param = client.get("/v1/citations/3", params={"format": fmt})
    by_operation = client.get(f"/v1/citations/3/{fmt}")
    assert by_accept.status_code == by_param.status_code == by_operation.status_code == 200
    assert by_accept.content == by_param.content == by_operation.content
    assert by_accept.headers["content-type"].startswith(FORMATS[fmt])
    assert by_operation.headers["content-type"].startswith(FORMATS[fmt])
    assert by_accept.headers["etag"] == by_operation.headers["etag"]
    assert "Accept" in by_accept.headers["vary"]
    references = client.get("/v1/conditions/telogen-effluvium/references", params={"format": fmt})
    assert client.get(f"/v1/conditions/telogen-effluvium/references/{fmt}").content == references.content


@pytest.mark.parametrize("path", ["/v1/citations/3/bibtex", "/v1/citations/3/ris", "/v1/export/ndjson"])
def test_text_formats_are_also_served_as_text_plain(client: TestClient, path: str) -> None:
    plain = client.get(path, headers={"Accept": "text/plain"})
    assert plain.headers["content-type"] == "text/plain; charset=utf-8"
    assert plain.content == client.get(path).content
    assert client.get(path, headers={"Accept": "application/json"}).status_code == 406


def test_bibtex_round_trip(client: TestClient) -> None:
    body = client.get("/v1/conditions/alopecia-areata/references/bibtex").text
    library = parse_string(body)
    assert not library.failed_blocks
    numbers = [r["number"] for r in client.get("/v1/conditions/alopecia-areata/references").json()["items"]]
    assert [e.key for e in library.entries] == [f"hairkb{n}" for n in numbers]
    for entry in library.entries:
        original = _citation(client, int(entry.key.removeprefix("hairkb")))
        # The title is brace-protected, so that styles keep its capitals.
        assert entry.fields_dict["title"].value == "{" + original["title"].replace("%", r"\%") + "}"
        if original["doi"]:
            assert entry.fields_dict["doi"].value == original["doi"]
        if original["pmid"]:
            assert entry.fields_dict["eprint"].value == original["pmid"]
            assert entry.fields_dict["eprinttype"].value == "pubmed"
        assert "pmid" not in entry.fields_dict
        if original["year"]:
            assert entry.fields_dict["year"].value == str(original["year"])
        if original["authors"]:
            # A corporate author (a regulator) is braced, so that BibTeX keeps it whole.
            names = re.split(r" and (?![^{]*\})", entry.fields_dict["author"].value)
            surnames = [a.split(",")[0].strip().strip("{}") for a in names]
            expected = [re.sub(r" \w{1,4}( (Jr|Sr|II|III))?$", "", a) for a in original["authors"]]
            assert surnames[: len(expected)] == expected


def test_every_bibliography_passes_pybtex_in_strict_mode(bibliographies: dict[str, list[str]]) -> None:
    """Every bibliography parses in strict mode; every entry (each citation once) formats in strict mode in
    two styles: those without an author or a year are @misc (which needs neither). Titles keep their
    capitals ("JAK", "GcMAF") and LaTeX's special characters are escaped."""
    pybtex.errors.set_strict_mode(True)
    entries: dict[str, Any] = {}
    for body in bibliographies["bibtex"]:
        entries.update(pybtex_parse(body, "bibtex").entries)
    every_entry = BibliographyData(entries)
    rendered = [
        entry.text.render_as("text")
        for style in ("plain", "alpha")  # unsrt formats entries as plain does, unsorted
        for entry in find_plugin("pybtex.style.formatting", style)().format_bibliography(every_entry)
    ]
    assert len(rendered) == 2 * len(entries) >= 300
    assert any("GcMAF" in text for text in rendered)
    assert any("5% w/w" in text for text in rendered)


def test_ris_round_trip(client: TestClient) -> None:
    body = client.get("/v1/interventions/baricitinib/references/ris").text
    records = rispy.loads(body)
    numbers = [r["number"] for r in client.get("/v1/interventions/baricitinib/references").json()["items"]]
    assert [r["id"] for r in records] == [f"hairkb{n}" for n in numbers]
    for record in records:
        original = _citation(client, int(record["id"].removeprefix("hairkb")))
        assert record["title"] == original["title"]
        assert record.get("doi") == original["doi"]
        assert record.get("year") == (str(original["year"]) if original["year"] else None)
        assert record.get("secondary_title") == original["journal"]


def test_ris_writes_people_as_family_given_suffix(client: TestClient) -> None:
    """`King LE Jr` is `King, L. E., Jr` (RIS: Lastname, Firstname, Suffix); an organisation stays whole."""
    authors = rispy.loads(client.get("/v1/citations/16/ris").text)[0]["authors"]
    assert "King, L. E., Jr" in authors and "Pratt, C. H." in authors
    labels = rispy.loads(client.get("/v1/citations/140/ris").text)[0].get("authors", [])
    assert all("," not in name for name in labels if "Administration" in name)


def test_every_csl_json_document_is_valid_against_the_official_schema(
    bibliographies: dict[str, list[str]], client: TestClient
) -> None:
    schema = json.loads((VENDOR / "csl-data.json").read_text())
    validator = jsonschema.Draft7Validator(schema)
    documents = [json.loads(body) for body in bibliographies["csl-json"]]
    documents.append(json.loads(client.get("/v1/citations/3/csl-json").text))
    for document in documents:
        assert isinstance(document, list)  # always an array, also for one citation
        errors = [error.message for error in validator.iter_errors(document)]
        assert not errors, errors[:3]
    retracted = json.loads(client.get("/v1/citations/33/csl-json").text)[0]
    assert retracted["status"] == "retracted"
    assert "status" not in json.loads(client.get("/v1/citations/3/csl-json").text)[0]


def test_formatted_text_uses_permanent_numbers(client: TestClient) -> None:
    lines = client.get("/v1/mechanisms/wnt-signaling/references/text").text.splitlines()
    assert lines[0].startswith("3. Castellana D, Paus R, Perez-Moreno M. Macrophages contribute")
    assert lines[1].startswith("317. Androgen modulation of Wnt")


def test_formatted_text_never_doubles_punctuation(bibliographies: dict[str, list[str]]) -> None:
    lines = [line for body in bibliographies["text"] for line in body.splitlines()]
    assert any("microscopically? Br J Dermatol" in line for line in lines)
    assert not [line for line in lines if re.search(r"[?!.]\.(\s|$)", line)]


def test_retracted_papers_are_marked_in_every_format(client: TestClient) -> None:
    assert "Retracted" in client.get("/v1/citations/33/bibtex").text
    assert "Retracted" in client.get("/v1/citations/33/ris").text
    assert client.get("/v1/citations/33/text").text.startswith("33. RETRACTED:")
    assert json.loads(client.get("/v1/citations/33/csl-json").text)[0]["status"] == "retracted"
    assert json.loads(client.get("/v1/citations/33/jsonld").text)["creativeWorkStatus"] == "Retracted"


@pytest.mark.parametrize(
    ("path", "params", "headers", "status"),
    [
        ("/v1/citations/3", {"format": "xml"}, {}, 422),
        ("/v1/citations/3", {}, {"Accept": "application/xml"}, 406),
        ("/v1/conditions/telogen-effluvium", {"format": "bibtex"}, {}, 422),
        ("/v1/conditions/telogen-effluvium/references", {"format": "jsonld"}, {}, 422),
        ("/v1/conditions/telogen-effluvium", {}, {"Accept": "text/csv"}, 406),
        ("/v1/export", {}, {"Accept": "text/csv"}, 406),
        ("/v1/citations/3/bibtex", {}, {"Accept": "application/json"}, 406),
    ],
)
def test_an_unknown_format_is_a_422_and_an_unmet_accept_a_406(
    client: TestClient, path: str, params: dict[str, str], headers: dict[str, str], status: int
) -> None:
    """`?format=` is an enum: another value is an invalid parameter; an Accept nothing offered fits is a 406
    that lists what is."""
    response = client.get(path, params=params, headers=headers)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    if status == 406:
        assert "Supported here:" in response.json()["detail"]


# -- JSON-LD ------------------------------------------------------------------------------------------

SCHEMA = "http://schema.org/"
# schema.org's own context (release 29.3), less its @vocab: a term it does not define is then dropped by
# expansion, and reported.
_CONTEXT = json.loads((VENDOR / "schemaorg-context.jsonld").read_text())["@context"]
_STRICT = {"@context": {key: value for key, value in _CONTEXT.items() if key != "@vocab"}}


@pytest.mark.parametrize(
    ("path", "fmt", "offered"),
    [
        ("/v1/citations/3", "xml", "'json', 'jsonld', 'bibtex', 'ris', 'csl-json' or 'text'"),
        ("/v1/conditions/telogen-effluvium", "bibtex", "'json' or 'jsonld'"),
        ("/v1/conditions/telogen-effluvium/references", "jsonld", "'json', 'bibtex', 'ris', 'csl-json' or 'text'"),
        ("/v1/export", "csv", "'json' or 'ndjson'"),
        ("/v1/graph", "png", "'json' or 'svg'"),
        ("/v1/conditions/telogen-effluvium/graph", "jsonld", "'json' or 'svg'"),
    ],
)
def test_an_unknown_format_parameter_is_a_422_naming_the_offered_ones(
    client: TestClient, path: str, fmt: str, offered: str
) -> None:
    """`?format=` is an enum in the schema, so a name it does not list is invalid input."""
    response = client.get(path, params={"format": fmt})
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == f"Input should be {offered}"


def _offline_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """schema.org's context from the vendored copy: tests never reach the internet."""
    assert url.rstrip("/") == "https://schema.org"
    return {"contextUrl": None, "documentUrl": url, "document": _STRICT}


def _expand(text: str) -> list[dict[str, Any]]:
    """The document expanded with schema.org's context; fails on any term schema.org does not define."""
    dropped: list[str | None] = []
    expanded: list[dict[str, Any]] = jsonld.expand(
        json.loads(text), {"documentLoader": _offline_loader}, on_property_dropped=dropped.append
    )
    assert not dropped, f"not schema.org terms: {dropped}"
    # Nodes' types are lists; a typed value's (a Date) is one IRI.
    types = [t for node in _nodes(expanded) for t in _as_list(node.get("@type", []))]
    assert types and all(t.startswith(SCHEMA) for t in types), types
    return expanded


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _nodes(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _nodes(item)
    elif isinstance(value, list):
        for item in value:
            yield from _nodes(item)


def _empty(value: Any) -> bool:
    if isinstance(value, dict):
        return not value or any(_empty(v) for v in value.values())
    if isinstance(value, list):
        return not value or any(_empty(v) for v in value)
    return value in (None, "")


def test_condition_json_ld_expands_with_exact_codes_graded_treatments_and_citations(client: TestClient) -> None:
    response = client.get("/v1/conditions/alopecia-areata", headers={"Accept": "application/ld+json"})
    assert response.headers["content-type"].startswith("application/ld+json")
    page = _expand(response.text)[0]
    s = SCHEMA
    assert page["@type"] == [f"{s}MedicalWebPage"]
    assert page["@id"] == "http://127.0.0.1:8000/v1/conditions/alopecia-areata"
    assert page[f"{s}lastReviewed"][0]["@value"] == "2026-11-21"
    assert page[f"{s}dateModified"][0]["@value"] == "2026-11-21"
    assert page[f"{s}publisher"][0][f"{s}name"][0]["@value"] == "hairkb"
    assert {a[f"{s}audienceType"][0]["@value"] for a in page[f"{s}medicalAudience"]} == {"Patient", "Clinician"}
    about = page[f"{s}mainEntity"][0]
    assert about["@type"] == [f"{s}MedicalCondition"] and page[f"{s}about"][0]["@id"] == about["@id"]
    codes = {c[f"{s}codeValue"][0]["@value"] for c in about[f"{s}code"]}
    assert {"L63.9", "ED70.2", "D000506"} <= codes
    treatments = {t[f"{s}name"][0]["@value"]: t for t in about[f"{s}possibleTreatment"]}
    assert {"Baricitinib", "Ritlecitinib", "Deuruxolitinib"} <= set(treatments)
    assert "approved" in treatments["Baricitinib"][f"{s}description"][0]["@value"]
    citations = page[f"{s}citation"]
    assert all(c["@type"] == [f"{s}ScholarlyArticle"] for c in citations)
    assert all(c["@id"].startswith("http://127.0.0.1:8000/v1/citations/") for c in citations)
    assert "https://doi.org/10.1038/nrdp.2017.11" in {c[f"{s}url"][0]["@id"] for c in citations if f"{s}url" in c}


def test_json_ld_lists_only_graded_treatments_and_exact_codes(client: TestClient) -> None:
    """GcMAF and stem-cell therapy (no evidence) are not treatments of FPHL; L64 is broader than FPHL."""
    fphl = json.loads(client.get("/v1/conditions/female-pattern-hair-loss/jsonld").text)["mainEntity"]
    names = {t["name"] for t in fphl.get("possibleTreatment", [])}
    uses = client.get("/v1/interventions", params={"condition": "female-pattern-hair-loss", "limit": 100}).json()
    graded = {
        item["name"]
        for item in uses["items"]
        for use in client.get(item["url"]).json()["uses"]
        if use["condition"]["slug"] == "female-pattern-hair-loss"
        and use["grade"] in ("approved", "supported-by-rcts", "limited")
    }
    assert names == graded and names
    assert not [n for n in names if "GcMAF" in n or "stem" in n.lower()]
    assert "L64" not in {c["codeValue"] for c in fphl.get("code", [])}


@pytest.mark.parametrize("plural", PAGES)
def test_every_json_ld_document_uses_only_schema_org_terms_and_no_empty_values(client: TestClient, plural: str) -> None:
    for item in every(client, f"/v1/{plural}"):
        text = client.get(f"{item['url']}/jsonld").text
        document = json.loads(text)
        assert not _empty(document), item["url"]
        assert "disclaimer" not in document
        assert {"description", "dateModified", "lastReviewed", "publisher", "medicalAudience"} <= set(document)
        _expand(text)


def test_drug_json_ld_carries_its_regulatory_status_and_label_warnings(client: TestClient) -> None:
    drug = json.loads(client.get("/v1/interventions/baricitinib/jsonld").text)["mainEntity"]
    assert drug["@type"] == "Drug"
    assert any(s["name"].startswith("Approved (FDA") for s in drug["legalStatus"])
    assert drug["legalStatus"][0]["applicableLocation"]["@type"] in ("Country", "AdministrativeArea")
    assert "Olumiant" in drug["proprietaryName"] and drug["warning"]


def test_json_ld_ids_follow_the_public_base_url(tiny_data: Path) -> None:
    from tests.conftest import client_for

    with client_for(tiny_data, public_base_url="https://api.example.org/hair/") as client:
        document = json.loads(client.get("/v1/citations/1/jsonld").text)
        spec = client.get("/openapi.json").json()
    assert document["@id"] == "https://api.example.org/hair/v1/citations/1"
    assert spec["servers"][0]["url"] == "https://api.example.org/hair"


def test_every_citation_json_ld_expands(client: TestClient) -> None:
    for number in (3, 33, 140, 215):
        expanded = _expand(client.get(f"/v1/citations/{number}/jsonld").text)
        assert expanded[0]["@id"] == f"http://127.0.0.1:8000/v1/citations/{number}"

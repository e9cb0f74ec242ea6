"""The knowledge graph: its Cytoscape.js JSON, the SVG picture Graphviz lays out (legend, colours, text as text,
title and description, readable at the size of the real data), negotiation, and a missing Graphviz."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.models.vocabulary import EvidenceGrade
from app.readmodel.picture import GRADE_STROKES
from tests.conftest import client_for, every
from tests.system import debian_binary

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module", autouse=True)
def graphviz() -> None:
    debian_binary("dot", "graphviz")


def _svg(client: TestClient, path: str, **headers: str) -> ET.Element:
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"] == "image/svg+xml"
    assert response.headers["content-security-policy"] == "default-src 'none'"
    return ET.fromstring(response.content)


def test_the_whole_graph_is_cytoscape_json(client: TestClient) -> None:
    body = client.get("/v1/graph").json()
    nodes = [n["data"] for n in body["elements"]["nodes"]]
    edges = [e["data"] for e in body["elements"]["edges"]]
    assert {n["group"] for n in body["elements"]["nodes"]} == {"nodes"}
    assert {e["group"] for e in body["elements"]["edges"]} == {"edges"}
    ids = [n["id"] for n in nodes]
    assert len(ids) == len(set(ids)) == 32 + 15 + 36
    assert len({e["id"] for e in edges}) == len(edges)
    assert all(e["source"] in ids and e["target"] in ids for e in edges)
    assert body["data"]["focus"] is None and not any(n["focus"] for n in nodes)
    conditions = every(client, "/v1/conditions")
    interventions = every(client, "/v1/interventions")
    counts = {t: sum(1 for e in edges if e["type"] == t) for t in ("involves", "treats", "acts-on")}
    pages = [client.get(f"/v1/interventions/{i['slug']}").json() for i in interventions]
    assert counts["treats"] == sum(len(p["uses"]) for p in pages)
    assert counts["acts-on"] == sum(len(p["mechanisms"]) for p in pages)
    assert counts["involves"] == sum(len(client.get(c["url"]).json()["mechanisms"]) for c in conditions)
    for edge in edges:
        assert (edge["grade"] is not None) == (edge["type"] == "treats")
        assert (edge["role"] is not None) == (edge["type"] != "treats")
        assert edge["citations"]


@pytest.mark.parametrize(
    ("path", "focus"),
    [
        ("/v1/conditions/alopecia-areata/graph", "condition:alopecia-areata"),
        ("/v1/mechanisms/oncostatin-m-jak-stat5/graph", "mechanism:oncostatin-m-jak-stat5"),
        ("/v1/interventions/finasteride/graph", "intervention:finasteride"),
    ],
)
def test_a_page_s_graph_is_its_neighbourhood(client: TestClient, path: str, focus: str) -> None:
    body = client.get(path).json()
    nodes = {n["data"]["id"]: n["data"] for n in body["elements"]["nodes"]}
    edges = [e["data"] for e in body["elements"]["edges"]]
    assert body["data"]["focus"] == focus and [i for i, n in nodes.items() if n["focus"]] == [focus]
    linked = {e["source"] for e in edges if e["target"] == focus} | {e["target"] for e in edges if e["source"] == focus}
    assert set(nodes) == linked | {focus}
    assert all(e["source"] in nodes and e["target"] in nodes for e in edges)
    page = client.get(nodes[focus]["url"]).json()
    names = {n["label"] for n in nodes.values()}
    for key in ("mechanisms", "interventions", "conditions"):
        for item in page.get(key, []):
            assert item["name"] in names


def test_the_picture_has_title_description_legend_and_text(client: TestClient) -> None:
    root = _svg(client, "/v1/conditions/alopecia-areata/graph?format=svg")
    assert root.find(f"{SVG}title").text == "Alopecia areata: mechanisms and treatments"  # type: ignore[union-attr]
    description = root.find(f"{SVG}desc").text or ""  # type: ignore[union-attr]
    assert "1 condition" in description and "evidence grade" in description
    texts = {t.text for t in root.iter(f"{SVG}text")}
    assert {"Alopecia areata", "Baricitinib", "Treatment lines, by evidence grade"} <= texts
    assert {grade.value for grade in EvidenceGrade} <= texts
    assert not list(root.iter(f"{SVG}script")) and not any("style" in e.attrib for e in root.iter())
    links = [a.get("{http://www.w3.org/1999/xlink}href") for a in root.iter(f"{SVG}a")]
    assert "/interventions/baricitinib" in links and "/mechanisms/hair-cycle" in links


def test_treatment_lines_are_coloured_by_grade(client: TestClient) -> None:
    root = _svg(client, "/v1/graph", Accept="image/svg+xml")
    strokes: dict[str, str | None] = {}
    for group in root.iter(f"{SVG}g"):
        if group.get("class") == "edge":
            title = group.find(f"{SVG}title")
            path = group.find(f".//{SVG}path")
            if title is not None and title.text and path is not None:
                strokes[title.text] = path.get("stroke")
    assert strokes["Baricitinib is used for Alopecia areata (evidence: approved)"] == "#116329"
    graded = [t for t in strokes if "(evidence: " in t]
    assert len(graded) == 61
    for sentence in graded:
        grade = EvidenceGrade(sentence.rsplit("evidence: ", 1)[1].rstrip(")"))
        assert strokes[sentence] == GRADE_STROKES[grade].colour


def test_the_whole_picture_stays_readable(client: TestClient) -> None:
    """At 32 conditions and 36 interventions: no two boxes overlap, labels stay at 11 pt, and the picture is
    no wider than a desktop screen (it grows downwards, where pages scroll)."""
    root = _svg(client, "/v1/graph?format=svg")
    width = float(root.get("width", "0").removesuffix("pt"))
    assert 300 < width <= 1100
    boxes = []
    for group in root.iter(f"{SVG}g"):
        if group.get("class") != "node":
            continue
        points = []
        for shape in group.iter():
            if shape.tag == f"{SVG}polygon":
                points += [tuple(map(float, p.split(","))) for p in (shape.get("points") or "").split()]
            elif shape.tag == f"{SVG}path":  # rounded boxes
                points += [(float(x), float(y)) for x, y in re.findall(r"(-?[\d.]+),(-?[\d.]+)", shape.get("d", ""))]
            elif shape.tag == f"{SVG}ellipse":
                cx, cy, rx, ry = (float(shape.get(k, "0")) for k in ("cx", "cy", "rx", "ry"))
                points += [(cx - rx, cy - ry), (cx + rx, cy + ry)]
        for text in group.iter(f"{SVG}text"):
            assert float(text.get("font-size", "0")) >= 11
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
    assert len(boxes) == 83
    for a, b in itertools.combinations(boxes, 2):
        assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)


def test_graph_negotiation_redirects_and_errors(client: TestClient) -> None:
    redirect = client.get("/v1/conditions/FPHL/graph?format=svg", follow_redirects=False)
    assert redirect.status_code == 308
    assert redirect.headers["location"] == "/v1/conditions/female-pattern-hair-loss/graph?format=svg"
    assert client.get("/v1/conditions/nope/graph").status_code == 404
    assert client.get("/v1/graph", headers={"Accept": "text/csv"}).status_code == 406
    assert client.get("/v1/graph?format=png").status_code == 406
    first = client.get("/v1/graph?format=svg")
    again = client.get("/v1/graph?format=svg", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert client.get("/v1/graph", headers={"Accept": "image/svg+xml"}).content == first.content


def test_openapi_documents_the_graph(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/v1/graph", "/v1/{kind}/{slug}/graph"):
        content = spec["paths"][path]["get"]["responses"]["200"]["content"]
        assert set(content) == {"application/json", "image/svg+xml"}
        assert "Cytoscape.js" in spec["paths"][path]["get"]["description"] or path != "/v1/graph"
    assert {"Graph", "NodeData", "EdgeData"} <= set(spec["components"]["schemas"])


def test_without_graphviz_the_picture_is_a_503_and_the_json_still_works(
    tiny_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with client_for(tiny_data) as client:
        monkeypatch.setenv("PATH", str(tmp_path))
        response = client.get("/v1/graph?format=svg")
        assert response.status_code == 503 and response.headers["content-type"] == "application/problem+json"
        assert response.json()["type"] == "/problems/picture-unavailable"
        assert "apt-get install graphviz" in response.json()["detail"]
        assert client.get("/v1/graph").status_code == 200

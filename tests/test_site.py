"""The HTML site over HTTP: what every page type holds, its strict CSP, the API's ETag/304/gzip behaviour,
canonical URLs, the navigator without JavaScript, search, the page-not-found page, and the switch that
turns the site off."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.conftest import client_for, every
from tests.system import debian_binary

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
PAGES = [
    "/",
    "/conditions/alopecia-areata",
    "/mechanisms/oncostatin-m-jak-stat5",
    "/interventions/baricitinib",
    "/citations/16",
    "/search?q=patchy+hair+loss",
    "/map",
]


@pytest.fixture(scope="module", autouse=True)
def graphviz() -> None:
    debian_binary("dot", "graphviz")


class Parsed(HTMLParser):
    """The parts of a page these tests look at."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.scripts: list[dict[str, str | None]] = []
        self.script_text: list[str] = []
        self.inline: list[str] = []  # style="" and on*="" attributes
        self.hidden_items = 0
        self._in_script = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"] or "")
        if tag == "a" and attributes.get("href"):
            self.hrefs.append(attributes["href"] or "")
        self.inline += [name for name in attributes if name == "style" or name.startswith("on")]
        if tag == "script":
            self.scripts.append(attributes)
            self._in_script = True
        if tag == "li" and "hidden" in attributes and "data-pattern" in attributes:
            self.hidden_items += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.script_text.append(data)


def _page(client: TestClient, path: str) -> tuple[str, Parsed]:
    response = client.get(path, headers=BROWSER)
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    return response.text, Parsed(response.text)


@pytest.mark.parametrize("path", PAGES)
def test_pages_run_no_inline_code_and_allow_only_their_json_ld(client: TestClient, path: str) -> None:
    response = client.get(path, headers=BROWSER)
    policy = response.headers["content-security-policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "default-src 'none'" in policy and "script-src 'self'" in policy and "style-src 'self'" in policy
    parsed = Parsed(response.text)
    assert parsed.inline == []
    for script in parsed.scripts:
        assert script.get("src") or script.get("type") == "application/ld+json"
    hashes = re.findall(r"'sha256-([^']+)'", policy)
    assert hashes == [base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() for text in parsed.script_text]
    assert all(href.startswith(("/", "#", "https://")) for href in parsed.hrefs), parsed.hrefs


def test_json_ld_in_the_head_is_the_page_s_json_ld(client: TestClient) -> None:
    html, parsed = _page(client, "/conditions/alopecia-areata")
    assert html.index('<script type="application/ld+json">') < html.index("</head>")
    embedded = "".join(parsed.script_text)
    served = client.get("/v1/conditions/alopecia-areata?format=jsonld").json()
    assert embedded.startswith("{") and "</" not in embedded
    assert json.loads(embedded) == served


def test_pages_are_rendered_once_with_etag_304_and_gzip(client: TestClient) -> None:
    path = "/conditions/telogen-effluvium"
    first = client.get(path, headers=BROWSER)
    etag = first.headers["etag"]
    assert first.headers["cache-control"].startswith("public, max-age=")
    assert first.headers["x-dataset-version"]
    again = client.get(path, headers={**BROWSER, "If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    zipped = client.get(path, headers={**BROWSER, "Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip" and zipped.headers["etag"] == etag
    raw = client.get(path, headers={**BROWSER, "Accept-Encoding": "identity"})
    assert zipped.content == raw.content  # httpx decoded it: the same page
    head = client.head(path, headers=BROWSER)
    assert head.status_code == 200 and head.content == b"" and head.headers["etag"] == etag
    assert gzip.compress(raw.content)  # sanity: a body to compress


def test_every_superscript_on_every_page_leads_to_its_reference(client: TestClient) -> None:
    """Sections, treatments, warnings, roles and facets all cite: each number is in the page's list."""
    checked = 0
    for plural in ("conditions", "mechanisms", "interventions"):
        for item in every(client, f"/v1/{plural}"):
            _, parsed = _page(client, f"/{plural}/{item['slug']}")
            anchors = {href[1:] for href in parsed.hrefs if href.startswith("#ref-")}
            assert anchors, item["slug"]
            assert anchors <= parsed.ids, (item["slug"], sorted(anchors - parsed.ids))
            checked += 1
    assert checked == 32 + 15 + 36


def test_condition_page_holds_what_a_reader_needs(client: TestClient) -> None:
    html, parsed = _page(client, "/conditions/alopecia-areata")
    page = client.get("/v1/conditions/alopecia-areata").json()
    for section in page["sections"]:
        assert f'id="section-{section["id"]}"' in html
    assert 'class="badge grade-approved">Approved</span>' in html
    assert "FDA approved 2022" in html
    assert "boxed warning" in html  # baricitinib's serious warnings
    for mechanism in page["mechanisms"]:
        assert f'href="/mechanisms/{mechanism["slug"]}"' in html
    assert "ICD10CM" in html and "L63.9" in html
    assert "Last reviewed" in html and "Not medical advice." in html
    first = page["references"][0]
    assert f'id="ref-{first["number"]}"' in html and first["doi_url"] in html and first["pubmed_url"] in html
    assert first["findings"][0]["text"][:60] in html
    downloads = [h for h in parsed.hrefs if h.startswith("/v1/")]
    for fmt in ("bibtex", "ris", "csl-json"):
        assert f"/v1/conditions/alopecia-areata/references?format={fmt}" in downloads
    for link in downloads:
        assert client.get(link).status_code == 200, link
    assert "<svg" in html and 'id="picture-title"' in html


def test_intervention_and_citation_pages(client: TestClient) -> None:
    html, _ = _page(client, "/interventions/baricitinib")
    for part in ("Regulators' decisions", "Serious warnings", "Pregnancy", "What it is used for", "Olumiant"):
        assert part in html
    html, parsed = _page(client, "/citations/16")
    assert "What the source says" in html and "https://doi.org/" in html
    assert "/conditions/alopecia-areata#ref-16" in parsed.hrefs


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("/conditions/FPHL", "/conditions/female-pattern-hair-loss"),
        ("/conditions/Alopecia-Areata", "/conditions/alopecia-areata"),
        ("/mechanisms/OSM", "/mechanisms/oncostatin-m-jak-stat5"),
        ("/citations/016", "/citations/16"),
    ],
)
def test_other_names_redirect_to_the_canonical_page(client: TestClient, path: str, location: str) -> None:
    response = client.get(path, headers=BROWSER, follow_redirects=False)
    assert response.status_code == 308 and response.headers["location"] == location


@pytest.mark.parametrize(
    ("path", "suggested"),
    [
        ("/conditions/alopecia-aerata", "/conditions/alopecia-areata"),
        ("/interventions/minoxidl", "/interventions/"),
        ("/citations/99999", None),
        ("/citations/abc", None),
        ("/some/telogen-effluvium", "/conditions/telogen-effluvium"),
    ],
)
def test_browsers_get_a_useful_404(client: TestClient, path: str, suggested: str | None) -> None:
    response = client.get(path, headers=BROWSER)
    assert response.status_code == 404
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    assert "Page not found" in response.text and 'action="/search"' in response.text
    if suggested:
        assert "Did you mean" in response.text and f'href="{suggested}' in response.text


@pytest.mark.parametrize(("path", "accept"), [("/no/such/page", "application/json"), ("/v1/nope", BROWSER["Accept"])])
def test_api_clients_keep_problem_json_for_404(client: TestClient, path: str, accept: str) -> None:
    response = client.get(path, headers={"Accept": accept})
    assert response.status_code == 404 and response.headers["content-type"] == "application/problem+json"


def test_the_navigator_works_without_javascript(client: TestClient) -> None:
    _, parsed = _page(client, "/?pattern=patchy&scarring=yes&who=nobody&onset=")
    api = client.get("/v1/conditions", params={"pattern": "patchy", "scarring": "yes"}).json()
    assert 32 - parsed.hidden_items == api["total"] > 0
    html, parsed = _page(client, "/")
    assert parsed.hidden_items == 0 and "All 32 conditions." in html
    for facet in ("pattern", "onset", "scarring", "who"):
        assert f'name="{facet}"' in html
    assert 'value="all"' not in html  # a condition that affects everyone fits any "who"; no box for it


def test_search_page_has_snippets_facets_and_pages(client: TestClient) -> None:
    html, parsed = _page(client, "/search?q=hair+loss")
    assert "<mark>" in html and "results" in html
    assert any(h.startswith("/search?q=hair%20loss&type=citation") for h in parsed.hrefs)
    assert any("page=2" in h for h in parsed.hrefs)
    html, _ = _page(client, "/search?q=hair+loss&type=condition&page=2")
    assert 'aria-current="true">Conditions' in html
    html, _ = _page(client, "/search?q=alopecia+areta")
    assert "Showing results for" in html
    html, _ = _page(client, "/search")
    assert "Type a condition" in html
    html, _ = _page(client, "/search?q=zzzzqqqq")
    assert "Nothing matched" in html


def test_every_page_type_renders_on_tiny_data(tiny_data: Path) -> None:
    with client_for(tiny_data) as client:
        for path in ("/", "/conditions/scarring-alopecia", "/mechanisms/stem-cell-loss", "/interventions/follicor"):
            _page(client, path)
        _page(client, "/map")
        cited = client.get("/v1/citations").json()["items"][0]["number"]
        _page(client, f"/citations/{cited}")


def test_the_site_can_be_switched_off(tiny_data: Path) -> None:
    with client_for(tiny_data, site=False) as client:
        for path in ("/", "/conditions/scarring-alopecia", "/assets/site.css", "/map"):
            response = client.get(path, headers=BROWSER)
            assert response.status_code == 404 and response.headers["content-type"] == "application/problem+json"
        svg = client.get("/v1/graph?format=svg").text
        assert 'href="/v1/conditions/scarring-alopecia"' in svg and 'href="/conditions/' not in svg
    with client_for(tiny_data) as client:
        assert 'href="/conditions/scarring-alopecia"' in client.get("/v1/graph?format=svg").text


def test_assets_are_local_files(client: TestClient) -> None:
    for asset, media in (("site.css", "text/css"), ("site.js", "text/javascript"), ("favicon.svg", "image/svg+xml")):
        response = client.get(f"/assets/{asset}")
        assert response.status_code == 200 and response.headers["content-type"].startswith(media)
    assert "http" not in client.get("/assets/site.css").text

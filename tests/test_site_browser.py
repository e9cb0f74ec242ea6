"""The site in a real browser: Debian's Chromium driven by Playwright against a real server on 127.0.0.1, every
page type at phone and desktop widths — no console errors, no request leaving 127.0.0.1, anchors that resolve,
0 serious or critical axe-core violations, a screenshot of each in artifacts/screenshots — and the keyboard
autocomplete, the navigator, the citation tips and the pictures at work."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, Route, ViewportSize, sync_playwright

from tests.conftest import DATA, ROOT
from tests.live_server import running_server
from tests.system import debian_binary, npm_file

pytestmark = pytest.mark.e2e

ARTIFACTS = ROOT / "artifacts"
# Debian's chromium; Playwright's own browser download cannot work here, so it is never used.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORTS: dict[str, ViewportSize] = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
PAGES = {
    "home": ("/", 200),
    "condition": ("/conditions/alopecia-areata", 200),
    "mechanism": ("/mechanisms/oncostatin-m-jak-stat5", 200),
    "intervention": ("/interventions/baricitinib", 200),
    "citation": ("/citations/16", 200),
    "search": ("/search?q=patchy+hair+loss", 200),
    "map": ("/map", 200),
    "not-found": ("/conditions/alopecia-aerata", 404),
}
SERIOUS = {"serious", "critical"}


@dataclass
class Watched:
    """What a browser context saw: console errors, uncaught exceptions and requests that left 127.0.0.1."""

    errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    debian_binary("dot", "graphviz")
    with running_server(DATA, {"HAIRKB_ACCESS_LOG": "false"}) as (base, _):
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = debian_binary("chromium", "chromium")
    with sync_playwright() as playwright:
        yield _launch(playwright, executable)


def _launch(playwright: Playwright, executable: str) -> Browser:
    # Playwright gives every launch a fresh, temporary user-data directory.
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)


@pytest.fixture(scope="module")
def axe() -> str:
    return npm_file("axe-core/axe.min.js").read_text()


def _context(browser: Browser, viewport: str, watched: Watched) -> BrowserContext:
    phone = viewport == "phone"
    context = browser.new_context(viewport=VIEWPORTS[viewport], is_mobile=phone, has_touch=phone)

    def guard(route: Route) -> None:
        if urlsplit(route.request.url).hostname != "127.0.0.1":
            watched.outside.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", guard)
    return context


def _page(context: BrowserContext, watched: Watched) -> Page:
    page = context.new_page()
    page.on("console", lambda m: watched.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: watched.errors.append(f"uncaught: {e}"))
    return page


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request: pytest.FixtureRequest) -> str:
    value: str = request.param
    return value


@pytest.fixture
def watched() -> Watched:
    return Watched()


@pytest.fixture
def page(browser: Browser, viewport: str, watched: Watched) -> Iterator[Page]:
    context = _context(browser, viewport, watched)
    yield _page(context, watched)
    context.close()
    assert not watched.outside, f"requests left 127.0.0.1: {watched.outside}"
    assert not watched.errors, f"console errors: {watched.errors}"


def _axe(page: Page, axe: str) -> list[dict[str, Any]]:
    page.evaluate(axe)
    violations: list[dict[str, Any]] = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))}))"""
    )
    return violations


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_type_loads_cleanly_and_passes_axe(
    server: str, page: Page, viewport: str, name: str, axe: str, watched: Watched
) -> None:
    path, status = PAGES[name]
    response = page.goto(server + path)
    assert response is not None and response.status == status
    if status == 404:
        # The page itself answers 404 on purpose: Chromium logs that as a failed resource load.
        watched.errors[:] = [e for e in watched.errors if "status of 404" not in e]
    page.wait_for_load_state("networkidle")

    missing = page.evaluate(
        """() => [...document.querySelectorAll('a[href^="#"]')]
            .map(a => a.getAttribute("href").slice(1))
            .filter(id => id && !document.getElementById(id))"""
    )
    assert missing == [], f"anchors without a target: {sorted(set(missing))}"
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[viewport]["width"], (
        "page scrolls sideways"
    )

    shots = ARTIFACTS / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"{name}-{viewport}.png"), full_page=True)

    violations = _axe(page, axe)
    report = ARTIFACTS / "axe"
    report.mkdir(parents=True, exist_ok=True)
    (report / f"{name}-{viewport}.json").write_text(json.dumps(violations, indent=2))
    serious = [v for v in violations if v["impact"] in SERIOUS]
    assert serious == [], json.dumps(serious, indent=2)


def test_reference_superscripts_lead_to_their_reference_and_show_what_it_says(server: str, page: Page) -> None:
    page.goto(server + "/conditions/alopecia-areata")
    links = page.locator("section.prose sup.citation a")
    assert links.count() > 20
    first = links.first
    number = first.inner_text().strip()
    first.focus()
    tip = page.locator("#cite-tip")
    assert tip.is_visible()
    finding = page.locator(f"#ref-{number} .findings li").first.text_content() or ""
    assert finding.strip()[:40] in (tip.text_content() or "")
    assert first.get_attribute("aria-describedby") == "cite-tip"
    page.keyboard.press("Escape")
    assert not tip.is_visible()
    page.keyboard.press("Enter")
    page.wait_for_function(f"location.hash === '#ref-{number}'")
    target = page.locator(f"#ref-{number}")
    assert target.is_visible()
    assert page.evaluate(f"document.querySelector('#ref-{number}').matches(':target')")
    box = target.bounding_box()
    assert box is not None and 0 <= box["y"] < page.viewport_size["height"]  # type: ignore[index]
    assert target.locator("a", has_text="DOI").count() == 1
    assert target.locator("a", has_text="PubMed").count() == 1


def test_autocomplete_works_with_the_keyboard_alone(server: str, page: Page) -> None:
    page.goto(server + "/")
    combobox = page.locator("#q-home")
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "q-home":
            break
    else:
        pytest.fail("the search box cannot be reached with Tab")
    page.keyboard.type("frontal fib")
    listbox = page.locator("#q-home-list")
    listbox.wait_for(state="visible")
    assert combobox.get_attribute("aria-expanded") == "true"
    options = listbox.locator("[role=option]")
    assert "Frontal fibrosing alopecia" in options.first.inner_text()
    page.keyboard.press("ArrowDown")
    active = combobox.get_attribute("aria-activedescendant")
    assert active == options.first.get_attribute("id")
    assert options.first.get_attribute("aria-selected") == "true"
    page.keyboard.press("Escape")
    assert combobox.get_attribute("aria-expanded") == "false" and not listbox.is_visible()
    page.keyboard.press("ArrowDown")  # opens the list again
    listbox.wait_for(state="visible")
    page.keyboard.press("ArrowDown")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == server + "/conditions/frontal-fibrosing-alopecia"
    assert page.locator("h1").inner_text() == "Frontal fibrosing alopecia"


def test_enter_without_a_suggestion_searches(server: str, page: Page) -> None:
    page.goto(server + "/conditions/telogen-effluvium")
    page.locator("#q-top").focus()
    page.keyboard.type("shedding after childbirth")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/search?q=shedding+after+childbirth" in page.url
    assert page.locator("ol.hits li").count() > 0
    assert page.locator("ol.hits mark").count() > 0


def _visible_conditions(page: Page) -> int:
    count: int = page.evaluate("document.querySelectorAll('.condition-list li:not([hidden])').length")
    return count


def test_the_navigator_narrows_the_list_as_the_api_does(server: str, page: Page) -> None:
    page.goto(server + "/")
    everything = _visible_conditions(page)
    assert everything == 32
    page.get_by_role("checkbox", name="Patchy").check()
    patchy = _visible_conditions(page)
    page.get_by_role("group", name="Scarring").get_by_role("checkbox", name="Yes").check()
    narrower = _visible_conditions(page)
    api = httpx.get(f"{server}/v1/conditions", params={"pattern": "patchy", "scarring": "yes", "limit": 100}).json()
    assert 0 < narrower < patchy < everything
    assert narrower == api["total"]
    assert page.locator("#navigator-status").inner_text() == f"{narrower} of 32 conditions match."
    visible = page.locator(".condition-list li:not([hidden]) a").all_inner_texts()
    assert sorted(visible) == sorted(item["name"] for item in api["items"])
    assert "pattern=patchy" in page.url and "scarring=yes" in page.url
    # The same URL rendered by the server (no JavaScript needed) shows the same list.
    page.reload()
    assert _visible_conditions(page) == narrower
    assert page.get_by_role("checkbox", name="Patchy").is_checked()


def test_pictures_render_as_svg_with_text(server: str, page: Page, viewport: str) -> None:
    page.goto(server + "/conditions/alopecia-areata")
    picture = page.locator(".picture-frame svg")
    picture.scroll_into_view_if_needed()
    box = picture.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 200
    texts = picture.locator("text").all_text_contents()
    assert "Alopecia areata" in texts and "Baricitinib" in texts and "approved" in texts
    assert picture.locator("title#picture-title").text_content() == "Alopecia areata: mechanisms and treatments"
    with page.expect_navigation():
        picture.locator("a", has_text="Baricitinib").click()
    assert page.url == server + "/interventions/baricitinib"

    page.set_viewport_size({"width": 1100, "height": 2700})
    response = page.goto(server + "/v1/graph?format=svg")
    assert response is not None and response.headers["content-type"] == "image/svg+xml"
    assert page.evaluate("document.documentElement.tagName") == "svg"
    size = page.evaluate("(() => { const b = document.documentElement.getBBox(); return [b.width, b.height]; })()")
    assert size[0] > 500 and size[1] > 1000
    ARTIFACTS.joinpath("screenshots").mkdir(parents=True, exist_ok=True)
    # A viewport-sized shot: Chromium cannot take a full-page one of an SVG document.
    page.screenshot(path=str(ARTIFACTS / "screenshots" / f"picture-whole-graph-{viewport}.png"))


def test_cytoscape_loads_the_graph_json_as_is(server: str, page: Page) -> None:
    page.goto(server + "/map")
    page.evaluate(npm_file("cytoscape/dist/cytoscape.min.js").read_text())
    counts = page.evaluate(
        """async () => {
            const body = await (await fetch("/v1/conditions/alopecia-areata/graph")).json();
            const whole = await (await fetch("/v1/graph")).json();
            const cy = cytoscape({headless: true, elements: body.elements});
            const again = cytoscape({headless: true});
            again.json(whole);
            return {nodes: cy.nodes().length, edges: cy.edges().length,
                    focus: cy.nodes("[?focus]").map(n => n.id()), graded: cy.edges("[grade = 'approved']").length,
                    whole: [again.nodes().length, again.edges().length],
                    sent: [body.elements.nodes.length, body.elements.edges.length]};
        }"""
    )
    assert counts["focus"] == ["condition:alopecia-areata"]
    assert [counts["nodes"], counts["edges"]] == counts["sent"] and counts["edges"] > 10
    assert counts["graded"] >= 3
    assert counts["whole"][0] == 83 and counts["whole"][1] > 100


def test_a_page_never_runs_inline_code(server: str, page: Page, watched: Watched) -> None:
    """The CSP holds: an inline script the page did not ship is refused, and says so in the console."""
    page.goto(server + "/conditions/telogen-effluvium")
    page.evaluate(
        """() => { const s = document.createElement("script"); s.textContent = "window.injected = true";
                   document.head.appendChild(s); }"""
    )
    assert page.evaluate("window.injected === undefined")
    refused = [e for e in watched.errors if "Content Security Policy" in e]
    assert refused
    watched.errors[:] = [e for e in watched.errors if e not in refused]


def test_screenshots_were_written_for_every_page_type_at_both_widths() -> None:
    """Runs after the page tests (file order): a reviewer finds every page type in artifacts/screenshots."""
    shots = {p.stem for p in (ARTIFACTS / "screenshots").glob("*.png")}
    expected = {f"{name}-{viewport}" for name in PAGES for viewport in VIEWPORTS}
    assert expected <= shots, sorted(expected - shots)

"""What a partner developer does first: generate a typed Python client from the live /openapi.json with
openapi-python-client, then call every operation through it (every format, a 304 and a 308 included) and get
typed values back, never a parse error."""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import DATA
from tests.live_server import running_server

PACKAGE = "hairkb_client"
# Each operation, the arguments it is called with, and what its 200 parses to: a model of the client (by
# name), `str` for text formats (`svg`: a picture's text), or a list of CSL items.
CALLS: list[tuple[str, str, dict[str, Any], str]] = [
    ("conditions", "list_conditions", {}, "ConditionList"),
    ("conditions", "get_condition", {"slug": "alopecia-areata"}, "ConditionPage"),
    ("conditions", "get_condition_jsonld", {"slug": "alopecia-areata"}, "PageDocument"),
    ("mechanisms", "list_mechanisms", {}, "PageMechanismSummary"),
    ("mechanisms", "get_mechanism", {"slug": "wnt-signaling"}, "MechanismPage"),
    ("mechanisms", "get_mechanism_jsonld", {"slug": "wnt-signaling"}, "PageDocument"),
    ("interventions", "list_interventions", {"condition": "FPHL"}, "PageInterventionSummary"),
    ("interventions", "get_intervention", {"slug": "baricitinib"}, "InterventionPage"),
    ("interventions", "get_intervention_jsonld", {"slug": "baricitinib"}, "PageDocument"),
    ("citations", "list_citations", {}, "PageReference"),
    ("citations", "get_citation", {"number": 3}, "CitationPage"),
    ("citations", "get_citation_jsonld", {"number": 3}, "ArticleDocument"),
    ("citations", "get_citation_bibtex", {"number": 3}, "str"),
    ("citations", "get_citation_ris", {"number": 3}, "str"),
    ("citations", "get_citation_csl_json", {"number": 33}, "list[CslItem]"),
    ("citations", "get_citation_text", {"number": 3}, "str"),
    ("citations", "get_references", {"kind": "conditions", "slug": "alopecia-areata"}, "ReferenceList"),
    ("citations", "get_references_bibtex", {"kind": "conditions", "slug": "alopecia-areata"}, "str"),
    ("citations", "get_references_ris", {"kind": "mechanisms", "slug": "wnt-signaling"}, "str"),
    ("citations", "get_references_csl_json", {"kind": "interventions", "slug": "baricitinib"}, "list[CslItem]"),
    ("citations", "get_references_text", {"kind": "conditions", "slug": "telogen-effluvium"}, "str"),
    ("search", "search", {"q": "shedding after childbirth"}, "SearchResponse"),
    ("search", "suggest", {"q": "fro"}, "SuggestResponse"),
    ("meta", "get_meta", {}, "Meta"),
    ("meta", "get_health", {}, "Health"),
    ("meta", "get_readiness", {}, "Readiness"),
    ("graph", "get_graph", {}, "Graph"),
    ("graph", "get_graph_svg", {}, "svg"),
    ("graph", "get_page_graph", {"kind": "conditions", "slug": "alopecia-areata"}, "Graph"),
    ("graph", "get_page_graph_svg", {"kind": "interventions", "slug": "finasteride"}, "svg"),
    ("export", "get_export", {}, "Export"),
    ("export", "get_export_ndjson", {}, "str"),
    ("export", "get_changes", {"since": None}, "Changes"),  # since: the version served, filled in below
]


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with running_server(DATA, {"HAIRKB_ACCESS_LOG": "false"}) as (base, _):
        yield base


@pytest.fixture(scope="module")
def generated(server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The client openapi-python-client generates from the live document (it must do so without a warning)."""
    where = tmp_path_factory.mktemp("generated")
    with httpx.Client() as http:
        (where / "openapi.json").write_bytes(http.get(f"{server}/openapi.json").content)
    bindir = Path(sys.executable).parent
    result = subprocess.run(
        [str(bindir / "openapi-python-client"), "generate", "--path", "openapi.json", "--meta", "none"],
        cwd=where,
        capture_output=True,
        text=True,
        env={"PATH": str(bindir), "HOME": str(where)},
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stdout + result.stderr, result.stdout + result.stderr
    sys.path.insert(0, str(where))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(where))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


def _operation(tag: str, name: str) -> Any:
    return importlib.import_module(f"{PACKAGE}.api.{tag}.{name}")


def _arguments(client_package: Any, arguments: dict[str, Any], version: str) -> dict[str, Any]:
    models = importlib.import_module(f"{PACKAGE}.models")
    out = dict(arguments)
    if "kind" in out:
        out["kind"] = models.PageKind(out["kind"])
    if "since" in out:
        out["since"] = version
    return out


def _is(parsed: Any, expected: str, models: Any) -> bool:
    if expected == "str":
        return isinstance(parsed, str) and bool(parsed)
    if expected == "svg":
        return isinstance(parsed, str) and parsed.startswith("<svg") and parsed.rstrip().endswith("</svg>")
    if expected == "list[CslItem]":
        return isinstance(parsed, list) and bool(parsed) and all(isinstance(i, models.CslItem) for i in parsed)
    return isinstance(parsed, getattr(models, expected))


def test_every_operation_through_the_generated_client(server: str, generated: Any) -> None:
    with httpx.Client(base_url=server) as http:
        spec = http.get("/openapi.json").json()
        version = http.get("/v1/meta").json()["dataset_version"]
    operations = {op["operationId"] for item in spec["paths"].values() for op in item.values()}
    assert {name for _, name, _, _ in CALLS} == operations  # a new operation must be called here too
    models = importlib.import_module(f"{PACKAGE}.models")
    with generated.Client(base_url=server) as client:
        for tag, name, arguments, expected in CALLS:
            response = _operation(tag, name).sync_detailed(client=client, **_arguments(generated, arguments, version))
            assert response.status_code == 200, (name, response.content[:300])
            assert _is(response.parsed, expected, models), (name, type(response.parsed))


def test_formats_conditional_requests_redirects_and_problems_are_typed(server: str, generated: Any) -> None:
    models = importlib.import_module(f"{PACKAGE}.models")
    get_condition = _operation("conditions", "get_condition")
    get_citation = _operation("citations", "get_citation")
    with generated.Client(base_url=server) as client:
        # ?format= still works where its representation is JSON
        as_json = get_citation.sync_detailed(client=client, number=3, format_=models.CitationFormat.JSON)
        assert isinstance(as_json.parsed, models.CitationPage) and as_json.parsed.number == 3
        # 308: another name of a page; the body says where, as Location does
        moved = get_condition.sync_detailed(client=client, slug="FPHL")
        assert moved.status_code == 308 and isinstance(moved.parsed, models.Moved)
        assert moved.parsed.location == moved.headers["location"] == "/v1/conditions/female-pattern-hair-loss"
        first = get_condition.sync_detailed(client=client, slug="female-pattern-hair-loss")
        # problems parse as Problem, whatever the status
        missing = get_condition.sync_detailed(client=client, slug="no-such-condition")
        assert missing.status_code == 404 and isinstance(missing.parsed, models.Problem)
        invalid = _operation("conditions", "list_conditions").sync_detailed(client=client, limit=500)
        assert invalid.status_code == 422 and isinstance(invalid.parsed, models.Problem)
        assert invalid.parsed.errors[0].name == "limit"
    # 304: revalidation with the ETag just received
    with generated.Client(base_url=server, headers={"If-None-Match": first.headers["etag"]}) as revalidating:
        again = get_condition.sync_detailed(client=revalidating, slug="female-pattern-hair-loss")
        assert again.status_code == 304 and again.parsed is None
    with generated.Client(base_url=server, headers={"Accept": "text/csv"}) as picky:
        refused = get_condition.sync_detailed(client=picky, slug="telogen-effluvium")
        assert refused.status_code == 406 and isinstance(refused.parsed, models.Problem)
    with generated.Client(base_url=server, follow_redirects=True) as following:
        page = get_condition.sync(client=following, slug="FPHL")
        assert isinstance(page, models.ConditionPage) and page.slug == "female-pattern-hair-loss"

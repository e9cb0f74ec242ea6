"""Search and suggest answered by the request layer's shortcuts are the framework's answers to the byte, and
whatever the shortcuts decline (invalid parameters, negotiation) still gets the framework's answer."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.conftest import DATA, client_for

REQUESTS = [
    ("/v1/search?q=alopecia", {}),
    ("/v1/search?q=hair+loss&limit=3&offset=2", {}),
    ("/v1/search?q=minoxidil&type=intervention", {}),
    ("/v1/search?q=fphl&type=condition&limit=50&offset=1000", {}),
    ("/v1/search?q=telogen+efluvium", {"Accept-Encoding": "gzip"}),
    ("/v1/search?q=areata", {"Origin": "https://example.org", "Accept": "application/json"}),
    ("/v1/search?q=areata", {"Accept": "text/html"}),
    ("/v1/search?q=areata", {"If-None-Match": "*"}),
    ("/v1/search?q=areata", {"If-None-Match": '"0123456789abcdef0123456789abcdef-gzip"'}),
    ("/v1/search?q=hair+thinning", {"Accept-Encoding": "identity"}),
    ("/v1/search?q=hair+thinning", {"Accept-Encoding": "gzip;q=0"}),
    ("/v1/search?q=hair+thinning", {"Accept-Encoding": "*"}),
    ("/v1/search?q=hair+thinning", {"Accept-Encoding": "x-gzip"}),
    ("/v1/search?q=a&q=frontal", {}),
    ("/v1/search?q=%22+NEAR(+*+AND", {}),
    ("/v1/search?q=", {}),
    ("/v1/search?limit=5", {}),
    ("/v1/search?q=hair&limit=51", {}),
    ("/v1/search?q=hair&limit=010", {}),
    ("/v1/search?q=hair&offset=1001", {}),
    ("/v1/search?q=hair&offset=-1", {}),
    ("/v1/search?q=hair&type=", {}),
    ("/v1/search?q=hair&type=bogus", {}),
    ("/v1/search?q=" + "x" * 257, {}),
    ("/v1/suggest?q=fro", {}),
    ("/v1/suggest?q=Fro", {"Accept-Encoding": "gzip, br", "Origin": "https://example.org"}),
    ("/v1/suggest?q=%C3%BC", {}),
    ("/v1/suggest?q=", {}),
    ("/v1/suggest", {}),
    ("/v1/suggest?q=" + "x" * 101, {}),
    ("/v1/suggest?q=al", {"Accept": "application/xml"}),
]


@pytest.fixture(scope="module")
def clients() -> Iterator[tuple[TestClient, TestClient]]:
    with client_for(DATA, access_log=False) as fast, client_for(DATA, access_log=False, shortcuts=False) as framework:
        yield fast, framework


@pytest.mark.parametrize("method", ["GET", "HEAD"])
@pytest.mark.parametrize(("url", "headers"), REQUESTS)
def test_shortcut_answers_as_the_framework_does(
    clients: tuple[TestClient, TestClient], method: str, url: str, headers: dict[str, str]
) -> None:
    fast, framework = clients
    ours, theirs = fast.request(method, url, headers=headers), framework.request(method, url, headers=headers)
    assert ours.status_code == theirs.status_code
    assert [h for h in ours.headers.multi_items() if h[0] != "x-request-id"] == [
        h for h in theirs.headers.multi_items() if h[0] != "x-request-id"
    ]
    assert ours.content == theirs.content

"""HTTP behaviour shared by every endpoint: ETags, 304, HEAD, CORS, gzip, headers and one error shape."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings

GET_PATHS = [
    "/v1/conditions",
    "/v1/conditions/telogen-effluvium",
    "/v1/mechanisms",
    "/v1/mechanisms/wnt-signaling",
    "/v1/citations",
    "/v1/citations/3",
    "/v1/meta",
]
PROBLEM_KEYS = {"type", "title", "status", "detail", "instance"}


@pytest.mark.parametrize("path", GET_PATHS)
def test_strong_etag_and_304(client: TestClient, path: str) -> None:
    first = client.get(path)
    etag = first.headers["etag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert first.headers["cache-control"] == "public, max-age=300"
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    assert client.get(path, headers={"If-None-Match": f'"nope", W/{etag}'}).status_code == 304
    assert client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200
    assert client.get(path, headers={"If-None-Match": "*"}).status_code == 304


def test_etag_follows_content(client: TestClient) -> None:
    a = client.get("/v1/conditions/telogen-effluvium").headers["etag"]
    b = client.get("/v1/conditions/alopecia-areata").headers["etag"]
    assert a != b
    assert client.get("/v1/conditions/telogen-effluvium").headers["etag"] == a


@pytest.mark.parametrize("value", ["garbage", '"unterminated', "W/", ",,,", "x" * 2000])
def test_odd_if_none_match_is_just_a_miss(client: TestClient, value: str) -> None:
    assert client.get("/v1/meta", headers={"If-None-Match": value}).status_code == 200


@pytest.mark.parametrize(
    "path", [*GET_PATHS, "/healthz", "/readyz", "/openapi.json", "/docs", "/v1/citations/3/bibtex"]
)
def test_head_on_every_get(client: TestClient, path: str) -> None:
    get = client.get(path)
    head = client.head(path)
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-length"] == get.headers["content-length"]
    assert head.headers.get("etag") == get.headers.get("etag")


def test_cache_max_age_is_configurable(tiny_data: Path) -> None:
    with TestClient(create_app(Settings(data_dir=tiny_data, cache_max_age=42))) as client:
        assert client.get("/v1/conditions").headers["cache-control"] == "public, max-age=42"


def test_cors_simple_request_and_preflight(client: TestClient) -> None:
    simple = client.get("/v1/conditions", headers={"Origin": "https://clinic.example"})
    assert simple.headers["access-control-allow-origin"] == "*"
    exposed = {h.strip().lower() for h in simple.headers["access-control-expose-headers"].split(",")}
    assert {"etag", "link"} <= exposed
    preflight = client.options(
        "/v1/conditions",
        headers={
            "Origin": "https://clinic.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "If-None-Match",
        },
    )
    assert preflight.status_code == 200
    assert "GET" in preflight.headers["access-control-allow-methods"]


def test_cors_origins_are_configurable(tiny_data: Path) -> None:
    app = create_app(Settings(data_dir=tiny_data, cors_origins=["https://ok.example"]))
    with TestClient(app) as client:
        allowed = client.get("/v1/meta", headers={"Origin": "https://ok.example"})
        assert allowed.headers["access-control-allow-origin"] == "https://ok.example"
        denied = client.get("/v1/meta", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in denied.headers


def test_gzip_for_large_bodies_only(client: TestClient) -> None:
    path = "/v1/conditions/telogen-effluvium"
    plain = client.get(path, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    with client.stream("GET", path, headers={"Accept-Encoding": "gzip"}) as big:
        wire = b"".join(big.iter_raw())  # the bytes as sent, before the client decodes them
    assert big.headers["content-encoding"] == "gzip"
    assert int(big.headers["content-length"]) == len(wire) < len(plain.content)
    assert gzip.decompress(wire) == plain.content
    small = client.get("/healthz", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in small.headers


def test_security_and_request_id_headers(client: TestClient) -> None:
    response = client.get("/v1/meta")
    assert response.headers["x-content-type-options"] == "nosniff"
    generated = response.headers["x-request-id"]
    assert len(generated) == 32 and generated != client.get("/v1/meta").headers["x-request-id"]
    echoed = client.get("/v1/meta", headers={"X-Request-ID": "abc-123"})
    assert echoed.headers["x-request-id"] == "abc-123"
    unsafe = client.get("/v1/meta", headers={"X-Request-ID": "bad id\twith spaces"})
    assert unsafe.headers["x-request-id"] != "bad id\twith spaces"
    assert client.get("/nope").headers["x-request-id"]


def _problem_app(tiny_data: Path) -> TestClient:
    app = create_app(Settings(data_dir=tiny_data))

    async def fail() -> None:
        raise RuntimeError("secret internal detail")

    app.add_api_route("/v1/test-failure", fail)
    return TestClient(app, raise_server_exceptions=False)


@pytest.mark.parametrize(
    ("method", "path", "status", "kind"),
    [
        ("GET", "/v1/conditions/unknown-thing", 404, "not-found"),
        ("GET", "/no/such/path", 404, "not-found"),
        ("DELETE", "/v1/conditions/scarring-alopecia", 405, "method-not-allowed"),
        ("POST", "/v1/conditions", 405, "method-not-allowed"),
        ("GET", "/v1/conditions?limit=0", 422, "invalid-parameter"),
        ("GET", "/v1/citations/not-a-number", 422, "invalid-parameter"),
        ("GET", "/v1/conditions?category=" + "x" * 5000, 414, "uri-too-long"),
        ("GET", "/v1/test-failure", 500, "internal-error"),
    ],
)
def test_every_error_has_the_problem_shape(tiny_data: Path, method: str, path: str, status: int, kind: str) -> None:
    with _problem_app(tiny_data) as client:
        response = client.request(method, path)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert set(body) >= PROBLEM_KEYS
    assert body["status"] == status and body["type"] == f"/problems/{kind}"
    assert body["instance"] == path.split("?")[0][:200]
    assert ("errors" in body) == (status == 422)
    assert "Traceback" not in response.text and "secret internal detail" not in response.text
    assert response.headers["x-request-id"]


def test_405_lists_allowed_methods(client: TestClient) -> None:
    response = client.post("/v1/meta")
    assert response.headers["allow"] == "GET, HEAD"


def test_problem_types_are_documented(client: TestClient) -> None:
    kind = client.get("/v1/conditions/nope").json()["type"]
    doc = client.get(kind)
    assert doc.status_code == 200 and doc.json()["description"]
    assert client.get("/problems/unknown").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/v1/conditions/..%2F..%2Fetc%2Fpasswd",
        "/v1/conditions/%00",
        "/v1/conditions/" + "a" * 300,
        "/v1/mechanisms/%F0%9F%92%A9",
        "/v1/citations/99999999999999999999",
        "/v1/conditions/%ZZ",
    ],
)
def test_hostile_paths_get_clean_4xx(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert 400 <= response.status_code < 500
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Accept-Encoding": "gzip"},
        {"Origin": "https://a.example"},
        {"If-None-Match": "*"},
        {"Origin": "https://b.example", "Accept-Encoding": "gzip, br"},
    ],
)
def test_replayed_response_equals_the_first(tiny_client: TestClient, headers: dict[str, str]) -> None:
    def strip(response: object) -> tuple[int, list[tuple[str, str]], bytes]:
        kept = [(k, v) for k, v in response.headers.multi_items() if k != "x-request-id"]  # type: ignore[attr-defined]
        return response.status_code, kept, response.content  # type: ignore[attr-defined]

    first = tiny_client.get("/v1/conditions/scarring-alopecia", headers=headers)
    replay = tiny_client.app.state.runtime.generation.replay  # type: ignore[attr-defined]
    cached_before = len(replay)
    again = tiny_client.get("/v1/conditions/scarring-alopecia", headers=headers)

    assert len(replay) == cached_before  # the second one came from the cache
    assert strip(again) == strip(first)
    assert again.headers["x-request-id"] != first.headers["x-request-id"]


def test_cache_keeps_variants_apart(tiny_client: TestClient) -> None:
    plain = tiny_client.get("/v1/conditions", headers={"Accept-Encoding": "identity"})
    zipped = tiny_client.get("/v1/conditions", headers={"Accept-Encoding": "gzip"})
    cors = tiny_client.get("/v1/conditions", headers={"Origin": "https://x.example", "Accept-Encoding": "identity"})
    head = tiny_client.head("/v1/conditions", headers={"Accept-Encoding": "identity"})
    assert "access-control-allow-origin" not in plain.headers
    assert cors.headers["access-control-allow-origin"] == "*"
    assert plain.json() == zipped.json() == cors.json()
    assert head.content == b"" and head.headers["content-length"] == plain.headers["content-length"]
    other_page = tiny_client.get("/v1/conditions?limit=1", headers={"Accept-Encoding": "identity"})
    assert other_page.json()["items"] != plain.json()["items"]


def test_errors_are_not_cached(tiny_client: TestClient) -> None:
    replay = tiny_client.app.state.runtime.generation.replay  # type: ignore[attr-defined]
    before = len(replay)
    assert tiny_client.get("/v1/conditions/nope").status_code == 404
    assert tiny_client.get("/v1/conditions?limit=0").status_code == 422
    assert len(replay) == before


@pytest.mark.parametrize(
    ("accept", "status"),
    [
        (None, 200),
        ("application/json", 200),
        ("*/*", 200),
        ("application/*;q=0.5", 200),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", 200),
        ("text/html", 406),
        ("application/xml", 406),
        ("application/json;q=0", 406),
        ("image/png, text/plain", 406),
        (";;;,,", 406),
    ],
)
def test_accept_negotiation(client: TestClient, accept: str | None, status: int) -> None:
    headers = {"Accept": accept} if accept is not None else {}
    response = client.get("/v1/conditions/telogen-effluvium", headers=headers)
    assert response.status_code == status
    if status == 406:
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["type"] == "/problems/not-acceptable"


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("/v1/conditions/", "/v1/conditions"),
        ("/v1/conditions/?limit=2&offset=1", "/v1/conditions?limit=2&offset=1"),
        ("/v1/conditions/telogen-effluvium/", "/v1/conditions/telogen-effluvium"),
        ("/static", "/static/"),
    ],
)
def test_the_other_spelling_of_a_path_redirects_relatively(client: TestClient, path: str, location: str) -> None:
    """Never to the Host header's host (it answered `Location: http://evil.com/v1/conditions`)."""
    response = client.get(path, headers={"Host": "evil.com"}, follow_redirects=False)
    assert response.status_code == 308 and response.headers["location"] == location


@pytest.mark.parametrize("path", ["//evil.com/", "//evil.com", "/nothing/here/"])
def test_no_redirect_leaves_the_site(client: TestClient, path: str) -> None:
    # The base URL spelled out, so that `//evil.com/` is sent as a path, not read as another host's root.
    response = client.get(f"http://testserver{path}", follow_redirects=False)
    assert response.status_code == 404 and response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("accept_encoding", "gzipped"),
    [
        ("gzip", True),
        ("x-gzip", True),  # RFC 9110 8.4.1.3: the same coding as gzip
        ("gzip;q=0", False),
        ("GZIP; q=0.5", True),
        ("identity, gzip;q=0", False),
        ("*", True),
        ("gzip;q=0, *", False),
        ("br", False),
        ("gzip;q=bogus", False),
    ],
)
def test_gzip_follows_accept_encoding_q_values(client: TestClient, accept_encoding: str, gzipped: bool) -> None:
    path = "/v1/conditions/telogen-effluvium"
    for _ in range(2):  # the second answer is replayed from the cache, which must keep the variants apart
        with client.stream("GET", path, headers={"Accept-Encoding": accept_encoding}) as response:
            response.read()
        assert (response.headers.get("content-encoding") == "gzip") is gzipped


@pytest.mark.parametrize(
    ("method", "path", "headers", "status", "kind"),
    [
        (
            "OPTIONS",
            "/v1/meta",
            {"Origin": "https://a.example", "Access-Control-Request-Method": "DELETE"},
            400,
            "bad-request",
        ),
        ("GET", "/static/swagger-ui.css", {"Range": "bytes=999999999-"}, 416, "range-not-satisfiable"),
        ("GET", "/static/swagger-ui.css", {"Range": "garbage"}, 400, "bad-request"),
    ],
)
def test_errors_starlette_answers_itself_are_problems_too(
    client: TestClient, method: str, path: str, headers: dict[str, str], status: int, kind: str
) -> None:
    response = client.request(method, path, headers=headers)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == f"/problems/{kind}" and response.json()["detail"]
    assert response.headers["x-request-id"]


@pytest.mark.parametrize("path", ["/static/", "/static/swagger-ui.css", "/v1/meta", "/v1/conditions/telogen-effluvium"])
@pytest.mark.parametrize("method", ["POST", "DELETE", "PATCH"])
def test_allow_names_each_method_once(client: TestClient, method: str, path: str) -> None:
    response = client.request(method, path)
    assert response.status_code == 405
    methods = [m.strip() for m in response.headers["allow"].split(",")]
    assert sorted(methods) == ["GET", "HEAD"]


@pytest.mark.parametrize("date", ["2026-13-45", "2026-02-30", "0000-00-00", "2026-1-1", "0"])
def test_impossible_dates_are_a_422(client: TestClient, date: str) -> None:
    response = client.get("/v1/conditions", params={"updated_since": date})
    assert response.status_code == 422 and response.json()["errors"][0]["name"] == "updated_since"


def test_gzip_and_identity_bodies_have_their_own_strong_etags(client: TestClient) -> None:
    """RFC 9110: a gzip-coded body is another representation, so it has another validator; revalidating
    either gets a 304 with that same tag, and the 304 says what the response varies on."""
    path = "/v1/conditions/telogen-effluvium"
    plain = client.get(path, headers={"Accept-Encoding": "identity"})
    zipped = client.get(path, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip" and "content-encoding" not in plain.headers
    assert zipped.headers["etag"] == plain.headers["etag"][:-1] + '-gzip"'
    for etag, coding in ((zipped.headers["etag"], "gzip"), (plain.headers["etag"], "identity")):
        again = client.get(path, headers={"Accept-Encoding": coding, "If-None-Match": etag})
        assert again.status_code == 304 and again.headers["etag"] == etag
        assert {v.strip() for v in again.headers["vary"].split(",")} >= {"Accept", "Accept-Encoding"}
    weak = client.get(path, headers={"Accept-Encoding": "gzip", "If-None-Match": f"W/{zipped.headers['etag']}"})
    assert weak.status_code == 304
    small = client.get("/healthz", headers={"Accept-Encoding": "gzip"})
    assert not small.headers["etag"].endswith('-gzip"')  # under 1 KB: never compressed

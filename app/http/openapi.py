"""The OpenAPI document: what each route declares (`documented`: its statuses, headers and alternative
representations), completed in one place with what every operation shares (servers, licence, security,
the response headers, and an example for every non-JSON representation)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from app.http.errors import PROBLEM_MEDIA_TYPE
from app.http.negotiation import BIBTEX, CSL_JSON, JSONLD, NDJSON, PLAIN_TEXT, RIS, SVG, TEXT, Format
from app.models.csl import CslItem
from app.models.linked import ArticleDocument, PageDocument
from app.models.record import CitationRecord, Finding
from app.models.response import Moved, Problem
from app.models.vocabulary import Organism, PublicationType
from app.readmodel import bibliography

Responses = dict[int | str, dict[str, Any]]

HEADERS: dict[str, dict[str, Any]] = {
    "ETag": {
        "description": "Strong validator of this representation; a gzip-coded body has its own (the identity "
        "tag with `-gzip`). Send it back in `If-None-Match` to get a 304 while it is current.",
        "schema": {"type": "string"},
        "example": '"6f0d6c3b8e4a2f1d9c7b5a3e1f0d2c4b"',
    },
    "Cache-Control": {
        "description": "`public, max-age=N` for the data (N is HAIRKB_CACHE_MAX_AGE); `no-cache` for probes "
        "and metrics, which answer for one server.",
        "schema": {"type": "string"},
        "example": "public, max-age=300",
    },
    "X-Dataset-Version": {
        "description": "The data version this response came from (a content hash; `/v1/meta` has the one served).",
        "schema": {"type": "string", "pattern": "^[0-9a-f]{16}$"},
        "example": "60ea4ac898cee249",
    },
    "X-Request-ID": {
        "description": "Identifies the request in the server's logs; a client's own id (1–128 of `A-Za-z0-9._:-`) "
        "is echoed.",
        "schema": {"type": "string"},
        "example": "4bf92f3577b34da6a3ce929d0e0e4736",
    },
    "Vary": {
        "description": "Request headers the representation depends on.",
        "schema": {"type": "string"},
        "example": "Accept, Accept-Encoding",
    },
    "Link": {
        "description": "RFC 8288 links to the `first`, `next` and `prev` pages of the same query.",
        "schema": {"type": "string"},
        "example": '</v1/conditions?limit=20&offset=0>; rel="first", </v1/conditions?limit=20&offset=20>; rel="next"',
    },
    "Location": {
        "description": "The canonical URL, query string kept.",
        "schema": {"type": "string"},
        "example": "/v1/conditions/female-pattern-hair-loss",
    },
    "Retry-After": {
        "description": "Seconds to wait before trying again (a 503 while the database cannot be reached).",
        "schema": {"type": "integer"},
        "example": 5,
    },
    "Allow": {
        "description": "The methods this path answers.",
        "schema": {"type": "string"},
        "example": "GET, HEAD",
    },
}


def _headers(*names: str) -> dict[str, Any]:
    return {name: {"$ref": f"#/components/headers/{name}"} for name in names}


def _problem(
    status: int, description: str, kind: str, detail: str, instance: str, *, headers: Sequence[str] = (), **extra: Any
) -> dict[str, Any]:
    example = Problem(
        type=f"/problems/{kind}", title=HTTPStatus(status).phrase, status=status, detail=detail, instance=instance
    ).model_dump(exclude_none=True, by_alias=True)
    example.update(extra)
    return {
        "description": description,
        "headers": _headers("X-Request-ID", *(["Allow"] if status == 405 else []), *headers),
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}, "example": example}},
    }


PROBLEMS: dict[int, dict[str, Any]] = {
    404: _problem(
        404,
        "Not found: no such slug or number (list endpoints and `/v1/search` show the valid ones).",
        "not-found",
        "No condition 'x'. GET /v1/conditions lists them; /v1/search finds them by name.",
        "/v1/conditions/x",
    ),
    405: _problem(
        405,
        "Method not allowed: the API is read-only. Any method but GET and HEAD (and a CORS preflight OPTIONS) "
        "gets this on every path, with `Allow`.",
        "method-not-allowed",
        "POST is not allowed on /v1/conditions.",
        "/v1/conditions",
    ),
    406: _problem(
        406,
        "Not acceptable: no representation offered here fits the Accept header; `detail` lists the offered ones.",
        "not-acceptable",
        "Supported here: application/json (?format=json), application/ld+json (?format=jsonld).",
        "/v1/conditions/alopecia-areata",
    ),
    414: _problem(
        414,
        "URI too long: the path and query exceed 4 KB.",
        "uri-too-long",
        "The request target is 5000 bytes; the limit is 4096.",
        "/v1/conditions",
    ),
    422: _problem(
        422,
        "Invalid parameter: `errors` names each one and what is wrong with it.",
        "invalid-parameter",
        "Invalid parameter(s): limit.",
        "/v1/conditions",
        errors=[
            {"in": "query", "name": "limit", "message": "Input should be less than or equal to 100", "input": "500"}
        ],
    ),
    431: _problem(
        431,
        "Request header fields too large: the headers exceed 16 KB.",
        "headers-too-large",
        "The request headers are 20000 bytes; the limit is 16384.",
        "/v1/conditions",
    ),
    503: _problem(
        503,
        "Service unavailable: the answer needs the database, which cannot be reached now (what is in memory goes "
        "on being served). `Retry-After` says when to try again.",
        "service-unavailable",
        "The database cannot be reached: connection refused. Try again shortly.",
        "/v1/changes",
        headers=("Retry-After",),
    ),
    500: _problem(
        500,
        "Internal error: quote the X-Request-ID.",
        "internal-error",
        "Unexpected server error; quote request id 4bf92f3577b34da6a3ce929d0e0e4736.",
        "/v1/conditions",
    ),
}
# A 503 of a route that draws a picture: not the database, and retrying soon does not help.
PICTURE_UNAVAILABLE = _problem(
    503,
    "Picture unavailable: Graphviz is missing on this server or failed to lay the picture out; the graph's "
    "JSON (the same path without `/svg`, or `?format=json`) still works.",
    "picture-unavailable",
    "Graphviz is not installed: pictures need its `dot` (apt-get install graphviz).",
    "/v1/graph/svg",
)
# Any request can get these, whatever the operation.
SHARED = (405, 406, 414, 431, 500)


def documented(
    *statuses: int,
    paged: bool = False,
    cacheable: bool = True,
    content: dict[str, Any] | None = None,
    unavailable: dict[str, Any] = PROBLEMS[503],
) -> Responses:
    """The responses of a GET route beside its 200 body (`content` adds representations to it): the statuses
    it declares (308, 404, 422, 503: what `unavailable` says), those every request can get (SHARED), the 304 of
    a conditional request, and the headers of each."""
    kept = ("ETag", "Cache-Control", *(("X-Dataset-Version",) if cacheable else ()), "X-Request-ID", "Vary")
    ok: dict[str, Any] = {"headers": _headers(*kept, *(("Link",) if paged else ()))}
    if content:
        ok["content"] = content
    responses: Responses = {
        200: ok,
        304: {
            "description": "Not modified: the representation whose ETag is in `If-None-Match` is current. No body.",
            "headers": _headers(*kept),
        },
    }
    if 308 in statuses:
        responses[308] = {
            "description": "Permanent redirect: a slug, name or alias written another way (`FPHL`, any case) names "
            "this resource under its canonical URL; the body says where too.",
            "headers": _headers("Location", "Cache-Control", "X-Request-ID"),
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Moved"}}},
        }
    for status in sorted({*statuses, *SHARED} - {308}):
        responses[status] = unavailable if status == 503 else PROBLEMS[status]
    return responses


def alternates(formats: Sequence[Format], models: dict[Format, type[BaseModel] | str]) -> dict[str, Any]:
    """The representations of a 200 besides JSON (`documented`'s content), by Accept or `?format=`, each with
    its schema (a model, or the name of a model whose array it is)."""
    content: dict[str, Any] = {}
    for fmt in formats[1:]:
        model = models.get(fmt)
        if model is None:
            schema: dict[str, Any] = {"type": "string"}
        elif isinstance(model, str):
            schema = {"type": "array", "items": {"$ref": f"#/components/schemas/{model}"}}
        else:
            schema = {"$ref": f"#/components/schemas/{model.__name__}"}
        content[fmt.media_type] = {"schema": schema}
    return content


# A text format's own operation also answers `Accept: text/plain` (see `Format.also_plain`).
PLAIN_TEXT_TOO = {PLAIN_TEXT: {"schema": {"type": "string"}}}


# Models named in `alternates`, so that their schemas are in the components.
EXTRA_MODELS: tuple[type[BaseModel], ...] = (Problem, Moved, PageDocument, ArticleDocument, CslItem)


# -- examples ------------------------------------------------------------------------------------------

EXAMPLE_CITATION = CitationRecord(
    number=3,
    authors=["Castellana D", "Paus R", "Perez-Moreno M"],
    authors_complete=True,
    title="Macrophages contribute to the cyclic activation of adult hair follicle stem cells",
    journal="PLoS Biology",
    journal_abbrev="PLoS Biol",
    year=2014,
    volume="12",
    issue="12",
    pages="e1002002",
    doi="10.1371/journal.pbio.1002002",
    pmid="25536657",
    pmcid="PMC4275176",
    publication_type=PublicationType.original_research,
    organism=Organism.mouse,
    source_url="https://pubmed.ncbi.nlm.nih.gov/25536657/",
    findings=[Finding(text="Perifollicular macrophages contribute to stem cell activation.", where="abstract")],
)
EXAMPLE_PAGE = {
    "@context": "https://schema.org",
    "@type": "MedicalWebPage",
    "@id": "https://hairkb.example/v1/conditions/alopecia-areata",
    "url": "https://hairkb.example/v1/conditions/alopecia-areata",
    "name": "Alopecia areata",
    "description": "An autoimmune condition in which the immune system attacks hair follicles.",
    "inLanguage": "en",
    "dateModified": "2026-11-21",
    "lastReviewed": "2026-11-21",
    "publisher": {"@type": "Organization", "name": "hairkb", "url": "https://hairkb.example/"},
    "medicalAudience": [
        {"@type": "MedicalAudience", "audienceType": "Patient"},
        {"@type": "MedicalAudience", "audienceType": "Clinician"},
    ],
    "mainEntity": {
        "@type": "MedicalCondition",
        "@id": "https://hairkb.example/v1/conditions/alopecia-areata#condition",
        "name": "Alopecia areata",
        "code": [{"@type": "MedicalCode", "codeValue": "L63.9", "codingSystem": "ICD-10-CM"}],
        "possibleTreatment": [
            {
                "@type": "MedicalTherapy",
                "name": "Baricitinib",
                "url": "https://hairkb.example/v1/interventions/baricitinib",
                "description": "Evidence grade for Alopecia areata: approved (approved by a regulator for this use).",
            }
        ],
    },
    "about": {"@id": "https://hairkb.example/v1/conditions/alopecia-areata#condition"},
}
EXAMPLE_ARTICLE = {
    "@context": "https://schema.org",
    "@type": "ScholarlyArticle",
    "@id": "https://hairkb.example/v1/citations/3",
    "name": EXAMPLE_CITATION.title,
    "url": "https://doi.org/10.1371/journal.pbio.1002002",
    "datePublished": "2014",
}
# The picture, much shortened: Graphviz's SVG with its title and description first, nodes as linked text.
EXAMPLE_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="620pt" '
    'height="240pt" viewBox="0.00 0.00 620.00 240.00" aria-labelledby="picture-title picture-desc">'
    '<title id="picture-title">Alopecia areata: mechanisms and treatments</title>'
    '<desc id="picture-desc">1 condition, 4 mechanisms, 9 interventions. Conditions on the left, mechanisms in '
    "the middle, interventions on the right.</desc>"
    '<g id="n0" class="node"><title>Alopecia areata (condition)</title>'
    '<a xlink:href="/conditions/alopecia-areata"><text x="60" y="120" font-size="11.00">Alopecia areata</text></a>'
    "</g></svg>"
)
EXAMPLE_NDJSON = (
    '{"type": "meta", "dataset_version": "60ea4ac898cee249", "updated": "2026-11-21", "counts": {"citations": 1}}\n'
    '{"type": "citation", "record": {"number": 3, "title": "Macrophages contribute to the cyclic activation of '
    'adult hair follicle stem cells", "updated": "2026-11-21"}}\n'
)


def _examples() -> dict[str, Callable[[], Any]]:
    """Each non-JSON representation's example, by the last part of its operation id (or its media type)."""
    cited = [EXAMPLE_CITATION]
    return {
        BIBTEX.identifier: lambda: bibliography.bibtex(cited),
        RIS.identifier: lambda: bibliography.ris(cited),
        CSL_JSON.identifier: lambda: json.loads(bibliography.csl_json(cited)),
        TEXT.identifier: lambda: bibliography.text(cited),
        NDJSON.identifier: lambda: EXAMPLE_NDJSON,
        JSONLD.identifier: lambda: EXAMPLE_PAGE,
        SVG.identifier: lambda: EXAMPLE_SVG,
    }


def _example_for(operation_id: str, media_type: str, examples: dict[str, Callable[[], Any]]) -> Any:
    by_media = {f.media_type: f.identifier for f in (BIBTEX, RIS, CSL_JSON, TEXT, NDJSON, JSONLD, SVG)}
    name = next((n for n in examples if operation_id.endswith(f"_{n}")), by_media.get(media_type))
    if name is None:
        return None
    if name == JSONLD.identifier and operation_id.startswith("get_citation"):
        return EXAMPLE_ARTICLE
    return examples[name]()


def _add_examples(spec: dict[str, Any]) -> None:
    examples = _examples()
    for item in spec["paths"].values():
        for operation in item.values():
            ok = operation["responses"].get("200", {})
            for media_type, entry in ok.get("content", {}).items():
                if media_type != "application/json" and "example" not in entry:
                    example = _example_for(operation["operationId"], media_type, examples)
                    if example is not None:
                        entry["example"] = example


def install(app: FastAPI, *, servers: Iterable[str], license_name: str) -> None:
    """Build the document once, on first use (nothing heavy at start-up): FastAPI's, completed."""

    def build() -> dict[str, Any]:
        if app.openapi_schema is None:
            spec = get_openapi(
                title=app.title,
                version=app.version,
                summary=app.summary,
                description=app.description,
                routes=app.routes,
                tags=app.openapi_tags,
                servers=[{"url": url, "description": "This API"} for url in servers],
                license_info={"name": license_name, "identifier": license_name},
            )
            spec["security"] = []  # public, read-only: no credentials of any kind
            components = spec.setdefault("components", {})
            components["headers"] = HEADERS
            _, extra = models_json_schema(
                [(model, "serialization") for model in EXTRA_MODELS], ref_template="#/components/schemas/{model}"
            )
            for name, schema in extra.get("$defs", {}).items():
                components.setdefault("schemas", {}).setdefault(name, schema)
            _add_examples(spec)
            app.openapi_schema = spec
        return app.openapi_schema

    app.openapi = build  # type: ignore[method-assign]

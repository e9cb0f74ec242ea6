"""The operations that serve one representation each (`/v1/citations/{number}/bibtex`, `…/jsonld`): one
response type per operation, so that a generated client can type every format. Accept and `?format=` on the
resource itself keep working; these answer the same bytes."""

# No `from __future__ import annotations` here: the endpoints are made in a loop, and FastAPI must find
# their parameter types as objects, not as names to look up in this module.

from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any

from fastapi import APIRouter
from starlette.responses import JSONResponse, Response

from app.deps import ReplyDep
from app.http.negotiation import JSONLD, PAGE_FORMATS, Format
from app.http.openapi import PLAIN_TEXT_TOO, alternates, documented
from app.http.respond import Reply, Target
from app.models.kind import Kind
from app.models.linked import PageDocument

Answer = Callable[[Reply, Target[Any], Format], Response]
# What a condition's, mechanism's or intervention's page answers: JSON, or JSON-LD by Accept or ?format=.
PAGE_RESPONSES = documented(308, 404, 422, content=alternates(PAGE_FORMATS, {JSONLD: PageDocument}))


@cache
def response_class(fmt: Format) -> type[Response]:
    """A response class named after the format, so that OpenAPI shows its media type (and, for a JSON-based
    one, its schema)."""
    base = Response if fmt.text else JSONResponse
    return type(f"{fmt.identifier.title().replace('_', '')}Response", (base,), {"media_type": fmt.media_type})


def add_format_operations(
    router: APIRouter,
    path: str,
    formats: Sequence[Format],
    target: Any,
    answer: Answer,
    *,
    operation: str,
    noun: str,
    statuses: tuple[int, ...],
    models: Mapping[Format, Any],
) -> None:
    """`GET {path}/{format}` for each of `formats`, named `{operation}_{format}`, answering `answer`."""
    for fmt in formats:
        plain = " `Accept: text/plain` gets the same body as text/plain." if fmt.also_plain else ""
        router.add_api_route(
            f"{path}/{fmt.name}",
            _endpoint(fmt, target, answer),
            methods=["GET"],
            name=f"{operation}_{fmt.identifier}",
            summary=f"{noun} as {fmt.label}",
            description=f"{noun} as {fmt.label} (`{fmt.media_type}`): the same bytes as `GET {path}` with "
            f"`?format={fmt.name}` or that Accept header, under an operation of its own.{plain}",
            response_class=response_class(fmt),
            response_model=models.get(fmt),
            responses=documented(*statuses, content=PLAIN_TEXT_TOO if fmt.also_plain else None),
        )


def add_page_format_operations(router: APIRouter, kind: Kind, target: Any) -> None:
    """A condition's, mechanism's or intervention's page in its other formats (JSON-LD): `…/{slug}/jsonld`."""
    add_format_operations(
        router,
        "/{slug}",
        PAGE_FORMATS[1:],
        target,
        lambda reply, page, fmt: reply.entity_as(page, fmt),
        operation=f"get_{kind.singular}",
        noun=f"{kind.label}'s page",
        statuses=(308, 404, 422),
        models={JSONLD: PageDocument},
    )


def _endpoint(fmt: Format, target: Any, answer: Answer) -> Callable[..., Any]:
    async def endpoint(reply: ReplyDep, found: target) -> Response:
        return answer(reply, found, fmt)

    return endpoint

"""Answering a request from one generation: bodies rendered once per data version, conditional responses
(strong ETag, If-None-Match → 304, Cache-Control), entities in their negotiated formats, and paged lists
with an RFC 8288 Link header."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar
from urllib.parse import urlencode

from fastapi import Query, Request
from pydantic import BaseModel, BeforeValidator
from starlette.responses import Response

from app.http.cache import Generation, Rendered
from app.http.negotiation import BIBLIOGRAPHY_FORMATS, JSON, JSONLD, PAGE_FORMATS, Format, as_plain, choose_format
from app.models.kind import Kind
from app.models.record import CitationRecord
from app.models.response import Page
from app.readmodel.jsonld import LinkedData

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: object) -> object:
    """Only YYYY-MM-DD: pydantic alone would also read `0` as a Unix timestamp."""
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value):
        raise ValueError("must be a date as YYYY-MM-DD")
    return value


UpdatedSince = Annotated[
    dt.date | None,
    BeforeValidator(_iso_date),
    Query(
        description="Only entities whose content changed on or after this date (YYYY-MM-DD).",
        examples=["2026-11-01"],
    ),
]
R = TypeVar("R")


@dataclass(frozen=True)
class Target(Generic[R]):
    """What a request for one entity asks for: the entity its path names (found), and `?format=`."""

    kind: Kind
    key: str  # the slug, or the citation number as text
    record: R
    format: str | None = None  # None: negotiate by Accept


Limit = Annotated[int, Query(ge=1, le=100, description="Page size (1–100).", examples=[20])]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Items to skip.", examples=[0])]


def etag_matches(header: str | None, etag: str) -> bool:
    """RFC 9110 If-None-Match: weak comparison over a comma-separated list, or `*`."""
    if not header:
        return False
    if header.strip() == "*":
        return True
    bare = etag.removeprefix("W/")
    return any(candidate.strip().removeprefix("W/") == bare for candidate in header.split(","))


def _link_header(path: str, filters: Mapping[str, object], total: int, limit: int, offset: int) -> str:
    def url(at: int) -> str:
        query = {k: v for k, v in filters.items() if v is not None and v != []}
        return f"<{path}?{urlencode({**query, 'limit': limit, 'offset': at}, doseq=True)}>"

    links = [f'{url(0)}; rel="first"']
    if offset + limit < total:
        links.append(f'{url(offset + limit)}; rel="next"')
    if offset > 0:
        links.append(f'{url(max(offset - limit, 0))}; rel="prev"')
    return ", ".join(links)


def _exported(citations: Sequence[CitationRecord], fmt: Format) -> Rendered:
    if fmt.export is None:
        raise ValueError(f"citations are not written as {fmt.name}")
    return Rendered.raw(fmt.export(citations), fmt.media_type)


def conditional(
    request: Request, rendered: Rendered, cache_control: str, headers: Mapping[str, str] | None = None
) -> Response:
    """A body with its ETag, or a 304 when `If-None-Match` holds it. A 304 says it varies with Accept-Encoding
    (as the 200 would, gzip-coded); the gzip variant's own tag is handled in `etags.py`."""
    sent = {"ETag": rendered.etag, "Cache-Control": cache_control, "Vary": "Accept", **(headers or {})}
    sent.update(rendered.headers)
    if etag_matches(request.headers.get("if-none-match"), rendered.etag):
        return Response(status_code=304, headers={**sent, "Vary": "Accept, Accept-Encoding"})
    return Response(rendered.body, media_type=rendered.media_type, headers=sent)


def alone(fmt: Format) -> tuple[Format, ...]:
    """What a format's own operation offers: the format, and text/plain for text that is not `text/*`."""
    return (fmt, as_plain(fmt)) if fmt.also_plain else (fmt,)


class Reply:
    """The answer to one request, from the generation that was current when it arrived. `base_url` is the
    public URL of the API, for JSON-LD's absolute identifiers."""

    def __init__(self, request: Request, generation: Generation, max_age: int, base_url: str) -> None:
        self.request = request
        self.generation = generation
        self.snapshot = generation.snapshot
        self.max_age = max_age
        self.base_url = base_url

    def send(self, rendered: Rendered, *, negotiated: bool = False) -> Response:
        """`negotiated` is set where a format was chosen among several; JSON-only routes check Accept here."""
        if not negotiated:
            choose_format(self.request, None, (JSON,))
        return conditional(
            self.request,
            rendered,
            f"public, max-age={self.max_age}",
            {"X-Dataset-Version": self.snapshot.version},
        )

    def model(self, key: Hashable, build: Callable[[], BaseModel]) -> Response:
        """A JSON body that only the data version (and `key`) decides, serialised once."""
        return self.send(self.generation.bodies.page(key, lambda: Rendered.of(build())))

    def choose(self, format_param: str | None, offered: Sequence[Format]) -> Format:
        """The format to answer in, by `?format=` or Accept (a 406 when none fits)."""
        return choose_format(self.request, format_param, offered)

    def text(self, key: tuple[Hashable, ...], build: Callable[[], str], fmt: Format) -> Response:
        """Like `model`, for a body written out in `fmt` (chosen already)."""
        rendered = self.generation.bodies.page(
            (*key, fmt.name, fmt.media_type), lambda: Rendered.raw(build(), fmt.media_type)
        )
        return self.send(rendered, negotiated=True)

    def query(self, key: Hashable, build: Callable[[], str]) -> Response:
        """A JSON body (text) that query parameters decide (search, suggest): kept while recently used."""
        return self.send(self.generation.bodies.listing(key, lambda: Rendered.raw(build(), JSON.media_type)))

    def entity(self, target: Target[Any], offered: Sequence[Format] = PAGE_FORMATS) -> Response:
        """An entity's page in the negotiated format: our JSON, schema.org JSON-LD or a citation export."""
        return self._entity(target, choose_format(self.request, target.format, offered))

    def entity_as(self, target: Target[Any], fmt: Format) -> Response:
        """An entity in one format: the format's own operation."""
        return self._entity(target, choose_format(self.request, None, alone(fmt)))

    def _entity(self, target: Target[Any], fmt: Format) -> Response:
        kind, key = target.kind, target.key

        def build() -> Rendered:
            if fmt is JSON:
                return Rendered.of(self.snapshot.page(kind, key))
            if fmt is JSONLD:
                document = LinkedData(self.snapshot.relations, self.base_url).document(kind, key)
                return Rendered.raw(json.dumps(document, ensure_ascii=False), fmt.media_type)
            return _exported(self.snapshot.cited(kind, key), fmt)

        return self.send(self.generation.bodies.page((kind, key, fmt.name, fmt.media_type), build), negotiated=True)

    def bibliography(self, target: Target[Any]) -> Response:
        """Everything a page cites, in order of first appearance, in the negotiated format."""
        return self._bibliography(target, choose_format(self.request, target.format, BIBLIOGRAPHY_FORMATS))

    def bibliography_as(self, target: Target[Any], fmt: Format) -> Response:
        """A page's bibliography in one format: the format's own operation."""
        return self._bibliography(target, choose_format(self.request, None, alone(fmt)))

    def _bibliography(self, target: Target[Any], fmt: Format) -> Response:
        kind, slug = target.kind, target.key

        def build() -> Rendered:
            if fmt is JSON:
                return Rendered.of(self.snapshot.pages.bibliography(kind, slug))
            return _exported(self.snapshot.cited(kind, slug), fmt)

        key = (kind, slug, "references", fmt.name, fmt.media_type)
        return self.send(self.generation.bodies.page(key, build), negotiated=True)

    def paged(
        self,
        filters: Mapping[str, object],
        limit: int,
        offset: int,
        select: Callable[[], Sequence[BaseModel]],
        *,
        envelope: type[Page[Any]] = Page[Any],
        extra: Callable[[], dict[str, Any]] | None = None,
    ) -> Response:
        """One page of a list as {items, total, limit, offset} (plus what `extra` adds, in the `envelope`
        model) with a Link header; `select` runs only when this exact query is not cached for the data
        version. A filter given several values (a list) repeats in the Link URLs."""
        path = self.request.url.path
        key = (path, tuple(sorted((k, str(v)) for k, v in filters.items())), limit, offset)

        def build() -> Rendered:
            items = select()
            page = envelope(
                items=list(items[offset : offset + limit]),
                total=len(items),
                limit=limit,
                offset=offset,
                **(extra() if extra is not None else {}),
            )
            return Rendered.of(page, headers=(("Link", _link_header(path, filters, len(items), limit, offset)),))

        return self.send(self.generation.bodies.listing(key, build))

"""An immutable read model of one data version: pages rendered once with their ETags, lookup and search
indexes, and bounded caches of list and whole responses.

Requests only read a Snapshot; a reload builds a new one and swaps a single reference.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from app.collector import collector_paused
from app.http.cache import BoundedCache
from app.http.negotiation import EXPORTERS, MEDIA_TYPES
from app.models.knowledge import KnowledgeBase
from app.models.record import CitationRecord
from app.models.reference import ReferenceList
from app.readmodel import jsonld
from app.readmodel.pages import Pages
from app.readmodel.search import SearchIndex
from app.readmodel.suggest import SuggestIndex

LIST_CACHE_SIZE = 2048
RESPONSE_CACHE_SIZE = 8192


@dataclass(frozen=True)
class CachedResponse:
    """A complete HTTP response as the middleware stack produced it, replayed for identical requests."""

    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes
    route: str = "unmatched"


@dataclass(frozen=True)
class Rendered:
    """A response body serialised once, with its strong ETag."""

    body: bytes
    etag: str
    headers: tuple[tuple[str, str], ...] = ()
    media_type: str = "application/json"

    @classmethod
    def of(cls, model: BaseModel, headers: tuple[tuple[str, str], ...] = ()) -> Rendered:
        return cls.raw(model.model_dump_json(by_alias=True), "application/json", headers)

    @classmethod
    def raw(cls, text: str, media_type: str, headers: tuple[tuple[str, str], ...] = ()) -> Rendered:
        body = text.encode()
        return cls(body, f'"{hashlib.sha256(body).hexdigest()[:32]}"', headers, media_type)


class Snapshot:
    @collector_paused()
    def __init__(self, kb: KnowledgeBase, loaded_at: dt.datetime | None = None) -> None:
        self.kb = kb
        self.version = kb.version
        self.loaded_at = loaded_at or dt.datetime.now(dt.UTC)
        self.pages = Pages(kb)
        self.search = SearchIndex.build(kb)
        self.suggestions = SuggestIndex(kb)
        self._rendered: dict[Hashable, Rendered] = {}
        self._lists: BoundedCache[Hashable, Rendered] = BoundedCache(LIST_CACHE_SIZE)
        self.responses: BoundedCache[Hashable, CachedResponse] = BoundedCache(RESPONSE_CACHE_SIZE)

    def resolve(self, kind: str, name: str) -> str | None:
        return self.pages.resolve(kind, name)

    def rendered(self, key: Hashable, model: Callable[[], BaseModel]) -> Rendered:
        """One response per entity and data version, serialised on first use."""
        return self.rendered_with(key, lambda: Rendered.of(model()))

    def rendered_with(self, key: Hashable, build: Callable[[], Rendered]) -> Rendered:
        """Like `rendered`, for bodies that are not a single response model."""
        found = self._rendered.get(key)
        if found is None:
            found = build()
            self._rendered[key] = found
        return found

    def cached_list(self, key: Hashable, build: Callable[[], Rendered]) -> Rendered:
        """List responses depend on query parameters; keep the most recent combinations only."""
        found = self._lists.get(key)
        if found is None:
            found = build()
            self._lists.put(key, found)
        return found

    def page(self, kind: str, key: str | int) -> Rendered | None:
        """The full page of a condition, mechanism, intervention or citation; None when it does not exist."""
        pages = self.pages
        if kind == "citation":
            return (
                self.rendered((kind, key), lambda: pages.citation_page(int(key))) if key in self.kb.citations else None
            )
        records: dict[str, Any] = getattr(self.kb, f"{kind}s")
        record = records.get(str(key))
        if record is None:
            return None
        build: Callable[[Any], BaseModel] = getattr(pages, f"{kind}_page")
        return self.rendered((kind, key), lambda: build(record))

    def representation(self, kind: str, key: str | int, fmt: str) -> Rendered | None:
        """A page in one of its formats: our JSON, schema.org JSON-LD, or (citations) an export format."""
        if fmt == "json":
            return self.page(kind, key)
        if self.page(kind, key) is None:
            return None
        if fmt == "jsonld":
            build: Callable[[Pages, Any], dict[str, Any]] = getattr(jsonld, kind)
            return self._text((kind, key, fmt), lambda: json.dumps(build(self.pages, key), ensure_ascii=False), fmt)
        citation = self.kb.citations[int(key)]
        return self._text((kind, key, fmt), lambda: EXPORTERS[fmt]([citation]), fmt)

    def bibliography(self, kind: str, slug: str, fmt: str) -> Rendered:
        """Everything a page cites, in order of first appearance, in one format."""
        numbers = self.pages.citations_of(kind, slug)
        if fmt == "json":
            return self.rendered(
                (kind, slug, "references"),
                lambda: ReferenceList(items=[self.pages.reference(n) for n in numbers], total=len(numbers)),
            )
        return self._text(
            (kind, slug, "references", fmt), lambda: EXPORTERS[fmt]([self.kb.citations[n] for n in numbers]), fmt
        )

    def _text(self, key: Hashable, build: Callable[[], str], fmt: str) -> Rendered:
        return self.rendered_with(key, lambda: Rendered.raw(build(), MEDIA_TYPES[fmt]))


def citation_matches(citation: CitationRecord, filters: dict[str, Any]) -> bool:
    return (
        (filters.get("publication_type") in (None, citation.publication_type))
        and (filters.get("organism") in (None, citation.organism))
        and (filters.get("year_from") is None or (citation.year is not None and citation.year >= filters["year_from"]))
        and (filters.get("year_to") is None or (citation.year is not None and citation.year <= filters["year_to"]))
    )

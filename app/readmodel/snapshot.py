"""One data version, read-only once built: the records, their relations, the page builders and the search
and suggest indexes. It knows no HTTP and caches no responses; a reload builds a new one beside it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel

from app.models.kind import Kind
from app.models.knowledge import KnowledgeBase
from app.models.record import CitationRecord
from app.readmodel import jsonld
from app.readmodel.graph import KnowledgeGraph
from app.readmodel.pages import Pages
from app.readmodel.relations import Relations
from app.readmodel.search import Search
from app.readmodel.suggest import SuggestIndex


class Snapshot:
    def __init__(self, kb: KnowledgeBase, loaded_at: dt.datetime | None = None) -> None:
        self.kb = kb
        self.version = kb.version
        self.loaded_at = loaded_at or dt.datetime.now(dt.UTC)
        self.relations = Relations(kb)
        self.pages = Pages(kb, self.relations)
        self.search = Search.build(kb)
        self.suggestions = SuggestIndex(kb)
        self.graph = KnowledgeGraph(kb)

    def resolve(self, kind: Kind, name: str) -> str | None:
        """The canonical slug of a named entity written as its slug, name or an alias, in any case."""
        return self.relations.resolve(kind, name)

    def page(self, kind: Kind, key: str) -> BaseModel:
        return self.pages.page(kind, key)

    def jsonld(self, kind: Kind, key: str) -> dict[str, Any]:
        return jsonld.document(self.relations, kind, key)

    def cited(self, kind: Kind, key: str) -> list[CitationRecord]:
        """The citations an entity's page cites, in order of first appearance (a citation: itself)."""
        return [self.kb.citations[n] for n in self.relations.citations_of(kind, key)]

"""An immutable read model of one data version: pages rendered once, with ETags, plus lookup indexes.

Requests only read a Snapshot; a reload builds a new one and swaps a single reference.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from app.models import response as out
from app.models.record import CELL_TYPE_LABELS, CitationRecord, ConditionRecord, MechanismRecord
from app.services.knowledge import KnowledgeBase
from app.services.lru import BoundedCache
from app.services.markers import cited_numbers, strip_markers
from app.services.references import format_reference, links
from app.services.rendering import render_markdown
from app.services.search import SearchIndex
from app.services.suggest import SuggestIndex
from app.services.text import normalize_alias

LIST_CACHE_SIZE = 2048
RESPONSE_CACHE_SIZE = 8192


@dataclass(frozen=True)
class CachedResponse:
    """A complete HTTP response as the middleware stack produced it, replayed for identical requests."""

    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes


@dataclass(frozen=True)
class Rendered:
    """A response body serialised once, with its strong ETag."""

    body: bytes
    etag: str
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, model: BaseModel, headers: tuple[tuple[str, str], ...] = ()) -> Rendered:
        body = model.model_dump_json(by_alias=True).encode()
        return cls(body, f'"{hashlib.sha256(body).hexdigest()[:32]}"', headers)


def condition_url(slug: str) -> str:
    return f"/v1/conditions/{slug}"


def mechanism_url(slug: str) -> str:
    return f"/v1/mechanisms/{slug}"


def citation_url(number: int) -> str:
    return f"/v1/citations/{number}"


class Snapshot:
    def __init__(self, kb: KnowledgeBase, loaded_at: dt.datetime | None = None) -> None:
        self.kb = kb
        self.version = kb.version
        self.loaded_at = loaded_at or dt.datetime.now(dt.UTC)
        self._pages: dict[Hashable, Rendered] = {}
        self._lists: BoundedCache[Hashable, Rendered] = BoundedCache(LIST_CACHE_SIZE)
        self.responses: BoundedCache[Hashable, CachedResponse] = BoundedCache(RESPONSE_CACHE_SIZE)
        self._references: dict[int, out.Reference] = {}
        self.aliases = self._alias_index()
        self.children: dict[str, list[str]] = {slug: [] for slug in kb.conditions}
        self.mechanism_conditions: dict[str, list[tuple[ConditionRecord, int]]] = {s: [] for s in kb.mechanisms}
        for cond in kb.conditions.values():
            if cond.parent is not None:
                self.children[cond.parent].append(cond.slug)
            for i, link in enumerate(cond.mechanisms):
                self.mechanism_conditions[link.slug].append((cond, i))
        self.cited_by = self._cited_by()
        self.search = SearchIndex.build(kb)
        self.suggestions = SuggestIndex(kb)

    # -- indexes -----------------------------------------------------------------------------------

    def _alias_index(self) -> dict[tuple[str, str], str]:
        index: dict[tuple[str, str], str] = {}
        records: list[tuple[str, ConditionRecord | MechanismRecord]] = [
            *(("condition", c) for c in self.kb.conditions.values()),
            *(("mechanism", m) for m in self.kb.mechanisms.values()),
        ]
        for kind, record in records:
            for name in (record.slug, record.name, *record.aliases):
                index[(kind, normalize_alias(name))] = record.slug
        return index

    def _cited_by(self) -> dict[int, list[tuple[str, str]]]:
        """Citation number -> the (kind, slug) of every page citing it, in page order."""
        cited: dict[int, list[tuple[str, str]]] = {n: [] for n in self.kb.citations}
        for cond in self.kb.conditions.values():
            for number in self._condition_citations(cond):
                cited[number].append(("condition", cond.slug))
        for mech in self.kb.mechanisms.values():
            for number in cited_numbers(f"{mech.summary}\n{mech.body}"):
                cited[number].append(("mechanism", mech.slug))
        return cited

    def _cited_by_links(self, number: int) -> list[out.CitedBy]:
        links = []
        for kind, slug in self.cited_by[number]:
            if kind == "condition":
                name, url = self.kb.conditions[slug].name, condition_url(slug)
            else:
                name, url = self.kb.mechanisms[slug].name, mechanism_url(slug)
            links.append(out.CitedBy(type=kind, slug=slug, name=name, url=url))
        return links

    def resolve(self, kind: str, name: str) -> str | None:
        """Canonical slug for a slug, name or alias in any case and dash style."""
        return self.aliases.get((kind, normalize_alias(name)))

    # -- cached rendering ------------------------------------------------------------------------

    def _cached(self, key: Hashable, build: Callable[[], Rendered | None]) -> Rendered | None:
        found = self._pages.get(key)
        if found is None:
            found = build()
            if found is not None:
                self._pages[key] = found
        return found

    def cached_list(self, key: Hashable, build: Callable[[], Rendered]) -> Rendered:
        """List responses depend on query parameters; keep the most recent combinations only."""
        found = self._lists.get(key)
        if found is None:
            found = build()
            self._lists.put(key, found)
        return found

    def rendered(self, key: Hashable, model: Callable[[], BaseModel]) -> Rendered:
        built = self._cached(key, lambda: Rendered.of(model()))
        assert built is not None
        return built

    # -- pages ---------------------------------------------------------------------------------------

    def reference(self, number: int) -> out.Reference:
        ref = self._references.get(number)
        if ref is None:
            citation = self.kb.citations[number]
            ref = out.Reference(
                **citation.model_dump(exclude={"additional_sources", "notes"}),
                formatted=format_reference(citation),
                url=citation_url(number),
                **links(citation),
            )
            self._references[number] = ref
        return ref

    @staticmethod
    def _condition_citations(cond: ConditionRecord) -> list[int]:
        texts = [
            cond.summary,
            cond.immune_involvement.text,
            cond.reversibility.text,
            *(s.body for s in cond.sections),
        ]
        numbers = cited_numbers("\n".join(texts))
        for link in cond.mechanisms:
            numbers.extend(n for n in link.citations if n not in numbers)
        return numbers

    def condition_page(self, slug: str) -> Rendered | None:
        cond = self.kb.conditions.get(slug)
        if cond is None:
            return None
        return self._cached(("condition", slug), lambda: Rendered.of(self._condition_model(cond)))

    def _link(self, slug: str) -> out.Link:
        return out.Link(slug=slug, name=self.kb.conditions[slug].name, url=condition_url(slug))

    def _condition_model(self, cond: ConditionRecord) -> out.ConditionPage:
        return out.ConditionPage(
            **self.condition_summary(cond).model_dump(),
            summary_citations=cited_numbers(cond.summary),
            immune_involvement=out.ImmuneInvolvementOut(
                level=cond.immune_involvement.level, **_cited(cond.immune_involvement.text)
            ),
            reversibility=out.ReversibilityOut(level=cond.reversibility.level, **_cited(cond.reversibility.text)),
            sections=[
                out.SectionOut(
                    id=s.id,
                    title=s.title,
                    body_markdown=s.body,
                    body_html=render_markdown(s.body),
                    citations=cited_numbers(s.body),
                )
                for s in cond.sections
            ],
            mechanisms=[
                out.MechanismInCondition(
                    slug=m.slug,
                    name=self.kb.mechanisms[m.slug].name,
                    url=mechanism_url(m.slug),
                    role=m.role,
                    citations=list(m.citations),
                )
                for m in cond.mechanisms
            ],
            parent=self._link(cond.parent) if cond.parent else None,
            children=[self._link(child) for child in self.children[cond.slug]],
            references=[self.reference(n) for n in self._condition_citations(cond)],
            last_reviewed=cond.last_reviewed,
        )

    def condition_summary(self, cond: ConditionRecord) -> out.ConditionSummary:
        return out.ConditionSummary(
            slug=cond.slug,
            name=cond.name,
            aliases=list(cond.aliases),
            category=cond.category,
            summary=strip_markers(cond.summary),
            url=condition_url(cond.slug),
        )

    def mechanism_summary(self, mech: MechanismRecord) -> out.MechanismSummary:
        return out.MechanismSummary(
            slug=mech.slug,
            name=mech.name,
            aliases=list(mech.aliases),
            summary=strip_markers(mech.summary),
            hair_cycle_effects=list(mech.hair_cycle_effects),
            cell_types=[out.CellTypeOut(id=c, label=CELL_TYPE_LABELS[c]) for c in mech.cell_types],
            evidence_organism=mech.evidence_organism,
            url=mechanism_url(mech.slug),
        )

    def mechanism_page(self, slug: str) -> Rendered | None:
        mech = self.kb.mechanisms.get(slug)
        if mech is None:
            return None
        return self._cached(("mechanism", slug), lambda: Rendered.of(self._mechanism_model(mech)))

    def _mechanism_model(self, mech: MechanismRecord) -> out.MechanismPage:
        return out.MechanismPage(
            **self.mechanism_summary(mech).model_dump(),
            summary_citations=cited_numbers(mech.summary),
            molecules=list(mech.molecules),
            body_markdown=mech.body,
            body_html=render_markdown(mech.body),
            conditions=[
                out.ConditionInMechanism(
                    slug=cond.slug,
                    name=cond.name,
                    url=condition_url(cond.slug),
                    role=cond.mechanisms[i].role,
                    citations=list(cond.mechanisms[i].citations),
                )
                for cond, i in self.mechanism_conditions[mech.slug]
            ],
            references=[self.reference(n) for n in cited_numbers(f"{mech.summary}\n{mech.body}")],
            last_reviewed=mech.last_reviewed,
        )

    def citation_page(self, number: int) -> Rendered | None:
        if number not in self.kb.citations:
            return None
        return self._cached(
            ("citation", number),
            lambda: Rendered.of(
                out.CitationPage(**self.reference(number).model_dump(), cited_by=self._cited_by_links(number))
            ),
        )

    def meta(self, api_version: str) -> Rendered:
        return self.rendered(
            ("meta", api_version),
            lambda: out.Meta(
                api_version=api_version,
                dataset_version=self.version,
                loaded_at=self.loaded_at,
                counts=out.Counts(**self.kb.counts()),
            ),
        )


def _cited(text: str) -> dict[str, Any]:
    return {"text": strip_markers(text), "citations": cited_numbers(text)}


def citation_matches(citation: CitationRecord, filters: dict[str, Any]) -> bool:
    return (
        (filters.get("publication_type") in (None, citation.publication_type))
        and (filters.get("organism") in (None, citation.organism))
        and (filters.get("year_from") is None or (citation.year is not None and citation.year >= filters["year_from"]))
        and (filters.get("year_to") is None or (citation.year is not None and citation.year <= filters["year_to"]))
    )

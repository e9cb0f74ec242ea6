"""Search and autocomplete endpoints."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from app.deps import SettingsDep, SnapshotDep
from app.http import respond as conditional
from app.http.errors import error_responses
from app.models.search import SearchFacets, SearchHit, SearchResponse, SuggestionOut, SuggestResponse
from app.readmodel.search import MAX_LIMIT
from app.readmodel.snapshot import Rendered

router = APIRouter(tags=["search"])


class SearchType(StrEnum):
    condition = "condition"
    mechanism = "mechanism"
    intervention = "intervention"
    citation = "citation"


@router.get(
    "/v1/search", response_model=SearchResponse, summary="Search the knowledge base", responses=error_responses(422)
)
async def search(
    request: Request,
    snapshot: SnapshotDep,
    settings: SettingsDep,
    q: Annotated[
        str,
        Query(min_length=1, max_length=256, description="What to look for.", examples=["shedding after childbirth"]),
    ],
    type: Annotated[SearchType | None, Query(description="Only hits of this type.")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Hits per page.")] = 10,
    offset: Annotated[int, Query(ge=0, le=1000, description="Hits to skip.")] = 0,
) -> Response:
    """Ranked hits over conditions, mechanisms, interventions and citations. Exact names, aliases and abbreviations
    (FPHL, LPP, OSM) and standard codes (L65.0, ICD10CM:L65.0) rank first, then phrase matches,
    then documents with every word, then documents
    with some. BM25 weighs names and aliases above summaries, bodies and reference text. Spelling
    variants come from the knowledge base's own aliases; words of 5+ letters tolerate one typo (9+:
    two), and `did_you_mean` shows the corrected query. Citations match by author, journal, title
    words, DOI and PMID. Your text is never passed to the search engine as syntax."""
    key = ("search", q, type, limit, offset)

    def build() -> Rendered:
        result = snapshot.search.search(q, type.value if type else None, limit, offset)
        hits = [
            SearchHit(
                type=h.doc.type,
                slug=h.doc.key if h.doc.type != "citation" else None,
                number=int(h.doc.key) if h.doc.type == "citation" else None,
                title=h.doc.title,
                snippet=h.snippet,
                score=h.score,
                url=h.doc.url,
            )
            for h in result.hits
        ]
        return Rendered.of(
            SearchResponse(
                query=q,
                total=result.total,
                limit=limit,
                offset=offset,
                hits=hits,
                facets=SearchFacets(type=result.facets),
                did_you_mean=result.did_you_mean,
            )
        )

    return conditional.send(request, snapshot.cached_list(key, build), snapshot, settings)


@router.get(
    "/v1/suggest",
    response_model=SuggestResponse,
    summary="Autocomplete names and aliases",
    responses=error_responses(422),
)
async def suggest(
    request: Request,
    snapshot: SnapshotDep,
    settings: SettingsDep,
    q: Annotated[
        str, Query(min_length=1, max_length=100, description="What the user has typed so far.", examples=["fro"])
    ],
) -> Response:
    """Up to 10 conditions, mechanisms and interventions whose name or alias has a word starting with `q` (any case).
    Cheap enough to call on every keystroke; responses are cacheable."""
    key = ("suggest", q)

    def build() -> Rendered:
        items = [
            SuggestionOut(type=s.type, label=s.label, matched=s.matched, url=s.url)
            for s in snapshot.suggestions.suggest(q)
        ]
        return Rendered.of(SuggestResponse(query=q, items=items))

    return conditional.send(request, snapshot.cached_list(key, build), snapshot, settings)

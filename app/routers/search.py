"""Search and autocomplete endpoints."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from app.deps import ReplyDep
from app.http.openapi import documented
from app.http.respond import Reply
from app.models.kind import Kind
from app.models.search import SearchResponse, SuggestResponse
from app.readmodel.search import MAX_LIMIT

router = APIRouter(tags=["search"])

# The `type` filter: any kind, by its singular.
SearchType = StrEnum("SearchType", [(kind.value, kind.value) for kind in Kind])  # type: ignore[misc]


@router.get("/v1/search", response_model=SearchResponse, summary="Search the knowledge base", responses=documented(422))
async def search(
    reply: ReplyDep,
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
    return _search(reply, q, Kind(type.value) if type is not None else None, limit, offset)


def _search(reply: Reply, q: str, kind: Kind | None, limit: int, offset: int) -> Response:
    return reply.query(
        ("search", q, kind, limit, offset), lambda: reply.snapshot.search.response(q, kind, limit, offset)
    )


@router.get(
    "/v1/suggest",
    response_model=SuggestResponse,
    summary="Autocomplete names and aliases",
    responses=documented(422),
)
async def suggest(
    reply: ReplyDep,
    q: Annotated[
        str, Query(min_length=1, max_length=100, description="What the user has typed so far.", examples=["fro"])
    ],
) -> Response:
    """Up to 10 conditions, mechanisms and interventions whose name or alias has a word starting with `q` (any case).
    Cheap enough to call on every keystroke; responses are cacheable."""
    return _suggest(reply, q)


def _suggest(reply: Reply, q: str) -> Response:
    return reply.query(("suggest", q), lambda: reply.snapshot.suggestions.response(q))


# Shortcuts (see RequestContextMiddleware): the same answers for requests whose parameters are plainly
# valid, without the framework's routing and parameter machinery; None leaves the request to the routes
# above, which word any error.
_KINDS = {kind.value: kind for kind in Kind}
_NUMBER = re.compile(r"0|[1-9][0-9]{0,3}")


def _number(text: str | None, default: int, low: int, high: int) -> int | None:
    if text is None:
        return default
    return int(text) if _NUMBER.fullmatch(text) and low <= int(text) <= high else None


def search_shortcut(reply: Reply) -> Response | None:
    params = reply.request.query_params
    q, type_ = params.get("q"), params.get("type")
    limit, offset = _number(params.get("limit"), 10, 1, MAX_LIMIT), _number(params.get("offset"), 0, 0, 1000)
    if q is None or not 1 <= len(q) <= 256 or limit is None or offset is None:
        return None
    if type_ is not None and type_ not in _KINDS:
        return None
    return _search(reply, q, _KINDS[type_] if type_ is not None else None, limit, offset)


def suggest_shortcut(reply: Reply) -> Response | None:
    q = reply.request.query_params.get("q")
    return None if q is None or not 1 <= len(q) <= 100 else _suggest(reply, q)


SHORTCUTS = {"/v1/search": search_shortcut, "/v1/suggest": suggest_shortcut}

"""Citation endpoints: filtered list and one citation with the pages that cite it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel
from starlette.responses import Response

from app.deps import CitationDep, CitationPath, ReplyDep
from app.http.errors import InvalidParameter
from app.http.negotiation import CITATION_FORMATS, CSL_JSON, JSONLD, Format
from app.http.openapi import alternates, documented
from app.http.respond import Limit, Offset, UpdatedSince
from app.models.csl import CslItem
from app.models.kind import Kind
from app.models.linked import ArticleDocument
from app.models.reference import CitationPage, Reference
from app.models.response import Page
from app.models.vocabulary import Organism, PublicationType
from app.readmodel import lists
from app.readmodel.urls import collection_url
from app.routers.formats import add_format_operations

router = APIRouter(prefix=collection_url(Kind.citation), tags=[Kind.citation.plural])

Year = Annotated[int | None, Query(ge=1800, le=2100, examples=[2019])]
# The schemas of the JSON-based representations (CSL-JSON: an array of these items).
MODELS: dict[Format, type[BaseModel] | str] = {JSONLD: ArticleDocument, CSL_JSON: CslItem.__name__}


@router.get(
    "",
    response_model=Page[Reference],
    summary="List citations",
    responses=documented(422, paged=True),
)
async def list_citations(
    reply: ReplyDep,
    publication_type: Annotated[PublicationType | None, Query(description="e.g. review, original-research.")] = None,
    organism: Annotated[Organism | None, Query(description="Where the evidence comes from.")] = None,
    year_from: Year = None,
    year_to: Year = None,
    updated_since: UpdatedSince = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> Response:
    """Citations by number, each with a formatted AMA reference and DOI/PubMed/PMC links. Citations
    with an unknown year are left out when a year filter is set."""
    if year_from is not None and year_to is not None and year_from > year_to:
        raise InvalidParameter(
            "year_from is after year_to.",
            [{"in": "query", "name": "year_from", "message": "must not be after year_to"}],
        )
    filters = {
        "publication_type": publication_type,
        "organism": organism,
        "year_from": year_from,
        "year_to": year_to,
        "updated_since": updated_since,
    }
    return reply.paged(
        filters,
        limit,
        offset,
        lambda: lists.citations(
            reply.snapshot,
            publication_type=publication_type,
            organism=organism,
            year_from=year_from,
            year_to=year_to,
            since=updated_since,
        ),
    )


@router.get(
    "/{number}",
    response_model=CitationPage,
    summary="Get a citation",
    responses=documented(404, 422, content=alternates(CITATION_FORMATS, MODELS)),
)
async def get_citation(reply: ReplyDep, citation: CitationDep) -> Response:
    """One citation with verified bibliographic facts (null where not verified), the page its facts were
    checked on (`source_url`), `retracted` for retracted papers, and `cited_by`: every condition,
    mechanism and intervention page that cites it. Also as schema.org JSON-LD, BibTeX, RIS, CSL-JSON or
    formatted text, by Accept or `?format=`."""
    return reply.entity(citation, CITATION_FORMATS)


add_format_operations(
    router,
    "/{number}",
    CITATION_FORMATS[1:],
    CitationPath,
    lambda reply, citation, fmt: reply.entity_as(citation, fmt),
    operation="get_citation",
    noun="A citation",
    statuses=(404, 422),
    models={JSONLD: ArticleDocument, CSL_JSON: list[CslItem]},
)

"""Citation endpoints: filtered list and one citation with the pages that cite it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from app.deps import SettingsDep, SnapshotDep
from app.http import respond as conditional
from app.http.errors import InvalidParameter, NotFound, error_responses
from app.http.negotiation import CITATION_FORMATS
from app.models.reference import CitationPage, Reference
from app.models.response import Page
from app.models.vocabulary import Organism, PublicationType
from app.pagination import Limit, Offset, UpdatedSince, changed_since, send_page
from app.readmodel.snapshot import citation_matches

router = APIRouter(prefix="/v1/citations", tags=["citations"])

Year = Annotated[int | None, Query(ge=1800, le=2100, examples=[2019])]


@router.get(
    "",
    response_model=Page[Reference],
    summary="List citations",
    responses=error_responses(422),
)
async def list_citations(
    request: Request,
    snapshot: SnapshotDep,
    settings: SettingsDep,
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

    def select() -> list[Reference]:
        return [
            snapshot.pages.reference(c.number)
            for c in snapshot.kb.citations.values()
            if citation_matches(c, filters)
            and changed_since(snapshot.kb.updated.get(("citation", str(c.number))), updated_since)
        ]

    return send_page(request, snapshot, settings, filters, limit, offset, select)


@router.get(
    "/{number}",
    response_model=CitationPage,
    summary="Get a citation",
    responses={**error_responses(404, 422), **conditional.alternate_content(CITATION_FORMATS)},
)
async def get_citation(
    request: Request,
    snapshot: SnapshotDep,
    settings: SettingsDep,
    number: Annotated[int, Path(ge=1, le=1_000_000, description="Permanent citation number.", examples=[3])],
    fmt: conditional.FormatQuery = None,
) -> Response:
    """One citation with verified bibliographic facts (null where not verified), the page its facts were
    checked on (`source_url`), `retracted` for retracted papers, and `cited_by`: every condition,
    mechanism and intervention page that cites it. Also as schema.org JSON-LD, BibTeX, RIS, CSL-JSON or
    formatted text, by Accept or `?format=`."""
    if snapshot.page("citation", number) is None:
        raise NotFound(f"No citation {number}. GET /v1/citations lists them.")
    fmt_name = conditional.choose_format(request, fmt, CITATION_FORMATS)
    rendered = snapshot.representation("citation", number, fmt_name)
    assert rendered is not None
    return conditional.send(request, rendered, snapshot, settings, negotiated=True)

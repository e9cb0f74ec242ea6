"""A page's bibliography in several formats, for conditions, mechanisms and interventions alike."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from app.deps import CitingPageDep, ReplyDep
from app.http.errors import error_responses
from app.http.negotiation import BIBLIOGRAPHY_FORMATS, alternate_content
from app.models.kind import Kind
from app.models.reference import ReferenceList
from app.routers.conditions import REDIRECT

router = APIRouter(tags=[Kind.citation.plural])


@router.get(
    "/v1/{kind}/{slug}/references",
    response_model=ReferenceList,
    summary="A page's bibliography",
    responses={**REDIRECT, **error_responses(404, 422), **alternate_content(BIBLIOGRAPHY_FORMATS)},
)
async def get_references(reply: ReplyDep, page: CitingPageDep) -> Response:
    """Every citation a condition, mechanism or intervention page cites, in order of first appearance:
    JSON, or BibTeX, RIS, CSL-JSON or a formatted AMA bibliography, chosen by Accept
    (`application/x-bibtex`, `application/x-research-info-systems`,
    `application/vnd.citationstyles.csl+json`, `text/x-bibliography`) or `?format=`."""
    return reply.bibliography(page)

"""A page's bibliography in several formats, for conditions, mechanisms and interventions alike."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from app.deps import CitingPageDep, PagePath, ReplyDep
from app.http.negotiation import BIBLIOGRAPHY_FORMATS, CSL_JSON
from app.http.openapi import alternates, documented
from app.models.csl import CslItem
from app.models.kind import Kind
from app.models.reference import ReferenceList
from app.routers.formats import add_format_operations

router = APIRouter(tags=[Kind.citation.plural])


@router.get(
    "/v1/{kind}/{slug}/references",
    response_model=ReferenceList,
    summary="A page's bibliography",
    responses=documented(308, 404, 422, content=alternates(BIBLIOGRAPHY_FORMATS, {CSL_JSON: CslItem.__name__})),
)
async def get_references(reply: ReplyDep, page: CitingPageDep) -> Response:
    """Every citation a condition, mechanism or intervention page cites, in order of first appearance:
    JSON, or BibTeX, RIS, CSL-JSON or a formatted AMA bibliography, chosen by Accept
    (`application/x-bibtex`, `application/x-research-info-systems`,
    `application/vnd.citationstyles.csl+json`, `text/x-bibliography`) or `?format=`."""
    return reply.bibliography(page)


add_format_operations(
    router,
    "/v1/{kind}/{slug}/references",
    BIBLIOGRAPHY_FORMATS[1:],
    PagePath,
    lambda reply, page, fmt: reply.bibliography_as(page, fmt),
    operation="get_references",
    noun="A page's bibliography",
    statuses=(308, 404, 422),
    models={CSL_JSON: list[CslItem]},
)

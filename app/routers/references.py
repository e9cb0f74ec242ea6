"""A page's bibliography in several formats, for conditions, mechanisms and interventions alike."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Path, Request
from starlette.responses import Response

from app.deps import SettingsDep, SnapshotDep
from app.http import respond as conditional
from app.http.errors import error_responses
from app.http.negotiation import BIBLIOGRAPHY_FORMATS
from app.models.reference import ReferenceList
from app.routers.conditions import REDIRECT

router = APIRouter(tags=["citations"])


class PageKind(StrEnum):
    conditions = "conditions"
    mechanisms = "mechanisms"
    interventions = "interventions"


@router.get(
    "/v1/{kind}/{slug}/references",
    response_model=ReferenceList,
    summary="A page's bibliography",
    responses={**REDIRECT, **error_responses(404, 422), **conditional.alternate_content(BIBLIOGRAPHY_FORMATS)},
)
async def get_references(
    request: Request,
    snapshot: SnapshotDep,
    settings: SettingsDep,
    kind: PageKind,
    slug: Annotated[str, Path(max_length=200, description="Slug, name or alias (any case).")],
    fmt: conditional.FormatQuery = None,
) -> Response:
    """Every citation a condition, mechanism or intervention page cites, in order of first appearance:
    JSON, or BibTeX, RIS, CSL-JSON or a formatted AMA bibliography, chosen by Accept
    (`application/x-bibtex`, `application/x-research-info-systems`,
    `application/vnd.citationstyles.csl+json`, `text/x-bibliography`) or `?format=`."""
    return conditional.send_bibliography(request, snapshot, settings, kind.value[:-1], slug, fmt)

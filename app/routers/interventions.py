"""Intervention endpoints: list with filters, and one intervention with its evidence per condition."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from app.deps import SettingsDep, SnapshotDep
from app.http import respond as conditional
from app.http.errors import InvalidParameter, error_responses
from app.http.negotiation import PAGE_FORMATS
from app.models.intervention import InterventionPage, InterventionSummary
from app.models.response import Page
from app.models.vocabulary import SLUG_PATTERN, EvidenceGrade, InterventionKind
from app.pagination import Limit, Offset, UpdatedSince, changed_since, send_page
from app.routers.conditions import REDIRECT

router = APIRouter(prefix="/v1/interventions", tags=["interventions"])


@router.get("", response_model=Page[InterventionSummary], summary="List interventions", responses=error_responses(422))
async def list_interventions(
    request: Request,
    snapshot: SnapshotDep,
    settings: SettingsDep,
    kind: Annotated[InterventionKind | None, Query(description="drug, procedure, cell-based, …")] = None,
    condition: Annotated[
        str | None,
        Query(
            pattern=SLUG_PATTERN,
            max_length=80,
            description="Only interventions used for this condition (slug).",
            examples=["alopecia-areata"],
        ),
    ] = None,
    grade: Annotated[EvidenceGrade | None, Query(description="Only uses with this evidence grade.")] = None,
    updated_since: UpdatedSince = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> Response:
    """Intervention summaries in curated order. `condition` and `grade` combine: `?condition=x&grade=y`
    lists what is used for x with grade y. An unknown `condition` slug is a 422."""
    if condition is not None and condition not in snapshot.kb.conditions:
        raise InvalidParameter(
            f"Unknown condition '{condition}'.",
            [{"in": "query", "name": "condition", "message": "unknown condition slug"}],
        )

    def select() -> list[InterventionSummary]:
        return [
            snapshot.pages.intervention_summary(item)
            for item in snapshot.kb.interventions.values()
            if (kind is None or item.kind == kind)
            and any(
                (condition is None or u.condition == condition) and (grade is None or u.grade == grade)
                for u in item.uses
            )
            and changed_since(snapshot.kb.updated.get(("intervention", item.slug)), updated_since)
        ]

    filters = {"kind": kind, "condition": condition, "grade": grade, "updated_since": updated_since}
    return send_page(request, snapshot, settings, filters, limit, offset, select)


@router.get(
    "/{slug}",
    response_model=InterventionPage,
    summary="Get an intervention",
    responses={**REDIRECT, **error_responses(404, 422), **conditional.alternate_content(PAGE_FORMATS)},
)
async def get_intervention(
    request: Request,
    snapshot: SnapshotDep,
    settings: SettingsDep,
    slug: Annotated[
        str, Path(max_length=200, description="Slug, name or alias (any case).", examples=["jak-inhibitors"])
    ],
    fmt: conditional.FormatQuery = None,
) -> Response:
    """One intervention: for each condition it is used for, an evidence grade (approved,
    supported-by-rcts, limited, investigational, no-evidence, discredited), a plain summary and the
    evidence entries with their citations — conflicting sources are listed side by side, and retracted
    papers appear only as `retracted-source`. Also the mechanisms it acts on and its references."""
    return conditional.send_entity(request, snapshot, settings, "intervention", slug, fmt)

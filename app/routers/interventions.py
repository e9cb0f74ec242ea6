"""Intervention endpoints: list with filters, and one intervention with its evidence per condition."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from app.deps import InterventionDep, InterventionPath, ReplyDep, name_query, named_filter
from app.http.openapi import documented
from app.http.respond import Limit, Offset, UpdatedSince
from app.models.intervention import InterventionPage, InterventionSummary
from app.models.kind import Kind
from app.models.regulatory import Agency
from app.models.response import Page
from app.models.vocabulary import EvidenceGrade, InterventionKind
from app.readmodel import lists
from app.readmodel.urls import collection_url
from app.routers.formats import PAGE_RESPONSES, add_page_format_operations

router = APIRouter(prefix=collection_url(Kind.intervention), tags=[Kind.intervention.plural])


@router.get(
    "", response_model=Page[InterventionSummary], summary="List interventions", responses=documented(422, paged=True)
)
async def list_interventions(
    reply: ReplyDep,
    kind: Annotated[InterventionKind | None, Query(description="drug, procedure, cell-based, …")] = None,
    condition: Annotated[str | None, name_query("Only interventions used for this condition", "FPHL")] = None,
    grade: Annotated[EvidenceGrade | None, Query(description="Only uses with this evidence grade.")] = None,
    approved_by: Annotated[
        Agency | None,
        Query(description="Only what this regulator approved, cleared or listed OTC (for `condition`, if given)."),
    ] = None,
    updated_since: UpdatedSince = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> Response:
    """Intervention summaries in curated order. `condition` and `grade` combine: `?condition=x&grade=y`
    lists what is used for x with grade y; `?approved_by=FDA&condition=x` lists what the FDA authorised
    for x. `condition` takes a slug, name or alias, as paths do (`?condition=FPHL`); an unknown one is a 422."""
    condition = named_filter(reply, Kind.condition, condition, "condition")
    filters = {
        "kind": kind,
        "condition": condition,
        "grade": grade,
        "approved_by": approved_by,
        "updated_since": updated_since,
    }
    return reply.paged(
        filters,
        limit,
        offset,
        lambda: lists.interventions(
            reply.snapshot,
            kind=kind,
            condition=condition,
            grade=grade,
            approved_by=approved_by,
            since=updated_since,
        ),
    )


@router.get(
    "/{slug}",
    response_model=InterventionPage,
    summary="Get an intervention",
    responses=PAGE_RESPONSES,
)
async def get_intervention(reply: ReplyDep, intervention: InterventionDep) -> Response:
    """One intervention: what regulators decided (`regulatory`: agency, status, indication, population,
    year, products, the label cited); its `safety` from the label (common side effects, serious warnings,
    pregnancy, who should not use it, monitoring) and `usage` (how it is used, time to results, what
    happens on stopping); for each condition it is used for, an evidence grade (approved,
    supported-by-rcts, limited, investigational, no-evidence, discredited), a plain summary and the
    evidence entries with their citations — conflicting sources are listed side by side, and retracted
    papers appear only as `retracted-source`. Also the mechanisms it acts on and its references."""
    return reply.entity(intervention)


add_page_format_operations(router, Kind.intervention, InterventionPath)

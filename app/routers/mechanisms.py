"""Mechanism endpoints: list with filters, and one mechanism with the conditions that involve it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from app.deps import MechanismDep, MechanismPath, ReplyDep
from app.http.openapi import documented
from app.http.respond import Limit, Offset, UpdatedSince
from app.models.kind import Kind
from app.models.mechanism import MechanismPage, MechanismSummary
from app.models.response import Page
from app.models.vocabulary import CellType, HairCycleEffect
from app.readmodel import lists
from app.readmodel.urls import collection_url
from app.routers.formats import PAGE_RESPONSES, add_page_format_operations

router = APIRouter(prefix=collection_url(Kind.mechanism), tags=[Kind.mechanism.plural])


@router.get(
    "",
    response_model=Page[MechanismSummary],
    summary="List mechanisms",
    responses=documented(422, paged=True),
)
async def list_mechanisms(
    reply: ReplyDep,
    cell_type: Annotated[CellType | None, Query(description="Only mechanisms involving this cell type.")] = None,
    effect: Annotated[HairCycleEffect | None, Query(description="Only mechanisms with this hair-cycle effect.")] = None,
    updated_since: UpdatedSince = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> Response:
    """Mechanism summaries in curated order, filterable by cell type and effect on the hair cycle."""
    filters = {"cell_type": cell_type, "effect": effect, "updated_since": updated_since}
    return reply.paged(
        filters,
        limit,
        offset,
        lambda: lists.mechanisms(reply.snapshot, cell_type=cell_type, effect=effect, since=updated_since),
    )


@router.get(
    "/{slug}",
    response_model=MechanismPage,
    summary="Get a mechanism",
    responses=PAGE_RESPONSES,
)
async def get_mechanism(reply: ReplyDep, mechanism: MechanismDep) -> Response:
    """One mechanism: summary, effect on the hair cycle, molecules, cell types, Markdown and HTML body,
    the conditions that involve it (with the role it plays there), the interventions that act on it
    and its references. Aliases such as
    `OSM` answer 308 to the canonical URL."""
    return reply.entity(mechanism)


add_page_format_operations(router, Kind.mechanism, MechanismPath)

"""Mechanism endpoints: list with filters, and one mechanism with the conditions that involve it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from app.deps import SettingsDep, SnapshotDep
from app.http import respond as conditional
from app.http.errors import error_responses
from app.http.negotiation import PAGE_FORMATS
from app.models.mechanism import MechanismPage, MechanismSummary
from app.models.response import Page
from app.models.vocabulary import CellType, HairCycleEffect
from app.pagination import Limit, Offset, UpdatedSince, changed_since, send_page
from app.routers.conditions import REDIRECT

router = APIRouter(prefix="/v1/mechanisms", tags=["mechanisms"])


@router.get(
    "",
    response_model=Page[MechanismSummary],
    summary="List mechanisms",
    responses=error_responses(422),
)
async def list_mechanisms(
    request: Request,
    snapshot: SnapshotDep,
    settings: SettingsDep,
    cell_type: Annotated[CellType | None, Query(description="Only mechanisms involving this cell type.")] = None,
    effect: Annotated[HairCycleEffect | None, Query(description="Only mechanisms with this hair-cycle effect.")] = None,
    updated_since: UpdatedSince = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> Response:
    """Mechanism summaries in curated order, filterable by cell type and effect on the hair cycle."""

    def select() -> list[MechanismSummary]:
        return [
            snapshot.pages.mechanism_summary(m)
            for m in snapshot.kb.mechanisms.values()
            if (cell_type is None or cell_type in m.cell_types)
            and (effect is None or effect in m.hair_cycle_effects)
            and changed_since(snapshot.kb.updated.get(("mechanism", m.slug)), updated_since)
        ]

    filters = {"cell_type": cell_type, "effect": effect, "updated_since": updated_since}
    return send_page(request, snapshot, settings, filters, limit, offset, select)


@router.get(
    "/{slug}",
    response_model=MechanismPage,
    summary="Get a mechanism",
    responses={**REDIRECT, **error_responses(404, 422), **conditional.alternate_content(PAGE_FORMATS)},
)
async def get_mechanism(
    request: Request,
    snapshot: SnapshotDep,
    settings: SettingsDep,
    slug: Annotated[
        str,
        Path(max_length=200, description="Slug, name or alias (any case).", examples=["oncostatin-m-jak-stat5"]),
    ],
    fmt: conditional.FormatQuery = None,
) -> Response:
    """One mechanism: summary, effect on the hair cycle, molecules, cell types, Markdown and HTML body,
    the conditions that involve it (with the role it plays there), the interventions that act on it
    and its references. Aliases such as
    `OSM` answer 308 to the canonical URL."""
    return conditional.send_entity(request, snapshot, settings, "mechanism", slug, fmt)

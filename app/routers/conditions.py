"""Condition endpoints: list with filters, and the full page of one condition."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from app.deps import ConditionDep, ConditionPath, ReplyDep, name_query, named_filter
from app.http.openapi import documented
from app.http.respond import Limit, Offset, UpdatedSince
from app.models.condition import ConditionList, ConditionPage
from app.models.kind import Kind
from app.models.presentation import AgeBand, Course, Facet, Onset, Pattern, ScalpFinding, Scarring, Who
from app.models.vocabulary import Category
from app.readmodel import lists
from app.readmodel.urls import collection_url
from app.routers.formats import PAGE_RESPONSES, add_page_format_operations

router = APIRouter(prefix=collection_url(Kind.condition), tags=[Kind.condition.plural])


@router.get(
    "",
    response_model=ConditionList,
    summary="List conditions",
    responses=documented(422, paged=True),
)
async def list_conditions(
    reply: ReplyDep,
    category: Annotated[Category | None, Query(description="Scarring or non-scarring.")] = None,
    mechanism: Annotated[
        str | None, name_query("Only conditions involving this mechanism", "macrophage-polarization")
    ] = None,
    parent: Annotated[str | None, name_query("Only children of this condition", "primary-cicatricial-alopecia")] = None,
    code: Annotated[
        str | None,
        Query(
            max_length=40,
            pattern=r"^[A-Za-z0-9]+:[A-Za-z0-9.]+$",
            description="A standard code as SYSTEM:CODE — ICD10CM, ICD11, MESH, MONDO or ORPHA.",
            examples=["ICD10CM:L65.0"],
        ),
    ] = None,
    pattern: Annotated[list[Pattern] | None, Query(description="Where and how the hair is lost.")] = None,
    onset: Annotated[list[Onset] | None, Query(description="Sudden or gradual.")] = None,
    course: Annotated[list[Course] | None, Query(description="Acute, chronic or relapsing.")] = None,
    scarring: Annotated[list[Scarring] | None, Query(description="Whether it scars: no, yes, possible.")] = None,
    scalp_findings: Annotated[list[ScalpFinding] | None, Query(description="What the scalp shows.")] = None,
    who: Annotated[
        list[Who] | None, Query(description="Who it affects; conditions that affect `all` match any value.")
    ] = None,
    age: Annotated[list[AgeBand] | None, Query(description="Typical age.")] = None,
    updated_since: UpdatedSince = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> Response:
    """Condition summaries in curated order. Filters combine with AND. `code` finds the conditions that
    carry a standard code (exact, broader or narrower; see each page's `codes`). The `Link` header
    carries `first`, `next` and `prev` URLs. `mechanism` and `parent` take a slug, name or alias, as paths do
    (`?parent=PCA`); an unknown one is a 422.

    **Navigator** ("what could this be"): the presentation facets `pattern`, `onset`, `course`,
    `scarring`, `scalp_findings`, `who` and `age` may each be repeated (`?pattern=patchy&pattern=diffuse`):
    values of one facet combine with OR, facets with AND. Each item says which of the asked values it
    `matched`; `facets` counts, for every value, the conditions the list would hold with that value chosen
    (the other facets keeping their choices). An unknown value is a 422 that lists the allowed ones."""
    mechanism = named_filter(reply, Kind.mechanism, mechanism, "mechanism")
    parent = named_filter(reply, Kind.condition, parent, "parent")
    asked = {
        Facet.pattern: pattern,
        Facet.onset: onset,
        Facet.course: course,
        Facet.scarring: scarring,
        Facet.scalp_findings: scalp_findings,
        Facet.who: who,
        Facet.age: age,
    }
    query = lists.ConditionQuery(
        category=category,
        mechanism=mechanism,
        parent=parent,
        code=code,
        since=updated_since,
        wanted={facet: frozenset(v.value for v in values) for facet, values in asked.items() if values},
    )
    filters: dict[str, object] = {
        "category": category,
        "mechanism": mechanism,
        "parent": parent,
        "code": code,
        **{facet.value: sorted(query.wanted.get(facet, ())) for facet in Facet},
        "updated_since": updated_since,
    }
    return reply.paged(
        filters,
        limit,
        offset,
        lambda: lists.conditions(reply.snapshot, query),
        envelope=ConditionList,
        extra=lambda: {"facets": lists.condition_facets(reply.snapshot, query)},
    )


@router.get(
    "/{slug}",
    response_model=ConditionPage,
    summary="Get a condition page",
    responses=PAGE_RESPONSES,
)
async def get_condition(reply: ReplyDep, condition: ConditionDep) -> Response:
    """Everything needed to render a condition page in one cacheable response: sections (Markdown and
    sanitised HTML with citation superscripts), mechanisms with their role, parent and children, and
    the numbered references in order of first appearance. Aliases such as `FPHL` answer 308 to the
    canonical URL."""
    return reply.entity(condition)


add_page_format_operations(router, Kind.condition, ConditionPath)

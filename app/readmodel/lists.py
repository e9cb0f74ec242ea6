"""The entities behind each list endpoint: filtered, in curated order, as summaries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from app.models.condition import ConditionListItem
from app.models.intervention import InterventionSummary
from app.models.kind import Kind
from app.models.mechanism import MechanismSummary
from app.models.record import ConditionRecord, InterventionRecord
from app.models.reference import Reference
from app.models.regulatory import Agency
from app.models.vocabulary import (
    Category,
    CellType,
    EvidenceGrade,
    HairCycleEffect,
    InterventionKind,
    Organism,
    PublicationType,
)
from app.readmodel import navigator
from app.readmodel.relations import code_key
from app.readmodel.snapshot import Snapshot


def _changed_since(snapshot: Snapshot, kind: Kind, key: str, since: dt.date | None) -> bool:
    """Whether an entity's content changed on or after `since` (always, without a date)."""
    if since is None:
        return True
    updated = snapshot.relations.updated.get((kind, key))
    return updated is not None and updated >= since


@dataclass(frozen=True)
class ConditionQuery:
    category: Category | None = None
    mechanism: str | None = None
    parent: str | None = None
    code: str | None = None
    since: dt.date | None = None
    wanted: navigator.Wanted = field(default_factory=dict)


def _filtered(snapshot: Snapshot, query: ConditionQuery) -> list[ConditionRecord]:
    """The conditions every filter but the presentation facets lets through, in curated order."""
    coded = set(snapshot.relations.codes.get(code_key(query.code), [])) if query.code is not None else None
    return [
        c
        for c in snapshot.kb.conditions.values()
        if (query.category is None or c.category == query.category)
        and (query.parent is None or c.parent == query.parent)
        and (query.mechanism is None or any(m.slug == query.mechanism for m in c.mechanisms))
        and (coded is None or c.slug in coded)
        and _changed_since(snapshot, Kind.condition, c.slug, query.since)
    ]


def conditions(snapshot: Snapshot, query: ConditionQuery) -> list[ConditionListItem]:
    return [
        navigator.item(snapshot.pages.condition_summary(c), c, query.wanted)
        for c in navigator.matching(_filtered(snapshot, query), query.wanted)
    ]


def condition_facets(snapshot: Snapshot, query: ConditionQuery) -> dict[str, dict[str, int]]:
    return navigator.facet_counts(_filtered(snapshot, query), query.wanted)


def mechanisms(
    snapshot: Snapshot, *, cell_type: CellType | None, effect: HairCycleEffect | None, since: dt.date | None
) -> list[MechanismSummary]:
    return [
        snapshot.pages.mechanism_summary(m)
        for m in snapshot.kb.mechanisms.values()
        if (cell_type is None or cell_type in m.cell_types)
        and (effect is None or effect in m.hair_cycle_effects)
        and _changed_since(snapshot, Kind.mechanism, m.slug, since)
    ]


def _approved(item: InterventionRecord, agency: Agency | None, condition: str | None) -> bool:
    """Whether `agency` authorised it (for `condition`, when one is asked for)."""
    return agency is None or any(
        r.agency == agency and r.status.authorises and (condition is None or condition in r.conditions)
        for r in item.regulatory
    )


def interventions(
    snapshot: Snapshot,
    *,
    kind: InterventionKind | None,
    condition: str | None,
    grade: EvidenceGrade | None,
    approved_by: Agency | None,
    since: dt.date | None,
) -> list[InterventionSummary]:
    """`condition` and `grade` hold for the same use: what is used for `condition` with `grade`; with
    `approved_by` too, that agency's authorisation covers `condition`."""
    return [
        snapshot.pages.intervention_summary(item)
        for item in snapshot.kb.interventions.values()
        if (kind is None or item.kind == kind)
        and any(
            (condition is None or u.condition == condition) and (grade is None or u.grade == grade) for u in item.uses
        )
        and _approved(item, approved_by, condition)
        and _changed_since(snapshot, Kind.intervention, item.slug, since)
    ]


def citations(
    snapshot: Snapshot,
    *,
    publication_type: PublicationType | None,
    organism: Organism | None,
    year_from: int | None,
    year_to: int | None,
    since: dt.date | None,
) -> list[Reference]:
    """A citation with an unknown year is left out when a year bound is set."""
    return [
        snapshot.pages.reference(c.number)
        for c in snapshot.kb.citations.values()
        if publication_type in (None, c.publication_type)
        and organism in (None, c.organism)
        and (year_from is None or (c.year is not None and c.year >= year_from))
        and (year_to is None or (c.year is not None and c.year <= year_to))
        and _changed_since(snapshot, Kind.citation, str(c.number), since)
    ]

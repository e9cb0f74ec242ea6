"""Reads the stored knowledge base back into validated records (the API serves only what was stored), all
tables from one snapshot of the database."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from sqlalchemy import Engine
from sqlmodel import Session, SQLModel, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.models import table as t
from app.models.kind import Kind
from app.models.knowledge import KnowledgeBase
from app.models.record import CitationRecord, ConditionRecord, InterventionRecord, MechanismRecord

READ_BATCH = 1000
T = TypeVar("T", bound=SQLModel)


def _grouped(session: Session, model: type[T], owner: Any, slug_of: Callable[[T], str]) -> dict[str, list[T]]:
    """Rows of a child table by their owner's slug (the `owner` column), each group in curated order."""
    groups: dict[str, list[T]] = defaultdict(list)
    order = (col(owner), col(model.__table__.c.position))  # type: ignore[attr-defined]
    for row in session.exec(select(model).order_by(*order)):
        groups[slug_of(row)].append(row)
    return groups


def _condition(row: t.Section | t.ConditionMechanism | t.ConditionCode) -> str:
    return row.condition_slug


def _intervention(row: t.InterventionUse | t.InterventionMechanism | t.RegulatoryRecord) -> str:
    return row.intervention_slug


def read_kb(engine: Engine) -> KnowledgeBase:
    """The knowledge base as stored, rebuilt into validated records (the API serves only this)."""
    with Session(engine) as session, session.begin():
        if engine.dialect.name == "postgresql":
            # Every table read from one snapshot of the database, even while `hairkb load` commits.
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        aliases: dict[tuple[str, str], list[str]] = defaultdict(list)
        for row in session.exec(select(t.Alias).order_by(col(t.Alias.entity_slug), col(t.Alias.position))):
            aliases[(row.entity_type, row.entity_slug)].append(row.alias)
        sections = _grouped(session, t.Section, t.Section.condition_slug, _condition)
        links = _grouped(session, t.ConditionMechanism, t.ConditionMechanism.condition_slug, _condition)
        codes = _grouped(session, t.ConditionCode, t.ConditionCode.condition_slug, _condition)
        uses = _grouped(session, t.InterventionUse, t.InterventionUse.intervention_slug, _intervention)
        acts_on = _grouped(session, t.InterventionMechanism, t.InterventionMechanism.intervention_slug, _intervention)
        decisions = _grouped(session, t.RegulatoryRecord, t.RegulatoryRecord.intervention_slug, _intervention)

        def ordered(query: SelectOfScalar[T]) -> Iterator[T]:
            # Streamed: each row object is released once its record is built, not held until the end.
            return iter(session.exec(query.execution_options(yield_per=READ_BATCH)))

        citations = [
            CitationRecord.model_validate(row.model_dump())
            for row in ordered(select(t.Citation).order_by(col(t.Citation.number)))
        ]
        conditions = [
            ConditionRecord.model_validate(
                {
                    "slug": c.slug,
                    "name": c.name,
                    "aliases": aliases[(Kind.condition, c.slug)],
                    "category": c.category,
                    "parent": c.parent_slug,
                    "summary": c.summary,
                    "last_reviewed": c.last_reviewed,
                    "immune_involvement": {"class": c.immune_class, "text": c.immune_text},
                    "reversibility": {"class": c.reversibility_class, "text": c.reversibility_text},
                    "presentation": c.presentation,
                    "mechanisms": [
                        {"slug": m.mechanism_slug, "role": m.role, "citations": m.citations} for m in links[c.slug]
                    ],
                    "sections": [{"id": s.section_id, "title": s.title, "body": s.body} for s in sections[c.slug]],
                    "codes": [code.model_dump(exclude={"condition_slug", "position"}) for code in codes[c.slug]],
                    "codes_note": c.codes_note,
                }
            )
            for c in ordered(select(t.Condition).order_by(col(t.Condition.position)))
        ]
        mechanisms = [
            MechanismRecord.model_validate(
                {
                    **m.model_dump(exclude={"position"}),
                    "aliases": aliases[(Kind.mechanism, m.slug)],
                }
            )
            for m in ordered(select(t.Mechanism).order_by(col(t.Mechanism.position)))
        ]
        interventions = [
            InterventionRecord.model_validate(
                {
                    **i.model_dump(exclude={"position", "safety", "usage"}),
                    **({"safety": i.safety} if i.safety is not None else {}),
                    **({"usage": i.usage} if i.usage is not None else {}),
                    "aliases": aliases[(Kind.intervention, i.slug)],
                    "regulatory": [r.model_dump(exclude={"intervention_slug", "position"}) for r in decisions[i.slug]],
                    "uses": [
                        {"condition": u.condition_slug, "grade": u.grade, "summary": u.summary, "evidence": u.evidence}
                        for u in uses[i.slug]
                    ],
                    "mechanisms": [
                        {"slug": m.mechanism_slug, "role": m.role, "citations": m.citations} for m in acts_on[i.slug]
                    ],
                }
            )
            for i in ordered(select(t.Intervention).order_by(col(t.Intervention.position)))
        ]
        return KnowledgeBase.build(citations, conditions, mechanisms, interventions)

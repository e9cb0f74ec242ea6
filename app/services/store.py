"""Writes a validated knowledge base into the SQL tables in one transaction, and reads it back."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import Engine, delete
from sqlmodel import Session, col, select

from app.models import table as t
from app.models.record import CitationRecord, ConditionRecord, MechanismRecord
from app.services.knowledge import KnowledgeBase
from app.services.text import normalize_alias


def _parents_first(conditions: list[ConditionRecord]) -> list[ConditionRecord]:
    """Order conditions so that each parent row is inserted before its children (foreign key)."""
    by_slug = {c.slug: c for c in conditions}
    ordered: dict[str, ConditionRecord] = {}

    def visit(cond: ConditionRecord) -> None:
        if cond.slug in ordered:
            return
        if cond.parent is not None and cond.parent in by_slug:
            visit(by_slug[cond.parent])
        ordered[cond.slug] = cond

    for cond in conditions:
        visit(cond)
    return list(ordered.values())


def write_kb(engine: Engine, kb: KnowledgeBase) -> None:
    """Replace the stored content with `kb` atomically: readers see the old or the new, never a mix."""
    with Session(engine) as session, session.begin():
        for model in t.CONTENT_TABLES:
            session.execute(delete(model))
        session.add_all(
            t.Citation(**c.model_dump(mode="python", exclude={"number"}), number=c.number)
            for c in kb.citations.values()
        )
        session.flush()
        positions = {slug: i for i, slug in enumerate(kb.conditions)}
        for cond in _parents_first(list(kb.conditions.values())):
            session.add(_condition_row(cond, positions[cond.slug]))
            session.flush()
        for i, mech in enumerate(kb.mechanisms.values()):
            session.add(
                t.Mechanism(
                    slug=mech.slug,
                    position=i,
                    name=mech.name,
                    summary=mech.summary,
                    hair_cycle_effects=[e.value for e in mech.hair_cycle_effects],
                    molecules=list(mech.molecules),
                    cell_types=[c.value for c in mech.cell_types],
                    evidence_organism=mech.evidence_organism.value,
                    body=mech.body,
                    last_reviewed=mech.last_reviewed,
                )
            )
        session.flush()
        for kind, records in (("condition", kb.conditions.values()), ("mechanism", kb.mechanisms.values())):
            for record in records:
                session.add_all(
                    t.Alias(
                        entity_type=kind,
                        entity_slug=record.slug,
                        position=i,
                        alias=alias,
                        normalized=normalize_alias(alias),
                    )
                    for i, alias in enumerate(record.aliases)
                )
        for cond in kb.conditions.values():
            session.add_all(
                t.Section(condition_slug=cond.slug, section_id=s.id, position=i, title=s.title, body=s.body)
                for i, s in enumerate(cond.sections)
            )
            session.add_all(
                t.ConditionMechanism(
                    condition_slug=cond.slug,
                    mechanism_slug=m.slug,
                    position=i,
                    role=m.role,
                    citations=list(m.citations),
                )
                for i, m in enumerate(cond.mechanisms)
            )
        session.add(t.ContentVersion(version=kb.version, loaded_at=dt.datetime.now(dt.UTC), counts=kb.counts()))


def _condition_row(cond: ConditionRecord, position: int) -> t.Condition:
    return t.Condition(
        slug=cond.slug,
        position=position,
        name=cond.name,
        category=cond.category.value,
        parent_slug=cond.parent,
        immune_class=cond.immune_involvement.level.value,
        immune_text=cond.immune_involvement.text,
        summary=cond.summary,
        reversibility_class=cond.reversibility.level.value,
        reversibility_text=cond.reversibility.text,
        last_reviewed=cond.last_reviewed,
    )


def latest_version(engine: Engine) -> str | None:
    with Session(engine) as session:
        row = session.exec(select(t.ContentVersion).order_by(col(t.ContentVersion.id).desc())).first()
        return row.version if row else None


def read_kb(engine: Engine) -> KnowledgeBase:
    """The knowledge base as stored, rebuilt into validated records (the API serves only this)."""
    with Session(engine) as session, session.begin():
        aliases: dict[tuple[str, str], list[str]] = defaultdict(list)
        for row in session.exec(select(t.Alias).order_by(col(t.Alias.entity_slug), col(t.Alias.position))):
            aliases[(row.entity_type, row.entity_slug)].append(row.alias)
        sections: dict[str, list[dict[str, str]]] = defaultdict(list)
        for s in session.exec(select(t.Section).order_by(col(t.Section.condition_slug), col(t.Section.position))):
            sections[s.condition_slug].append({"id": s.section_id, "title": s.title, "body": s.body})
        links: dict[str, list[dict[str, object]]] = defaultdict(list)
        for link in session.exec(
            select(t.ConditionMechanism).order_by(
                col(t.ConditionMechanism.condition_slug), col(t.ConditionMechanism.position)
            )
        ):
            links[link.condition_slug].append(
                {"slug": link.mechanism_slug, "role": link.role, "citations": link.citations}
            )
        citations = [
            CitationRecord.model_validate(row.model_dump())
            for row in session.exec(select(t.Citation).order_by(col(t.Citation.number)))
        ]
        conditions = [
            ConditionRecord.model_validate(
                {
                    "slug": c.slug,
                    "name": c.name,
                    "aliases": aliases[("condition", c.slug)],
                    "category": c.category,
                    "parent": c.parent_slug,
                    "summary": c.summary,
                    "last_reviewed": c.last_reviewed,
                    "immune_involvement": {"class": c.immune_class, "text": c.immune_text},
                    "reversibility": {"class": c.reversibility_class, "text": c.reversibility_text},
                    "mechanisms": links[c.slug],
                    "sections": sections[c.slug],
                }
            )
            for c in session.exec(select(t.Condition).order_by(col(t.Condition.position)))
        ]
        mechanisms = [
            MechanismRecord.model_validate(
                {
                    **m.model_dump(exclude={"position"}),
                    "aliases": aliases[("mechanism", m.slug)],
                }
            )
            for m in session.exec(select(t.Mechanism).order_by(col(t.Mechanism.position)))
        ]
    return KnowledgeBase.build(citations, conditions, mechanisms)

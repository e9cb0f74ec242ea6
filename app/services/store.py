"""Writes a validated knowledge base into the SQL tables in one transaction, and reads it back."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import Engine, delete, insert
from sqlmodel import Session, SQLModel, col, select

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
    """Replace the stored content with `kb` atomically: readers see the old or the new, never a mix.
    Rows go in as bulk inserts (executemany), parents before children for the foreign keys."""
    positions = {slug: i for i, slug in enumerate(kb.conditions)}
    conditions = _parents_first(list(kb.conditions.values()))
    entities = [("condition", r.slug, r.aliases) for r in conditions] + [
        ("mechanism", r.slug, r.aliases) for r in kb.mechanisms.values()
    ]
    rows: list[tuple[type[SQLModel], list[dict[str, Any]]]] = [
        (t.Citation, [c.model_dump(mode="python") for c in kb.citations.values()]),
        (t.Condition, [_condition_row(c, positions[c.slug]) for c in conditions]),
        (
            t.Mechanism,
            [
                {**m.model_dump(mode="json", exclude={"aliases"}), "position": i, "last_reviewed": m.last_reviewed}
                for i, m in enumerate(kb.mechanisms.values())
            ],
        ),
        (
            t.Alias,
            [
                {
                    "entity_type": kind,
                    "entity_slug": slug,
                    "position": i,
                    "alias": alias,
                    "normalized": normalize_alias(alias),
                }
                for kind, slug, aliases in entities
                for i, alias in enumerate(aliases)
            ],
        ),
        (
            t.Section,
            [
                {"condition_slug": c.slug, "section_id": s.id, "position": i, "title": s.title, "body": s.body}
                for c in conditions
                for i, s in enumerate(c.sections)
            ],
        ),
        (
            t.ConditionMechanism,
            [
                {
                    "condition_slug": c.slug,
                    "mechanism_slug": m.slug,
                    "position": i,
                    "role": m.role,
                    "citations": list(m.citations),
                }
                for c in conditions
                for i, m in enumerate(c.mechanisms)
            ],
        ),
    ]
    with Session(engine) as session, session.begin():
        for model in t.CONTENT_TABLES:
            session.execute(delete(model))
        for model, values in rows:
            if values:
                session.execute(insert(model), values)
        session.add(t.ContentVersion(version=kb.version, loaded_at=dt.datetime.now(dt.UTC), counts=kb.counts()))


def _condition_row(cond: ConditionRecord, position: int) -> dict[str, Any]:
    return {
        "slug": cond.slug,
        "position": position,
        "name": cond.name,
        "category": cond.category.value,
        "parent_slug": cond.parent,
        "immune_class": cond.immune_involvement.level.value,
        "immune_text": cond.immune_involvement.text,
        "summary": cond.summary,
        "reversibility_class": cond.reversibility.level.value,
        "reversibility_text": cond.reversibility.text,
        "last_reviewed": cond.last_reviewed,
    }


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

"""Writes a validated knowledge base into the SQL tables in one transaction, with each entity's content hash
per version (for `/v1/changes`); the latest version, and what changed between two. readback.py reads a
stored version back."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Engine, delete, insert, inspect
from sqlmodel import Session, SQLModel, col, select

from app.models import table as t
from app.models.kind import Kind
from app.models.knowledge import KnowledgeBase
from app.models.record import ConditionRecord, InterventionRecord
from app.text.fold import fold


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
    entities = [
        *((Kind.condition, r.slug, r.aliases) for r in conditions),
        *((kind, r.slug, r.aliases) for kind in (Kind.mechanism, Kind.intervention) for r in kb.named(kind).values()),
    ]
    interventions = list(kb.interventions.values())
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
                    "entity_type": kind.value,
                    "entity_slug": slug,
                    "position": i,
                    "alias": alias,
                    "normalized": fold(alias),
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
        (t.ConditionMechanism, [row for c in conditions for row in _mechanism_rows("condition_slug", c.slug, c)]),
        (
            t.ConditionCode,
            [
                {"condition_slug": c.slug, "position": i, **code.model_dump(mode="json")}
                for c in conditions
                for i, code in enumerate(c.codes)
            ],
        ),
        (
            t.Intervention,
            [
                {
                    **item.model_dump(
                        mode="json", include={"slug", "name", "kind", "summary", "body", "safety", "usage"}
                    ),
                    "position": i,
                    "last_reviewed": item.last_reviewed,
                }
                for i, item in enumerate(interventions)
            ],
        ),
        (
            t.InterventionUse,
            [
                {
                    "intervention_slug": item.slug,
                    "condition_slug": use.condition,
                    "position": i,
                    "grade": use.grade.value,
                    "summary": use.summary,
                    "evidence": [e.model_dump(mode="json") for e in use.evidence],
                }
                for item in interventions
                for i, use in enumerate(item.uses)
            ],
        ),
        (
            t.RegulatoryRecord,
            [
                {"intervention_slug": item.slug, "position": i, **record.model_dump(mode="json")}
                for item in interventions
                for i, record in enumerate(item.regulatory)
            ],
        ),
        (
            t.InterventionMechanism,
            [row for item in interventions for row in _mechanism_rows("intervention_slug", item.slug, item)],
        ),
    ]
    with Session(engine) as session, session.begin():
        _lock_writers(session)  # first: the rebuild below is a write too
        _rebuild_stale_content_tables(session)
        for model in t.CONTENT_TABLES:
            session.execute(delete(model))
        for model, values in rows:
            if values:
                session.execute(insert(model), values)
        _record_states(session, kb)
        session.add(t.ContentVersion(version=kb.version, loaded_at=dt.datetime.now(dt.UTC), counts=kb.counts()))


# The PostgreSQL advisory lock that writers of a version take ("hair" in ASCII).
WRITER_LOCK = 0x68616972


def _lock_writers(session: Session) -> None:
    """One writer at a time: a second `hairkb load` (or a reload) waits for the first to commit, then writes
    its own version on top, instead of both deleting and inserting the same rows at once."""
    connection = session.connection(execution_options={"write": True})  # SQLite: BEGIN IMMEDIATE
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITER_LOCK})")


def _rebuild_stale_content_tables(session: Session) -> None:
    """Content tables whose columns are not this release's are dropped and created afresh, inside the
    load's transaction: their rows are replaced by every load anyway, so nothing is lost, and a reader
    sees the old tables and rows or the new ones. Versions and entity states keep their history."""
    connection = session.connection()
    inspector = inspect(connection)
    tables = [model.__table__ for model in t.CONTENT_TABLES]  # type: ignore[attr-defined]
    stale = [
        table
        for table in tables
        if inspector.has_table(table.name)
        and {c["name"] for c in inspector.get_columns(table.name)} != set(table.columns.keys())
    ]
    if stale:
        for table in tables:  # children first: the order CONTENT_TABLES is declared in
            table.drop(connection, checkfirst=True)
        SQLModel.metadata.create_all(connection, tables=list(reversed(tables)))


def entity_states(session: Session, version: str) -> dict[tuple[str, str], t.EntityState]:
    rows = session.exec(select(t.EntityState).where(t.EntityState.version == version))
    return {(row.entity_type, row.key): row for row in rows}


def _record_states(session: Session, kb: KnowledgeBase) -> None:
    """Entity hashes for this version, each with the date this database first held that content (an audit
    trail of loads; the API's `updated` dates come from the data itself, see the read model's relations)."""
    previous = session.exec(select(t.ContentVersion).order_by(col(t.ContentVersion.id).desc())).first()
    before = entity_states(session, previous.version) if previous else {}
    today = dt.datetime.now(dt.UTC).date()
    session.execute(delete(t.EntityState).where(col(t.EntityState.version) == kb.version))
    rows = []
    for (kind, key), digest in kb.entity_hashes().items():
        old = before.get((kind, key))
        updated = old.updated if old is not None and old.content_hash == digest else today
        rows.append(
            {"version": kb.version, "entity_type": kind.value, "key": key, "content_hash": digest, "updated": updated}
        )
    if rows:
        session.execute(insert(t.EntityState), rows)


def changes(engine: Engine, since: str, current: str) -> dict[str, dict[str, list[str]]] | None:
    """Entities added, changed and removed between two loaded versions, by kind; None for an unknown version."""
    with Session(engine) as session:
        old, new = entity_states(session, since), entity_states(session, current)
    if not old and since != current:
        return None
    out: dict[str, dict[str, list[str]]] = {"added": {}, "changed": {}, "removed": {}}
    for (kind, key), state in new.items():
        previous = old.get((kind, key))
        change = "added" if previous is None else "changed" if previous.content_hash != state.content_hash else None
        if change:
            out[change].setdefault(Kind(kind).plural, []).append(key)
    for kind, key in old.keys() - new.keys():
        out["removed"].setdefault(Kind(kind).plural, []).append(key)
    for group in out.values():
        for keys in group.values():
            keys.sort(key=lambda k: (len(k), k))
    return out


def _mechanism_rows(owner_key: str, owner: str, record: ConditionRecord | InterventionRecord) -> list[dict[str, Any]]:
    """Link rows from a condition or an intervention to the mechanisms it involves or acts on."""
    return [
        {owner_key: owner, "mechanism_slug": m.slug, "position": i, "role": m.role, "citations": list(m.citations)}
        for i, m in enumerate(record.mechanisms)
    ]


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
        "presentation": cond.presentation.model_dump(mode="json"),
        "codes_note": cond.codes_note,
        "last_reviewed": cond.last_reviewed,
    }


def latest_version(engine: Engine) -> str | None:
    with Session(engine) as session:
        row = session.exec(select(t.ContentVersion).order_by(col(t.ContentVersion.id).desc())).first()
        return row.version if row else None

"""SQLModel tables: the relational form of the knowledge base (written by the loader, read back on start)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel


def _json() -> Any:
    return Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class ContentVersion(SQLModel, table=True):
    __tablename__ = "content_version"

    id: int | None = Field(default=None, primary_key=True)
    version: str = Field(index=True)
    loaded_at: dt.datetime
    counts: dict[str, int] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class EntityState(SQLModel, table=True):
    """Each entity's content hash in each loaded version, and the date this database first held that content."""

    __tablename__ = "entity_state"

    version: str = Field(primary_key=True)
    entity_type: str = Field(primary_key=True)
    key: str = Field(primary_key=True)
    content_hash: str
    updated: dt.date


class Citation(SQLModel, table=True):
    __tablename__ = "citation"

    number: int = Field(primary_key=True)
    authors: list[str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    authors_complete: bool | None = None
    title: str
    journal: str | None = None
    journal_abbrev: str | None = None
    year: int | None = Field(default=None, index=True)
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = Field(default=None, index=True)
    pmid: str | None = Field(default=None, index=True)
    pmcid: str | None = None
    publication_type: str = Field(index=True)
    publication_detail: str | None = None
    publisher: str | None = None
    organism: str | None = Field(default=None, index=True)
    retracted: bool = False
    url: str | None = None
    source_url: str
    additional_sources: list[str] = _json()
    findings: list[dict[str, str]] = _json()
    notes: str | None = None


class Condition(SQLModel, table=True):
    __tablename__ = "condition"

    slug: str = Field(primary_key=True)
    position: int
    name: str
    category: str = Field(index=True)
    parent_slug: str | None = Field(default=None, foreign_key="condition.slug", index=True)
    immune_class: str
    immune_text: str
    summary: str
    reversibility_class: str
    reversibility_text: str
    # Facet -> {values, citations}; the navigator filters in memory, so one JSON document per condition.
    presentation: dict[str, dict[str, list[object]]] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    codes_note: str | None = None
    last_reviewed: dt.date


class Mechanism(SQLModel, table=True):
    __tablename__ = "mechanism"

    slug: str = Field(primary_key=True)
    position: int
    name: str
    summary: str
    hair_cycle_effects: list[str] = _json()
    molecules: list[str] = _json()
    cell_types: list[str] = _json()
    evidence_organism: str
    body: str
    last_reviewed: dt.date


class Alias(SQLModel, table=True):
    """Every alternative name of a condition or mechanism; `normalized` is what lookups compare."""

    __tablename__ = "alias"

    id: int | None = Field(default=None, primary_key=True)
    entity_type: str = Field(index=True)
    entity_slug: str = Field(index=True)
    position: int
    alias: str
    normalized: str = Field(index=True, unique=True)


class Section(SQLModel, table=True):
    __tablename__ = "section"

    condition_slug: str = Field(foreign_key="condition.slug", primary_key=True)
    section_id: str = Field(primary_key=True)
    position: int
    title: str
    body: str


class ConditionMechanism(SQLModel, table=True):
    """Link: a mechanism involved in a condition, with its role there and the citations behind it."""

    __tablename__ = "condition_mechanism"

    condition_slug: str = Field(foreign_key="condition.slug", primary_key=True)
    mechanism_slug: str = Field(foreign_key="mechanism.slug", primary_key=True)
    position: int
    role: str
    citations: list[int] = _json()


class ConditionCode(SQLModel, table=True):
    """A standard code (ICD-10-CM, ICD-11, MeSH, MONDO, Orphanet) of a condition."""

    __tablename__ = "condition_code"

    condition_slug: str = Field(foreign_key="condition.slug", primary_key=True)
    position: int = Field(primary_key=True)
    system: str = Field(index=True)
    code: str = Field(index=True)
    title: str | None = None
    match: str
    note: str | None = None


class Intervention(SQLModel, table=True):
    __tablename__ = "intervention"

    slug: str = Field(primary_key=True)
    position: int
    name: str
    kind: str = Field(index=True)
    summary: str
    body: str
    safety: dict[str, str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    usage: dict[str, str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    last_reviewed: dt.date


class RegulatoryRecord(SQLModel, table=True):
    """One regulator's decision about an intervention, with the label or record that states it."""

    __tablename__ = "regulatory_record"

    intervention_slug: str = Field(foreign_key="intervention.slug", primary_key=True)
    position: int = Field(primary_key=True)
    agency: str = Field(index=True)
    status: str = Field(index=True)
    indication: str
    conditions: list[str] = _json()
    population: str | None = None
    year: int | None = None
    products: list[str] = _json()
    citations: list[int] = _json()


class InterventionUse(SQLModel, table=True):
    """Link: an intervention used for a condition, with its evidence grade and the evidence behind it."""

    __tablename__ = "intervention_use"

    intervention_slug: str = Field(foreign_key="intervention.slug", primary_key=True)
    condition_slug: str = Field(foreign_key="condition.slug", primary_key=True)
    position: int
    grade: str = Field(index=True)
    summary: str
    evidence: list[dict[str, object]] = _json()


class InterventionMechanism(SQLModel, table=True):
    __tablename__ = "intervention_mechanism"

    intervention_slug: str = Field(foreign_key="intervention.slug", primary_key=True)
    mechanism_slug: str = Field(foreign_key="mechanism.slug", primary_key=True)
    position: int
    role: str
    citations: list[int] = _json()


# Children before parents, the order in which content is deleted.
CONTENT_TABLES: list[type[SQLModel]] = [
    RegulatoryRecord,
    InterventionMechanism,
    InterventionUse,
    Intervention,
    ConditionCode,
    ConditionMechanism,
    Section,
    Alias,
    Mechanism,
    Condition,
    Citation,
]

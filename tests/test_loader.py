"""Loading validated records into the SQL tables: counts, relations, round trip and atomic replacement."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func
from sqlmodel import Session, SQLModel, select

from app.db import make_engine
from app.ingest.readback import read_kb
from app.ingest.store import latest_version, write_kb
from app.ingest.validation import load_knowledge
from app.models import table as t
from app.models.knowledge import KnowledgeBase
from tests.conftest import DATA


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge(DATA)


def _count(session: Session, model: type[SQLModel]) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def test_real_data_loads_with_expected_counts_and_relations(kb: KnowledgeBase, tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'kb.db'}")
    write_kb(engine, kb)

    with Session(engine) as session:
        assert _count(session, t.Condition) == len(kb.conditions) >= 8
        assert _count(session, t.Mechanism) == len(kb.mechanisms) >= 8
        assert _count(session, t.Citation) == len(kb.citations) >= 13
        aliases = sum(len(c.aliases) for c in kb.conditions.values())
        aliases += sum(len(m.aliases) for m in kb.mechanisms.values())
        aliases += sum(len(i.aliases) for i in kb.interventions.values())
        assert _count(session, t.Alias) == aliases
        assert _count(session, t.Section) == sum(len(c.sections) for c in kb.conditions.values())
        children = session.exec(
            select(t.Condition.slug).where(t.Condition.parent_slug == "primary-cicatricial-alopecia")
        ).all()
        assert sorted(children) == [
            "acne-keloidalis",
            "central-centrifugal-cicatricial-alopecia",
            "dissecting-cellulitis",
            "folliculitis-decalvans",
            "frontal-fibrosing-alopecia",
            "lichen-planopilaris",
            "pseudopelade-of-brocq",
        ]
        fphl = session.get(t.Condition, "female-pattern-hair-loss")
        assert fphl is not None and fphl.parent_slug == "androgenetic-alopecia"
        link = session.get(t.ConditionMechanism, ("alopecia-areata", "immune-privilege-collapse"))
        assert link is not None and link.citations == [16, 63, 64] and "immune state" in link.role
        assert _count(session, t.RegulatoryRecord) == sum(len(i.regulatory) for i in kb.interventions.values()) > 20
        baricitinib = session.get(t.Intervention, "baricitinib")
        assert baricitinib is not None and baricitinib.safety is not None and baricitinib.safety["serious"]
        alias = session.exec(select(t.Alias).where(t.Alias.normalized == "fphl")).one()
        assert alias.entity_slug == "female-pattern-hair-loss"
        citation2 = session.get(t.Citation, 2)
        assert citation2 is not None and citation2.journal == "npj Regenerative Medicine"


def test_round_trip_through_the_database_preserves_every_record(kb: KnowledgeBase) -> None:
    engine = make_engine("sqlite://")
    write_kb(engine, kb)

    back = read_kb(engine)

    assert back.as_documents() == kb.as_documents()
    assert back.version == kb.version
    assert latest_version(engine) == kb.version


def test_loading_again_replaces_content_instead_of_adding(kb: KnowledgeBase, tiny_data: Path) -> None:
    engine = make_engine("sqlite://")
    write_kb(engine, kb)
    tiny = load_knowledge(tiny_data)

    write_kb(engine, tiny)

    assert read_kb(engine).as_documents() == tiny.as_documents()
    with Session(engine) as session:
        assert _count(session, t.ContentVersion) == 2


def test_failed_load_leaves_previous_content_intact(kb: KnowledgeBase, tiny_data: Path) -> None:
    engine = make_engine("sqlite://")
    write_kb(engine, kb)
    tiny = load_knowledge(tiny_data)
    # Two entities claiming one alias pass no validator; here it stands for any failure mid-load.
    cond = next(iter(tiny.conditions.values()))
    clash = cond.model_copy(update={"slug": "other", "name": "Other", "parent": None})
    broken = KnowledgeBase(tiny.citations, {**tiny.conditions, "other": clash}, tiny.mechanisms, version="broken")

    with pytest.raises(Exception, match="UNIQUE"):
        write_kb(engine, broken)

    assert read_kb(engine).version == kb.version


def test_reading_data_files_keeps_no_parser_state() -> None:
    """Every number and date goes through PyYAML's constructor; none of its nodes may outlive the read
    (a long-lived constructor once kept them all: 130 MB at the scale benchmark's size)."""

    def live_nodes() -> int:
        gc.collect()
        return sum(1 for o in gc.get_objects() if isinstance(o, yaml.Node))

    before = live_nodes()
    for _ in range(2):
        kb = load_knowledge(DATA)
    assert kb.citations and live_nodes() <= before


def test_a_load_rebuilds_content_tables_of_an_older_release(tiny_data: Path, tmp_path: Path) -> None:
    """A database written by an earlier release lacks this release's columns (and a table): the next load
    replaces the content tables and keeps the version history."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    write_kb(engine, load_knowledge(tiny_data))
    first = latest_version(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("ALTER TABLE citation DROP COLUMN findings")
        connection.exec_driver_sql("DROP TABLE regulatory_record")
    engine.dispose()

    engine = make_engine(url)  # creates what is missing, cannot alter what exists
    kb = load_knowledge(tiny_data)
    write_kb(engine, kb)

    assert read_kb(engine) == kb
    with Session(engine) as session:
        versions = session.exec(select(t.ContentVersion.version)).all()
    assert versions == [first, kb.version]

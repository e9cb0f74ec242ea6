"""How a data version is built: the FTS5 table holds exactly the search documents whatever the batching,
a failed insert fails the build, the paused garbage collector is always restored, and a served version is
frozen until the next one."""

from __future__ import annotations

import gc
import sqlite3
import weakref

import pytest

from app.collector import collector_paused, settle
from app.ingest.validation import load_knowledge
from app.models.kind import Kind
from app.models.knowledge import KnowledgeBase
from app.readmodel.search import Search, SearchIndex
from app.readmodel.search import index as search_index
from app.readmodel.search.documents import COLUMNS, documents
from tests.conftest import DATA

TRICKY = [
    "quotes \" and ' and `back`ticks`",
    "back\\slash \\u0041 not an escape",
    "emoji 🧑‍⚕️ and astral 𝔘 letters",
    "CJK 脱毛症, Cyrillic алопеция, combining e\u0301",
    "tabs\tand\nnew lines\r\n",
    "",
]


def _table(index: SearchIndex) -> list[tuple[object, ...]]:
    return index.connection.execute(f"SELECT rowid, {', '.join(COLUMNS)} FROM docs ORDER BY rowid").fetchall()


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_index._BatchWriter, "BATCH_ROWS", 7)
    monkeypatch.setattr(search_index._BatchWriter, "IN_FLIGHT", 1)


@pytest.mark.usefixtures("small_batches")
def test_index_holds_every_document_exactly() -> None:
    kb = load_knowledge(DATA)
    expected = [(i, *doc.fields) for i, doc in enumerate(documents(kb))]
    assert len(expected) > 7 * 3  # several batches, and a short last one
    assert _table(SearchIndex.build(kb)) == expected


def _write(rows: list[list[object]]) -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:", check_same_thread=False)
    connection.execute(f"CREATE VIRTUAL TABLE docs USING fts5({', '.join(COLUMNS)})")
    with search_index._BatchWriter(connection) as writer:
        for row in rows:
            writer.add(row)
    return connection


@pytest.mark.usefixtures("small_batches")
def test_writer_round_trips_awkward_text() -> None:
    rows: list[list[object]] = [[i, *(TRICKY[(i + k) % len(TRICKY)] for k in range(len(COLUMNS)))] for i in range(20)]
    connection = _write(rows)
    stored = connection.execute(f"SELECT rowid, {', '.join(COLUMNS)} FROM docs ORDER BY rowid").fetchall()
    assert stored == [tuple(row) for row in rows]
    found = connection.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", ('"алопеция"',)).fetchone()
    assert found[0] > 0


@pytest.mark.usefixtures("small_batches")
def test_a_failed_insert_fails_the_writer() -> None:
    row: list[object] = [1, *("text" for _ in COLUMNS)]
    with pytest.raises(sqlite3.IntegrityError):
        _write([row, row, row])  # one rowid three times


def test_collector_is_paused_and_restored() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer build is still running
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("build failed")
    assert gc.isenabled()


def test_collector_left_off_stays_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_settle_freezes_what_is_served_and_frees_it_at_the_next_version() -> None:
    class Page:
        me: object

    page = Page()
    page.me = page  # a cycle: only the collector can free it
    alive = weakref.ref(page)
    settle()  # a version built: its objects are exempted from collections
    assert gc.get_freeze_count() > 0
    del page
    gc.collect()
    assert alive() is not None  # frozen, so not even a full collection looks at it
    settle()  # the next version: the previous one's garbage is collected
    assert alive() is None


def test_an_empty_knowledge_base_searches_to_nothing() -> None:
    index = Search.build(KnowledgeBase.build([], [], [], []))
    for kind in (None, Kind.condition, Kind.citation):
        result = index.search("alopecia areata", kind, 10, 0)
        assert result.total == 0 and result.hits == [] and set(result.facets.values()) == {0}

"""The search index of one data version: an in-memory SQLite FTS5 table of every entity's document (fed
from a worker thread in batches), the vocabulary typos are corrected to, and the SQL that ranks, counts and
excerpts matches."""

from __future__ import annotations

import html
import json
import re
import sqlite3
from collections import Counter, defaultdict, deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from app.models.kind import Kind
from app.models.knowledge import KnowledgeBase
from app.readmodel.search.documents import COLUMNS, Indexed, documents, spelling_variants
from app.readmodel.search.lay_terms import lay_variants
from app.readmodel.search.names import NameIndex
from app.text.fold import words

# BM25 weights of the COLUMNS: name and aliases > summary > body > reference text.
WEIGHTS = (10.0, 8.0, 4.0, 1.0, 0.5)
_MARK_OPEN, _MARK_CLOSE = "\x02", "\x03"
SNIPPET_COLUMNS = ("summary", "body", "aliases", "name", "refs")
_ALIASES = SNIPPET_COLUMNS.index("aliases")
LIFTED = 9  # the tier `rank` gives exact and named documents, so that they come first
# Pages are the primary answers; a citation outranks them on bibliographic terms (authors, journal,
# identifiers), not merely because its short title repeats a page's topic.
TYPE_PRIOR = {Kind.condition: 1.0, Kind.mechanism: 1.0, Kind.intervention: 1.0, Kind.citation: 0.6}
# A standard code among a page's other names (`ICD10CM:L65.0`, `L65.0`, `D000506`).
_CODE = re.compile(r"(?:[A-Z0-9]+:)?[A-Z]{0,2}\d[\w.]*")


def _clean(text: str) -> str:
    if _MARK_OPEN in text or _MARK_CLOSE in text:
        return text.replace(_MARK_OPEN, " ").replace(_MARK_CLOSE, " ")
    return text


class _BatchWriter:
    """Feeds the FTS5 table from one worker thread, a JSON batch of rows per statement.

    Tokenising is most of an index build and runs in SQLite's C code with the GIL released, so it
    proceeds while the calling thread prepares the next documents. One statement per batch (rather than
    per row) matters: a thread that needs the GIL back after every row would wait a switch interval
    (5 ms) each time the other thread is busy in Python.
    """

    BATCH_ROWS = 2000
    IN_FLIGHT = 4  # batches queued at most: bounds the memory held by rows not yet inserted

    def __init__(self, connection: sqlite3.Connection) -> None:
        values = ", ".join(f"json_extract(value, '$[{i}]')" for i in range(len(COLUMNS) + 1))
        self._sql = f"INSERT INTO docs(rowid, {', '.join(COLUMNS)}) SELECT {values} FROM json_each(?)"
        self._connection = connection
        self._rows: list[list[Any]] = []
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fts-build")
        self._in_flight: deque[Future[Any]] = deque()

    def add(self, row: list[Any]) -> None:
        self._rows.append(row)
        if len(self._rows) >= self.BATCH_ROWS:
            self._flush()

    def _flush(self) -> None:
        if self._rows:
            batch = json.dumps(self._rows, ensure_ascii=False)
            self._rows = []
            self._in_flight.append(self._executor.submit(self._connection.execute, self._sql, (batch,)))
        while len(self._in_flight) > self.IN_FLIGHT:
            self._in_flight.popleft().result()

    def __enter__(self) -> _BatchWriter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        try:
            if exc_info[0] is None:
                self._flush()
                while self._in_flight:
                    self._in_flight.popleft().result()  # re-raises a failed insert here
        finally:
            self._executor.shutdown(wait=True, cancel_futures=True)


@dataclass
class SearchIndex:
    docs: list[Indexed]
    connection: sqlite3.Connection
    vocabulary: set[str]
    by_length: dict[int, list[str]]
    exact: dict[str, list[int]]
    variants: dict[str, set[str]] = field(default_factory=dict)
    names: NameIndex = field(default_factory=NameIndex)
    _pools: dict[tuple[int, int], list[str]] = field(default_factory=dict)
    spans: dict[Kind, tuple[int, int]] = field(init=False)  # each type's rowids: [first, end)

    def __post_init__(self) -> None:
        # Documents come type by type, so a type is a rowid range: SQL can filter, facet and weight
        # by type without a join.
        self.spans = {}
        for rowid, doc in enumerate(self.docs):
            first, _ = self.spans.get(doc.type, (rowid, rowid))
            if doc.type in self.spans and self.spans[doc.type][1] != rowid:
                raise ValueError(f"{doc.type} documents are not contiguous")
            self.spans[doc.type] = (first, rowid + 1)
        weights = ", ".join(map(str, WEIGHTS))
        priors = " ".join(f"WHEN rowid < {end} THEN {TYPE_PRIOR[t]}" for t, (_, end) in self.spans.items())
        kinds = " ".join(f"WHEN rowid < {end} THEN '{t}'" for t, (_, end) in self.spans.items())
        # (An empty index has no ranges, and CASE needs at least one WHEN.)
        self._score_sql = f"-bm25(docs, {weights}) * " + (f"(CASE {priors} ELSE 1.0 END)" if priors else "1.0")
        type_sql = f"CASE {kinds} END" if kinds else "NULL"
        self._counts_sql = f"SELECT {type_sql} AS type, count(*) FROM docs WHERE docs MATCH ? GROUP BY type"
        # Excerpts: prose reads best, so summary, then body, then aliases, name, and the reference text last.
        excerpts = [
            (COLUMNS.index(c), f"snippet(docs, {COLUMNS.index(c)}, '{_MARK_OPEN}', '{_MARK_CLOSE}', '…', 24)")
            for c in SNIPPET_COLUMNS
        ]
        self._snippets_sql = ", ".join(excerpt for _, excerpt in excerpts)
        # The excerpt of the first column that holds a match, and which column that is (0-based in
        # SNIPPET_COLUMNS), so that a hit found by another name can say so.
        leading = [(_column_bm25(i), position, excerpt) for position, (i, excerpt) in enumerate(excerpts)]
        self._snippet_sql = (
            "CASE " + " ".join(f"WHEN {score} != 0 THEN {excerpt}" for score, _, excerpt in leading) + " END, "
            "CASE " + " ".join(f"WHEN {score} != 0 THEN {position}" for score, position, _ in leading) + " END"
        )

    def pool(self, length: int, budget: int) -> list[str]:
        """Known words whose length is within the typo budget of `length` (built once per pair)."""
        pool = self._pools.get((length, budget))
        if pool is None:
            pool = [w for n in range(length - budget, length + budget + 1) for w in self.by_length.get(n, [])]
            self._pools[(length, budget)] = pool
        return pool

    @classmethod
    def build(cls, kb: KnowledgeBase) -> SearchIndex:
        """Every entity's document in an in-memory FTS5 table, with the vocabulary typos are corrected to."""
        # One connection per index; only the event-loop thread queries it once built.
        connection = sqlite3.connect(":memory:", check_same_thread=False, cached_statements=512)
        connection.execute(
            f"CREATE VIRTUAL TABLE docs USING fts5({', '.join(COLUMNS)}, "
            "tokenize='porter unicode61 remove_diacritics 2')"
        )
        kept: list[Indexed] = []
        names = NameIndex()
        exact: dict[str, list[int]] = defaultdict(list)
        vocabulary: set[str] = set()
        pending: list[str] = []
        with _BatchWriter(connection) as writer:
            for i, doc in enumerate(documents(kb)):
                for key in dict.fromkeys(doc.exact):
                    exact[key].append(i)
                # Typos are corrected towards the words of names, aliases and text and of citation titles;
                # author lists (fields[1] of citations) would multiply the vocabulary for little gain.
                fields = doc.fields
                if doc.type is Kind.citation:
                    pending.append(fields[0])
                    pending.extend(fields[2:4])
                else:
                    pending.extend(fields[:4])
                if len(pending) > 4000:
                    vocabulary.update(words("\n".join(pending)))
                    pending.clear()
                if doc.type.named:
                    names.add(i, fields[0], fields[1].split(" | "))
                kept.append(Indexed(doc.type, doc.key, doc.title))  # the texts stay in the index only
                writer.add([i, *map(_clean, fields)])
        vocabulary.update(words("\n".join(pending)))
        vocabulary = {w for w in vocabulary if not w.isdigit()}  # numbers are never "corrected"
        by_length: dict[int, list[str]] = defaultdict(list)
        for word in vocabulary:
            by_length[len(word)].append(word)
        variants = spelling_variants(kb)
        for word, others in lay_variants().items():
            variants.setdefault(word, set()).update(others)
        return cls(kept, connection, vocabulary, dict(by_length), dict(exact), variants, names=names)

    # -- SQL over the FTS5 table -------------------------------------------------------------------

    def document_frequency(self, word: str) -> int:
        row = self.connection.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", (f'"{word}"',)).fetchone()
        return int(row[0])

    def counts(self, expression: str) -> Counter[Kind]:
        """Matches of `expression` by type: one pass over them, no BM25."""
        return Counter(dict(self.connection.execute(self._counts_sql, (expression,)).fetchall()))

    def rank(
        self,
        scored: str,
        n: int,
        *,
        lifted: list[int],
        phrase: str | None,
        most: str | None,
        span: tuple[int, int] | None,
        upto: int = 0,
    ) -> list[tuple[int, float, int]]:
        """The n best matches of `scored` (score = weighted BM25 x type prior) as (rowid, score, tier), in one
        pass: the `lifted` documents first (tier LIFTED, whatever their type), then by tier (PHRASE: also
        matches `phrase`; ALL: also matches `most`, or every match when `most` is None; ANY: the rest), score
        and rowid, within the type's `span` if given, and only tiers from `upto` on (BM25 then runs over
        those documents only). Ranked and cut in SQLite, so a word in 100,000 documents costs BM25 over
        them, not 100,000 Python objects."""
        params: dict[str, Any] = {"scored": scored, "n": n}
        tiers: list[tuple[int, str]] = []  # (tier, the SQL condition of being in it)
        if lifted:
            params.update((f"l{i}", rowid) for i, rowid in enumerate(lifted))
            tiers.append((LIFTED, f"rowid IN ({', '.join(f':l{i}' for i in range(len(lifted)))})"))
        for tier, name, within in ((2, "phrase", phrase), (1, "most", most)):
            if within is not None:
                tiers.append((tier, f"rowid IN (SELECT rowid FROM docs WHERE docs MATCH :{name})"))
                params[name] = within
        otherwise = 1 if most is None else 0
        cases = " ".join(f"WHEN {condition} THEN {tier}" for tier, condition in tiers)
        tier_sql = f"CASE {cases} ELSE {otherwise} END" if tiers else str(otherwise)
        sql = f"SELECT rowid, {self._score_sql} AS score, {tier_sql} AS tier FROM docs WHERE docs MATCH :scored"
        if upto > otherwise:
            sql += f" AND ({' OR '.join(condition for tier, condition in tiers if tier >= upto)})"
        if span is not None:
            sql += " AND rowid >= :first AND rowid < :end"
            params["first"], params["end"] = span
        sql += " ORDER BY tier DESC, score DESC, rowid LIMIT :n"
        return self.connection.execute(sql, params).fetchall()

    def matching(self, expression: str, rowids: list[int]) -> set[int]:
        return {rowid for rowid, _ in self.connection.execute(_among("1", len(rowids)), (expression, *rowids))}

    def snippets(self, rowids: list[int], expression: str) -> dict[int, str]:
        """Each document's excerpt around the matches of `expression`, from the first column (in order of
        preference) whose excerpt marks a match. SQLite makes an excerpt by tokenising the whole column,
        so only the first column that holds a match is excerpted (a column's BM25 alone is nonzero exactly
        when it holds one); the rest only in the unexpected case that its excerpt marks nothing."""
        if not rowids:
            return {}
        out = {}
        unsure = []
        first = _among(self._snippet_sql, len(rowids))
        for rowid, excerpt, column in self.connection.execute(first, (expression, *rowids)):
            if excerpt is not None and _MARK_OPEN in excerpt:
                out[rowid] = self._excerpt(rowid, column, excerpt)
            else:
                unsure.append(rowid)
        if unsure:
            every_column = _among(self._snippets_sql, len(unsure))
            for rowid, *candidates in self.connection.execute(every_column, (expression, *unsure)):
                marked = next(((i, c) for i, c in enumerate(candidates) if c and _MARK_OPEN in c), None)
                if marked is not None:
                    out[rowid] = self._excerpt(rowid, *marked)
        return out

    def _excerpt(self, rowid: int, column: int, excerpt: str) -> str:
        if column == _ALIASES:
            return self._named_by(rowid, excerpt)
        return _marked(excerpt)

    def _named_by(self, rowid: int, field: str) -> str:
        """A hit found by one of its other names (or codes, or a citation's authors and identifiers): those
        names in a sentence, never the raw list the index keeps, then the start of the summary."""
        entries = [part.strip(" …") for part in field.split(" | ")]
        if self.docs[rowid].type is Kind.citation:
            return _marked(", ".join(entries))
        matched = [entry for entry in entries if _MARK_OPEN in entry]
        codes = [entry for entry in matched if _CODE.fullmatch(entry.replace(_MARK_OPEN, "").replace(_MARK_CLOSE, ""))]
        names = [entry for entry in matched if entry not in codes]
        said = [f"{label} {', '.join(found)}." for label, found in (("Also called", names), ("Coded", codes)) if found]
        return f"{_marked(' '.join(said))} {self.fallback(rowid)}"

    def fallback(self, rowid: int) -> str:
        """The start of the summary (or of the aliases) when no matched word is in any column."""
        sql = "SELECT substr(coalesce(nullif(summary, ''), aliases), 1, 201) FROM docs WHERE rowid = ?"
        text = str(self.connection.execute(sql, (rowid,)).fetchone()[0])
        return html.escape(text[:200] + ("…" if len(text) > 200 else ""))


def _among(columns: str, count: int) -> str:
    """SQL for `columns` of the matches of an expression among `count` given rowids. The unary `+` keeps
    the rowids out of FTS5's hands: given them, it would start the whole query over for each (parse, seek
    every term's doclist, and BM25's idf counts all over again), which at 110,000 documents costs five
    times one pass over the matches filtered by SQLite."""
    return f"SELECT rowid, {columns} FROM docs WHERE docs MATCH ? AND +rowid IN ({', '.join('?' * count)})"


def _column_bm25(column: int) -> str:
    """BM25 of one column alone: nonzero exactly when the column holds a match (FTS5 keeps every idf > 0)."""
    return f"bm25(docs, {', '.join('1' if i == column else '0' for i in range(len(COLUMNS)))})"


def _marked(text: str) -> str:
    """Escape a snippet for HTML, then turn the match sentinels into <mark> elements."""
    return html.escape(text).replace(_MARK_OPEN, "<mark>").replace(_MARK_CLOSE, "</mark>")

"""Full-text search over the knowledge base: SQLite FTS5 with BM25 field weights, exact-alias and phrase
tiers, typo correction and alias-derived spelling variants. Built from the loaded records, so it behaves
the same whatever database holds them."""

from __future__ import annotations

import html
import json
import sqlite3
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA

from app.models.knowledge import KnowledgeBase
from app.models.vocabulary import CELL_TYPE_LABELS
from app.readmodel.pages import url_for
from app.text.fold import STOPWORDS, fold, words
from app.text.markers import cited_numbers, strip_markers

MAX_TOKENS = 16
MAX_LIMIT = 50  # hits per page at most
# Order of FTS5 columns and their BM25 weights: name and aliases > summary > body > reference text.
COLUMNS = ("name", "aliases", "summary", "body", "refs")
WEIGHTS = (10.0, 8.0, 4.0, 1.0, 0.5)
TIER_EXACT, TIER_PHRASE, TIER_ALL, TIER_ANY = 3, 2, 1, 0
_MARK_OPEN, _MARK_CLOSE = "\x02", "\x03"
TYPES = ("condition", "mechanism", "intervention", "citation")
# Pages are the primary answers; a citation outranks them on bibliographic terms (authors, journal,
# identifiers), not merely because its short title repeats a page's topic.
TYPE_PRIOR = {"condition": 1.0, "mechanism": 1.0, "intervention": 1.0, "citation": 0.6}


@dataclass(frozen=True, slots=True)
class Indexed:
    """What a hit needs of a document once its texts are in the index."""

    type: str
    key: str  # slug, or citation number as text
    title: str

    @property
    def url(self) -> str:
        return url_for(self.type, self.key)


@dataclass(frozen=True, slots=True)
class SearchDoc(Indexed):
    fields: tuple[str, str, str, str, str]  # in COLUMNS order
    exact: tuple[str, ...]  # folded strings that, typed alone, mean this document


@dataclass(frozen=True)
class Hit:
    doc: Indexed
    score: float
    snippet: str


@dataclass(frozen=True)
class SearchResult:
    total: int
    hits: list[Hit]
    facets: dict[str, int]
    did_you_mean: str | None


def max_edits(word: str) -> int:
    """Typo budget: 1 edit from 5 letters, 2 from 9; a swap of neighbours counts as one."""
    return 2 if len(word) >= 9 else 1 if len(word) >= 5 else 0


def _clean(text: str) -> str:
    if _MARK_OPEN in text or _MARK_CLOSE in text:
        return text.replace(_MARK_OPEN, " ").replace(_MARK_CLOSE, " ")
    return text


def documents(kb: KnowledgeBase) -> Iterator[SearchDoc]:
    """One search document per condition, mechanism and citation."""
    ref_text = {n: " ".join(filter(None, [c.title, *(c.authors or []), c.journal])) for n, c in kb.citations.items()}

    def refs(numbers: Iterable[int]) -> str:
        return " ".join(ref_text[n] for n in dict.fromkeys(numbers) if n in ref_text)

    for cond in kb.conditions.values():
        texts = [cond.summary, cond.immune_involvement.text, cond.reversibility.text]
        body = [*(f"{s.title}\n{s.body}" for s in cond.sections), *texts[1:]]
        body += [f"{kb.mechanisms[m.slug].name}: {m.role}" for m in cond.mechanisms if m.slug in kb.mechanisms]
        numbers = cited_numbers("\n".join([*texts, *(s.body for s in cond.sections)]))
        codes = [c.curie for c in cond.codes] + [c.code for c in cond.codes]
        yield SearchDoc(
            "condition",
            cond.slug,
            cond.name,
            (
                cond.name,
                " | ".join([*cond.aliases, *codes]),
                strip_markers(cond.summary),
                strip_markers("\n".join(body)),
                refs(numbers),
            ),
            tuple(fold(x) for x in (cond.name, cond.slug, *cond.aliases, *codes)),
        )
    for mech in kb.mechanisms.values():
        labels = [*mech.aliases, *mech.molecules, *(CELL_TYPE_LABELS[c] for c in mech.cell_types)]
        yield SearchDoc(
            "mechanism",
            mech.slug,
            mech.name,
            (
                mech.name,
                " | ".join(labels),
                strip_markers(mech.summary),
                strip_markers(mech.body),
                refs(cited_numbers(f"{mech.summary}\n{mech.body}")),
            ),
            tuple(fold(x) for x in (mech.name, mech.slug, *mech.aliases)),
        )
    for item in kb.interventions.values():
        uses = [f"{kb.conditions[u.condition].name}: {u.summary}" for u in item.uses if u.condition in kb.conditions]
        numbers = [n for u in item.uses for e in u.evidence for n in e.citations]
        yield SearchDoc(
            "intervention",
            item.slug,
            item.name,
            (
                item.name,
                " | ".join(item.aliases),
                strip_markers(item.summary),
                strip_markers("\n".join([*uses, item.body])),
                refs(numbers),
            ),
            tuple(fold(x) for x in (item.name, item.slug, *item.aliases)),
        )
    for number, cit in kb.citations.items():
        identifiers = [cit.journal, cit.journal_abbrev, cit.doi, cit.pmid, cit.pmcid]
        yield SearchDoc(
            "citation",
            str(number),
            cit.title,
            (
                cit.title,
                " | ".join(filter(None, [*(cit.authors or []), *identifiers])),
                " ".join(filter(None, [cit.publication_type.value, cit.publication_detail, str(cit.year or "")])),
                cit.notes or "",
                "",
            ),
            # DOIs and PubMed ids are ASCII without runs of spaces: lower() is all the folding they need.
            tuple(x.lower() if x is not cit.journal else fold(x) for x in identifiers if x),
        )


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


def spelling_variants(kb: KnowledgeBase) -> dict[str, set[str]]:
    """Word variants the knowledge base itself vouches for: where a name and an alias of one entity differ
    only by close spellings of single words (signalling/signaling, polarisation/polarization)."""
    variants: dict[str, set[str]] = defaultdict(set)
    names = [(c.name, c.aliases) for c in kb.conditions.values()]
    names += [(m.name, m.aliases) for m in kb.mechanisms.values()]
    names += [(i.name, i.aliases) for i in kb.interventions.values()]
    for name, aliases in names:
        forms = [words(text) for text in (name, *aliases)]
        for i, a in enumerate(forms):
            for b in forms[i + 1 :]:
                if len(a) != len(b):
                    continue
                pairs = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
                if len(pairs) == 1:
                    x, y = pairs[0]
                    if min(len(x), len(y)) >= 4 and OSA.distance(x, y) <= 2:
                        variants[x].add(y)
                        variants[y].add(x)
    return dict(variants)


@dataclass
class SearchIndex:
    docs: list[Indexed]
    connection: sqlite3.Connection
    vocabulary: set[str]
    by_length: dict[int, list[str]]
    exact: dict[str, list[int]]
    variants: dict[str, set[str]] = field(default_factory=dict)
    _pools: dict[tuple[int, int], list[str]] = field(default_factory=dict)
    spans: dict[str, tuple[int, int]] = field(init=False)  # each type's rowids: [first, end)

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
        self._type_sql = f"CASE {kinds} END" if kinds else "NULL"

    def _pool(self, length: int, budget: int) -> list[str]:
        """Known words whose length is within the typo budget of `length` (built once per pair)."""
        pool = self._pools.get((length, budget))
        if pool is None:
            pool = [w for n in range(length - budget, length + budget + 1) for w in self.by_length.get(n, [])]
            self._pools[(length, budget)] = pool
        return pool

    @classmethod
    def build(cls, kb: KnowledgeBase) -> SearchIndex:
        # One connection per index; only the event-loop thread queries it once built.
        connection = sqlite3.connect(":memory:", check_same_thread=False)
        connection.execute(
            f"CREATE VIRTUAL TABLE docs USING fts5({', '.join(COLUMNS)}, "
            "tokenize='porter unicode61 remove_diacritics 2')"
        )
        kept: list[Indexed] = []
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
                if doc.type == "citation":
                    pending.append(fields[0])
                    pending.extend(fields[2:4])
                else:
                    pending.extend(fields[:4])
                if len(pending) > 4000:
                    vocabulary.update(words("\n".join(pending)))
                    pending.clear()
                kept.append(Indexed(doc.type, doc.key, doc.title))  # the texts stay in the index only
                writer.add([i, *map(_clean, fields)])
        vocabulary.update(words("\n".join(pending)))
        vocabulary = {w for w in vocabulary if not w.isdigit()}  # numbers are never "corrected"
        by_length: dict[int, list[str]] = defaultdict(list)
        for word in vocabulary:
            by_length[len(word)].append(word)
        return cls(kept, connection, vocabulary, dict(by_length), dict(exact), spelling_variants(kb))

    # -- query understanding -------------------------------------------------------------------------

    def correct(self, word: str) -> str:
        """The closest known word within the typo budget (ties: the more frequent), or the word itself."""
        budget = max_edits(word)
        if budget == 0 or word in self.vocabulary or word.isdigit():
            return word
        found = process.extract(
            word, self._pool(len(word), budget), scorer=OSA.distance, score_cutoff=budget, limit=None
        )
        if not found:
            return word
        best = min(distance for _, distance, _ in found)
        closest = sorted(candidate for candidate, distance, _ in found if distance == best)
        # Ties go to the word more documents use (counted only when there is a tie).
        return max(closest, key=self._document_frequency) if len(closest) > 1 else closest[0]

    def _document_frequency(self, word: str) -> int:
        row = self.connection.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", (f'"{word}"',)).fetchone()
        return int(row[0])

    def _term(self, word: str) -> str:
        """A word as an FTS5 string (never raw syntax), OR-ed with its vouched-for spelling variants."""
        quoted = [f'"{form}"' for form in (word, *sorted(self.variants.get(word, ())))]
        return quoted[0] if len(quoted) == 1 else f"({' OR '.join(quoted)})"

    def _most(self, content: list[str]) -> str:
        """Documents with all the words; from four words on, with all but one ("minimum should match")."""
        terms = [self._term(t) for t in dict.fromkeys(content)]
        if not 4 <= len(terms) <= 6:
            return " AND ".join(terms)
        subsets = (terms[:i] + terms[i + 1 :] for i in range(len(terms)))
        return " OR ".join("(" + " AND ".join(subset) + ")" for subset in subsets)

    def _top(
        self,
        expression: str,
        n: int,
        *,
        within: str | None = None,
        span: tuple[int, int] | None = None,
        rowids: list[int] | None = None,
    ) -> list[tuple[int, float]]:
        """The n best matches of `expression` (score = weighted BM25 x type prior), optionally only those
        that also match `within`, lie in a type's `span` or are among `rowids`. Ranked and cut in SQLite,
        so a word in 100,000 documents costs BM25 over them, not 100,000 Python objects."""
        sql = f"SELECT rowid, {self._score_sql} AS score FROM docs WHERE docs MATCH ?"
        params: list[Any] = [expression]
        if within is not None:
            sql += " AND rowid IN (SELECT rowid FROM docs WHERE docs MATCH ?)"
            params.append(within)
        if span is not None:
            sql += " AND rowid >= ? AND rowid < ?"
            params.extend(span)
        if rowids is not None:
            sql += f" AND rowid IN ({', '.join('?' * len(rowids))})"
            params.extend(rowids)
        sql += " ORDER BY score DESC, rowid LIMIT ?"
        params.append(n)
        return self.connection.execute(sql, params).fetchall()

    def _at_least(self, expression: str, n: int) -> bool:
        sql = "SELECT count(*) FROM (SELECT 1 FROM docs WHERE docs MATCH ? LIMIT ?)"
        return bool(self.connection.execute(sql, (expression, n)).fetchone()[0] >= n)

    def _facets(self, expression: str, extra: list[int]) -> dict[str, int]:
        """Matches of `expression`, plus `extra` documents (that it does not match), by type."""
        sql = f"SELECT {self._type_sql} AS type, count(*) FROM docs WHERE docs MATCH ? GROUP BY type"
        counts = Counter(dict(self.connection.execute(sql, (expression,)).fetchall()))
        counts.update(self.docs[rowid].type for rowid in extra)
        return {t: counts.get(t, 0) for t in TYPES}

    # -- search --------------------------------------------------------------------------------------

    def search(self, query: str, type_: str | None, limit: int, offset: int) -> SearchResult:
        tokens = words(query)[:MAX_TOKENS]
        if not tokens:
            return SearchResult(0, [], dict.fromkeys(TYPES, 0), None)
        corrected = [self.correct(t) for t in tokens]
        did_you_mean = " ".join(corrected) if corrected != tokens else None
        content = [t for t in corrected if t not in STOPWORDS] or corrected
        wanted = offset + limit

        # Every hit is scored on one expression: all (or all but one) of the words or, when fewer
        # documents than the largest page have those, any of them. Tiers then order exact names, phrases,
        # all words, some words. Neither choice depends on the page asked for, so pages never disagree.
        most = self._most(content)
        some = " OR ".join(self._term(t) for t in dict.fromkeys(content))
        scored = most if some == most or self._at_least(most, MAX_LIMIT) else some
        exact = sorted({r for p in {fold(query), " ".join(tokens), " ".join(corrected)} for r in self.exact.get(p, [])})
        # Exact documents keep their score on the scoring expression, or 0 when it does not match them.
        exact_scores = dict(self._top(scored, len(exact), rowids=exact)) if exact else {}
        facets = self._facets(scored, [r for r in exact if r not in exact_scores])
        span = self.spans.get(type_, (0, 0)) if type_ is not None else None

        placed: dict[int, tuple[int, float]] = {}
        placed.update(
            (r, (TIER_EXACT, exact_scores.get(r, 0.0))) for r in exact if span is None or span[0] <= r < span[1]
        )
        tiers: list[tuple[int, str | None]] = (
            [(TIER_PHRASE, '"' + " ".join(corrected) + '"')] if len(corrected) > 1 else []
        )
        tiers += [(TIER_ALL, None)] if scored is most else [(TIER_ALL, most), (TIER_ANY, None)]
        for tier, within in tiers:
            if len(placed) >= wanted:
                break
            # Enough of this tier to fill the page after the documents higher tiers already placed.
            for rowid, score in self._top(scored, wanted + len(placed), within=within, span=span):
                placed.setdefault(rowid, (tier, score))

        order = sorted(placed.items(), key=lambda item: (-item[1][0], -item[1][1], item[0]))
        page = order[offset:wanted]
        snippets = self._snippets([rowid for rowid, _ in page], " OR ".join(self._term(t) for t in corrected))
        hits = [
            Hit(self.docs[rowid], round(tier * 100 + score, 4), snippets.get(rowid) or self._fallback(rowid))
            for rowid, (tier, score) in page
        ]
        total = facets.get(type_, 0) if type_ is not None else sum(facets.values())
        return SearchResult(total, hits, facets, did_you_mean)

    def _snippets(self, rowids: list[int], expression: str) -> dict[int, str]:
        if not rowids:
            return {}
        placeholders = ", ".join("?" * len(rowids))
        # Prose reads best: summary, then body, then aliases, name, and the reference text last.
        columns = ", ".join(
            f"snippet(docs, {COLUMNS.index(c)}, '{_MARK_OPEN}', '{_MARK_CLOSE}', '…', 24)"
            for c in ("summary", "body", "aliases", "name", "refs")
        )
        sql = f"SELECT rowid, {columns} FROM docs WHERE docs MATCH ? AND rowid IN ({placeholders})"
        out = {}
        for rowid, *candidates in self.connection.execute(sql, (expression, *rowids)):
            marked = next((c for c in candidates if c and _MARK_OPEN in c), None)
            if marked is not None:
                out[rowid] = _marked(marked)
        return out

    def _fallback(self, rowid: int) -> str:
        """The start of the summary (or of the aliases) when no matched word is in any column."""
        sql = "SELECT substr(coalesce(nullif(summary, ''), aliases), 1, 201) FROM docs WHERE rowid = ?"
        text = str(self.connection.execute(sql, (rowid,)).fetchone()[0])
        return html.escape(text[:200] + ("…" if len(text) > 200 else ""))


def _marked(text: str) -> str:
    """Escape a snippet for HTML, then turn the match sentinels into <mark> elements."""
    return html.escape(text).replace(_MARK_OPEN, "<mark>").replace(_MARK_CLOSE, "</mark>")

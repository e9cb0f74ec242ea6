"""Full-text search over the knowledge base: SQLite FTS5 with BM25 field weights, exact-alias and phrase
tiers, typo correction and alias-derived spelling variants. Built from the loaded records, so it behaves
the same whatever database holds them."""

from __future__ import annotations

import html
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA

from app.models.record import CELL_TYPE_LABELS
from app.services.knowledge import KnowledgeBase
from app.services.markers import cited_numbers, strip_markers
from app.services.text import STOPWORDS, fold, words

MAX_TOKENS = 16
# Order of FTS5 columns and their BM25 weights: name and aliases > summary > body > reference text.
COLUMNS = ("name", "aliases", "summary", "body", "refs")
WEIGHTS = (10.0, 8.0, 4.0, 1.0, 0.5)
OR_LIMIT = 1000
TIER_EXACT, TIER_PHRASE, TIER_ALL, TIER_ANY = 3, 2, 1, 0
_MARK_OPEN, _MARK_CLOSE = "\x02", "\x03"
TYPES = ("condition", "mechanism", "intervention", "citation")
# Pages are the primary answers; a citation outranks them on bibliographic terms (authors, journal,
# identifiers), not merely because its short title repeats a page's topic.
TYPE_PRIOR = {"condition": 1.0, "mechanism": 1.0, "intervention": 1.0, "citation": 0.6}


@dataclass(frozen=True)
class SearchDoc:
    type: str
    key: str  # slug, or citation number as text
    title: str
    url: str
    fields: tuple[str, str, str, str, str]  # in COLUMNS order
    exact: tuple[str, ...]  # folded strings that, typed alone, mean this document


@dataclass(frozen=True)
class Hit:
    doc: SearchDoc
    score: float
    snippet: str


@dataclass(frozen=True)
class SearchResult:
    total: int
    hits: list[Hit]
    facets: dict[str, int]
    did_you_mean: str | None


@dataclass
class _Ranked:
    tier: int
    score: float


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
            f"/v1/conditions/{cond.slug}",
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
            f"/v1/mechanisms/{mech.slug}",
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
            f"/v1/interventions/{item.slug}",
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
            f"/v1/citations/{number}",
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
    docs: list[SearchDoc]
    connection: sqlite3.Connection
    vocabulary: set[str]
    by_length: dict[int, list[str]]
    exact: dict[str, list[int]]
    variants: dict[str, set[str]] = field(default_factory=dict)
    _pools: dict[tuple[int, int], list[str]] = field(default_factory=dict)

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
        columns = ", ".join(COLUMNS)
        connection.execute(
            f"CREATE VIRTUAL TABLE docs USING fts5({columns}, tokenize='porter unicode61 remove_diacritics 2')"
        )
        kept: list[SearchDoc] = []
        exact: dict[str, list[int]] = defaultdict(list)
        vocabulary: set[str] = set()
        pending: list[str] = []

        def rows() -> Iterator[tuple[Any, ...]]:
            """Streams documents into the index; only what results need is kept, not every text."""
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
                short = ("", doc.fields[1][:300], doc.fields[2][:300], "", "")
                kept.append(SearchDoc(doc.type, doc.key, doc.title, doc.url, short, ()))
                yield (i, *map(_clean, doc.fields))

        connection.executemany(f"INSERT INTO docs(rowid, {columns}) VALUES (?, ?, ?, ?, ?, ?)", rows())
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

    def _match(self, expression: str, limit: int | None = None) -> dict[int, float]:
        weights = ", ".join(map(str, WEIGHTS))
        sql = f"SELECT rowid, bm25(docs, {weights}) AS r FROM docs WHERE docs MATCH ? ORDER BY r"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        rows = self.connection.execute(sql, (expression,))
        return {rowid: -rank * TYPE_PRIOR[self.docs[rowid].type] for rowid, rank in rows}

    # -- search --------------------------------------------------------------------------------------

    def search(self, query: str, type_: str | None, limit: int, offset: int) -> SearchResult:
        tokens = words(query)[:MAX_TOKENS]
        if not tokens:
            return SearchResult(0, [], dict.fromkeys(TYPES, 0), None)
        corrected = [self.correct(t) for t in tokens]
        did_you_mean = " ".join(corrected) if corrected != tokens else None
        content = [t for t in corrected if t not in STOPWORDS] or corrected

        ranked: dict[int, _Ranked] = {}

        def rank(rows: dict[int, float], tier: int) -> None:
            for rowid, score in rows.items():
                current = ranked.get(rowid)
                if current is None:
                    ranked[rowid] = _Ranked(tier, score)
                elif tier > current.tier:
                    current.tier = tier

        most = self._match(self._most(content))
        if len(most) < offset + limit:
            # Documents with only some of the words are needed only when those with (nearly) all of them
            # do not fill the page; on common words that saves ranking thousands of rows.
            rank(self._match(" OR ".join(self._term(t) for t in content), OR_LIMIT), TIER_ANY)
        rank(most, TIER_ALL)
        if len(corrected) > 1:
            rank(self._match('"' + " ".join(corrected) + '"'), TIER_PHRASE)
        for phrase in {fold(query), " ".join(tokens), " ".join(corrected)}:
            for rowid in self.exact.get(phrase, []):
                rank({rowid: ranked[rowid].score if rowid in ranked else 0.0}, TIER_EXACT)

        order = sorted(ranked.items(), key=lambda item: (-item[1].tier, -item[1].score, item[0]))
        facets = Counter(self.docs[rowid].type for rowid, _ in order)
        chosen = [(rowid, r) for rowid, r in order if type_ is None or self.docs[rowid].type == type_]
        page = chosen[offset : offset + limit]
        snippets = self._snippets([rowid for rowid, _ in page], " OR ".join(self._term(t) for t in corrected))
        hits = [
            Hit(self.docs[rowid], round(r.tier * 100 + r.score, 4), snippets.get(rowid) or self._fallback(rowid))
            for rowid, r in page
        ]
        return SearchResult(len(chosen), hits, {t: facets.get(t, 0) for t in TYPES}, did_you_mean)

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
        doc = self.docs[rowid]
        summary = doc.fields[2] or doc.fields[1]
        return html.escape(summary[:200] + ("…" if len(summary) > 200 else ""))


def _marked(text: str) -> str:
    """Escape a snippet for HTML, then turn the match sentinels into <mark> elements."""
    return html.escape(text).replace(_MARK_OPEN, "<mark>").replace(_MARK_CLOSE, "</mark>")

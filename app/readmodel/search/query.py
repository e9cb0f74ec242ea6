"""Answering a query over one search index: tokens, typo correction, alias-vouched spelling variants, then
ranking tiers (exact names, phrase, all words, some words) over one scoring expression, so that pages and
type filters always agree."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cachetools import LRUCache
from pydantic_core import to_json
from rapidfuzz import process
from rapidfuzz.distance import OSA

from app.models.kind import Kind
from app.models.knowledge import KnowledgeBase
from app.models.search import SearchResponse
from app.readmodel.search.documents import Indexed
from app.readmodel.search.index import LIFTED, SearchIndex
from app.text.fold import STOPWORDS, fold, words

MAX_TOKENS = 16
MAX_LIMIT = 50  # hits per page at most
CORRECTIONS_CACHED = 4096
ONE_PASS_MATCHES = 2000  # up to this many matches, all tiers are ranked in one pass
TIER_EXACT, TIER_NAMED, TIER_PHRASE, TIER_ALL, TIER_ANY = 4, 3, 2, 1, 0
# Within the named tier, how fully the query names the page comes before BM25 (coverage is at most 2).
_COVERAGE_WEIGHT, _BM25_CAP = 40.0, 19.99


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


class Search:
    """Queries against one SearchIndex. Your text never reaches FTS5 as syntax: every word is quoted."""

    def __init__(self, index: SearchIndex) -> None:
        self.index = index
        # Corrections of unknown words (a scan of every known word of similar length), bounded in entries.
        self._corrections: LRUCache[str, str] = LRUCache(CORRECTIONS_CACHED)

    @classmethod
    def build(cls, kb: KnowledgeBase) -> Search:
        return cls(SearchIndex.build(kb))

    def correct(self, word: str) -> str:
        """The closest known word within the typo budget (ties: the more frequent), or the word itself."""
        budget = max_edits(word)
        if budget == 0 or word in self.index.vocabulary or word in self.index.variants or word.isdigit():
            return word
        corrected = self._corrections.get(word)
        if corrected is None:
            corrected = self._corrections[word] = self._closest(word, budget)
        return corrected

    def _closest(self, word: str, budget: int) -> str:
        found = process.extract(
            word, self.index.pool(len(word), budget), scorer=OSA.distance, score_cutoff=budget, limit=None
        )
        if not found:
            return word
        best = min(distance for _, distance, _ in found)
        closest = sorted(candidate for candidate, distance, _ in found if distance == best)
        # Ties go to the word more documents use (counted only when there is a tie).
        return max(closest, key=self.index.document_frequency) if len(closest) > 1 else closest[0]

    def _term(self, word: str) -> str:
        """A word as an FTS5 string (never raw syntax), OR-ed with its vouched-for spelling variants."""
        quoted = [f'"{form}"' for form in (word, *sorted(self.index.variants.get(word, ())))]
        return quoted[0] if len(quoted) == 1 else f"({' OR '.join(quoted)})"

    def _most(self, content: list[str]) -> str:
        """Documents with all the words; from four words on, with all but one ("minimum should match")."""
        terms = [self._term(t) for t in dict.fromkeys(content)]
        if not 4 <= len(terms) <= 6:
            return " AND ".join(terms)
        subsets = (terms[:i] + terms[i + 1 :] for i in range(len(terms)))
        return " OR ".join("(" + " AND ".join(subset) + ")" for subset in subsets)

    # -- search --------------------------------------------------------------------------------------

    def search(self, query: str, type_: Kind | None, limit: int, offset: int) -> SearchResult:
        tokens = words(query)[:MAX_TOKENS]
        if not tokens:
            return SearchResult(0, [], {kind.value: 0 for kind in Kind}, None)
        corrected = [self.correct(t) for t in tokens]
        did_you_mean = " ".join(corrected) if corrected != tokens else None
        content = [t for t in corrected if t not in STOPWORDS] or corrected
        wanted = offset + limit

        # Every hit is scored on one expression: all (or all but one) of the words or, when fewer
        # documents than the largest page have those, any of them. Tiers then order exact names, phrases,
        # all words, some words. Neither choice depends on the page asked for, so pages never disagree.
        most = self._most(content)
        some = " OR ".join(self._term(t) for t in dict.fromkeys(content))
        counts = self.index.counts(most)
        scored = most
        if some != most and sum(counts.values()) < MAX_LIMIT:
            scored, counts = some, self.index.counts(some)
        exact = sorted(
            {r for p in {fold(query), " ".join(tokens), " ".join(corrected)} for r in self.index.exact.get(p, [])}
        )
        named = {r: c for r, c in self.index.names.match(content, self.index.variants).items() if r not in exact}
        lifted = sorted({*exact, *named})
        span = self.index.spans.get(type_, (0, 0)) if type_ is not None else None
        inside = [r for r in lifted if span is None or span[0] <= r < span[1]]

        # The exact and named documents (with their score on the scoring expression), then the best of the
        # rest by tier. The first `wanted` of those are what taking the best of each tier in turn gives, as
        # no document of a lower tier can outrank one of a higher tier. One ranked pass when the matches are
        # few; otherwise tier by tier from the top, so that BM25 runs over the lower tiers' (possibly
        # 100,000) documents only when the higher ones do not fill the page.
        phrase = '"' + " ".join(corrected) + '"' if len(corrected) > 1 else None
        lower = None if scored is most else most
        levels = [TIER_PHRASE] * (phrase is not None) + [TIER_ALL] * (lower is not None)
        if sum(counts.values()) <= ONE_PASS_MATCHES:
            levels = []
        for upto in [*levels, TIER_ANY]:
            rows = self.index.rank(
                scored, wanted + len(inside), lifted=inside, phrase=phrase, most=lower, span=span, upto=upto
            )
            if sum(tier != LIFTED for _, _, tier in rows) >= wanted:
                break
        lifted_scores = {rowid: score for rowid, score, tier in rows if tier == LIFTED}
        placed = {rowid: (tier, score) for rowid, score, tier in rows if tier != LIFTED}
        # Exact and named documents keep their score on the scoring expression, or 0 when it does not match;
        # those it does not match count in the facets too.
        outside = [r for r in lifted if r not in inside]
        matched = {*lifted_scores, *(self.index.matching(scored, outside) if outside else ())}
        counts.update(self.index.docs[r].type for r in lifted if r not in matched)
        facets = {kind.value: counts.get(kind, 0) for kind in Kind}
        for r in inside:
            bm25 = lifted_scores.get(r, 0.0)
            if r in named:
                placed[r] = (TIER_NAMED, named[r] * _COVERAGE_WEIGHT + min(bm25, _BM25_CAP))
            else:
                placed[r] = (TIER_EXACT, bm25)

        order = sorted(placed.items(), key=lambda item: (-item[1][0], -item[1][1], item[0]))
        page = order[offset:wanted]
        snippets = self.index.snippets([rowid for rowid, _ in page], " OR ".join(self._term(t) for t in corrected))
        hits = [
            Hit(self.index.docs[rowid], round(tier * 100 + score, 4), snippets.get(rowid) or self.index.fallback(rowid))
            for rowid, (tier, score) in page
        ]
        total = facets.get(type_, 0) if type_ is not None else sum(facets.values())
        return SearchResult(total, hits, facets, did_you_mean)

    def body(self, query: str, type_: Kind | None, limit: int, offset: int) -> dict[str, Any]:
        """The public response (a SearchResponse) as plain values: hits with the slug (named kinds) or number
        (citations) they point at."""
        result = self.search(query, type_, limit, offset)
        hits = [
            {
                "type": h.doc.type.value,
                "slug": h.doc.key if h.doc.type.named else None,
                "number": int(h.doc.key) if not h.doc.type.named else None,
                "title": h.doc.title,
                "snippet": h.snippet,
                "score": h.score,
                "url": h.doc.url,
            }
            for h in result.hits
        ]
        return {
            "query": query,
            "total": result.total,
            "limit": limit,
            "offset": offset,
            "hits": hits,
            "facets": {"type": result.facets},
            "did_you_mean": result.did_you_mean,
        }

    def response(self, query: str, type_: Kind | None, limit: int, offset: int) -> str:
        """The public response as JSON text, written from plain values by the same serialiser as the model's,
        without building and validating a model per hit."""
        return to_json(self.body(query, type_, limit, offset)).decode()

    def model(self, query: str, type_: Kind | None, limit: int, offset: int) -> SearchResponse:
        """The public response as a model, for the site's pages, which render it rather than send it."""
        return SearchResponse.model_validate(self.body(query, type_, limit, offset))

"""Full-text search over one data version: SQLite FTS5 with BM25 field weights, exact-name and phrase
tiers, typo correction and alias-derived spelling variants. Built from the loaded records, so it behaves the
same whatever database holds them.

documents.py says what is indexed per entity, index.py holds the FTS5 table and its SQL, query.py turns
a query into ranked hits.
"""

from app.readmodel.search.index import SearchIndex
from app.readmodel.search.query import MAX_LIMIT, Hit, Search, SearchResult, max_edits

__all__ = ["MAX_LIMIT", "Hit", "Search", "SearchIndex", "SearchResult", "max_edits"]

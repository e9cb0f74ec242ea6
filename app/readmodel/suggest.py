"""Prefix autocomplete over the names and aliases of conditions, mechanisms and interventions."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from operator import attrgetter

from app.models.kind import Kind
from app.models.knowledge import KnowledgeBase
from app.models.search import SuggestionOut, SuggestResponse
from app.readmodel.urls import url_for
from app.text.fold import fold

MAX_SCAN = 400
_WORD_START = re.compile(r"(?<![^\W_])[^\W_]")  # a letter or digit not preceded by one
# Conditions before mechanisms before interventions: the kinds' display order.
_ORDER = {kind: i for i, kind in enumerate(Kind)}


@dataclass(frozen=True)
class Suggestion:
    type: Kind
    label: str  # the entity's name
    matched: str  # the name or alias the prefix matched
    url: str


@dataclass(frozen=True)
class _Entry:
    key: str  # folded text from a word start of `matched` to its end
    at_start: bool
    suggestion: Suggestion


class SuggestIndex:
    """Sorted keys for every word start of every label; a prefix lookup is a bisect and a short scan."""

    def __init__(self, kb: KnowledgeBase) -> None:
        entries: list[_Entry] = []
        records = [(kind, record) for kind in Kind.with_names() for record in kb.named(kind).values()]
        for kind, record in records:
            url = url_for(kind, record.slug)
            name = record.name
            for label in (name, *record.aliases):
                folded = fold(label)
                suggestion = Suggestion(kind, name, label, url)
                starts = (
                    [0]
                    if " " not in folded and "-" not in folded
                    else [m.start() for m in _WORD_START.finditer(folded)]
                )
                entries.extend(_Entry(folded[start:], start == 0, suggestion) for start in starts)
        entries.sort(key=attrgetter("key"))
        self._entries = entries
        self._keys = [e.key for e in entries]

    def suggest(self, prefix: str, limit: int = 10) -> list[Suggestion]:
        wanted = fold(prefix)
        if not wanted:
            return []
        found: list[_Entry] = []
        for i in range(
            bisect_left(self._keys, wanted), min(len(self._keys), bisect_left(self._keys, wanted) + MAX_SCAN)
        ):
            if not self._keys[i].startswith(wanted):
                break
            found.append(self._entries[i])
        # Label starts first, then conditions before mechanisms, then shorter (more specific) labels.
        found.sort(
            key=lambda e: (
                not e.at_start,
                _ORDER[e.suggestion.type],
                e.suggestion.matched != e.suggestion.label,
                len(e.suggestion.matched),
            )
        )
        seen: set[str] = set()
        out: list[Suggestion] = []
        for entry in found:
            if entry.suggestion.url not in seen:
                seen.add(entry.suggestion.url)
                out.append(entry.suggestion)
                if len(out) == limit:
                    break
        return out

    def response(self, prefix: str) -> SuggestResponse:
        items = [SuggestionOut(type=s.type, label=s.label, matched=s.matched, url=s.url) for s in self.suggest(prefix)]
        return SuggestResponse(query=prefix, items=items)

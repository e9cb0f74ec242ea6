"""Prefix autocomplete over the names and aliases of conditions, mechanisms and interventions."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from operator import attrgetter

from app.models.knowledge import KnowledgeBase
from app.readmodel.pages import url_for
from app.text.fold import fold

MAX_SCAN = 400
_WORD_START = re.compile(r"(?<![^\W_])[^\W_]")  # a letter or digit not preceded by one
TYPE_ORDER = {"condition": 0, "mechanism": 1, "intervention": 2}


@dataclass(frozen=True)
class Suggestion:
    type: str
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
        records = [
            *(("condition", c.slug, c.name, c.aliases) for c in kb.conditions.values()),
            *(("mechanism", m.slug, m.name, m.aliases) for m in kb.mechanisms.values()),
            *(("intervention", i.slug, i.name, i.aliases) for i in kb.interventions.values()),
        ]
        for kind, slug, name, aliases in records:
            url = url_for(kind, slug)
            for label in (name, *aliases):
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
                TYPE_ORDER[e.suggestion.type],
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

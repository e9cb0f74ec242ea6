"""Prefix autocomplete over the names and aliases of conditions, mechanisms and interventions."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from pydantic_core import to_json

from app.models.kind import Kind
from app.models.knowledge import KnowledgeBase
from app.readmodel.urls import url_for
from app.text.fold import fold

MAX_SCAN = 400
MAX_ITEMS = 10
PRECOMPUTED_LENGTH = 2  # answers to prefixes this short (the longest scans) are made once per version
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

    def preference(self) -> tuple[bool, int, bool, int]:
        """Label starts first, then conditions before mechanisms, then shorter (more specific) labels."""
        s = self.suggestion
        return (not self.at_start, _ORDER[s.type], s.matched != s.label, len(s.matched))


def _item(s: Suggestion) -> dict[str, Any]:
    return {"type": s.type.value, "label": s.label, "matched": s.matched, "url": s.url}


class SuggestIndex:
    """Sorted keys for every word start of every label, each with its rank in the order suggestions are
    preferred in: a prefix lookup is two bisects and a sort of at most MAX_SCAN integers, and the answers
    to the shortest prefixes are made once."""

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
        self._keys = [e.key for e in entries]
        self._suggestions = [e.suggestion for e in entries]
        # Ties keep key order, as a stable sort of the scanned entries did.
        preferred = sorted(range(len(entries)), key=lambda i: (entries[i].preference(), i))
        self._rank = [0] * len(entries)
        for rank, i in enumerate(preferred):
            self._rank[i] = rank
        # The response item of each entry, one per label (entries of one label share it).
        items = {id(s): _item(s) for s in self._suggestions}
        self._items = [items[id(s)] for s in self._suggestions]
        short = {key[:n] for key in self._keys for n in range(1, PRECOMPUTED_LENGTH + 1)}
        self._answers = {prefix: self._scan(prefix) for prefix in short}

    def _scan(self, wanted: str) -> list[int]:
        """The entries to suggest for a folded prefix, best first."""
        keys = self._keys
        start = bisect_left(keys, wanted)
        # Keys that start with `wanted` sort before the next string of its length: one bisect finds their end.
        last = wanted[-1]
        end = min(len(keys), start + MAX_SCAN)
        if last != "\U0010ffff":
            end = bisect_left(keys, wanted[:-1] + chr(ord(last) + 1), start, end)
        else:  # no next string: scan
            end = next((i for i in range(start, end) if not keys[i].startswith(wanted)), end)
        seen: set[str] = set()
        out: list[int] = []
        for i in sorted(range(start, end), key=self._rank.__getitem__):
            url = self._suggestions[i].url
            if url not in seen:
                seen.add(url)
                out.append(i)
                if len(out) == MAX_ITEMS:
                    break
        return out

    def _found(self, prefix: str) -> list[int]:
        wanted = fold(prefix)
        if not wanted:
            return []
        found = self._answers.get(wanted)
        return found if found is not None else self._scan(wanted)

    def suggest(self, prefix: str) -> list[Suggestion]:
        """Up to MAX_ITEMS names or aliases with a word starting with `prefix` (any case), best first."""
        return [self._suggestions[i] for i in self._found(prefix)]

    def response(self, prefix: str) -> str:
        """The public response (a SuggestResponse) as JSON text, written by the model's own serialiser."""
        return to_json({"query": prefix, "items": [self._items[i] for i in self._found(prefix)]}).decode()

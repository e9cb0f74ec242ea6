"""Which pages a query names: a page whose name or alias holds every word of the query ("telogen" →
Telogen effluvium), or whose name or alias the query holds whole ("permanent scarring hair loss" → the
page called "scarring hair loss"). Such pages rank above pages that only mention the words."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from app.text.fold import STOPWORDS, words

ALIAS_WEIGHT = 0.9


def key(word: str) -> str:
    """A word as names are compared: folded, a plural `s` dropped (patches/patch, alopecias/alopecia)."""
    if len(word) > 4 and word.endswith("es") and word[-3] in "sxz":
        return word[:-2]
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def content_keys(text: str) -> frozenset[str]:
    return frozenset(key(w) for w in words(text) if w not in STOPWORDS)


@dataclass
class NameIndex:
    postings: dict[str, list[int]] = field(default_factory=dict)  # word key -> name ids
    # name id -> (rowid, word keys, weight): a page's own name counts fully, an alias slightly less, so
    # that "telogen" prefers "Telogen effluvium" to a page that merely has "telogen gravidarum" as alias.
    names: list[tuple[int, frozenset[str], float]] = field(default_factory=list)

    def add(self, rowid: int, name: str, aliases: Iterable[str]) -> None:
        for weight, text in ((1.0, name), *((ALIAS_WEIGHT, a) for a in aliases)):
            keys = content_keys(text)
            if not keys:
                continue
            name_id = len(self.names)
            self.names.append((rowid, keys, weight))
            for k in keys:
                self.postings.setdefault(k, []).append(name_id)

    def match(self, query: Iterable[str], variants: Mapping[str, set[str]]) -> dict[int, float]:
        """Rowid -> how fully the query names it: 1 + the share of the query a contained name covers, or
        the share of a name the whole query covers; the best of its names. Each query word also matches
        its vouched-for variants and lay equivalents."""
        asked = list(dict.fromkeys(w for w in query if w not in STOPWORDS))
        if not asked:
            return {}
        found: dict[int, set[int]] = defaultdict(set)  # name id -> query words it holds
        covered: dict[int, set[str]] = defaultdict(set)  # name id -> its words the query holds
        for i, word in enumerate(asked):
            for form in {key(word), *(key(v) for v in variants.get(word, ()))}:
                for name_id in self.postings.get(form, ()):
                    found[name_id].add(i)
                    covered[name_id].add(form)
        best: dict[int, float] = {}
        for name_id, held in found.items():
            rowid, keys, weight = self.names[name_id]
            coverage = 0.0
            if len(covered[name_id]) == len(keys) and (len(keys) >= 2 or len(asked) == 1):
                coverage = 1 + len(keys) / max(len(asked), len(keys))
            elif len(held) == len(asked):
                coverage = len(asked) / len(keys)
            coverage *= weight
            if coverage > best.get(rowid, 0.0):
                best[rowid] = coverage
        return best

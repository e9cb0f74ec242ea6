"""The URL lists of the realistic-traffic benchmark, made from the knowledge base a server is serving (its
`/v1/export?format=ndjson`): distinct search queries, distinct suggest prefixes, and a mixed walk over
every page, list, 1,500+ queries and every name prefix."""

from __future__ import annotations

import json
import random
import re
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from app.text.fold import STOPWORDS

# Where the prose of a record is: the words people would type come from these fields.
TEXT_KEYS = frozenset(
    {"name", "aliases", "summary", "title", "body", "text", "role", "finding", "indication", "common", "how"}
)
_WORD = re.compile(r"[^\W\d_]{3,}")
PLURALS = {"condition": "conditions", "mechanism": "mechanisms", "intervention": "interventions"}
# Filters of the list endpoints whose values come from the records themselves.
LIST_FILTERS = {"condition": ("category",), "intervention": ("kind",), "citation": ("publication_type", "organism")}


@dataclass(frozen=True)
class Knowledge:
    """What the URL lists are made of: records by type, and the words of their prose."""

    records: dict[str, list[dict[str, Any]]]
    vocabulary: list[str]  # distinct, in first-seen order

    def labels(self) -> list[str]:
        """Every name and alias of the named kinds, lower case."""
        found = [
            label.lower()
            for kind in PLURALS
            for record in self.records.get(kind, [])
            for label in (record["name"], *record.get("aliases", []))
        ]
        return list(dict.fromkeys(found))


def fetch(base: str) -> Knowledge:
    records: dict[str, list[dict[str, Any]]] = {}
    with urllib.request.urlopen(base + "/v1/export?format=ndjson", timeout=600) as response:
        for line in response:
            item = json.loads(line)
            if item["type"] != "meta":
                records.setdefault(item["type"], []).append(item["record"])
    words = (w.lower() for rs in records.values() for r in rs for text in _texts(r) for w in _WORD.findall(text))
    return Knowledge(records, [w for w in dict.fromkeys(words) if w not in STOPWORDS])


def _texts(value: Any, key: str = "") -> Iterator[str]:
    if isinstance(value, str):
        if key in TEXT_KEYS:
            yield value
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item, key)
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _texts(v, k)


def search_url(query: str) -> str:
    return "/v1/search?q=" + quote(query, safe="")


def suggest_url(prefix: str) -> str:
    return "/v1/suggest?q=" + quote(prefix, safe="")


def queries(knowledge: Knowledge, count: int, rng: random.Random) -> list[str]:
    """`count` distinct queries of 1–3 words of the knowledge base's own prose (fewer if it has too few)."""
    words = knowledge.vocabulary
    found: dict[str, None] = {}
    for _ in range(count * 20):
        if len(found) >= count:
            break
        found[" ".join(rng.choice(words) for _ in range(rng.choice((1, 2, 2, 3))))] = None
    return list(found)


def name_prefixes(knowledge: Knowledge) -> list[str]:
    """Every prefix of every name and alias, as typed from its start (no trailing spaces)."""
    return list(dict.fromkeys(p for label in knowledge.labels() for p in _prefixes(label)))


def prefixes(knowledge: Knowledge, count: int, rng: random.Random) -> list[str]:
    """Up to `count` distinct prefixes, shuffled: those of names and aliases (from every word start), then
    of the words of the prose, then of two-word phrases of it."""
    labels = knowledge.labels()
    starts = (label[m.start() :] for label in labels for m in re.finditer(r"\b\w", label))
    found = dict.fromkeys(p for text in starts for p in _prefixes(text))
    found.update(dict.fromkeys(p for word in knowledge.vocabulary for p in _prefixes(word)))
    words = knowledge.vocabulary
    for _ in range(count * 4):
        if len(found) >= count:
            break
        found.update(dict.fromkeys(_prefixes(f"{rng.choice(words)} {rng.choice(words)}")))
    chosen = list(found)[:count]
    rng.shuffle(chosen)
    return chosen


def _prefixes(text: str) -> Iterable[str]:
    return (text[:n] for n in range(1, len(text) + 1) if not text[n - 1].isspace())


def pages(knowledge: Knowledge) -> list[str]:
    """Every entity page, every bibliography of a named page, and every list: each collection page by page
    at 20 and 100 per page, and filtered by each value its records have."""
    urls: list[str] = []
    for kind, records in knowledge.records.items():
        plural = PLURALS.get(kind, "citations")
        for record in records:
            key = str(record["number"]) if kind == "citation" else record["slug"]
            urls.append(f"/v1/{plural}/{key}")
            if kind != "citation":
                urls.append(f"/v1/{plural}/{key}/references")
        for limit in (20, 100):
            urls += [f"/v1/{plural}?limit={limit}&offset={at}" for at in range(0, len(records), limit)]
        for name in LIST_FILTERS.get(kind, ()):
            values = dict.fromkeys(str(r[name]) for r in records if r.get(name) is not None)
            urls += [f"/v1/{plural}?{name}={quote(v)}" for v in values]
    return urls

"""Citation markers in curated text: `[3]` or `[4, 12]` stand for global citation numbers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

MARKER = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")
# Abbreviations whose full stop does not end a sentence.
_ABBREVIATIONS = re.compile(r"\b(?:e\.g|i\.e|et al|vs|approx|cf|Dr|No|fig)\.", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[^a-z\s])")
_STRUCTURE = re.compile(r"^\s*(?:#{1,6}\s|[-*+]\s|\d+[.)]\s|>\s?)")


@dataclass(frozen=True)
class Marker:
    offset: int  # character offset of the "[" in the text
    numbers: tuple[int, ...]


def find_markers(text: str) -> Iterator[Marker]:
    for match in MARKER.finditer(text):
        yield Marker(match.start(), tuple(int(n) for n in match.group(1).split(",")))


def cited_numbers(text: str) -> list[int]:
    """Citation numbers in order of first appearance, without repeats."""
    seen: dict[int, None] = {}
    for marker in find_markers(text):
        for number in marker.numbers:
            seen.setdefault(number, None)
    return list(seen)


def strip_markers(text: str) -> str:
    """Text with its markers (and the space before them) removed, for plain-text use."""
    return re.sub(r"\s*" + MARKER.pattern, "", text)


RETRACTION_WORDS = re.compile(r"\bretract", re.IGNORECASE)


@dataclass(frozen=True)
class Sentence:
    offset: int
    text: str
    numbers: frozenset[int]


def sentences(markdown: str) -> Iterator[Sentence]:
    """The sentences of a Markdown text, with the citation numbers each carries.

    Headings are skipped (they state no fact). One paragraph or list item per line; a marker belongs to
    the sentence it stands in, so it goes before the full stop: "... in mice [3]."
    """
    masked = _ABBREVIATIONS.sub(lambda m: m.group(0).replace(".", "\x00"), markdown)
    offset = 0
    for line in masked.splitlines(keepends=True):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            prefix = _STRUCTURE.match(line)
            start = prefix.end() if prefix else len(line) - len(line.lstrip())
            body = line[start:].rstrip("\n")
            cursor = 0
            for piece in _SENTENCE_END.split(body):
                where = body.index(piece, cursor)
                cursor = where + len(piece)
                if piece.strip():
                    numbers = frozenset(n for m in find_markers(piece) for n in m.numbers)
                    yield Sentence(offset + start + where, piece.replace("\x00", ".").strip(), numbers)
        offset += len(line)


def uncited_sentences(markdown: str) -> list[Sentence]:
    """Sentences that carry no citation marker."""
    return [s for s in sentences(markdown) if not s.numbers]


def cited_sentences(markdown: str) -> list[Sentence]:
    return [s for s in sentences(markdown) if s.numbers]

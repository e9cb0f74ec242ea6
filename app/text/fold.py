"""Text normalisation shared by validation, lookups and search: one notion of "the same words"."""

from __future__ import annotations

import re
import unicodedata

_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_WORD = re.compile(r"\w+", re.UNICODE)

# Function words dropped from AND-matching (they still count in phrase matching). A query made only
# of them keeps them.
_STOPWORD_TEXT = """
a an and are as at be by can do does for from how i in into is it its my of on or so that the their there
this to was what when where which who why will with
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def fold(text: str) -> str:
    """Case-, width- and dash-insensitive form of a text, with single spaces: names and aliases match
    whatever their case, spacing and dash style (JAK–STAT == jak-stat)."""
    if text.isascii():  # the common case, and ten times cheaper: no width forms or Unicode dashes
        return " ".join(text.lower().split())
    text = _DASHES.sub("-", unicodedata.normalize("NFKC", text).casefold())
    return re.sub(r"\s+", " ", text).strip()


def words(text: str) -> list[str]:
    """The folded word tokens of a text, as the search index sees them before stemming."""
    return _WORD.findall(fold(text))

"""Representations other than our JSON: citation exports (BibTeX, RIS, CSL-JSON, formatted text) and
content negotiation between them."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

import rispy
from bibtexparser.library import Library
from bibtexparser.model import Entry, Field
from bibtexparser.writer import write as write_bibtex

from app.models.record import CitationRecord
from app.models.vocabulary import PublicationType
from app.readmodel.bibliography import format_reference, to_csl

MEDIA_TYPES = {
    "json": "application/json",
    "jsonld": "application/ld+json",
    "bibtex": "application/x-bibtex",
    "ris": "application/x-research-info-systems",
    "csl-json": "application/vnd.citationstyles.csl+json",
    "text": "text/x-bibliography",
}
CITATION_FORMATS = ("json", "jsonld", "bibtex", "ris", "csl-json", "text")
BIBLIOGRAPHY_FORMATS = ("json", "bibtex", "ris", "csl-json", "text")
PAGE_FORMATS = ("json", "jsonld")


class Unacceptable(Exception):
    def __init__(self, offered: Sequence[str]) -> None:
        super().__init__(", ".join(MEDIA_TYPES[f] for f in offered))
        self.offered = offered


def negotiate(format_param: str | None, accept: str | None, offered: Sequence[str]) -> str:
    """The format to serve: `?format=` wins; otherwise the best match in Accept (by q, then order);
    no Accept means the first offered. Raises Unacceptable when nothing offered fits."""
    if format_param is not None:
        if format_param in offered:
            return format_param
        raise Unacceptable(offered)
    if not accept or not accept.strip():
        return offered[0]
    ranges: list[tuple[float, int, str]] = []
    for position, item in enumerate(accept.split(",")):
        media, *params = (part.strip().lower() for part in item.split(";"))
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        if media and q > 0:
            ranges.append((-q, position, media))
    for _, _, media in sorted(ranges):
        for name in offered:
            full = MEDIA_TYPES[name]
            if media in (full, "*/*") or (media.endswith("/*") and full.startswith(media[:-1])):
                return name
    raise Unacceptable(offered)


def _bibtex_name(name: str) -> str:
    match = re.fullmatch(r"(.+?) ([A-Z]{1,4})(?: (Jr|Sr|II|III))?", name)
    if not match:
        return "{" + name + "}"
    initials = " ".join(f"{i}." for i in match.group(2))
    suffix = f", {match.group(3)}" if match.group(3) else ""
    return f"{match.group(1)}{suffix}, {initials}"


def bibtex(citations: Sequence[CitationRecord]) -> str:
    library = Library()
    for c in citations:
        fields = {
            "title": c.title,
            "author": " and ".join(
                [*map(_bibtex_name, c.authors or []), *(["others"] if c.authors_complete is False else [])]
            ),
            "journal": c.journal,
            "year": str(c.year) if c.year else None,
            "volume": c.volume,
            "number": c.issue,
            "pages": c.pages.replace("-", "--", 1) if c.pages else None,
            "doi": c.doi,
            "pmid": c.pmid,
            "pmcid": c.pmcid,
            "url": c.source_url,
            "note": "Retracted" if c.retracted else None,
        }
        kind = "misc" if c.publication_type == PublicationType.regulatory_notice else "article"
        # Braces delimit values; the writer emits them as given.
        library.add(Entry(kind, f"hairkb{c.number}", [Field(k, f"{{{v}}}") for k, v in fields.items() if v]))
    return str(write_bibtex(library))


def ris(citations: Sequence[CitationRecord]) -> str:
    entries = []
    for c in citations:
        start, _, end = (c.pages or "").partition("-")
        entry = {
            "type_of_reference": "GEN" if c.publication_type == PublicationType.regulatory_notice else "JOUR",
            "id": f"hairkb{c.number}",
            "title": c.title,
            "authors": [a.replace(" ", ", ", 1) if " " in a else a for a in (c.authors or [])],
            "secondary_title": c.journal,  # T2: the full journal name
            "journal_name": c.journal_abbrev,  # JO: its abbreviation
            "year": str(c.year) if c.year else None,
            "volume": c.volume,
            "number": c.issue,
            "start_page": start or None,
            "end_page": end or None,
            "doi": c.doi,
            "urls": [c.source_url],
            "notes": [n for n in (f"PMID: {c.pmid}" if c.pmid else None, "Retracted" if c.retracted else None) if n],
        }
        entries.append({k: v for k, v in entry.items() if v})
    # rispy numbers each record with a bare "1." line that RIS readers do not expect.
    return re.sub(r"(?m)^\d+\.\n", "", rispy.dumps(entries))


def csl_json(citations: Sequence[CitationRecord]) -> str:
    return json.dumps([to_csl(c) for c in citations], ensure_ascii=False, indent=2)


def text(citations: Sequence[CitationRecord]) -> str:
    """A formatted bibliography (AMA style), each entry under its permanent citation number."""
    return "".join(f"{c.number}. {format_reference(c)}\n" for c in citations)


EXPORTERS = {"bibtex": bibtex, "ris": ris, "csl-json": csl_json, "text": text}

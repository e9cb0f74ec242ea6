"""Representations and content negotiation: the one registry of formats (name, media type, how citations
are written in it), the formats each resource offers, and the choice by `?format=` or Accept."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated

from fastapi import Query, Request

from app.http.errors import NotAcceptable
from app.models.record import CitationRecord
from app.readmodel import bibliography

PLAIN_TEXT = "text/plain"


@dataclass(frozen=True)
class Format:
    name: str  # as `?format=` spells it, and the last path segment of the format's own operation
    media_type: str
    label: str  # for people: summaries and descriptions
    text: bool = False  # a text body, not a JSON document
    export: Callable[[Sequence[CitationRecord]], str] | None = None  # how citations are written in it

    @property
    def identifier(self) -> str:
        """The name as it appears in operation ids (`csl-json` → `csl_json`)."""
        return self.name.replace("-", "_")

    @property
    def also_plain(self) -> bool:
        """Text that is not `text/*`: its own operation also answers `Accept: text/plain` with the same body,
        so that generic clients and generated ones (which type `text/*` as a string) can read it."""
        return self.text and not self.media_type.startswith("text/")


JSON = Format("json", "application/json", "JSON")
JSONLD = Format("jsonld", "application/ld+json", "schema.org JSON-LD")
BIBTEX = Format("bibtex", "application/x-bibtex", "BibTeX", text=True, export=bibliography.bibtex)
RIS = Format("ris", "application/x-research-info-systems", "RIS", text=True, export=bibliography.ris)
CSL_JSON = Format("csl-json", "application/vnd.citationstyles.csl+json", "CSL-JSON", export=bibliography.csl_json)
TEXT = Format("text", "text/x-bibliography", "formatted text (AMA)", text=True, export=bibliography.text)
NDJSON = Format("ndjson", "application/x-ndjson", "NDJSON", text=True)
SVG = Format("svg", "image/svg+xml", "an SVG picture", text=True)

# What each resource offers; the first is the default.
PAGE_FORMATS = (JSON, JSONLD)
CITATION_FORMATS = (JSON, JSONLD, BIBTEX, RIS, CSL_JSON, TEXT)
BIBLIOGRAPHY_FORMATS = (JSON, BIBTEX, RIS, CSL_JSON, TEXT)
EXPORT_FORMATS = (JSON, NDJSON)
GRAPH_FORMATS = (JSON, SVG)


# The `?format=` values of each resource, as enums that OpenAPI and generated clients show.
PageFormat = StrEnum("PageFormat", [(f.name, f.name) for f in PAGE_FORMATS])  # type: ignore[misc]
CitationFormat = StrEnum("CitationFormat", [(f.name, f.name) for f in CITATION_FORMATS])  # type: ignore[misc]
BibliographyFormat = StrEnum("BibliographyFormat", [(f.name, f.name) for f in BIBLIOGRAPHY_FORMATS])  # type: ignore[misc]
ExportFormat = StrEnum("ExportFormat", [(f.name, f.name) for f in EXPORT_FORMATS])  # type: ignore[misc]
GraphFormat = StrEnum("GraphFormat", [(f.name, f.name) for f in GRAPH_FORMATS])  # type: ignore[misc]


def _format_query(formats: Sequence[Format]) -> object:
    listed = ", ".join(f"`{f.name}` ({f.media_type})" for f in formats)
    return Query(
        alias="format",
        description=f"Representation, instead of an Accept header: {listed}. Generated clients call the "
        "format's own operation instead (its path ends in the format's name), which has one response type.",
    )


PageFormatQuery = Annotated[PageFormat | None, _format_query(PAGE_FORMATS)]
CitationFormatQuery = Annotated[CitationFormat | None, _format_query(CITATION_FORMATS)]
BibliographyFormatQuery = Annotated[BibliographyFormat | None, _format_query(BIBLIOGRAPHY_FORMATS)]
ExportFormatQuery = Annotated[ExportFormat | None, _format_query(EXPORT_FORMATS)]
GraphFormatQuery = Annotated[GraphFormat | None, _format_query(GRAPH_FORMATS)]


def weighted(header: str) -> Iterator[tuple[str, float]]:
    """The items of an Accept-style header (lower case, parameters dropped) with their q-values (1 when not
    given, 0 when unreadable), in order."""
    for item in header.split(","):
        value, *params = (part.strip().lower() for part in item.split(";"))
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        yield value, q


def negotiate(format_param: str | None, accept: str | None, offered: Sequence[Format]) -> Format | None:
    """The format to serve: `?format=` wins; otherwise the best match in Accept (by q, then order);
    no Accept means the first offered. None when nothing offered fits."""
    if format_param is not None:
        return next((f for f in offered if f.name == format_param), None)
    if not accept or not accept.strip():
        return offered[0]
    ranges = [(-q, position, media) for position, (media, q) in enumerate(weighted(accept)) if media and q > 0]
    for _, _, media in sorted(ranges):
        for offer in offered:
            full = offer.media_type
            if media in (full, "*/*") or (media.endswith("/*") and full.startswith(media[:-1])):
                return offer
    return None


def choose_format(request: Request, format_param: str | None, offered: Sequence[Format]) -> Format:
    """Negotiate a format; a 406 problem lists what is on offer."""
    chosen = negotiate(format_param, request.headers.get("accept"), offered)
    if chosen is None:
        supported = ", ".join(f"{f.media_type} (?format={f.name})" for f in offered)
        raise NotAcceptable(f"Supported here: {supported}.")
    return chosen


def as_plain(fmt: Format) -> Format:
    """The same representation labelled text/plain (see `Format.also_plain`)."""
    return Format(fmt.name, PLAIN_TEXT, fmt.label, text=True, export=fmt.export)

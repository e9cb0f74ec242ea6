"""Representations and content negotiation: the one registry of formats (name, media type, how citations
are written in it), the formats each resource offers, and the choice by `?format=` or Accept."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Query, Request

from app.http.errors import NotAcceptable
from app.models.record import CitationRecord
from app.readmodel import bibliography


@dataclass(frozen=True)
class Format:
    name: str  # as `?format=` spells it
    media_type: str
    text: bool = False  # a text body, not a JSON document (OpenAPI documents it as a string)
    export: Callable[[Sequence[CitationRecord]], str] | None = None  # how citations are written in it


JSON = Format("json", "application/json")
JSONLD = Format("jsonld", "application/ld+json")
BIBTEX = Format("bibtex", "application/x-bibtex", text=True, export=bibliography.bibtex)
RIS = Format("ris", "application/x-research-info-systems", text=True, export=bibliography.ris)
CSL_JSON = Format("csl-json", "application/vnd.citationstyles.csl+json", export=bibliography.csl_json)
TEXT = Format("text", "text/x-bibliography", text=True, export=bibliography.text)
NDJSON = Format("ndjson", "application/x-ndjson", text=True)
SVG = Format("svg", "image/svg+xml", text=True)

# What each resource offers; the first is the default.
PAGE_FORMATS = (JSON, JSONLD)
CITATION_FORMATS = (JSON, JSONLD, BIBTEX, RIS, CSL_JSON, TEXT)
BIBLIOGRAPHY_FORMATS = (JSON, BIBTEX, RIS, CSL_JSON, TEXT)
GRAPH_FORMATS = (JSON, SVG)

FormatQuery = Annotated[
    str | None,
    Query(
        alias="format",
        max_length=20,
        description="Representation, instead of an Accept header: json, jsonld (pages); bibtex, ris, csl-json, "
        "text (citations and reference lists); svg (graphs). Unknown: 406.",
    ),
]


def alternate_content(formats: Sequence[Format]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI: the media types a 200 can carry besides JSON, and the 406 for anything else."""
    content = {f.media_type: {"schema": {"type": "string" if f.text else "object"}} for f in formats if f is not JSON}
    return {
        200: {"content": content},
        406: {"description": "No offered representation fits the Accept header or ?format=."},
    }


def negotiate(format_param: str | None, accept: str | None, offered: Sequence[Format]) -> Format | None:
    """The format to serve: `?format=` wins; otherwise the best match in Accept (by q, then order);
    no Accept means the first offered. None when nothing offered fits."""
    if format_param is not None:
        return next((f for f in offered if f.name == format_param), None)
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

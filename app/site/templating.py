"""The site's Jinja2 environment (templates in app/templates, autoescaped, strict), the labels and filters
its templates use, and rendering a page once into a body with its Content-Security-Policy."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from app.http.cache import Rendered
from app.models.kind import Kind
from app.models.regulatory import RegulatoryStatus
from app.models.response import DISCLAIMER
from app.models.vocabulary import EvidenceGrade
from app.readmodel.urls import site_url

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
HTML = "text/html; charset=utf-8"

GRADE_LABELS = {
    EvidenceGrade.approved: "Approved",
    EvidenceGrade.supported_by_rcts: "Supported by RCTs",
    EvidenceGrade.limited: "Limited evidence",
    EvidenceGrade.investigational: "Investigational",
    EvidenceGrade.no_evidence: "No evidence",
    EvidenceGrade.discredited: "Discredited",
}
STATUS_LABELS = {
    RegulatoryStatus.approved: "approved",
    RegulatoryStatus.cleared: "cleared",
    RegulatoryStatus.otc: "over the counter",
    RegulatoryStatus.not_approved: "not approved",
    RegulatoryStatus.withdrawn: "withdrawn",
    RegulatoryStatus.warning: "warning",
}
# Everything a page loads comes from this server; scripts and styles only from files (no inline code), except
# the page's JSON-LD block, allowed by its hash.
_CSP = (
    "default-src 'none'; script-src 'self'{hashes}; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


# Vocabulary values whose words alone read wrongly.
WORDS = {"pain-burning": "pain or burning", "vertex-crown": "vertex (crown)", "n.a.": "not applicable"}


def label(value: str) -> str:
    """A vocabulary value as words: `widening-part` → `Widening part`."""
    text = WORDS.get(value) or value.replace("-", " ").replace("_", " ")
    return text[:1].upper() + text[1:]


def cites(numbers: Iterable[int]) -> Markup:
    """Citation superscripts linking to the page's reference list (as the rendered sections have them)."""
    numbers = list(numbers)
    if not numbers:
        return Markup("")
    links = ", ".join(f'<a class="citation" href="#ref-{n}">{n}</a>' for n in numbers)
    return Markup(f'<sup class="citation">{links}</sup>')


def page_link(url: str) -> str:
    """The site page of an API URL (`/v1/conditions/x` → `/conditions/x`)."""
    return url.removeprefix("/v1")


def json_script(document: dict[str, Any]) -> Markup:
    """JSON for a `<script type="application/ld+json">` block: `<`, `>` and `&` escaped so that no text in it
    can close the element."""
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def csp(scripts: Iterable[str] = ()) -> str:
    hashes = "".join(f" 'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in scripts)
    return _CSP.format(hashes=hashes)


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "svg"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(label=label, page_link=page_link, grade=GRADE_LABELS.__getitem__)
    env.globals.update(
        cites=cites,
        site_url=site_url,
        Kind=Kind,
        DISCLAIMER=DISCLAIMER,
        status_label=STATUS_LABELS.__getitem__,
        escape=escape,
    )
    return env


ENVIRONMENT = _environment()


def render(template: str, *, jsonld: dict[str, Any] | None = None, **context: Any) -> Rendered:
    """A page rendered once: HTML with its CSP (allowing the page's own JSON-LD block by hash)."""
    script = json_script(jsonld) if jsonld is not None else None
    html = ENVIRONMENT.get_template(template).render(jsonld=script, **context)
    headers = (("Content-Security-Policy", csp([str(script)] if script is not None else [])),)
    return Rendered.raw(html, HTML, headers)

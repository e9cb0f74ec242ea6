"""Markdown to sanitised HTML, with citation markers turned into superscript links to the reference list."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

from app.text.markers import MARKER

# Raw HTML in the source is escaped, not rendered: curated text is Markdown only.
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_ALLOWED_TAGS = {
    "p",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "em",
    "strong",
    "code",
    "blockquote",
    "a",
    "sup",
    "br",
}
_ALLOWED_ATTRIBUTES = {"a": {"href", "class", "title"}, "sup": {"class"}}


def _marker_html(match: object) -> str:
    numbers = [n.strip() for n in match.group(1).split(",")]  # type: ignore[attr-defined]
    links = ", ".join(f'<a class="citation" href="#ref-{n}" title="Reference {n}">{n}</a>' for n in numbers)
    return f'<sup class="citation">{links}</sup>'


def render_markdown(markdown: str) -> str:
    """HTML for a Markdown body; markers `[3, 4]` become `<sup><a href="#ref-3">3</a>, …</sup>`."""
    rendered = _MARKDOWN.render(markdown)
    # A superscript hugs the word it follows.
    linked = MARKER.sub(_marker_html, rendered).replace(' <sup class="citation">', '<sup class="citation">')
    return nh3.clean(
        linked,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"https", "http"},
        link_rel=None,
    ).strip()

"""A graph as an SVG picture laid out by Graphviz `dot`: conditions → mechanisms → interventions from left
to right, treatment edges coloured (and dashed) by evidence grade, a legend, text kept as text, and a
`<title>` and `<desc>` for the picture and every node and edge."""

from __future__ import annotations

import html
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from app.models.graph import EdgeData, EdgeType, Graph, NodeData
from app.models.kind import Kind
from app.models.vocabulary import EvidenceGrade

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)
FONT = "DejaVu Sans, Verdana, sans-serif"
DOT_TIMEOUT_SECONDS = 60


class PictureUnavailable(RuntimeError):
    """Graphviz is not installed, or failed."""


@dataclass(frozen=True)
class Stroke:
    colour: str
    style: str  # solid, dashed, dotted
    width: float
    sample: str  # how the legend draws it, as text

    def dot(self) -> str:
        return f'color="{self.colour}", style="{self.style}", penwidth={self.width}'


# Colour and line style both tell the grade apart, so the picture reads in grey too.
GRADE_STROKES = {
    EvidenceGrade.approved: Stroke("#116329", "solid", 2.6, "━━━"),
    EvidenceGrade.supported_by_rcts: Stroke("#0550ae", "solid", 1.8, "───"),
    EvidenceGrade.limited: Stroke("#9a6700", "dashed", 1.5, "╌╌╌"),
    EvidenceGrade.investigational: Stroke("#8250df", "dotted", 1.6, "┈┈┈"),
    EvidenceGrade.no_evidence: Stroke("#6e7781", "dotted", 1.0, "┈┈┈"),
    EvidenceGrade.discredited: Stroke("#cf222e", "dashed", 2.0, "╍╍╍"),
}
LINK_STROKES = {
    EdgeType.involves: Stroke("#8c959f", "solid", 1.0, "───"),
    EdgeType.acts_on: Stroke("#8c959f", "dashed", 1.0, "╌╌╌"),
}
NODE_STYLES = {
    Kind.condition: ('shape=box, style="rounded,filled"', "#ddf4ff", "#0969da"),
    Kind.mechanism: ('shape=ellipse, style="filled"', "#fff8c5", "#9a6700"),
    Kind.intervention: ('shape=box, style="filled"', "#dafbe1", "#1a7f37"),
}
WRAP = 26


def _quote(text: str) -> str:
    """A DOT string: quotes and backslashes escaped (a backslash would start a Graphviz escape)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _wrapped(text: str, width: int = WRAP) -> str:
    """Lines of at most about `width` characters, joined by DOT's centred line break."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\\n".join(line.replace("\\", "\\\\").replace('"', '\\"') for line in lines)


def edge_sentence(edge: EdgeData, nodes: dict[str, NodeData]) -> str:
    source, target = nodes[edge.source].label, nodes[edge.target].label
    match edge.type:
        case EdgeType.involves:
            return f"{source} involves {target}: {edge.role}"
        case EdgeType.treats:
            return f"{source} is used for {target} (evidence: {edge.grade})"
        case EdgeType.acts_on:
            return f"{source} acts on {target}: {edge.role}"


def _legend() -> str:
    """An HTML-like label: the grade strokes and edge kinds, drawn as text in their colours."""

    def cell(stroke: Stroke, name: str) -> str:
        return (
            f'<td align="right"><font color="{stroke.colour}"><b>{stroke.sample}</b></font></td>'
            f'<td align="left">{html.escape(name)}</td>'
        )

    grades = [cell(GRADE_STROKES[g], g.value) for g in EvidenceGrade]
    rows = "".join(
        f"<tr>{grades[i]}{grades[i + 1] if i + 1 < len(grades) else ''}</tr>" for i in range(0, len(grades), 2)
    )
    links = cell(LINK_STROKES[EdgeType.involves], "involves mechanism") + cell(
        LINK_STROKES[EdgeType.acts_on], "acts on mechanism"
    )
    return (
        '<<table border="0" cellborder="0" cellspacing="0" cellpadding="1">'
        '<tr><td colspan="4" align="left"><b>Treatment lines, by evidence grade</b></td></tr>'
        f'{rows}<tr><td colspan="4" align="left"><b>Other lines</b></td></tr><tr>{links}</tr>'
        '<tr><td colspan="4" align="left">Rounded boxes: conditions · ovals: mechanisms · boxes: treatments</td></tr>'
        "</table>>"
    )


def dot_source(graph: Graph, href: Callable[[Kind, str], str]) -> str:
    """The DOT text of a graph; `href` gives each node's link."""
    nodes = {n.data.id: n.data for n in graph.elements.nodes}
    ids = {nid: f"n{i}" for i, nid in enumerate(nodes)}
    lines = [
        "digraph hairkb {",
        f'  graph [rankdir=LR, newrank=true, ranksep=1.1, nodesep=0.08, pad=0.2, fontname="{FONT}", fontsize=11,'
        f" labelloc=b, labeljust=l, label={_legend()}];",
        f'  node [fontname="{FONT}", fontsize=11, margin="0.1,0.03", height=0.3, penwidth=1.2];',
        "  edge [arrowsize=0.6];",
    ]
    for kind in Kind.with_names():
        members = [data for data in nodes.values() if data.type is kind]
        if not members:
            continue
        rank = {Kind.condition: "min", Kind.mechanism: "same", Kind.intervention: "max"}[kind]
        shape, fill, border = NODE_STYLES[kind]
        lines.append(f"  {{ rank={rank};")
        for data in members:
            width = 3.0 if data.focus else 1.2
            colour = f'fillcolor="{border if data.focus else fill}", fontcolor="{"white" if data.focus else "black"}"'
            lines.append(
                f'    {ids[data.id]} [id="{ids[data.id]}", label="{_wrapped(data.label)}", {shape}, {colour}, '
                f'color="{border}", penwidth={width}, URL={_quote(href(kind, data.slug))}, target="_top", '
                f"tooltip={_quote(f'{data.label} ({kind.value})')}];"
            )
        lines.append("  }")
    for i, edge in enumerate(e.data for e in graph.elements.edges):
        stroke = GRADE_STROKES[edge.grade] if edge.grade is not None else LINK_STROKES[edge.type]
        # Drawn left to right (condition → mechanism → intervention); arrows point as the edge reads.
        match edge.type:
            case EdgeType.involves:
                ends = f"{ids[edge.source]} -> {ids[edge.target]}"
                direction = "forward"
            case EdgeType.treats | EdgeType.acts_on:
                ends = f"{ids[edge.target]} -> {ids[edge.source]}"
                direction = "back"
        # No tooltip: the edge's <title> (its sentence, set in _finish) is what browsers show and read.
        lines.append(f'  {ends} [id="e{i}", dir={direction}, {stroke.dot()}];')
    lines.append("}")
    return "\n".join(lines)


def describe(graph: Graph) -> str:
    """What the picture shows, in words (its `<desc>`)."""
    kinds = Counter(n.data.type for n in graph.elements.nodes)
    types = Counter(e.data.type for e in graph.elements.edges)
    counted = ", ".join(f"{kinds[k]} {k.plural if kinds[k] != 1 else k.value}" for k in Kind.with_names() if kinds[k])
    return (
        f"{counted}. Conditions on the left, mechanisms in the middle, interventions on the right. "
        f"{types[EdgeType.involves]} links from a condition to a mechanism it involves, "
        f"{types[EdgeType.treats]} from an intervention to a condition it is used for (coloured by evidence grade: "
        "approved dark green, supported by RCTs blue, limited amber dashed, investigational purple dotted, "
        "no evidence grey dotted, discredited red dashed), "
        f"{types[EdgeType.acts_on]} from an intervention to a mechanism it acts on."
    )


def render_svg(graph: Graph, href: Callable[[Kind, str], str]) -> str:
    """The picture as a standalone SVG document. Raises PictureUnavailable without Graphviz."""
    dot = shutil.which("dot")
    if dot is None:
        raise PictureUnavailable("Graphviz is not installed: pictures need its `dot` (apt-get install graphviz).")
    try:
        result = subprocess.run(
            [dot, "-Tsvg"], input=dot_source(graph, href).encode(), capture_output=True, timeout=DOT_TIMEOUT_SECONDS
        )
    except subprocess.TimeoutExpired as err:
        raise PictureUnavailable("Graphviz took too long to lay out the picture.") from err
    if result.returncode != 0:
        raise PictureUnavailable(f"Graphviz failed: {result.stderr.decode(errors='replace')[:500]}")
    return _finish(result.stdout, graph)


def _finish(svg: bytes, graph: Graph) -> str:
    """Readable titles instead of Graphviz's node names, the picture's own title and description, and no
    comments or doctype, so the document also embeds in HTML as it is."""
    root = ET.fromstring(svg)
    nodes = {n.data.id: n.data for n in graph.elements.nodes}
    ids = {f"n{i}": data for i, data in enumerate(nodes.values())}
    edges = {f"e{i}": e.data for i, e in enumerate(graph.elements.edges)}
    title_tag = f"{{{SVG_NS}}}title"
    for group in root.iter(f"{{{SVG_NS}}}g"):
        gid = group.get("id", "")
        title = group.find(title_tag)
        if title is None:
            continue
        if gid in ids:
            title.text = f"{ids[gid].label} ({ids[gid].type.value})"
        elif gid in edges:
            title.text = edge_sentence(edges[gid], nodes)
        else:  # the graph itself
            group.remove(title)
    root.set("aria-labelledby", "picture-title picture-desc")
    title = ET.Element(title_tag, {"id": "picture-title"})
    title.text = graph.data.title
    desc = ET.Element(f"{{{SVG_NS}}}desc", {"id": "picture-desc"})
    desc.text = describe(graph)
    root.insert(0, desc)
    root.insert(0, title)
    return ET.tostring(root, encoding="unicode")

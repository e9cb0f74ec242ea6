"""The knowledge graph of one data version: conditions, mechanisms and interventions as nodes, and the typed
edges between them (a condition involves a mechanism, an intervention treats a condition with an evidence
grade, an intervention acts on a mechanism); the whole graph, or the neighbourhood of one entity."""

from __future__ import annotations

from collections import defaultdict

from app.models.graph import Edge, EdgeData, EdgeType, Elements, Graph, GraphData, Node, NodeData
from app.models.kind import Kind
from app.models.knowledge import KnowledgeBase
from app.models.vocabulary import EvidenceGrade
from app.readmodel.urls import url_for
from app.text.markers import cited_numbers, strip_markers


def node_id(kind: Kind, slug: str) -> str:
    return f"{kind.value}:{slug}"


class KnowledgeGraph:
    """Every node and edge, built once per data version; `whole()` and `around()` select from them."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.nodes: dict[str, NodeData] = {}
        for kind in Kind.with_names():
            for record in kb.named(kind).values():
                nid = node_id(kind, record.slug)
                self.nodes[nid] = NodeData(
                    id=nid, type=kind, slug=record.slug, label=record.name, url=url_for(kind, record.slug), focus=False
                )
        self.edges: list[EdgeData] = []
        for cond in kb.conditions.values():
            for link in cond.mechanisms:
                self._edge(
                    EdgeType.involves,
                    node_id(Kind.condition, cond.slug),
                    node_id(Kind.mechanism, link.slug),
                    role=strip_markers(link.role),
                    citations=list(link.citations),
                )
        for item in kb.interventions.values():
            source = node_id(Kind.intervention, item.slug)
            for use in item.uses:
                self._edge(
                    EdgeType.treats,
                    source,
                    node_id(Kind.condition, use.condition),
                    grade=use.grade,
                    citations=cited_numbers(use.summary),
                )
            for link in item.mechanisms:
                self._edge(
                    EdgeType.acts_on,
                    source,
                    node_id(Kind.mechanism, link.slug),
                    role=strip_markers(link.role),
                    citations=list(link.citations),
                )
        self.neighbours: dict[str, list[str]] = defaultdict(list)
        for edge in self.edges:
            self.neighbours[edge.source].append(edge.target)
            self.neighbours[edge.target].append(edge.source)

    def _edge(
        self,
        type_: EdgeType,
        source: str,
        target: str,
        citations: list[int],
        grade: EvidenceGrade | None = None,
        role: str | None = None,
    ) -> None:
        edge_id = f"{type_.value}:{source}:{target}"
        self.edges.append(
            EdgeData(id=edge_id, source=source, target=target, type=type_, grade=grade, role=role, citations=citations)
        )

    def whole(self) -> Graph:
        return self._graph("Hair-loss conditions, their mechanisms and treatments", None, list(self.nodes))

    def around(self, kind: Kind, slug: str) -> Graph:
        """The entity, everything it is linked to, and the edges among them."""
        focus = node_id(kind, slug)
        members = dict.fromkeys([focus, *self.neighbours[focus]])
        ordered = [nid for nid in self.nodes if nid in members]  # conditions, mechanisms, interventions
        name = self.nodes[focus].label
        title = {
            Kind.condition: f"{name}: mechanisms and treatments",
            Kind.mechanism: f"{name}: conditions that involve it and treatments that act on it",
            Kind.intervention: f"{name}: conditions it is used for and mechanisms it acts on",
        }.get(kind, name)
        return self._graph(title, focus, ordered)

    def _graph(self, title: str, focus: str | None, members: list[str]) -> Graph:
        inside = set(members)
        nodes = [Node(data=self.nodes[nid].model_copy(update={"focus": nid == focus})) for nid in members]
        edges = [Edge(data=e) for e in self.edges if e.source in inside and e.target in inside]
        return Graph(data=GraphData(title=title, focus=focus), elements=Elements(nodes=nodes, edges=edges))

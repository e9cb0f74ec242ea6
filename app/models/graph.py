"""Public response models of the knowledge graph: nodes and typed edges in the element JSON that Cytoscape.js
loads as is (`cytoscape({elements: body.elements})` or `cy.json(body)`)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field

from app.models.kind import Kind, kinds_schema
from app.models.response import Model
from app.models.vocabulary import EvidenceGrade


class EdgeType(StrEnum):
    """What an edge says. `involves`: a condition involves a mechanism (with its role there); `treats`: an
    intervention is used for a condition (with its evidence grade); `acts-on`: an intervention acts on a
    mechanism (with its role)."""

    involves = "involves"
    treats = "treats"
    acts_on = "acts-on"


class NodeData(Model):
    id: str = Field(description="`type:slug`, unique in the graph.", examples=["condition:alopecia-areata"])
    type: Annotated[Kind, kinds_schema(Kind.with_names()), Field(title="Type")]
    slug: str = Field(examples=["alopecia-areata"])
    label: str = Field(description="The entity's name.", examples=["Alopecia areata"])
    url: str = Field(description="Its page in the API.", examples=["/v1/conditions/alopecia-areata"])
    focus: bool = Field(description="True for the entity whose neighbourhood this graph is.")


class Node(Model):
    data: NodeData
    group: str = Field(default="nodes", description="Cytoscape.js element group.")


class EdgeData(Model):
    id: str = Field(examples=["treats:baricitinib:alopecia-areata"])
    source: str = Field(description="Node id: the condition of `involves`, the intervention of `treats`/`acts-on`.")
    target: str = Field(description="Node id: the mechanism of `involves`/`acts-on`, the condition of `treats`.")
    type: EdgeType
    grade: EvidenceGrade | None = Field(description="The evidence grade (`treats` edges only).")
    role: str | None = Field(description="What the mechanism does there, in plain words (`involves`, `acts-on`).")
    citations: list[int] = Field(description="Citations backing the edge.")


class Edge(Model):
    data: EdgeData
    group: str = Field(default="edges", description="Cytoscape.js element group.")


class Elements(Model):
    nodes: list[Node]
    edges: list[Edge]


class GraphData(Model):
    title: str = Field(examples=["Alopecia areata: mechanisms and treatments"])
    focus: str | None = Field(description="Node id of the entity at the centre; null for the whole graph.")


class Graph(Model):
    """A graph of conditions, mechanisms and interventions. The body is Cytoscape.js JSON: `elements` holds
    `nodes` and `edges`, each `{group, data}`; `data` (graph-level) names it."""

    data: GraphData
    elements: Elements

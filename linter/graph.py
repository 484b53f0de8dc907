"""Resource graph: a networkx MultiDiGraph behind a small domain API.

Nodes are logical ids of resources (implicit SAM resources included) and parameters. Edges are
typed (``Edge.*``) and carry the document path they came from:

- syntactic: ``ref``, ``getatt``, ``sub`` (from -> to: "from mentions to"), ``depends_on``;
- semantic: ``implicit`` (a function whose event declares an implicit API -> that API),
  ``event_source`` (function -> the API / bucket / queue of one of its events),
  ``attached_policy`` (policy -> role/user/group it is attached to),
  ``invokes`` (permission / integration -> function), ``origin_of`` (bucket -> distribution),
  ``authorizes`` (authorizer -> API), ``assumes`` (role -> the service principal's resource).

Views may add semantic edges with ``add``; rules only read.
"""

from __future__ import annotations

from typing import Iterator

import networkx as nx

from .model.template import Template
from .model.values import references


class Edge:
    REF = "ref"
    GETATT = "getatt"
    SUB = "sub"
    DEPENDS_ON = "depends_on"
    IMPLICIT = "implicit"
    EVENT_SOURCE = "event_source"
    ATTACHED_POLICY = "attached_policy"
    INVOKES = "invokes"
    ORIGIN_OF = "origin_of"
    AUTHORIZES = "authorizes"
    ASSUMES = "assumes"


_POLICY_TARGETS = {"Roles": "role", "Users": "user", "Groups": "group"}


class ResourceGraph:
    def __init__(self, template: Template):
        self.t = template
        g = nx.MultiDiGraph()
        self.g = g
        for name in template.parameters:
            g.add_node(name, kind="parameter")
        for lid, r in template.resources.items():
            g.add_node(lid, kind="resource", type=r.type, implicit=r.implicit)
        for lid, r in template.resources.items():
            if r.implicit:
                for fn_id, path in r.declared_by:
                    self.add(fn_id, lid, Edge.IMPLICIT, path)
                continue
            for name, attr, kind, path in references(r.raw, r.path):
                if name in g and name != lid:
                    self.add(lid, name, kind, path, attr=attr)
            for i, dep in enumerate(r.depends_on):
                if dep in g:
                    self.add(lid, dep, Edge.DEPENDS_ON, r.path + ("DependsOn", i))
            if r.type in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
                for key in _POLICY_TARGETS:
                    targets = r.properties.get(key)
                    if isinstance(targets, list):
                        for i, t in enumerate(targets):
                            tid = _ref_target(t)
                            if tid in g:
                                self.add(lid, tid, Edge.ATTACHED_POLICY, r.path + ("Properties", key, i))
            if r.type == "AWS::Serverless::Function":
                for ev in template.events(r):
                    for name, _attr, _k, path in references(ev.properties, ev.doc_path + ("Properties",)):
                        if name in g and name != lid and g.nodes[name].get("kind") == "resource":
                            self.add(lid, name, Edge.EVENT_SOURCE, path, event=ev.name)

    def add(self, src: str, dst: str, kind: str, path: tuple = (), **attrs) -> None:
        self.g.add_edge(src, dst, key=None, kind=kind, path=tuple(path), **attrs)

    # ------------------------------------------------------------ queries
    def out_edges(self, node: str, kind: str | None = None) -> Iterator[tuple[str, dict]]:
        if node not in self.g:
            return
        for _, dst, data in self.g.out_edges(node, data=True):
            if kind is None or data.get("kind") == kind:
                yield dst, data

    def in_edges(self, node: str, kind: str | None = None) -> Iterator[tuple[str, dict]]:
        if node not in self.g:
            return
        for src, _, data in self.g.in_edges(node, data=True):
            if kind is None or data.get("kind") == kind:
                yield src, data

    def referrers(self, node: str, *, of_type: tuple[str, ...] = ()) -> list[str]:
        """Resources that mention ``node`` (ref/getatt/sub), optionally filtered by type."""
        out = []
        for src, data in self.in_edges(node):
            if data["kind"] in (Edge.REF, Edge.GETATT, Edge.SUB):
                r = self.t.get(src)
                if r is not None and (not of_type or r.type in of_type):
                    out.append(src)
        return sorted(set(out))

    def dependency_cycles(self, limit: int = 10) -> list[list[str]]:
        """Cycles among resources (DependsOn and references), at most ``limit``."""
        out = []
        sub = nx.DiGraph((u, v) for u, v, d in self.g.edges(data=True)
                         if d.get("kind") in (Edge.DEPENDS_ON, Edge.REF, Edge.GETATT, Edge.SUB))
        for cyc in nx.simple_cycles(sub):
            out.append(cyc)
            if len(out) >= limit:
                break
        return out


def _ref_target(v) -> str | None:
    """The logical id a ``!Ref`` names (a literal string is a role *name*, not a logical id)."""
    if isinstance(v, dict) and len(v) == 1:
        if isinstance(v.get("Ref"), str):
            return v["Ref"]
    return None

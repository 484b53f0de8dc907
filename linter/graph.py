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

from typing import Any, Iterator

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


class _NodeView:
    """``g.nodes``: ``n in g.nodes``, ``g.nodes[n]`` (attributes), iteration, ``g.nodes(data=True)``."""
    __slots__ = ("_n",)

    def __init__(self, nodes: dict):
        self._n = nodes

    def __getitem__(self, n):
        return self._n[n]

    def __contains__(self, n) -> bool:
        return n in self._n

    def __iter__(self):
        return iter(self._n)

    def __len__(self) -> int:
        return len(self._n)

    def __call__(self, data: bool = False):
        return iter(self._n.items()) if data else iter(self._n)


class MultiDiGraph:
    """The part of ``networkx.MultiDiGraph`` that a check needs, without importing networkx
    (about 0.1 s, most of a small template's budget): nodes with attributes, parallel edges
    with attributes, ``in``, ``nodes``, ``edges``/``out_edges``/``in_edges`` (with ``data=True``),
    in networkx's iteration order. Anything else (``successors``, algorithms, drawing) is handed
    to a real networkx graph built on first use and kept in step; ``to_networkx()`` gives it."""

    def __init__(self) -> None:
        self._nodes: dict[Any, dict] = {}
        self._succ: dict[Any, dict[Any, list[dict]]] = {}
        self._pred: dict[Any, dict[Any, list[dict]]] = {}
        self._nx = None

    def add_node(self, n, **attrs) -> None:
        if n not in self._nodes:
            self._nodes[n] = {}
            self._succ[n] = {}
            self._pred[n] = {}
        self._nodes[n].update(attrs)
        if self._nx is not None:
            self._nx.add_node(n, **attrs)

    def add_edge(self, u, v, key=None, **attrs) -> None:
        for n in (u, v):
            if n not in self._nodes:
                self.add_node(n)
        edges = self._succ[u].get(v)
        if edges is None:
            edges = self._succ[u][v] = []
            self._pred[v][u] = edges
        edges.append(attrs)
        if self._nx is not None:
            self._nx.add_edge(u, v, key=key, **attrs)

    def __contains__(self, n) -> bool:
        try:
            return n in self._nodes
        except TypeError:  # unhashable, as networkx answers
            return False

    def __iter__(self):
        return iter(self._nodes)

    def __len__(self) -> int:
        return len(self._nodes)

    @property
    def nodes(self) -> _NodeView:
        return _NodeView(self._nodes)

    def number_of_nodes(self) -> int:
        return len(self._nodes)

    def number_of_edges(self) -> int:
        return sum(len(e) for nbrs in self._succ.values() for e in nbrs.values())

    def out_edges(self, nbunch=None, data: bool = False):
        nodes = self._nodes if nbunch is None else ([nbunch] if nbunch in self._nodes else [])
        for u in nodes:
            for v, edges in self._succ[u].items():
                for d in edges:
                    yield (u, v, d) if data else (u, v)

    edges = out_edges

    def in_edges(self, nbunch=None, data: bool = False):
        nodes = self._nodes if nbunch is None else ([nbunch] if nbunch in self._nodes else [])
        for v in nodes:
            for u, edges in self._pred[v].items():
                for d in edges:
                    yield (u, v, d) if data else (u, v)

    def to_networkx(self):
        if self._nx is None:
            import networkx as nx
            g = nx.MultiDiGraph()
            for n, attrs in self._nodes.items():
                g.add_node(n, **attrs)
            for u, v, d in self.out_edges(data=True):
                g.add_edge(u, v, **d)
            self._nx = g
        return self._nx

    def __getattr__(self, name: str):
        if name.startswith("__") or name in ("_nodes", "_succ", "_pred", "_nx"):
            raise AttributeError(name)
        return getattr(self.to_networkx(), name)


class ResourceGraph:
    def __init__(self, template: Template):
        self.t = template
        g = MultiDiGraph()
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
        import networkx as nx
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

"""Resource graph: the backbone every view reads, built once per template right after the model.

Nodes are logical ids of resources (SAM's implicit APIs and the roles / function URLs SAM
generates included) and parameters. Edges are typed (``Edge.*``, see ``slint.graph.edges``),
each with the document ``path`` it came from and the condition ``scenario`` it holds in (the
source resource's ``Condition:`` and every ``Fn::If`` around the value). The graph is immutable
once built: ``add`` raises ``GraphFrozen``; views read it and never add to it.

Name indexes make lookups O(1): ``by_name("role", "app-role")``, ``by_arn("arn:aws:iam::1:role/x")``.
"""

from __future__ import annotations

from typing import Iterator

from ..model.template import Template
from .edges import Edge
from .multidigraph import GraphFrozen, MultiDiGraph
from .names import NameIndex, arn_target, types_of

__all__ = ["Edge", "GraphFrozen", "MultiDiGraph", "ResourceGraph"]


class ResourceGraph:
    def __init__(self, template: Template, values=None):
        from ..model.values import Evaluator
        from .build import Builder
        self.t = template
        self.values = values if values is not None else Evaluator(template)
        g = MultiDiGraph()
        self.g = g
        for name in template.parameters:
            g.add_node(name, kind="parameter")
        for lid, r in template.resources.items():
            g.add_node(lid, kind="resource", type=r.type, implicit=r.implicit)
        self.names = NameIndex(template, self.values)
        self._out: dict[str, dict[str, list]] = {}
        self._in: dict[str, dict[str, list]] = {}
        Builder(g, template, self.values, self.names, self._emit).run()
        g.freeze()

    def _emit(self, src: str, dst: str, kind: str, path: tuple, scenario: frozenset,
              **attrs) -> None:
        nodes = self.g._nodes
        if src == dst or src not in nodes or dst not in nodes:
            return
        data = {"kind": kind, "path": tuple(path), "scenario": scenario}
        if attrs:
            data.update(attrs)
        self.g.add_edge_data(src, dst, data)
        out = self._out.get(src)
        if out is None:
            out = self._out[src] = {}
        out.setdefault(kind, []).append((dst, data))
        inn = self._in.get(dst)
        if inn is None:
            inn = self._in[dst] = {}
        inn.setdefault(kind, []).append((src, data))

    def add(self, src: str, dst: str, kind: str, path: tuple = (), **attrs) -> None:
        raise GraphFrozen("the resource graph is built once, with every edge; views read it "
                          f"and never add to it (tried {src} -{kind}-> {dst})")

    # ------------------------------------------------------------ queries
    def out_edges(self, node: str, kind: str | None = None) -> Iterator[tuple[str, dict]]:
        """(target, edge data) of the edges leaving ``node``, of one kind or all."""
        if kind is not None:
            return iter(self._out.get(node, {}).get(kind, ()))
        if node not in self.g:
            return iter(())
        return ((dst, data) for _, dst, data in self.g.out_edges(node, data=True))

    def in_edges(self, node: str, kind: str | None = None) -> Iterator[tuple[str, dict]]:
        """(source, edge data) of the edges arriving at ``node``, of one kind or all."""
        if kind is not None:
            return iter(self._in.get(node, {}).get(kind, ()))
        if node not in self.g:
            return iter(())
        return ((src, data) for src, _, data in self.g.in_edges(node, data=True))

    def targets(self, node: str, kind: str) -> list[str]:
        """Distinct targets of ``node``'s edges of ``kind``, in edge order."""
        return list(dict.fromkeys(dst for dst, _ in self.out_edges(node, kind)))

    def sources(self, node: str, kind: str) -> list[str]:
        """Distinct sources of the edges of ``kind`` arriving at ``node``, in edge order."""
        return list(dict.fromkeys(src for src, _ in self.in_edges(node, kind)))

    def referrers(self, node: str, *, of_type: tuple[str, ...] = ()) -> list[str]:
        """Resources that mention ``node`` (ref/getatt/sub), optionally filtered by type."""
        out = []
        for src, data in self.in_edges(node):
            if data["kind"] in Edge.SYNTACTIC:
                r = self.t.get(src)
                if r is not None and (not of_type or r.type in of_type):
                    out.append(src)
        return sorted(set(out))

    def by_name(self, kind_or_type: str, name: str, *, literal_only: bool = False) -> str | None:
        """The logical id of the resource of a kind (``role``, ``bucket``, ``function``... see
        ``slint.graph.names.KINDS``) or type whose physical name is ``name``: a literal name
        first (document order), then any value the evaluator gives the name property."""
        if not isinstance(name, str):
            return None
        return self.names.lookup(types_of(kind_or_type), name, literal_only=literal_only)

    def by_arn(self, arn: str, *, literal_only: bool = True) -> str | None:
        """The logical id of the resource an ARN designates by its physical name
        (``arn:aws:iam::123:role/app``, ``arn:aws:s3:::my-bucket/*``,
        ``arn:{AWS::Partition}:lambda:{AWS::Region}:{AWS::AccountId}:function:f``...)."""
        target = arn_target(arn) if isinstance(arn, str) else None
        if target is None:
            return None
        return self.names.lookup(types_of(target[0]), target[1], literal_only=literal_only)

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

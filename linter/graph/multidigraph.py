"""``MultiDiGraph``: the part of ``networkx.MultiDiGraph`` a check needs, without importing
networkx. A graph can be frozen: after ``freeze()`` every mutation raises ``GraphFrozen``."""

from __future__ import annotations

from typing import Any


class GraphFrozen(RuntimeError):
    """The resource graph is built once per template and never changed afterwards."""


_MUTATORS = ("add_", "remove_", "clear", "update")


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
        self._frozen = False

    def freeze(self) -> None:
        """No more nodes or edges: every later mutation raises ``GraphFrozen``."""
        self._frozen = True

    @property
    def frozen(self) -> bool:
        return self._frozen

    def add_node(self, n, **attrs) -> None:
        if self._frozen:
            raise GraphFrozen("the resource graph is immutable once built")
        if n not in self._nodes:
            self._nodes[n] = {}
            self._succ[n] = {}
            self._pred[n] = {}
        self._nodes[n].update(attrs)
        if self._nx is not None:
            self._nx.add_node(n, **attrs)

    def add_edge(self, u, v, key=None, **attrs) -> None:
        self.add_edge_data(u, v, attrs)

    def add_edge_data(self, u, v, attrs: dict) -> None:
        """``add_edge`` keeping ``attrs`` itself as the edge's data dict (no copy)."""
        if self._frozen:
            raise GraphFrozen("the resource graph is immutable once built")
        for n in (u, v):
            if n not in self._nodes:
                self.add_node(n)
        edges = self._succ[u].get(v)
        if edges is None:
            edges = self._succ[u][v] = []
            self._pred[v][u] = edges
        edges.append(attrs)
        if self._nx is not None:
            self._nx.add_edge(u, v, **attrs)

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
        if name.startswith("__") or name in ("_nodes", "_succ", "_pred", "_nx", "_frozen"):
            raise AttributeError(name)
        if name.startswith(_MUTATORS) and self._frozen:
            raise GraphFrozen(f"the resource graph is immutable once built ({name})")
        return getattr(self.to_networkx(), name)

"""Positions: every key and value of a loaded document keeps its 1-based span.

Paths are tuples of keys and list indexes, e.g. ``("Resources", "Fn", "Properties", "Policies", 0)``.
Slash strings appear only in output.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

Path = tuple


@dataclass(frozen=True, slots=True)
class Span:
    line: int
    column: int
    end_line: int
    end_column: int


# Spans are stored as plain 4-tuples (line, col, end_line, end_col) for speed; ``Span`` is the
# public, typed view of one.


class SourceMap:
    """Path -> value span and key span."""

    __slots__ = ("values", "keys")

    def __init__(self) -> None:
        self.values: dict[tuple, tuple[int, int, int, int]] = {}
        self.keys: dict[tuple, tuple[int, int, int, int]] = {}

    def value(self, path: Iterable) -> Span | None:
        t = self.values.get(tuple(path))
        return Span(*t) if t else None

    def key(self, path: Iterable) -> Span | None:
        t = self.keys.get(tuple(path))
        return Span(*t) if t else None

    def locate(self, path: Iterable, prefer_key: bool = False) -> tuple[Span, tuple]:
        """The span of the most specific existing node on ``path`` and the path it belongs to.

        A mapping value is located at its key (that is where a reader looks); a scalar or a list
        item at the value itself. When ``path`` does not exist (a missing property), the nearest
        existing ancestor is returned.
        """
        p = tuple(path)
        while p:
            if p in self.values:
                if (prefer_key or self._is_container(p)) and p in self.keys:
                    return Span(*self.keys[p]), p
                return Span(*self.values[p]), p
            p = p[:-1]
        return Span(1, 1, 1, 1), ()

    def _is_container(self, path: tuple) -> bool:
        v = self.values[path]
        return v[2] > v[0]  # a multi-line value: a block mapping or sequence


def path_str(path: Iterable) -> str:
    return "/".join(str(p) for p in path)

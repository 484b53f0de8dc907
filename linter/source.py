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
# public, typed view of one. The file a span belongs to is ``SourceMap.file_of(path)``.


class SourceMap:
    """Path -> value span and key span.

    A document built from other documents (a ``serverless.yml`` translated to a template, an
    included file) keeps spans that point into those files: ``files`` maps such a path to the
    file its spans belong to; a path absent from ``files`` is in the document's own file.
    ``graft`` copies the spans of a subtree of another map under a new prefix. ``origins`` says,
    for each such other file, the chain of includes / parents that brought it in:
    ``[{"file": ..., "line": ...}, ...]``, nearest parent first (a finding's ``via``).
    """

    __slots__ = ("values", "keys", "files", "origins", "written")

    def __init__(self) -> None:
        self.values: dict[tuple, tuple[int, int, int, int]] = {}
        self.keys: dict[tuple, tuple[int, int, int, int]] = {}
        self.files: dict[tuple, str] = {}
        self.origins: dict[str, list] = {}
        # a document translated from another shape (a serverless.yml): the path a node of the
        # translation was written at in the source, for the translation's subtree roots
        self.written: dict[tuple, tuple] = {}

    def written_path(self, path: Iterable) -> tuple | None:
        """Where ``path`` of a translated document was written in its source document (the
        nearest recorded ancestor's source path plus the rest), or None when not recorded."""
        if not self.written:
            return None
        p = tuple(path)
        for n in range(len(p), 0, -1):
            src = self.written.get(p[:n])
            if src is not None:
                return src + p[n:]
        return None

    def file_of(self, path: Iterable) -> str | None:
        """The file of the span at ``path`` when it is not the document's own, else None."""
        return self.files.get(tuple(path)) if self.files else None

    def put(self, path: tuple, other: "SourceMap", other_path: tuple, file: str | None = None) -> None:
        """The spans of one node of ``other`` (value and key, not its children) at ``path``."""
        v = other.values.get(other_path)
        if v is not None:
            self.values[path] = v
        k = other.keys.get(other_path)
        if k is not None:
            self.keys[path] = k
        f = other.files.get(other_path) if other.files else None
        f = f or file
        if f is not None and (v is not None or k is not None):
            self.files[path] = f

    def graft(self, new_prefix: tuple, other: "SourceMap", old_prefix: tuple = (),
              file: str | None = None, *, via: list | None = None,
              replace: bool = False) -> None:
        """The spans of ``other`` under ``old_prefix`` copied under ``new_prefix``.

        ``via``: the chain of parents of ``file`` (recorded in ``origins``, with the chains
        ``other`` holds). ``replace``: what this map held below ``new_prefix`` is dropped first,
        and ``new_prefix`` itself keeps its own span (an include: a finding on the included node
        as a whole points at the line that included it)."""
        new = tuple(new_prefix)
        own = None
        if replace:
            own = (self.values.get(new), self.keys.get(new), self.files.get(new))
            n = len(new)
            for table in (self.values, self.keys, self.files):
                for p in [p for p in table if len(p) > n and p[:n] == new]:
                    del table[p]
        self.graft_many(other, [(tuple(old_prefix), new)], file)
        if own is not None:
            for table, v in zip((self.values, self.keys, self.files), own):
                if v is None:
                    table.pop(new, None)
                else:
                    table[new] = v
        if file is not None and via is not None:
            self.origins.setdefault(file, via)
        for f, chain in other.origins.items():  # chains are complete (nearest parent first)
            self.origins.setdefault(f, chain)

    def graft_many(self, other: "SourceMap", pairs: Iterable[tuple[tuple, tuple]],
                   file: str | None = None) -> None:
        """Every ``(old_prefix, new_prefix)`` subtree of ``other`` copied here, in ONE pass over
        ``other`` (each path looks its own prefixes up: O(entries x depth), whatever the number
        of grafts). A subtree grafted to several places lands in each; nested grafts both apply.
        Spans that ``other`` holds for another file keep that file; the others get ``file``
        (None: the same file as this document)."""
        targets: dict[tuple, list[tuple]] = {}
        for old, new in pairs:
            targets.setdefault(tuple(old), []).append(tuple(new))
        if not targets:
            return
        depths = sorted({len(p) for p in targets})
        ofiles = other.files
        for src, dst in ((other.values, self.values), (other.keys, self.keys)):
            for path, span in src.items():
                n = len(path)
                for d in depths:
                    if d > n:
                        break
                    news = targets.get(path[:d])
                    if news is None:
                        continue
                    rest = path[d:]
                    f = (ofiles.get(path) if ofiles else None) or file
                    for new in news:
                        q = new + rest
                        dst[q] = span
                        if f is not None:
                            self.files[q] = f
                        elif self.files:
                            self.files.pop(q, None)

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

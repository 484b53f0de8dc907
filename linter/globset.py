"""Many glob patterns matched against a file name at once (``per-file-ignores``).

``fnmatch.fnmatch`` compiles each pattern into a regex (cached in an LRU of 32 768): with tens of
thousands of patterns every call recompiles, and Python's regex compiler is slow (one regex for
100 000 alternatives takes ~6 s), so a config with 100 000 globs took minutes on one template.
Instead, patterns are indexed once by the literal text they must start with (or end with, or
contain): a name is compared only with the patterns whose literal parts it has, found by dict
lookups of its own prefixes and suffixes, and each pattern is compiled at most once, when it is
first a candidate. Semantics are those of ``fnmatch.fnmatch``.
"""

from __future__ import annotations

import fnmatch
import os
import re
from typing import Iterable

_SPECIAL_HEAD = re.compile(r"[*?\[]")
_SPECIAL_TAIL = re.compile(r"[*?\[\]]")


def _literal_head(pattern: str) -> str:
    """The text every match starts with: the pattern up to its first ``*``, ``?`` or ``[``."""
    m = _SPECIAL_HEAD.search(pattern)
    return pattern if m is None else pattern[:m.start()]


def _literal_tail(pattern: str) -> str:
    """The text every match ends with: the pattern after its last ``*``, ``?``, ``[`` or ``]``
    (text after the last ``]`` is outside any bracket expression)."""
    for i in range(len(pattern) - 1, -1, -1):
        if pattern[i] in "*?[]":
            return pattern[i + 1:]
    return pattern


def _longest_run(pattern: str) -> str:
    """The longest literal piece of a pattern without brackets ("" when it has brackets)."""
    if "[" in pattern:
        return ""
    return max(re.split(r"[*?]", pattern), key=len)


class GlobSet:
    """Patterns, each with a payload; ``match(names)`` gives the payloads of every pattern that
    matches any of the names, in pattern order."""

    def __init__(self, patterns: Iterable[tuple[str, object]]):
        self._items: list[tuple[str, object]] = []
        self._by_head: dict[str, list[int]] = {}
        self._by_tail: dict[str, list[int]] = {}
        self._rest: list[tuple[str, int]] = []           # (a literal piece it contains, index)
        self._compiled: dict[int, re.Pattern] = {}
        for i, (pattern, payload) in enumerate(patterns):
            pattern = os.path.normcase(pattern)
            self._items.append((pattern, payload))
            head = _literal_head(pattern)
            if head:
                self._by_head.setdefault(head, []).append(i)
                continue
            tail = _literal_tail(pattern)
            if tail:
                self._by_tail.setdefault(tail, []).append(i)
                continue
            self._rest.append((_longest_run(pattern), i))
        self._head_lengths = sorted({len(h) for h in self._by_head})
        self._tail_lengths = sorted({len(t) for t in self._by_tail})

    def __len__(self) -> int:
        return len(self._items)

    def _candidates(self, name: str) -> set[int]:
        out: set[int] = set()
        n = len(name)
        for k in self._head_lengths:
            if k > n:
                break
            hit = self._by_head.get(name[:k])
            if hit:
                out.update(hit)
        for k in self._tail_lengths:
            if k > n:
                break
            hit = self._by_tail.get(name[n - k:])
            if hit:
                out.update(hit)
        out.update(i for run, i in self._rest if run in name)
        return out

    def _matches(self, i: int, name: str) -> bool:
        rx = self._compiled.get(i)
        if rx is None:
            rx = self._compiled[i] = re.compile(fnmatch.translate(self._items[i][0]))
        return rx.match(name) is not None

    def match(self, names: Iterable[str]) -> list:
        names = [os.path.normcase(n) for n in names]
        hits: set[int] = set()
        for name in names:
            hits.update(i for i in self._candidates(name) if i not in hits and self._matches(i, name))
        return [self._items[i][1] for i in sorted(hits)]

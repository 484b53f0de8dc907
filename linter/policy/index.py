"""An index of one statement's action patterns, built once and shared by the rules that read it.

Most patterns are plain names (``s3:GetObject``): they are grouped by their lower-case text, so
that "which patterns allow ``iam:PassRole``" is a dict look-up and "which patterns name an action
of the database" is one set intersection per service, whatever the number of patterns (a hostile
statement lists 400 000). Patterns with a wildcard, without a ``:`` or unknown (a parameter)
are kept apart, in document order, and asked one by one as before. Every answer lists positions
in ``actions``, in document order, so that callers see exactly what a loop over ``actions``
would have seen.
"""

from __future__ import annotations

from .. import iamdb
from .parts import Action


class ActionIndex:
    __slots__ = ("actions", "plain", "general", "unknown", "_by_service", "_named")

    def __init__(self, actions: tuple[Action, ...]):
        self.actions = actions
        plain: dict[str, list[int]] = {}   # lower-case stripped text -> positions
        general: list[int] = []            # known, with "*" / "?" or without ":"
        unknown: list[int] = []
        for i, a in enumerate(actions):
            sv = a.sv
            if sv is not None and not sv.known:
                unknown.append(i)
                continue
            t = a.text
            if "*" in t or "?" in t or ":" not in t:
                general.append(i)
                continue
            low = t.strip().lower()
            hit = plain.get(low)
            if hit is None:
                plain[low] = [i]
            else:
                hit.append(i)
        self.plain = plain
        self.general = general
        self.unknown = unknown
        self._by_service: dict[str, dict[str, list[int]]] | None = None
        self._named: list[tuple[int, tuple]] | None = None

    def by_service(self) -> dict[str, dict[str, list[int]]]:
        """Plain patterns by lower-case service, then by lower-case name (built once)."""
        if self._by_service is None:
            out: dict[str, dict[str, list[int]]] = {}
            for low, poss in self.plain.items():
                svc, _, name = low.partition(":")
                out.setdefault(svc, {})[name] = poss
            self._by_service = out
        return self._by_service

    def matching(self, action: str) -> list[int]:
        """Positions of the known patterns covering ``action`` (``service:Name``), in document
        order: ``[i for i, a in enumerate(actions) if a.matches(action)]``."""
        out = list(self.plain.get(action.lower(), ()))
        out.extend(i for i in self.general if self.actions[i].matches(action))
        return sorted(out) if self.general and len(out) > 1 else out

    def database_infos(self) -> list[tuple[int, tuple]]:
        """[(position, ``Action.infos()``)] of every known pattern that names at least one
        action of the database, in document order (plain names by one intersection per
        service; built once)."""
        if self._named is None:
            out: dict[int, tuple] = {}
            if len(self.plain) <= 8:   # a few names: look each up
                for low, poss in self.plain.items():
                    svc, _, name = low.partition(":")
                    table = iamdb.service_table(svc)
                    info = table.get(name) if table is not None else None
                    if info is not None:
                        for i in poss:
                            out[i] = (info,)
            else:
                for svc, names in self.by_service().items():
                    table = iamdb.service_table(svc)
                    if table is None:
                        continue
                    for name in names.keys() & table.keys():
                        infos = (table[name],)
                        for i in names[name]:
                            out[i] = infos
            for i in self.general:
                infos = self.actions[i].infos()
                if infos:
                    out[i] = infos
            self._named = sorted(out.items())
        return self._named

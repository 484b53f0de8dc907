"""Helpers shared by the BUCKETNAME rules: grouping and wording (no template access)."""

from __future__ import annotations

from typing import Iterable

from slint.rule import describe_scenario


def show(value) -> str:
    """A name as the user would write it: placeholders as ``${...}``."""
    return "".join(s.text if s.literal else "${" + s.text + "}" for s in value.segments)


def names(values: Iterable, limit: int = 3) -> str:
    shown = list(dict.fromkeys(f"`{show(v)}`" for v in values))
    more = len(shown) - limit
    if more > 0:
        return ", ".join(shown[:limit]) + f" or {more} more"
    if len(shown) > 1:
        return ", ".join(shown[:-1]) + " or " + shown[-1]
    return shown[0] if shown else "``"


def when(scenario) -> str:
    d = describe_scenario(scenario)
    return f" {d}" if d else ""


def grouped(values: Iterable) -> list[tuple[tuple, frozenset, list]]:
    """Values grouped by (document path, scenario), in first-seen order."""
    groups: dict[tuple, list] = {}
    for v in values:
        groups.setdefault((v.path, v.scenario), []).append(v)
    return [(path, scen, vs) for (path, scen), vs in groups.items()]


def from_params(template, values: Iterable) -> str:
    """`parameter `Env` (AllowedValues)`, `the default of parameter `Name``..."""
    out = []
    for name in dict.fromkeys(p for v in values for p in v.from_param):
        p = template.parameters.get(name)
        if p is not None and p.allowed_values:
            out.append(f"the AllowedValues of parameter `{name}`")
        else:
            out.append(f"the default of parameter `{name}`")
    return ", ".join(out)

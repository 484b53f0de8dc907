"""References inside a value: every Ref / GetAtt / Sub with its path and scenario (shared by the
graph builder and its per-kind modules)."""

from __future__ import annotations

from typing import Any

from ..model.values import join_scenarios, sub_names

# the types of the loaded document's leaves: a container whose items are all of these holds
# no reference
_LEAF_TYPES = frozenset({str, int, float, bool, type(None)})


def walk_refs(node: Any, path: tuple, scen: frozenset, join=join_scenarios):
    """Every Ref / GetAtt / Sub inside ``node``: (name, attribute, kind, path, scenario), in
    document order, with the scenario of the ``Fn::If`` branches around it (a branch that
    contradicts its surroundings keeps the outer scenario: CloudFormation resolves references
    of every branch). ``join``: how scenarios combine (the evaluator's ``join``, which knows the
    template's conditions)."""
    stack = [(node, path, scen)]
    pop, push = stack.pop, stack.append
    leaves = _LEAF_TYPES.issuperset
    while stack:
        n, p, s = pop()
        if isinstance(n, dict):
            if len(n) == 1:
                (k, v), = n.items()
                if k == "Ref":
                    if isinstance(v, str):
                        yield v, None, "ref", p, s
                        continue
                elif k == "Fn::GetAtt":
                    if isinstance(v, str):
                        a, _, b = v.partition(".")
                        yield a, b, "getatt", p, s
                        continue
                    if isinstance(v, list) and v and isinstance(v[0], str):
                        yield v[0], v[1] if len(v) > 1 and isinstance(v[1], str) else None, \
                            "getatt", p, s
                        continue
                elif k == "Fn::Sub":
                    tmpl = v if isinstance(v, str) else (
                        v[0] if isinstance(v, list) and v and isinstance(v[0], str) else "")
                    local = v[1] if isinstance(v, list) and len(v) > 1 and isinstance(v[1], dict) else {}
                    if "${" in tmpl:
                        for name in sub_names(tmpl):
                            if name in local:
                                continue
                            a, _, b = name.partition(".")
                            yield a, b or None, "sub", p, s
                    if local:
                        push((local, p + (k, 1), s))
                    continue
                elif k == "Fn::If" and isinstance(v, list) and len(v) == 3 and isinstance(v[0], str):
                    for i, val in ((2, False), (1, True)):
                        if isinstance(v[i], (dict, list)):
                            js = join(s, frozenset({(v[0], val)}))
                            push((v[i], p + (k, i), s if js is None else js))
                    continue
            if leaves(map(type, n.values())):
                continue   # nothing to walk into (most statements, tags...)
            for k, v in reversed(n.items()):
                if isinstance(v, (dict, list)):
                    push((v, p + (k,), s))
        elif isinstance(n, list):
            if leaves(map(type, n)):
                continue   # a list of plain values (an Action list), checked at C speed
            for i in range(len(n) - 1, -1, -1):
                v = n[i]
                if isinstance(v, (dict, list)):
                    if v.__class__ is dict and len(v) != 1 and leaves(map(type, v.values())):
                        continue   # what popping it would find: nothing (each statement)
                    push((v, p + (i,), s))

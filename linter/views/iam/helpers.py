"""Small helpers of the IAM view: raw intrinsic shapes and SAM policy template substitution."""

from __future__ import annotations

from typing import Any


def _is_intrinsic(d: dict) -> bool:
    if len(d) != 1:
        return False
    k = next(iter(d))
    return isinstance(k, str) and (k == "Ref" or k.startswith("Fn::"))


def _as_list(v: Any) -> list:
    return v if isinstance(v, list) else [v] if v is not None else []


def _template_refs(node: Any, names: set) -> set:
    """Template parameters a SAM policy template value refers to."""
    out: set = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, dict):
            if len(n) == 1 and isinstance(n.get("Ref"), str) and n["Ref"] in names:
                out.add(n["Ref"])
                continue
            stack.extend(n.values())
        elif isinstance(n, list):
            stack.extend(n)
    return out


def _substitute(node: Any, params: dict) -> Any:
    """A SAM policy template value with ``{"Ref": Param}`` replaced by the user's value (SAM's
    own substitution). A parameter the user did not give stays a Ref (unknown)."""
    if isinstance(node, dict):
        if len(node) == 1 and isinstance(node.get("Ref"), str) and node["Ref"] in params:
            return params[node["Ref"]]
        return {k: _substitute(v, params) for k, v in node.items()}
    if isinstance(node, list):
        return [_substitute(v, params) for v in node]
    return node

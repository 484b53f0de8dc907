"""Who can call: answers about resource policies built on :class:`~slint.policy.reader.Statement`."""

from __future__ import annotations

from typing import Any

from ..model.values import EMPTY
from .reader import PolicyReader


def restriction(evaluator, node: Any, scen: frozenset = EMPTY) -> str | None:
    """Why an API Gateway resource policy (a document node in any shape: mapping, JSON string,
    ``!Sub``, ``Fn::If``) limits callers, or None when it admits anyone.

    - a Deny for everyone with a negated who-key (``StringNotEquals aws:SourceVpce``,
      ``NotIpAddress aws:SourceIp``): "resource policy denies callers outside an allowed ...";
    - no Allow at all: "resource policy allows no caller";
    - every Allow limited by a who-key ("resource policy allows only a ...") or granted to named
      principals only ("resource policy allows only named principals"); the first reason is given.
      ``NotPrincipal`` with Allow, ``"*"`` and ``{AWS: "*"}`` are anyone; an Allow with no
      principal counts as anyone too. ``...IfExists``, ``0.0.0.0/0`` and wildcard values limit
      nobody; ``aws:PrincipalArn`` / ``aws:PrincipalAccount`` do (anonymous callers have none).
    """
    stmts = PolicyReader(evaluator).statements(node, (), scen)
    if not stmts:
        return None
    for s in stmts:
        if s.effect == "Deny" and (s.anyone or not s.has_principal):
            neg = s.who_negations()
            if neg:
                return f"resource policy denies callers outside an allowed {neg[0].label}"
    allows = [s for s in stmts if s.effect == "Allow"]
    if not allows:
        return "resource policy allows no caller"
    reasons = []
    for s in allows:
        lim = s.who_limits()
        if lim:
            reasons.append(f"resource policy allows only a {lim[0].label}")
        elif s.has_principal and not s.anyone:
            reasons.append("resource policy allows only named principals")
        else:
            return None
    return reasons[0]

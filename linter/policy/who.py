"""Who can call: answers about resource policies built on :class:`~slint.policy.reader.Statement`."""

from __future__ import annotations

from typing import Any

from ..model.values import EMPTY
from .parts import wildcard_match
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
        if s.effect == "Deny" and (s.anyone or not s.has_principal) and _every_method(s):
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


def _every_method(s) -> bool:
    """Whether a statement's ``Resource`` covers every method of the API, so that a Deny in it
    keeps callers out of the whole API: ``*``, or an ``execute-api`` resource whose method and
    path are wildcards after the stage (``execute-api:/*``, ``execute-api:/*/*/*``,
    ``execute-api:/prod/*``, ``arn:...:execute-api:REGION:ACCOUNT:API/*``). A Deny for some
    routes only (``execute-api:/prod/POST/tenant``) leaves the others to their own auth; a
    resource slint cannot read is not taken to cover them. No ``Resource`` written: covers."""
    if s.has_not_resource:
        return False
    if not s.resources:
        return True
    for r in s.resources:
        text = r.text.strip()
        if text == "*":
            return True
        _, sep, rest = text.partition("execute-api:")
        if not sep or "/" not in rest:
            continue
        segs = rest.split("/", 1)[1].split("/")
        if segs == ["*"] or (len(segs) >= 2 and all(x == "*" for x in segs[1:])):
            return True
    return False


def scoped_denials(evaluator, node: Any, scen: frozenset = EMPTY) -> list:
    """The Denies of an API Gateway resource policy that keep callers outside an allowed
    principal, network or account out of some routes only (their ``Resource`` names methods or
    paths): ``[(patterns, reason)]``, each pattern ``METHOD/path`` after the stage with IAM's
    ``*`` and ``?`` wildcards (``POST/tenant``, ``*/admin/*``). See ``route_denied``."""
    out: list = []
    for s in PolicyReader(evaluator).statements(node, (), scen):
        if s.effect != "Deny" or not (s.anyone or not s.has_principal) or _every_method(s):
            continue
        neg = s.who_negations()
        if not neg:
            continue
        pats = []
        for r in s.resources:
            _, sep, rest = r.text.strip().partition("execute-api:")
            if sep and "/" in rest:
                segs = rest.split("/", 1)[1].split("/")
                if len(segs) >= 2:
                    pats.append("/".join(segs[1:]))
        if pats:
            out.append((tuple(pats), f"resource policy denies callers outside an allowed "
                                     f"{neg[0].label} on this route"))
    return out


def route_denied(denials: list, method: str, path: str) -> str | None:
    """The reason of the first of ``scoped_denials`` whose patterns cover ``METHOD path``."""
    target = f"{method}/{path.lstrip('/')}"
    for pats, why in denials:
        if any(_route_match(pat, target) for pat in pats):
            return why
    return None


def _route_match(pattern: str, target: str) -> bool:
    """API Gateway matches methods and paths case-sensitively (``wildcard_match`` folds case,
    as IAM does for actions); a pattern with many ``*`` falls back to it (bounded time)."""
    import re
    if pattern.count("*") > 4:
        return wildcard_match(pattern, target.lower())
    rx = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(rx, target, re.S) is not None

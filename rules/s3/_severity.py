"""Severity escalation shared by the bucket exposure rules."""

from __future__ import annotations

from slint.findings import Severity
from slint.rule import describe_scenario

_BY_RANK = sorted(Severity, key=lambda s: s.rank)


def for_access(base: Severity, access, certain: bool = True, grant=None) -> Severity:
    """Public list or write: one rank above the rule's (configured) severity, capped at critical.
    Read: the rule's severity. A grant that is public only if an unknown value is: LOW. Graded
    by the deployment outcome (``grant``): a grant under which the stack fails to deploy with
    S3's defaults, or website hosting that nothing grants read for, exposes nothing: LOW."""
    if not certain:
        return Severity.LOW
    if grant is not None and (getattr(grant, "deploy_fails", False) or grant.kind == "website"):
        return Severity.LOW
    if "write" in access or "list" in access:
        return _BY_RANK[min(base.rank + 1, len(_BY_RANK) - 1)]
    return base


def scenario_note(g) -> str:
    """`` (when IsDev)`` for a grant that holds only in some condition scenario."""
    text = describe_scenario(g.scenario)
    return f" ({text})" if text else ""


def verb(g) -> str:
    """``lets`` / ``may let`` / ``would let`` (a grant under which the stack fails to deploy)."""
    if not g.certain:
        return "may let"
    return "would let" if getattr(g, "deploy_fails", False) else "lets"

"""Severity escalation shared by the bucket exposure rules."""

from __future__ import annotations

from slint.findings import Severity
from slint.rule import describe_scenario

_BY_RANK = sorted(Severity, key=lambda s: s.rank)


def for_access(base: Severity, access, certain: bool = True) -> Severity:
    """Public list or write: one rank above the rule's (configured) severity, capped at critical.
    Read: the rule's severity. A grant that is public only if an unknown value is: LOW."""
    if not certain:
        return Severity.LOW
    if "write" in access or "list" in access:
        return _BY_RANK[min(base.rank + 1, len(_BY_RANK) - 1)]
    return base


def scenario_note(g) -> str:
    """`` (when IsDev)`` for a grant that holds only in some condition scenario."""
    text = describe_scenario(g.scenario)
    return f" ({text})" if text else ""

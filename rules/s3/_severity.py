"""Severity escalation shared by the bucket exposure rules."""

from __future__ import annotations

from slint.findings import Severity

_ORDER = [Severity.INFO, Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL]


def for_access(base: Severity, access, certain: bool = True) -> Severity:
    """Public list or write: one rank above the rule's (configured) severity, capped at critical.
    Read: the rule's severity. A grant that is public only if an unknown value is: LOW."""
    if not certain:
        return Severity.LOW
    if "write" in access or "list" in access:
        return _ORDER[min(_ORDER.index(base) + 1, len(_ORDER) - 1)]
    return base


def scenario_note(g) -> str:
    """`` (when IsDev)`` for a grant that holds only in some condition scenario."""
    from slint.rule import describe_scenario
    text = describe_scenario(g.scenario)
    return f" ({text})" if text else ""

"""Suppressions, applied once by the engine (never in rules).

Placeholder interface: the full implementation (template/resource ``Metadata`` and inline
``# slint: ignore[CODE] reason`` comments, required reasons, unused-suppression findings) is
being written under issue 6. Until then nothing is suppressed.
"""

from __future__ import annotations


def apply_suppressions(ctx, findings, rules_by_code):
    return findings

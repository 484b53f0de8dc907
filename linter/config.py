"""Run configuration. Command-line flags and config files both end up in one ``Config``."""

from __future__ import annotations

from dataclasses import dataclass, field

from .findings import Severity
from .loader import DEFAULT_MAX_BYTES


@dataclass
class Config:
    select: list[str] = field(default_factory=list)      # codes or prefixes; empty: defaults
    ignore: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)  # enable opt-in rules
    severity_overrides: dict[str, Severity] = field(default_factory=dict)
    fail_on: Severity = Severity.LOW                     # exit 1 at or above this
    min_severity: Severity = Severity.INFO               # report at or above this
    rule_options: dict[str, dict] = field(default_factory=dict)
    per_path_ignores: dict[str, list[str]] = field(default_factory=dict)  # glob -> codes
    max_file_bytes: int = DEFAULT_MAX_BYTES
    source: str | None = None                            # the config file, if any

    def rule_selected(self, code: str, enabled_by_default: bool) -> bool:
        def match(patterns: list[str]) -> bool:
            return any(code == p or (p and code.startswith(p)) or p.upper() == "ALL" for p in patterns)
        if self.ignore and match(self.ignore):
            return False
        if self.select:
            return match(self.select)
        if self.extend_select and match(self.extend_select):
            return True
        return enabled_by_default

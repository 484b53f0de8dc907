"""What a check produces: one ``FileResult`` per file, one ``RunResult`` per run.

The bottom of the engine layer: plain data that the per-document check, the cache codec, the
runner (worker processes, cache) and the formatters share. Imports nothing but ``findings``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .findings import Finding


@dataclass
class FileResult:
    file: str
    status: str                      # checked | skipped | error
    findings: list[Finding] = field(default_factory=list)
    reason: str | None = None        # why skipped / error
    resources: int = 0
    facts: dict[str, Any] = field(default_factory=dict)   # rule code -> collected facts
    # suppressions that project-level findings (reported after every file) may still use:
    # plain JSON data (``slint.suppress.pending_record``), so it crosses processes and the cache
    pending: list[dict] = field(default_factory=list)
    # other files the result depends on (a serverless.yml's ${file()}, includes, nested stacks,
    # samconfig): such a result is not cached by the content of this file alone
    depends: list[str] = field(default_factory=list)
    # suppressed findings, each with its ``suppression`` (reason, scope): shown, never counted
    suppressed: list[Finding] = field(default_factory=list)
    # [path, stat fingerprint] of each other file the result rests on (``depends``, and
    # samconfig files that were not there): a cached result is used only while all match
    fingerprints: list = field(default_factory=list)
    # what could not be evaluated: [{"what", "resource", "where": {"file", "line"}, "why"}]
    unknowns: list = field(default_factory=list)
    # other files the result rests on that are checked and reported on their own, not from
    # here (unlike ``depends``): the other stacks of a CDK assembly, whose exports it imports
    watched: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        d = {"file": self.file, "status": self.status, "findings": len(self.findings),
             "resources": self.resources}
        if self.reason:
            d["reason"] = self.reason
        if self.unknowns:
            d["unknowns"] = [dict(u) for u in self.unknowns]
        return d


@dataclass
class RunResult:
    files: list[FileResult]
    findings: list[Finding]
    # suppressed findings, kept to be shown (--show-suppressed, SARIF, JSON); never counted
    suppressed: list[Finding] = field(default_factory=list)

    @property
    def checked(self) -> int:
        return sum(1 for f in self.files if f.status in ("checked", "error"))

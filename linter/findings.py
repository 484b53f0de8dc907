"""Findings and their vocabulary. Pure data: no I/O, no rule knowledge."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Severity(str, Enum):
    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _SEV_RANK[self]

    @classmethod
    def parse(cls, text: str) -> "Severity":
        try:
            return cls(text.lower())
        except ValueError:
            raise ValueError(f"unknown severity {text!r}; use one of "
                             + ", ".join(s.value for s in cls)) from None


_SEV_RANK = {Severity.INFO: 0, Severity.LOW: 1, Severity.MEDIUM: 2, Severity.HIGH: 3,
             Severity.CRITICAL: 4}


class Category(str, Enum):
    IAM = "IAM"
    S3PUBLIC = "S3PUBLIC"
    APIAUTH = "APIAUTH"
    COGNITO = "COGNITO"
    BUCKETNAME = "BUCKETNAME"
    CLOUDFRONT = "CLOUDFRONT"
    SYNTAX = "SYNTAX"
    INTERNAL = "INTERNAL"


@dataclass(slots=True)
class Finding:
    rule: str
    name: str
    category: str
    severity: str
    message: str
    file: str
    line: int
    column: int
    end_line: int
    end_column: int
    resource: str | None
    path: list = field(default_factory=list)
    fix: str | None = None
    # extra, optional context: the condition scenario a finding holds in, related locations
    scenario: list | None = None
    related: list | None = None
    # on suppressed findings only: {"reason": why, "scope": template | resource | line}
    suppression: dict | None = None
    # what the finding is about, independent of where it sits in a list: the scalar the user
    # wrote at ``path`` (the action `s3:*`, the authorizer `NONE`, the bucket name), or None.
    # Baselines key on it (not in ``to_dict``: not part of the JSON contract)
    subject: str | None = None
    # the chain of templates that brought ``file`` in (an include, a nested stack), nearest
    # first: [{"file": ..., "line": ...}]; None for a finding in the checked template itself
    via: list | None = None
    # the CDK construct path (``aws:cdk:path`` metadata) of the resource, when known
    construct: str | None = None

    def sort_key(self) -> tuple:
        return (self.file, self.line, self.column, self.rule, self.resource or "",
                [str(p) for p in self.path], self.message)

    def to_dict(self) -> dict:
        # what ``asdict`` gives, built directly: asdict's generic deep copy cost more than the
        # rest of a JSON report with many findings (5 s for 180 000 findings)
        d = {"rule": self.rule, "name": self.name, "category": self.category,
             "severity": self.severity, "message": self.message, "file": self.file,
             "line": self.line, "column": self.column, "end_line": self.end_line,
             "end_column": self.end_column, "resource": self.resource,
             "path": _copy(self.path), "fix": self.fix}
        if self.scenario is not None:
            d["scenario"] = _copy(self.scenario)
        if self.related is not None:
            d["related"] = _copy(self.related)
        if self.suppression is not None:
            d["suppression"] = dict(self.suppression)
        if self.via is not None:
            d["via"] = _copy(self.via)
        if self.construct is not None:
            d["construct"] = self.construct
        return d

    @property
    def severity_rank(self) -> int:
        return Severity(self.severity).rank


def _copy(v):
    """A deep copy of JSON-like data (lists, tuples, dicts, scalars), as ``asdict`` makes."""
    t = type(v)
    if t is list:
        return [_copy(x) for x in v]
    if t is dict:
        return {_copy(k): _copy(x) for k, x in v.items()}
    if t is tuple:
        return tuple(_copy(x) for x in v)
    if t in (str, int, float, bool) or v is None:
        return v
    from copy import deepcopy
    return deepcopy(v)

"""The rule API: one rule, one module, one class, one code.

A rule subclasses ``Rule``, sets its metadata as class attributes, documents itself in its class
docstring (What it does · Why is this bad? · Example · Use instead · Known limitations ·
References) and implements ``check(ctx)`` yielding ``self.report(...)``. Rules read views and
accessors on the context, never raw YAML, and keep no state.

Rules that compare templates (e.g. duplicate bucket names across a directory) implement
``collect(ctx)`` returning picklable facts for one file and ``check_project(facts)`` receiving
``[(file, facts), ...]`` for the whole run; the engine calls them after all files.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Iterable

from .findings import Category, Finding, Severity

if TYPE_CHECKING:  # pragma: no cover
    from .context import Context


class Rule:
    code: ClassVar[str] = ""
    name: ClassVar[str] = ""
    category: ClassVar[Category] = Category.INTERNAL
    severity: ClassVar[Severity] = Severity.MEDIUM
    message: ClassVar[str] = ""
    fix: ClassVar[str | None] = None
    enabled_by_default: ClassVar[bool] = True
    # option name -> default value; the config's [tool.slint.rules.CODE] overrides
    options: ClassVar[dict[str, Any]] = {}

    def __init__(self, options: dict | None = None, severity: Severity | None = None):
        self.opts = {**self.options, **(options or {})}
        self.effective_severity = severity or self.severity

    def check(self, ctx: "Context") -> Iterable[Finding]:  # pragma: no cover - abstract
        raise NotImplementedError

    # project-level hooks (optional)
    def collect(self, ctx: "Context") -> Any:
        return None

    def check_project(self, facts: list[tuple[str, Any]]) -> Iterable[Finding]:
        return ()

    @classmethod
    def has_project_check(cls) -> bool:
        return cls.check_project is not Rule.check_project

    # ------------------------------------------------------------------ reporting
    def report(self, ctx: "Context", path: Iterable, *, resource: str | None,
               severity: Severity | None = None, message: str | None = None,
               fix: str | None = None, scenario: Iterable | None = None,
               related: list | None = None, **fmt: Any) -> Finding:
        """A finding at document ``path`` (the most specific node the user wrote; a missing
        property: its parent path plus the missing key, located at the parent)."""
        text = (message or self.message).format(**fmt) if fmt else (message or self.message)
        return ctx.finding(self, tuple(path), resource=resource, message=text,
                           severity=severity or self.effective_severity,
                           fix=fix if fix is not None else self.fix, scenario=scenario,
                           related=related)

    def report_at(self, file: str, line: int, column: int, *, resource: str | None,
                  message: str, path: Iterable = (), severity: Severity | None = None,
                  end_line: int | None = None, end_column: int | None = None,
                  related: list | None = None) -> Finding:
        """A finding at an explicit position (for project-level checks)."""
        sev = severity or self.effective_severity
        return Finding(rule=self.code, name=self.name, category=self.category.value,
                       severity=sev.value, message=message, file=file, line=line, column=column,
                       end_line=end_line or line, end_column=end_column or column,
                       resource=resource, path=[p for p in path], fix=self.fix, related=related)


def describe_scenario(scenario: Iterable) -> str:
    """``when IsProd, not UseVpc`` for a condition scenario; empty when unconditional."""
    parts = [name if val else f"not {name}" for name, val in sorted(scenario)]
    return ("when " + ", ".join(parts)) if parts else ""

"""Formatters: pure functions of the run's findings and file results. They know no rules: rule
metadata that a format needs (SARIF help text and URIs) is handed in as ``rules_meta``."""

from __future__ import annotations

FORMATS = ("text", "json", "sarif", "junit", "github")


def render(fmt: str, result, *, color: bool = False, rules_meta: dict | None = None,
           quiet: bool = False, show_fixes: bool = False, show_suppressed: bool = False) -> str:
    """``quiet``: findings only, no summary line (text, github); ``show_fixes`` and
    ``show_suppressed`` add the fix hint and the suppressed findings to the text output."""
    if fmt == "json":
        from .json_fmt import render as r
        return r(result, rules_meta)
    if fmt == "text":
        from .text import render as r
        return r(result, color=color, quiet=quiet, show_fixes=show_fixes,
                 show_suppressed=show_suppressed)
    if fmt == "sarif":
        from .sarif import render as r
        return r(result, rules_meta)
    if fmt == "junit":
        from .junit import render as r
        return r(result)
    if fmt == "github":
        from .github import render as r
        return r(result, quiet=quiet)
    raise ValueError(f"unknown format {fmt!r}")

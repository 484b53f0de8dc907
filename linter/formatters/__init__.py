"""Formatters: pure functions of the run's findings and file results. They know no rules: rule
metadata that a format needs (SARIF help text and URIs) is handed in as ``rules_meta``."""

from __future__ import annotations

FORMATS = ("text", "json", "sarif", "junit", "github")


def render(fmt: str, result, *, color: bool = False, rules_meta: dict | None = None) -> str:
    if fmt == "json":
        from .json_fmt import render as r
        return r(result)
    if fmt == "text":
        from .text import render as r
        return r(result, color=color)
    if fmt == "sarif":
        from .sarif import render as r
        return r(result, rules_meta)
    if fmt == "junit":
        from .junit import render as r
        return r(result)
    if fmt == "github":
        from .github import render as r
        return r(result)
    raise ValueError(f"unknown format {fmt!r}")

"""Formatters: pure functions of the run's findings and file results. They know no rules."""

from __future__ import annotations

FORMATS = ("text", "json")


def render(fmt: str, result, *, color: bool = False, rules_meta: dict | None = None) -> str:
    if fmt == "json":
        from .json_fmt import render as r
        return r(result)
    if fmt == "text":
        from .text import render as r
        return r(result, color=color)
    raise ValueError(f"unknown format {fmt!r}")

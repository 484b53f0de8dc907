"""Command line. Imports only typer at start-up; everything else is imported by the command
that needs it, so ``slint --help`` stays fast."""

from __future__ import annotations

import sys
from typing import List, Optional

import typer

from . import __version__

app = typer.Typer(
    name="slint",
    help="Static analysis and policy linter for serverless AWS templates (CloudFormation and SAM).",
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"slint {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Print the version and exit.")) -> None:
    """slint: what your serverless templates expose, before you deploy them."""


def _split(values: Optional[List[str]]) -> list[str]:
    out: list[str] = []
    for v in values or []:
        out.extend(x.strip().upper() for x in v.split(",") if x.strip())
    return out


@app.command()
def check(
    paths: List[str] = typer.Argument(..., help="Template files or directories."),
    format: str = typer.Option("text", "--format", "-f", help="Output format: text, json."),
    output: Optional[str] = typer.Option(None, "--output", "-o", help="Write the report to FILE."),
    select: Optional[List[str]] = typer.Option(None, "--select", help="Only these codes or prefixes (comma-separated)."),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", help="Skip these codes or prefixes."),
    severity: Optional[str] = typer.Option(None, "--severity", help="Report only findings at or above this severity."),
    fail_on: Optional[str] = typer.Option(None, "--fail-on", help="Exit 1 only for findings at or above this severity (default: low)."),
) -> None:
    """Check templates and report what they expose."""
    from .config import Config
    from .engine import exit_code, run
    from .findings import Severity
    from .formatters import FORMATS, render

    if format not in FORMATS:
        typer.echo(f"error: unknown format {format!r}; choose from {', '.join(FORMATS)}", err=True)
        raise typer.Exit(2)
    try:
        cfg = Config(select=_split(select), ignore=_split(ignore))
        if severity:
            cfg.min_severity = Severity.parse(severity)
        if fail_on:
            cfg.fail_on = Severity.parse(fail_on)
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)
    from .rules_meta import unknown_codes
    bad = unknown_codes(cfg.select + cfg.ignore)
    if bad:
        typer.echo("error: " + "; ".join(bad), err=True)
        raise typer.Exit(2)
    import os
    missing = [p for p in paths if not os.path.exists(p)]
    if missing:
        typer.echo(f"error: no such file or directory: {', '.join(missing)}", err=True)
        raise typer.Exit(2)
    result = run(paths, cfg)
    color = output is None and format == "text" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    text = render(format, result, color=color)
    if output:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)
    raise typer.Exit(exit_code(result, cfg))


@app.command("rules")
def list_rules(
    format: str = typer.Option("text", "--format", "-f", help="text or json"),
) -> None:
    """List every rule: code, name, category, default severity."""
    from slint.rules import all_rules
    rows = [(r.code, r.name, r.category.value, r.severity.value,
             "" if r.enabled_by_default else "opt-in") for r in all_rules()]
    if format == "json":
        import json
        typer.echo(json.dumps([dict(zip(("code", "name", "category", "severity", "note"), r))
                               for r in rows], indent=2))
        return
    for code, name, cat, sev, note in rows:
        typer.echo(f"{code:8} {name:40} {cat:11} {sev:8} {note}".rstrip())


@app.command()
def explain(code: str = typer.Argument(..., help="Rule code or name, e.g. IAM001.")) -> None:
    """Print a rule's documentation."""
    from .rules_meta import rule_doc
    from slint.rules import rule_by_code
    rule = rule_by_code(code)
    if rule is None:
        from .rules_meta import suggest
        hint = suggest(code)
        typer.echo(f"error: unknown rule {code!r}" + (f"; did you mean {hint}?" if hint else ""), err=True)
        raise typer.Exit(2)
    typer.echo(rule_doc(rule))


def main() -> None:  # console script entry point
    try:
        app()
    except KeyboardInterrupt:  # pragma: no cover
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()

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
    context_settings={"help_option_names": ["-h", "--help"]},
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
    paths: List[str] = typer.Argument(..., help="Template files or directories; '-' reads a template from standard input."),
    format: str = typer.Option("text", "--format", "-f", help="Output format: text, json, sarif, junit, github."),
    output: Optional[str] = typer.Option(None, "--output", "-o", help="Write the report to FILE."),
    select: Optional[List[str]] = typer.Option(None, "--select", help="Only these codes or prefixes (comma-separated)."),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", help="Skip these codes or prefixes."),
    severity: Optional[str] = typer.Option(None, "--severity", help="Report only findings at or above this severity."),
    fail_on: Optional[str] = typer.Option(None, "--fail-on", help="Exit 1 only for findings at or above this severity (default: low)."),
    config_file: Optional[str] = typer.Option(None, "--config", help="Use this config file instead of searching for pyproject.toml / .slint.toml."),
    no_config: bool = typer.Option(False, "--no-config", help="Ignore config files."),
    baseline: Optional[str] = typer.Option(None, "--baseline", help="Report only findings not recorded in this baseline file."),
    write_baseline: Optional[str] = typer.Option(None, "--write-baseline", help="Record today's findings in FILE and exit 0."),
    with_cfn_lint: bool = typer.Option(False, "--with-cfn-lint", help="Also run cfn-lint's own checks and merge them into the report."),
    cfn_lint_config: Optional[str] = typer.Option(None, "--cfn-lint-config", help="With --with-cfn-lint: the cfn-lint config file to use (default: none; a .cfnlintrc in the working or home directory is never read)."),
    cfn_lint_timeout: Optional[str] = typer.Option(None, "--cfn-lint-timeout", metavar="SECONDS", help="With --with-cfn-lint: seconds cfn-lint may spend on one file (default 30)."),
    cfn_lint_memory: Optional[int] = typer.Option(None, "--cfn-lint-memory", help="With --with-cfn-lint: memory cap of the cfn-lint process in MB (default 1024)."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", help="Parallel processes for directory scans (default: CPU count)."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Do not read or write the result cache."),
    cache_dir: Optional[str] = typer.Option(None, "--cache-dir", help="Cache directory (default: $SLINT_CACHE_DIR, else $XDG_CACHE_HOME/slint, i.e. ~/.cache/slint)."),
    progress: Optional[bool] = typer.Option(None, "--progress/--no-progress", help="Progress bar on stderr (default: on a TTY for directory scans)."),
    skip_non_templates: bool = typer.Option(False, "--skip-non-templates", help="Skip named files that are not templates (even unparsable ones) and exit 0 when none is: for pre-commit hooks."),
    stdin_filename: Optional[str] = typer.Option(None, "--stdin-filename", help="Name of the template read from '-': used for config discovery, per-file ignores and reported paths."),
    exit_zero: bool = typer.Option(False, "--exit-zero", help="Exit 0 even when there are findings (errors still exit 2)."),
    statistics: bool = typer.Option(False, "--statistics", help="After the report, count findings per rule (to stderr for machine formats)."),
    color: str = typer.Option("auto", "--color", help="auto, always or never (auto honours NO_COLOR, FORCE_COLOR, TERM=dumb)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Only findings: no summary line, no notes."),
    show_fixes: bool = typer.Option(False, "--show-fixes", help="Text output: print each finding's fix hint under it."),
    show_suppressed: bool = typer.Option(False, "--show-suppressed", help="Text output: also list suppressed findings, marked with their reason."),
    parameter_overrides: Optional[List[str]] = typer.Option(None, "--parameter-overrides", help="Parameter values of the deployment, Key=Value (as sam deploy takes them); they win over --parameters and samconfig."),
    parameters_file: Optional[str] = typer.Option(None, "--parameters", help="Parameter values from FILE: CloudFormation's [{ParameterKey, ParameterValue}] JSON, CodePipeline's {\"Parameters\": {...}}, or Key=Value lines."),
    config_env: Optional[str] = typer.Option(None, "--config-env", help="samconfig environment whose parameter_overrides apply (default: default)."),
    samconfig: Optional[str] = typer.Option(None, "--samconfig", help="Read parameter_overrides from this samconfig file (sam deploy's --config-file) instead of the samconfig.toml/.yaml next to each template."),
) -> None:
    """Check templates and report what they expose."""
    from .checkcmd import CheckOptions, run_check
    timeout = None
    if cfn_lint_timeout is not None:  # a str option: typer's float conversion costs start-up time
        try:
            timeout = float(cfn_lint_timeout)
        except ValueError:
            raise typer.BadParameter(f"{cfn_lint_timeout!r} is not a number of seconds",
                                     param_hint="'--cfn-lint-timeout'") from None
    opts = CheckOptions(paths=list(paths), format=format, output=output, select=_split(select),
                        ignore=_split(ignore), severity=severity, fail_on=fail_on,
                        config_file=config_file, no_config=no_config, baseline=baseline,
                        write_baseline=write_baseline, with_cfn_lint=with_cfn_lint, jobs=jobs,
                        no_cache=no_cache, cache_dir=cache_dir, progress=progress,
                        skip_non_templates=skip_non_templates, cfn_lint_config=cfn_lint_config,
                        cfn_lint_timeout=timeout, cfn_lint_memory=cfn_lint_memory,
                        stdin_filename=stdin_filename,
                        exit_zero=exit_zero, statistics=statistics, color=color, quiet=quiet,
                        show_fixes=show_fixes, show_suppressed=show_suppressed,
                        parameter_overrides=list(parameter_overrides or []),
                        parameters_file=parameters_file, config_env=config_env,
                        samconfig_file=samconfig)
    raise typer.Exit(run_check(opts))


@app.command()
def server() -> None:
    """Run the language server (LSP over stdio) for editors: diagnostics as you type."""
    try:
        from .server import main
        main()
    except ImportError as exc:  # pragma: no cover - pygls missing from a broken install
        sys.stderr.write(f"error: the language server needs pygls: {exc}\n")
        raise typer.Exit(2)


@app.command()
def routes(
    template: str = typer.Argument(..., help="A template file, or a directory (every template in it)."),
    format: str = typer.Option("text", "--format", "-f", help="text or json"),
    parameter_overrides: Optional[List[str]] = typer.Option(None, "--parameter-overrides", help="Parameter values, Key=Value."),
    parameters_file: Optional[str] = typer.Option(None, "--parameters", help="Parameter values from FILE."),
    config_env: Optional[str] = typer.Option(None, "--config-env", help="samconfig environment (default: default)."),
    samconfig: Optional[str] = typer.Option(None, "--samconfig", help="samconfig file to read instead of the one next to the template."),
) -> None:
    """Every API route and function URL of a template (or of each template in a directory), with
    its effective auth and where that was decided."""
    from .commands.routes import run_routes
    raise typer.Exit(run_routes(template, format, parameter_overrides=list(parameter_overrides or []),
                                parameters_file=parameters_file, config_env=config_env,
                                samconfig=samconfig))


@app.command()
def graph(
    template: str = typer.Argument(..., help="A template file."),
    format: str = typer.Option("mermaid", "--format", "-f", help="mermaid or dot"),
    output: Optional[str] = typer.Option(None, "--output", "-o", help="Write to FILE."),
    focus: Optional[str] = typer.Option(None, "--focus", help="Draw only this resource (logical id) and its neighbours."),
    depth: int = typer.Option(1, "--depth", help="With --focus: how many edges away to draw (default 1)."),
    exposure_only: bool = typer.Option(False, "--exposure-only", help="Draw only the exposure paths (Internet -> ... -> grant or bucket)."),
) -> None:
    """Draw the resource graph with exposure paths highlighted."""
    from .commands.graph import run_graph
    raise typer.Exit(run_graph(template, format, output, focus_id=focus, depth=depth,
                               exposure=exposure_only))


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
    from ._typer_fast import install
    install()  # plain options without pydantic: ~0.1 s of start-up (see slint._typer_fast)
    try:
        app()
    except KeyboardInterrupt:  # pragma: no cover
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()

"""`slint check`: options -> config -> engine -> formatter -> exit code.

Kept apart from ``cli.py`` so that typer parsing stays import-light and the flow is testable
without a subprocess.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field


@dataclass
class CheckOptions:
    paths: list[str]
    format: str = "text"
    output: str | None = None
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    severity: str | None = None
    fail_on: str | None = None
    config_file: str | None = None
    no_config: bool = False
    baseline: str | None = None
    write_baseline: str | None = None
    with_cfn_lint: bool = False
    jobs: int | None = None
    no_cache: bool = False
    cache_dir: str | None = None
    progress: bool | None = None


def _err(msg: str) -> int:
    sys.stderr.write(f"error: {msg}\n")
    return 2


def run_check(o: CheckOptions) -> int:
    from .config import Config
    from .engine import exit_code, run
    from .findings import Severity
    from .formatters import FORMATS, render
    from .rules_meta import unknown_codes

    if o.format not in FORMATS:
        return _err(f"unknown format {o.format!r}; choose from {', '.join(FORMATS)}")
    missing = [p for p in o.paths if not os.path.exists(p)]
    if missing:
        return _err(f"no such file or directory: {', '.join(missing)}")
    try:
        cfg = Config()
        if o.select:
            cfg.select = o.select
        if o.ignore:
            cfg.ignore = cfg.ignore + o.ignore
        if o.severity:
            cfg.min_severity = Severity.parse(o.severity)
        if o.fail_on:
            cfg.fail_on = Severity.parse(o.fail_on)
    except ValueError as exc:
        return _err(str(exc))
    bad = unknown_codes(cfg.select + cfg.ignore)
    if bad:
        return _err("; ".join(bad))
    result = run(o.paths, cfg)
    if o.with_cfn_lint:  # cfn-lint is imported only here
        from .cfnlint_bridge import BridgeError, merge_cfnlint
        try:
            result = merge_cfnlint(result, cfg)
        except BridgeError as exc:
            return _err(str(exc))
    color = (o.output is None and o.format == "text" and sys.stdout.isatty()
             and "NO_COLOR" not in os.environ)
    text = render(o.format, result, color=color)
    if o.output:
        with open(o.output, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)
    return exit_code(result, cfg)

"""`slint check`: options -> config -> engine -> baseline -> formatter -> exit code.

Kept apart from ``cli.py`` so that typer parsing stays import-light and the flow is testable
without a subprocess.
"""

from __future__ import annotations

import inspect
import os
import re
import sys
import time
from dataclasses import dataclass, field

from .formatters.escape import visible

DOCS_URL = "https://github.com/slint-dev/slint/blob/main/docs/rules/{code}.md"


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
    skip_non_templates: bool = False
    cfn_lint_config: str | None = None
    cfn_lint_timeout: float | None = None
    cfn_lint_memory: int | None = None
    stdin_filename: str | None = None
    exit_zero: bool = False
    statistics: bool = False
    color: str = "auto"
    quiet: bool = False
    show_fixes: bool = False
    show_suppressed: bool = False
    parameter_overrides: list = field(default_factory=list)   # Key=Value ...
    parameters_file: str | None = None
    config_env: str | None = None
    samconfig_file: str | None = None


def _err(msg: str) -> int:
    sys.stderr.write(f"error: {msg}\n")
    return 2


def _note(msg: str) -> None:
    sys.stderr.write(f"slint: {msg}\n")


COLOR_CHOICES = ("auto", "always", "never")


def want_color(choice: str, env=None, isatty: bool = False) -> bool:
    """``--color``: ``always``/``never`` win; ``auto`` follows ``NO_COLOR`` (set and non-empty:
    no colour, per no-color.org), then ``FORCE_COLOR`` (set, not ``0``/``false``: colour), then
    ``TERM=dumb`` (no colour), then whether the output is a terminal."""
    env = os.environ if env is None else env
    if choice == "always":
        return True
    if choice == "never":
        return False
    if env.get("NO_COLOR"):
        return False
    force = env.get("FORCE_COLOR")
    if force is not None and force.strip().lower() not in ("0", "false", "no", "off"):
        return True
    if env.get("TERM") == "dumb":
        return False
    return isatty


def statistics(findings) -> str:
    """Counts per rule, most frequent first (like ruff's ``--statistics``)."""
    count: dict[tuple, int] = {}
    for f in findings:
        key = (f.rule, f.name, f.severity)
        count[key] = count.get(key, 0) + 1
    rows = sorted(count.items(), key=lambda kv: (-kv[1], kv[0]))
    return "".join(f"{n:>5}  {code:8} [{sev}] {name}\n" for (code, name, sev), n in rows)


def _existing(paths: list[str]) -> tuple[list[str], list[str]]:
    ok, missing = [], []
    for p in paths:
        (ok if p == "-" or os.path.exists(p) else missing).append(p)
    return ok, missing


def load_run_config(o: CheckOptions):
    """The run's ``Config``: the config file (given, found, or none), then the flags on top.
    Raises ``ValueError`` (``ConfigError``) with a message for the user."""
    from .config import Config, ConfigError, find_config, load_config
    from .findings import Severity

    if o.no_config:
        cfg = Config()
    elif o.config_file:
        if not os.path.isfile(o.config_file):
            raise ConfigError(f"config file not found: {o.config_file}")
        cfg = load_config(o.config_file)
    else:
        found = find_config(_config_paths(o))
        cfg = load_config(found) if found else Config()
    if o.select:
        cfg.select = list(o.select)
    if o.ignore:
        cfg.ignore = cfg.ignore + [c for c in o.ignore if c not in cfg.ignore]
    if o.severity:
        cfg.min_severity = Severity.parse(o.severity)
    if o.fail_on:
        cfg.fail_on = Severity.parse(o.fail_on)
    if o.skip_non_templates:
        cfg.skip_non_templates = True
    if o.cfn_lint_timeout is not None:
        if not o.cfn_lint_timeout > 0:
            raise ConfigError("--cfn-lint-timeout must be a number of seconds above 0")
        cfg.cfn_lint_timeout = o.cfn_lint_timeout
    if o.cfn_lint_memory is not None:
        if o.cfn_lint_memory < 64:
            raise ConfigError("--cfn-lint-memory must be at least 64 (MB)")
        cfg.cfn_lint_memory = o.cfn_lint_memory
    cfg.parameter_values = given_parameters(o.parameters_file, o.parameter_overrides)
    if o.config_env:
        cfg.config_env = o.config_env
    if o.samconfig_file is not None:
        cfg.samconfig_file = samconfig_option(o.samconfig_file)
    return cfg


def samconfig_option(path: str) -> str:
    """``--samconfig FILE``: a regular file (sam deploy ignores a missing --config-file; slint
    refuses it, exit 2), as an absolute path."""
    from .model.parameters import ParameterError
    if not os.path.isfile(path):
        raise ParameterError(f"--samconfig {path}: no such file")
    return os.path.abspath(path)


def _config_paths(o: CheckOptions) -> list[str]:
    """Where config discovery starts: standard input counts as ``--stdin-filename`` (or cwd)."""
    out = [p for p in o.paths if p != "-"]
    if "-" in o.paths:
        out.append(o.stdin_filename or os.path.join(os.getcwd(), "-"))
    return out


def given_parameters(parameters_file: str | None, overrides: list | None) -> dict:
    """``--parameters FILE`` then ``--parameter-overrides`` on top (ParameterError: exit 2)."""
    from .model.parameters import load_parameter_file, parse_pairs
    given: dict = {}
    if parameters_file:
        given.update(load_parameter_file(parameters_file))
    if overrides:
        given.update(parse_pairs(overrides, "--parameter-overrides"))
    return given


def rules_metadata(rules) -> dict:
    """Rule metadata for formatters that describe rules (SARIF): they never import rules."""
    from .rules_meta import doc_section
    out = {}
    for r in rules:
        doc = inspect.cleandoc(type(r).__doc__ or "")
        what = " ".join(doc_section(type(r), "What it does").split())
        short = re.split(r"(?<=[.!?])\s", what, maxsplit=1)[0] if what else r.name
        sev = getattr(r, "effective_severity", r.severity)
        out[r.code] = {
            "name": r.name, "category": r.category.value, "severity": getattr(sev, "value", sev),
            "short": short, "full": what or r.name,
            "help": f"# {r.code} {r.name}\n\n{doc}" if doc else r.name,
            "help_uri": DOCS_URL.format(code=r.code), "fix": r.fix,
            "enabled": True,
        }
    return out


class Progress:
    """A one-line progress bar on stderr: ``[#####-----] 120/501 path``. Stdlib only."""

    def __init__(self, stream=None, width: int | None = None):
        self.stream = stream or sys.stderr
        self.width = width
        self.last = 0.0
        self.shown = False

    def __call__(self, done: int, total: int, path: str) -> None:
        now = time.monotonic()
        if done < total and now - self.last < 0.05:
            return
        self.last = now
        cols = self.width or _term_width()
        bar_w = max(10, min(30, cols // 4))
        filled = int(bar_w * done / total) if total else bar_w
        head = f"[{'#' * filled}{'-' * (bar_w - filled)}] {done}/{total} "
        room = max(0, cols - len(head) - 1)
        path = visible(path)
        tail = path if len(path) <= room else "..." + path[-(room - 3):] if room > 3 else ""
        self.stream.write("\r" + head + tail + "\x1b[K")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def _term_width() -> int:
    import shutil
    return shutil.get_terminal_size((80, 24)).columns


def _want_progress(o: CheckOptions) -> bool:
    if o.progress is not None:
        return o.progress
    return (sys.stderr.isatty() and "CI" not in os.environ
            and any(os.path.isdir(p) for p in o.paths))


def _apply_baseline(result, baseline_file: str):
    from .baseline import filter_new
    from .engine import RunResult
    new, known = filter_new(result.findings, baseline_file)
    keep = {id(f) for f in new}
    for fr in result.files:
        fr.findings = [f for f in fr.findings if id(f) in keep]
    return RunResult(result.files, new, result.suppressed), known


def _inputs(o: CheckOptions) -> list[str]:
    """Every file this run reads: named files, files found in named folders, the config file,
    the baseline."""
    from .config import find_config
    from .engine import discover
    files = [p for p, _explicit in discover(o.paths)]
    if o.config_file:
        files.append(o.config_file)
    elif not o.no_config:
        found = find_config(o.paths)
        if found:
            files.append(found)
    if o.baseline:
        files.append(o.baseline)
    if o.cfn_lint_config:
        files.append(o.cfn_lint_config)
    return files


def run_check(o: CheckOptions) -> int:
    from .formatters import FORMATS, render
    from .outio import emit, overwrite_conflict, special_kind, stdout_isatty, write_file
    from .rules_meta import unknown_codes

    if o.format not in FORMATS:
        return _err(f"unknown format {o.format!r}; choose from {', '.join(FORMATS)}")
    if o.color not in COLOR_CHOICES:
        return _err(f"unknown --color {o.color!r}; choose from {', '.join(COLOR_CHOICES)}")
    if o.stdin_filename and "-" not in o.paths:
        return _err("--stdin-filename needs '-' among the paths (standard input)")
    if o.paths.count("-") > 1:
        return _err("'-' (standard input) can be given once")
    present, missing = _existing(o.paths)
    for p in missing:  # reported, and the other paths are still checked (exit 2 at the end)
        _err(f"no such file or directory: {p}")
    if not present:
        return 2
    o.paths = present
    if o.baseline and o.write_baseline:
        return _err("use either --baseline or --write-baseline, not both")
    refused = 0
    paths = []
    for p in o.paths:  # a FIFO would block the read, /dev/zero never ends: never opened
        kind = special_kind(p)
        if kind:
            _err(f"{p}: not checked: {kind}, not a regular file")
            refused += 1
        else:
            paths.append(p)
    if not paths:
        return 2
    if refused:
        from dataclasses import replace
        o = replace(o, paths=paths)
    try:
        cfg = load_run_config(o)
    except ValueError as exc:
        return _err(str(exc))
    bad = unknown_codes(cfg.select + cfg.ignore + cfg.extend_select)
    if bad:
        return _err("; ".join(bad))
    if o.cfn_lint_config and not os.path.isfile(o.cfn_lint_config):
        return _err(f"cfn-lint config file not found: {o.cfn_lint_config}")
    if o.cfn_lint_config and not o.with_cfn_lint:
        return _err("--cfn-lint-config needs --with-cfn-lint")
    if o.baseline and not os.path.isfile(o.baseline):
        return _err(f"baseline file not found: {o.baseline} (create it with --write-baseline)")
    outputs = [(opt, path) for opt, path in (("--output", o.output),
                                              ("--write-baseline", o.write_baseline)) if path]
    if outputs:  # before anything is read or written
        conflict = overwrite_conflict(outputs, _inputs(o))
        if conflict:
            return _err(conflict)

    from .engine import exit_code, run, selected_rules
    rules = selected_rules(cfg)
    bar = Progress() if _want_progress(o) else None
    try:
        from .cache import open_cache
        cache = None if o.no_cache else open_cache(o.cache_dir, cfg, rules)
        result = _run(o, cfg, rules, bar, cache)
    finally:
        if bar is not None:
            bar.close()
    from .engine import MAX_DEPTH, OUTSIDE_FILE
    for fr in result.files:  # left out of a folder scan on purpose: say so
        if fr.status == "skipped" and fr.reason and (fr.reason == OUTSIDE_FILE
                                                     or f"{MAX_DEPTH} levels" in fr.reason):
            _note(f"skipped {visible(fr.file)}: {fr.reason}")
    if o.with_cfn_lint:  # cfn-lint is imported only here
        from .cfnlint_bridge import BridgeError, merge_cfnlint
        try:
            result = merge_cfnlint(result, cfg, config_file=o.cfn_lint_config)
        except BridgeError as exc:
            return _err(str(exc))

    if o.write_baseline:
        from .baseline import write
        if result.checked == 0 and not cfg.skip_non_templates:
            return _err("no templates found: nothing to record")
        try:
            n = write(result.findings, o.write_baseline)
        except (OSError, UnicodeError) as exc:
            return _err(f"cannot write {o.write_baseline}: {getattr(exc, 'strerror', None) or exc}")
        _note(f"recorded {n} finding{'s' if n != 1 else ''} in {o.write_baseline}")
        return 0
    if o.baseline:
        from .baseline import BaselineError
        try:
            result, known = _apply_baseline(result, o.baseline)
        except BaselineError as exc:
            return _err(str(exc))
        if known and not o.quiet:
            _note(f"{known} known finding{'s' if known != 1 else ''} hidden by baseline "
                  f"{o.baseline}")

    color = o.format == "text" and want_color(
        o.color, isatty=o.output is None and stdout_isatty())
    meta = rules_metadata(rules) if o.format in ("sarif", "json") else None
    if meta is not None and o.with_cfn_lint:
        from .cfnlint_bridge import rules_metadata as cfnlint_rules_metadata
        meta.update(cfnlint_rules_metadata())
    text = render(o.format, result, color=color, rules_meta=meta, quiet=o.quiet,
                  show_fixes=o.show_fixes, show_suppressed=o.show_suppressed)
    if o.statistics:
        stats = statistics(result.findings)
        if o.format == "text":
            text += stats
        else:  # machine formats stay valid: the table goes to stderr
            sys.stderr.write(stats)
    failed = write_file(o.output, text) if o.output else emit(text)
    if failed is not None:
        return failed
    if missing:
        return 2
    if cfg.skip_non_templates and result.checked == 0:
        return 0
    code = exit_code(result, cfg)
    return 0 if o.exit_zero and code == 1 else code


STDIN_DISPLAY = "-"


def _run(o: CheckOptions, cfg, rules, bar, cache):
    """The engine's run over the paths; ``-`` is standard input, checked as
    ``--stdin-filename`` (its reported path and per-file ignores) or ``-``."""
    from .engine import check_text, finish, run
    files = [p for p in o.paths if p != "-"]
    result = run(files, cfg, rules=rules, progress=bar, jobs=o.jobs, cache=cache) if files else None
    if "-" not in o.paths:
        return result
    data = sys.stdin.buffer.read()
    name = o.stdin_filename or STDIN_DISPLAY
    fr = check_text(data.decode("utf-8", "replace"), name, cfg, rules)
    # project-level rules (bucket-name collisions...) see the files and standard input together
    return finish((result.files if result else []) + [fr], rules, cfg)

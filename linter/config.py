"""Run configuration. Command-line flags and config files both end up in one ``Config``.

A config file is ``[tool.slint]`` in ``pyproject.toml`` or the top level of ``.slint.toml``
(which wins in the same folder), found by walking up from the checked paths, then from the
current directory. It is validated against ``slint/schemas/config.schema.json``; unknown keys,
rule codes and rule options are errors with a "did you mean" hint. ``jsonschema`` and
``tomllib`` are imported only when a config file is actually read.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from typing import Any, Iterable

from .findings import Severity
from .loader import DEFAULT_MAX_BYTES

CONFIG_FILES = (".slint.toml", "pyproject.toml")


@dataclass
class Config:
    select: list[str] = field(default_factory=list)      # codes or prefixes; empty: defaults
    ignore: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)  # enable opt-in rules
    severity_overrides: dict[str, Severity] = field(default_factory=dict)
    fail_on: Severity = Severity.LOW                     # exit 1 at or above this
    min_severity: Severity = Severity.INFO               # report at or above this
    rule_options: dict[str, dict] = field(default_factory=dict)
    per_path_ignores: dict[str, list[str]] = field(default_factory=dict)  # glob -> codes
    max_file_bytes: int = DEFAULT_MAX_BYTES
    source: str | None = None                            # the config file, if any
    skip_non_templates: bool = False                     # named files skipped like found ones
    cfn_lint_timeout: float = 30.0                       # --with-cfn-lint: seconds per file
    cfn_lint_memory: int = 1024                          # --with-cfn-lint: MB of address space
    # parameter values given for the deployment: name -> (value, source label); they win over
    # samconfig's parameter_overrides (environment ``config_env``) found next to a template
    parameter_values: dict[str, tuple] = field(default_factory=dict)
    config_env: str = "default"
    samconfig_file: str | None = None   # --samconfig FILE: instead of the one next to the template
    read_samconfig: bool = True

    def rule_selected(self, code: str, enabled_by_default: bool) -> bool:
        def match(patterns: list[str]) -> bool:
            return any(code == p or (p and code.startswith(p)) or p.upper() == "ALL" for p in patterns)
        def named(patterns: list[str]) -> bool:
            return code in patterns
        if self.ignore and match(self.ignore):
            return False
        # an opt-in rule runs only when named by its exact code: a prefix (`IAM`) or `ALL`
        # selects a family's default rules, not the ones it keeps off on purpose
        if self.extend_select and (match(self.extend_select) if enabled_by_default
                                   else named(self.extend_select)):
            return True
        if self.select:
            return match(self.select) if enabled_by_default else named(self.select)
        return enabled_by_default

    def path_ignores(self, file: str) -> list[str]:
        """The codes that ``per_path_ignores`` ignores in ``file`` (its glob matches the file
        name as displayed or its base name), each once, in glob order. The globs are indexed
        once (``slint.globset``), on first use: matching costs about the length of the name,
        not the number of globs."""
        if not self.per_path_ignores:
            return []
        state = self.__dict__.get("_globs")
        if state is None or state[0] is not self.per_path_ignores \
                or state[1] != len(self.per_path_ignores):
            from .globset import GlobSet
            state = (self.per_path_ignores, len(self.per_path_ignores),
                     GlobSet(self.per_path_ignores.items()))
            self.__dict__["_globs"] = state  # not a field: cache.namespace hashes the fields
        out: dict[str, None] = {}
        for codes in state[2].match((file, os.path.basename(file))):
            out.update(dict.fromkeys(codes))
        return list(out)

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "_globs"}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)


class ConfigError(ValueError):
    """A config file that cannot be used: the message names the file and what to change."""


# ---------------------------------------------------------------------------- discovery
def _has_slint_table(pyproject: str) -> bool:
    try:
        with open(pyproject, "rb") as fh:
            raw = fh.read()
    except OSError:
        return False
    if b"tool.slint" not in raw and b"slint" not in raw:
        return False
    from ._toml import tomllib
    try:
        data = tomllib.loads(raw.decode("utf-8", "replace"))
    except (tomllib.TOMLDecodeError, RecursionError):
        return b"tool.slint" in raw  # let load_config report the syntax error
    tool = data.get("tool")
    return isinstance(tool, dict) and "slint" in tool


def _walk_up(start: str) -> Iterable[str]:
    d = os.path.abspath(start)
    while True:
        yield d
        parent = os.path.dirname(d)
        if parent == d:
            return
        d = parent


def _find_from(start: str) -> str | None:
    for d in _walk_up(start):
        cand = os.path.join(d, ".slint.toml")
        if os.path.isfile(cand):
            return cand
        cand = os.path.join(d, "pyproject.toml")
        if os.path.isfile(cand) and _has_slint_table(cand):
            return cand
    return None


def find_config(paths: Iterable[str] = (), cwd: str | None = None) -> str | None:
    """The nearest config file above the checked paths (their common folder), else above cwd."""
    absd = []
    for p in paths:
        a = os.path.abspath(p)
        absd.append(a if os.path.isdir(a) else os.path.dirname(a))
    if absd:
        try:
            common = os.path.commonpath(absd)
        except ValueError:  # different drives
            common = absd[0]
        found = _find_from(common)
        if found:
            return found
    return _find_from(cwd or os.getcwd())


# ---------------------------------------------------------------------------- loading
# "did you mean" costs a difflib comparison with every choice: only this many get one, and only
# this many problems of one kind are listed (then "and N more")
MAX_SUGGESTIONS = 20


def _cut(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    m = difflib.get_close_matches(word, sorted(set(choices)), n=1, cutoff=0.5)
    return f" (did you mean {m[0]!r}?)" if m else ""


def _schema() -> dict:
    import json
    here = os.path.join(os.path.dirname(__file__), "schemas", "config.schema.json")
    with open(here, encoding="utf-8") as fh:
        return json.load(fh)


def _where(path: Iterable) -> str:
    parts = [str(p) for p in path]
    return ".".join(parts) if parts else "(top level)"


MAX_TOML_DEPTH = 64   # far beyond any slint setting; the same answer on every Python


def _too_deep(data, limit: int = MAX_TOML_DEPTH) -> bool:
    """True when tables/arrays nest more than ``limit`` levels (checked without recursion)."""
    stack = [(data, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)
    return False


def read_table(file: str) -> dict:
    """The raw slint table of a config file (``{}`` when a pyproject has none)."""
    from ._toml import tomllib
    try:
        with open(file, "rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(f"{file}: cannot read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{file}: invalid TOML: {exc}") from None
    except RecursionError:  # tomllib recurses once per level of inline tables and arrays
        raise ConfigError(f"{file}: invalid TOML: values are nested too deeply") from None
    if _too_deep(data):  # Python 3.13's tomllib reads deeper input without a RecursionError
        raise ConfigError(f"{file}: invalid TOML: values are nested too deeply") from None
    if os.path.basename(file) == "pyproject.toml":
        tool = data.get("tool", {})
        return tool.get("slint", {}) if isinstance(tool, dict) else {}
    if set(data) == {"tool"} and isinstance(data["tool"], dict) and "slint" in data["tool"]:
        return data["tool"]["slint"]
    return data


def validate_table(table: dict, file: str, rules: Iterable | None = None) -> list[str]:
    """Every problem of a slint config table, as messages (empty: valid)."""
    schema = _schema()
    errors: list[str] = []
    known_keys = schema["properties"].keys()
    prefix = f"{file}: " if file else ""
    for key in table:
        if key not in known_keys:
            if len(errors) == MAX_SUGGESTIONS:
                extra = sum(k not in known_keys for k in table) - MAX_SUGGESTIONS
                errors.append(f"{prefix}and {extra} more unknown key{'s' if extra != 1 else ''}")
                break
            errors.append(f"{prefix}unknown key {_cut(repr(key))}{_did_you_mean(key, known_keys)}")
    if errors:
        return errors
    import jsonschema
    validator = jsonschema.Draft202012Validator(schema)
    try:
        found = sorted(validator.iter_errors(table), key=lambda e: [str(p) for p in e.absolute_path])
        for err in found:
            hint = ""
            if err.validator == "enum" and isinstance(err.instance, str):
                hint = _did_you_mean(err.instance.lower(), err.validator_value)
            # the message shows the offending value, which may be huge or deeply nested
            errors.append(f"{prefix}{_cut(_where(err.absolute_path))}: {_cut(err.message)}{hint}")
    except RecursionError:  # a value nested deeper than the schema expects (dotted keys)
        return [f"{prefix}values are nested too deeply"]
    if len(errors) > MAX_SUGGESTIONS:
        errors[MAX_SUGGESTIONS:] = [f"{prefix}and {len(errors) - MAX_SUGGESTIONS} more problems"]
    if errors:
        return errors
    if rules is None:
        from slint.rules import all_rules
        rules = all_rules()
    by_code = {r.code: r for r in rules}
    codes = sorted(by_code)

    from .rules_meta import known_pattern

    families = sorted({c.rstrip("0123456789") for c in codes})
    unknown = 0

    def check_codes(where: str, patterns: list[str]) -> None:
        nonlocal unknown
        for p in patterns:
            up = p.upper()
            if known_pattern(up, codes):
                continue
            unknown += 1
            if unknown <= MAX_SUGGESTIONS:
                errors.append(f"{prefix}{_cut(where)}: unknown rule code {p!r}"
                              f"{_did_you_mean(up, codes + families)}")

    for key in ("select", "ignore", "extend-select"):
        check_codes(key, table.get(key, []))
    for glob, pats in table.get("per-file-ignores", {}).items():
        check_codes(f"per-file-ignores.{glob!r}", pats)
    for code, opts in table.get("rules", {}).items():
        rule = by_code.get(code)
        if rule is None:
            unknown += 1
            if unknown <= MAX_SUGGESTIONS:
                errors.append(f"{prefix}rules: unknown rule code {code!r}"
                              f"{_did_you_mean(code, codes)}")
            continue
        allowed = dict(rule.options)
        for name, value in opts.items():
            if name == "severity":
                continue
            if name not in allowed:
                hint = _did_you_mean(name, [*allowed, "severity"])
                have = (", ".join(sorted(allowed)) or "none") if not hint else ""
                errors.append(f"{prefix}rules.{code}: unknown option {name!r}{hint}"
                              + (f"; {code} options: {have}" if have else ""))
                continue
            default = allowed[name]
            if not _same_type(value, default):
                errors.append(f"{prefix}rules.{code}.{_cut(name)}: expected "
                              f"{_type_name(default)}, got {_type_name(value)} {_show(value)}")
    if unknown > MAX_SUGGESTIONS:
        more = unknown - MAX_SUGGESTIONS
        errors.append(f"{prefix}and {more} more unknown rule code{'s' if more != 1 else ''}")
    return errors


def _show(value: Any) -> str:
    try:
        return _cut(repr(value))
    except RecursionError:
        return "(nested too deeply to show)"


def _same_type(value: Any, default: Any) -> bool:
    if default is None:
        return True
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, int):
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if isinstance(default, str):
        return isinstance(value, str)
    if isinstance(default, (list, tuple, set, frozenset)):
        return isinstance(value, list)
    if isinstance(default, dict):
        return isinstance(value, dict)
    return True


def _type_name(v: Any) -> str:
    return {bool: "a boolean", int: "an integer", float: "a number", str: "a string",
            list: "a list", tuple: "a list", set: "a list", frozenset: "a list",
            dict: "a table"}.get(type(v), type(v).__name__)


def _glob_variants(glob: str, base: str, cwd: str) -> list[str]:
    """A glob written relative to the config file's folder, in the forms a displayed file name
    may take (as given, ``./``-prefixed, absolute, relative to the current directory)."""
    if os.path.isabs(glob):
        forms = [glob]
    else:
        absg = os.path.normpath(os.path.join(base, glob))
        rel = os.path.relpath(absg, cwd)
        forms = [glob, absg]
        if not rel.startswith(".."):
            forms.append(rel)
    out: list[str] = []
    for f in forms:
        for g in (f, "./" + f if not f.startswith(("/", "./")) else f):
            if g not in out:
                out.append(g)
    return out


def apply_table(cfg: Config, table: dict, file: str | None = None, cwd: str | None = None) -> Config:
    """Apply a validated table to ``cfg`` (in place, returned)."""
    up = lambda xs: [x.upper() for x in xs]  # noqa: E731
    if "select" in table:
        cfg.select = up(table["select"])
    if "ignore" in table:
        cfg.ignore = up(table["ignore"])
    if "extend-select" in table:
        cfg.extend_select = up(table["extend-select"])
    if "severity" in table:
        cfg.min_severity = Severity.parse(table["severity"])
    if "fail-on" in table:
        cfg.fail_on = Severity.parse(table["fail-on"])
    if "max-file-bytes" in table:
        cfg.max_file_bytes = int(table["max-file-bytes"])
    if "cfn-lint-timeout" in table:
        cfg.cfn_lint_timeout = float(table["cfn-lint-timeout"])
    if "cfn-lint-memory" in table:
        cfg.cfn_lint_memory = int(table["cfn-lint-memory"])
    base = os.path.dirname(os.path.abspath(file)) if file else (cwd or os.getcwd())
    for glob, codes in table.get("per-file-ignores", {}).items():
        for g in _glob_variants(glob, base, cwd or os.getcwd()):
            cfg.per_path_ignores.setdefault(g, [])
            cfg.per_path_ignores[g] += [c for c in up(codes) if c not in cfg.per_path_ignores[g]]
    for code, opts in table.get("rules", {}).items():
        opts = dict(opts)
        sev = opts.pop("severity", None)
        if sev is not None:
            cfg.severity_overrides[code] = Severity.parse(sev)
        if opts:
            cfg.rule_options[code] = opts
    cfg.source = file
    return cfg


def load_config(file: str, cwd: str | None = None, rules: Iterable | None = None) -> Config:
    """Read, validate and apply a config file; ``ConfigError`` lists every problem."""
    table = read_table(file)
    if not isinstance(table, dict):
        raise ConfigError(f"{file}: [tool.slint] must be a table")
    errors = validate_table(table, file, rules)
    if errors:
        raise ConfigError("\n".join(errors))
    return apply_table(Config(), table, file, cwd)

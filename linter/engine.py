"""The engine's front door: paths in, a ``RunResult`` out.

Layers (each imports only those before it; ``tests/test_layers.py`` enforces it):

- ``slint.results``: ``FileResult``/``RunResult``, plain data;
- ``slint.codec``: a ``FileResult`` to and from JSON for the cache;
- ``slint.check``: the pure per-document check (model, rules in isolation, suppressions,
  filters, sort) and ``finish``, the run-wide project-level part;
- the runner: ``discover`` (here), ``slint.cache`` (results of unchanged files),
  ``slint.parallel`` (reading files: ``check_target``; worker processes).

This module keeps the public names callers use (``run``, ``check_file``, ``check_text``,
``finish``, ``selected_rules``, ``FileResult``, ...).
"""

from __future__ import annotations

import os
from typing import Iterable

from .check import (MAX_FINDINGS_PER_RULE, check_document, filter_findings, finish,  # noqa: F401
                    is_template, selected_rules)
from .config import Config
from .parallel import check_target, check_targets, lacks_template_keys  # noqa: F401
from .results import FileResult, RunResult  # noqa: F401
from .rule import Rule

TEMPLATE_EXTENSIONS = (".yaml", ".yml", ".json", ".template", ".cfn")

check_loaded = check_document   # the name callers used before the split


def check_file(path: str, config: Config, rules: list[Rule], *, explicit: bool = True,
               display: str | None = None) -> FileResult:
    """One file, read and checked the way ``run`` does it (``slint.parallel.check_target``)."""
    return check_target(path, explicit, config, rules, display=display)[0]


def check_text(text: str, filename: str, config: Config | None = None,
               rules: list[Rule] | None = None) -> FileResult:
    """Check a template given as text (tests, editors)."""
    from .loader import load_text
    config = config or Config()
    rules = rules if rules is not None else selected_rules(config)
    loaded = load_text(text, filename)
    return check_document(loaded.document, loaded.issues, filename, config, rules)


def discover(paths: Iterable[str]) -> list[tuple[str, bool]]:
    """Files to check: (path, explicit). Directories are walked (hidden and dependency folders
    skipped) for files with template extensions; content decides later."""
    out: list[tuple[str, bool]] = []
    skip_dirs = {".git", "node_modules", ".aws-sam", "cdk.out", "__pycache__", ".venv", "venv",
                 ".tox", ".terraform"}
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if d not in skip_dirs and not d.startswith("."))
                for name in sorted(files):
                    if name.lower().endswith(TEMPLATE_EXTENSIONS):
                        out.append((os.path.join(root, name), False))
        else:
            out.append((p, True))
    return out


def run(paths: Iterable[str], config: Config | None = None, *, jobs: int | None = 1,
        rules: list[Rule] | None = None, progress=None, cache=None) -> RunResult:
    """``progress(done, total, path)`` is called after each file (e.g. a progress bar).
    ``config.skip_non_templates`` treats named files like discovered ones (pre-commit).
    ``jobs``: worker processes (``None``/0: one per CPU; small runs stay in this process);
    ``cache``: a ``slint.cache.Cache`` or None. The result is the same whatever both are."""
    config = config or Config()
    rules = rules if rules is not None else selected_rules(config)
    hook = getattr(config, "skip_non_templates", False)
    targets = [(path, explicit and not hook) for path, explicit in discover(paths)]
    results = check_targets(targets, config, rules, jobs=jobs, cache=cache, progress=progress)
    return finish(results, rules, config)


def exit_code(result: RunResult, config: Config) -> int:
    from .findings import Severity
    if result.checked == 0:
        return 2
    worst = max((Severity(f.severity).rank for f in result.findings), default=-1)
    return 1 if worst >= config.fail_on.rank else 0

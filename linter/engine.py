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
# serverless.ts / .js: listed so that a scan reports them as not checkable (never executed)
PROGRAM_NAMES = ("serverless.ts", "serverless.js", "serverless.cjs", "serverless.mjs")

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


SKIP_DIRS = {".git", "node_modules", ".aws-sam", "cdk.out", "__pycache__", ".venv", "venv",
             ".tox", ".terraform"}
# folders nested deeper than this below a scanned folder are not scanned (reported as skipped)
MAX_DEPTH = 100
OUTSIDE_FILE = "symlink to a file outside the scanned folder"


def discover(paths: Iterable[str]) -> list[tuple[str, bool]]:
    """Files to check: (path, explicit). Directories are walked (hidden and dependency folders
    skipped) for files with template extensions; content decides later."""
    return discover_report(paths)[0]


def discover_report(paths: Iterable[str]) -> tuple[list[tuple[str, bool]], list[tuple[str, str]]]:
    """``discover``, plus what the walk left out on purpose, as (path, reason): a file symlink
    whose target lies outside the scanned folder (never read: ``link.yaml -> /etc/passwd``),
    folders nested deeper than ``MAX_DEPTH``. Symlinked folders are not followed (as
    ``os.walk``), so the walk stays inside the folder and cannot loop. A path named on the
    command line is the user's choice and is read even if it is a symlink."""
    out: list[tuple[str, bool]] = []
    skipped: list[tuple[str, str]] = []
    from .cdk import assembly_templates, is_assembly
    for p in paths:
        if os.path.isdir(p) and is_assembly(p):   # a CDK cloud assembly: its stack templates
            out.extend((t, True) for t in assembly_templates(p))
            continue
        if os.path.isdir(p):
            _walk(p, out, skipped)
        else:
            out.append((p, True))
    return _with_compose_services(out), skipped


def _with_compose_services(found: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """A ``serverless-compose.yml`` lists services: each one's ``serverless.yml`` is checked
    too (once, after the compose file; never outside the compose file's project root)."""
    from .model.serverless.detect import is_compose_name
    if not any(is_compose_name(p) for p, _e in found):
        return found
    from .model.serverless.compose import service_files
    seen = {os.path.normpath(p) for p, _e in found}
    out: list[tuple[str, bool]] = []
    for p, explicit in found:
        out.append((p, explicit))
        if is_compose_name(p):
            for svc in service_files(p):
                if os.path.normpath(svc) not in seen:
                    seen.add(os.path.normpath(svc))
                    out.append((svc, explicit))
    return out


def load_checkable(path: str, max_bytes: int | None = None):
    """(Document ready for the model, None) or (None, why not) for ``slint routes``/``graph``:
    a template as loaded, a ``serverless.yml`` translated."""
    from .check import prepare_serverless
    from .loader import DEFAULT_MAX_BYTES, load_file
    from .model.serverless.detect import program_reason
    why = program_reason(path)
    if why:
        return None, f"{path}: {why}"
    loaded = load_file(path, max_bytes=max_bytes or DEFAULT_MAX_BYTES)
    doc = loaded.document
    if doc is None:
        msg = loaded.issues[0] if loaded.issues else None
        where = f":{msg.line}:{msg.column}" if msg and msg.line else ""
        return None, f"{path}{where}: {msg.message if msg else 'cannot be read'}"
    if is_template(doc.data):
        return doc, None
    prepared = prepare_serverless(doc, path)
    if prepared is None:
        return None, f"{path}: not a CloudFormation or SAM template"
    if prepared.document is None:
        return None, f"{path}: {prepared.skipped}"
    return prepared.document, None


def _inside(real: str, root: str) -> bool:
    try:
        return os.path.commonpath([real, root]) == root
    except ValueError:  # different drives
        return False


def _is_dir(entry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _walk(top: str, out: list, skipped: list) -> None:
    """Iterative, depth-first, sorted: the order of ``os.walk`` (top-down), without its
    recursion (a RecursionError on a tree 1000 levels deep before Python 3.12)."""
    root = os.path.realpath(top)
    stack = [(top, 0)]
    while stack:
        folder, depth = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:  # unreadable folder: os.walk ignores it too
            continue
        subdirs = []
        for e in entries:
            try:
                link = e.is_symlink()
                is_dir = e.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if link and not is_dir and _is_dir(e):
                continue  # a symlinked folder: not followed
            if is_dir:
                if e.name == "cdk.out":   # a CDK cloud assembly: its stack templates
                    from .cdk import assembly_templates, is_assembly
                    if is_assembly(e.path):
                        out.extend((t, True) for t in assembly_templates(e.path))
                if e.name in SKIP_DIRS or e.name.startswith("."):
                    continue
                if depth + 1 > MAX_DEPTH:
                    skipped.append((e.path, f"folder nested more than {MAX_DEPTH} levels deep: "
                                            "not scanned"))
                    continue
                subdirs.append(e.path)
            elif e.name.lower().endswith(TEMPLATE_EXTENSIONS) or e.name.lower() in PROGRAM_NAMES:
                if link and not _inside(os.path.realpath(e.path), root):
                    skipped.append((e.path, OUTSIDE_FILE))
                    continue
                out.append((e.path, False))
        stack.extend((d, depth + 1) for d in reversed(subdirs))


def dedupe(found: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Each file once, however many arguments reach it (``slint check . s3.json``): the first
    path wins, and a file named explicitly stays explicit."""
    first: dict[str, int] = {}
    out: list[tuple[str, bool]] = []
    for path, explicit in found:
        key = os.path.realpath(path)
        if key in first:
            i = first[key]
            out[i] = (out[i][0], out[i][1] or explicit)
            continue
        first[key] = len(out)
        out.append((path, explicit))
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
    found, left_out = discover_report(paths)
    targets = [(path, explicit and not hook) for path, explicit in dedupe(found)]
    results = check_targets(targets, config, rules, jobs=jobs, cache=cache, progress=progress)
    results += [FileResult(path, "skipped", reason=why) for path, why in left_out]
    return finish(results, rules, config)


def exit_code(result: RunResult, config: Config) -> int:
    from .findings import Severity
    if result.checked == 0:
        return 2
    worst = max((Severity(f.severity).rank for f in result.findings), default=-1)
    return 1 if worst >= config.fail_on.rank else 0

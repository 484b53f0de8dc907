"""The layer order, read from the source: every module of ``linter/`` (installed as ``slint``)
and ``rules/`` (``slint.rules``) imports only modules of its own layer or of layers below it,
including imports inside functions, and no two modules import each other in a circle.
Also: no source file is over 700 lines.

Imports under ``if TYPE_CHECKING:`` are annotations only (never run) and are not counted.
"""

from __future__ import annotations

import ast
import fnmatch
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Lowest first. Each module is placed by the first pattern that matches its name; a module that
# matches none fails ``test_every_module_has_a_layer`` (place it here when you add it).
LAYERS: list[tuple[str, list[str]]] = [
    # pure data, the package's version, and safe file output (outio: imports no slint module):
    # imported by everything
    # (globset: path patterns for the config; imports no slint module either)
    # (_toml: tomllib, or tomli on Python 3.10)
    ("base", ["slint", "slint.findings", "slint.source", "slint.outio", "slint.globset",
              "slint._toml"]),
    ("loader", ["slint.loader"]),
    # (cdk: a CDK cloud assembly's manifest and construct paths; imports no slint module)
    ("model", ["slint.model", "slint.model.*", "slint.cdk"]),
    ("graph", ["slint.graph", "slint.graph.*"]),
    # the IAM action database and SAM policy data, loaded on first use; read by policy and views
    ("data", ["slint.iamdb", "slint.data", "slint.data.*"]),
    # the policy interpreter (every statement, whoever holds it)
    ("policy", ["slint.policy", "slint.policy.*", "slint.policy_*"]),
    ("views", ["slint.views", "slint.views.*"]),
    ("context", ["slint.context"]),
    ("rule", ["slint.rule"]),
    ("rules", ["slint.rules", "slint.rules.*"]),
    # what knows the rule registry without running anything: metadata for the CLI and docs,
    # the configuration (validates codes and rule options), the baseline file
    ("meta", ["slint.rules_meta", "slint.config", "slint.baseline"]),
    # the engine: results and their codec at the bottom, suppressions, the per-document check
    # (stacks and project: the other local files of a template's check, which hands them
    # ``check_document`` to check nested stacks with: no import back)
    ("engine", ["slint.results", "slint.codec", "slint.suppress", "slint.stacks",
                "slint.project", "slint.check"]),
    # the runner: discovery and the public entry points, the result cache, file reading and
    # worker processes
    ("runner", ["slint.engine", "slint.cache", "slint.parallel"]),
    # what turns a RunResult into output, and cfn-lint's findings merged into one (the bridge,
    # and the child process it runs cfn-lint in)
    ("output", ["slint.formatters", "slint.formatters.*", "slint.cfnlint_bridge",
                "slint.cfnlint_worker"]),
    # commands, the cfn-lint plugin (cfn-lint runs slint's rules through the engine) and the
    # language server (editors run the engine through it)
    ("commands", ["slint.commands", "slint.commands.*", "slint.checkcmd",
                  "slint.cfnlint_plugin", "slint.cfnlint_plugin.*", "slint.server",
                  "slint.server.*"]),
    ("cli", ["slint.cli", "slint._typer_fast", "slint.__main__"]),
]

def _modules() -> dict[str, Path]:
    out = {}
    for top, pkg in (("linter", "slint"), ("rules", "slint.rules")):
        for p in sorted((ROOT / top).rglob("*.py")):
            rel = p.relative_to(ROOT / top).with_suffix("")
            parts = [x for x in rel.parts if x != "__init__"]
            out[".".join([pkg, *parts])] = p
    return out


MODULES = _modules()


def layer_of(module: str) -> int | None:
    for rank, (_name, patterns) in enumerate(LAYERS):
        if any(fnmatch.fnmatchcase(module, pat) for pat in patterns):
            return rank
    return None


def _type_checking_only(node: ast.If) -> bool:
    t = node.test
    return (isinstance(t, ast.Name) and t.id == "TYPE_CHECKING") or \
        (isinstance(t, ast.Attribute) and t.attr == "TYPE_CHECKING")


def _walk(node):
    """``ast.walk`` that does not enter ``if TYPE_CHECKING:`` bodies."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _type_checking_only(child):
            for other in child.orelse:
                yield other
                yield from _walk(other)
            continue
        yield child
        yield from _walk(child)


def imports_of(module: str) -> set[str]:
    """The slint modules ``module`` imports, anywhere in its code."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    out = set()
    for node in _walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [f"{target}.{a.name}" if f"{target}.{a.name}" in MODULES else target
                     for a in node.names]
        else:
            continue
        for name in names:
            # the longest known module the name starts with (``import slint.views.iam``)
            while name and name not in MODULES:
                name = name.rpartition(".")[0]
            if name.startswith("slint") and name != module:
                out.add(name)
    return out


GRAPH = {m: imports_of(m) for m in MODULES}


def test_the_modules_are_found():
    assert {"slint.engine", "slint.check", "slint.results", "slint.codec", "slint.rules",
            "slint.rules.iam.wildcard_action", "slint.views.iam"} <= set(MODULES)
    assert "slint.results" in GRAPH["slint.check"] and "slint.loader" in GRAPH["slint.config"]


def test_every_module_has_a_layer():
    assert [m for m in MODULES if layer_of(m) is None] == []


def test_no_module_imports_a_higher_layer():
    bad = []
    for m, deps in sorted(GRAPH.items()):
        mine = layer_of(m)
        for d in sorted(deps):
            theirs = layer_of(d)
            if mine is not None and theirs is not None and theirs > mine:
                bad.append(f"{m} ({LAYERS[mine][0]}) imports {d} ({LAYERS[theirs][0]})")
    assert bad == []


def test_no_import_cycles():
    cycles = []
    state: dict[str, int] = {}    # 1: on the stack, 2: done
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for d in sorted(GRAPH[m]):
            if state.get(d) == 1:
                cycles.append(" -> ".join(stack[stack.index(d):] + [d]))
            elif d not in state:
                visit(d)
        stack.pop()
        state[m] = 2

    for m in sorted(GRAPH):
        if m not in state:
            visit(m)
    assert cycles == []


def test_the_checker_sees_what_it_must_refuse(tmp_path, monkeypatch):
    """The parser finds imports inside functions and relative ones, and skips TYPE_CHECKING."""
    fake = tmp_path / "mod.py"
    fake.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .cli import x\n"
                    "def f():\n    from .engine import run\n    import slint.views.iam\n")
    monkeypatch.setitem(MODULES, "slint.fake", fake)
    assert imports_of("slint.fake") == {"slint.engine", "slint.views.iam"}


def _lines(p: Path) -> int:
    return len(p.read_text(encoding="utf-8").splitlines())


FILES = sorted(str(p.relative_to(ROOT)) for p in MODULES.values())


@pytest.mark.parametrize("rel", FILES)   # binds everywhere: no file is exempt
def test_no_source_file_is_over_700_lines(rel):
    assert _lines(ROOT / rel) <= 700

"""Every rule's fixtures: flagged*.yaml/json mark each expected finding with `# expect: CODE` on its
line (JSON fixtures list them in a sibling `.expect` file as `CODE LINE` rows); clean* files have no
findings for that rule. A snapshot of the findings (rule, line, column, resource, message) sits
next to each flagged fixture; regenerate with SLINT_UPDATE_SNAPSHOTS=1."""

from __future__ import annotations

import json
import os

import pytest

from slint.rules import all_rules

from .conftest import FIXTURES
from .helpers import expected_marks, run_path

CASES = []
for rule in all_rules():
    d = FIXTURES / rule.code
    if d.is_dir():
        for f in sorted(d.iterdir()):
            if f.suffix in (".yaml", ".yml", ".json") and f.name.startswith(("flagged", "clean")) \
                    and not f.name.endswith(".snap.json"):
                CASES.append(pytest.param(rule.code, f, id=f"{rule.code}/{f.name}"))


def _marks(path) -> set[tuple[str, int]]:
    exp = path.with_suffix(path.suffix + ".expect")
    if exp.exists():
        rows = [line.split() for line in exp.read_text().splitlines() if line.strip()]
        return {(c, int(n)) for c, n in rows}
    return expected_marks(path.read_text(encoding="utf-8", errors="replace"))


@pytest.mark.parametrize("code,path", CASES)
def test_fixture(code, path):
    result = run_path(path, select=[code])
    got = {(f.rule, f.line) for f in result.findings if f.rule == code}
    want = {m for m in _marks(path) if m[0] == code}
    if path.name.startswith("clean"):
        assert not want, "clean fixtures carry no expect marks"
        assert got == set(), [f"{f.line}: {f.message}" for f in result.findings]
        return
    assert want, f"{path} has no `# expect: {code}` marks"
    assert got == want, "\n".join(f"{f.line}:{f.column} {f.rule} {f.message}" for f in result.findings)
    assert not [f for f in result.findings if f.rule == "INT001"]
    snap = path.with_suffix(path.suffix + ".snap.json")
    rows = [{"rule": f.rule, "line": f.line, "column": f.column, "end_line": f.end_line,
             "end_column": f.end_column, "resource": f.resource, "severity": f.severity,
             "message": f.message}
            for f in result.findings if f.rule == code]
    if os.environ.get("SLINT_UPDATE_SNAPSHOTS"):
        snap.write_text(json.dumps(rows, indent=1) + "\n")
    assert snap.exists(), f"no snapshot {snap.name}: run with SLINT_UPDATE_SNAPSHOTS=1 and review it"
    assert json.loads(snap.read_text()) == rows, f"snapshot {snap.name} differs"

"""The GitHub Action (action.yml): a composite action that installs this checkout, runs
`slint check` with its inputs and uploads SARIF; its check step run here as Actions runs it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import yaml

from .conftest import ROOT


def _action():
    return yaml.safe_load((ROOT / "action.yml").read_text())


def test_action_is_composite_and_uploads_sarif():
    a = _action()
    assert a["runs"]["using"] == "composite"
    assert set(a["inputs"]) >= {"paths", "format", "args"}
    uses = [s.get("uses", "") for s in a["runs"]["steps"]]
    assert uses[0].startswith("actions/setup-python@")
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    install = next(s for s in a["runs"]["steps"] if s.get("name") == "Install slint")
    assert '"$ACTION_PATH"' in install["run"]  # the action's own checkout, not a registry name
    for s in a["runs"]["steps"]:  # inputs reach scripts through env, never spliced into code
        assert "${{" not in s.get("run", "")


def test_check_step_runs_slint_with_the_inputs(tmp_path):
    step = next(s for s in _action()["runs"]["steps"] if s.get("id") == "check")
    (tmp_path / "infra").mkdir()
    shutil.copy(ROOT / "examples" / "app.yaml", tmp_path / "infra" / "app.yaml")
    out = tmp_path / "gh_output"
    bindir = tmp_path / "bin"
    bindir.mkdir()
    (bindir / "slint").write_text(f"#!/bin/sh\nexec {sys.executable} -m slint \"$@\"\n")
    (bindir / "slint").chmod(0o755)
    env = dict(os.environ, PATH=f"{bindir}{os.pathsep}{os.environ['PATH']}", GITHUB_OUTPUT=str(out),
               SLINT_PATHS="infra", SLINT_FORMAT="sarif", SLINT_ARGS="--select IAM --fail-on high",
               SLINT_SARIF="slint.sarif")
    r = subprocess.run(["bash", "-c", step["run"]], cwd=tmp_path, env=env, capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert out.read_text() == "exit-code=1\n"
    import json
    results = json.loads((tmp_path / "slint.sarif").read_text())["runs"][0]["results"]
    assert results and {x["ruleId"][:3] for x in results} == {"IAM"}

"""The pre-commit hook, run by the real `pre-commit` tool (`pre-commit try-repo`).

pre-commit installs the hook (`language: python`) from a local copy of this working tree into its
own virtualenv, so pip must reach the package index for slint's dependencies (a local mirror
works offline). When that is impossible the test is skipped, saying why.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
import yaml

from .conftest import ROOT

DUP = ("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Fn:\n    Type: AWS::Lambda::Function\n"
       "    Properties:\n      Handler: a\n      Handler: b\n")
CLEAN = "Transform: AWS::Serverless-2016-10-31\nResources:\n  T:\n    Type: AWS::SNS::Topic\n"
NETWORK_HINTS = ("No matching distribution", "Could not find a version", "NewConnectionError",
                 "Temporary failure in name resolution", "Network is unreachable",
                 "ConnectTimeoutError", "ProxyError", "Max retries exceeded")


def test_hook_manifest_is_conventional():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    (hook,) = hooks
    assert hook["id"] == "slint" and hook["language"] == "python"
    assert hook["types_or"] == ["yaml", "json"] and hook["files"]
    assert hook["entry"].split()[:2] == ["slint", "check"] and "--skip-non-templates" in hook["entry"]
    assert hook.get("pass_filenames", True) is True


def _git(*args, cwd):
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def _snapshot_of_working_tree(dest):
    """This working tree (tracked and untracked, not ignored) as a one-commit git repo."""
    ls = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT,
                        capture_output=True)
    if ls.returncode != 0:
        pytest.skip("the source tree is not a git checkout")
    for rel in filter(None, ls.stdout.decode().split("\0")):
        src = ROOT / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    _git("init", "-q", cwd=dest)
    _git("add", "-A", cwd=dest)
    _git("commit", "-qm", "snapshot", cwd=dest)


@pytest.mark.slow  # version-independent: .ci/run runs it on the default Python only
def test_pre_commit_try_repo(tmp_path):
    pytest.importorskip("pre_commit", reason="pre-commit is not installed (pip install pre-commit)")
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    src = tmp_path / "slint-src"
    src.mkdir()
    _snapshot_of_working_tree(src)

    repo = tmp_path / "project"
    repo.mkdir()
    (repo / "template.yaml").write_text(DUP)
    (repo / "sam.yaml").write_text(CLEAN)
    (repo / "ci.yml").write_text("on: push\njobs: {}\n")
    (repo / "chart.yaml").write_text("replicas: {{ .Values.replicas }}\nkey: [unclosed\n")
    (repo / "package.json").write_text('{"name": "x", "version": "1.0.0"}\n')
    (repo / "notes.txt").write_text("Resources: not yaml\n")
    _git("init", "-q", cwd=repo)
    _git("add", "-A", cwd=repo)

    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pc-home"),
           "PRE_COMMIT_NO_CONCURRENCY": "1", "NO_COLOR": "1",
           "PIP_NO_COMPILE": "1"}  # no .pyc for the hook env's packages: halves the install time
    env.pop("CI", None)

    def try_repo(*args):
        return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(src), "slint",
                               "--color", "never", "-v", *args], cwd=repo, env=env,
                              capture_output=True, text=True, timeout=600)

    r = try_repo("--all-files")
    out = r.stdout + r.stderr
    if "hook id: slint" not in out:
        log = tmp_path / "pc-home" / "pre-commit.log"
        detail = log.read_text(errors="replace") if log.exists() else out
        if any(h in detail for h in NETWORK_HINTS):
            pytest.skip("pre-commit could not install the hook's dependencies (no package index "
                        "reachable): " + next(h for h in NETWORK_HINTS if h in detail))
        pytest.fail("pre-commit did not run the hook:\n" + detail[-3000:])
    # one call with every yaml/json file: the template's finding, the rest skipped by content
    assert r.returncode == 1, out
    assert "hook id: slint" in out and "Failed" in out
    assert "template.yaml:7:7: SYN002 [medium] duplicate key 'Handler'" in out
    assert "1 finding in 2 templates, 3 files skipped (not templates)" in out
    assert "chart.yaml" not in out and "notes.txt" not in out
    # (each try-repo call builds a fresh hook environment, so the all-non-template case, exit 0,
    # is covered in test_cli.py with the hook's own command line)

"""The VS Code extension packages from a clean copy of editors/vscode with its one script."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT

SRC = ROOT / "editors" / "vscode"


@pytest.mark.skipif(shutil.which("npm") is None, reason="npm is not installed")
@pytest.mark.slow  # version-independent: .ci/run runs it on the default Python only
def test_vsix_packages_from_a_clean_checkout(tmp_path):
    work = tmp_path / "vscode"
    shutil.copytree(SRC, work, ignore=shutil.ignore_patterns("node_modules", "*.vsix"))
    p = subprocess.run(["bash", str(work / "package.sh")], capture_output=True, text=True,
                       timeout=600)
    if p.returncode != 0 and ("ENOTFOUND" in p.stderr or "EAI_AGAIN" in p.stderr
                              or "ECONNREFUSED" in p.stderr):
        pytest.skip("the npm registry cannot be reached: " + p.stderr.strip().splitlines()[-1])
    assert p.returncode == 0, p.stdout[-2000:] + p.stderr[-2000:]
    with zipfile.ZipFile(work / "slint-serverless.vsix") as z:
        names = set(z.namelist())
        manifest = z.read("extension/package.json").decode()
    assert "extension/extension.js" in names
    assert "extension/node_modules/vscode-languageclient/package.json" in names
    assert '"main": "./extension.js"' in manifest

"""`slint server` under a real editor: headless Neovim's built-in LSP client opens a template and
we read the diagnostics it received. Skipped (with the reason) where Neovim is not installed;
`.ci/run` installs it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

NVIM = shutil.which("nvim")
SCRIPT = Path(__file__).parent / "data" / "nvim_lsp.lua"


@pytest.mark.skipif(NVIM is None, reason="Neovim (nvim) is not installed; `apt-get install neovim`")
@pytest.mark.slow  # version-independent: .ci/run runs it on the default Python only
def test_neovim_receives_diagnostics(tmp_path):
    tpl = tmp_path / "template.yaml"
    tpl.write_text("Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n"
                   "    Type: AWS::Serverless::Function\n    Properties:\n"
                   "      Handler: a.h\n      Runtime: python3.12\n      CodeUri: .\n"
                   "      FunctionUrlConfig:\n        AuthType: NONE\n")
    out = tmp_path / "diags.json"
    env = {**os.environ, "SLINT_NVIM_OUT": str(out), "SLINT_NVIM_FILE": str(tpl),
           "SLINT_PYTHON": sys.executable, "SLINT_CACHE_DIR": str(tmp_path / "cache"),
           "XDG_STATE_HOME": str(tmp_path / "state"), "XDG_DATA_HOME": str(tmp_path / "data")}
    subprocess.run([NVIM, "--headless", "--clean", "-n", "-c", f"luafile {SCRIPT}"],
                   cwd=tmp_path, env=env, timeout=90, stdin=subprocess.DEVNULL,
                   capture_output=True)
    diags = json.loads(out.read_text())
    assert [(d["code"], d["lnum"], d["source"]) for d in diags] == [("API002", 9, "slint")]
    assert diags[0]["severity"] == 1  # vim.diagnostic.severity.ERROR

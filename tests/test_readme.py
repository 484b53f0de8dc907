"""The README's first run is real output of the example it names."""

from __future__ import annotations

import re
import subprocess
import sys

from .conftest import ROOT


def test_first_run_is_real_output():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("<!-- first-run:start -->"):readme.index("<!-- first-run:end -->")]
    m = re.search(r"```console\n\$ slint check (\S+)\n(.*?)```", section, re.S)
    assert m, "the first-run section shows a `slint check` console block"
    target, shown = m.group(1), m.group(2)
    proc = subprocess.run([sys.executable, "-m", "slint", "check", target, "--no-cache"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert proc.stdout.rstrip("\n") == shown.rstrip("\n")

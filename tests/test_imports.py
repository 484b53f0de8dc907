"""Import hygiene, by module sets (never timings): start-up imports nothing heavy.

- ``slint --help`` imports neither networkx, jsonschema, cfnlint nor pydantic;
- a plain ``slint check`` of a small template imports no cfnlint (nor samtranslator), no
  networkx (the resource graph does not need it) and no pydantic (typer's option conversion is
  bypassed for plain options); jsonschema only when a config file is there to validate.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("networkx", "jsonschema", "cfnlint", "samtranslator", "pydantic")

PROBE = """
import json, sys
sys.argv = ["slint", *json.loads(sys.argv[1])]
from slint.cli import main
code = 0
try:
    main()
except SystemExit as exc:
    code = exc.code
with open(__import__("os").environ["SLINT_PROBE_OUT"], "w") as fh:
    json.dump({"exit": code, "modules": sorted({m.split(".")[0] for m in sys.modules})}, fh)
"""

TEMPLATE = """AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      Policies:
        - Statement:
            - Effect: Allow
              Action: "*"
              Resource: "*"
      Events:
        Get:
          Type: Api
          Properties: {Path: /, Method: get}
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: my-bucket
"""


def _probe(args: list[str], cwd: Path) -> dict:
    out = cwd / "probe.json"
    env = {**os.environ, "SLINT_PROBE_OUT": str(out)}
    env.pop("SLINT_CACHE_DIR", None)
    r = subprocess.run([sys.executable, "-c", PROBE, json.dumps(args)], cwd=cwd, env=env,
                       capture_output=True, text=True, timeout=120)
    assert out.exists(), r.stderr
    return json.loads(out.read_text())


@pytest.fixture
def proj(tmp_path):
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    return tmp_path


def test_help_imports_nothing_heavy(proj):
    res = _probe(["--help"], proj)
    assert res["exit"] == 0
    assert not set(HEAVY) & set(res["modules"]), set(HEAVY) & set(res["modules"])


def test_plain_check_imports_nothing_heavy(proj):
    res = _probe(["check", "template.yaml", "--no-cache"], proj)
    assert res["exit"] == 1  # it did find things: the rules ran
    assert not set(HEAVY) & set(res["modules"]), set(HEAVY) & set(res["modules"])


def test_check_with_cache_and_json_imports_nothing_heavy(proj):
    args = ["check", ".", "--format", "json", "--cache-dir", str(proj / "cache")]
    for _ in range(2):  # cold, then warm
        res = _probe(args, proj)
        assert res["exit"] == 1
        assert not set(HEAVY) & set(res["modules"])


def test_jsonschema_only_with_a_config_file(proj):
    (proj / ".slint.toml").write_text('ignore = ["BKT001"]\n')
    res = _probe(["check", "template.yaml", "--no-cache"], proj)
    assert res["exit"] in (0, 1)
    assert not {"cfnlint", "networkx", "pydantic"} & set(res["modules"])


def test_plain_options_are_still_converted_and_validated(proj):
    """The pydantic-free conversion (slint._typer_fast) keeps typer's behaviour for slint's
    options: ints parsed, bad values a usage error, flags and repeated options as before."""
    def run(*args):
        return subprocess.run([sys.executable, "-m", "slint", *args], cwd=proj, capture_output=True,
                              text=True, timeout=120)
    bad = run("check", "template.yaml", "--jobs", "abc")
    assert bad.returncode == 2 and "not a valid integer" in bad.stderr
    ok = run("check", "template.yaml", "--jobs", "2", "--no-progress", "--no-cache",
             "--select", "IAM", "--select", "S3P,BKT", "--format", "json")
    assert ok.returncode == 1, ok.stderr
    rules = {f["rule"][:3] for f in json.loads(ok.stdout)["findings"]}
    assert rules and rules <= {"IAM", "S3P", "BKT"}
    assert run("check", "template.yaml", "--progress=maybe").returncode == 2
    from slint._typer_fast import install
    assert install() in (True, False)  # idempotent: a second install is refused, not stacked


FULL_PROBE = PROBE.replace('sorted({m.split(".")[0] for m in sys.modules})', 'sorted(sys.modules)')


def test_one_selected_rule_imports_only_what_it_reads(proj):
    """``--select IAM001`` imports that rule's module and the IAM view it reads: no other rule
    module, and neither the API routes view nor the S3 views (the registry knows every rule
    without importing it)."""
    out = proj / "probe.json"
    env = {**os.environ, "SLINT_PROBE_OUT": str(out)}
    r = subprocess.run([sys.executable, "-c", FULL_PROBE,
                        json.dumps(["check", "template.yaml", "--no-cache", "--select", "IAM001"])],
                       cwd=proj, env=env, capture_output=True, text=True, timeout=120)
    res = json.loads(out.read_text()) if out.exists() else {}
    assert res.get("exit") == 1, r.stderr          # IAM001 found the `Action: "*"`
    mods = set(res["modules"])
    assert "slint.rules.iam.wildcard_action" in mods and "slint.views.iam" in mods
    assert not {"slint.views.api", "slint.views.s3", "slint.views.bucket_names"} & mods
    rule_modules = {m for m in mods if m.startswith("slint.rules.") and m.count(".") == 3
                    and not m.rpartition(".")[2].startswith("_")}
    assert rule_modules == {"slint.rules.iam.wildcard_action"}


def test_tomllib_is_imported_only_through_the_python_3_10_shim():
    """``tomllib`` is stdlib from 3.11 only; on 3.10 ``linter/_toml.py`` falls back to ``tomli``.
    A direct ``import tomllib`` elsewhere breaks samconfig.toml / config reading on 3.10 (it did
    once, in ``model/parameters.py``, and only the 3.10 CI run saw it)."""
    import re
    root = Path(__file__).resolve().parent.parent / "linter"
    direct = re.compile(r"^\s*(import tomllib|from tomllib )", re.M)
    offenders = [str(p.relative_to(root)) for p in root.rglob("*.py")
                 if p.name != "_toml.py" and direct.search(p.read_text(encoding="utf-8"))]
    assert offenders == []

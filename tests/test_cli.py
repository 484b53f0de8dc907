"""`slint check` as a user runs it: a subprocess, exit codes, formats, files."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import jsonschema
import pytest

from .conftest import ROOT

DUP = ("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Fn:\n    Type: AWS::Lambda::Function\n"
       "    Properties:\n      Handler: a\n      Handler: b\n")
CLEAN = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  T:\n    Type: AWS::SNS::Topic\n"


def slint(*args, cwd):
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "CI")}
    return subprocess.run([sys.executable, "-m", "slint", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=60)


@pytest.fixture
def proj(tmp_path):
    (tmp_path / "stacks").mkdir()
    (tmp_path / "stacks" / "dup.yaml").write_text(DUP)
    (tmp_path / "stacks" / "clean.yaml").write_text(CLEAN)
    (tmp_path / "ci.yml").write_text("on: push\njobs: {}\n")
    return tmp_path


def test_exit_codes(proj):
    r = slint("check", "stacks/clean.yaml", cwd=proj)
    assert r.returncode == 0 and r.stdout == "0 findings in 1 template\n" and r.stderr == ""
    r = slint("check", "stacks", cwd=proj)
    assert r.returncode == 1
    assert r.stdout.startswith("stacks/dup.yaml:7:7: SYN002 [medium] duplicate key 'Handler'")
    r = slint("check", "stacks", "--fail-on", "high", cwd=proj)
    assert r.returncode == 0
    r = slint("check", "nope.yaml", cwd=proj)
    assert r.returncode == 2 and "no such file" in r.stderr
    r = slint("check", "ci.yml", cwd=proj)  # nothing checkable
    assert r.returncode == 2
    r = slint("check", "--skip-non-templates", "ci.yml", cwd=proj)
    assert r.returncode == 0


def test_unknown_code_did_you_mean(proj):
    r = slint("check", "stacks", "--select", "SYN02", cwd=proj)
    assert r.returncode == 2 and "unknown rule code 'SYN02'" in r.stderr and "did you mean" in r.stderr
    r = slint("check", "stacks", "--format", "yaml", cwd=proj)
    assert r.returncode == 2 and "unknown format" in r.stderr


def test_json_output_validates_and_output_file(proj):
    schema = json.loads((ROOT / "linter" / "schemas" / "output.schema.json").read_text())
    r = slint("check", ".", "--format", "json", cwd=proj)
    assert r.returncode == 1
    doc = json.loads(r.stdout)
    jsonschema.Draft202012Validator(schema).validate(doc)
    assert doc["summary"]["files_checked"] == 2 and doc["summary"]["files_skipped"] == 1
    r = slint("check", ".", "--format", "json", "--output", "report.json", cwd=proj)
    assert r.returncode == 1 and r.stdout == ""
    assert json.loads((proj / "report.json").read_text()) == doc


def test_sarif_junit_github_from_the_command_line(proj):
    sarif_schema = json.loads((ROOT / "linter" / "schemas" / "sarif-2.1.0.json").read_text())
    r = slint("check", "stacks", "-f", "sarif", cwd=proj)
    jsonschema.Draft4Validator(sarif_schema).validate(json.loads(r.stdout))
    r = slint("check", "stacks", "-f", "junit", cwd=proj)
    assert r.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites')
    r = slint("check", "stacks", "-f", "github", cwd=proj)
    assert r.stdout.startswith("::warning file=stacks/dup.yaml,line=7,col=7,")


def test_config_error_is_exit_2(proj):
    (proj / ".slint.toml").write_text("fail_on = 'high'\n")
    r = slint("check", "stacks", cwd=proj)
    assert r.returncode == 2 and "did you mean 'fail-on'" in r.stderr
    r = slint("check", "stacks", "--no-config", cwd=proj)
    assert r.returncode == 1


def test_progress_bar_only_when_asked_or_on_a_tty(proj):
    r = slint("check", "stacks", "--progress", cwd=proj)
    assert "] 2/2 " in r.stderr and r.stderr.endswith("\x1b[K")  # the bar is erased at the end
    r = slint("check", "stacks", cwd=proj)  # stderr is a pipe here: no bar
    assert r.stderr == ""


def test_baseline_round_trip(proj):
    r = slint("check", "stacks", "--write-baseline", "baseline.json", cwd=proj)
    assert r.returncode == 0 and "recorded 1 finding" in r.stderr
    r = slint("check", "stacks", "--baseline", "baseline.json", cwd=proj)
    assert r.returncode == 0 and r.stdout.startswith("0 findings")


def test_plain_check_imports_no_jsonschema_without_a_config(proj):
    code = ("import sys\nfrom slint.checkcmd import CheckOptions, run_check\n"
            "rc = run_check(CheckOptions(paths=['stacks']))\n"
            "print('JSONSCHEMA' if 'jsonschema' in sys.modules else 'clean', file=sys.stderr)\n")
    r = subprocess.run([sys.executable, "-c", code], cwd=proj, capture_output=True, text=True,
                       timeout=60)
    assert r.stderr.strip().endswith("clean")


def test_progress_bar_frames():
    import io
    from slint.checkcmd import Progress
    s = io.StringIO()
    bar = Progress(stream=s, width=60)
    bar(1, 4, "a/very/long/path/to/some/deeply/nested/template-file-name.yaml")
    bar(4, 4, "b.yaml")
    bar.close()
    frames = s.getvalue().split("\r")[1:]
    assert frames[0].startswith("[###------------] 1/4 ...") and frames[0].endswith("\x1b[K")
    assert len(frames[0]) - len("\x1b[K") <= 60
    assert frames[1] == "[###############] 4/4 b.yaml\x1b[K"
    assert frames[2] == "\x1b[K"  # erased at the end

"""Command-line conventions a new user expects: standard input, --exit-zero, --statistics,
--color, -q, -h, overlapping and missing paths, github paths, fixes and suppressed findings."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from slint.checkcmd import want_color

DUP = ("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Fn:\n    Type: AWS::Lambda::Function\n"
       "    Properties:\n      Handler: a\n      Handler: b\n")
CLEAN = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  T:\n    Type: AWS::SNS::Topic\n"
NAMED = ("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  B:\n    Type: AWS::S3::Bucket\n"
         "    Properties:\n      BucketName: acme-data\n")


def slint(*args, cwd, stdin=None, env=None):
    base = {k: v for k, v in os.environ.items()
            if k not in ("NO_COLOR", "CI", "FORCE_COLOR", "TERM")}
    base.update(env or {})
    return subprocess.run([sys.executable, "-m", "slint", *args], cwd=cwd, env=base, input=stdin,
                          capture_output=True, text=True, timeout=60)


@pytest.fixture
def proj(tmp_path):
    (tmp_path / "stacks").mkdir()
    (tmp_path / "stacks" / "dup.yaml").write_text(DUP)
    (tmp_path / "stacks" / "clean.yaml").write_text(CLEAN)
    (tmp_path / "s3.yaml").write_text(NAMED)
    return tmp_path


def test_stdin_with_stdin_filename(proj):
    r = slint("check", "-", cwd=proj, stdin=DUP)
    assert r.returncode == 1
    assert r.stdout.startswith("-:7:7: SYN002 [medium] duplicate key 'Handler'")
    r = slint("check", "-", "--stdin-filename", "stacks/fn.yaml", cwd=proj, stdin=DUP)
    assert r.stdout.startswith("stacks/fn.yaml:7:7: SYN002")
    # the config next to the named file applies, with its per-file ignores
    (proj / "stacks" / ".slint.toml").write_text('[per-file-ignores]\n"fn.yaml" = ["SYN002"]\n')
    r = slint("check", "-", "--stdin-filename", "stacks/fn.yaml", cwd=proj, stdin=DUP)
    assert r.returncode == 0 and r.stdout == "0 findings in 1 template\n", r.stderr
    r = slint("check", "-", "--stdin-filename", "other.yaml", cwd=proj, stdin=DUP)
    assert r.returncode == 1
    r = slint("check", "stacks/clean.yaml", "--stdin-filename", "x.yaml", cwd=proj)
    assert r.returncode == 2 and "needs '-'" in r.stderr


def test_exit_zero_quiet_statistics(proj):
    r = slint("check", "stacks", "s3.yaml", "--exit-zero", cwd=proj)
    assert r.returncode == 0 and "SYN002" in r.stdout
    r = slint("check", "stacks", "-q", cwd=proj)
    assert r.returncode == 1
    assert r.stdout.startswith("stacks/dup.yaml:7:7: SYN002 [medium] duplicate key 'Handler'")
    assert len(r.stdout.splitlines()) == 1 and "finding" not in r.stdout  # no summary
    r = slint("check", "stacks", "s3.yaml", "--statistics", "-q", cwd=proj)
    lines = r.stdout.splitlines()
    assert lines[-2:] == ["    1  BKT001   [medium] hardcoded-bucket-name",
                          "    1  SYN002   [medium] duplicate-key"]
    r = slint("check", "stacks", "--statistics", "-f", "json", cwd=proj)
    assert json.loads(r.stdout)["summary"]["findings"] == 1
    assert r.stderr == "    1  SYN002   [medium] duplicate-key\n"
    r = slint("check", "nope.yaml", "--exit-zero", cwd=proj)
    assert r.returncode == 2


def test_help_short_option_everywhere(proj):
    for args in ([], ["check"], ["routes"], ["graph"], ["rules"], ["explain"]):
        r = slint(*args, "-h", cwd=proj)
        assert r.returncode == 0 and r.stdout.startswith("Usage: "), args


def test_color_choice_and_environment():
    assert want_color("always", {"NO_COLOR": "1"}) is True
    assert want_color("never", {"FORCE_COLOR": "1"}, isatty=True) is False
    assert want_color("auto", {}, isatty=True) is True
    assert want_color("auto", {}, isatty=False) is False
    assert want_color("auto", {"NO_COLOR": "1"}, isatty=True) is False
    assert want_color("auto", {"NO_COLOR": ""}, isatty=True) is True  # empty: no effect
    assert want_color("auto", {"FORCE_COLOR": "1"}, isatty=False) is True
    assert want_color("auto", {"FORCE_COLOR": "0"}, isatty=True) is True  # 0: not forced
    assert want_color("auto", {"TERM": "dumb"}, isatty=True) is False


def test_color_from_the_command_line(proj):
    r = slint("check", "stacks", "--color", "always", cwd=proj)
    assert "\x1b[1mSYN002\x1b[0m" in r.stdout
    r = slint("check", "stacks", cwd=proj, env={"FORCE_COLOR": "1"})
    assert "\x1b[" in r.stdout
    r = slint("check", "stacks", cwd=proj, env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert "\x1b[" not in r.stdout
    r = slint("check", "stacks", cwd=proj)  # not a terminal
    assert "\x1b[" not in r.stdout
    r = slint("check", "stacks", "--color", "sometimes", cwd=proj)
    assert r.returncode == 2 and "--color" in r.stderr


def test_overlapping_paths_check_each_file_once(proj):
    (proj / "b.yaml").write_text(NAMED.replace("  B:", "  Other:"))
    r = slint("check", ".", "s3.yaml", "./s3.yaml", str(proj / "s3.yaml"), "-f", "json", cwd=proj)
    doc = json.loads(r.stdout)
    assert doc["summary"]["files_checked"] == 4
    files = [f["file"] for f in doc["files"]]
    assert len(files) == len(set(os.path.realpath(proj / f) for f in files))
    bkt3 = [f for f in doc["findings"] if f["rule"] == "BKT003"]
    # the two buckets collide with each other, never a template with itself
    assert sorted(f["resource"] for f in bkt3) == ["B", "Other"]
    assert sorted(f["file"] for f in bkt3) == ["./b.yaml", "./s3.yaml"]


def test_missing_path_reported_others_still_checked(proj):
    r = slint("check", "nope.yaml", "stacks", "gone/", cwd=proj)
    assert r.returncode == 2
    assert r.stderr == ("error: no such file or directory: nope.yaml\n"
                        "error: no such file or directory: gone/\n")
    assert "stacks/dup.yaml:7:7: SYN002" in r.stdout


def test_github_paths_have_no_dot_slash(proj):
    r = slint("check", ".", "-f", "github", cwd=proj)
    assert "file=stacks/dup.yaml," in r.stdout and "file=./" not in r.stdout
    r = slint("check", str(proj / "stacks"), "-f", "github", cwd=proj)
    assert "file=stacks/dup.yaml," in r.stdout


SUPPRESSED = NAMED.replace("BucketName: acme-data",
                           "BucketName: acme-data  # slint: ignore[BKT001] one account only")


def test_suppressed_findings_shown_where_users_look(proj):
    from .conftest import ROOT
    (proj / "s3.yaml").write_text(SUPPRESSED)
    r = slint("check", "s3.yaml", cwd=proj)
    assert r.returncode == 0 and r.stdout == "0 findings in 1 template\n"
    r = slint("check", "s3.yaml", "--show-suppressed", cwd=proj)
    assert r.returncode == 0
    first, _, summary = r.stdout.splitlines()
    assert first.startswith("s3.yaml:6:19: BKT001 [medium] `B` is named `acme-data`")
    assert first.endswith("(B) [suppressed: one account only]")
    assert summary == "0 findings in 1 template"
    r = slint("check", "s3.yaml", "-f", "json", cwd=proj)
    doc = json.loads(r.stdout)
    schema = json.loads((ROOT / "linter" / "schemas" / "output.schema.json").read_text())
    import jsonschema
    jsonschema.Draft202012Validator(schema).validate(doc)
    assert doc["findings"] == [] and doc["summary"]["findings"] == 0
    (s,) = doc["suppressed"]
    assert (s["rule"], s["suppression"]) == ("BKT001", {"reason": "one account only",
                                                       "scope": "line"})
    r = slint("check", "s3.yaml", "-f", "sarif", cwd=proj)
    (res,) = json.loads(r.stdout)["runs"][0]["results"]
    assert res["ruleId"] == "BKT001"
    assert res["suppressions"] == [{"kind": "inSource", "status": "accepted",
                                    "justification": "one account only"}]
    sarif_schema = json.loads((ROOT / "linter" / "schemas" / "sarif-2.1.0.json").read_text())
    jsonschema.Draft4Validator(sarif_schema).validate(json.loads(r.stdout))


def test_json_url_and_text_fixes(proj):
    r = slint("check", "s3.yaml", "-f", "json", cwd=proj)
    (f,) = json.loads(r.stdout)["findings"]
    assert f["url"].endswith("/docs/rules/BKT001.md") and f["url"].startswith("https://")
    r = slint("check", "s3.yaml", "--show-fixes", cwd=proj)
    lines = r.stdout.splitlines()
    assert lines[0].startswith("s3.yaml:6:19: BKT001")
    assert lines[1].startswith("    fix: Remove `BucketName`")

"""Baselines: record today's findings, then report only new ones, whatever moved."""

from __future__ import annotations

import json

import pytest

from slint.baseline import BaselineError, build, filter_new, read
from slint.checkcmd import CheckOptions, run_check

TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Handler: a
      Handler: b
"""


def _check(capsys, *paths, **kw):
    rc = run_check(CheckOptions(paths=[str(p) for p in paths], format="json", no_config=True, **kw))
    out = capsys.readouterr()
    return rc, (json.loads(out.out) if out.out else None), out.err


def test_write_then_only_new_findings(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    t = tmp_path / "stacks" / "t.yaml"
    t.parent.mkdir()
    t.write_text(TEMPLATE)
    base = tmp_path / "slint-baseline.json"
    rc, _, err = _check(capsys, "stacks", write_baseline=str(base))
    assert rc == 0 and "recorded 1 finding in" in err
    doc = json.loads(base.read_text())
    assert doc == {"version": 2, "tool": "slint", "findings": [
        {"file": "stacks/t.yaml", "rule": "SYN002", "resource": "Fn",
         "path": "Resources/Fn/Properties/Handler", "count": 1}]}

    rc, out, err = _check(capsys, "stacks", baseline=str(base))
    assert rc == 0 and out["findings"] == [] and "1 known finding hidden" in err
    assert out["files"][0]["findings"] == 0

    # lines move (a comment and a description above): still known
    t.write_text(TEMPLATE.replace("Resources:\n", "# moved\nDescription: x\nResources:\n"))
    rc, out, _ = _check(capsys, "stacks", baseline=str(base))
    assert rc == 0 and out["findings"] == []

    # a new duplicate elsewhere is new
    t.write_text(TEMPLATE + "      Runtime: a\n      Runtime: b\n")
    rc, out, _ = _check(capsys, "stacks", baseline=str(base))
    assert rc == 1 and [f["path"][-1] for f in out["findings"]] == ["Runtime"]


def test_paths_are_relative_to_the_baseline_not_cwd(tmp_path, capsys, monkeypatch):
    t = tmp_path / "t.yaml"
    t.write_text(TEMPLATE)
    base = tmp_path / "b.json"
    monkeypatch.chdir(tmp_path)
    _check(capsys, "t.yaml", write_baseline=str(base))
    sub = tmp_path / "sub"
    sub.mkdir()
    monkeypatch.chdir(sub)
    rc, out, _ = _check(capsys, "../t.yaml", baseline="../b.json")
    assert rc == 0 and out["findings"] == []
    rc, out, _ = _check(capsys, str(t), baseline=str(base))
    assert rc == 0


def test_counts(tmp_path):
    from slint.findings import Finding

    def f(line):
        return Finding(rule="SYN002", name="duplicate-key", category="SYNTAX", severity="medium",
                       message="m", file=str(tmp_path / "t.yaml"), line=line, column=1, end_line=line,
                       end_column=2, resource="Fn", path=["Resources", "Fn"])
    base = tmp_path / "b.json"
    base.write_text(json.dumps(build([f(1), f(2)], str(base))))
    assert read(str(base)) == {("t.yaml", "SYN002", "Fn", "Resources/Fn", ""): 2}
    new, known = filter_new([f(5), f(6), f(7)], str(base))
    assert known == 2 and [x.line for x in new] == [7]


def test_bad_baselines(tmp_path, capsys):
    t = tmp_path / "t.yaml"
    t.write_text(TEMPLATE)
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    with pytest.raises(BaselineError):
        read(str(bad))
    rc, _, err = _check(capsys, t, baseline=str(bad))
    assert rc == 2 and "not a slint baseline" in err
    rc, _, err = _check(capsys, t, baseline=str(tmp_path / "missing.json"))
    assert rc == 2 and "baseline file not found" in err
    rc, _, err = _check(capsys, t, baseline=str(bad), write_baseline=str(bad))
    assert rc == 2
    rc, _, err = _check(capsys, t, write_baseline=str(tmp_path / "no" / "such" / "dir.json"))
    assert rc == 2 and "cannot write" in err


def test_baseline_output_is_deterministic(tmp_path, capsys):
    t = tmp_path / "t.yaml"
    t.write_text(TEMPLATE + "      Runtime: a\n      Runtime: b\n")
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    _check(capsys, t, write_baseline=str(a))
    _check(capsys, t, write_baseline=str(b))
    assert a.read_text() == b.read_text()
    rows = json.loads(a.read_text())["findings"]
    assert rows == sorted(rows, key=lambda r: (r["file"], r["rule"], r["resource"] or "", r["path"]))


def _entry(**kw):
    e = {"file": "t.yaml", "rule": "SYN002", "resource": None,
         "path": "Resources/Fn/Properties/Handler", "count": 1}
    e.update(kw)
    return e


@pytest.mark.parametrize("text, why", [
    # count 1e400 is float infinity: int() raised OverflowError
    (json.dumps({"version": 1, "findings": [_entry()]}).replace('"count": 1', '"count": 1e400'),
     "'count' must be a positive integer"),
    (json.dumps({"version": 1, "findings": [_entry(count=2.5)]}), "'count' must be a positive integer"),
    (json.dumps({"version": 1, "findings": [_entry(count=True)]}), "'count' must be a positive integer"),
    (json.dumps({"version": 1, "findings": [_entry(count=0)]}), "'count' must be a positive integer"),
    (json.dumps({"version": 1, "findings": [_entry(file=["t.yaml"])]}), "'file' must be a string"),
    (json.dumps({"version": 1, "findings": [_entry(resource={"a": 1})]}),
     "'resource' must be a string or null"),
    (json.dumps({"version": 1, "findings": [_entry(extra=1)]}), "unknown key 'extra'"),
    (json.dumps({"version": 1, "findings": ["t.yaml"]}), "an entry must be an object"),
    (json.dumps({"version": True, "findings": []}), "not a slint baseline"),
    # nested 100 000 deep: the json decoder raised RecursionError
    ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ('{"version": 1, "findings": [' + "[" * 100_000 + "]" * 100_000 + "]}", "nested too deeply"),
])
def test_hostile_baselines_are_clear_errors(tmp_path, capsys, text, why):
    t = tmp_path / "t.yaml"
    t.write_text(TEMPLATE)
    bad = tmp_path / "bad.json"
    bad.write_text(text)
    with pytest.raises(BaselineError, match=why):
        read(str(bad))
    rc, out, err = _check(capsys, t, baseline=str(bad))
    assert rc == 2 and out is None and why in err and "Traceback" not in err
    assert len(err) < 500  # a huge malformed entry is cut short


def test_strict_baseline_still_reads_what_write_wrote(tmp_path):
    base = tmp_path / "b.json"
    base.write_text(json.dumps({"version": 1, "tool": "slint", "findings": [
        _entry(count=3), _entry(resource="Fn", path="p")]}))
    assert read(str(base)) == {("t.yaml", "SYN002", "", "Resources/Fn/Properties/Handler"): 3,
                               ("t.yaml", "SYN002", "Fn", "p"): 1}


WILD = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: a.h
      Runtime: python3.12
      CodeUri: .
      Policies:
        - Statement:
            - Effect: Allow
              Action: ACTION
              Resource: "*"
"""


def test_a_reshaped_list_keeps_old_findings_known(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    t = tmp_path / "t.yaml"
    t.write_text(WILD.replace("ACTION", '"s3:*"'))
    base = tmp_path / "b.json"
    rc, _, _ = _check(capsys, "t.yaml", write_baseline=str(base), select=["IAM001"])
    entries = json.loads(base.read_text())["findings"]
    assert [(e["rule"], e["path"], e.get("subject")) for e in entries] == [
        ("IAM001", "Resources/Fn/Properties/Policies/Statement/Action", "s3:*")]
    # the scalar becomes a list, and a statement is inserted above: only sqs:* is new
    t.write_text(WILD.replace("ACTION", '["s3:*", "sqs:*"]').replace(
        "        - Statement:\n", "        - Statement:\n            - Effect: Allow\n"
        "              Action: logs:PutLogEvents\n              Resource: \"*\"\n"))
    rc, out, err = _check(capsys, "t.yaml", baseline=str(base), select=["IAM001"])
    assert rc == 1 and "1 known finding hidden" in err
    assert [(f["rule"], f["path"][-3:]) for f in out["findings"]] == [
        ("IAM001", [1, "Action", 1])]
    assert "`sqs:*`" in out["findings"][0]["message"]


def test_version_1_baselines_are_still_read(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t.yaml").write_text(WILD.replace("ACTION", '"s3:*"'))
    base = tmp_path / "b.json"
    base.write_text(json.dumps({"version": 1, "tool": "slint", "findings": [
        {"file": "t.yaml", "rule": "IAM001", "resource": "Fn", "count": 1,
         "path": "Resources/Fn/Properties/Policies/0/Statement/0/Action"}]}))
    rc, out, err = _check(capsys, "t.yaml", baseline=str(base), select=["IAM001"])
    assert rc == 0 and out["findings"] == [] and "1 known finding hidden" in err

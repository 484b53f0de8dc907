"""Hostile names in every output: no forged report line, no raw control character, well-formed
XML, JSON that round-trips, and a report whatever the locale (items 3, 5, 8 of the hardening
issue)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from slint.formatters.escape import json_text, uri_bytes, visible

EVIL_ID = "Fn\n::error file=x::boom\x1b[31m\x07\u202e\x85\u2028\ud800"
EVIL_FILE = "evil\nfake.yaml:1:1: IAM001 [critical] forged\x1b.json"
FORMATS = ("text", "json", "sarif", "junit", "github")
# C0 (but \n), DEL, C1, separators, bidi controls, surrogates
RAW = [chr(c) for c in [*range(0, 10), *range(11, 32), *range(0x7f, 0xa0), 0x2028, 0x2029,
                         *range(0x202a, 0x202f), *range(0x2066, 0x206a)]]


def template(rid: str) -> str:
    return json.dumps({"AWSTemplateFormatVersion": "2010-09-09", "Resources": {rid: {
        "Type": "AWS::IAM::Role", "Properties": {
            "AssumeRolePolicyDocument": {"Statement": [{
                "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole"}]},
            "Policies": [{"PolicyName": "p\ud800", "PolicyDocument": {"Statement": [{
                "Effect": "Allow", "Action": "*", "Resource": "*"}]}}]}}}})


def slint(*args, cwd, **env):
    e = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "CI")}
    e.update(env)
    return subprocess.run([sys.executable, "-m", "slint", *args, "--no-cache"], cwd=cwd, env=e,
                          capture_output=True, timeout=60)


@pytest.fixture
def evil(tmp_path):
    (tmp_path / EVIL_FILE).write_text(template(EVIL_ID))  # json.dumps wrote "\ud800" as an escape
    return tmp_path


def _no_raw_controls(text: str) -> None:
    bad = sorted({hex(ord(c)) for c in text if c in RAW or 0xD800 <= ord(c) <= 0xDFFF})
    assert not bad, f"raw control characters in output: {bad}"


@pytest.mark.parametrize("fmt", FORMATS)
def test_hostile_names_in_every_format(evil, fmt):
    r = slint("check", ".", "-f", fmt, cwd=evil, PYTHONIOENCODING="utf-8:strict")
    assert r.returncode == 1, r.stderr
    assert b"Traceback" not in r.stderr
    out = r.stdout.decode("utf-8")  # strict: valid UTF-8
    _no_raw_controls(out.replace("\n", ""))
    lines = out.splitlines()
    # no forged line: nothing starts a workflow command or a finding but the real ones
    assert not any(line.startswith(("::error file=x", "fake.yaml", "::", "forged"))
                   for line in lines if not line.startswith(("::error file=./evil",
                                                             "::error file=evil")))
    if fmt == "text":
        assert len(lines) == 3 and lines[0].startswith("./evil\\nfake.yaml:1:1: IAM001 [critical] "
                                                       "forged\\x1b.json:1:1: IAM001 [high]")
        assert "Fn\\n::error file=x::boom\\x1b[31m\\x07\\u202e\\x85\\u2028\\ud800" in lines[0]
    elif fmt in ("json", "sarif"):
        doc = json.loads(out)
        text = json.dumps(doc)
        assert "IAM001" in text
        if fmt == "json":
            f = doc["findings"][0]
            # lossless for everything but the surrogate, which is shown as visible text
            assert f["resource"] == EVIL_ID[:-1] + "\\ud800"
            assert f["file"] == "./" + EVIL_FILE
    elif fmt == "junit":
        root = ET.fromstring(r.stdout)  # well-formed XML 1.0
        case = root.find("testsuite/testcase")
        assert "Fn\\n::error" in case.get("name") and "\\x1b" in case.get("name")
    else:  # github: one command per finding, then the summary
        assert len(lines) == 2 and lines[0].startswith("::error file=evil%0Afake.yaml%3A1%3A1")  # github: no ./
        assert "Fn%0A::error file=x::boom\\x1b[31m\\x07" in lines[0]


def test_one_unencodable_file_does_not_kill_the_report(evil):
    (evil / "clean.yaml").write_text("Resources:\n  T:\n    Type: AWS::SNS::Topic\n")
    for fmt in FORMATS:
        r = slint("check", ".", "-f", fmt, "-o", "out.txt", cwd=evil,
                  PYTHONIOENCODING="utf-8:strict")
        assert r.returncode == 1 and r.stderr == b"", (fmt, r.stderr)
        (evil / "out.txt").read_bytes().decode("utf-8")
        os.unlink(evil / "out.txt")


@pytest.mark.skipif(sys.platform != "linux", reason="bytes file names")
@pytest.mark.parametrize("fmt", FORMATS)
def test_non_utf8_file_name(tmp_path, fmt):
    name = os.fsencode(str(tmp_path)) + b"/bad\xff.yaml"
    with open(name, "w") as fh:
        fh.write(template("Fn"))
    r = slint("check", ".", "-f", fmt, cwd=tmp_path, PYTHONIOENCODING="utf-8:strict",
              LC_ALL="C.UTF-8")
    assert r.returncode == 1 and b"Traceback" not in r.stderr, r.stderr
    out = r.stdout.decode("utf-8")
    if fmt == "sarif":
        uris = {loc["physicalLocation"]["artifactLocation"]["uri"]
                for res in json.loads(out)["runs"][0]["results"] for loc in res["locations"]}
        assert uris == {"bad%FF.yaml"}
    else:
        assert "bad\\udcff.yaml" in out or "bad\\\\udcff.yaml" in out


def test_escape_helpers():
    assert visible("a\nb\x1b\x07\x7f\x9b\u202e\ud800") == "a\\nb\\x1b\\x07\\x7f\\x9b\\u202e\\ud800"
    assert visible("plain ünïcode ✓") == "plain ünïcode ✓"
    assert visible("a\nb", keep="\n") == "a\nb"
    dumped = json.dumps({"k\u2028": "\x9b\u202e\ud800"}, ensure_ascii=False)
    assert json.loads(json_text(dumped)) == {"k\u2028": "\x9b\u202e\\ud800"}
    assert uri_bytes(os.fsdecode(b"a\xff")) == b"a\xff"
    assert uri_bytes("a\ud800") == b"a\\ud800"


def test_routes_and_graph_escape_labels(tmp_path):
    evil_fn = "Fn\x1b[2J\u202e"
    t = {"Transform": "AWS::Serverless-2016-10-31", "Resources": {evil_fn: {
        "Type": "AWS::Serverless::Function", "Properties": {
            "Handler": "a.h", "Runtime": "python3.12", "CodeUri": ".",
            "Events": {"E": {"Type": "Api", "Properties": {"Path": "/x\n::error file=y::z",
                                                           "Method": "get"}}}}}}}
    (tmp_path / "t.json").write_text(json.dumps(t))
    for args in (("routes", "t.json"), ("routes", "t.json", "-f", "json"),
                 ("graph", "t.json"), ("graph", "t.json", "-f", "dot")):
        e = {k: v for k, v in os.environ.items()}
        r = subprocess.run([sys.executable, "-m", "slint", *args], cwd=tmp_path, env=e,
                           capture_output=True, timeout=60)
        assert r.returncode == 0, (args, r.stderr)
        out = r.stdout.decode("utf-8")
        _no_raw_controls(out.replace("\n", ""))
        assert not any(line.startswith("::") for line in out.splitlines()), args
        assert "Fn" in out

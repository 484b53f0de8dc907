"""Formatters on a fixed run: snapshots, and validation with the real schemas and parsers."""

from __future__ import annotations

import json
import os
import pathlib
import xml.etree.ElementTree as ET

import jsonschema
import pytest

from slint.engine import FileResult, RunResult, check_text
from slint.findings import Finding
from slint.formatters import FORMATS, render
from slint.formatters.sarif import FINGERPRINT_KEY, fingerprint

from .conftest import ROOT

SCHEMAS = ROOT / "linter" / "schemas"
SNAPSHOTS = pathlib.Path(__file__).parent / "snapshots"


def _f(rule, line, col, *, file="stacks/api.yaml", resource="Fn", path=("Resources", "Fn"),
       severity="high", message="something `x` is open", fix="Close it", end_line=None,
       end_column=None, category="IAM", name="wildcard-action", **kw) -> Finding:
    return Finding(rule=rule, name=name, category=category, severity=severity, message=message,
                   file=file, line=line, column=col, end_line=end_line or line,
                   end_column=end_column or col + 5, resource=resource, path=list(path), fix=fix,
                   **kw)


def fixed_result() -> RunResult:
    a = [
        _f("IAM001", 12, 15, path=("Resources", "Fn", "Properties", "Policies", 0, "Statement", 0,
                                   "Action"), message="`Fn` is allowed `*`: every AWS action",
           severity="critical", scenario=[["IsProd", True]]),
        _f("S3P001", 30, 5, resource="Site", path=("Resources", "Site"), end_line=34, end_column=20,
           severity="medium", category="S3PUBLIC", name="public-bucket",
           message='bucket `Site` is public, "quoted", <tagged> & 100% sure,\nsecond line',
           fix=None, related=[{"file": "stacks/api.yaml", "line": 40, "column": 3,
                               "message": "policy here"}]),
    ]
    c = [_f("SYN001", 3, 1, file="stacks/broken.json", resource=None, path=(), severity="high",
            category="SYNTAX", name="parse-error", message="JSON syntax error: Expecting value",
            fix="Fix the syntax")]
    files = [FileResult("stacks/api.yaml", "checked", a, resources=4),
             FileResult("stacks/clean.yaml", "checked", [], resources=2),
             FileResult("stacks/broken.json", "error", c, reason="JSON syntax error"),
             FileResult(".github/workflows/ci.yml", "skipped",
                        reason="not a CloudFormation or SAM template")]
    findings = sorted(a + c, key=Finding.sort_key)
    return RunResult(files, findings)


RULES_META = {
    "IAM001": {"name": "wildcard-action", "category": "IAM", "severity": "critical",
               "short": "Flags IAM statements that allow `*`.",
               "full": "Flags IAM statements that allow `*` or `service:*`.",
               "help": "# IAM001 wildcard-action\n\n## What it does\nFlags ...",
               "help_uri": "https://github.com/slint-dev/slint/blob/main/docs/rules/IAM001.md"},
    "SYN001": {"name": "parse-error", "category": "SYNTAX", "severity": "high",
               "short": "Reports a file that cannot be read.", "full": "Reports a file ...",
               "help": "# SYN001", "help_uri": "https://github.com/slint-dev/slint/blob/main/docs/rules/SYN001.md"},
}


def _snapshot(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("SLINT_UPDATE_SNAPSHOTS"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no snapshot {name}: run with SLINT_UPDATE_SNAPSHOTS=1 and review it"
    assert text == path.read_text(encoding="utf-8"), f"snapshot {name} differs"


@pytest.mark.parametrize("fmt,ext", [("text", "txt"), ("json", "json"), ("sarif", "sarif"),
                                     ("junit", "xml"), ("github", "txt")])
def test_snapshot(fmt, ext):
    out = render(fmt, fixed_result(), rules_meta=RULES_META)
    _snapshot(f"format_{fmt}.{ext}", out)
    assert out == render(fmt, fixed_result(), rules_meta=RULES_META)  # deterministic


def test_every_format_is_rendered():
    assert set(FORMATS) == {"text", "json", "sarif", "junit", "github"}
    with pytest.raises(ValueError):
        render("xml", fixed_result())


# ---------------------------------------------------------------------------- json
def _json_schema():
    return json.loads((SCHEMAS / "output.schema.json").read_text())


@pytest.mark.parametrize("result", [
    fixed_result(),
    RunResult([], []),
    RunResult([FileResult("x.yml", "skipped", reason="not a template")], []),
], ids=["fixed", "empty", "only-skipped"])
def test_json_validates_against_published_schema(result):
    doc = json.loads(render("json", result))
    jsonschema.Draft202012Validator(_json_schema()).validate(doc)


def test_json_for_a_real_parse_error_validates(tmp_path):
    from slint.engine import run
    bad = tmp_path / "bad.yaml"
    bad.write_text("Resources:\n  A: [unclosed\n")
    doc = json.loads(render("json", run([str(bad)])))
    jsonschema.Draft202012Validator(_json_schema()).validate(doc)
    assert doc["files"][0]["status"] == "error"
    assert doc["findings"][0]["rule"] == "SYN001" and doc["findings"][0]["line"] >= 2


# ---------------------------------------------------------------------------- sarif
def _sarif_validator():
    schema = json.loads((SCHEMAS / "sarif-2.1.0.json").read_text())
    return jsonschema.Draft4Validator(schema)


def test_sarif_validates_against_the_official_schema():
    doc = json.loads(render("sarif", fixed_result(), rules_meta=RULES_META))
    errors = sorted(_sarif_validator().iter_errors(doc), key=str)
    assert not errors, "\n".join(e.message for e in errors[:5])


def test_sarif_of_an_empty_run_validates():
    doc = json.loads(render("sarif", RunResult([], [])))
    _sarif_validator().validate(doc)
    assert doc["runs"][0]["results"] == []


def test_sarif_content():
    doc = json.loads(render("sarif", fixed_result(), rules_meta=RULES_META))
    assert doc["version"] == "2.1.0"
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert ids == sorted(ids) and {"IAM001", "S3P001", "SYN001"} <= set(ids)
    iam = rules[ids.index("IAM001")]
    assert iam["helpUri"].endswith("/docs/rules/IAM001.md")
    assert iam["help"]["markdown"].startswith("# IAM001")
    assert iam["fullDescription"]["text"] and iam["shortDescription"]["text"]
    assert iam["defaultConfiguration"]["level"] == "error"
    assert iam["properties"]["security-severity"] == "9.5"
    res = run["results"]
    first = res[0]
    assert first["ruleId"] == "IAM001" and ids[first["ruleIndex"]] == "IAM001"
    region = first["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 12, "startColumn": 15, "endLine": 12, "endColumn": 20}
    assert first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "stacks/api.yaml"
    levels = {r["ruleId"]: r["level"] for r in res}
    assert levels == {"IAM001": "error", "S3P001": "warning", "SYN001": "error"}
    assert run["columnKind"] == "unicodeCodePoints"
    s3 = [r for r in res if r["ruleId"] == "S3P001"][0]
    assert s3["relatedLocations"][0]["physicalLocation"]["region"]["startLine"] == 40


def test_sarif_fingerprints_are_stable_across_line_moves():
    a = fixed_result()
    b = fixed_result()
    for f in b.findings:  # the same findings, 7 lines further down
        f.line += 7
        f.end_line += 7
    fa = [r["partialFingerprints"][FINGERPRINT_KEY]
          for r in json.loads(render("sarif", a))["runs"][0]["results"]]
    fb = [r["partialFingerprints"][FINGERPRINT_KEY]
          for r in json.loads(render("sarif", b))["runs"][0]["results"]]
    assert fa == fb and len(set(fa)) == len(fa)
    moved = _f("IAM001", 99, 1, path=("Resources", "Other"))
    assert fingerprint(moved) != fingerprint(_f("IAM001", 99, 1, path=("Resources", "Fn")))
    twin = [_f("IAM001", 1, 1), _f("IAM001", 2, 1)]  # same key twice: still distinct
    doc = json.loads(render("sarif", RunResult([], twin)))
    fps = [r["partialFingerprints"][FINGERPRINT_KEY] for r in doc["runs"][0]["results"]]
    assert len(set(fps)) == 2


def test_sarif_uris_for_odd_paths():
    from slint.formatters.sarif import artifact_uri
    assert artifact_uri("dir with space/t.yaml") == "dir%20with%20space/t.yaml"
    assert artifact_uri("./a/../t.yaml") == "t.yaml"
    assert artifact_uri("/abs/t.yaml") == "file:///abs/t.yaml"


def test_sarif_from_a_real_run_validates(tmp_path):
    from slint.checkcmd import CheckOptions, run_check
    t = tmp_path / "t.yaml"
    t.write_text("Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n"
                 "      Handler: a\n      Handler: b\n")
    out = tmp_path / "out.sarif"
    rc = run_check(CheckOptions(paths=[str(t)], format="sarif", output=str(out), no_config=True))
    assert rc == 1
    doc = json.loads(out.read_text())
    _sarif_validator().validate(doc)
    rules = {r["id"]: r for r in doc["runs"][0]["tool"]["driver"]["rules"]}
    assert "SYN002" in rules and "What it does" in rules["SYN002"]["help"]["markdown"]
    (res,) = [r for r in doc["runs"][0]["results"] if r["ruleId"] == "SYN002"]
    assert res["locations"][0]["physicalLocation"]["region"]["startLine"] == 6


# ---------------------------------------------------------------------------- junit
def test_junit_structure():
    root = ET.fromstring(render("junit", fixed_result()))
    assert root.tag == "testsuites" and root.get("tests") == "4" and root.get("failures") == "3"
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert sorted(suites) == ["stacks/api.yaml", "stacks/broken.json", "stacks/clean.yaml"]
    api = suites["stacks/api.yaml"]
    assert api.get("tests") == "2" and api.get("failures") == "2"
    cases = api.findall("testcase")
    assert [c.find("failure").get("type") for c in cases] == ["IAM001", "S3P001"]
    assert "100% sure" in cases[1].find("failure").get("message")
    clean = suites["stacks/clean.yaml"]
    assert clean.get("failures") == "0" and len(clean.findall("testcase")) == 1
    assert clean.find("testcase").find("failure") is None


# ---------------------------------------------------------------------------- github
def test_github_workflow_commands():
    lines = render("github", fixed_result()).splitlines()
    assert lines[0].startswith("::error file=stacks/api.yaml,line=12,col=15,endLine=12,"
                               "endColumn=20,title=IAM001::`Fn` is allowed `*`")
    s3 = [x for x in lines if "title=S3P001" in x][0]
    assert s3.startswith("::warning file=stacks/api.yaml,line=30,col=5,endLine=34,endColumn=20,")
    assert "100%25 sure,%0Asecond line" in s3 and "\n" not in s3
    assert lines[-1] == "slint: 3 findings in 2 templates"
    low = render("github", RunResult([], [_f("SUP002", 1, 1, severity="low", file="a,b:c.yaml")]))
    assert low.startswith("::notice file=a%2Cb%3Ac.yaml,")


# ---------------------------------------------------------------------------- text
def test_text_groups_by_file_and_colours_only_when_asked():
    plain = render("text", fixed_result())
    assert "\x1b[" not in plain
    blocks = plain.split("\n\n")
    assert blocks[0].startswith("stacks/api.yaml:12:15: IAM001 [critical]")
    assert blocks[1].startswith("stacks/broken.json:3:1: SYN001 [high]")
    assert plain.rstrip().endswith(
        "3 findings in 2 templates, 1 unreadable, 1 file skipped (not templates) "
        "(1 critical, 1 high, 1 medium)")
    coloured = render("text", fixed_result(), color=True)
    assert "\x1b[1;31m[critical]\x1b[0m" in coloured


def test_text_for_a_clean_run():
    r = check_text("Resources:\n  T:\n    Type: AWS::SNS::Topic\n", "t.yaml")
    out = render("text", RunResult([r], r.findings))
    assert out == "0 findings in 1 template\n"

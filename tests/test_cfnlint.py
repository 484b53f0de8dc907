"""The cfn-lint bridge, both ways: slint's rules inside real cfn-lint (plugin), and cfn-lint's
checks inside ``slint check --with-cfn-lint`` (bridge). Real cfn-lint runs in subprocesses."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import types

import pytest

from slint.cfnlint_plugin import _idmap, _runner
from slint.config import Config
from slint.engine import check_file, selected_rules
from slint.findings import Severity
from slint.rules import all_rules

from .conftest import ROOT

CFN_TEMPLATE = textwrap.dedent("""\
    AWSTemplateFormatVersion: "2010-09-09"
    Resources:
      Broken:
        Properties: {}
      Role:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Principal: {Service: lambda.amazonaws.com}
                Action: sts:AssumeRole
          Policies:
            - PolicyName: everything
              PolicyDocument:
                Version: "2012-10-17"
                Statement:
                  - Effect: Allow
                    Action: "*"
                    Resource: "*"
      Bucket:
        Type: AWS::S3::Bucket
        Properties:
          BucketNam: typo
    """)

SAM_TEMPLATE = textwrap.dedent("""\
    AWSTemplateFormatVersion: "2010-09-09"
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.12
          Handler: app.handler
          InlineCode: "def handler(e, c): return {}"
          Policies:
            - Statement:
                - Effect: Allow
                  Action: "s3:*"
                  Resource: "*"
          Events:
            Get:
              Type: Api
              Properties: {Path: /items, Method: get}
      Site:
        Type: AWS::S3::Bucket
        Properties:
          WebsiteConfiguration: {IndexDocument: index.html}
      SitePolicy:
        Type: AWS::S3::BucketPolicy
        Properties:
          Bucket: !Ref Site
          PolicyDocument:
            Statement:
              - Effect: Allow
                Principal: "*"
                Action: s3:GetObject
                Resource: !Sub "${Site.Arn}/*"
    """)


def _cfn_lint() -> list[str]:
    # the cfn-lint of this interpreter: a `cfn-lint` found on PATH may belong to another Python
    # (a pyenv shim) with another slint installed
    exe = os.path.join(os.path.dirname(sys.executable), "cfn-lint")
    if os.path.exists(exe):
        return [exe]
    return [shutil.which("cfn-lint") or "cfn-lint"]


@pytest.fixture
def templates(tmp_path):
    cfn = tmp_path / "cfn.yaml"
    cfn.write_text(CFN_TEMPLATE)
    sam = tmp_path / "sam.yaml"
    sam.write_text(SAM_TEMPLATE)
    return tmp_path, cfn, sam


# ---------------------------------------------------------------- id map

def test_id_map_scheme():
    assert _idmap.cfnlint_id("IAM001", Severity.HIGH) == "E9101"
    assert _idmap.cfnlint_id("IAM012", "critical") == "E9112"
    assert _idmap.cfnlint_id("SYN002", Severity.MEDIUM) == "W9002"
    assert _idmap.cfnlint_id("S3P003", "low") == "W9203"
    assert _idmap.cfnlint_id("COG001", "info") == "I9601"
    assert _idmap.cfnlint_id("INT001", "high") == "E9801"
    with pytest.raises(_idmap.UnmappableCode):
        _idmap.cfnlint_id("XYZ001", "high")
    with pytest.raises(_idmap.UnmappableCode):
        _idmap.cfnlint_id("IAM100", "high")


def test_every_rule_has_a_unique_cfnlint_id():
    rows = _idmap.id_table(all_rules())
    ids = [cid for _, cid, _, _ in rows]
    assert len(rows) == len(all_rules())
    assert all(cid for _, cid, _, _ in rows), \
        f"codes without a cfn-lint id (add a family digit to _idmap.FAMILY_DIGITS): {rows}"
    assert all(re.fullmatch(r"[EWI]9[0-9]{3}", i) for i in ids), ids
    # the four digits alone are unique, so ignoring by number never hits two rules
    assert len({i[1:] for i in ids}) == len(ids)
    for code, cid, _name, sev in rows:
        assert cid[0] == _idmap.SEVERITY_LETTERS[sev]
        assert cid[3:] == code[-2:] and code[-3] == "0"


# ---------------------------------------------------------------- plugin: cache

def test_plugin_runner_runs_slint_once_per_file_version(tmp_path):
    p = tmp_path / "t.yaml"
    p.write_text(CFN_TEMPLATE)
    _runner.clear()
    first = _runner.findings_for(str(p))
    assert "SYN003" in {f.rule for f in first}
    assert _runner.findings_for(str(p)) is first          # cached
    p.write_text(CFN_TEMPLATE.replace("  Broken:\n    Properties: {}\n", ""))
    os.utime(p, ns=(os.stat(p).st_atime_ns, os.stat(p).st_mtime_ns + 10**9))
    assert "SYN003" not in {f.rule for f in _runner.findings_for(str(p))}
    assert _runner.findings_for(None) == [] and _runner.findings_for(str(tmp_path / "no")) == []


def test_plugin_runner_uses_the_slint_config_of_the_template(tmp_path):
    p = tmp_path / "t.yaml"
    p.write_text(CFN_TEMPLATE)
    _runner.clear()
    assert "SYN003" in {f.rule for f in _runner.findings_for(str(p))}
    cfg = tmp_path / ".slint.toml"
    cfg.write_text('ignore = ["SYN003"]\n')
    assert "SYN003" not in {f.rule for f in _runner.findings_for(str(p))}   # config change seen
    cfg.write_text('ignroe = ["SYN003"]\n')
    os.utime(cfg, ns=(os.stat(cfg).st_atime_ns, os.stat(cfg).st_mtime_ns + 10**9))
    [err] = _runner.findings_for(str(p))
    assert err.rule == "INT001" and "configuration" in err.message and "ignroe" in err.message


# ---------------------------------------------------------------- plugin: real cfn-lint

def _slint_expected(path) -> set[tuple]:
    config = Config()
    res = check_file(str(path), config, selected_rules(config))
    return {(_idmap.cfnlint_id(f.rule, next(r for r in all_rules() if r.code == f.rule).severity),
             f.line, f.column, f"{f.message} [slint {f.rule} {f.severity}]") for f in res.findings}


def _run_cfnlint(append: str, *files, cwd) -> list[dict]:
    proc = subprocess.run([*_cfn_lint(), "--append-rules", append, "--format", "json", "--",
                           *map(str, files)], capture_output=True, text=True, cwd=cwd, timeout=120)
    assert proc.returncode in (0, 2, 4, 6, 8, 10, 12, 14), proc.stderr
    return json.loads(proc.stdout)


def test_cfnlint_runs_slint_rules_as_a_module_plugin(templates):
    tmp, cfn, sam = templates
    results = _run_cfnlint("slint.cfnlint_plugin", cfn, sam, cwd=tmp)
    for path in (cfn, sam):
        got = {(r["Rule"]["Id"], r["Location"]["Start"]["LineNumber"],
                r["Location"]["Start"]["ColumnNumber"], r["Message"])
               for r in results if r["Filename"] == str(path) and "[slint " in r["Message"]}
        assert got == _slint_expected(path), path.name
    mine = [r for r in results if "[slint " in r["Message"]]
    assert any(r["Rule"]["Id"] == "W9003" and r["Location"]["Start"]["LineNumber"] == 3
               for r in mine)   # SYN003: `Broken` has no Type
    for r in mine:
        assert r["Rule"]["Source"].endswith(".md")
        assert r["Level"] == {"E": "Error", "W": "Warning", "I": "Informational"}[r["Rule"]["Id"][0]]
    # cfn-lint's own checks still run next to ours
    assert any(r["Rule"]["Id"] == "E3002" for r in results)


def test_cfnlint_loads_the_plugin_directory_too():
    """`--append-rules DIR` goes through cfn-lint's directory loader (in-process here: the
    module form above already runs the whole cfn-lint CLI)."""
    import slint.cfnlint_plugin as plugin
    from cfnlint.rules import Rules
    rules = Rules.create_from_directory(os.path.dirname(plugin.__file__))
    ids = sorted(rules.keys())
    expected = sorted(_idmap.cfnlint_id(r.code, r.severity) for r in all_rules())
    assert ids == expected
    rule = rules[_idmap.cfnlint_id("SYN003", Severity.MEDIUM)]
    assert rule.shortdesc == "slint SYN003 invalid-template-structure"
    assert rule.source_url.endswith("/docs/rules/SYN003.md")


def test_plugin_package_import_is_lazy():
    code = ("import sys, slint.cfnlint_plugin, slint.cfnlint_plugin._idmap;"
            "print(any(m.split('.')[0] == 'cfnlint' for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# ---------------------------------------------------------------- bridge: slint check --with-cfn-lint

_PROBE = textwrap.dedent("""\
    import json, sys
    from slint.cli import main
    sys.argv = ["slint", "check", *sys.argv[1:]]
    try:
        main()
    except SystemExit as exc:
        code = exc.code
    mods = sorted({m.split(".")[0] for m in sys.modules} & {"cfnlint", "samtranslator"})
    sys.stderr.write("PROBE " + json.dumps({"exit": code, "modules": mods}) + "\\n")
    """)


def _probe(*args, cwd):
    proc = subprocess.run([sys.executable, "-c", _PROBE, *args], capture_output=True, text=True,
                          cwd=cwd, timeout=120)
    line = [ln for ln in proc.stderr.splitlines() if ln.startswith("PROBE ")]
    assert line, proc.stderr
    return json.loads(line[-1][6:])


def test_plain_check_never_imports_cfnlint(templates):
    tmp, cfn, _ = templates
    out = tmp / "report.json"
    probe = _probe(str(cfn), "--format", "json", "-o", str(out), cwd=tmp)
    assert probe["modules"] == []
    rules = {f["rule"] for f in json.loads(out.read_text())["findings"]}
    assert not any(r.startswith("CFN") for r in rules)


def test_with_cfn_lint_merges_cfnlint_findings(templates):
    import jsonschema
    tmp, cfn, sam = templates
    out = tmp / "report.json"
    probe = _probe(str(cfn), str(sam), "--with-cfn-lint", "--ignore", "CFNE3001", "--format",
                   "json", "-o", str(out), cwd=tmp)
    # cfn-lint runs in its own bounded process (slint.cfnlint_worker), never in slint's
    assert "cfnlint" not in probe["modules"] and probe["exit"] == 1
    report = json.loads(out.read_text())
    schema = json.loads((ROOT / "linter" / "schemas" / "output.schema.json").read_text())
    jsonschema.validate(report, schema)
    by_rule = {(f["rule"], f["line"], f["resource"]) for f in report["findings"]}
    assert ("CFNE3002", 25, "Bucket") in by_rule        # BucketNam typo, cfn-lint's E3002
    assert ("SYN003", 3, "Broken") in by_rule           # no Type: slint's SYN003 ...
    assert not any(r == "CFNE3001" for r, _, _ in by_rule)   # ... cfn-lint's E3001 is --ignored
    cfn_findings = [f for f in report["findings"] if f["rule"].startswith("CFN")]
    assert all(f["category"] == "SYNTAX" for f in cfn_findings)
    assert {f["severity"] for f in cfn_findings if f["rule"].startswith("CFNE")} == {"high"}
    assert report["findings"] == sorted(report["findings"], key=lambda f: (f["file"], f["line"],
                                        f["column"], f["rule"], f["resource"] or "",
                                        [str(p) for p in f["path"]], f["message"]))


def _match(rule_id, line, path, shortdesc="Resource properties are invalid", slint_code=None):
    rule = types.SimpleNamespace(id=rule_id, shortdesc=shortdesc)
    if slint_code:
        rule.slint_code = slint_code
    return types.SimpleNamespace(rule=rule, linenumber=line, columnnumber=3, linenumberend=line,
                                 columnnumberend=9, message="bad", filename="t.yaml", path=path)


def test_bridge_mapping_and_filters():
    from slint import cfnlint_bridge as b
    f = b.to_finding(_match("W3005", 7, ["Resources", "Fn", "DependsOn"]), "t.yaml")
    assert (f.rule, f.name, f.severity, f.category, f.resource, f.line) == (
        "CFNW3005", "resource-properties-are-invalid", "low", "SYNTAX", "Fn", 7)
    assert b.to_finding(_match("I3042", 1, [], shortdesc=""), "t.yaml").name == "cfn-lint-i3042"
    assert b.to_finding(_match("E0000", 1, None), "t.yaml").resource is None
    assert re.fullmatch(r"^[A-Z][A-Z0-9]{1,5}[0-9]{3}$", b.rule_code("E3012"))
    assert b.is_bridge_code("CFNW") and not b.is_bridge_code("IAM")
    assert not b._kept(f, Config(ignore=["CFNW"]))
    assert b._kept(f, Config(ignore=["CFNE"]))
    assert not b._kept(f, Config(min_severity=Severity.MEDIUM))
    assert not b._kept(f, Config(per_path_ignores={"t.yaml": ["CFN"]}))


def test_cfn_patterns_are_accepted_by_select_and_ignore():
    from slint.rules_meta import unknown_codes
    assert unknown_codes(["CFN", "CFNW", "CFNE3012", "CFNI"]) == []
    assert unknown_codes(["CFNX"]) and unknown_codes(["CFNE30123"])
    from slint.config import validate_table
    assert validate_table({"ignore": ["CFNW"], "per-file-ignores": {"a.yaml": ["CFNE3012"]}},
                          "cfg") == []
    assert validate_table({"ignore": ["CFNX"]}, "cfg")


def test_plugin_runner_reports_an_engine_crash_once(tmp_path, monkeypatch):
    import slint.engine
    p = tmp_path / "t.yaml"
    p.write_text(CFN_TEMPLATE)
    _runner.clear()

    def boom(*a, **k):
        raise RuntimeError("kaput")
    monkeypatch.setattr(slint.engine, "check_file", boom)
    [f] = _runner.findings_for(str(p))
    assert f.rule == "INT001" and "RuntimeError: kaput" in f.message
    _runner.clear()


def test_bridge_isolates_a_template_that_crashes_cfnlint(tmp_path, monkeypatch):
    import sys

    from slint import cfnlint_bridge as b
    crash = tmp_path / "crash.yaml"   # cfn-lint 1.51 raises AttributeError on SAM `Parameters:` null
    crash.write_text("Transform: AWS::Serverless-2016-10-31\nParameters:\nResources:\n"
                     "  B:\n    Type: AWS::S3::Bucket\n")
    good = tmp_path / "good.yaml"
    good.write_text(CFN_TEMPLATE)
    # the real cfn-lint process, made to crash on that template whatever cfn-lint's version does
    monkeypatch.setattr(b, "WORKER", [sys.executable, "-c", (
        "import sys\nimport slint.cfnlint_worker as w\nreal = w._linter\n"
        "def linter(cfg):\n    lint = real(cfg)\n"
        "    def one(f):\n        if f.endswith('crash.yaml'):\n"
        "            raise AttributeError(\"'NoneType' object has no attribute 'items'\")\n"
        "        return lint(f)\n    return one\n"
        "w._linter = linter\nsys.exit(w.main())\n")])
    found = b.run_cfnlint([str(crash), str(good)])
    [c] = found[str(crash)]
    assert c.rule == "CFNE0002" and c.message.startswith("cfn-lint failed on this template")
    assert {f.rule for f in found[str(good)]} >= {"CFNE3001", "CFNE3002"}
    meta = b.rules_metadata()["CFNE3002"]     # for SARIF's rule table
    assert meta["name"] == "resource-properties-are-invalid" and meta["severity"] == "high"
    assert meta["help_uri"].startswith("https://") and meta["short"]


def test_sarif_describes_cfnlint_rules_with_cfn_lint(tmp_path):
    """With --with-cfn-lint, SARIF's driver describes every CFN rule it reports (help, helpUri)."""
    import json
    import subprocess
    import sys

    from .conftest import ROOT
    out = tmp_path / "r.sarif"
    subprocess.run([sys.executable, "-m", "slint", "check", str(ROOT / "examples" / "app.yaml"),
                    "--with-cfn-lint", "-f", "sarif", "-o", str(out), "--no-cache"],
                   capture_output=True, text=True, timeout=120)
    run = json.loads(out.read_text())["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    cfn = {res["ruleId"] for res in run["results"] if res["ruleId"].startswith("CFN")}
    assert cfn, "the example template has cfn-lint findings (E3045)"
    for code in cfn:
        assert rules[code]["help"]["text"].startswith("cfn-lint ")
        assert rules[code].get("helpUri")


def test_with_cfn_lint_without_cfn_lint_names_the_extra(tmp_path):
    """cfn-lint is an optional extra (`slint-serverless[cfn-lint]`): without it, --with-cfn-lint
    is a clear usage error (exit 2), never a traceback."""
    (tmp_path / "t.yaml").write_text(
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  T:\n    Type: AWS::SNS::Topic\n")
    code = ("import sys\nsys.modules['cfnlint'] = None\nsys.modules['cfnlint.api'] = None\n"
            "from slint.cli import main\nsys.argv = ['slint', 'check', 't.yaml', '--with-cfn-lint']\n"
            "main()\n")
    r = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "slint-serverless[cfn-lint]" in r.stderr and r.stderr.startswith("error: --with-cfn-lint")

"""Engine: template recognition, rule isolation, sorting, exit codes, JSON contract."""

from __future__ import annotations

import json

import jsonschema
import pytest

from slint.config import Config
from slint.engine import check_text, discover, exit_code, finish, is_template, run, selected_rules
from slint.findings import Category, Severity
from slint.formatters import render
from slint.rule import Rule

from .conftest import ROOT

SCHEMA = json.loads((ROOT / "linter" / "schemas" / "output.schema.json").read_text())


class Boom(Rule):
    code = "TST001"
    name = "boom"
    category = Category.IAM
    message = "never"

    def check(self, ctx):
        raise KeyError("deliberate")


class EveryResource(Rule):
    code = "TST002"
    name = "every-resource"
    category = Category.IAM
    severity = Severity.LOW
    message = "resource {rid}"

    def check(self, ctx):
        for r in sorted(ctx.template.user_resources(), key=lambda r: r.logical_id, reverse=True):
            yield self.report(ctx, r.path + ("Type",), resource=r.logical_id, rid=r.logical_id)


TEMPLATE = "Resources:\n  B: {Type: AWS::S3::Bucket}\n  A: {Type: AWS::SQS::Queue}\n"


@pytest.mark.parametrize("data,expected", [
    ({"AWSTemplateFormatVersion": "2010-09-09"}, True),
    ({"Transform": "AWS::Serverless-2016-10-31"}, True),
    ({"Transform": ["AWS::Serverless-2016-10-31"]}, True),
    ({"Resources": {"A": {"Type": "AWS::S3::Bucket"}}}, True),
    ({"Resources": {"A": {"Type": "thing"}}}, False),
    ({"name": "ci", "on": "push"}, False),
    ([1, 2], False),
    (None, False),
])
def test_is_template(data, expected):
    assert is_template(data) is expected


def test_rule_isolation_and_sorting():
    rules = [Boom(), EveryResource()] + [r for r in selected_rules(Config(select=["INT001"]))]
    res = check_text(TEMPLATE, "t.yaml", Config(), rules)
    codes = [(f.rule, f.line) for f in res.findings]
    assert ("INT001", 1) in codes
    internal = [f for f in res.findings if f.rule == "INT001"][0]
    assert "TST001" in internal.message and "KeyError" in internal.message
    mine = [(f.line, f.resource) for f in res.findings if f.rule == "TST002"]
    assert mine == [(2, "B"), (3, "A")]  # sorted by position, not by emission order


def test_exit_codes_and_thresholds(tmp_path):
    f = tmp_path / "t.yaml"
    f.write_text(TEMPLATE)
    rules = [EveryResource()]
    result = run([str(f)], Config(), rules=rules)
    assert exit_code(result, Config()) == 1
    assert exit_code(result, Config(fail_on=Severity.HIGH)) == 0
    other = tmp_path / "other.yaml"
    other.write_text("just: yaml\n")
    only_skipped = run([str(other)], Config(), rules=rules)
    assert only_skipped.files[0].status == "skipped"
    assert exit_code(only_skipped, Config()) == 2


def test_discover_walks_directories_and_skips_dependency_folders(tmp_path):
    (tmp_path / "a.yaml").write_text(TEMPLATE)
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "x.yaml").write_text(TEMPLATE)
    (tmp_path / "b.txt").write_text("x")
    got = [p for p, _ in discover([str(tmp_path)])]
    assert got == [str(tmp_path / "a.yaml")]


def test_json_output_matches_the_published_schema(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text(TEMPLATE)
    bad = tmp_path / "bad.yaml"
    bad.write_text("Resources: [\n")
    skip = tmp_path / "skip.yaml"
    skip.write_text("a: 1\n")
    result = run([str(tmp_path)], Config())
    doc = json.loads(render("json", result))
    jsonschema.validate(doc, SCHEMA)
    statuses = {f["file"].rsplit("/", 1)[-1]: f["status"] for f in doc["files"]}
    assert statuses == {"good.yaml": "checked", "bad.yaml": "error", "skip.yaml": "skipped"}
    syn = [f for f in doc["findings"] if f["rule"] == "SYN001"]
    assert syn and syn[0]["line"] >= 1 and syn[0]["category"] == "SYNTAX"
    empty = json.loads(render("json", finish([], [])))
    jsonschema.validate(empty, SCHEMA)


class CrossFile(Rule):
    code = "TST003"
    name = "cross-file"
    category = Category.BUCKETNAME
    severity = Severity.LOW
    message = "seen"

    def check(self, ctx):
        return ()

    def collect(self, ctx):
        return len(ctx.template.user_resources())

    def check_project(self, facts):
        for file, n in facts:
            yield self.report_at(file, 1, 1, resource=None, message=f"{n} resources")


def test_project_findings_go_through_the_same_filters(tmp_path):
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text(TEMPLATE)
    rules = [CrossFile()]
    got = run([str(tmp_path)], Config(), rules=rules)
    assert sorted(f.file.rsplit("/", 1)[-1] for f in got.findings) == ["a.yaml", "b.yaml"]
    high_only = run([str(tmp_path)], Config(min_severity=Severity.HIGH), rules=rules)
    assert high_only.findings == []
    ignored = run([str(tmp_path)], Config(per_path_ignores={"a.yaml": ["TST"]}), rules=rules)
    assert [f.file.rsplit("/", 1)[-1] for f in ignored.findings] == ["b.yaml"]


class Flood(Rule):
    code = "TST004"
    name = "flood"
    category = Category.IAM
    message = "again"

    def check(self, ctx):
        while True:  # a runaway rule: the engine must stop consuming it
            yield self.report(ctx, ("Resources",), resource=None)


def test_a_rule_stops_after_the_per_file_limit():
    from slint.engine import MAX_FINDINGS_PER_RULE
    rules = [Flood()] + selected_rules(Config(select=["INT002"]))
    res = check_text(TEMPLATE, "t.yaml", Config(), rules)
    assert sum(f.rule == "TST004" for f in res.findings) == MAX_FINDINGS_PER_RULE
    (cut,) = [f for f in res.findings if f.rule == "INT002"]
    assert "stopped after" in cut.message


def test_a_callers_context_is_used_and_left_intact():
    """``check_document(..., context=ctx)`` runs the rules on that very context (``slint graph``
    draws what the rules saw) and leaves it intact."""
    from slint.check import check_document
    from slint.config import Config
    from slint.context import Context
    from slint.loader import load_text
    from slint.model.template import Template
    text = ('AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  R:\n    Type: AWS::IAM::Role\n'
            '    Properties:\n      AssumeRolePolicyDocument: {}\n      Policies:\n'
            '        - PolicyName: p\n          PolicyDocument:\n            Statement:\n'
            '              - {Effect: Allow, Action: "*", Resource: "*"}\n')
    loaded = load_text(text, "t.yaml")
    cfg = Config(select=["IAM001"])
    rules = selected_rules(cfg)
    ctx = Context(loaded.document, Template(loaded.document), cfg, "t.yaml")
    fr = check_document(loaded.document, loaded.issues, "t.yaml", cfg, rules, context=ctx)
    assert [f.rule for f in fr.findings] == ["IAM001"]
    assert "iam" in ctx.__dict__ and ctx.template is not None     # built by the rule, kept
    again = check_document(loaded.document, loaded.issues, "t.yaml", cfg, rules)
    assert [(f.rule, f.line) for f in again.findings] == [(f.rule, f.line) for f in fr.findings]

"""Symbolic evaluation of intrinsics: every possible value with its scenario."""

from __future__ import annotations

from slint.loader import load_text
from slint.model.template import Template
from slint.model.values import Evaluator, references

BASE = """\
Parameters:
  Env: {Type: String, Default: dev}
  Stage: {Type: String, AllowedValues: [beta, prod]}
  Free: {Type: String}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Mappings:
  M:
    us-east-1: {Name: east}
    eu-west-1: {Name: west}
Resources:
  Bucket: {Type: AWS::S3::Bucket}
  Fn: {Type: AWS::Lambda::Function}
Outputs:
  X:
    Value: 1
"""


def ev(node_yaml: str):
    t = Template(load_text(BASE + "  Probe:\n    Value: " + node_yaml + "\n").document)
    node = t.outputs["Probe"]["Value"]
    return Evaluator(t), node


def vals(node_yaml):
    e, n = ev(node_yaml)
    return e.strings(n)


def test_literals_and_pseudo():
    (v,) = vals("hello")
    assert v.known and v.text == "hello"
    (v,) = vals("!Ref AWS::Partition")
    assert v.known and v.text == "aws"
    (v,) = vals("!Ref AWS::AccountId")
    assert not v.known and v.pseudo == ("AWS::AccountId",)


def test_parameters_defaults_allowed_values_and_unknown():
    (v,) = vals("!Ref Env")
    assert v.known and v.text == "dev" and v.from_param == ("Env",)
    assert sorted(x.text for x in vals("!Ref Stage")) == ["beta", "prod"]
    (v,) = vals("!Ref Free")
    assert not v.known and v.params == ("Free",) and v.text == "{Free}"


def test_sub_with_resources_and_pseudo():
    (v,) = vals("!Sub 'arn:${AWS::Partition}:s3:::${Bucket}/*'")
    assert v.text == "arn:aws:s3:::{Ref:Bucket}/*" and not v.known
    assert v.refs == (("Bucket", None),)
    (v,) = vals("!Sub '${Fn.Arn}'")
    assert v.single_ref() == ("Fn", "Arn")
    (v,) = vals("!Sub ['${A}-${AWS::Region}', {A: !Ref Env}]")
    assert v.text == "dev-{AWS::Region}"
    (v,) = vals("!Sub 'literal ${!NotAVar}'")
    assert v.known and v.text == "literal ${NotAVar}"


def test_join_select_split_findinmap():
    (v,) = vals("!Join ['-', [a, !Ref Env, b]]")
    assert v.known and v.text == "a-dev-b"
    (v,) = vals("!Select [1, [x, y, z]]")
    assert v.text == "y"
    (v,) = vals("!Select [2, !Split ['/', 'a/b/c']]")
    assert v.text == "c"
    (v,) = vals("!FindInMap [M, us-east-1, Name]")
    assert v.known and v.text == "east"
    out = vals("!FindInMap [M, !Ref AWS::Region, Name]")
    assert sorted(x.text for x in out) == ["east", "west"] and not any(x.known for x in out)


def test_if_gives_both_branches_with_scenarios():
    out = vals("!If [IsProd, prod-bucket, !Ref AWS::NoValue]")
    assert [(x.text, sorted(x.scenario)) for x in out] == [("prod-bucket", [("IsProd", True)])]
    out = vals("!Sub ['${X}-logs', {X: !If [IsProd, p, d]}]")
    assert sorted((x.text, tuple(x.scenario)) for x in out) == [
        ("d-logs", (("IsProd", False),)), ("p-logs", (("IsProd", True),))]


def test_contradictory_scenarios_are_dropped():
    out = vals("!Join ['', [!If [IsProd, a, b], !If [IsProd, c, d]]]")
    assert sorted(x.text for x in out) == ["ac", "bd"]


def test_branches_and_items():
    e, node = ev("[a, !If [IsProd, b, !Ref AWS::NoValue], c]")
    items = [(i, it, tuple(s)) for i, it, s in e.items(node)]
    assert items == [(0, "a", ()), (1, "b", (("IsProd", True),)), (2, "c", ())]
    e, node = ev("single")
    assert [(i, it) for i, it, _ in e.items(node)] == [(-1, "single")]


def test_unknown_shapes_are_unknown_not_errors():
    for y in ("!GetAZs ''", "!ImportValue shared-pool", "{Fn::Unknown: 1}", "{a: 1, b: 2}",
              "!Select [x, 1]", "!Join [1]", "!Sub [1, 2, 3]"):
        out = vals(y)
        assert out and all(not v.known for v in out), y
    (v,) = vals("!ImportValue shared-pool")
    assert v.imports == ("shared-pool",)


def test_references_walks_every_form():
    node = {"A": {"Ref": "X"}, "B": [{"Fn::GetAtt": ["Y", "Arn"]}],
            "C": {"Fn::Sub": ["${Z}-${W.Out}-${local}", {"local": {"Ref": "V"}}]}}
    got = sorted((n, a, k) for n, a, k, _ in references(node))
    assert got == [("V", None, "ref"), ("W", "Out", "sub"), ("X", None, "ref"),
                   ("Y", "Arn", "getatt"), ("Z", None, "sub")]

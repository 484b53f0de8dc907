"""A policy document is read up to bounds far past what AWS accepts (``MAX_STATEMENTS``
statements, ``MAX_VALUES`` entries of one Action / Resource / principal list); the rest is left
unread and said so (INT002 at the list), so that a hostile or generated template costs time in
what AWS could deploy, not in its size (issue 14, item 14)."""

from __future__ import annotations

from slint.config import Config
from slint.context import Context
from slint.loader import load_text
from slint.model.template import Template
from slint.policy.reader import MAX_STATEMENTS, MAX_VALUES

from .helpers import run_text

HEAD = """\
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
"""


def _statements(n: int, last: str) -> str:
    body = "".join(f"              - {{Effect: Allow, Action: s3:GetObject, Resource: "
                   f"'arn:aws:s3:::b{i}/*'}}\n" for i in range(n))
    return HEAD + body + last


def _grants(text: str):
    doc = load_text(text, "t.yaml").document
    ctx = Context(doc, Template(doc), Config(), "t.yaml")
    return ctx, [g for g in ctx.iam.grants() if g.source == "role_inline"]


def test_statements_past_the_bound_are_not_read_and_that_is_reported():
    star = "              - {Effect: Allow, Action: '*', Resource: '*'}\n"
    # within the bound, the last statement is read: IAM001 sees its `*`
    inside = _statements(MAX_STATEMENTS - 1, star)
    r = run_text(inside, select=["IAM001", "INT002"])
    assert [f.rule for f in r.findings] == ["IAM001"]
    # one past it: the statement is not read, and INT002 says so at `Statement`, with counts
    past = _statements(MAX_STATEMENTS, star)
    r = run_text(past, select=["IAM001", "INT002"])
    (f,) = r.findings
    assert f.rule == "INT002" and f.line == 13 and f.resource == "Role"
    assert f.message == (f"`Statement` lists {MAX_STATEMENTS + 1} statements, more than any AWS "
                         f"policy can hold: only the first {MAX_STATEMENTS} were read")
    ctx, grants = _grants(past)
    assert len(grants) == MAX_STATEMENTS
    assert list(ctx.values.cuts) == [("Resources", "Role", "Properties", "Policies", 0,
                                      "PolicyDocument", "Statement")]


def test_action_and_resource_lists_past_the_bound_are_cut():
    acts = "".join(f"                  - s3:Get{i}\n" for i in range(MAX_VALUES)) + \
        "                  - iam:*\n"
    text = HEAD + "              - Effect: Allow\n                Resource: '*'\n" \
        "                Action:\n" + acts
    ctx, (g,) = _grants(text)
    assert len(g.actions) == MAX_VALUES and g.actions[-1].text == f"s3:Get{MAX_VALUES - 1}"
    r = run_text(text, select=["IAM001", "INT002"])
    assert [(f.rule, f.line) for f in r.findings] == [("INT002", 16)]
    assert f"`Action` lists {MAX_VALUES + 1} values" in r.findings[0].message

    res = "".join(f"                  - arn:aws:s3:::b/{i}\n" for i in range(MAX_VALUES + 5))
    text = HEAD + "              - Effect: Allow\n                Action: s3:GetObject\n" \
        "                Resource:\n" + res
    ctx, (g,) = _grants(text)
    assert len(g.resources) == MAX_VALUES
    assert [p[-1] for p in ctx.values.cuts] == ["Resource"]


def test_ordinary_policies_are_never_cut():
    text = _statements(3, "              - {Effect: Allow, Action: [s3:GetObject, s3:PutObject], "
                          "Resource: '*'}\n")
    ctx, grants = _grants(text)
    assert len(grants) == 4 and ctx.values.cuts == {}
    assert not [f for f in run_text(text).findings if f.rule == "INT002"]


def test_statements_past_the_bound_that_hold_nothing_are_not_a_cut():
    """Statements past the bound are skipped without being read, but the cut is reported only
    when one of them has a value (``!Ref AWS::NoValue`` has none), as when each was resolved."""
    novalue = "              - !Ref AWS::NoValue\n"
    star = "              - {Effect: Allow, Action: '*', Resource: '*'}\n"
    ctx, grants = _grants(_statements(MAX_STATEMENTS, novalue * 3))
    assert len(grants) == MAX_STATEMENTS and not ctx.values.cuts
    ctx, grants = _grants(_statements(MAX_STATEMENTS, novalue * 3 + star))
    assert len(grants) == MAX_STATEMENTS and list(ctx.values.cuts) == [
        ("Resources", "Role", "Properties", "Policies", 0, "PolicyDocument", "Statement")]
    # each list of an Fn::If is bounded on its own
    text = HEAD.replace("            Statement:\n", "            Statement: !If\n"
                        "              - C\n              -\n") + "".join(
        f"                - {{Effect: Allow, Action: s3:Get{i}, Resource: '*'}}\n"
        for i in range(MAX_STATEMENTS + 1)) + "              - - {Effect: Allow, Action: '*', " \
        "Resource: '*'}\n"
    text = "Parameters:\n  P: {Type: String}\nConditions:\n  C: !Equals [!Ref P, x]\n" + text
    ctx, grants = _grants(text)
    assert len(grants) == MAX_STATEMENTS + 1 and len(ctx.values.cuts) == 1

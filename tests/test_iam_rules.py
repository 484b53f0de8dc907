"""IAM rules beyond their fixtures: ownership between rules (no duplicates), the reachability
rule against a fake route table, and the real-world corpus."""

from __future__ import annotations

import textwrap
from collections import Counter
from dataclasses import dataclass

from slint.config import Config
from slint.context import Context
from slint.engine import run
from slint.loader import load_text
from slint.model.template import Template
from slint.rules.iam import RULES
from slint.rules.iam.open_route_overprivileged import OpenRouteOverprivileged

from .helpers import run_text

IAM_CODES = [r.code for r in RULES]


def iam_findings(text: str):
    res = run_text(textwrap.dedent(text), select=IAM_CODES)
    assert not [f for f in res.findings if f.rule == "INT001"]
    return [f for f in res.findings if f.rule.startswith("IAM")]


def test_star_star_is_reported_once():
    got = iam_findings("""
    Resources:
      Role:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument:
            Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]
          Policies:
            - PolicyName: all
              PolicyDocument:
                Statement: [{Effect: Allow, Action: "*", Resource: "*"}]
    """)
    assert [f.rule for f in got] == ["IAM001"]


def test_policy_attached_to_two_roles_is_reported_once():
    got = iam_findings("""
    Resources:
      A:
        Type: AWS::IAM::Role
      B:
        Type: AWS::IAM::Role
      P:
        Type: AWS::IAM::Policy
        Properties:
          PolicyName: p
          Roles: [!Ref A, !Ref B]
          PolicyDocument:
            Statement: [{Effect: Allow, Action: ["s3:*", "iam:PassRole", "sqs:SendMessage"], Resource: "*"}]
    """)
    assert Counter(f.rule for f in got) == {"IAM001": 1, "IAM002": 1, "IAM006": 1}
    assert all(f.resource == "P" for f in got)
    assert "attached to `A`, `B`" in got[0].message
    # the write-on-* finding lists the explicit write action, not the wildcard or PassRole
    w = [f for f in got if f.rule == "IAM002"][0]
    assert "`sqs:SendMessage`" in w.message and "s3:*" not in w.message and "PassRole" not in w.message


def test_admin_managed_policy_is_not_repeated_by_statement_rules():
    got = iam_findings("""
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Fn:
        Type: AWS::Serverless::Function
        Properties: {Handler: a, Runtime: python3.12, Policies: [AdministratorAccess, PowerUserAccess]}
    """)
    assert [f.rule for f in got] == ["IAM005", "IAM005"]


def test_scenario_is_named():
    got = iam_findings("""
    Parameters:
      Env: {Type: String, AllowedValues: [dev, prod]}
    Conditions:
      IsDev: !Equals [!Ref Env, dev]
    Resources:
      Role:
        Type: AWS::IAM::Role
        Properties:
          Policies:
            - PolicyName: p
              PolicyDocument:
                Statement: [{Effect: Allow, Action: !If [IsDev, "*", "s3:GetObject"], Resource: "*"}]
    """)
    assert [f.rule for f in got] == ["IAM001", "IAM003"]
    assert got[0].message.endswith("when IsDev") and got[0].scenario == [["IsDev", True]]
    assert got[1].message.endswith("when not IsDev") and got[1].scenario == [["IsDev", False]]


# ----------------------------------------------------------------- reachability with a fake view

@dataclass
class FakeRoute:
    api: str
    kind: str
    method: str
    path: str
    auth: str
    function: str | None
    owner: str
    doc_path: tuple

    @property
    def open(self):
        return self.auth == "NONE"


class FakeRoutes:
    def __init__(self, routes):
        self._routes = routes

    def routes(self):
        return list(self._routes)

    def open_routes(self):
        return [r for r in self._routes if r.open]


TEMPLATE = """
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement: [{Effect: Allow, Action: dynamodb:DeleteItem, Resource: "*"}]
  Fn:
    Type: AWS::Lambda::Function
    Properties: {Role: !GetAtt Role.Arn}
  Safe:
    Type: AWS::Lambda::Function
    Properties: {Role: arn:aws:iam::123456789012:role/external}
"""


def _ctx_with(routes):
    loaded = load_text(TEMPLATE, "t.yaml")
    ctx = Context(loaded.document, Template(loaded.document))
    ctx.__dict__["routes"] = FakeRoutes(routes)   # replaces the cached view
    return ctx


def test_reachability_names_the_open_route():
    routes = [
        FakeRoute("Api", "REST", "GET", "/items", "NONE", "Fn", "Api", ("Resources", "Api")),
        FakeRoute("Api", "REST", "DELETE", "/items", "NONE", "Fn", "Api", ("Resources", "Api")),
        FakeRoute("Api", "REST", "POST", "/admin", "COGNITO", "Fn", "Api", ("Resources", "Api")),
        FakeRoute("Api", "REST", "GET", "/safe", "NONE", "Safe", "Api", ("Resources", "Api")),
        FakeRoute("Api", "REST", "GET", "/mock", "NONE", None, "Api", ("Resources", "Api")),
    ]
    got = list(OpenRouteOverprivileged().check(_ctx_with(routes)))
    assert len(got) == 1
    f = got[0]
    assert f.resource == "Fn" and f.severity == "high"
    assert "`DELETE /items`" in f.message and "(and 1 more open route)" in f.message
    assert "`dynamodb:DeleteItem` on `*`" in f.message
    # primary location: the open route; the grant on the role is the related location
    assert f.path == ["Resources", "Api"]
    (rel,) = f.related
    assert rel["message"] == "`Fn` is granted `dynamodb:DeleteItem` on `*` here"
    assert rel["line"] > 1 and rel["resource"] == "Fn"


def test_reachability_needs_an_open_route():
    routes = [FakeRoute("Api", "HTTP", "POST", "/x", "JWT", "Fn", "Api", ("Resources", "Api"))]
    assert list(OpenRouteOverprivileged().check(_ctx_with(routes))) == []


def test_reachability_without_an_api_view():
    class NoRoutes:
        @property
        def routes(self):
            raise ModuleNotFoundError("slint.views.api")
    assert list(OpenRouteOverprivileged().check(NoRoutes())) == []


# ----------------------------------------------------------------- corpus

def test_corpus_is_crash_free(corpus_dir):
    result = run([str(corpus_dir)], Config(select=IAM_CODES + ["INT001"]))
    assert result.checked > 400
    crashes = [f"{f.file}: {f.message}" for f in result.findings if f.rule == "INT001"]
    assert crashes == []
    by_rule = Counter(f.rule for f in result.findings)
    # the family does report on real templates (guards against a silently broken view)
    assert by_rule["IAM001"] > 10 and by_rule["IAM002"] > 10 and by_rule["IAM005"] > 10


def test_escalation_in_a_standalone_policy_names_the_policy():
    got = iam_findings("""
    Resources:
      P:
        Type: AWS::IAM::ManagedPolicy
        Properties:
          PolicyDocument:
            Statement: [{Effect: Allow, Action: [iam:AttachRolePolicy, iam:PassRole], Resource: "*"}]
    """)
    assert Counter(f.rule for f in got) == {"IAM002": 1, "IAM006": 1, "IAM007": 1}
    esc = [f for f in got if f.rule == "IAM007"][0]
    assert esc.message.startswith("`P` (attached to no principal of this template)")
    assert "(iam:AttachRolePolicy)" in esc.message


def test_escalation_across_a_wildcard_and_an_explicit_grant():
    got = iam_findings("""
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Handler: a
          Runtime: python3.12
          Policies:
            - Statement: [{Effect: Allow, Action: "lambda:*", Resource: "*"}]
            - Statement: [{Effect: Allow, Action: iam:PassRole, Resource: "*"}]
      Only:
        Type: AWS::Serverless::Function
        Properties:
          Handler: a
          Runtime: python3.12
          Policies:
            - Statement: [{Effect: Allow, Action: ["lambda:*", "iam:*"], Resource: "*"}]
    """)
    esc = [f for f in got if f.rule == "IAM007"]
    assert [f.resource for f in esc] == ["Fn"]          # `Only` is all wildcards: IAM001's
    assert esc[0].line == 11                            # at the explicit iam:PassRole


def test_service_wildcard_only_counts_actions_that_apply_to_it():
    got = iam_findings("""
    Resources:
      Role:
        Type: AWS::IAM::Role
        Properties:
          Policies:
            - PolicyName: p
              PolicyDocument:
                Statement:
                  - {Effect: Allow, Action: [s3:PutBucketPolicy, s3:PutObject], Resource: "arn:aws:s3:::*/*"}
                  - {Effect: Allow, Action: [s3:PutBucketPolicy], Resource: "arn:aws:s3:::*/*"}
                  - {Effect: Allow, Action: [dynamodb:PutItem], Resource: "arn:aws:s3:::*"}
    """)
    assert [(f.rule, f.line) for f in got] == [("IAM002", 10)]
    assert "`s3:PutObject`" in got[0].message and "PutBucketPolicy" not in got[0].message
    assert "write actions" in got[0].message      # PutBucketPolicy (permissions) does not apply

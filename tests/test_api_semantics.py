"""API semantics that must match what SAM and API Gateway deploy, each checked against the real
SAM transform (tests/sam_oracle.py) where it has an answer."""

from __future__ import annotations

import textwrap

import pytest

from .test_api_oracle import _compare, _table, _view

pytest.importorskip("samtranslator")

FN = """
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Events:
{events}
"""


def _t(resources: str, events: str) -> str:
    return ("Transform: AWS::Serverless-2016-10-31\nResources:\n"
            + textwrap.indent(textwrap.dedent(resources), "  ")
            + FN.format(events=textwrap.indent(textwrap.dedent(events), " " * 8)))


def _policy_api(name: str, policy: str) -> str:
    return f"""\
{name}:
  Type: AWS::Serverless::Api
  Properties:
    StageName: prod
    Auth:
      ResourcePolicy:
{textwrap.indent(textwrap.dedent(policy), " " * 8)}"""


@pytest.mark.parametrize("policy,is_open", [
    # SAM writes Allow * beside a blacklist: open to everyone outside those IP ranges
    ('AwsAccountWhitelist: ["123456789012"]\nIpRangeBlacklist: ["10.0.0.0/8"]\n', True),
    ('IpRangeBlacklist: ["10.0.0.0/8"]\n', True),
    ('AwsAccountWhitelist: ["123456789012"]\n', False),
    ('IpRangeWhitelist: ["10.0.0.0/8"]\n', False),
    # only Deny statements and no authorizer: the implicit deny refuses every caller
    ("CustomStatements:\n  - Effect: Deny\n    Principal: '*'\n    Action: execute-api:Invoke\n"
     "    Resource: execute-api:/*\n    Condition: {IpAddress: {aws:SourceIp: 10.0.0.0/8}}\n", False),
])
def test_sam_resource_policy_as_the_transform_writes_it(policy, is_open):
    text = _t(_policy_api("Api", policy),
              "G: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /a, Method: get}}\n")
    table = _compare(text, "policy.yaml")
    assert table[("Api", "GET", "/a")][1] is is_open


def test_disabled_execute_api_endpoint_without_domain_cannot_be_called():
    text = _t("""\
        Api:
          Type: AWS::Serverless::Api
          Properties:
            StageName: prod
            DisableExecuteApiEndpoint: true
        """, "G: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /d, Method: get}}\n")
    table = _compare(text, "off.yaml")
    assert table[("Api", "GET", "/d")][1] is False
    view, _ = _view(text)
    (rt,) = view.routes()
    assert "cannot be called" in rt.restricted


HTTP = """\
Http:
  Type: AWS::Serverless::HttpApi
  Properties:
    DefinitionBody:
      openapi: "3.0.1"
      info: {title: t}
      paths:
        /items:
          get:
            security:
              - Jwt: []
      components:
        securitySchemes:
          Jwt:
            type: oauth2
            x-amazon-apigateway-authorizer:
              type: jwt
              identitySource: $request.header.Authorization
              jwtConfiguration:
                issuer: https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc
                audience: [client]
"""


def test_http_event_on_a_defined_route_keeps_its_security():
    text = _t(HTTP, "G: {Type: HttpApi, Properties: {ApiId: !Ref Http, Path: /items, Method: get}}\n")
    table = _compare(text, "http.yaml")
    assert table == {("Http", "GET", "/items"): ("JWT", False, False)}


@pytest.mark.parametrize("api_type,event", [
    ("AWS::Serverless::HttpApi", "G: {Type: HttpApi, Properties: {ApiId: !Ref Ext}}"),
    ("AWS::Serverless::Api",
     "G: {Type: Api, Properties: {RestApiId: !Ref Ext, Path: /x, Method: get}}"),
])
def test_definitions_in_s3_are_unknown_for_rest_and_http(api_type, event):
    stage = "    StageName: prod\n" if api_type.endswith("::Api") else ""
    text = _t(f"Ext:\n  Type: {api_type}\n  Properties:\n{stage}"
              "    DefinitionUri: s3://bucket/api.yaml\n", event + "\n")
    view, _ = _view(text)
    rows = [(r.auth, r.open) for r in view.routes()]
    assert rows == [("UNKNOWN", False)]


def test_resource_named_like_the_implicit_api_is_replaced():
    from .helpers import run_text
    text = _t("ServerlessRestApi:\n  Type: AWS::SNS::Topic\n",
              "G: {Type: Api, Properties: {Path: /x, Method: get}}\n")
    table = _compare(text, "collide.yaml")
    assert table[("ServerlessRestApi", "GET", "/x")][1] is True
    got = [(f.rule, f.line) for f in run_text(text, select=["SYN003"]).findings]
    assert got == [("SYN003", 3)]

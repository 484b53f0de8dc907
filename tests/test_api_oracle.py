"""The route view on SAM templates agrees with the SAM translator.

For every SAM fixture of the API and COG families (and a few extra cases below), the routes slint
computes from the SAM source must match the routes it computes from the CloudFormation that the
real SAM transform produces (`aws-sam-translator`, test extra only): same routes, same effective
auth, same open/closed verdict. The translated side exercises the plain CloudFormation paths
(OpenAPI `Body` with `security`, `x-amazon-apigateway-authorizer`, `x-amazon-apigateway-policy`,
`EndpointConfiguration`, `AWS::Lambda::Url`) independently of the SAM paths.
"""

from __future__ import annotations

import json

import pytest

from slint.context import Context
from slint.loader import load_text
from slint.model.template import Template

from .conftest import FIXTURES
from .sam_oracle import translate

pytest.importorskip("samtranslator")


def _view(text: str, name: str = "t.yaml"):
    doc = load_text(text, name).document
    return Context(doc, Template(doc), None, name).routes, doc


def _table(view, kinds=("REST", "HTTP", "FUNCTION_URL", "WEBSOCKET")) -> dict:
    out = {}
    for r in view.routes():
        if r.kind not in kinds:
            continue
        out[(r.api, r.method, r.path)] = (r.auth, r.open, r.api_key_required)
    return out


def _compare(text: str, name: str):
    sam_view, doc = _view(text, name)
    out = translate(doc.data)
    assert out is not None, f"{name}: SAM rejects the template"
    cfn_view, _ = _view(json.dumps(out), name + ".json")
    sam = _table(sam_view)
    cfn = _table(cfn_view)
    # SAM adds no route for an OPTIONS preflight unless Cors is set; we compare what both have
    assert sam == cfn, f"{name}:\nSAM view {sam}\nCFN view {cfn}"
    return sam


SAM_FIXTURES = sorted(
    p for code in ("API001", "API002", "COG001", "COG003", "COG004")
    for p in (FIXTURES / code).glob("*.yaml")
    if "Transform: AWS::Serverless" in p.read_text())
# fixtures that SAM itself rejects: naming an undefined authorizer is a transform error
REJECTED = {"COG003/flagged.yaml"}


@pytest.mark.parametrize("path", [p for p in SAM_FIXTURES
                                  if f"{p.parent.name}/{p.name}" not in REJECTED],
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture_routes_match_sam(path):
    _compare(path.read_text(), path.name)


def test_rejected_fixtures_are_rejected_by_sam():
    """The fixtures listed as rejected really are invalid SAM (so slint reports a real error)."""
    for rel in sorted(REJECTED):
        doc = load_text((FIXTURES / rel).read_text(), rel).document
        assert translate(doc.data) is None, rel


CASES = {
    "globals-auth-merges-into-explicit-api": """
Transform: AWS::Serverless-2016-10-31
Globals:
  Api:
    Auth:
      DefaultAuthorizer: L
      Authorizers:
        L: {FunctionArn: !GetAtt AuthFn.Arn}
Resources:
  AuthFn:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.12, Handler: a.h, CodeUri: s3://b/k}
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: p
      Auth:
        ApiKeyRequired: true
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: a.h
      CodeUri: s3://b/k
      Events:
        A: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /a, Method: get}}
        B: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /b, Method: get, Auth: {ApiKeyRequired: false, Authorizer: NONE}}}
""",
    "empty-security-gets-the-default": """
Transform: AWS::Serverless-2016-10-31
Resources:
  Rest:
    Type: AWS::Serverless::Api
    Properties:
      StageName: p
      Auth: {DefaultAuthorizer: AWS_IAM}
      DefinitionBody:
        swagger: "2.0"
        info: {title: t, version: "1"}
        paths:
          /a:
            get:
              security: []
              x-amazon-apigateway-integration: {type: mock}
  Http:
    Type: AWS::Serverless::HttpApi
    Properties:
      Auth: {EnableIamAuthorizer: true, DefaultAuthorizer: AWS_IAM}
      DefinitionBody:
        openapi: 3.0.1
        info: {title: t, version: "1"}
        paths:
          /a:
            get:
              security: []
              x-amazon-apigateway-integration: {type: aws_proxy, payloadFormatVersion: "2.0", uri: arn:aws:lambda:us-east-1:123456789012:function:f}
          /b:
            post:
              x-amazon-apigateway-integration: {type: aws_proxy, payloadFormatVersion: "2.0", uri: arn:aws:lambda:us-east-1:123456789012:function:f}
""",
    "event-on-plain-rest-api-adds-no-route": """
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties: {Name: x}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: a.h
      CodeUri: s3://b/k
      Events:
        A: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /a, Method: get}}
""",
    "globals-default-with-none-override": """
Transform: AWS::Serverless-2016-10-31
Globals:
  Api:
    Auth:
      DefaultAuthorizer: AWS_IAM
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: a.h
      CodeUri: s3://b/k
      Events:
        A: {Type: Api, Properties: {Path: /a, Method: get}}
        B: {Type: Api, Properties: {Path: /b, Method: post, Auth: {Authorizer: NONE}}}
""",
    "http-default-and-none": """
Transform: AWS::Serverless-2016-10-31
Resources:
  AuthFn:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.12, Handler: a.h, CodeUri: s3://b/k}
  Api:
    Type: AWS::Serverless::HttpApi
    Properties:
      Auth:
        DefaultAuthorizer: L
        Authorizers:
          L:
            FunctionArn: !GetAtt AuthFn.Arn
            AuthorizerPayloadFormatVersion: "2.0"
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: a.h
      CodeUri: s3://b/k
      Events:
        A: {Type: HttpApi, Properties: {ApiId: !Ref Api, Path: /a, Method: get}}
        B: {Type: HttpApi, Properties: {ApiId: !Ref Api, Path: /b, Method: post, Auth: {Authorizer: NONE}}}
        C: {Type: HttpApi, Properties: {ApiId: !Ref Api}}
""",
    "rest-api-key-and-cognito": """
Transform: AWS::Serverless-2016-10-31
Resources:
  Pool:
    Type: AWS::Cognito::UserPool
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: p
      Auth:
        ApiKeyRequired: true
        Authorizers:
          C: {UserPoolArn: !GetAtt Pool.Arn}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: a.h
      CodeUri: s3://b/k
      Events:
        A: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /a, Method: get}}
        B: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /b, Method: put, Auth: {Authorizer: C}}}
""",
    "resource-policy-per-event": """
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: a.h
      CodeUri: s3://b/k
      Events:
        A:
          Type: Api
          Properties:
            Path: /a
            Method: get
            Auth:
              ResourcePolicy:
                IpRangeWhitelist: [10.0.0.0/8]
""",
    "private-endpoint": """
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: p
      EndpointConfiguration: {Type: PRIVATE}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: a.h
      CodeUri: s3://b/k
      Events:
        A: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /a, Method: delete}}
""",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_cases_match_sam(name):
    _compare(CASES[name], name)


def test_cases_are_not_trivial():
    """The oracle cases cover both verdicts."""
    verdicts = set()
    for name, text in CASES.items():
        view, _ = _view(text, name)
        verdicts |= {r.open for r in view.routes()}
    assert verdicts == {True, False}
    view, _ = _view(CASES["event-on-plain-rest-api-adds-no-route"])
    assert view.routes() == []


def test_corpus_sam_routes_match_the_translator(corpus_dir):
    """On every SAM template of the real-world corpus with routes, slint's reading of the SAM
    source agrees with its reading of the translated CloudFormation; the only accepted
    difference is a route slint marks UNKNOWN because the API's definition is included from a
    file the translator cannot see either."""
    compared = 0
    diffs = []
    for p in sorted(corpus_dir.iterdir()):
        if p.suffix not in (".yaml", ".yml", ".json"):
            continue
        text = p.read_text(errors="replace")
        if "AWS::Serverless" not in text:
            continue
        doc = load_text(text, p.name).document
        if doc is None or not isinstance(doc.data, dict):
            continue
        sam_view = Context(doc, Template(doc), None, p.name).routes
        sam = _table(sam_view)
        if not sam:
            continue
        out = translate(doc.data)
        if out is None:
            continue
        compared += 1
        cfn = _table(_view(json.dumps(out), p.name + ".json")[0])
        for k in sorted(set(sam) | set(cfn)):
            if sam.get(k) != cfn.get(k) and not ((sam.get(k) or ())[:2] == ("UNKNOWN", False) and k not in cfn):
                diffs.append((p.name, k, sam.get(k), cfn.get(k)))
    assert compared > 100
    assert not diffs, diffs[:10]

"""COGNITO rules: behaviour beyond the fixtures."""

from __future__ import annotations

from .helpers import run_text

BASE = """
Transform: AWS::Serverless-2016-10-31
Parameters:
  PoolArn: {Type: String, Default: "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Abc"}
Resources:
  Pool: {Type: AWS::Cognito::UserPool}
  Topic: {Type: AWS::SNS::Topic}
  Stack:
    Type: AWS::CloudFormation::Stack
    Properties: {TemplateURL: https://example.com/t.yaml}
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: p
      Auth:
        Authorizers:
          A: {UserPoolArn: %s}
"""


def cog(value: str, code: str = "COG001"):
    return [f for f in run_text(BASE % value, select=[code]).findings if f.rule == code]


def test_valid_pool_references_are_clean():
    for v in ("!GetAtt Pool.Arn", "!Ref PoolArn", "!ImportValue pool-arn",
              "!GetAtt Stack.Outputs.PoolArn",
              "!Sub 'arn:${AWS::Partition}:cognito-idp:${AWS::Region}:${AWS::AccountId}:userpool/${Pool}'",
              "[!GetAtt Pool.Arn, !Ref PoolArn]"):
        assert cog(v) == [], v


def test_broken_pool_references_are_flagged_at_the_value():
    (f,) = cog("!Ref Pool")
    assert "!GetAtt Pool.Arn" in f.message and f.resource == "Api" and f.line == 17
    (f,) = cog("!Ref Topic")
    assert "(AWS::SNS::Topic)" in f.message and "not a user pool" in f.message
    (f,) = cog("arn:aws:cognito-idp:us-east-1:123456789012:pool/x")
    assert "not a user pool ARN" in f.message


def test_jwt_with_opaque_issuer_is_not_judged():
    text = """
Transform: AWS::Serverless-2016-10-31
Resources:
  Auth:
    Type: AWS::Serverless::Application
    Properties: {Location: ./auth.yml}
  Api:
    Type: AWS::Serverless::HttpApi
    Properties:
      Auth:
        DefaultAuthorizer: J
        Authorizers:
          J:
            IdentitySource: $request.header.Authorization
            JwtConfiguration:
              issuer: !GetAtt Auth.Outputs.Issuer
              audience: [!GetAtt Auth.Outputs.ClientId]
"""
    assert [f for f in run_text(text, select=["COG004"]).findings if f.rule == "COG004"] == []


def test_undefined_default_authorizer_on_implicit_api_belongs_to_the_function():
    text = """
Transform: AWS::Serverless-2016-10-31
Globals:
  HttpApi:
    Auth:
      DefaultAuthorizer: Missing
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: a.h
      CodeUri: s3://b/k
      Events:
        E: {Type: HttpApi}
"""
    (f,) = [f for f in run_text(text, select=["COG003"]).findings if f.rule == "COG003"]
    assert f.resource == "Fn" and f.line == 6 and f.path[:2] == ["Globals", "HttpApi"]
    assert "ServerlessHttpApi" in f.message


UNUSED_POOL = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Pool:
    Type: AWS::Cognito::UserPool
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Auth:
        Authorizers:
          Users:
            UserPoolArn: !GetAtt Pool.Arn
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Events:
        Orders:
          Type: Api
          Properties: {RestApiId: !Ref Api, Path: /orders, Method: post}
"""


def test_open_route_beside_an_unused_pool_is_one_finding_cog005():
    res = run_text(UNUSED_POOL)
    assert [(f.rule, f.resource) for f in res.findings if f.rule in ("API001", "COG005")] == [
        ("COG005", "Fn")]
    # with COG005 off, API001 still reports the open route
    res = run_text(UNUSED_POOL, ignore=["COG005"])
    assert [f.rule for f in res.findings if f.rule in ("API001", "COG005")] == ["API001"]
    res = run_text(UNUSED_POOL, select=["API001"])
    assert [f.rule for f in res.findings] == ["API001"]

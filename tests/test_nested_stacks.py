"""Nested stacks: a parent template with a child stack folder. Parameters go down, outputs come
up, findings in the child name it with the chain of parents; cycles and remote children are
refused or listed as unknown."""

from __future__ import annotations

import json

from slint.config import Config
from slint.engine import run

PARENT = """\
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage:
    Type: String
    Default: dev
Resources:
  Auth:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: {url}
      Parameters:
        Stage: !Ref Stage
        Public: "true"
  Settings:
    Type: AWS::Serverless::Application
    Properties:
      Location: settings/template.yaml
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      FunctionUrlConfig:
        AuthType: !GetAtt Settings.Outputs.UrlAuth
"""

CHILD = """\
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage:
    Type: String
  Public:
    Type: String
    AllowedValues: ["true", "false"]
    Default: "false"
Conditions:
  IsPublic: !Equals [!Ref Public, "true"]
Resources:
  UserPool:
    Type: AWS::Cognito::UserPool
  Admin:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      FunctionUrlConfig:
        AuthType: !If [IsPublic, NONE, AWS_IAM]
Outputs:
  UserPoolArn:
    Value: !GetAtt UserPool.Arn
"""

SETTINGS = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Mode:
    Type: String
    Default: NONE
Resources:
  Topic:
    Type: AWS::SNS::Topic
Outputs:
  UrlAuth:
    Value: !Ref Mode
"""


def _repo(tmp_path, url="auth/template.yaml"):
    root = tmp_path / "app"
    (root / "auth").mkdir(parents=True)
    (root / "settings").mkdir()
    (root / ".git").mkdir()
    (root / "template.yaml").write_text(PARENT.format(url=url))
    (root / "auth" / "template.yaml").write_text(CHILD)
    (root / "settings" / "template.yaml").write_text(SETTINGS)
    return root


def _rows(res):
    return sorted((f.file.replace("\\", "/").split("app/")[-1], f.line, f.rule, f.resource)
                  for f in res.findings)


def test_parameters_down_outputs_up_findings_in_child(tmp_path):
    root = _repo(tmp_path)
    res = run([str(root / "template.yaml")], Config(select=["API002"]))
    assert _rows(res) == [("auth/template.yaml", 21, "API002", "Admin"),
                          ("template.yaml", 25, "API002", "Fn")]
    child = [f for f in res.findings if f.resource == "Admin"][0]
    assert "(with Public=true from template.yaml)" in child.message
    assert child.via == [{"file": str(root / "template.yaml"), "line": 10, "resource": "Auth"}]
    parent = [f for f in res.findings if f.resource == "Fn"][0]
    assert "AuthType is NONE" in parent.message


def test_child_alone_keeps_every_scenario(tmp_path):
    root = _repo(tmp_path)
    # checked on its own, Public may be either value: the finding holds only when IsPublic
    (f,) = run([str(root / "auth" / "template.yaml")], Config(select=["API002"])).findings
    assert f.scenario == [["IsPublic", True]] and f.via is None and "with " not in f.message


def test_directory_scan_reports_the_child_once(tmp_path):
    root = _repo(tmp_path)
    res = run([str(root)], Config(select=["API002"]))
    assert [r[:3] for r in _rows(res)] == [("auth/template.yaml", 21, "API002"),
                                           ("template.yaml", 25, "API002")]
    assert all(f.via for f in res.findings if f.resource == "Admin")


def test_cycle_and_outside_children_refused(tmp_path):
    root = _repo(tmp_path, url="template.yaml")
    res = run([str(root / "template.yaml")], Config(select=["INC001"]))
    assert [(f.rule, f.line) for f in res.findings] == [("INC001", 10)]
    assert "cycle" in res.findings[0].message
    root2 = _repo(tmp_path / "two", url="../../outside.yaml")
    res = run([str(root2 / "template.yaml")], Config(select=["INC001"]))
    assert "outside the project root" in res.findings[0].message


def test_remote_child_is_unknown(tmp_path):
    root = _repo(tmp_path, url="https://s3.amazonaws.com/bucket/auth.yaml")
    res = run([str(root / "template.yaml")], Config(select=["API002", "INC001"]))
    assert _rows(res) == [("template.yaml", 25, "API002", "Fn")]
    (u,) = res.files[0].unknowns
    assert u["what"] == "nested stack" and u["resource"] == "Auth" and u["where"]["line"] == 10
    from slint.formatters.json_fmt import render
    assert json.loads(render(res))["files"][0]["unknowns"][0]["resource"] == "Auth"


def test_dynamic_reference_child_is_unknown_not_refused(tmp_path):
    # `{{resolve:ssm:...}}` names the template only at deploy time (cfn-lint fixture
    # nested_stack_dynamic.yaml): before, INC001 said "cannot be read: No such file"
    root = _repo(tmp_path, url="'{{resolve:ssm:/app/auth-template:1}}'")
    res = run([str(root / "template.yaml")], Config(select=["API002", "INC001"]))
    assert _rows(res) == [("template.yaml", 25, "API002", "Fn")]
    (u,) = res.files[0].unknowns
    assert u["resource"] == "Auth" and "dynamic reference" in u["why"]


CROSS_PARENT = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Auth:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: auth/template.yaml
  Http:
    Type: AWS::Serverless::HttpApi
    Properties:
      Auth:
        DefaultAuthorizer: Jwt
        Authorizers:
          Jwt:
            IdentitySource: $request.header.Authorization
            JwtConfiguration:
              issuer: !Sub https://cognito-idp.${AWS::Region}.amazonaws.com/${Auth.Outputs.UserPoolId}
              audience: [!GetAtt Auth.Outputs.ClientId]
  Rest:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Auth:
        DefaultAuthorizer: Pool
        Authorizers:
          Pool:
            UserPoolArn: !GetAtt Auth.Outputs.UserPoolArn
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Events:
        H: {Type: HttpApi, Properties: {ApiId: !Ref Http, Path: /h, Method: get}}
        R: {Type: Api, Properties: {RestApiId: !Ref Rest, Path: /r, Method: get}}
"""

CROSS_CHILD = """\
Resources:
  UserPool:
    Type: AWS::Cognito::UserPool
  Client:
    Type: AWS::Cognito::UserPoolClient
    Properties:
      UserPoolId: !Ref UserPool
Outputs:
  UserPoolId:
    Value: !Ref UserPool
  UserPoolArn:
    Value: !GetAtt UserPool.Arn
  ClientId:
    Value: !Ref Client
"""


def test_user_pool_in_a_child_stack_protects_parent_routes(tmp_path):
    (tmp_path / "auth").mkdir()
    (tmp_path / "samconfig.toml").write_text("version = 0.1\n")
    (tmp_path / "template.yaml").write_text(CROSS_PARENT)
    (tmp_path / "auth" / "template.yaml").write_text(CROSS_CHILD)
    res = run([str(tmp_path / "template.yaml")], Config())
    assert res.findings == []
    from slint.commands.routes import collect
    data, err = collect(str(tmp_path / "template.yaml"))
    assert err is None
    assert sorted((r["path"], r["auth"], r["open"]) for r in data["routes"]) == [
        ("/h", "JWT", False), ("/r", "COGNITO", False)]


def test_unknown_value_passed_down_overrides_the_child_default(tmp_path):
    (tmp_path / "c").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "p.yaml").write_text(
        "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n  Child:\n"
        "    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: c/t.yaml\n"
        "      Parameters:\n        Name: !GetAtt Q.QueueName\n")
    (tmp_path / "c" / "t.yaml").write_text(
        "Parameters:\n  Name:\n    Type: String\n    Default: fixed-name\nResources:\n"
        "  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Ref Name\n")
    alone = run([str(tmp_path / "c" / "t.yaml")], Config(select=["BKT"])).findings
    assert [f.rule for f in alone] == ["BKT002"]     # the default, a name from a parameter
    nested = run([str(tmp_path / "p.yaml")], Config(select=["BKT"])).findings
    # the parent passes a queue name slint cannot fix: not the default, and no name to judge
    assert nested == []


def test_grandchild_via_names_each_parent_once(tmp_path):
    # found on aws-samples/aws-serverless-ecommerce-platform (pipeline/): a stack nested two
    # levels deep listed its top parent twice in `via`
    root = tmp_path / "app"
    (root / "stacks").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "template.yaml").write_text(
        "Resources:\n"
        "  Pipeline:\n"
        "    Type: AWS::CloudFormation::Stack\n"
        "    Properties:\n"
        "      TemplateURL: stacks/pipeline.yaml\n")
    (root / "stacks" / "pipeline.yaml").write_text(
        "Resources:\n"
        "  Topic:\n"
        "    Type: AWS::SNS::Topic\n"
        "  Env:\n"
        "    Type: AWS::CloudFormation::Stack\n"
        "    Properties:\n"
        "      TemplateURL: env.yaml\n")
    (root / "stacks" / "env.yaml").write_text(
        "Resources:\n"
        "  Fn:\n"
        "    Type: AWS::Lambda::Url\n"
        "    Properties:\n"
        "      AuthType: NONE\n"
        "      TargetFunctionArn: arn:aws:lambda:us-east-1:111122223333:function:f\n")
    res = run([str(root / "template.yaml")], Config(select=["API002"]))
    assert _rows(res) == [("stacks/env.yaml", 5, "API002", "Fn")]
    assert res.findings[0].via == [
        {"file": str(root / "stacks" / "pipeline.yaml"), "line": 7, "resource": "Env"},
        {"file": str(root / "template.yaml"), "line": 5, "resource": "Pipeline"}]

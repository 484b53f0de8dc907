"""A nested stack parameter the parent fills with one of its own resources (``!Ref R``,
``!GetAtt R.Arn``) or with a sibling stack's output that is one of the sibling's resources is
one resource in the child (``${Parent.R.Arn}``): scoped for IAM, never a hard-coded name, never
a dangling reference. A value the parent cannot reduce to one resource stays unknown."""

from __future__ import annotations

from slint.config import Config
from slint.engine import run

PARENT = """\
Transform: AWS::Serverless-2016-10-31
Parameters:
  FreeArn:
    Type: String
Conditions:
  IsProd: !Equals [!Ref FreeArn, prod]
Resources:
  Table:
    Type: AWS::DynamoDB::Table
  Other:
    Type: AWS::DynamoDB::Table
  Bucket:
    Type: AWS::S3::Bucket
  App:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: child.yaml
      Parameters:
        TableArn: !GetAtt Table.Arn
        SiblingArn: !GetAtt Tables.Outputs.TableArn
        SiblingText: !GetAtt Tables.Outputs.TableName
        FreeArn: !Ref FreeArn
        JoinArn: !Join ["", [!Ref FreeArn, "/x"]]
        EitherArn: !If [IsProd, !GetAtt Table.Arn, !GetAtt Other.Arn]
        ImportArn: !ImportValue shared-table-arn
        SourceBucket: !Ref Bucket
  Tables:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: tables.yaml
"""

TABLES = """\
Resources:
  Table:
    Type: AWS::DynamoDB::Table
  Setting:
    Type: AWS::SSM::Parameter
    Properties:
      Type: String
      Value: "*"
Outputs:
  TableArn:
    Value: !GetAtt Table.Arn
  TableName:
    Value: !GetAtt Setting.Value
"""

CHILD = """\
Transform: AWS::Serverless-2016-10-31
Parameters:
  TableArn: {Type: String}
  SiblingArn: {Type: String}
  SiblingText: {Type: String}
  FreeArn: {Type: String}
  JoinArn: {Type: String}
  EitherArn: {Type: String}
  ImportArn: {Type: String}
  SourceBucket: {Type: String}
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Policies:
        - Statement:
%s
  Copy:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Ref SourceBucket
  Logs1:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "${SourceBucket}-logs"
  Logs2:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "${SourceBucket}-logs"
"""

PARAMS = ["TableArn", "SiblingArn", "SiblingText", "FreeArn", "JoinArn", "EitherArn",
          "ImportArn"]


def _statement(param: str) -> str:
    return ("            - Effect: Allow\n"
            "              Action: dynamodb:PutItem\n"
            f"              Resource: !Ref {param}\n")


def _repo(tmp_path, child_dir=""):
    (tmp_path / ".git").mkdir()
    (tmp_path / "parent.yaml").write_text(PARENT)
    (tmp_path / "tables.yaml").write_text(TABLES)
    (tmp_path / "child.yaml").write_text(CHILD % "".join(_statement(p) for p in PARAMS))
    return tmp_path


def _flagged(findings) -> dict:
    """Parameter named in each IAM002 finding -> severity."""
    out = {}
    for f in findings:
        assert f.rule == "IAM002", f
        (name,) = [p for p in PARAMS if f"${{{p}}}" in f.message]
        out[name] = f.severity
    return out


def test_parent_resource_and_sibling_resource_output_are_scoped(tmp_path):
    root = _repo(tmp_path)
    res = run([str(root / "parent.yaml")], Config(select=["IAM002"]))
    # TableArn (`!GetAtt Table.Arn`) and SiblingArn (the sibling's `!GetAtt Table.Arn`, checked
    # first although written after) are one resource each: no finding. The rest stay unknown:
    # a parameter without default, a Join of it, an If between two tables, an import, and a
    # sibling output that is an SSM parameter's value (any text, `*` included)
    assert _flagged(res.findings) == {p: "low" for p in
                                      ("SiblingText", "FreeArn", "JoinArn", "EitherArn",
                                       "ImportArn")}
    free = [f for f in res.findings if "${FreeArn}" in f.message][0]
    assert "depends on parameter `FreeArn`" in free.message
    assert free.via and free.via[0]["resource"] == "App"


def test_child_alone_still_reports_its_parameters(tmp_path):
    root = _repo(tmp_path)
    res = run([str(root / "child.yaml")], Config(select=["IAM002"]))
    assert _flagged(res.findings) == {p: "low" for p in PARAMS}


def test_bucket_named_from_a_parent_bucket_is_not_a_hard_coded_name(tmp_path):
    root = _repo(tmp_path)
    res = run([str(root / "parent.yaml")], Config(select=["BKT"]))
    # no BKT001 (hard-coded name) or BKT002 for `Copy`; the two log buckets really would get
    # the same name, and the message names the parent's resource
    assert sorted((f.rule, f.resource) for f in res.findings) == [("BKT003", "Logs1"),
                                                                 ("BKT003", "Logs2")]
    assert all("`${Parent.Bucket}-logs`" in f.message for f in res.findings)


def test_no_undefined_reference_for_a_parent_resource(tmp_path):
    root = _repo(tmp_path)
    res = run([str(root / "parent.yaml")], Config())
    assert not [f for f in res.findings if f.rule in ("SYN004", "INT001")]
    assert {f.resource for f in res.findings} <= {"Fn", "Logs1", "Logs2"}


def test_grandchild_sees_the_resource_its_parent_was_passed(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "top.yaml").write_text(
        "Resources:\n"
        "  Repo:\n    Type: AWS::CodeCommit::Repository\n"
        "    Properties: {RepositoryName: r}\n"
        "  Mid:\n    Type: AWS::CloudFormation::Stack\n"
        "    Properties:\n      TemplateURL: mid.yaml\n"
        "      Parameters: {RepoArn: !GetAtt Repo.Arn}\n")
    (tmp_path / "mid.yaml").write_text(
        "Parameters:\n  RepoArn: {Type: String}\n"
        "Resources:\n  Leaf:\n    Type: AWS::CloudFormation::Stack\n"
        "    Properties:\n      TemplateURL: leaf.yaml\n"
        "      Parameters: {RepoArn: !Ref RepoArn}\n"
        "Outputs:\n  Passed:\n    Value: !Ref RepoArn\n")
    (tmp_path / "leaf.yaml").write_text(
        "Parameters:\n  RepoArn: {Type: String}\n"
        "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n        Statement:\n          - Effect: Allow\n"
        "            Principal: {Service: codepipeline.amazonaws.com}\n"
        "            Action: sts:AssumeRole\n"
        "      Policies:\n        - PolicyName: p\n          PolicyDocument:\n"
        "            Statement:\n              - Effect: Allow\n"
        "                Action: codecommit:UploadArchive\n"
        "                Resource: !Ref RepoArn\n")
    assert run([str(tmp_path / "top.yaml")], Config(select=["IAM002"])).findings == []
    (f,) = run([str(tmp_path / "leaf.yaml")], Config(select=["IAM002"])).findings
    assert "depends on parameter `RepoArn`" in f.message


SIBLING_PARENT = """\
Resources:
  App:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: app.yaml
      Parameters:
        Literal: !GetAtt Settings.Outputs.Literal
        FromDefault: !GetAtt Settings.Outputs.FromDefault
        FromParent: !GetAtt Settings.Outputs.FromParent
        Either: !GetAtt Settings.Outputs.Either
  Settings:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: settings.yaml
      Parameters:
        Audit: audit
"""

SETTINGS = """\
Parameters:
  Orders: {Type: String, Default: orders}
  Audit: {Type: String}
  Mode: {Type: String, AllowedValues: [a, b]}
Resources:
  Topic:
    Type: AWS::SNS::Topic
Outputs:
  Literal:
    Value: arn:aws:dynamodb:us-east-1:123456789012:table/items
  FromDefault:
    Value: !Sub arn:aws:dynamodb:us-east-1:123456789012:table/${Orders}
  FromParent:
    Value: !Sub arn:aws:dynamodb:us-east-1:123456789012:table/${Audit}
  Either:
    Value: !Sub arn:aws:dynamodb:us-east-1:123456789012:table/${Mode}
"""

SIBLING_PARAMS = ["Literal", "FromDefault", "FromParent", "Either"]


def test_sibling_output_that_is_known_text_is_passed_down(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "parent.yaml").write_text(SIBLING_PARENT)
    (tmp_path / "settings.yaml").write_text(SETTINGS)
    (tmp_path / "app.yaml").write_text(
        "Parameters:\n" + "".join(f"  {p}: {{Type: String}}\n" for p in SIBLING_PARAMS)
        + "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n"
        "      AssumeRolePolicyDocument:\n        Statement:\n          - Effect: Allow\n"
        "            Principal: {Service: lambda.amazonaws.com}\n"
        "            Action: sts:AssumeRole\n"
        "      Policies:\n        - PolicyName: p\n          PolicyDocument:\n"
        "            Statement:\n"
        + "".join("              - Effect: Allow\n"
                  "                Action: dynamodb:PutItem\n"
                  f"                Resource: !Ref {p}\n" for p in SIBLING_PARAMS))
    res = run([str(tmp_path / "parent.yaml")], Config(select=["IAM002"]))
    # a literal, the sibling's parameter default and the value the parent passed the sibling
    # are known text in App: its policy is scoped to those tables. An output with two possible
    # values (a parameter's AllowedValues) is passed, value unknown, as before
    flagged = {p for f in res.findings for p in SIBLING_PARAMS if f"${{{p}}}" in f.message}
    assert flagged == {"Either"}, [f.message for f in res.findings]
    # the child alone still sees four unknown parameters
    alone = run([str(tmp_path / "app.yaml")], Config(select=["IAM002"]))
    assert len(alone.findings) == 4


def test_user_pool_passed_down_is_judged_as_a_user_pool(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "parent.yaml").write_text(
        "Resources:\n"
        "  Pool:\n    Type: AWS::Cognito::UserPool\n"
        "  Table:\n    Type: AWS::DynamoDB::Table\n"
        "  Api:\n    Type: AWS::CloudFormation::Stack\n"
        "    Properties:\n      TemplateURL: api.yaml\n"
        "      Parameters:\n        PoolArn: !GetAtt Pool.Arn\n"
        "        PoolId: !Ref Pool\n        TableArn: !GetAtt Table.Arn\n"
        "        Tables: !GetAtt Tables.Outputs.Arn\n"
        "  Tables:\n    Type: AWS::CloudFormation::Stack\n"
        "    Properties:\n      TemplateURL: tables.yaml\n")
    (tmp_path / "tables.yaml").write_text(
        "Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n"
        "Outputs:\n  Arn:\n    Value: !GetAtt T.Arn\n")
    params = ["PoolArn", "PoolId", "TableArn", "Tables"]
    (tmp_path / "api.yaml").write_text(
        "Parameters:\n" + "".join(f"  {p}: {{Type: String}}\n" for p in params)
        + "Resources:\n  Api:\n    Type: AWS::ApiGateway::RestApi\n    Properties: {Name: a}\n"
        + "".join(f"  Auth{p}:\n    Type: AWS::ApiGateway::Authorizer\n    Properties:\n"
                  f"      Name: {p}\n      RestApiId: !Ref Api\n      Type: COGNITO_USER_POOLS\n"
                  "      IdentitySource: method.request.header.Authorization\n"
                  f"      ProviderARNs: [!Ref {p}]\n" for p in params))
    res = run([str(tmp_path / "parent.yaml")], Config(select=["COG001"]))
    # the pool's ARN is a user pool; its id (`!Ref Pool`), the parent's table and a sibling
    # stack's table are not: the type of the resource passed down is known in the child
    got = {f.resource: f.message for f in res.findings}
    assert sorted(got) == ["AuthPoolId", "AuthTableArn", "AuthTables"]
    assert "not the ARN of user pool `Pool`" in got["AuthPoolId"]
    assert "refers to `Table.Arn` (AWS::DynamoDB::Table)" in got["AuthTableArn"]
    assert "refers to `Tables.Outputs.Arn` (AWS::DynamoDB::Table)" in got["AuthTables"]
    # the child alone: four parameters, nothing to judge
    assert run([str(tmp_path / "api.yaml")], Config(select=["COG001"])).findings == []

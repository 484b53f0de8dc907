"""The IAM grants view (slint.views.iam): every shape a permission is written in."""

from __future__ import annotations

import random
import textwrap

import pytest

from slint.context import Context
from slint.loader import load_text
from slint.model.template import Template
from slint.policy.parts import _star_match
from slint.policy.parts import wildcard_match as full
from slint.views.iam import ANY, SCOPED, SERVICE, UNKNOWN, Action, ResourceValue, compatible

ROLE_TRUST = """
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
"""


def ctx_of(text: str) -> Context:
    loaded = load_text(textwrap.dedent(text), "t.yaml")
    assert loaded.document is not None, loaded.issues
    return Context(loaded.document, Template(loaded.document))


def by_source(grants, source):
    return [g for g in grants if g.source == source]


def texts(values):
    return [v.text for v in values]


# ----------------------------------------------------------------- identity policies

def test_role_inline_policies_managed_arns_and_trust():
    ctx = ctx_of("""
    Resources:
      Role:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument:
            Statement:
              - Effect: Allow
                Principal: {Service: lambda.amazonaws.com}
                Action: sts:AssumeRole
          ManagedPolicyArns:
            - !Sub arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess
            - arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole
          Policies:
            - PolicyName: p
              PolicyDocument:
                Statement:
                  - Effect: Allow
                    Action: [s3:GetObject, "s3:Put*"]
                    Resource: "*"
                  - Effect: Deny
                    Action: s3:DeleteBucket
                    Resource: "*"
    """)
    iam = ctx.iam
    inline = by_source(iam.grants(), "role_inline")
    assert [g.effect for g in inline] == ["Allow", "Deny"]
    g = inline[0]
    assert (g.owner, g.written_in, g.principals) == ("Role", "Role", ("Role",))
    assert texts(g.actions) == ["s3:GetObject", "s3:Put*"]
    assert g.actions[1].path == ("Resources", "Role", "Properties", "Policies", 0, "PolicyDocument",
                                 "Statement", 0, "Action", 1)
    assert g.resources[0].kind == ANY
    assert g.path == ("Resources", "Role", "Properties", "Policies", 0, "PolicyDocument",
                      "Statement", 0)
    # allow_grants drops the Deny, keeps the synthetic admin grant
    allows = iam.allow_grants()
    assert all(x.effect != "Deny" for x in allows)
    names = [m.name for m in iam.managed_policies()]
    assert names == ["AdministratorAccess", "AWSLambdaBasicExecutionRole"]
    synth = [x for x in allows if x.synthetic]
    assert len(synth) == 1 and synth[0].managed == "AdministratorAccess"
    assert synth[0].actions[0].is_all
    trust = iam.trust_policies()
    assert len(trust) == 1 and trust[0].principal_values[0].kind == "Service"
    assert trust[0].principal_values[0].text == "lambda.amazonaws.com"
    assert not trust[0].is_identity


def test_policy_resource_attached_to_roles_users_groups_and_by_name():
    ctx = ctx_of("""
    Resources:
      Role:
        Type: AWS::IAM::Role
        Properties:
          RoleName: named-role
    """ + ROLE_TRUST + """
      User:
        Type: AWS::IAM::User
      Group:
        Type: AWS::IAM::Group
      P:
        Type: AWS::IAM::Policy
        Properties:
          PolicyName: p
          Roles: [named-role]
          Users: [!Ref User]
          Groups: [!Ref Group]
          PolicyDocument:
            Statement:
              Effect: Allow
              Action: sqs:SendMessage
              Resource: !GetAtt Q.Arn
      Lonely:
        Type: AWS::IAM::Policy
        Properties:
          PolicyName: lonely
          Roles: [someone-elses-role]
          PolicyDocument:
            Statement: [{Effect: Allow, Action: sns:Publish, Resource: "*"}]
      Q:
        Type: AWS::SQS::Queue
    """)
    iam = ctx.iam
    p = [g for g in iam.grants() if g.written_in == "P"]
    assert len(p) == 1
    assert p[0].principals == ("Role", "User", "Group")
    assert p[0].owner == "Role" and p[0].source == "policy"
    assert p[0].resources[0].kind == SCOPED
    assert "attached to `Role`, `User`, `Group`" in p[0].who()
    lonely = [g for g in iam.grants() if g.written_in == "Lonely"]
    assert lonely[0].principals == ("Lonely",)
    assert [g.written_in for g in iam.grants_of("User")] == ["P"]
    assert [g.written_in for g in iam.grants_of("Role")] == ["P"]


def test_managed_policy_attached_by_ref_from_role_and_sam_policies():
    ctx = ctx_of("""
    Transform: AWS::Serverless-2016-10-31
    Resources:
      MP:
        Type: AWS::IAM::ManagedPolicy
        Properties:
          PolicyDocument:
            Statement: [{Effect: Allow, Action: dynamodb:PutItem, Resource: "*"}]
      Role:
        Type: AWS::IAM::Role
        Properties:
          ManagedPolicyArns: [!Ref MP]
    """ + ROLE_TRUST + """
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Handler: a
          Runtime: python3.12
          Policies: [!Ref MP]
    """)
    iam = ctx.iam
    mp = [g for g in iam.grants() if g.written_in == "MP"]
    assert len(mp) == 1 and mp[0].source == "managed_policy"
    assert set(mp[0].principals) == {"Role", "Fn"}
    assert [g.written_in for g in iam.grants_of("Fn")] == ["MP"]
    assert [g.written_in for g in iam.grants_of("Role")] == ["MP"]
    local = [m for m in iam.managed_policies() if m.local]
    assert sorted(m.owner for m in local) == ["Fn", "Role"]
    assert all(not m.aws_managed for m in local)


def test_user_group_membership_gives_group_grants():
    ctx = ctx_of("""
    Resources:
      G:
        Type: AWS::IAM::Group
        Properties:
          GroupName: ops
          Policies:
            - PolicyName: g
              PolicyDocument:
                Statement: [{Effect: Allow, Action: ec2:StartInstances, Resource: "*"}]
          ManagedPolicyArns: [arn:aws:iam::aws:policy/IAMFullAccess]
      U1:
        Type: AWS::IAM::User
        Properties:
          Groups: [!Ref G]
      U2:
        Type: AWS::IAM::User
      Add:
        Type: AWS::IAM::UserToGroupAddition
        Properties:
          GroupName: ops
          Users: [!Ref U2]
    """)
    iam = ctx.iam
    for user in ("U1", "U2"):
        assert {g.source for g in iam.grants_of(user)} == {"group_inline", "aws_managed"}
        assert [m.name for m in iam.managed_policies_of(user)] == ["IAMFullAccess"]


# ----------------------------------------------------------------- SAM

def test_sam_policies_inline_names_arns_and_templates():
    ctx = ctx_of("""
    Transform: AWS::Serverless-2016-10-31
    Parameters:
      QueueParam: {Type: String}
    Resources:
      T:
        Type: AWS::DynamoDB::Table
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Handler: a
          Runtime: python3.12
          Policies:
            - DynamoDBCrudPolicy:
                TableName: !Ref T
            - SQSPollerPolicy:
                QueueName: !Ref QueueParam
            - VPCAccessPolicy: {}
            - AmazonS3FullAccess
            - arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess
            - Statement:
                - Effect: Allow
                  Action: sns:Publish
                  Resource: !Ref Topic
      Topic:
        Type: AWS::SNS::Topic
    """)
    iam = ctx.iam
    gs = iam.grants_of("Fn")
    tmpl = [g for g in gs if g.source == "sam_template"]
    assert [g.template for g in tmpl] == ["DynamoDBCrudPolicy", "SQSPollerPolicy", "VPCAccessPolicy"]
    ddb = tmpl[0]
    assert ddb.owner == "Fn" and "dynamodb:PutItem" in texts(ddb.actions)
    assert [r.text for r in ddb.resources] == [
        "arn:aws:dynamodb:{AWS::Region}:{AWS::AccountId}:table/{Ref:T}",
        "arn:aws:dynamodb:{AWS::Region}:{AWS::AccountId}:table/{Ref:T}/index/*"]
    assert all(r.kind == SCOPED for r in ddb.resources)
    base = ("Resources", "Fn", "Properties", "Policies")
    assert ddb.resources[0].path == base + (0, "DynamoDBCrudPolicy", "TableName")
    assert ddb.actions[0].path == base + (0, "DynamoDBCrudPolicy")
    sqs = tmpl[1]
    # the queue name is a parameter: the ARN is scoped to one (unknown) queue, not "*"
    assert sqs.resources[0].kind == SCOPED and "QueueParam" in sqs.resources[0].sv.params
    vpc = tmpl[2]
    assert vpc.resources[0].kind == ANY    # the template itself grants "*"
    assert [m.name for m in iam.managed_policies_of("Fn")] == ["AmazonS3FullAccess",
                                                                "AWSXRayDaemonWriteAccess"]
    synth = [g for g in gs if g.synthetic]
    assert [g.managed for g in synth] == ["AmazonS3FullAccess"]
    inline = [g for g in gs if g.source == "sam_inline"]
    assert inline[0].path == base + (5, "Statement", 0)
    assert inline[0].resources[0].kind == SCOPED


def test_sam_role_property_overrides_policies_and_lambda_role():
    ctx = ctx_of("""
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Role:
        Type: AWS::IAM::Role
        Properties:
          Policies:
            - PolicyName: p
              PolicyDocument:
                Statement: [{Effect: Allow, Action: s3:PutObject, Resource: "*"}]
    """ + ROLE_TRUST + """
      SamFn:
        Type: AWS::Serverless::Function
        Properties:
          Handler: a
          Runtime: python3.12
          Role: !GetAtt Role.Arn
          Policies: [AdministratorAccess]
      CfnFn:
        Type: AWS::Lambda::Function
        Properties:
          Role: !GetAtt Role.Arn
      Sm:
        Type: AWS::StepFunctions::StateMachine
        Properties:
          RoleArn: !GetAtt Role.Arn
      SamSm:
        Type: AWS::Serverless::StateMachine
        Properties:
          Policies:
            - Statement: [{Effect: Allow, Action: lambda:InvokeFunction, Resource: "*"}]
    """)
    iam = ctx.iam
    for fn in ("SamFn", "CfnFn", "Sm"):
        assert [g.written_in for g in iam.grants_of(fn)] == ["Role"], fn
        assert iam.roles_of(fn) == ["Role"]
    assert iam.managed_policies_of("SamFn") == []     # SAM ignores Policies with Role
    assert [g.owner for g in iam.grants_of("SamSm")] == ["SamSm"]


def test_globals_trust_policy_points_at_globals():
    ctx = ctx_of("""
    Transform: AWS::Serverless-2016-10-31
    Globals:
      Function:
        AssumeRolePolicyDocument:
          Statement:
            - Effect: Allow
              Principal: {AWS: "*"}
              Action: sts:AssumeRole
    Resources:
      Fn:
        Type: AWS::Serverless::Function
        Properties: {Handler: a, Runtime: python3.12}
    """)
    trust = ctx.iam.trust_policies()
    assert len(trust) == 1 and trust[0].owner == "Fn"
    p = trust[0].principal_values[0]
    assert p.is_public and p.path[:3] == ("Globals", "Function", "AssumeRolePolicyDocument")


# ----------------------------------------------------------------- Fn::If

def test_if_branches_at_every_level_carry_scenarios():
    ctx = ctx_of("""
    Transform: AWS::Serverless-2016-10-31
    Parameters:
      Env: {Type: String, AllowedValues: [dev, prod]}
    Conditions:
      Prod: !Equals [!Ref Env, prod]
    Resources:
      B:
        Type: AWS::S3::Bucket
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Handler: a
          Runtime: python3.12
          Policies:
            - !If [Prod, AdministratorAccess, !Ref AWS::NoValue]
            - Statement:
                - !If
                  - Prod
                  - Effect: Allow
                    Action: !If [Prod, "s3:*", s3:GetObject]
                    Resource: !If [Prod, "*", !GetAtt B.Arn]
                  - !Ref AWS::NoValue
    """)
    iam = ctx.iam
    m = iam.managed_policies_of("Fn")
    assert [(x.name, sorted(x.scenario)) for x in m] == [("AdministratorAccess", [("Prod", True)])]
    inline = [g for g in iam.grants_of("Fn") if g.source == "sam_inline"]
    assert len(inline) == 1
    g = inline[0]
    assert g.scenario == frozenset({("Prod", True)})
    # the action's "not Prod" branch contradicts the statement's scenario: dropped
    assert [(a.text, sorted(a.scenario)) for a in g.actions] == [("s3:*", [("Prod", True)])]
    assert [(r.kind, sorted(r.scenario)) for r in g.resources] == [(ANY, [("Prod", True)])]


def test_compatible():
    assert compatible(frozenset({("A", True)}), frozenset({("B", False)}))
    assert not compatible(frozenset({("A", True)}), frozenset({("A", False)}))
    assert compatible()


# ----------------------------------------------------------------- resource-based

def test_resource_policies():
    ctx = ctx_of("""
    Resources:
      Fn:
        Type: AWS::Lambda::Function
        Properties: {Role: arn:aws:iam::123456789012:role/x}
      Perm:
        Type: AWS::Lambda::Permission
        Properties:
          FunctionName: !GetAtt Fn.Arn
          Action: lambda:InvokeFunction
          Principal: "*"
          SourceArn: arn:aws:execute-api:us-east-1:123456789012:abc/*
      Q:
        Type: AWS::SQS::Queue
      QP:
        Type: AWS::SQS::QueuePolicy
        Properties:
          Queues: [!Ref Q]
          PolicyDocument:
            Statement:
              - Effect: Allow
                Principal: {AWS: ["*", arn:aws:iam::123456789012:root]}
                Action: sqs:SendMessage
                Resource: !GetAtt Q.Arn
                Condition:
                  StringEqualsIfExists: {aws:SourceAccount: "123456789012"}
      T:
        Type: AWS::SNS::Topic
      TP:
        Type: AWS::SNS::TopicPolicy
        Properties:
          Topics: [!Ref T]
          PolicyDocument:
            Statement: [{Effect: Allow, Principal: {Service: s3.amazonaws.com}, Action: sns:Publish, Resource: !Ref T}]
      K:
        Type: AWS::KMS::Key
        Properties:
          KeyPolicy:
            Statement: [{Effect: Allow, Principal: {AWS: "*"}, Action: "kms:*", Resource: "*",
                         Condition: {StringEquals: {kms:CallerAccount: "123456789012"}}}]
      BP:
        Type: AWS::S3::BucketPolicy
        Properties:
          Bucket: !Ref Bkt
          PolicyDocument:
            Statement: [{Effect: Deny, Principal: "*", Action: "s3:*", Resource: "*"}]
      Bkt:
        Type: AWS::S3::Bucket
    """)
    rp = ctx.iam.resource_policies()
    assert [g.written_in for g in rp] == ["Perm", "QP", "TP", "K", "BP"]
    assert [g.target for g in rp] == ["Fn", "Q", "T", "K", "Bkt"]
    perm, qp, tp, k, bp = rp
    assert perm.public and perm.limiting_conditions("principal")
    assert perm.conditions[0].path == ("Resources", "Perm", "Properties", "SourceArn")
    assert [p.is_public for p in qp.principal_values] == [True, False]
    assert not qp.limiting_conditions("principal")        # ...IfExists does not limit
    assert not tp.public
    assert k.public and [c.key for c in k.limiting_conditions("principal")] == ["kms:CallerAccount"]
    assert bp.effect == "Deny"
    assert ctx.iam.allow_grants() == []                 # none of these is an identity grant


# ----------------------------------------------------------------- values

@pytest.mark.parametrize("text,kind", [
    ("*", ANY), ("arn:aws:*:*:*:*", ANY), ("arn:*", ANY),
    ("arn:aws:s3:::*", SERVICE), ("arn:aws:s3:::*/*", SERVICE), ("arn:aws:sqs:*:*:*", SERVICE),
    ("arn:aws:dynamodb:{AWS::Region}:{AWS::AccountId}:table/*", SERVICE),
    ("arn:aws:lambda:us-east-1:1:function:*", SERVICE), ("arn:aws:iam::1:role/*", SERVICE),
    ("arn:aws:logs:*:*:log-group:*", SERVICE),
    ("arn:aws:s3:::my-bucket/*", SCOPED), ("arn:aws:s3:::app-*", SCOPED),
    ("arn:aws:dynamodb:*:*:table/Orders", SCOPED), ("arn:aws:execute-api:r:a:abc123/*", SCOPED),
    ("arn:aws:logs:*:*:log-group:/aws/lambda/*", SCOPED),
    ("arn:aws:s3:::{Ref:Bucket}/*", SCOPED),
    # a pattern that matches every ARN of one resource form of the service
    ("arn:aws:execute-api:*:*:**/@connections/*", SERVICE),       # every WebSocket connection
    ("arn:aws:execute-api:{AWS::Region}:{AWS::AccountId}:*/@connections/*", SERVICE),
    ("arn:aws:dynamodb:*:*:table/*/index/*", SERVICE), ("arn:aws:dynamodb:*:*:table*", SERVICE),
    ("arn:aws:mobiletargeting:*:1:apps/*/messages", SERVICE),
    ("arn:aws:lambda:*:*:function:*:*", SERVICE),                   # every alias and version
    ("arn:aws:execute-api:*:*:abc123/*/@connections/*", SCOPED),    # one API
    ("arn:aws:execute-api:*:*:{Ref:Ws}/*/@connections/*", SCOPED),
    ("arn:aws:execute-api:*:*:*/prod/*", SCOPED), ("arn:aws:s3:::*/uploads/*", SCOPED),
    ("arn:aws:dynamodb:*:*:table/*/index/byDate", SCOPED),
    ("arn:aws:dynamodb:*:*:table/?*/index/*", SERVICE),
    ("arn:aws:dynamodb:*:*:table/??*/index/*", SCOPED),  # not a one-character name
])
def test_resource_kinds(text, kind):
    assert ResourceValue(text, ()).kind == kind


def test_resource_values_from_parameters():
    ctx = ctx_of("""
    Parameters:
      NoDefault: {Type: String}
      Star: {Type: String, Default: "*"}
    Resources:
      Role:
        Type: AWS::IAM::Role
        Properties:
          Policies:
            - PolicyName: p
              PolicyDocument:
                Statement:
                  - Effect: Allow
                    Action: s3:PutObject
                    Resource: [!Ref NoDefault, !Ref Star, !ImportValue Shared, !GetAtt Role.Arn,
                               !Sub "arn:aws:s3:::${NoDefault}/*"]
    """ + ROLE_TRUST)
    g = ctx.iam.allow_grants()[0]
    kinds = [(r.kind, r.unknown_reason) for r in g.resources]
    assert kinds == [(UNKNOWN, "depends on parameter `NoDefault`"), (ANY, ""),
                     (UNKNOWN, "depends on imported value `Shared`"), (SCOPED, ""), (SCOPED, "")]
    assert g.resources[1].from_param == ("Star",)
    assert g.resources[4].display == "arn:aws:s3:::${NoDefault}/*"


def test_actions():
    assert Action("*", ()).is_all and Action("*:*", ()).is_all
    assert Action("s3:*", ()).is_service_wildcard and not Action("s3:Get*", ()).is_wildcard
    assert Action("S3:Put*", ()).matches("s3:PutObject")
    assert Action("iam:Pass?ole", ()).matches("iam:PassRole")
    assert not Action("s3:Get*", ()).matches("s3:PutObject")
    assert {i.action for i in Action("s3:PutObject", ()).infos()} == {"s3:PutObject"}
    assert Action("nosuch:Thing", ()).infos() == ()


def test_not_action_grant_covers():
    ctx = ctx_of("""
    Resources:
      Role:
        Type: AWS::IAM::Role
        Properties:
          Policies:
            - PolicyName: p
              PolicyDocument:
                Statement:
                  - {Effect: Allow, NotAction: "iam:*", NotResource: arn:aws:s3:::x}
    """ + ROLE_TRUST)
    g = ctx.iam.allow_grants()[0]
    assert g.covers("s3:PutObject") == [None] and g.covers("iam:PassRole") == []
    assert texts(g.not_resources) == ["arn:aws:s3:::x"]
    assert g.action_key_path[-1] == "NotAction"


def test_unknown_effect_counts_as_allow():
    ctx = ctx_of("""
    Parameters:
      Eff: {Type: String}
    Resources:
      Role:
        Type: AWS::IAM::Role
        Properties:
          Policies:
            - PolicyName: p
              PolicyDocument:
                Statement: [{Effect: !Ref Eff, Action: "*", Resource: "*"}]
    """ + ROLE_TRUST)
    assert [g.effect for g in ctx.iam.allow_grants()] == ["?"]


@pytest.mark.parametrize("body,role_grants", [
    ("Policies: not-a-list", []),
    ("Policies: [{PolicyName: p, PolicyDocument: !Ref Doc}]", []),
    ("Policies: [{PolicyName: p, PolicyDocument: {Statement: null}}]", []),
    # only the mapping statement is one; with no Action it grants nothing nameable
    ("Policies: [{PolicyName: p, PolicyDocument: {Statement: [1, [], {Effect: Allow}]}}]",
     [("Allow", [], [])]),
    # values of the wrong shape are unknowns, never dropped
    ("Policies: [{PolicyName: p, PolicyDocument: {Statement: {Effect: Allow, Action: {a: b}, Resource: [[1]]}}}]",
     [("Allow", ["{a}"], ["{list}"])]),
    ("ManagedPolicyArns: !Ref AWS::NoValue", []),
    ("AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: [1, 2]}]}",
     [("Allow", [], [])]),
])
def test_malformed_shapes_do_not_crash(body, role_grants):
    ctx = ctx_of(f"""
    Resources:
      Role:
        Type: AWS::IAM::Role
        Properties:
          {body}
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Policies: [{{DynamoDBCrudPolicy: null}}, {{NoSuchTemplate: {{}}}}, 42, {{Statement: 3}}]
    """)
    got = [(g.effect, [a.text for a in g.actions], [r.text for r in g.resources])
           for g in ctx.iam.grants() if g.owner == "Role"]
    assert got == role_grants
    # the one valid policy template expands; the unknown template name and the number are kept
    # as managed-policy references (unknown / literal), `{Statement: 3}` grants nothing
    (fn_grant,) = ctx.iam.grants_of("Fn")
    assert fn_grant.template == "DynamoDBCrudPolicy"
    assert [m.text for m in ctx.iam.managed_policies() if m.owner == "Fn"] == ["{NoSuchTemplate}", "42"]


def test_single_principal_policy_resources_and_managed_policy_by_name():
    ctx = ctx_of("""
    Resources:
      Role:
        Type: AWS::IAM::Role
        Properties:
          ManagedPolicyArns:
            - !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/team-policy
    """ + ROLE_TRUST + """
      RP:
        Type: AWS::IAM::RolePolicy
        Properties:
          RoleName: !Ref Role
          PolicyName: rp
          PolicyDocument:
            Statement: [{Effect: Allow, Action: s3:PutObject, Resource: "*"}]
      U:
        Type: AWS::IAM::User
        Properties: {UserName: alice}
      UP:
        Type: AWS::IAM::UserPolicy
        Properties:
          UserName: alice
          PolicyName: up
          PolicyDocument:
            Statement: [{Effect: Allow, Action: sqs:SendMessage, Resource: "*"}]
      Team:
        Type: AWS::IAM::ManagedPolicy
        Properties:
          ManagedPolicyName: team-policy
          PolicyDocument:
            Statement: [{Effect: Allow, Action: sns:Publish, Resource: "*"}]
    """)
    iam = ctx.iam
    assert sorted(g.written_in for g in iam.grants_of("Role")) == ["RP", "Team"]
    assert [g.written_in for g in iam.grants_of("U")] == ["UP"]
    rp = [g for g in iam.grants() if g.written_in == "RP"][0]
    assert rp.owner == "Role" and rp.principals == ("Role",)
    assert [m.local for m in iam.managed_policies_of("Role")] == ["Team"]


def test_wildcard_matching_with_many_stars_is_fast_and_right():
    import time
    from slint.policy import wildcard_match as _wildcard_match
    hostile = "s3:" + "*a" * 30 + "*b"
    t0 = time.perf_counter()
    assert not Action(hostile, ()).matches("s3:" + "a" * 60)
    assert Action("s3:*a*a*a*a*a*b", ()).matches("s3:xaxaxaxaxaxb")
    assert time.perf_counter() - t0 < 0.5
    for pat, text, want in [("*", "", True), ("a*?c", "abc", True), ("a*?c", "ac", False),
                            ("**a**b**c**d**e**", "xaybzcwdve", True), ("a?c", "abc", True)]:
        assert _wildcard_match(pat, text) is want, (pat, text)


def test_unevaluable_resource_is_unknown_not_scoped():
    ctx = ctx_of("""
    Parameters:
      Arns: {Type: CommaDelimitedList}
    Resources:
      Role:
        Type: AWS::IAM::Role
        Properties:
          Policies:
            - PolicyName: p
              PolicyDocument:
                Statement:
                  - Effect: Allow
                    Action: s3:PutObject
                    Resource: [!Select [0, !Split [",", !Ref Arns]], !Cidr [a, b, c]]
    """ + ROLE_TRUST)
    g = ctx.iam.allow_grants()[0]
    assert [r.kind for r in g.resources] == [UNKNOWN, UNKNOWN]
    assert all(r.unknown_reason for r in g.resources)


def test_sam_alias_reference_is_one_resource():
    ctx = ctx_of("""
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Fn:
        Type: AWS::Serverless::Function
        Properties: {Handler: a, Runtime: python3.12, AutoPublishAlias: live}
      Role:
        Type: AWS::IAM::Role
        Properties:
          Policies:
            - PolicyName: p
              PolicyDocument:
                Statement: [{Effect: Allow, Action: lambda:InvokeFunction, Resource: !Ref Fn.Alias}]
    """ + ROLE_TRUST)
    assert [r.kind for r in ctx.iam.allow_grants()[0].resources] == [SCOPED]


def test_function_role_by_arn_with_role_name():
    ctx = ctx_of("""
    Resources:
      Role:
        Type: AWS::IAM::Role
        Properties:
          RoleName: app-role
          Policies:
            - PolicyName: p
              PolicyDocument:
                Statement: [{Effect: Allow, Action: s3:PutObject, Resource: "*"}]
    """ + ROLE_TRUST + """
      Fn:
        Type: AWS::Lambda::Function
        Properties:
          Role: !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:role/app-role
      Other:
        Type: AWS::Lambda::Function
        Properties:
          Role: arn:aws:iam::123456789012:role/someone-else
    """)
    assert ctx.iam.roles_of("Fn") == ["Role"]
    assert [g.written_in for g in ctx.iam.grants_of("Fn")] == ["Role"]
    assert ctx.iam.grants_of("Other") == []


def test_star_only_matching_agrees_with_the_iam_wildcard_matcher():
    # the fast matcher used to test ARN patterns against every resource form of a service
    rnd = random.Random(7)
    for _ in range(20000):
        text = "".join(rnd.choice("ab/:") for _ in range(rnd.randint(0, 8)))
        pat = "".join(rnd.choice("ab/*") for _ in range(rnd.randint(0, 7)))
        assert _star_match(pat, text) == full(pat, text), (pat, text)

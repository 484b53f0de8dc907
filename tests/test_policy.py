"""The policy interpreter (slint.policy): who can call, conditions, JSON-string documents."""

from __future__ import annotations

import textwrap

import pytest

from slint.context import Context
from slint.loader import load_text
from slint.model.template import Template
from slint.model.values import SValue
from slint.policy import Condition, PolicyReader, restriction, show, who_key
from slint.policy import keys as K

from .helpers import run_text


def ctx_of(text: str) -> Context:
    loaded = load_text(textwrap.dedent(text), "t.yaml")
    assert loaded.document is not None, loaded.issues
    return Context(loaded.document, Template(loaded.document))


def cond(op: str, key: str, *values: str, known: bool = True) -> Condition:
    return Condition(op, key, tuple(SValue(v, known=known) for v in values), ("Condition", op, key))


# ----------------------------------------------------------------- the key table

@pytest.mark.parametrize("key,label", [
    ("aws:SourceVpc", "source VPC"), ("aws:SourceVpce", "VPC endpoint"),
    ("aws:SourceIp", "source IP"), ("aws:SourceArn", "source ARN"),
    ("aws:SourceAccount", "AWS account"), ("aws:SourceOwner", "AWS account"),
    ("aws:PrincipalOrgID", "AWS organization"), ("aws:PrincipalOrgPaths", "AWS organization path"),
    ("aws:PrincipalAccount", "AWS account"), ("aws:PrincipalArn", "principal ARN"),
    ("aws:SourceOrgID", "AWS organization"), ("kms:CallerAccount", "AWS account"),
    ("aws:PrincipalTag/team", "principal tag"),
    ("token.actions.githubusercontent.com:sub", "token subject"),
])
def test_each_limiting_key_limits_an_allow_and_is_case_insensitive(key, label):
    value = "10.0.0.0/8" if key == "aws:SourceIp" else "o-abc/r-1/ou-2" if "Paths" in key \
        else "vpce-1" if "Vpc" in key else "123456789012"
    for k in (key, key.lower(), key.upper()):
        c = cond("StringEquals" if key != "aws:SourceIp" else "IpAddress", k, value)
        assert c.who() == "limits", k
        assert c.label == label
    assert who_key(key) is not None and who_key(key.upper()) == who_key(key)


@pytest.mark.parametrize("key", ["aws:SecureTransport", "aws:CurrentTime", "aws:RequestedRegion",
                                 "s3:prefix", "aws:MultiFactorAuthPresent"])
def test_keys_that_do_not_limit_who(key):
    assert who_key(key) is None
    assert cond("Bool", key, "true").who() is None
    assert cond("StringEquals", key, "x").who() is None


def test_the_limiting_key_table_exists_once():
    """The S3, IAM and API views have no table of their own."""
    import pathlib
    root = pathlib.Path(__file__).resolve().parent.parent / "linter"
    hits = [p.relative_to(root).as_posix() for p in root.rglob("*.py")
            if "\"aws:sourcevpce\"" in p.read_text().lower()]
    assert sorted(hits) == ["policy/keys.py"]


# ----------------------------------------------------------------- operators and values

def test_ifexists_does_not_limit_an_allow_but_a_deny_ifexists_negation_shuts_out():
    assert cond("StringEqualsIfExists", "aws:SourceVpce", "vpce-1").who() is None
    assert cond("IpAddressIfExists", "aws:SourceIp", "10.0.0.0/8").who() is None
    assert cond("StringNotEqualsIfExists", "aws:SourceVpce", "vpce-1").who() == "negated"


def test_not_operators_and_set_qualifiers():
    assert cond("StringNotEquals", "aws:SourceAccount", "123456789012").who() == "negated"
    assert cond("NotIpAddress", "aws:SourceIp", "10.0.0.0/8").who() == "negated"
    assert cond("ArnNotLike", "aws:SourceArn", "arn:aws:sns:us-east-1:123456789012:t").who() == "negated"
    assert cond("ForAllValues:StringEquals", "aws:PrincipalOrgPaths", "o-a/r-b/ou-c").who() is None
    assert cond("ForAnyValue:StringEquals", "aws:PrincipalOrgPaths", "o-a/r-b/ou-c").who() == "limits"
    assert cond("ForAnyValue:StringNotEquals", "aws:SourceVpce", "vpce-1").who() is None
    assert cond("Null", "aws:SourceArn", "false").who() is None


def test_open_and_wildcard_values_limit_nobody():
    assert cond("IpAddress", "aws:SourceIp", "0.0.0.0/0").who() is None
    assert cond("IpAddress", "aws:SourceIp", "::/0").who() is None
    assert cond("IpAddress", "aws:SourceIp", "10.0.0.0/8", "0.0.0.0/0").who() is None
    assert cond("StringEquals", "aws:PrincipalAccount", "*").who() is None
    assert cond("StringLike", "aws:SourceAccount", "12345*").who() is None
    assert cond("StringEquals", "aws:userid", "${aws:username}").who() is None
    # an ARN with a fixed account limits to that account; S3's definition refuses any wildcard
    api = cond("ArnLike", "aws:SourceArn", "arn:aws:execute-api:us-east-1:123456789012:abc/*")
    assert api.who() == "limits" and api.who(strict=True) is None
    assert cond("ArnLike", "aws:SourceArn", "arn:aws:sns:*:*:topic").who() is None
    assert cond("ArnLike", "aws:SourceArn", "arn:aws:s3:::my-bucket*").who() == "limits"
    assert cond("ArnLike", "aws:SourceArn", "arn:aws:s3:::*").who() is None
    # federation keys: a pattern still names one repository
    sub = "token.actions.githubusercontent.com:sub"
    assert cond("StringLike", sub, "repo:org/app:*").who() == "limits"
    assert cond("StringLike", sub, "*").who() is None
    # unknown parts of a value are not wildcards
    assert cond("ArnEquals", "aws:SourceArn", "arn:aws:sns:{AWS::Region}:{AWS::AccountId}:{Ref:T}",
                known=False).who(strict=True) == "limits"


# ----------------------------------------------------------------- API resource policies

API = """
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: a
      Policy: POLICY
"""


def api_restriction(policy: str) -> str | None:
    if policy.startswith("\n"):
        policy = "\n" + textwrap.indent(textwrap.dedent(policy).strip("\n"), " " * 8)
    text = textwrap.dedent(API).replace("POLICY", policy)
    ctx = ctx_of(text)
    r = ctx.template.get("Api")
    return restriction(ctx.values, r.prop("Policy"))


ALLOW_ANY = """
Statement:
  - Effect: Allow
    Principal: "*"
    Action: execute-api:Invoke
    Resource: execute-api:/*
"""


def test_api_principal_arn_limits_anonymous_callers():
    """The false positive: anonymous callers have no aws:PrincipalArn."""
    assert api_restriction(ALLOW_ANY + """    Condition:
      StringEquals:
        aws:PrincipalArn: arn:aws:iam::123456789012:role/caller
""") == "resource policy allows only a principal ARN"
    assert api_restriction(ALLOW_ANY + """    Condition:
      StringEquals: {aws:PrincipalAccount: "123456789012"}
""") == "resource policy allows only a AWS account"


def test_api_restriction_messages():
    assert api_restriction(ALLOW_ANY) is None
    assert api_restriction(ALLOW_ANY + """    Condition: {IpAddress: {aws:SourceIp: 10.0.0.0/8}}
""") == "resource policy allows only a source IP"
    assert api_restriction(ALLOW_ANY + """    Condition: {IpAddress: {aws:SourceIp: 0.0.0.0/0}}
""") is None
    assert api_restriction(ALLOW_ANY + """    Condition: {StringEqualsIfExists: {aws:SourceVpce: vpce-1}}
""") is None
    assert api_restriction(ALLOW_ANY + """    Condition: {Bool: {aws:SecureTransport: "true"}}
""") is None
    assert api_restriction(ALLOW_ANY + """  - Effect: Deny
    Principal: "*"
    Action: execute-api:Invoke
    Resource: execute-api:/*
    Condition: {NotIpAddress: {aws:SourceIp: [10.0.0.0/8]}}
""") == "resource policy denies callers outside an allowed source IP"
    assert api_restriction("""
Statement:
  - {Effect: Deny, Principal: "*", Action: execute-api:Invoke, Resource: "*"}
""") == "resource policy allows no caller"
    assert api_restriction("""
Statement:
  - {Effect: Allow, Principal: {AWS: "arn:aws:iam::123456789012:root"}, Action: execute-api:Invoke, Resource: "*"}
""") == "resource policy allows only named principals"
    # Allow + NotPrincipal: everyone except the listed principals
    assert api_restriction("""
Statement:
  - {Effect: Allow, NotPrincipal: {AWS: "arn:aws:iam::123456789012:root"}, Action: execute-api:Invoke, Resource: "*"}
""") is None


def test_api_restriction_reads_json_string_policies():
    doc = ('{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", '
           '"Resource": "execute-api:/*", "Condition": {"StringEquals": '
           '{"aws:SourceVpce": "${Vpce}"}}}]}')
    assert api_restriction(f"!Sub '{doc}'") == "resource policy allows only a VPC endpoint"
    assert api_restriction("'" + doc.replace("${Vpce}", "vpce-1") + "'") == \
        "resource policy allows only a VPC endpoint"


API001_PRINCIPAL_ARN = """
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: a
      Policy:
        Statement:
          - Effect: Allow
            Principal: "*"
            Action: execute-api:Invoke
            Resource: execute-api:/*
            Condition:
              StringEquals:
                aws:PrincipalArn: arn:aws:iam::123456789012:role/caller
  Get:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: GET
      AuthorizationType: NONE
      Integration: {Type: MOCK}
"""


def test_api001_quiet_when_policy_limits_principal_arn():
    assert [f.rule for f in run_text(API001_PRINCIPAL_ARN, select=["API001"]).findings] == []


# ----------------------------------------------------------------- statements

def test_deny_and_allow_combinations():
    ctx = ctx_of("""
        Resources:
          T: {Type: AWS::SNS::Topic}
          P:
            Type: AWS::SNS::TopicPolicy
            Properties:
              Topics: [!Ref T]
              PolicyDocument:
                Statement:
                  - {Effect: Allow, Principal: "*", Action: sns:Publish, Resource: "*"}
                  - Effect: Deny
                    Principal: {AWS: "*"}
                    Action: sns:Publish
                    Resource: "*"
                    Condition: {StringNotEquals: {aws:SourceAccount: "123456789012"}}
                  - {Effect: Allow, NotPrincipal: {AWS: "arn:aws:iam::1:root"}, Action: sns:Publish, Resource: "*"}
                  - {Effect: Deny, NotPrincipal: {AWS: "arn:aws:iam::1:root"}, Action: sns:Publish, Resource: "*"}
    """)
    r = ctx.template.get("P")
    sts = PolicyReader(ctx.values).statements(r.prop("PolicyDocument"), ("D",))
    assert [s.effect for s in sts] == ["Allow", "Deny", "Allow", "Deny"]
    assert [s.anyone for s in sts] == [True, True, True, False]
    assert [len(s.who_negations()) for s in sts] == [0, 1, 0, 0]
    assert [s.path for s in sts] == [("D", "Statement", i) for i in range(4)]
    assert sts[2].principal_path == ("D", "Statement", 2, "NotPrincipal")
    assert sts[1].principals[0].path == ("D", "Statement", 1, "Principal", "AWS")


def test_effect_if_gives_one_statement_per_branch_with_its_scenario():
    ctx = ctx_of("""
        Conditions:
          C: !Equals [!Ref AWS::Region, us-east-1]
        Resources:
          Q: {Type: AWS::SQS::Queue}
    """)
    st = {"Effect": {"Fn::If": ["C", "Allow", "Deny"]}, "Principal": "*", "Action": "sqs:*"}
    sts = PolicyReader(ctx.values).statement(st, ("S",), frozenset())
    assert [(s.effect, sorted(s.scenario)) for s in sts] == \
        [("Allow", [("C", True)]), ("Deny", [("C", False)])]


def test_sub_json_document_keeps_unknown_parts_unknown():
    ctx = ctx_of("""
        Parameters:
          Other: {Type: String}
        Resources:
          B: {Type: AWS::S3::Bucket}
          P:
            Type: AWS::IAM::ManagedPolicy
            Properties:
              PolicyDocument: !Sub '{"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::${B}/${AWS::AccountId}/*", "${Other}"]}]}'
    """)
    r = ctx.template.get("P")
    base = ("Resources", "P", "Properties", "PolicyDocument")
    (st,) = PolicyReader(ctx.values).statements(r.prop("PolicyDocument"), base)
    assert st.path == base + ("Statement", 0)
    assert [a.text for a in st.actions] == ["s3:GetObject"] and st.actions[0].known
    r1, r2 = st.resources
    assert r1.text == "arn:aws:s3:::{Ref:B}/{AWS::AccountId}/*" and not r1.sv.known
    assert r1.sv.refs == (("B", None),) and r1.sv.pseudo == ("AWS::AccountId",)
    assert r1.path == base + ("Statement", 0, "Resource", 1 - 1)
    assert r2.sv.params == ("Other",) and r2.kind == "unknown"
    assert show(r1.text) == "arn:aws:s3:::${B}/${AWS::AccountId}/*"


def test_join_json_document_with_unknown_parts():
    ctx = ctx_of("""
        Parameters:
          Acct: {Type: String}
        Resources:
          Q: {Type: AWS::SQS::Queue}
    """)
    node = {"Fn::Join": ["", ['{"Statement": {"Effect": "Allow", "Principal": {"AWS": "',
                              {"Ref": "Acct"}, '"}, "Action": "sqs:SendMessage"}}']]}
    (st,) = PolicyReader(ctx.values).statements(node, ("D",))
    (p,) = st.principals
    assert p.kind == "AWS" and not p.known and p.sv.params == ("Acct",)


def test_show_renders_every_placeholder_alike():
    assert show("https://cognito-idp.{AWS::Region}.amazonaws.com/{Ref:Pool}") == \
        "https://cognito-idp.${AWS::Region}.amazonaws.com/${Pool}"
    assert show("{GetAtt:Pool.Arn}") == "${Pool.Arn}"


# ----------------------------------------------------------------- JSON strings in every position

ADMIN = '{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}'


@pytest.mark.parametrize("resource", [
    # IAM role inline policy, plain JSON string
    f"""
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {{Statement: [{{Effect: Allow, Principal: {{Service: lambda.amazonaws.com}}, Action: sts:AssumeRole}}]}}
      Policies:
        - PolicyName: p
          PolicyDocument: '{ADMIN}'
""",
    # AWS::IAM::Policy, !Sub
    f"""
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {{Statement: [{{Effect: Allow, Principal: {{Service: lambda.amazonaws.com}}, Action: sts:AssumeRole}}]}}
  P:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: p
      Roles: [!Ref R]
      PolicyDocument: !Sub '{ADMIN}'
""",
    # ManagedPolicy, JSON string inside Fn::If
    f"""
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument: !If [Always, '{ADMIN}', !Ref AWS::NoValue]
""",
    # SAM Policies: a JSON !Sub item
    f"""
  F:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: a.h
      CodeUri: .
      Policies:
        - !Sub '{ADMIN}'
""",
    # SAM Policies: !If around a {{PolicyName, PolicyDocument: !Sub}} list, always-true condition
    f"""
  F:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: a.h
      CodeUri: .
      Policies: !If [Always, [{{PolicyName: root, PolicyDocument: !Sub '{ADMIN}'}}], !Ref AWS::NoValue]
""",
])
def test_json_string_identity_documents_are_read(resource):
    text = ("Transform: AWS::Serverless-2016-10-31\nConditions:\n  Always: !Equals [a, a]\n"
            "Resources:\n" + resource)
    assert "IAM001" in [f.rule for f in run_text(text, select=["IAM001"]).findings]


@pytest.mark.parametrize("rtype,extra", [
    ("AWS::SNS::TopicPolicy", "Topics: [!Ref X]"),
    ("AWS::SQS::QueuePolicy", "Queues: [!Ref X]"),
])
@pytest.mark.parametrize("form", ["plain", "sub", "if"])
def test_json_string_sns_sqs_policies_are_read(rtype, extra, form):
    doc = '{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}'
    node = {"plain": f"'{doc}'", "sub": f"!Sub '{doc}'",
            "if": f"!If [Always, '{doc}', !Ref AWS::NoValue]"}[form]
    text = f"""
Conditions:
  Always: !Equals [a, a]
Resources:
  X: {{Type: {'AWS::SNS::Topic' if 'SNS' in rtype else 'AWS::SQS::Queue'}}}
  P:
    Type: {rtype}
    Properties:
      {extra}
      PolicyDocument: {node}
"""
    assert [f.rule for f in run_text(text, select=["IAM008"]).findings] == ["IAM008"]


@pytest.mark.parametrize("form", ["plain", "sub"])
def test_json_string_bucket_policy_is_read(form):
    doc = ('{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", '
           '"Resource": "arn:aws:s3:::${B}/*"}]}')
    node = f"!Sub '{doc}'" if form == "sub" else "'" + doc.replace("${B}", "b") + "'"
    text = f"""
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: b
      PublicAccessBlockConfiguration: {{BlockPublicPolicy: false, RestrictPublicBuckets: false}}
  P:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref B
      PolicyDocument: {node}
"""
    assert [f.rule for f in run_text(text, select=["S3P001"]).findings] == ["S3P001"]


def test_keys_module_has_no_view_imports():
    import slint.policy.keys as keys
    assert keys.POSITIVE_OPS and K.WHO_KEYS is keys.WHO_KEYS


# ----------------------------------------------------------------- where the old readers disagreed

SQS_COND = """
Resources:
  Q: {Type: AWS::SQS::Queue}
  P:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref Q]
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: "*"
            Action: sqs:SendMessage
            Resource: "*"
            Condition: COND
"""


@pytest.mark.parametrize("condition,flagged", [
    ("{IpAddress: {aws:SourceIp: 0.0.0.0/0}}", True),            # the whole internet
    ("{ArnLike: {aws:SourceArn: 'arn:aws:sns:*:*:*'}}", True),     # any topic of any account
    ("{ForAllValues:StringEquals: {aws:SourceAccount: '123456789012'}}", True),
    ("{ArnLike: {aws:SourceArn: !Sub 'arn:aws:sns:${AWS::Region}:${AWS::AccountId}:*'}}", False),
    ("{StringEquals: {aws:PrincipalArn: 'arn:aws:iam::123456789012:role/r'}}", False),
    ("{StringEqualsIfExists: {aws:SourceAccount: '123456789012'}}", True),
])
def test_resource_policy_conditions_read_with_aws_semantics(condition, flagged):
    findings = run_text(SQS_COND.replace("COND", condition), select=["IAM008"]).findings
    assert [f.rule for f in findings] == (["IAM008"] if flagged else [])


BUCKET_COND = """
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      PublicAccessBlockConfiguration: {BlockPublicPolicy: false, RestrictPublicBuckets: false}
  P:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref B
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: "*"
            Action: s3:GetObject
            Resource: !Sub "${B.Arn}/*"
            Condition: COND
"""


@pytest.mark.parametrize("condition,flagged", [
    # aws:SourceIp is absent on requests through a VPC endpoint: ...IfExists lets them in
    ("{IpAddressIfExists: {aws:SourceIp: 10.0.0.0/8}}", True),
    ("{IpAddress: {aws:SourceIp: 10.0.0.0/8}}", False),
    # S3's definition of public refuses wildcards, even with a fixed account
    ("{ArnLike: {aws:SourceArn: 'arn:aws:cloudfront::123456789012:distribution/*'}}", True),
    # keys S3 does not count toward "not public"
    ("{StringEquals: {aws:PrincipalTag/team: a}}", True),
    ("{StringEquals: {aws:PrincipalOrgID: o-abc}}", False),
])
def test_bucket_policy_conditions_read_with_s3_semantics(condition, flagged):
    findings = run_text(BUCKET_COND.replace("COND", condition), select=["S3P001"]).findings
    assert [f.rule for f in findings] == (["S3P001"] if flagged else [])


def test_arn_values_with_placeholders_are_split_on_their_own_fields():
    acct_wild = cond("ArnLike", "aws:SourceArn", "arn:aws:execute-api:{AWS::Region}:*:{Ref:Api}/*",
                     known=False)
    assert acct_wild.who() is None
    own = cond("ArnLike", "aws:SourceArn", "arn:aws:execute-api:{AWS::Region}:{AWS::AccountId}:{Ref:Api}/*",
               known=False)
    assert own.who() == "limits"


@pytest.mark.parametrize("prefix", ["", "!Sub "])
def test_deeply_nested_json_policy_is_skipped_not_a_crash(prefix):
    deep = '{"Statement": ' + "[" * 50000 + "]" * 50000 + "}"
    text = f"""
Resources:
  Q: {{Type: AWS::SQS::Queue}}
  P:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref Q]
      PolicyDocument: {prefix}'{deep}'
"""
    res = run_text(text)
    assert [f.rule for f in res.findings if f.rule.startswith(("INT", "SYN"))] == []
    ctx = ctx_of(text)
    assert ctx.iam.resource_policies() == []


def test_json_string_trust_policy_is_read():
    text = """
Resources:
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: !Sub '{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}'
"""
    (f,) = run_text(text, select=["IAM009"]).findings
    assert f.rule == "IAM009" and f.line == 6
    assert list(f.path)[-5:] == ["AssumeRolePolicyDocument", "Statement", 0, "Principal", "AWS"]

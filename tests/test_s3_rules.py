"""S3P/CFR rules end to end: severities, messages, every fixture and the real-world corpus."""

from __future__ import annotations

import textwrap

from slint.engine import check_file
from slint.findings import Severity

from .conftest import FIXTURES
from .helpers import run_path, run_text

CODES = ["S3P001", "CFR001", "CFR002", "CFR003"]


def run(text: str, codes=CODES, **cfg):
    return [f for f in run_text(textwrap.dedent(text), select=list(codes), **cfg).findings]


PUBLIC_POLICY = """
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:  # Block Public Access turned off: the policy deploys and the bucket is public
      PublicAccessBlockConfiguration: {BlockPublicPolicy: false, RestrictPublicBuckets: false}
  P:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref B
      PolicyDocument:
        Statement:
          - Sid: Read
            Effect: Allow
            Principal: "*"
            Action: s3:GetObject
            Resource: !Sub "${B.Arn}/*"
          - Sid: Write
            Effect: Allow
            Principal: "*"
            Action: s3:PutObject
            Resource: !Sub "${B.Arn}/*"
"""


def test_read_is_high_write_escalates_to_critical():
    got = {(f.rule, f.line, f.severity) for f in run(PUBLIC_POLICY)}
    assert got == {("S3P001", 15, "high"), ("S3P001", 20, "critical")}


def test_a_grant_left_to_s3_defaults_fails_to_deploy_and_is_low():
    text = PUBLIC_POLICY.replace(
        "    Properties:  # Block Public Access turned off: the policy deploys and the bucket is public\n"
        "      PublicAccessBlockConfiguration: {BlockPublicPolicy: false, RestrictPublicBuckets: false}\n",
        "")
    fs = run(text)
    assert [f.severity for f in fs] == ["low", "low"]
    assert fs[0].message.startswith("Bucket `B` would let anyone read its objects: ")
    assert "this policy makes the stack fail to deploy" in fs[0].message
    acl = run("Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n"
              "      AccessControl: PublicRead\n")
    assert [(f.severity, "this ACL makes the stack fail to deploy" in f.message) for f in acl] == [
        ("low", True)]


def test_website_hosting_without_a_grant_says_it_answers_403():
    (f,) = run("Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n"
               "      AccessControl: Private\n      WebsiteConfiguration: {IndexDocument: index.html}\n")
    assert f.severity == "low" and "lets" not in f.message
    assert f.message == ("Bucket `B` has website hosting on, but nothing in the template grants "
                         "public read: its website endpoint answers 403 Access Denied")


def test_escalation_follows_configured_severity():
    fs = run(PUBLIC_POLICY, severity_overrides={"S3P001": Severity.LOW})
    assert sorted(f.severity for f in fs) == ["low", "medium"]


def test_finding_names_bucket_and_policy():
    (f, _) = run(PUBLIC_POLICY)
    assert f.resource == "B"
    assert "`P`" in f.message and "statement `Read`" in f.message
    assert f.path == ["Resources", "P", "Properties", "PolicyDocument", "Statement", 0, "Principal"]


def test_fronted_bucket_moves_from_s3p_to_cfr():
    text = PUBLIC_POLICY + """
  D:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Origins:
          - Id: o
            DomainName: !GetAtt B.RegionalDomainName
            S3OriginConfig: {}
"""
    got = sorted((f.rule, f.resource, f.severity) for f in run(text))
    assert got == [("CFR001", "B", "critical"), ("CFR001", "B", "high"), ("CFR002", "D", "medium")]


def test_condition_scenario_is_reported():
    fs = run("""
        Parameters:
          Env: {Type: String, AllowedValues: [dev, prod]}
        Conditions:
          IsDev: !Equals [!Ref Env, dev]
        Resources:
          B:
            Type: AWS::S3::Bucket
            Properties:
              AccessControl: !If [IsDev, PublicRead, Private]
    """)
    (f,) = fs
    assert f.scenario == [["IsDev", True]]


def test_output_is_deterministic():
    path = FIXTURES / "CFR001" / "flagged.yaml"
    a = [f.to_dict() for f in run_path(path, select=CODES).findings]
    b = [f.to_dict() for f in run_path(path, select=CODES).findings]
    assert a == b


def test_every_fixture_runs_clean_of_rule_errors():
    from slint.config import Config
    from slint.engine import selected_rules
    config = Config(select=CODES + ["INT001"])
    rules = selected_rules(config)
    for f in sorted(FIXTURES.rglob("*")):
        if f.suffix in (".yaml", ".yml", ".json") and not f.name.endswith(".snap.json"):
            res = check_file(str(f), config, rules)
            assert not [x for x in res.findings if x.rule == "INT001"], f


def test_corpus_has_no_rule_errors(corpus_dir):
    from slint.config import Config
    from slint.engine import selected_rules
    config = Config(select=CODES + ["INT001"])
    rules = selected_rules(config)
    files = sorted(p for p in corpus_dir.iterdir()
                   if p.suffix in (".yaml", ".yml", ".json", ".template"))
    assert len(files) > 400
    errors = []
    for p in files:
        res = check_file(str(p), config, rules)
        errors += [f"{p.name}: {x.message}" for x in res.findings if x.rule == "INT001"]
    assert errors == []


UNKNOWN = """
Parameters:
  Who: {Type: String}
  AccountId: {Type: String, AllowedPattern: "^[0-9]{12}$"}
Resources:
  B:
    Type: AWS::S3::Bucket
  P:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref B
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {AWS: !Ref Who}
            Action: s3:GetObject
            Resource: !Sub "${B.Arn}/*"
          - Effect: Allow
            Principal: {AWS: !Ref AccountId}
            Action: s3:PutObject
            Resource: !Sub "${B.Arn}/*"
"""


def test_unknown_principal_only_reported_with_option():
    assert run(UNKNOWN, ["S3P001"]) == []
    (f,) = run(UNKNOWN, ["S3P001"], rule_options={"S3P001": {"report_unknown": True}})
    assert f.severity == "low" and "may let anyone" in f.message and "`Who`" in f.message
    assert f.line == 15   # the AWS principal of the first statement


def test_scenario_is_named_in_the_message():
    (f,) = run("""
        Parameters:
          Env: {Type: String, AllowedValues: [dev, prod]}
        Conditions:
          IsDev: !Equals [!Ref Env, dev]
        Resources:
          B:
            Type: AWS::S3::Bucket
            Properties:
              AccessControl: !If [IsDev, PublicRead, Private]
    """)
    assert f.message.endswith("(when IsDev)")


def test_bucket_configuration_reads_are_not_object_reads():
    fs = run("""
        Resources:
          B:
            Type: AWS::S3::Bucket
          P:
            Type: AWS::S3::BucketPolicy
            Properties:
              Bucket: !Ref B
              PolicyDocument:
                Statement:
                  - {Effect: Allow, Principal: "*", Action: [s3:GetBucketAcl, s3:GetBucketLocation], Resource: !GetAtt B.Arn}
    """)
    assert fs == []

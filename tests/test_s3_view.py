"""The bucket exposure view (slint.views.s3): ACL, Block Public Access, ownership, policies with
principal and condition semantics, website hosting, CloudFront origins and origin edges."""

from __future__ import annotations

import textwrap

import pytest

from slint.context import Context
from slint.graph import Edge
from slint.loader import load_text
from slint.model.template import Template


def view(text: str):
    doc = load_text(textwrap.dedent(text), "t.yaml").document
    ctx = Context(doc, Template(doc))
    return ctx, ctx.buckets


def with_statement(stmt: str, bucket_props: str = "") -> str:
    props = f"\n    Properties:\n{textwrap.indent(textwrap.dedent(bucket_props), '      ')}" \
        if bucket_props else ""
    return (
        "Resources:\n"
        "  B:\n"
        "    Type: AWS::S3::Bucket" + props + "\n"
        "  P:\n"
        "    Type: AWS::S3::BucketPolicy\n"
        "    Properties:\n"
        "      Bucket: !Ref B\n"
        "      PolicyDocument:\n"
        "        Statement:\n"
        + textwrap.indent(textwrap.dedent(stmt), "          "))


def exposure(stmt: str, bucket_props: str = ""):
    _ctx, v = view(with_statement(stmt, bucket_props))
    return v.bucket("B")


# ---------------------------------------------------------------- Block Public Access & ACLs

def test_no_configuration_is_left_to_default():
    _, v = view("""
        Resources:
          B:
            Type: AWS::S3::Bucket
    """)
    b = v.bucket("B")
    assert b.bpa == {f: "default" for f in b.bpa}
    assert not b.bpa_present and b.bpa_left_to_default() == list(b.bpa)
    assert not b.is_public and b.grants == []


def test_present_configuration_omitting_a_flag_turns_it_off():
    _, v = view("""
        Resources:
          B:
            Type: AWS::S3::Bucket
            Properties:
              PublicAccessBlockConfiguration:
                BlockPublicAcls: true
                RestrictPublicBuckets: "true"
    """)
    b = v.bucket("B")
    assert b.bpa == {"BlockPublicAcls": "on", "BlockPublicPolicy": "off",
                     "IgnorePublicAcls": "off", "RestrictPublicBuckets": "on"}


@pytest.mark.parametrize("acl,access", [("PublicRead", {"list"}),
                                        ("PublicReadWrite", {"list", "write"}),
                                        ("AuthenticatedRead", {"list"})])
def test_public_canned_acls(acl, access):
    _, v = view(f"""
        Resources:
          B:
            Type: AWS::S3::Bucket
            Properties:
              AccessControl: {acl}
    """)
    b = v.bucket("B")
    assert b.is_public and b.acl == acl
    assert set(b.public_grants[0].access) == access
    assert b.public_grants[0].path == ("Resources", "B", "Properties", "AccessControl")


@pytest.mark.parametrize("props,blocker", [
    ("PublicAccessBlockConfiguration: {IgnorePublicAcls: true}", "IgnorePublicAcls"),
    ("PublicAccessBlockConfiguration: {BlockPublicAcls: true}", "BlockPublicAcls"),
    ("OwnershipControls: {Rules: [{ObjectOwnership: BucketOwnerEnforced}]}", "BucketOwnerEnforced"),
])
def test_public_acl_neutralised(props, blocker):
    _, v = view(f"""
        Resources:
          B:
            Type: AWS::S3::Bucket
            Properties:
              AccessControl: PublicRead
              {props}
    """)
    b = v.bucket("B")
    assert not b.is_public
    assert [g.blocked_by for g in b.grants] == [blocker]


@pytest.mark.parametrize("acl", ["Private", "BucketOwnerFullControl", "LogDeliveryWrite",
                                 "AwsExecRead", "BucketOwnerRead"])
def test_non_public_acls(acl):
    _, v = view(f"""
        Resources:
          B:
            Type: AWS::S3::Bucket
            Properties:
              AccessControl: {acl}
    """)
    assert not v.bucket("B").is_public


# ---------------------------------------------------------------- principals

PUBLIC_PRINCIPALS = ['Principal: "*"', "Principal: {AWS: '*'}", "Principal: {AWS: ['*']}",
                     "Principal: {CanonicalUser: '*'}",
                     "NotPrincipal: {AWS: arn:aws:iam::123456789012:root}"]
PRIVATE_PRINCIPALS = ["Principal: {AWS: '123456789012'}",
                      "Principal: {AWS: !Sub 'arn:aws:iam::${AWS::AccountId}:root'}",
                      "Principal: {AWS: [arn:aws:iam::111122223333:role/r, '444455556666']}",
                      "Principal: {Service: cloudfront.amazonaws.com}",
                      "Principal: {Federated: cognito-identity.amazonaws.com}",
                      "Principal: {CanonicalUser: 79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be}"]


@pytest.mark.parametrize("principal", PUBLIC_PRINCIPALS)
def test_public_principals(principal):
    b = exposure(f"""
        - Effect: Allow
          {principal}
          Action: s3:GetObject
          Resource: !Sub "${{B.Arn}}/*"
    """)
    assert b.read and not b.list and not b.write
    (g,) = b.public_grants
    assert g.kind == "policy" and g.source == "P" and g.certain
    stmt = ("Resources", "P", "Properties", "PolicyDocument", "Statement", 0)
    assert g.path[:len(stmt)] == stmt
    assert g.path[len(stmt)] in ("Principal", "NotPrincipal")
    if "{" in principal and "NotPrincipal" not in principal:   # the most specific node
        key = principal.split("{")[1].split(":")[0]
        assert g.path[len(stmt) + 1] == key


@pytest.mark.parametrize("principal", PRIVATE_PRINCIPALS)
def test_non_public_principals(principal):
    b = exposure(f"""
        - Effect: Allow
          {principal}
          Action: s3:*
          Resource: ["*"]
    """)
    assert not b.is_public


def test_principal_from_parameter_without_default_is_uncertain():
    text = with_statement("""
        - Effect: Allow
          Principal: {AWS: !Ref Who}
          Action: s3:GetObject
          Resource: !Sub "${B.Arn}/*"
    """)
    _, v = view("Parameters:\n  Who: {Type: String}\n" + text)
    (g,) = v.bucket("B").public_grants
    assert not g.certain and "Who" in g.unknowns[0]


def test_principal_from_parameter_default_star_is_public():
    text = with_statement("""
        - Effect: Allow
          Principal: {AWS: !Ref Who}
          Action: s3:GetObject
          Resource: !Sub "${B.Arn}/*"
    """)
    _, v = view("Parameters:\n  Who: {Type: String, Default: '*'}\n" + text)
    (g,) = v.bucket("B").public_grants
    assert g.certain


def test_deny_never_grants():
    b = exposure("""
        - Effect: Deny
          Principal: "*"
          Action: s3:*
          Resource: ["*"]
    """)
    assert not b.grants


# ---------------------------------------------------------------- conditions

LIMITING = [
    "StringEquals: {aws:SourceArn: arn:aws:cloudfront::123456789012:distribution/E1}",
    "StringEquals: {aws:SourceAccount: '123456789012'}",
    "StringEquals: {aws:SourceVpce: vpce-1a2b3c}",
    "StringEquals: {aws:sourceVpc: vpc-1a2b3c}",
    "StringEquals: {aws:PrincipalOrgID: o-abc}",
    "StringEquals: {aws:PrincipalAccount: '123456789012'}",
    "IpAddress: {aws:SourceIp: 203.0.113.0/24}",
    "ArnLike: {aws:SourceArn: !Sub 'arn:aws:cloudfront::${AWS::AccountId}:distribution/E1'}",
    "StringEquals: {s3:DataAccessPointAccount: !Ref AWS::AccountId}",
    "StringLike: {s3:DataAccessPointArn: 'arn:aws:s3:us-east-1:123456789012:accesspoint/*'}",
    "ForAnyValue:StringEquals: {aws:SourceVpce: [vpce-1, vpce-2]}",
    "StringEquals: {aws:SourceVpce: !Ref VpceParam}",
]
NOT_LIMITING = [
    "Bool: {aws:SecureTransport: 'true'}",
    "StringLike: {aws:Referer: 'https://example.com/*'}",
    "StringEqualsIfExists: {aws:SourceVpce: vpce-1a2b3c}",
    "StringNotEquals: {aws:SourceVpce: vpce-1a2b3c}",
    "StringLike: {aws:SourceArn: 'arn:aws:cloudfront::*:distribution/*'}",
    "IpAddress: {aws:SourceIp: 0.0.0.0/0}",
    "StringLike: {aws:PrincipalOrgID: 'o-*'}",
    "StringEquals: {aws:SourceAccount: '${aws:PrincipalAccount}'}",
    "ForAllValues:StringEquals: {aws:SourceVpce: [vpce-1]}",
]


@pytest.mark.parametrize("cond", LIMITING)
def test_limiting_conditions(cond):
    text = with_statement(f"""
        - Effect: Allow
          Principal: "*"
          Action: s3:GetObject
          Resource: !Sub "${{B.Arn}}/*"
          Condition:
            {cond}
    """)
    _, v = view("Parameters:\n  VpceParam: {Type: String}\n" + text)
    assert not v.bucket("B").is_public


@pytest.mark.parametrize("cond", NOT_LIMITING)
def test_non_limiting_conditions(cond):
    b = exposure(f"""
        - Effect: Allow
          Principal: "*"
          Action: s3:GetObject
          Resource: !Sub "${{B.Arn}}/*"
          Condition:
            {cond}
    """)
    assert b.read


def test_deny_unless_vpce_closes_a_public_allow():
    stmts = """
        - Effect: Allow
          Principal: "*"
          Action: [s3:GetObject, s3:ListBucket]
          Resource: [!GetAtt B.Arn, !Sub "${B.Arn}/*"]
        - Effect: Deny
          Principal: "*"
          Action: s3:GetObject
          Resource: !Sub "${B.Arn}/*"
          Condition:
            StringNotEquals: {aws:SourceVpce: vpce-1}
    """
    b = exposure(stmts)
    # the Deny covers GetObject only: listing stays public
    assert b.list and not b.read


def test_deny_with_extra_condition_does_not_close():
    b = exposure("""
        - Effect: Allow
          Principal: "*"
          Action: s3:GetObject
          Resource: !Sub "${B.Arn}/*"
        - Effect: Deny
          Principal: "*"
          Action: s3:*
          Resource: !Sub "${B.Arn}/*"
          Condition:
            StringNotEquals: {aws:SourceVpce: vpce-1}
            Bool: {aws:SecureTransport: "false"}
    """)
    assert b.read


# ---------------------------------------------------------------- actions and resources

@pytest.mark.parametrize("action,resource,access", [
    ("s3:GetObject", "!Sub '${B.Arn}/*'", {"read"}),
    ("s3:Get*", "!Sub '${B.Arn}/*'", {"read"}),
    ("s3:ListBucket", "!GetAtt B.Arn", {"list"}),
    ("s3:PutObject", "!Sub 'arn:aws:s3:::${B}/*'", {"write"}),
    ("s3:DeleteObject", "!Sub 'arn:aws:s3:::${B}/uploads/*'", {"write"}),
    ("s3:*", "'*'", {"read", "list", "write"}),
    ("'*'", "[!GetAtt B.Arn, !Sub '${B.Arn}/*']", {"read", "list", "write"}),
    ("s3:GetObject", "!GetAtt B.Arn", set()),          # object action on the bucket ARN
    ("s3:ListBucket", "!Sub '${B.Arn}/*'", set()),     # bucket action on object ARNs
    ("sqs:SendMessage", "'*'", set()),
])
def test_action_and_resource_scoping(action, resource, access):
    b = exposure(f"""
        - Effect: Allow
          Principal: "*"
          Action: {action}
          Resource: {resource}
    """)
    got = set()
    for g in b.public_grants:
        got |= g.access
    assert got == access


def test_not_action_is_everything_else():
    b = exposure("""
        - Effect: Allow
          Principal: "*"
          NotAction: s3:DeleteObject
          Resource: ["*"]
    """)
    assert b.read and b.list and b.write


# ---------------------------------------------------------------- Block Public Access vs policy

@pytest.mark.parametrize("flag", ["BlockPublicPolicy", "RestrictPublicBuckets"])
def test_policy_neutralised_by_bpa(flag):
    b = exposure("""
        - Effect: Allow
          Principal: "*"
          Action: s3:GetObject
          Resource: !Sub "${B.Arn}/*"
    """, f"PublicAccessBlockConfiguration: {{{flag}: true}}")
    assert not b.is_public and b.grants[0].blocked_by == flag


def test_policy_with_default_bpa_is_reported_with_a_note():
    b = exposure("""
        - Effect: Allow
          Principal: "*"
          Action: s3:GetObject
          Resource: !Sub "${B.Arn}/*"
    """)
    assert b.read and "default" in b.public_grants[0].notes[0]


# ---------------------------------------------------------------- bucket resolution

@pytest.mark.parametrize("ref", ["!Ref B", "!Sub '${B}'", "site-bucket", "!Ref Name",
                                 "!Sub '${Name}'"])
def test_bucket_for(ref):
    ctx, v = view(f"""
        Parameters:
          Name: {{Type: String, Default: site-bucket}}
        Resources:
          B:
            Type: AWS::S3::Bucket
            Properties:
              BucketName: !Ref Name
          P:
            Type: AWS::S3::BucketPolicy
            Properties:
              Bucket: {ref}
              PolicyDocument: {{Statement: []}}
    """)
    assert v.policy_bucket("P") == "B"
    assert v.bucket("B").policies == ["P"]


def test_bucket_for_unknown_parameter_name_matches_same_parameter():
    _, v = view("""
        Parameters:
          Name: {Type: String}
        Resources:
          B:
            Type: AWS::S3::Bucket
            Properties: {BucketName: !Ref Name}
          Other:
            Type: AWS::S3::Bucket
          P:
            Type: AWS::S3::BucketPolicy
            Properties:
              Bucket: !Ref Name
              PolicyDocument: {Statement: []}
    """)
    assert v.policy_bucket("P") == "B"


def test_imported_bucket_is_orphan():
    _, v = view("""
        Resources:
          B:
            Type: AWS::S3::Bucket
          P:
            Type: AWS::S3::BucketPolicy
            Properties:
              Bucket: !ImportValue other-bucket
              PolicyDocument:
                Statement:
                  - {Effect: Allow, Principal: "*", Action: s3:GetObject, Resource: "*"}
    """)
    assert v.policy_bucket("P") is None
    assert not v.bucket("B").is_public
    (g,) = v.orphan_grants()
    assert g.source == "P" and g.access == {"read"}


# ---------------------------------------------------------------- website

def test_website_is_public_unless_all_four_bpa_on():
    _, v = view("""
        Resources:
          Site:
            Type: AWS::S3::Bucket
            Properties:
              WebsiteConfiguration: {IndexDocument: index.html}
          Locked:
            Type: AWS::S3::Bucket
            Properties:
              WebsiteConfiguration: {IndexDocument: index.html}
              PublicAccessBlockConfiguration:
                BlockPublicAcls: true
                BlockPublicPolicy: true
                IgnorePublicAcls: true
                RestrictPublicBuckets: true
          Redirect:
            Type: AWS::S3::Bucket
            Properties:
              WebsiteConfiguration: {RedirectAllRequestsTo: {HostName: example.com}}
    """)
    assert v.bucket("Site").read and v.bucket("Site").public_grants[0].kind == "website"
    assert not v.bucket("Locked").is_public
    assert not v.bucket("Redirect").is_public


# ---------------------------------------------------------------- CloudFront

CF = """
Parameters:
  Name: {Type: String, Default: my-assets}
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Ref Name
      WebsiteConfiguration: {IndexDocument: index.html}
  Oac:
    Type: AWS::CloudFront::OriginAccessControl
    Properties:
      OriginAccessControlConfig: {Name: o, OriginAccessControlOriginType: s3, SigningBehavior: always, SigningProtocol: sigv4}
  Oai:
    Type: AWS::CloudFront::CloudFrontOriginAccessIdentity
    Properties:
      CloudFrontOriginAccessIdentityConfig: {Comment: c}
  P:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref B
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: cloudfront.amazonaws.com}
            Action: s3:GetObject
            Resource: !Sub "${B.Arn}/*"
            Condition:
              StringEquals:
                AWS:SourceArn: !Sub "arn:aws:cloudfront::${AWS::AccountId}:distribution/${D}"
          - Effect: Allow
            Principal: {CanonicalUser: !GetAtt Oai.S3CanonicalUserId}
            Action: s3:GetObject
            Resource: !Sub "${B.Arn}/*"
  D:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Origins:
          - {Id: a, DomainName: !GetAtt B.RegionalDomainName, OriginAccessControlId: !GetAtt Oac.Id, S3OriginConfig: {OriginAccessIdentity: ""}}
          - {Id: b, DomainName: !GetAtt B.DomainName, S3OriginConfig: {OriginAccessIdentity: !Sub "origin-access-identity/cloudfront/${Oai}"}}
          - {Id: c, DomainName: !Sub "${B}.s3.amazonaws.com", S3OriginConfig: {}}
          - {Id: d, DomainName: !Select [1, !Split ["//", !GetAtt B.WebsiteURL]], CustomOriginConfig: {OriginProtocolPolicy: http-only}}
          - {Id: e, DomainName: my-assets.s3.eu-west-1.amazonaws.com, S3OriginConfig: {}}
          - {Id: f, DomainName: !Join ["", [!Ref B, ".s3-website.", !Ref "AWS::Region", ".amazonaws.com"]], CustomOriginConfig: {OriginProtocolPolicy: http-only}}
          - {Id: g, DomainName: api.example.com, CustomOriginConfig: {OriginProtocolPolicy: https-only}}
          - {Id: h, DomainName: other.s3.amazonaws.com, S3OriginConfig: {}}
"""


def test_origins_classified_and_edges_added():
    ctx, v = view(CF)
    (d,) = v.distributions()
    got = [(o.index, o.bucket, o.endpoint, o.mechanism) for o in d.origins]
    assert got == [(0, "B", "rest", "oac"), (1, "B", "rest", "oai"), (2, "B", "rest", "none"),
                   (3, "B", "website", "none"), (4, "B", "rest", "none"),
                   (5, "B", "website", "none"), (7, None, "rest", "none")]
    assert d.origins[0].oac == "Oac" and d.origins[1].oai == "Oai"
    assert d.origins[-1].bucket_name == "other"
    b = v.bucket("B")
    assert b.fronted and b.distributions == ["D"]
    edges = list(ctx.graph.in_edges("B", Edge.ORIGIN))
    assert len(edges) == 6 and all(src == "D" for src, _ in edges)
    assert [(e["origin"], e["endpoint"], e["mechanism"]) for _, e in edges] == \
        [(o.index, o.endpoint, o.mechanism) for o in d.origins if o.bucket == "B"]
    assert v.policy_allows_origin(d.origins[0]) is True
    assert v.policy_allows_origin(d.origins[1]) is True
    assert v.policy_allows_origin(d.origins[7 - 1]) is None


def test_oac_policy_without_source_arn_is_listed():
    _, v = view("""
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
                    Principal: {Service: cloudfront.amazonaws.com}
                    Action: s3:GetObject
                    Resource: !Sub "${B.Arn}/*"
    """)
    assert not v.bucket("B").is_public
    (g,) = v.unscoped_cloudfront_grants("B")
    assert g.access == {"read"} and g.path[-2:] == ("Principal", "Service")


def test_sam_template_event_bucket():
    ctx, v = view("""
        Transform: AWS::Serverless-2016-10-31
        Resources:
          B:
            Type: AWS::S3::Bucket
            Properties:
              AccessControl: PublicRead
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Handler: a.h
              Runtime: python3.12
              CodeUri: .
              Events:
                E: {Type: S3, Properties: {Bucket: !Ref B, Events: "s3:ObjectCreated:*"}}
    """)
    assert v.bucket("B").list
    assert [d for d, _ in ctx.graph.out_edges("Fn", Edge.EVENT_SOURCE)] == ["B"]


def test_hostile_shapes_do_not_crash():
    _, v = view("""
        Resources:
          B:
            Type: AWS::S3::Bucket
            Properties:
              AccessControl: [PublicRead]
              PublicAccessBlockConfiguration: not-a-map
              OwnershipControls: {Rules: 7}
              WebsiteConfiguration: null
          P:
            Type: AWS::S3::BucketPolicy
            Properties:
              Bucket: {"Fn::Weird": 1}
              PolicyDocument:
                Statement:
                  - 7
                  - {Effect: Allow, Principal: {AWS: {"Ref": 3}}, Action: [null], Resource: {}}
                  - {Effect: Allow, Principal: "*", Action: s3:GetObject, Condition: [1, 2]}
          D:
            Type: AWS::CloudFront::Distribution
            Properties:
              DistributionConfig:
                Origins: {DomainName: 3}
    """)
    b = v.bucket("B")
    # a list where a string belongs is an unknown ACL, not PublicRead; a BPA block that is not a
    # mapping leaves every setting unknown; the policy names no bucket slint can resolve
    assert b.acl == "{list}" and not b.is_public and not b.read and not b.list
    assert set(b.bpa.values()) == {"unknown"} and b.bpa_present
    assert b.policies == [] and b.grants == [] and not b.website
    assert [(d.logical_id, d.origins) for d in v.distributions()] == [("D", [])]
    assert v.orphan_grants() == []


def test_literal_host_matches_parameter_bucket_name_case_insensitively():
    _, v = view("""
        Parameters:
          SiteBucketName: {Type: String}
        Resources:
          B:
            Type: AWS::S3::Bucket
            Properties: {BucketName: !Ref SiteBucketName}
          D:
            Type: AWS::CloudFront::Distribution
            Properties:
              DistributionConfig:
                Origins:
                  - {Id: a, DomainName: !Sub "${SiteBucketName}.s3.amazonaws.com", S3OriginConfig: {}}
                  - {Id: b, DomainName: !Sub "http://${SiteBucketName}.s3-website-us-east-1.amazonaws.com", CustomOriginConfig: {OriginProtocolPolicy: http-only}}
    """)
    assert [(o.bucket, o.endpoint) for o in v.s3_origins()] == [("B", "rest"), ("B", "website")]


def test_policy_document_as_json_string():
    _, v = view("""
        Resources:
          B:
            Type: AWS::S3::Bucket
          P:
            Type: AWS::S3::BucketPolicy
            Properties:
              Bucket: !Ref B
              PolicyDocument: '{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}'
    """)
    assert v.bucket("B").read


def test_novalue_block_public_access_is_left_to_default():
    _, v = view("""
        Resources:
          B:
            Type: AWS::S3::Bucket
            Properties:
              PublicAccessBlockConfiguration: !Ref AWS::NoValue
    """)
    b = v.bucket("B")
    assert not b.bpa_present and set(b.bpa.values()) == {"default"}


def test_bucket_for_same_pseudo_expression():
    _, v = view("""
        Resources:
          B:
            Type: AWS::S3::Bucket
            Properties: {BucketName: !Sub "${AWS::StackName}-site-${AWS::AccountId}"}
          P:
            Type: AWS::S3::BucketPolicy
            Properties:
              Bucket: !Sub "${AWS::StackName}-site-${AWS::AccountId}"
              PolicyDocument: {Statement: []}
          Q:
            Type: AWS::S3::BucketPolicy
            Properties:
              Bucket: !Sub "${AWS::StackName}-other"
              PolicyDocument: {Statement: []}
    """)
    assert v.policy_bucket("P") == "B" and v.policy_bucket("Q") is None


def test_unknown_bpa_flag_is_assumed_off_and_said():
    text = with_statement("""
        - Effect: Allow
          Principal: "*"
          Action: s3:GetObject
          Resource: !Sub "${B.Arn}/*"
    """, "PublicAccessBlockConfiguration: {BlockPublicPolicy: !Ref Block, RestrictPublicBuckets: false}")
    _, v = view("Parameters:\n  Block: {Type: String}\n" + text)
    b = v.bucket("B")
    assert b.bpa["BlockPublicPolicy"] == "unknown" and b.read
    assert "BlockPublicPolicy is not known" in b.public_grants[0].notes[0]

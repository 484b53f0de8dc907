"""S3P001: a bucket anyone on the internet can read, list or write, with no CloudFront in front."""

from __future__ import annotations

from dataclasses import replace

from slint.findings import Category, Severity
from slint.rule import Rule
from slint.views.s3 import access_words, describe_grant, grant_notes

from ._severity import for_access, scenario_note


class PublicBucket(Rule):
    """## What it does
    Flags an `AWS::S3::Bucket` that anyone on the internet can reach directly and that no
    `AWS::CloudFront::Distribution` in the template fronts. A bucket is public when:

    - its `AccessControl` is `PublicRead`, `PublicReadWrite` (AllUsers) or `AuthenticatedRead`
      (any AWS account), and neither `BlockPublicAcls`, `IgnorePublicAcls` nor an explicit
      `BucketOwnerEnforced` ownership neutralises it;
    - an `AWS::S3::BucketPolicy` for it (`Bucket: !Ref B`, a `!Sub`, or a name equal to its
      `BucketName`) has an `Allow` statement for `Principal: "*"`, `{AWS: "*"}` or a
      `NotPrincipal`, with no condition that S3 itself treats as limiting (a fixed
      `aws:SourceArn`, `aws:SourceAccount`, `aws:SourceVpce`, `aws:SourceVpc`,
      `aws:PrincipalOrgID`, `aws:PrincipalAccount`, `aws:SourceIp` CIDR, ...), and neither
      `BlockPublicPolicy` nor `RestrictPublicBuckets` is on;
    - it has a `WebsiteConfiguration` (a bucket that exists to be served publicly) and not all four
      Block Public Access settings are on.

    The finding points at the `AccessControl` value, the statement's `Principal`, or the
    `WebsiteConfiguration`; its resource is always the bucket, and the message names the
    BucketPolicy that grants access. Public **list** or **write** is reported one severity rank
    above the rule's severity (critical by default): listing reveals every key, and public write
    lets anyone plant, overwrite or delete content. A public bucket fronted by CloudFront is
    reported by CFR001 instead. A public policy for a bucket that is not in the template is
    reported on the BucketPolicy.

    Graded by what deploying the template does: a public ACL or policy on a bucket whose
    template leaves Block Public Access (and, for ACLs, `OwnershipControls`) to S3's defaults
    makes the stack **fail to deploy** (S3 rejects it), so nothing is exposed yet: reported at
    **low**, saying so ("would let"). Only when the template turns those settings off is the
    bucket public, at the severities above. A bucket with `WebsiteConfiguration` and no public
    grant is reported at **low** too: website hosting is on, but nothing grants public read, so
    the website endpoint answers 403 Access Denied.

    ## Why is this bad?
    Every object becomes downloadable by anyone who guesses or lists its key; public write turns
    the bucket into free hosting for malware and lets anyone deface or delete the content.
    Serving public content through CloudFront with origin access control keeps the bucket
    private, adds TLS, caching and WAF, and gives one place to log and revoke access.

    ## Example
    ```yaml
    Resources:
      Assets:
        Type: AWS::S3::Bucket
      AssetsPolicy:
        Type: AWS::S3::BucketPolicy
        Properties:
          Bucket: !Ref Assets
          PolicyDocument:
            Statement:
              - Effect: Allow
                Principal: "*"
                Action: s3:GetObject
                Resource: !Sub "${Assets.Arn}/*"
    ```

    In a Serverless Framework `serverless.yml`:
    ```yaml
    service: photos
    provider:
      name: aws
    functions:
      resize:
        handler: resize.handler
        events:
          - s3: photos
    resources:
      Resources:
        PhotosPolicy:
          Type: AWS::S3::BucketPolicy
          Properties:
            Bucket: !Ref S3BucketPhotos
            PolicyDocument:
              Statement:
                - Effect: Allow
                  Principal: "*"
                  Action: s3:GetObject
                  Resource: !Sub "${S3BucketPhotos.Arn}/*"
    ```

    ## Use instead
    ```yaml
    Resources:
      Assets:
        Type: AWS::S3::Bucket
        Properties:
          PublicAccessBlockConfiguration:
            BlockPublicAcls: true
            BlockPublicPolicy: true
            IgnorePublicAcls: true
            RestrictPublicBuckets: true
      AssetsPolicy:
        Type: AWS::S3::BucketPolicy
        Properties:
          Bucket: !Ref Assets
          PolicyDocument:
            Statement:
              - Effect: Allow
                Principal:
                  AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root"
                Action: s3:GetObject
                Resource: !Sub "${Assets.Arn}/*"
    ```

    In `serverless.yml`:
    ```yaml
    service: photos
    provider:
      name: aws
    functions:
      resize:
        handler: resize.handler
        events:
          - s3: photos
    ```

    ## Known limitations
    - Settings left to the S3 default: since April 2023 S3 creates buckets with all four Block
      Public Access settings on and ACLs disabled, so CloudFormation fails to deploy a public ACL
      or policy on a new bucket whose template does not turn them off. The template still asks
      for public access (and turning the settings off, the usual "fix" for the failed
      deployment, makes it real), so it is reported, at low, and the message says the stack
      fails to deploy. A bucket created before April 2023 keeps its old settings: slint cannot
      see them.
    - Account-level Block Public Access and SCPs are outside the template and not considered.
    - A principal or `AccessControl` that comes from a parameter with no default (and no
      `AllowedValues`, or an `AllowedPattern` that `*` would match) is unknown. Such a grant is
      recorded by the view but not reported by default, since it is nearly always an account or
      role; set the rule option `report_unknown = true` to report it at low severity, with the
      message naming the parameter. A limiting condition whose value comes from a parameter is
      assumed to be a fixed value.
    - Access points (`AWS::S3::AccessPoint`) and object ACLs are not analysed.

    ## References
    - https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
    - https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
    - checkov CKV_AWS_20, CKV_AWS_57 (public ACL); cfn_nag W31/F14 (public ACL), F16/W53
      (wildcard principal in a bucket policy)
    """
    code = "S3P001"
    name = "public-bucket"
    category = Category.S3PUBLIC
    severity = Severity.HIGH
    message = "Bucket `{bucket}` {verb} {who} {access}: {how}{note}"
    fix = ("Keep the bucket private (turn on all four Block Public Access settings) and serve "
           "public content through CloudFront with origin access control")

    options = {"report_unknown": False}

    def check(self, ctx):
        view = ctx.buckets
        for b in view.buckets():
            for g in b.public_grants:
                if not g.certain and not self.opts["report_unknown"]:
                    continue
                scen = view.unfronted(b, g.scenario)
                if scen is None:
                    continue   # CFR001: fronted by CloudFront (in this scenario) but still public
                if scen != g.scenario:
                    g = replace(g, scenario=scen)   # public where no distribution exists
                if g.kind == "website":  # say what the template really does
                    yield self.report(
                        ctx, g.path, resource=b.logical_id, scenario=g.scenario,
                        severity=for_access(self.effective_severity, g.access, g.certain, g),
                        message=("Bucket `{bucket}` has website hosting on, but nothing in the "
                                 "template grants public read: its website endpoint answers 403 "
                                 "Access Denied{note}"),
                        bucket=b.logical_id, note=scenario_note(g))
                    continue
                yield self.report(
                    ctx, g.path, resource=b.logical_id, scenario=g.scenario,
                    severity=for_access(self.effective_severity, g.access, g.certain, g),
                    bucket=b.logical_id, verb=_verb(g), who=_who(g), access=access_words(g.access),
                    how=describe_grant(g), note=grant_notes(g) + scenario_note(g))
        for g in view.orphan_grants():
            if not g.effective or (not g.certain and not self.opts["report_unknown"]):
                continue
            yield self.report(
                ctx, g.path, resource=g.source, scenario=g.scenario,
                severity=for_access(self.effective_severity, g.access, g.certain, g),
                message=("Bucket policy `{policy}` {verb} {who} {access} of a bucket that is not in "
                         "this template: {how}{note}"),
                policy=g.source, verb=_verb(g), who=_who(g), access=access_words(g.access, "objects"),
                how=describe_grant(g), note=grant_notes(g) + scenario_note(g))


def _verb(g) -> str:
    from ._severity import verb
    return verb(g)


def _who(g) -> str:
    if g.kind == "acl" and g.who.startswith("any AWS account"):
        return "any AWS account"
    return "anyone"

"""CFR003: a bucket policy that admits the CloudFront service principal without naming the distribution."""

from __future__ import annotations

from slint.findings import Category, Severity
from slint.rule import Rule
from slint.rules.s3._severity import scenario_note
from slint.views.s3 import access_words


class OacGrantWithoutSourceArn(Rule):
    """## What it does
    Flags an `AWS::S3::BucketPolicy` statement that allows the `cloudfront.amazonaws.com` service
    principal (origin access control) to read, list or write a bucket of the template without a
    fixed `aws:SourceArn` (or `aws:SourceAccount`, or another condition key S3 treats as
    limiting). The finding points at the statement's `Principal`; the resource is the bucket.

    ## Why is this bad?
    With origin access control, CloudFront signs requests as the `cloudfront.amazonaws.com`
    service for **every** distribution, in every AWS account. The `AWS:SourceArn` condition is
    the only thing that ties the grant to your distribution: without it, anyone can create a
    distribution with an OAC pointing at your bucket and read it, bypassing your distribution's
    WAF, signed URLs and geo restrictions.

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
                Principal:
                  Service: cloudfront.amazonaws.com
                Action: s3:GetObject
                Resource: !Sub "${Assets.Arn}/*"
    ```

    ## Use instead
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
                Principal:
                  Service: cloudfront.amazonaws.com
                Action: s3:GetObject
                Resource: !Sub "${Assets.Arn}/*"
                Condition:
                  StringEquals:
                    AWS:SourceArn: !Sub "arn:aws:cloudfront::${AWS::AccountId}:distribution/${Cdn}"
      Cdn:
        Type: AWS::CloudFront::Distribution
        Properties:
          DistributionConfig:
            Enabled: true
            Origins:
              - Id: assets
                DomainName: !GetAtt Assets.RegionalDomainName
                OriginAccessControlId: !Ref AssetsOac
                S3OriginConfig:
                  OriginAccessIdentity: ""
            DefaultCacheBehavior:
              TargetOriginId: assets
              ViewerProtocolPolicy: redirect-to-https
      AssetsOac:
        Type: AWS::CloudFront::OriginAccessControl
        Properties:
          OriginAccessControlConfig:
            Name: assets
            OriginAccessControlOriginType: s3
            SigningBehavior: always
            SigningProtocol: sigv4
    ```

    ## Known limitations
    - A fixed `aws:SourceAccount` (your distributions only) is accepted as limiting, like S3
      does; a `StringLike` `aws:SourceArn` with a wildcard account is not.
    - A condition value from a parameter with no default is assumed to be a fixed value.
    - Only bucket policies for buckets in the template are checked.

    ## References
    - https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html
    - https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
    """
    code = "CFR003"
    name = "oac-grant-without-source-arn"
    category = Category.CLOUDFRONT
    severity = Severity.MEDIUM
    message = ("Bucket `{bucket}` lets any CloudFront distribution, in any AWS account, {access}: "
               "{label} of `{policy}` allows `cloudfront.amazonaws.com` {actions} with no "
               "fixed `AWS:SourceArn` condition{note}")
    fix = ("Add `Condition: {StringEquals: {AWS:SourceArn: <your distribution ARN>}}` to the "
           "statement")

    def check(self, ctx):
        view = ctx.buckets
        for b in view.buckets():
            for g in view.unscoped_cloudfront_grants(b.logical_id):
                yield self.report(ctx, g.path, resource=b.logical_id, scenario=g.scenario,
                                  bucket=b.logical_id, access=access_words(g.access),
                                  label=g.label, policy=g.source, actions=", ".join(g.actions),
                                  note=scenario_note(g))

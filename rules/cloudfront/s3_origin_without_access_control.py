"""CFR002: a CloudFront S3 origin with neither origin access control nor an origin access identity."""

from __future__ import annotations

from slint.findings import Category, Severity
from slint.rule import Rule


class S3OriginWithoutAccessControl(Rule):
    """## What it does
    Flags an origin of an `AWS::CloudFront::Distribution` that points at an S3 bucket (its
    `DomainName` is a bucket REST endpoint such as `!GetAtt B.RegionalDomainName` or
    `name.s3.amazonaws.com`, or an S3 website endpoint, or the origin has an `S3OriginConfig`)
    without origin access control (`OriginAccessControlId`) or an origin access identity
    (`S3OriginConfig.OriginAccessIdentity`). An OAC whose `SigningBehavior` is `never` counts as
    none. A website-endpoint origin is a custom origin and can use neither, so it is always
    flagged. The finding points at the origin's `DomainName`; the resource is the distribution.

    ## Why is this bad?
    Without OAC or OAI CloudFront fetches objects anonymously, so the bucket only works as an
    origin if it is public: anyone can bypass the distribution (and its WAF, signed URLs,
    geo restriction and logging) and read the bucket directly. With OAC, the bucket stays
    private and its policy admits only this distribution.

    ## Example
    ```yaml
    Resources:
      Assets:
        Type: AWS::S3::Bucket
      Cdn:
        Type: AWS::CloudFront::Distribution
        Properties:
          DistributionConfig:
            Enabled: true
            Origins:
              - Id: assets
                DomainName: !GetAtt Assets.RegionalDomainName
                S3OriginConfig: {}
            DefaultCacheBehavior:
              TargetOriginId: assets
              ViewerProtocolPolicy: redirect-to-https
    ```

    ## Use instead
    ```yaml
    Resources:
      Assets:
        Type: AWS::S3::Bucket
      AssetsOac:
        Type: AWS::CloudFront::OriginAccessControl
        Properties:
          OriginAccessControlConfig:
            Name: assets
            OriginAccessControlOriginType: s3
            SigningBehavior: always
            SigningProtocol: sigv4
      Cdn:
        Type: AWS::CloudFront::Distribution
        Properties:
          DistributionConfig:
            Enabled: true
            Origins:
              - Id: assets
                DomainName: !GetAtt Assets.RegionalDomainName
                OriginAccessControlId: !GetAtt AssetsOac.Id
                S3OriginConfig:
                  OriginAccessIdentity: ""
            DefaultCacheBehavior:
              TargetOriginId: assets
              ViewerProtocolPolicy: redirect-to-https
    ```

    ## Known limitations
    - An origin is recognised as S3 by its `DomainName` (a bucket attribute, a `!Sub`/`!Join` of
      `${B}.s3...`, a literal `*.s3*.amazonaws.com` host) or by an `S3OriginConfig`; an unknown
      domain (a parameter) without `S3OriginConfig` is not treated as S3.
    - Whether the bucket policy actually admits the OAC/OAI is not required here (a missing grant
      breaks the distribution, it does not expose the bucket).

    ## References
    - https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html
    - checkov CKV_AWS_... has no direct equivalent; AWS Security Hub CloudFront.13
      ("CloudFront distributions should use origin access control")
    """
    code = "CFR002"
    name = "s3-origin-without-access-control"
    category = Category.CLOUDFRONT
    severity = Severity.MEDIUM
    message = "Distribution `{dist}` reads {target} {how}{notes}"
    fix = ("Point the origin at the bucket's REST endpoint (`!GetAtt B.RegionalDomainName`) with "
           "an `OriginAccessControlId`, and allow only that distribution in the bucket policy")

    def check(self, ctx):
        for o in ctx.buckets.s3_origins():
            if o.mechanism != "none":
                continue
            target = (f"bucket `{o.bucket}`" if o.bucket else
                      f"S3 bucket `{o.bucket_name}`" if o.bucket_name else "an S3 bucket")
            if o.endpoint == "website":
                how = ("through its S3 website endpoint, a custom origin that cannot use origin "
                       "access control, so the bucket must be public")
            else:
                how = ("without origin access control or an origin access identity, so the "
                       "bucket must be public for the origin to work")
            yield self.report(ctx, o.domain_path, resource=o.distribution, scenario=o.scenario,
                              dist=o.distribution, target=target, how=how,
                              notes=f" ({'; '.join(o.notes)})" if o.notes else "")

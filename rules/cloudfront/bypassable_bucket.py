"""CFR001: a bucket served through CloudFront that is still public directly."""

from __future__ import annotations

from dataclasses import replace

from slint.findings import Category, Severity
from slint.rule import Rule
from slint.rules.s3._severity import for_access, scenario_note
from slint.views.s3 import access_words, describe_grant, grant_notes


class BypassableBucket(Rule):
    """## What it does
    Flags an `AWS::S3::Bucket` that an `AWS::CloudFront::Distribution` in the template uses as an
    origin but that is also public directly (a public `AccessControl`, a bucket policy statement
    for `Principal: "*"` without a limiting condition, with Block Public Access not stopping it;
    see S3P001 for the exact semantics). This includes a distribution that reaches the bucket
    through its S3 **website endpoint**: that is a custom origin, which cannot use origin access
    control (OAC) or an origin access identity (OAI), so the bucket has to stay public for the
    site to work. The finding points at the public grant (the `AccessControl` value, the
    statement's `Principal`, or the `WebsiteConfiguration`); the resource is the bucket and the
    message names the distribution. Public list or write is reported one severity rank higher.

    ## Why is this bad?
    Anyone can skip the distribution and read (or list, or write) the bucket through its S3
    endpoint, bypassing everything CloudFront enforces: WAF rules, geo restriction, signed URLs
    or cookies, Lambda@Edge / CloudFront Functions authentication, HTTPS-only viewers, logging
    and caching (the bill for direct downloads is yours too).

    ## Example
    ```yaml
    Resources:
      Site:
        Type: AWS::S3::Bucket
        Properties:
          WebsiteConfiguration:
            IndexDocument: index.html
          PublicAccessBlockConfiguration:
            BlockPublicPolicy: false
            RestrictPublicBuckets: false
      SitePolicy:
        Type: AWS::S3::BucketPolicy
        Properties:
          Bucket: !Ref Site
          PolicyDocument:
            Statement:
              - Effect: Allow
                Principal: "*"
                Action: s3:GetObject
                Resource: !Sub "${Site.Arn}/*"
      Cdn:
        Type: AWS::CloudFront::Distribution
        Properties:
          DistributionConfig:
            Enabled: true
            Origins:
              - Id: site
                DomainName: !Select [1, !Split ["//", !GetAtt Site.WebsiteURL]]
                CustomOriginConfig:
                  OriginProtocolPolicy: http-only
            DefaultCacheBehavior:
              TargetOriginId: site
              ViewerProtocolPolicy: redirect-to-https
    ```

    ## Use instead
    ```yaml
    Resources:
      Site:
        Type: AWS::S3::Bucket
        Properties:
          PublicAccessBlockConfiguration:
            BlockPublicAcls: true
            BlockPublicPolicy: true
            IgnorePublicAcls: true
            RestrictPublicBuckets: true
      SiteOac:
        Type: AWS::CloudFront::OriginAccessControl
        Properties:
          OriginAccessControlConfig:
            Name: site
            OriginAccessControlOriginType: s3
            SigningBehavior: always
            SigningProtocol: sigv4
      SitePolicy:
        Type: AWS::S3::BucketPolicy
        Properties:
          Bucket: !Ref Site
          PolicyDocument:
            Statement:
              - Effect: Allow
                Principal:
                  Service: cloudfront.amazonaws.com
                Action: s3:GetObject
                Resource: !Sub "${Site.Arn}/*"
                Condition:
                  StringEquals:
                    AWS:SourceArn: !Sub "arn:aws:cloudfront::${AWS::AccountId}:distribution/${Cdn}"
      Cdn:
        Type: AWS::CloudFront::Distribution
        Properties:
          DistributionConfig:
            Enabled: true
            DefaultRootObject: index.html
            Origins:
              - Id: site
                DomainName: !GetAtt Site.RegionalDomainName
                OriginAccessControlId: !GetAtt SiteOac.Id
                S3OriginConfig:
                  OriginAccessIdentity: ""
            DefaultCacheBehavior:
              TargetOriginId: site
              ViewerProtocolPolicy: redirect-to-https
    ```

    ## Known limitations
    - A bucket is "fronted" when a distribution's origin `DomainName` resolves to it in this
      template (`!GetAtt B.RegionalDomainName`/`DomainName`/`DualStackDomainName`, `!Sub` or
      `!Join` of `${B}.s3...`, the website endpoint via `!GetAtt B.WebsiteURL`, or a literal host
      whose bucket name matches the bucket's `BucketName`). A distribution in another stack is not
      seen: such a bucket is reported by S3P001.
    - A bucket with `WebsiteConfiguration` but no public grant is reported only when a
      distribution uses its website endpoint (which needs public read), at low: nothing grants
      that read, so the endpoint answers 403 Access Denied to CloudFront as to anyone.
    - Same default-settings grading (a grant under which the stack fails to deploy is low) and
      unknown-value handling as S3P001 (including its
      `report_unknown` option).

    ## References
    - https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html
    - https://docs.aws.amazon.com/AmazonS3/latest/userguide/WebsiteEndpoints.html
    - checkov CKV_AWS_20/CKV_AWS_57 and cfn_nag F16 flag the public grant but not the bypass
    """
    code = "CFR001"
    name = "cloudfront-bypassable-bucket"
    category = Category.CLOUDFRONT
    severity = Severity.HIGH
    message = ("Bucket `{bucket}` is served through CloudFront distribution {dists} but {who} "
               "also {access} directly: {how}{website}")
    fix = ("Make the bucket private (all four Block Public Access settings on, no public ACL or "
           "policy) and let only the distribution read it, with origin access control on the S3 "
           "REST endpoint")

    options = {"report_unknown": False}

    def check(self, ctx):
        view = ctx.buckets
        for b in view.buckets():
            if not b.fronted:
                continue
            for g in b.public_grants:
                if not g.certain and not self.opts["report_unknown"]:
                    continue
                fronts = view.fronting(b, g.scenario)
                if not fronts:
                    continue  # no distribution exists when this grant does: S3P001's
                scen = ctx.values.join(g.scenario, fronts[0].scenario) or g.scenario
                if scen != g.scenario:
                    g = replace(g, scenario=scen)   # public while the distribution exists
                website = sorted({o.distribution for o in fronts if o.endpoint == "website"})
                if g.kind == "website" and not website:
                    continue  # website config on a bucket fronted through its REST endpoint
                dists = website if website else sorted({o.distribution for o in fronts})
                if g.kind == "website":  # say what the template really does
                    yield self.report(
                        ctx, g.path, resource=b.logical_id, scenario=g.scenario,
                        severity=for_access(self.effective_severity, g.access, g.certain, g),
                        message=("Bucket `{bucket}` is served through CloudFront distribution "
                                 "{dists} from its website endpoint, but nothing in the template "
                                 "grants public read: the website endpoint answers 403 Access "
                                 "Denied, to CloudFront as to anyone{note}"),
                        bucket=b.logical_id, dists=", ".join(f"`{d}`" for d in dists),
                        note=scenario_note(g))
                    continue
                yield self.report(
                    ctx, g.path, resource=b.logical_id, scenario=g.scenario,
                    severity=for_access(self.effective_severity, g.access, g.certain, g),
                    bucket=b.logical_id, dists=", ".join(f"`{d}`" for d in dists),
                    who=("anyone could" if getattr(g, "deploy_fails", False) else "anyone can")
                        if g.certain else "anyone may be able to",
                    access=access_words(g.access), how=describe_grant(g) + grant_notes(g) + scenario_note(g),
                    website=(" (its origin is the S3 website endpoint, which cannot use origin "
                             "access control)") if website else "")

"""BKT001: a bucket name that is one fixed string."""

from __future__ import annotations

from slint.findings import Category, Severity
from slint.rule import Rule
from slint.views.bucket_names import FIXED

from ._shared import grouped, names, when


class HardcodedBucketName(Rule):
    """## What it does
    Flags an `AWS::S3::Bucket` whose `BucketName` is a fixed string: a literal, or a `!Sub` /
    `!Join` / `!If` branch that resolves to the same text whatever the account, region and
    stack.

    ## Why is this bad?
    General purpose bucket names are unique across every AWS account in a partition. A fixed
    name makes the template deployable once: the second deployment (another stage, another
    region, another account, a colleague's sandbox) fails with `BucketAlreadyExists`, and
    anyone who creates that name first (by accident or to receive your data) blocks the stack.
    Bucket names are also create-only: changing one later replaces the bucket.

    ## Example
    ```yaml
    Resources:
      Uploads:
        Type: AWS::S3::Bucket
        Properties:
          BucketName: my-app-uploads
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
          - s3: photos   # the framework creates a bucket named `photos`
    ```

    ## Use instead
    ```yaml
    Resources:
      Uploads:
        Type: AWS::S3::Bucket
        Properties:
          BucketName: !Sub my-app-uploads-${AWS::AccountId}-${AWS::Region}
    ```
    Or leave `BucketName` out: CloudFormation then generates a unique name, available as
    `!Ref Uploads`.

    In `serverless.yml`:
    ```yaml
    service: photos
    provider:
      name: aws
      stage: ${opt:stage, 'dev'}
    functions:
      resize:
        handler: resize.handler
        events:
          - s3: ${self:service}-${self:provider.stage}-${aws:accountId}-${aws:region}
    ```

    ## Known limitations
    Each `Fn::If` branch is graded on its own and the finding names its condition scenario.
    A name built from parameters, mappings or the region is BKT002's; a name with any part
    slint cannot see (a parameter with no default, a resource attribute, an import) is not
    flagged. `AWS::S3Express::DirectoryBucket` names are zone-scoped and not graded. A name in
    the account regional namespace (`BucketNamespace: account-regional`, or a name ending in
    `-<account>-<region>-an`) is qualified.

    ## References
    - https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
    - https://docs.aws.amazon.com/AmazonS3/latest/userguide/gpbucketnamespaces.html
    - checkov, cfn_nag, cfn-lint: no equivalent check
    """
    code = "BKT001"
    name = "hardcoded-bucket-name"
    category = Category.BUCKETNAME
    severity = Severity.MEDIUM
    message = ("`{bucket}` is named {names}{when}, the same in every account, region and "
               "stack")
    fix = ("Remove `BucketName` so CloudFormation generates a unique name, or add "
           "`${AWS::AccountId}` and `${AWS::Region}` (or `${AWS::StackName}`) to it")

    def check(self, ctx):
        for b in ctx.bucket_names.buckets:
            for path, scen, vals in grouped(b.graded(FIXED)):
                yield self.report(ctx, path, resource=b.logical_id, scenario=scen or None,
                                  bucket=b.logical_id, names=names(vals), when=when(scen))

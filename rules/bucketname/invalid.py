"""BKT004: a bucket name that breaks the S3 naming rules."""

from __future__ import annotations

from slint.findings import Category, Severity
from slint.rule import Rule
from slint.views.bucket_names import EMPTY_NAME, naming_problems

from ._shared import from_params, grouped, show, when


class InvalidBucketName(Rule):
    """## What it does
    Flags an `AWS::S3::Bucket` whose `BucketName` breaks the general purpose bucket naming
    rules: 3 to 63 characters; only lowercase letters, digits, `.` and `-`; starts and ends with
    a letter or digit; no two adjacent periods; not formatted as an IP address; none of the
    reserved prefixes (`xn--`, `sthree-`, `amzn-s3-demo-`) or suffixes (`-s3alias`, `--ol-s3`,
    `.mrap`, `--x-s3`, `--table-s3`); no periods with Transfer Acceleration; ends with `-an` in
    the account regional namespace.

    ## Why is this bad?
    CloudFormation only finds out at deploy time: the bucket fails to create and the stack
    rolls back. A parameter default that breaks the rules fails every deployment that keeps it.

    ## Example
    ```yaml
    Resources:
      Logs:
        Type: AWS::S3::Bucket
        Properties:
          BucketName: !Sub My_Logs-${AWS::AccountId}
    ```

    ## Use instead
    ```yaml
    Resources:
      Logs:
        Type: AWS::S3::Bucket
        Properties:
          BucketName: !Sub my-logs-${AWS::AccountId}
    ```

    ## Known limitations
    Only the parts of a name the template fixes are judged: a placeholder (the stack name, a
    parameter with no default, a resource attribute) is never flagged, even though a stack name
    with uppercase letters would make `${AWS::StackName}-data` invalid. For the length, unknown
    parts count with their shortest possible value (12 for the account id, 9 for a region).
    Values from parameter defaults and AllowedValues are judged, and the parameter is named.
    Directory buckets (`AWS::S3Express::DirectoryBucket`) follow other rules and are not
    checked. The legacy rule against `-.` and `.-` is not applied (it is not in the current
    S3 naming rules).

    ## References
    - https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
    - cfn-lint E1161 (format of literal names); checkov, cfn_nag: no equivalent check
    """
    code = "BKT004"
    name = "invalid-bucket-name"
    category = Category.BUCKETNAME
    severity = Severity.HIGH
    message = ("`{bucket}` name `{name}`{origin} is not a valid S3 bucket name{when}: "
               "{problems}{more}")
    fix = ("Use 3-63 lowercase letters, digits, `.` or `-`, starting and ending with a letter "
           "or digit")

    def check(self, ctx):
        for b in ctx.bucket_names.buckets:
            vals = [v for v in b.values if v.grade != EMPTY_NAME]
            for path, scen, group in grouped(vals):
                bad = [(v, p) for v in group
                       for p in [naming_problems(v, account_regional=b.account_regional,
                                                 accelerated=b.accelerated)] if p]
                if not bad:
                    continue
                v, problems = bad[0]
                more = len(bad) - 1
                origin = from_params(ctx.template, [v])
                yield self.report(
                    ctx, path, resource=b.logical_id, scenario=scen or None,
                    bucket=b.logical_id, name=show(v),
                    origin=f" (from {origin})" if origin else "",
                    problems="; ".join(problems), when=when(scen),
                    more=(f" (and {more} other possible value{'s' if more > 1 else ''} "
                          "break the rules too)") if more else "")

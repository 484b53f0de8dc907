"""BKT002: a bucket name built from parameters, mappings or the region only."""

from __future__ import annotations

from slint.findings import Category, Severity
from slint.rule import Rule
from slint.views.bucket_names import UNQUALIFIED

from ._shared import from_params, grouped, names, when

_MISSING = {
    ("account", "stack"): "`${AWS::AccountId}` or `${AWS::StackName}`",
    ("account", "region"): "`${AWS::AccountId}` and `${AWS::Region}`",
    ("account",): "`${AWS::AccountId}`",
    ("region",): "`${AWS::Region}`",
}


class UnqualifiedBucketName(Rule):
    """## What it does
    Flags an `AWS::S3::Bucket` whose `BucketName` varies only with deployment inputs
    (parameter defaults and AllowedValues, mappings, environment words, the region) and has
    nothing unique to the account or the stack: no `${AWS::AccountId}`, no
    `${AWS::StackName}`, no part of `AWS::StackId`. The message names the missing qualifier.

    With the rule option `strict = true`, a name must include both the account and the region
    (or part of `AWS::StackId`, a GUID): a name with only the stack name or only the account is
    flagged too.

    ## Why is this bad?
    Bucket names are unique across every AWS account in a partition. `app-${Env}-data` or
    `app-data-${AWS::Region}` is the same string for every account that deploys the template
    with the same inputs: the second account (or the same template deployed twice) fails with
    `BucketAlreadyExists`, and a stranger can claim the name first. A parameter default is a
    fixed string for everyone who keeps it.

    ## Example
    ```yaml
    Parameters:
      Stage:
        Type: String
        AllowedValues: [dev, prod]
    Resources:
      Reports:
        Type: AWS::S3::Bucket
        Properties:
          BucketName: !Sub reports-${Stage}-${AWS::Region}
    ```

    ## Use instead
    ```yaml
    Parameters:
      Stage:
        Type: String
        AllowedValues: [dev, prod]
    Resources:
      Reports:
        Type: AWS::S3::Bucket
        Properties:
          BucketName: !Sub reports-${Stage}-${AWS::AccountId}-${AWS::Region}
    ```

    ## Known limitations
    A parameter is judged by its `Default` and `AllowedValues`; a name made only of parameters
    with neither (and literals or the region) is flagged too, as the deployer chooses it. A name
    with a part slint cannot see (a resource attribute, an import) is not flagged. A fixed literal is BKT001's.
    A mapping looked up by the account id counts as qualified. Names in the account regional
    namespace are qualified.

    ## References
    - https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
    - https://docs.aws.amazon.com/AmazonS3/latest/userguide/gpbucketnamespaces.html
    - checkov, cfn_nag, cfn-lint: no equivalent check
    """
    code = "BKT002"
    name = "unqualified-bucket-name"
    category = Category.BUCKETNAME
    severity = Severity.LOW
    message = "`{bucket}` is named {names}{origin}, with no {missing}{when}"
    fix = "Add `${AWS::AccountId}` and `${AWS::Region}` (or `${AWS::StackName}`) to the name"
    options = {"strict": False}

    def check(self, ctx):
        strict = bool(self.opts.get("strict"))
        for b in ctx.bucket_names.buckets:
            vals = [v for v in b.values
                    if (v.strict_grade if strict else v.grade) == UNQUALIFIED]
            for path, scen, group in grouped(vals):
                missing = group[0].strict_missing if strict else group[0].missing
                yield self.report(ctx, path, resource=b.logical_id, scenario=scen or None,
                                  bucket=b.logical_id, names=names(group),
                                  origin=_origin(ctx.template, group),
                                  missing=_MISSING.get(missing, " and ".join(missing)),
                                  when=when(scen))


def _origin(template, group) -> str:
    parts = []
    params = from_params(template, group)
    if params:
        parts.append(params)
    free = list(dict.fromkeys(p for v in group for p in v.opaque if p in template.parameters))
    if free:
        parts.append(", ".join(f"parameter `{p}` (no Default: whatever the deployer passes)"
                               for p in free))
    if any(v.mapping for v in group):
        parts.append("a mapping")
    if any("AWS::Region" in v.pseudo for v in group):
        parts.append("the region")
    return f" (from {', '.join(parts)})" if parts else ""

"""IAM001: an identity statement that allows `*` or `service:*`."""

from __future__ import annotations

from slint.findings import Category, Severity
from slint.rule import Rule
from slint.policy import show

from ._common import via, when


class WildcardAction(Rule):
    """## What it does
    Flags identity policy statements with `Effect: Allow` whose `Action` is `*` (every action of
    every service) or `service:*` (every action of one service), whatever resource they apply
    to: inline role, user and group policies, `AWS::IAM::Policy` / `ManagedPolicy` documents,
    SAM `Policies` (inline statements and SAM policy templates that grant `service:*`), and each
    branch of an `!If`.

    ## Why is this bad?
    A wildcard action grants today's and tomorrow's actions of the service, including the
    destructive and permission-changing ones (`s3:DeleteBucket`, `s3:PutBucketPolicy`,
    `iam:*`). A compromised function can then do anything the service allows, and the policy
    tells reviewers nothing about what the code needs.

    ## Example
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Handler: app.handler
          Runtime: python3.12
          CodeUri: src/
          Policies:
            - Statement:
                - Effect: Allow
                  Action: "s3:*"
                  Resource: "*"
    ```

    In a Serverless Framework `serverless.yml`:
    ```yaml
    service: orders
    provider:
      name: aws
      iam:
        role:
          statements:
            - Effect: Allow
              Action: "dynamodb:*"
              Resource: "*"
    functions:
      worker:
        handler: worker.handler
    ```

    ## Use instead
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Bucket:
        Type: AWS::S3::Bucket
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Handler: app.handler
          Runtime: python3.12
          CodeUri: src/
          Policies:
            - S3ReadPolicy:
                BucketName: !Ref Bucket
    ```

    In `serverless.yml`:
    ```yaml
    service: orders
    provider:
      name: aws
      iam:
        role:
          statements:
            - Effect: Allow
              Action:
                - dynamodb:GetItem
                - dynamodb:PutItem
              Resource: arn:aws:dynamodb:us-east-1:123456789012:table/orders
    functions:
      worker:
        handler: worker.handler
    ```

    ## Known limitations
    An action given by a parameter without a default cannot be judged; it is reported at low
    severity with the parameter named. `Deny` statements are never reported. A wildcard in the
    middle of a name (`s3:Get*`) is not this rule's concern: IAM002 judges what it expands to.
    AWS managed policies are reported by IAM005, `NotAction` by IAM004. This rule owns the
    wildcard-action pattern: the other IAM rules skip `*` / `service:*` actions, so a statement
    `Action: "*"`, `Resource: "*"` gives one finding.

    ## References
    - https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
    - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
    - checkov CKV_AWS_63 (`*` action), CKV_AWS_62 (`*` on `*`); cfn_nag F3, F4, F5 (`*` only,
      not `service:*`, not SAM policy templates)
    """
    code = "IAM001"
    name = "wildcard-action"
    category = Category.IAM
    severity = Severity.HIGH
    message = "{who} is allowed `{action}`: every {scope} action{via}{when}"
    fix = "List only the actions the code calls"

    def check(self, ctx):
        seen = set()
        for g in ctx.iam.allow_grants():
            if g.synthetic:
                continue
            ai = g.action_index   # plain names are neither wildcards nor unknown: skipped
            for pos in sorted(ai.general + ai.unknown):
                a = g.actions[pos]
                key = (a.path, a.text, a.scenario)
                if key in seen:
                    continue
                if a.is_wildcard:
                    seen.add(key)
                    scope = "AWS" if a.is_all else f"`{a.service or a.text.split(':')[0]}`"
                    yield self.report(ctx, a.path, resource=g.written_in, scenario=a.scenario,
                                      who=g.who(), action=a.text, scope=scope, via=via(g),
                                      when=when(a.scenario))
                elif not a.known and a.sv is not None and a.sv.is_placeholder_only \
                        and (a.sv.params or a.sv.imports):
                    seen.add(key)
                    yield self.report(
                        ctx, a.path, resource=g.written_in, scenario=a.scenario,
                        severity=Severity.LOW,
                        message=f"{g.who()} is allowed the action `{show(a.text)}`, which "
                                f"{a.unknown_reason}: it grants every action if set to `*`"
                                f"{when(a.scenario)}")

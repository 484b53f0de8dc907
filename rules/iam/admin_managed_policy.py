"""IAM005: AWS managed admin / power-user / *FullAccess policies."""

from __future__ import annotations

from slint.findings import Category, Severity
from slint.rule import Rule

from ._common import when

ADMIN = {
    "AdministratorAccess": "every action on every resource",
    "PowerUserAccess": "every action except IAM and Organizations, on every resource",
    "IAMFullAccess": "every IAM action, so it can grant itself anything",
    "AdministratorAccess-Amplify": "administrative access across many services",
    "AdministratorAccess-AWSElasticBeanstalk": "administrative access across many services",
}


class AdminManagedPolicy(Rule):
    """## What it does
    Flags the AWS managed policies `AdministratorAccess`, `PowerUserAccess`, `IAMFullAccess` and
    every other `*FullAccess` policy (`AmazonS3FullAccess`, `AmazonDynamoDBFullAccess`, ...),
    attached by ARN (`ManagedPolicyArns` of roles, users and groups) or by name or ARN in SAM
    `Policies`. The finding points at the policy name or ARN.

    ## Why is this bad?
    These policies grant whole services (or the account) on every resource: the role can read,
    change and delete everything of that service, not just the resources the stack owns.
    `AdministratorAccess`, `PowerUserAccess` and `IAMFullAccess` are reported at high
    severity, service `*FullAccess` policies at medium.

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
            - AmazonDynamoDBFullAccess
    ```

    In a Serverless Framework `serverless.yml`:
    ```yaml
    service: admin
    provider:
      name: aws
      iam:
        role:
          managedPolicies:
            - arn:aws:iam::aws:policy/AdministratorAccess
    functions:
      job:
        handler: job.handler
    ```

    ## Use instead
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Table:
        Type: AWS::DynamoDB::Table
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Handler: app.handler
          Runtime: python3.12
          CodeUri: src/
          Policies:
            - DynamoDBCrudPolicy:
                TableName: !Ref Table
    ```

    In `serverless.yml`:
    ```yaml
    service: admin
    provider:
      name: aws
      iam:
        role:
          managedPolicies:
            - arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess
    functions:
      job:
        handler: job.handler
    ```

    ## Known limitations
    A policy ARN given by a parameter without a default, or imported, cannot be identified and is
    not reported. Read-only managed policies (`*ReadOnlyAccess`) are not reported. Permissions
    boundaries are not considered.

    ## References
    - https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html
    - https://docs.aws.amazon.com/aws-managed-policy/latest/reference/policy-list.html
    - cfn_nag W43 (AdministratorAccess on a role), W44 (elevated managed policy)
    """
    code = "IAM005"
    name = "admin-managed-policy"
    category = Category.IAM
    severity = Severity.HIGH
    message = "`{owner}` has the AWS managed policy `{policy}`: {what}{when}"
    fix = "Replace the managed policy with statements (or SAM policy templates) for the resources used"

    def check(self, ctx):
        seen = set()
        for m in ctx.iam.managed_policies():
            name = m.name
            if not name:
                continue
            if name in ADMIN:
                what, sev = ADMIN[name], None
            elif name.endswith("FullAccess"):
                what, sev = "full access to a whole service on every resource", Severity.MEDIUM
            else:
                continue
            key = (m.path, m.text, m.scenario)
            if key in seen:
                continue
            seen.add(key)
            yield self.report(ctx, m.path, resource=m.written_in, scenario=m.scenario,
                              severity=sev, owner=m.owner, policy=name, what=what,
                              when=when(m.scenario))

"""IAM006: iam:PassRole on `*`."""

from __future__ import annotations

from slint.findings import Category, Severity
from slint.rule import Rule
from slint.views.iam import SERVICE, UNKNOWN

from ._common import arn_service, resource_phrase, statement_grants, via, when


class PassRoleOnAnyResource(Rule):
    """## What it does
    Flags identity statements with `Effect: Allow` that allow `iam:PassRole` (written as such or
    matched by a pattern such as `iam:Pass*`) on `Resource: "*"` or `arn:aws:iam::*:role/*`.
    The finding points at the action.

    ## Why is this bad?
    `iam:PassRole` on every role lets the holder hand any role of the account, including
    administrator roles, to a service it controls (a Lambda function, an EC2 instance, a
    CloudFormation stack) and act with that role's permissions: a classic privilege escalation.
    A condition `iam:PassedToService` limits the service, not the roles, so it does not clear
    the finding; `iam:ResourceTag/...` / `aws:ResourceTag/...` conditions do.

    ## Example
    ```yaml
    Resources:
      Deployer:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument:
            Statement:
              - Effect: Allow
                Principal: {Service: lambda.amazonaws.com}
                Action: sts:AssumeRole
          Policies:
            - PolicyName: pass
              PolicyDocument:
                Statement:
                  - Effect: Allow
                    Action: iam:PassRole
                    Resource: "*"
    ```

    ## Use instead
    ```yaml
    Resources:
      WorkerRole:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument:
            Statement:
              - Effect: Allow
                Principal: {Service: states.amazonaws.com}
                Action: sts:AssumeRole
      Deployer:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument:
            Statement:
              - Effect: Allow
                Principal: {Service: lambda.amazonaws.com}
                Action: sts:AssumeRole
          Policies:
            - PolicyName: pass
              PolicyDocument:
                Statement:
                  - Effect: Allow
                    Action: iam:PassRole
                    Resource: !GetAtt WorkerRole.Arn
    ```

    ## Known limitations
    `iam:*` and `*` are IAM001's and are not repeated here. A role ARN from a parameter without
    a default is reported at low severity with the parameter named.

    ## References
    - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
    - https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/
    - cfn_nag F38, F39, F40 (PassRole with `*` resource on roles, policies, managed policies)
    """
    code = "IAM006"
    name = "passrole-on-any-resource"
    category = Category.IAM
    severity = Severity.HIGH
    message = "{who} is allowed `{action}` on {res}: it can pass any role to a service{via}{when}"
    unknown_message = ("{who} is allowed `{action}` on {res}: if that is `*`, it can pass any "
                       "role to a service{via}{when}")
    fix = "Limit iam:PassRole to the ARNs of the roles the code passes"

    def check(self, ctx):
        seen = set()
        for g in statement_grants(ctx.iam):
            for pos in g.action_index.matching("iam:passrole"):
                a = g.actions[pos]
                if a.is_wildcard:
                    continue
                for r in g.resources:
                    if not ctx.values.compatible(a.scenario, r.scenario):
                        continue
                    if not (r.broad or r.kind == UNKNOWN):
                        continue
                    if r.kind == SERVICE and arn_service(r) != "iam":
                        continue   # a service-wide ARN of another service
                    key = (a.path, a.text, a.scenario)
                    if key in seen:
                        break
                    seen.add(key)
                    scen = a.scenario | r.scenario
                    unknown = r.kind == UNKNOWN
                    yield self.report(
                        ctx, a.path, resource=g.written_in, scenario=scen,
                        severity=Severity.LOW if unknown else None,
                        message=(self.unknown_message if unknown else self.message).format(
                            who=g.who(), action=a.text, res=resource_phrase(r), via=via(g),
                            when=when(scen)))
                    break

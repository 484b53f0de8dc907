"""IAM004: NotAction or NotResource with Allow."""

from __future__ import annotations

from slint.findings import Category, Severity
from slint.rule import Rule

from ._common import when


class AllowWithNotActionOrResource(Rule):
    """## What it does
    Flags identity statements with `Effect: Allow` that use `NotAction` or `NotResource`.

    ## Why is this bad?
    `Allow` + `NotAction` grants every action of every service except the ones listed, including
    actions AWS adds later; `Allow` + `NotResource` grants the actions on every resource except
    the ones listed. Both are almost always far broader than intended. With `Deny` these
    elements are useful and are not reported.

    ## Example
    ```yaml
    Resources:
      Role:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument:
            Statement:
              - Effect: Allow
                Principal: {Service: lambda.amazonaws.com}
                Action: sts:AssumeRole
          Policies:
            - PolicyName: all-but-iam
              PolicyDocument:
                Statement:
                  - Effect: Allow
                    NotAction: "iam:*"
                    Resource: "*"
    ```

    ## Use instead
    ```yaml
    Resources:
      Role:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument:
            Statement:
              - Effect: Allow
                Principal: {Service: lambda.amazonaws.com}
                Action: sts:AssumeRole
          Policies:
            - PolicyName: deny-iam
              PolicyDocument:
                Statement:
                  - Effect: Deny
                    NotAction: "iam:*"
                    Resource: "*"
    ```

    ## Known limitations
    Reported whatever the listed exclusions are. An `Effect` that depends on a parameter is
    treated as `Allow`. AWS managed policies that use `NotAction` (`PowerUserAccess`) are IAM005's.

    ## References
    - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html
    - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html
    - cfn_nag W15, W16, W17 (Allow + NotAction), W21, W22, W23 (Allow + NotResource)
    """
    code = "IAM004"
    name = "allow-with-not-action"
    category = Category.IAM
    severity = Severity.HIGH
    message = "{who} allows `{element}`: every {what} except the ones listed{when}"
    fix = "Allow the actions and resources needed; use NotAction/NotResource only with Deny"

    def check(self, ctx):
        seen = set()
        for g in ctx.iam.allow_grants():
            if g.synthetic:
                continue
            for element, values, what in (("NotAction", g.not_actions, "action"),
                                          ("NotResource", g.not_resources, "resource")):
                if not values:
                    continue
                path = g.path + (element,)
                if (path, g.scenario) in seen:
                    continue
                seen.add((path, g.scenario))
                yield self.report(ctx, path, resource=g.written_in, scenario=g.scenario,
                                  who=g.who(), element=element, what=what, when=when(g.scenario))

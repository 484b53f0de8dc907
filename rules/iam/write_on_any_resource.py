"""IAM002: write or permissions-management actions on `*` or a service-wide ARN wildcard."""

from __future__ import annotations

from slint.findings import Category, Severity
from slint.rule import Rule
from slint.views.iam import UNKNOWN

from ._common import (CONVENTIONAL_ON_STAR, WRITE_LEVELS, actions_on, first_wildcard, names,
                      statement_grants, via, when)


class WriteOnAnyResource(Rule):
    """## What it does
    Flags identity statements with `Effect: Allow` that grant *Write* or *Permissions
    management* actions (per the IAM service authorization reference) on `Resource: "*"` or on an
    ARN wildcard that covers every resource of the service (`arn:aws:s3:::*`,
    `arn:aws:dynamodb:*:*:table/*`, `arn:aws:sqs:${AWS::Region}:${AWS::AccountId}:*`), or every
    resource of one of its resource types: the ARN's resource part matches every name of that
    type (`table/*/index/*`, every index of every table), so a pattern that names something
    (`abc123/*`, `${WebsocketApi}/*`, `app-*`) does not. `execute-api:ManageConnections` acts on
    `{api-id}/{stage}/{method}/@connections/{connection-id}`, so
    `arn:aws:execute-api:*:*:*/@connections/*` (the statement the Serverless Framework documents
    for websocket handlers) is every connection of every WebSocket API of the account. Patterns
    such as `s3:Put*` are expanded to the actions they match; on a service-wide ARN only the
    actions whose resource types it can match count (`arn:aws:s3:::*/*` is every object, not
    every bucket, so `s3:PutBucketPolicy` does not apply to it; `*/@connections/*` is no route
    for `execute-api:Invoke`). One finding per statement, at its first wildcard resource.

    ## Why is this bad?
    The function or role can modify or delete every bucket, table, queue or key of the account
    (or change its permissions), not just the one it works with. One compromised function
    becomes an account-wide incident.

    Not reported: List and Read actions (`ec2:Describe*`, `s3:ListAllMyBuckets`; see the opt-in
    IAM003 for data reads); actions that only support `Resource: "*"` (`xray:PutTraceSegments`);
    the log, metric and network-interface actions AWS's own Lambda execution policies grant on
    `*` (option `allowed_on_star`); statements limited by a condition on the resource
    (`aws:ResourceTag/...`, `aws:ResourceAccount`, `dynamodb:LeadingKeys`, ...); an action the
    same principal is denied, with no condition, on every ARN of its service (`Deny`
    `sns:Publish` on `arn:aws:sns:*:*:*` beside `Allow` `sns:Publish` on `*`, AWS's policy for
    sending text messages only: what is left reaches no topic).

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
                  Action: [dynamodb:PutItem, dynamodb:DeleteItem]
                  Resource: "*"
    ```

    In a Serverless Framework `serverless.yml`:
    ```yaml
    service: mailer
    provider:
      name: aws
      iamRoleStatements:
        - Effect: Allow
          Action: sqs:SendMessage
          Resource: "*"
    functions:
      send:
        handler: send.handler
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
            - Statement:
                - Effect: Allow
                  Action: [dynamodb:PutItem, dynamodb:DeleteItem]
                  Resource: !GetAtt Table.Arn
    ```

    In `serverless.yml`:
    ```yaml
    service: mailer
    provider:
      name: aws
      iamRoleStatements:
        - Effect: Allow
          Action: sqs:SendMessage
          Resource: arn:aws:sqs:us-east-1:123456789012:outbox
    functions:
      send:
        handler: send.handler
    ```

    ## Known limitations
    A resource given by a parameter without a default, or imported, is reported at low severity
    with the parameter named, since it may be `*`; an import of what another stack of the same
    CDK cloud assembly exports is that stack's resource (`${AuthStack.Table.Arn}`) or text, and
    judged as such. Wildcard actions (`*`, `service:*`) are IAM001's,
    `iam:PassRole` is IAM006's and `NotAction` / `NotResource` statements are IAM004's: this rule
    skips them so that one statement is not reported twice for the same fact. A prefix wildcard
    (`arn:aws:s3:::app-*`) counts as scoped, and so does an ARN with a parameter in its name part
    (`arn:aws:s3:::${BucketName}/*`): it names one resource the deployer chooses. A wildcard
    name with a fixed part after it is not every resource of a type and is not reported:
    `arn:aws:s3:::*/uploads/*` (one prefix in every bucket), `arn:aws:execute-api:*:*:*/prod/*`,
    and `arn:aws:execute-api:*:*:*/*/POST/@connections/*` (posting to every connection, but not
    reading or closing one). Region and account do not decide: `arn:aws:sqs:*:*:*` and
    `arn:aws:sqs:${AWS::Region}:${AWS::AccountId}:*` are both reported (every queue anywhere,
    every queue of this account in this region).
    Permissions boundaries and SCPs are not considered.

    ## References
    - https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
    - https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
    - checkov CKV_AWS_111 (write access without constraints), CKV_AWS_109 (permissions
      management); cfn_nag W11, W12, W13 (any action on `*`)
    """
    code = "IAM002"
    name = "write-on-any-resource"
    category = Category.IAM
    severity = Severity.MEDIUM
    message = "{who} is allowed {level} actions {acts} on {res}{via}{when}"
    fix = "Scope the resource to the ARNs the code writes to (`!GetAtt X.Arn`, `!Ref X`)"
    options = {"allowed_on_star": list(CONVENTIONAL_ON_STAR)}

    def check(self, ctx):
        seen = set()
        exclude = list(self.opts["allowed_on_star"]) + ["iam:PassRole"]
        for g in statement_grants(ctx.iam):
            hits = [(r, acts) for r in g.resources if r.broad or r.kind == UNKNOWN
                    for acts in [actions_on(g, r, WRITE_LEVELS, exclude=exclude, iam=ctx.iam)] if acts]
            picked = first_wildcard(hits)
            if picked is None:
                continue
            r, all_acts, scen, res = picked
            key = (g.path, r.path, r.text, r.scenario)
            if key in seen:
                continue
            seen.add(key)
            levels = {i.access_level for _a, infos in all_acts for i in infos}
            perms = "Permissions management" in levels
            level = ("permissions-management" if levels == {"Permissions management"} else
                     "write and permissions-management" if perms else "write")
            sev = Severity.LOW if r.kind == UNKNOWN else (Severity.HIGH if perms else None)
            yield self.report(ctx, r.path, resource=g.written_in, scenario=scen,
                              severity=sev, who=g.who(), level=level, acts=names(all_acts),
                              res=res, via=via(g), when=when(scen))

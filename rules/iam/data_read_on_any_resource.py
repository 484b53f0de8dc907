"""IAM003 (opt-in): reads of data on `*`."""

from __future__ import annotations

from slint.findings import Category, Severity
from slint.rule import Rule
from slint.views.iam import UNKNOWN

from ._common import actions_on, first_wildcard, names, statement_grants, via, when

# Read-level actions that return data (objects, secrets, items, messages), as opposed to
# metadata reads such as Describe*/List*. Write-level ones that also return data (kms:Decrypt,
# rds-data:ExecuteStatement) are IAM002's.
DATA_READS = (
    "s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectAcl",
    "secretsmanager:GetSecretValue",
    "ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "ssm:GetParameterHistory",
    "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan",
    "dynamodb:GetRecords", "sqs:ReceiveMessage", "kinesis:GetRecords",
    "logs:GetLogEvents", "logs:FilterLogEvents", "logs:StartQuery", "lambda:GetFunction",
    "athena:GetQueryResults", "glue:GetTable",
    "codecommit:GetFile", "codecommit:GitPull", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer",
    "states:GetExecutionHistory", "cognito-idp:AdminGetUser",
)


class DataReadOnAnyResource(Rule):
    """## What it does
    Opt-in (`--select IAM003` or `extend-select`): flags identity statements that allow reading
    *data* (`s3:GetObject`, `secretsmanager:GetSecretValue`, `ssm:GetParameter*`,
    `dynamodb:GetItem` / `Query` / `Scan`, `sqs:ReceiveMessage`, ...) on `Resource: "*"` or a
    service-wide ARN wildcard. Metadata reads (`Describe*`, `List*`) are not reported.

    ## Why is this bad?
    A function that can read every object, secret or parameter of the account leaks all of them
    when compromised. Reads are off by default because read access on `*` is common and
    often accepted; turn this on for sensitive accounts.

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
                  Action: secretsmanager:GetSecretValue
                  Resource: "*"
    ```

    ## Use instead
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Secret:
        Type: AWS::SecretsManager::Secret
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Handler: app.handler
          Runtime: python3.12
          CodeUri: src/
          Policies:
            - AWSSecretsManagerGetSecretValuePolicy:
                SecretArn: !Ref Secret
    ```

    ## Known limitations
    The list of data-reading actions is curated, not derived. Only Read-level actions count:
    `kms:Decrypt` is a Write-level action for AWS and is reported by IAM002. Wildcard actions belong to IAM001
    and NotAction statements to IAM004 and are skipped here. A resource from a parameter without
    a default is reported at low severity with the parameter named. An action the principal is
    denied, with no condition, on every ARN of its service is not counted (as in IAM002).

    ## References
    - https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
    - checkov CKV_AWS_108 (data exfiltration), CKV_AWS_107 (credentials exposure)
    """
    code = "IAM003"
    name = "data-read-on-any-resource"
    category = Category.IAM
    severity = Severity.MEDIUM
    enabled_by_default = False
    message = "{who} may read data with {acts} on {res}{via}{when}"
    fix = "Scope the resource to the buckets, secrets, tables or keys the code reads"

    def check(self, ctx):
        wanted = {a.lower() for a in DATA_READS}
        seen = set()
        for g in statement_grants(ctx.iam):
            hits = []
            for r in g.resources:
                if not (r.broad or r.kind == UNKNOWN):
                    continue
                acts = [(a, [i for i in infos if i.action.lower() in wanted])
                        for a, infos in actions_on(g, r, ("Read", "List"), iam=ctx.iam)]
                acts = [(a, infos) for a, infos in acts if infos]
                if acts:
                    hits.append((r, acts))
            picked = first_wildcard(hits)
            if picked is None:
                continue
            r, all_acts, scen, res = picked
            key = (g.path, r.path, r.text, r.scenario)
            if key in seen:
                continue
            seen.add(key)
            yield self.report(ctx, r.path, resource=g.written_in, scenario=scen,
                              severity=Severity.LOW if r.kind == UNKNOWN else None,
                              who=g.who(), acts=names(all_acts), res=res, via=via(g),
                              when=when(scen))

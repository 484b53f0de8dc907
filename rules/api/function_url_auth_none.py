"""API002: a Lambda function URL anyone can invoke."""

from __future__ import annotations

from slint.findings import Category, Severity
from slint.rule import Rule, describe_scenario


class FunctionUrlAuthNone(Rule):
    """## What it does
    Flags Lambda function URLs with `AuthType: NONE`, written as an `AWS::Lambda::Url` resource
    or as a SAM function's `FunctionUrlConfig` (also when inherited from
    `Globals.Function.FunctionUrlConfig`).

    ## Why is this bad?
    A function URL with `AuthType: NONE` is a public HTTPS endpoint: anyone who learns the URL
    can invoke the function with any input, bypassing API Gateway and its throttling,
    authorizers and WAF. Even when the URL sits behind CloudFront, the URL itself stays
    reachable unless it requires `AWS_IAM` (CloudFront origin access control signs requests
    for `AWS_IAM` URLs).

    ## Example
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Webhook:
        Type: AWS::Serverless::Function
        Properties:
          Handler: app.handler
          Runtime: python3.12
          CodeUri: src/
          FunctionUrlConfig:
            AuthType: NONE
    ```

    In a Serverless Framework `serverless.yml`:
    ```yaml
    service: hooks
    provider:
      name: aws
    functions:
      webhook:
        handler: hook.handler
        url: true
    ```

    ## Use instead
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Webhook:
        Type: AWS::Serverless::Function
        Properties:
          Handler: app.handler
          Runtime: python3.12
          CodeUri: src/
          FunctionUrlConfig:
            AuthType: AWS_IAM
    ```

    In `serverless.yml`:
    ```yaml
    service: hooks
    provider:
      name: aws
    functions:
      webhook:
        handler: hook.handler
        url:
          authorizer: aws_iam
    ```

    ## Known limitations
    A URL that verifies a signature in its own code (a webhook checking an HMAC) is still
    reported: suppress it with a reason. An `AuthType` from a parameter is checked for every
    allowed value; an `AuthType` slint cannot know (a parameter without default or allowed
    values, or with more allowed values than slint enumerates) is reported at **info** saying
    so, as API001 does for routes. Whether an `AWS::Lambda::Permission`
    grants `lambda:InvokeFunctionUrl` to `*` is not checked: with `AuthType: NONE` that is the
    author's evident intent.

    ## References
    - https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html
    - checkov CKV_AWS_258 (Lambda function URL AuthType NONE)
    """
    code = "API002"
    name = "function-url-auth-none"
    category = Category.APIAUTH
    severity = Severity.HIGH
    message = "the function URL of `{function}` can be invoked by anyone: {reason}{extra}"
    fix = "Use `AuthType: AWS_IAM` (and CloudFront origin access control if browsers call it)"

    def check(self, ctx):
        for r in ctx.routes.routes():
            if r.kind != "FUNCTION_URL":
                continue
            if r.undetermined:
                yield self.report(ctx, r.decided_at, resource=r.owner, severity=Severity.INFO,
                                  message="the function URL of `{function}` may be invocable by "
                                          "anyone: {reason}",
                                  function=r.function or r.owner, reason=r.reason)
                continue
            if r.auth != "NONE":
                continue
            scen = describe_scenario(r.scenario)
            yield self.report(ctx, r.decided_at, resource=r.owner, scenario=r.scenario or None,
                              function=r.function or r.owner, reason=r.reason,
                              extra=f" ({scen})" if scen else "")

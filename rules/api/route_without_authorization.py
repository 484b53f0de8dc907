"""API001: an API route that anyone can call without authenticating."""

from __future__ import annotations

from slint.findings import Category, Severity
from slint.rule import Rule, describe_scenario

_LOWER = {Severity.CRITICAL: Severity.HIGH, Severity.HIGH: Severity.MEDIUM,
          Severity.MEDIUM: Severity.LOW, Severity.LOW: Severity.INFO, Severity.INFO: Severity.INFO}


class RouteWithoutAuthorization(Rule):
    """## What it does
    Flags every API Gateway route that a caller can reach without authenticating: REST API
    methods (`AWS::ApiGateway::Method` and operations of an inline OpenAPI `Body`), HTTP API
    routes (`AWS::ApiGatewayV2::Route`, quick-create `Target`, OpenAPI `Body`), the `$connect`
    route of a WebSocket API, and SAM `Api` / `HttpApi` function events on explicit and implicit
    (`ServerlessRestApi`, `ServerlessHttpApi`) APIs.

    The effective authorization is worked out the way SAM and API Gateway do it: an event's
    `Auth.Authorizer` wins, `NONE` overrides the API's `DefaultAuthorizer`, the API's `Auth`
    may come from `Globals`, an OpenAPI operation's `security` overrides the document's, and a
    security requirement that lists only an API key (or is empty) authenticates nobody. On a
    REST API, an operation that no `security` protects but that writes API Gateway's
    `x-amazon-apigateway-auth` extension with `type: AWS_IAM` requires signed (IAM) requests.
    The message says where the decision was made.

    Not flagged: open routes of an API that defines a Cognito user-pool authorizer no route uses
    while COG005 is selected (COG005 reports them, with the specific fix: use the authorizer),
    `OPTIONS` preflight routes (browsers send them without credentials), routes of
    a `PRIVATE` REST API, routes whose resource policy allows only listed source VPCs,
    VPC endpoints, IP ranges or AWS accounts (a `Deny` whose `Resource` names some methods or
    paths, such as `execute-api:/prod/POST/tenant`, restricts only the routes it names), and APIs whose default `execute-api` endpoint is
    disabled while every mapped custom domain requires mutual TLS (callers need a client
    certificate). On a WebSocket API only `$connect` can carry
    authorization, so `$connect` is checked; when a WebSocket API has no `$connect` route at
    all, nothing ever authorizes a connection and each of its routes is reported.

    Severity: **high** for methods that change state (`POST`, `PUT`, `PATCH`, `DELETE`, `ANY`,
    a `$default` catch-all, WebSocket `$connect`); **medium** for reads (`GET`, `HEAD`). A
    public, unauthenticated health check is still reported (at medium): suppress it with a
    reason if it is meant to be public. A route whose authorization depends on a value slint
    cannot know (a parameter without default) is reported at **info** saying so.

    ## Why is this bad?
    A route without an authorizer lets anyone on the internet invoke the backend (a Lambda
    function, a queue, a table) with their own input. An API key is not authentication: keys
    are sent by clients in plain headers, are meant for metering and throttling, and API
    Gateway's own documentation says not to rely on them for authorization.

    ## Example
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Orders:
        Type: AWS::Serverless::Function
        Properties:
          Handler: app.handler
          Runtime: python3.12
          CodeUri: src/
          Events:
            Create:
              Type: Api
              Properties:
                Path: /orders
                Method: post
    ```

    In a Serverless Framework `serverless.yml`:
    ```yaml
    service: shop
    provider:
      name: aws
    functions:
      list:
        handler: list.handler
        events:
          - http:
              path: items
              method: get
              private: true   # an API key: not authentication
    ```

    ## Use instead
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Globals:
      Api:
        Auth:
          DefaultAuthorizer: AWS_IAM
    Resources:
      Orders:
        Type: AWS::Serverless::Function
        Properties:
          Handler: app.handler
          Runtime: python3.12
          CodeUri: src/
          Events:
            Create:
              Type: Api
              Properties:
                Path: /orders
                Method: post
    ```

    In `serverless.yml`:
    ```yaml
    service: shop
    provider:
      name: aws
    functions:
      list:
        handler: list.handler
        events:
          - http:
              path: items
              method: get
              authorizer:
                name: pool
                type: COGNITO_USER_POOLS
                arn: arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc
    ```

    ## Known limitations
    Routes defined outside the template (`DefinitionUri`, `BodyS3Location`, `AWS::Include`)
    are not seen. An authorization from a parameter with allowed values is checked for every
    allowed value (the least protected wins); a parameter without default is reported at info.
    Resource policies are read
    for the common network/principal conditions only; anything else counts as not restricting.
    A route on an API defined in another stack (`RestApiId: !ImportValue ...`) is not judged.
    WAF web ACLs (geo or IP rules) and a CloudFront distribution in front of the API are not
    counted as restrictions: the API's own endpoint stays reachable.

    ## References
    - https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-to-api.html
    - https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-controlling-access-to-apis.html
    - https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html (API keys are not for authorization)
    - checkov CKV_AWS_59 (API Gateway method without authorization), CKV_AWS_309 (API GatewayV2 route); cfn_nag W59, W45
    """
    code = "API001"
    name = "route-without-authorization"
    category = Category.APIAUTH
    severity = Severity.HIGH
    message = "`{label}` on {api} has no authorization: {reason}{extra}"
    fix = ("Set an authorizer (a DefaultAuthorizer on the API, Auth.Authorizer on the event, or "
           "AuthorizationType/AuthorizerId on the method), or restrict callers with a resource policy")

    def check(self, ctx):
        cfg = getattr(ctx, "config", None)
        folded = {}
        if cfg is None or cfg.rule_selected("COG005", True):  # one problem, one finding
            from slint.rules.cognito.unused_user_pool_authorizer import unused_user_pools
            folded = unused_user_pools(ctx.routes)
        for r in ctx.routes.routes():
            if r.kind == "FUNCTION_URL" or r.is_preflight:
                continue
            if r.api in folded and r.open:
                continue
            if r.kind == "WEBSOCKET" and r.path != "$connect" and not r.no_connect:
                continue
            if r.restricted:
                continue
            if r.auth == "NONE":
                sev = self.effective_severity if r.is_write or r.path == "$default" \
                    else _LOWER[self.effective_severity]
                extra = ""
                if r.api_key_required:
                    extra = " (an API key is required, which identifies but does not authenticate callers)"
                scen = describe_scenario(r.scenario)
                if scen:
                    extra += f" ({scen})"
                yield self.report(ctx, r.doc_path, resource=r.owner, severity=sev,
                                  scenario=r.scenario or None, label=r.label,
                                  api=_api_name(r), reason=r.reason, extra=extra)
            elif r.undetermined:
                yield self.report(ctx, r.doc_path, resource=r.owner, severity=Severity.INFO,
                                  message="authorization of `{label}` on {api} is unknown: {reason}",
                                  label=r.label, api=_api_name(r), reason=r.reason)


def _api_name(r) -> str:
    return f"{r.api} (implicit)" if r.implicit_api else r.api

"""COG005: an API defines a Cognito user-pool authorizer that no route uses, and its routes are open."""

from __future__ import annotations

from slint.findings import Category, Severity
from slint.rule import Rule, describe_scenario


class OpenRouteBesideUnusedUserPoolAuthorizer(Rule):
    """## What it does
    Flags each open route of an API that defines a Cognito user-pool authorizer
    (`COGNITO_USER_POOLS`, a SAM `UserPoolArn` authorizer, or a JWT authorizer whose issuer is a
    user pool of the template) when **no** route of that API uses it: the authorizer exists, but
    nothing puts the routes behind it.

    ## Why is this bad?
    Defining an authorizer does not protect anything: a REST method must name it with
    `AuthorizationType: COGNITO_USER_POOLS` and `AuthorizerId`, a SAM API needs
    `Auth.DefaultAuthorizer` (or each event an `Auth.Authorizer`), an HTTP API route needs
    `AuthorizationType: JWT`. Until then the routes meant for signed-in users accept anyone.
    The usual cause is a forgotten `DefaultAuthorizer`.

    ## Example
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Pool:
        Type: AWS::Cognito::UserPool
      Api:
        Type: AWS::Serverless::Api
        Properties:
          StageName: prod
          Auth:
            Authorizers:
              Users:
                UserPoolArn: !GetAtt Pool.Arn
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.12
          Handler: app.handler
          CodeUri: src/
          Events:
            Orders:
              Type: Api
              Properties:
                RestApiId: !Ref Api
                Path: /orders
                Method: get
    ```

    ## Use instead
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Pool:
        Type: AWS::Cognito::UserPool
      Api:
        Type: AWS::Serverless::Api
        Properties:
          StageName: prod
          Auth:
            DefaultAuthorizer: Users
            Authorizers:
              Users:
                UserPoolArn: !GetAtt Pool.Arn
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.12
          Handler: app.handler
          CodeUri: src/
          Events:
            Orders:
              Type: Api
              Properties:
                RestApiId: !Ref Api
                Path: /orders
                Method: get
    ```

    ## Known limitations
    Only authorizers of the same API count. When some route of the API uses the user pool, the
    open routes are taken as deliberate (sign-up, health checks) and reported by API001 only.
    CORS preflight (`OPTIONS`) routes are never reported. An API whose routes all come from an
    external OpenAPI file (`AWS::Include`) has no known routes here.

    ## References
    - https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-integrate-with-cognito.html
    - https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-api-apiauth.html
    - API001 (route without authorization) leaves these routes to COG005 while COG005 is
      selected: one problem, one finding, the one whose fix (use the authorizer) is specific
    """
    code = "COG005"
    name = "unused-user-pool-authorizer"
    category = Category.COGNITO
    severity = Severity.HIGH
    message = ("`{route}` on {api} is open although {api} defines user-pool authorizer "
               "`{authorizer}`, which no route uses{when}")
    fix = ("Put the routes behind the authorizer: `Auth.DefaultAuthorizer` on a SAM API, "
           "`AuthorizationType: COGNITO_USER_POOLS` + `AuthorizerId` on a method, "
           "`AuthorizationType: JWT` + `AuthorizerId` on an HTTP API route")

    def check(self, ctx):
        view = ctx.routes
        pools = unused_user_pools(view)
        if not pools:
            return
        for r in view.routes():
            if r.api not in pools or not r.open or r.is_preflight:
                continue
            scen = describe_scenario(r.scenario)
            yield self.report(ctx, r.doc_path, resource=r.owner, route=r.label, api=r.api,
                              authorizer="`, `".join(sorted(pools[r.api])),
                              when=f" ({scen})" if scen else "", scenario=r.scenario)


def unused_user_pools(view) -> dict[str, list[str]]:
    """API -> its user-pool authorizers, for the APIs none of whose routes uses any of them."""
    used: dict[str, set] = {}
    for r in view.routes():
        if r.authorizer:
            used.setdefault(r.api, set()).add(r.authorizer)
    pools: dict[str, list[str]] = {}
    for a in view.authorizers():
        if a.api is None or a.name in used.get(a.api, ()):
            continue
        if a.logical_id and a.logical_id in used.get(a.api, ()):
            continue
        if _is_user_pool(view, a):
            pools.setdefault(a.api, []).append(a.name)
    return pools


def _is_user_pool(view, a) -> bool:
    if a.kind == "COGNITO_USER_POOLS":
        return True
    if a.kind == "JWT" and a.issuer is not None:
        return any(p.status == "pool" for p in view.resolve_issuer(a.issuer[0]))
    return False

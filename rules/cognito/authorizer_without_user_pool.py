"""COG001: a Cognito user pool authorizer that names no user pool."""

from __future__ import annotations

from slint.findings import Category, Severity
from slint.rule import Rule
from slint.policy import show as _show

_WHAT = {"resource": "ProviderARNs", "openapi": "providerARNs", "sam": "UserPoolArn"}


class CognitoAuthorizerWithoutUserPool(Rule):
    """## What it does
    Flags a `COGNITO_USER_POOLS` authorizer whose user pool cannot be the one intended:
    an `AWS::ApiGateway::Authorizer` with no or empty `ProviderARNs`, a SAM `Auth.Authorizers`
    entry with neither `UserPoolArn` nor `FunctionArn`, an OpenAPI
    `x-amazon-apigateway-authorizer` of type `cognito_user_pools` without `providerARNs`, and
    provider values that do not resolve to a user pool: a reference to a resource that is not an
    `AWS::Cognito::UserPool`, to nothing at all, `!Ref Pool` (the pool *id*, where an ARN is
    required) or a literal that is not a user pool ARN.

    Clean: `!GetAtt Pool.Arn`, a `!Sub` ARN built from the pool, a parameter, an
    `!ImportValue`, a well-formed literal pool ARN. Another stack's resource is judged as that
    resource: a parent stack's passed down as a parameter, or what another stack of the same
    CDK cloud assembly exports (`!ImportValue` of its export of `!GetAtt Pool.Arn` is clean;
    of the pool's `!Ref`, its id, or of a table's ARN is flagged).

    ## Why is this bad?
    The stack fails to deploy, or deploys an authorizer bound to the wrong thing; a common
    "fix" under pressure is to drop the authorizer and leave the API open.

    ## Example
    ```yaml
    Resources:
      Api:
        Type: AWS::ApiGateway::RestApi
        Properties:
          Name: orders
      Pool:
        Type: AWS::Cognito::UserPool
      Authorizer:
        Type: AWS::ApiGateway::Authorizer
        Properties:
          Name: cognito
          RestApiId: !Ref Api
          Type: COGNITO_USER_POOLS
          IdentitySource: method.request.header.Authorization
          ProviderARNs:
            - !Ref Pool
    ```

    ## Use instead
    ```yaml
    Resources:
      Api:
        Type: AWS::ApiGateway::RestApi
        Properties:
          Name: orders
      Pool:
        Type: AWS::Cognito::UserPool
      Authorizer:
        Type: AWS::ApiGateway::Authorizer
        Properties:
          Name: cognito
          RestApiId: !Ref Api
          Type: COGNITO_USER_POOLS
          IdentitySource: method.request.header.Authorization
          ProviderARNs:
            - !GetAtt Pool.Arn
    ```

    ## Known limitations
    A value slint cannot resolve (an unknown intrinsic, a `!FindInMap` on an unknown key) is
    not reported. A literal ARN is only checked for its shape, not for the pool's existence.

    ## References
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-authorizer.html
    - https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-api-cognitoauthorizer.html
    - cfn-lint E3012/E3003 catch part of this as schema errors
    """
    code = "COG001"
    name = "cognito-authorizer-without-user-pool"
    category = Category.COGNITO
    severity = Severity.HIGH
    message = "Cognito authorizer `{name}` {problem}"
    fix = "Point it at a user pool ARN: `!GetAtt Pool.Arn`, a parameter or an imported value"

    def check(self, ctx):
        view = ctx.routes
        for a in view.authorizers():
            if a.source == "sam" and a.sam_api_type == "REST" and a.kind == "UNKNOWN":
                yield self.report(ctx, a.doc_path, resource=a.owner, name=a.name,
                                  problem="defines neither `UserPoolArn` nor `FunctionArn`: "
                                          "it authorizes with no user pool")
                continue
            if a.kind != "COGNITO_USER_POOLS":
                continue
            key = _WHAT.get(a.source, "ProviderARNs")
            if not a.providers:
                yield self.report(ctx, a.providers_path,
                                  resource=a.owner, name=a.name,
                                  problem=f"has no or an empty `{key}`: it names no user pool")
                continue
            for node, path in a.providers:
                for p in view.resolve_pool(node):
                    problem = _problem(p, ctx, key)
                    if problem:
                        yield self.report(ctx, path, resource=a.owner, name=a.name, problem=problem)
                        break


def _problem(p, ctx, key) -> str | None:
    if p.status == "undefined":
        return f"refers to `{p.pool}` in `{key}`, which is not defined in this template"
    if p.status == "not_pool":
        r = ctx.template.get(p.pool)
        rtype = p.type or (r.type if r else "?")
        return f"refers to `{p.pool}` ({rtype}) in `{key}`, which is not a user pool"
    if p.status == "malformed":
        if not p.text:
            return f"has an empty value in `{key}`: it names no user pool"
        if p.pool and p.type:   # another stack's user pool, not its ARN (its id: a `Ref`)
            return (f"uses `{_show(p.text)}` in `{key}`, which is not the ARN of user pool "
                    f"`{p.pool}` (another stack's; pass its `Arn` attribute)")
        if p.pool:
            return (f"uses `{_show(p.text)}` in `{key}`, which is not the ARN of user pool `{p.pool}` "
                    f"(use `!GetAtt {p.pool}.Arn`)")
        return f"has `{_show(p.text)}` in `{key}`, which is not a user pool ARN"
    return None


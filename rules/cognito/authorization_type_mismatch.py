"""COG002: a method's AuthorizationType does not match the authorizer it names."""

from __future__ import annotations

from slint.findings import Category, Severity
from slint.rule import Rule

_EXPECT = {"COGNITO_USER_POOLS": "COGNITO_USER_POOLS", "JWT": "JWT", "TOKEN": "CUSTOM",
           "REQUEST": "CUSTOM"}


class AuthorizationTypeMismatch(Rule):
    """## What it does
    Flags an `AWS::ApiGateway::Method` or `AWS::ApiGatewayV2::Route` whose `AuthorizationType`
    and `AuthorizerId` disagree about a Cognito / JWT authorizer:

    - `AuthorizationType: COGNITO_USER_POOLS` (or `JWT` on a route) without an `AuthorizerId`;
    - an `AuthorizerId` naming a Cognito user pool (or JWT) authorizer while the
      `AuthorizationType` is something else or missing (it defaults to `NONE`, and the authorizer
      is then ignored);
    - `AuthorizationType: COGNITO_USER_POOLS` / `JWT` naming a Lambda authorizer.

    ## Why is this bad?
    CloudFormation rejects some of these combinations; others deploy and silently leave the
    method without the authorizer the author attached, so callers need no token at all.

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
          ProviderARNs: [!GetAtt Pool.Arn]
      GetOrders:
        Type: AWS::ApiGateway::Method
        Properties:
          RestApiId: !Ref Api
          ResourceId: !GetAtt Api.RootResourceId
          HttpMethod: GET
          AuthorizationType: CUSTOM
          AuthorizerId: !Ref Authorizer
          Integration:
            Type: MOCK
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
          ProviderARNs: [!GetAtt Pool.Arn]
      GetOrders:
        Type: AWS::ApiGateway::Method
        Properties:
          RestApiId: !Ref Api
          ResourceId: !GetAtt Api.RootResourceId
          HttpMethod: GET
          AuthorizationType: COGNITO_USER_POOLS
          AuthorizerId: !Ref Authorizer
          Integration:
            Type: MOCK
    ```

    ## Known limitations
    An `AuthorizerId` that is not a `!Ref` to an authorizer in the same template (a literal id,
    an import) cannot be checked against its type. An `AuthorizationType` from a parameter uses
    its least protected value.

    ## References
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-method.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigatewayv2-route.html
    """
    code = "COG002"
    name = "authorization-type-mismatch"
    category = Category.COGNITO
    severity = Severity.HIGH
    message = "{problem}"
    fix = "Match AuthorizationType to the authorizer: COGNITO_USER_POOLS (REST) or JWT (HTTP) with its AuthorizerId"

    def check(self, ctx):
        for r in ctx.routes.routes():
            if r.source not in ("method", "v2route"):
                continue
            at = r.authorization_type or "NONE"
            token = "COGNITO_USER_POOLS" if r.source == "method" else "JWT"
            where = f"`{r.method} {r.path}`"
            obj = r.authorizer_obj
            at_path = r.authorization_type_path if r.authorization_type else r.doc_path
            if at == token and r.authorizer_id_path is None:
                yield self.report(ctx, at_path, resource=r.owner,
                                  problem=f"{where} has AuthorizationType {token} but no AuthorizerId")
                continue
            if obj is None:
                continue
            want = _EXPECT.get(obj.kind)
            if obj.kind in ("COGNITO_USER_POOLS", "JWT") and at != want:
                shown = r.authorization_type or "not set (NONE)"
                yield self.report(ctx, at_path, resource=r.owner,
                                  problem=(f"{where} names {obj.kind} authorizer `{obj.name}` but its "
                                           f"AuthorizationType is {shown}"))
            elif at == token and obj.kind in ("TOKEN", "REQUEST"):
                yield self.report(ctx, at_path, resource=r.owner,
                                  problem=(f"{where} has AuthorizationType {token} but names Lambda "
                                           f"authorizer `{obj.name}` (use CUSTOM)"))

"""COG004: an HTTP API JWT authorizer whose issuer or audience is not a Cognito pool/client."""

from __future__ import annotations

from slint.findings import Category, Severity
from slint.rule import Rule
from slint.policy import show


class JwtIssuerMismatch(Rule):
    """## What it does
    Checks JWT authorizers of HTTP APIs (`AWS::ApiGatewayV2::Authorizer` with
    `AuthorizerType: JWT`, SAM `HttpApi` `Auth.Authorizers` with `JwtConfiguration`, OpenAPI
    `x-amazon-apigateway-authorizer` of type `jwt`) that point at a Cognito user pool:

    - the issuer must be `https://cognito-idp.{region}.amazonaws.com/{poolId}`: a pool ARN,
      `!GetAtt Pool.ProviderURL` without `https://`, a URL with another shape, or a reference
      to something that is not a user pool are flagged;
    - the audience must list app clients of that same pool: no audience, a client of another
      pool, the pool id itself or a resource that is not a user pool client are flagged.

    Issuers of other identity providers (Auth0, Okta, ...), parameters and imported values are
    not judged, except a value that is another stack's resource: a parent stack's passed down
    as a parameter, or what another stack of the same CDK cloud assembly exports (the pool id
    it exports builds a user pool's issuer; an issuer built from a table is flagged).

    ## Why is this bad?
    API Gateway compares the token's `iss` and `aud` (Cognito access tokens: `client_id`) claims
    with these values. A wrong issuer rejects every token or, worse, accepts tokens from a pool
    the author did not mean; an audience of another pool's client lets that application's
    users in.

    ## Example
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Pool:
        Type: AWS::Cognito::UserPool
      Client:
        Type: AWS::Cognito::UserPoolClient
        Properties:
          UserPoolId: !Ref Pool
      Api:
        Type: AWS::Serverless::HttpApi
        Properties:
          Auth:
            DefaultAuthorizer: Jwt
            Authorizers:
              Jwt:
                IdentitySource: $request.header.Authorization
                JwtConfiguration:
                  issuer: !GetAtt Pool.Arn
                  audience:
                    - !Ref Client
    ```

    ## Use instead
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Pool:
        Type: AWS::Cognito::UserPool
      Client:
        Type: AWS::Cognito::UserPoolClient
        Properties:
          UserPoolId: !Ref Pool
      Api:
        Type: AWS::Serverless::HttpApi
        Properties:
          Auth:
            DefaultAuthorizer: Jwt
            Authorizers:
              Jwt:
                IdentitySource: $request.header.Authorization
                JwtConfiguration:
                  issuer: !Sub https://cognito-idp.${AWS::Region}.amazonaws.com/${Pool}
                  audience:
                    - !Ref Client
    ```

    ## Known limitations
    A literal pool id or client id is not checked against anything. The region in the issuer is
    not compared with the stack's region.

    ## References
    - https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
    - https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html
    """
    code = "COG004"
    name = "jwt-issuer-mismatch"
    category = Category.COGNITO
    severity = Severity.HIGH
    message = "JWT authorizer `{name}` {problem}"
    fix = ("Use issuer `https://cognito-idp.${AWS::Region}.amazonaws.com/${Pool}` and the pool's "
           "app client ids as audience")

    def check(self, ctx):
        view = ctx.routes
        for a in view.authorizers():
            if a.kind != "JWT":
                continue
            if a.issuer is None:
                yield self.report(ctx, a.jwt_path, resource=a.owner, name=a.name,
                                  problem="has no issuer")
                continue
            node, ipath = a.issuer
            pool = None
            bad = None
            for p in view.resolve_issuer(node):
                if p.status == "malformed":
                    bad = (f"has issuer `{show(p.text)}`, which is not "
                           f"`https://cognito-idp.{{region}}.amazonaws.com/{{poolId}}`"
                           + (f" for user pool `{p.pool}`" if p.pool else ""))
                elif p.status == "not_pool":
                    r = ctx.template.get(p.pool)
                    rtype = p.type or (r.type if r else "?")
                    bad = f"has an issuer built from `{p.pool}` ({rtype}), which is not a user pool"
                elif p.status == "pool":
                    pool = p.pool
                    continue
                else:
                    continue
                break
            if bad:
                yield self.report(ctx, ipath, resource=a.owner, name=a.name, problem=bad)
                continue
            if pool is None:
                continue
            if not a.audience:
                yield self.report(ctx, a.jwt_path, resource=a.owner, name=a.name,
                                  problem=f"trusts user pool `{pool}` but lists no audience (app client)")
                continue
            for anode, apath in a.audience:
                problem = None
                for client, cpool in view.client_pool(anode):
                    if client.startswith("undefined:"):
                        problem = f"has audience `{client[10:]}`, which is not defined in this template"
                    elif client.startswith("not_client:"):
                        lid = client[11:]
                        r = ctx.template.get(lid)
                        problem = f"has audience `{lid}` ({r.type if r else '?'}), which is not a user pool client"
                    elif client.startswith("pool_id:"):
                        problem = f"has the user pool id `{client[8:]}` as audience instead of an app client id"
                    elif cpool is not None and cpool.status == "pool" and cpool.pool != pool:
                        problem = (f"trusts user pool `{pool}` but its audience `{client}` is a client "
                                   f"of user pool `{cpool.pool}`")
                    if problem:
                        break
                if problem:
                    yield self.report(ctx, apath, resource=a.owner, name=a.name, problem=problem)

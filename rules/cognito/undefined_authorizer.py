"""COG003: a SAM Auth.Authorizer / DefaultAuthorizer naming an authorizer that is not defined."""

from __future__ import annotations

from slint.findings import Category, Severity
from slint.rule import Rule


class UndefinedAuthorizer(Rule):
    """## What it does
    Flags a SAM `Auth.DefaultAuthorizer` on an `AWS::Serverless::Api` / `HttpApi` (or
    `Globals.Api/HttpApi`), or an `Auth.Authorizer` on a function's `Api` / `HttpApi` event, that
    names an authorizer missing from the API's `Auth.Authorizers`. `NONE` and, on a REST API,
    `AWS_IAM` are built in; on an HTTP API `AWS_IAM` needs `EnableIamAuthorizer: true`.

    ## Why is this bad?
    SAM refuses to transform the template; when the name is a typo for an authorizer that
    exists, the intended Cognito or Lambda protection is not what the author tested.

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
            DefaultAuthorizer: CognitoAuth
            Authorizers:
              CognitoAuthorizer:
                UserPoolArn: !GetAtt Pool.Arn
    ```

    In a Serverless Framework `serverless.yml`:
    ```yaml
    service: s
    provider:
      name: aws
      httpApi:
        authorizers:
          jwtAuth:
            identitySource: $request.header.Authorization
            issuerUrl: https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc
            audience:
              - client1
    functions:
      me:
        handler: me.handler
        events:
          - httpApi:
              method: GET
              path: /me
              authorizer:
                name: jwtauth   # not the name under provider.httpApi.authorizers
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
            DefaultAuthorizer: CognitoAuthorizer
            Authorizers:
              CognitoAuthorizer:
                UserPoolArn: !GetAtt Pool.Arn
    ```

    In `serverless.yml`:
    ```yaml
    service: s
    provider:
      name: aws
      httpApi:
        authorizers:
          jwtAuth:
            identitySource: $request.header.Authorization
            issuerUrl: https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc
            audience:
              - client1
    functions:
      me:
        handler: me.handler
        events:
          - httpApi:
              method: GET
              path: /me
              authorizer:
                name: jwtAuth
    ```

    ## Known limitations
    Names from parameters without a default are not checked. Events attached to an API defined
    in another stack are not checked.

    ## References
    - https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-api-apiauth.html
    - https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-apifunctionauth.html
    """
    code = "COG003"
    name = "undefined-authorizer"
    category = Category.COGNITO
    severity = Severity.HIGH
    message = "{what} `{name}` is not defined in the Auth.Authorizers of {api}{hint}"
    fix = "Name one of the API's Auth.Authorizers (or define it there)"

    def check(self, ctx):
        for ref in ctx.routes.authorizer_refs():
            if ref.target is not None or ref.name == "NONE":
                continue
            if ctx.template.get(ref.api) is None:
                continue
            hint = ""
            if ref.name == "AWS_IAM" and ref.api_kind == "HTTP":
                hint = " (on an HTTP API, AWS_IAM needs `EnableIamAuthorizer: true`)"
            yield self.report(ctx, ref.path, resource=ref.owner, what=ref.what, name=ref.name,
                              api=ref.api, hint=hint)

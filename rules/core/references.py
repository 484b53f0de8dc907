"""References to undefined names, and SAM resources without the SAM transform."""

from __future__ import annotations

from slint.findings import Category, Severity
from slint.rule import Rule


class UndefinedReference(Rule):
    """## What it does
    Flags a reference to a resource or parameter the template does not define, where it decides
    who can call what: a SAM event's `RestApiId` / `ApiId`, an `AuthorizerId` of an
    `AWS::ApiGateway::Method` or `AWS::ApiGatewayV2::Route`, the `Roles` / `Users` / `Groups` of
    an IAM policy, the `FunctionName` of a Lambda permission.

    ## Why is this bad?
    CloudFormation rejects the template; more often the name is a typo or a resource that was
    renamed or moved to another stack, and the route, authorizer or grant the author reviewed
    is not the one that deploys. slint cannot judge a route on an API that does not exist, so
    it says so here instead of dropping it.

    ## Example
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.12
          Handler: app.handler
          CodeUri: src/
          Events:
            Get:
              Type: Api
              Properties:
                RestApiId: !Ref MyApi
                Path: /items
                Method: get
    ```

    ## Use instead
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      MyApi:
        Type: AWS::Serverless::Api
        Properties:
          StageName: prod
          Auth:
            DefaultAuthorizer: AWS_IAM
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.12
          Handler: app.handler
          CodeUri: src/
          Events:
            Get:
              Type: Api
              Properties:
                RestApiId: !Ref MyApi
                Path: /items
                Method: get
    ```

    ## Known limitations
    Only the properties listed above are checked (cfn-lint checks every reference). A name
    passed as a parameter is defined; its value is not known.

    ## References
    - cfn-lint E3005, E1012
    """
    code = "SYN004"
    name = "undefined-reference"
    category = Category.SYNTAX
    severity = Severity.MEDIUM
    message = "{prop} of `{owner}` refers to `{name}`, which this template does not define"
    fix = "Refer to a resource or parameter defined in the template"

    def check(self, ctx):
        from slint.model.references import undefined_references
        for r, prop, name, path in undefined_references(ctx.template):
            yield self.report(ctx, path, resource=r.logical_id, prop=prop, owner=r.logical_id,
                              name=name)


class MissingSamTransform(Rule):
    """## What it does
    Flags a template with `AWS::Serverless::*` resources and no
    `Transform: AWS::Serverless-2016-10-31`. slint still reads it as SAM (Globals included).

    ## Why is this bad?
    Without the transform CloudFormation does not know the SAM resource types and rejects the
    template; a template edited by hand (the transform line lost in a merge) deploys nothing
    that was reviewed.

    ## Example
    ```yaml
    Resources:
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.12
          Handler: app.handler
          CodeUri: src/
    ```

    ## Use instead
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.12
          Handler: app.handler
          CodeUri: src/
    ```

    ## Known limitations
    None known.

    ## References
    - https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-template-anatomy.html
    """
    code = "SYN005"
    name = "missing-sam-transform"
    category = Category.SYNTAX
    severity = Severity.MEDIUM
    message = "`{owner}` is a SAM resource, but the template has no `Transform: AWS::Serverless-2016-10-31`"
    fix = "Add `Transform: AWS::Serverless-2016-10-31` at the top of the template"

    def check(self, ctx):
        lid = ctx.template.missing_transform
        if lid is not None:
            yield self.report(ctx, ("Resources", lid, "Type"), resource=lid, owner=lid)

"""Serverless Framework shapes met in real applications (docs/real-projects-serverless.md)."""

from __future__ import annotations

from slint.loader import load_text
from slint.model.serverless.variables import Resolver

from .helpers import run_text
from .test_serverless import _routes, line_of, sls, translated

POOL_FROM_SSM = """
    service: s
    provider:
      name: aws
    functions:
      search:
        handler: h
        events:
          - http:
              path: restaurants/search
              method: post
              authorizer:
                arn: arn:aws:cognito-idp:#{AWS::Region}:#{AWS::AccountId}:userpool/${ssm:/app/pool_id}
      order:
        handler: h
        events:
          - http:
              path: orders
              method: post
              authorizer: arn:aws:cognito-idp:us-east-1:123456789012:userpool/${env:POOL_ID}
      custom:
        handler: h
        events:
          - http:
              path: custom
              method: get
              authorizer:
                arn: arn:aws:lambda:us-east-1:123456789012:function:cognito-idp-check
    """


def test_a_cognito_arn_built_from_variables_is_a_user_pool_authorizer():
    # production-ready-serverless-workshop: the pool id comes from ${ssm:}; the framework tests
    # the resolved string against ^arn:[a-zA-Z-]*:cognito-idp, so this is a Cognito authorizer
    got, _urls = _routes(POOL_FROM_SSM)
    assert got[("POST", "/restaurants/search", "REST")][0] == "COGNITO"
    assert got[("POST", "/orders", "REST")][0] == "COGNITO"
    # a Lambda whose name contains cognito-idp is still a Lambda authorizer
    assert got[("GET", "/custom", "REST")][0] == "LAMBDA"
    auth = translated(POOL_FROM_SSM).document.data["Resources"]["ApiGatewayRestApi"]["Properties"]["Auth"]
    assert "UserPoolArn" in auth["Authorizers"]["Authorizer"]
    assert auth["Authorizers"]["cognito-idp-check"]["FunctionArn"].endswith("function:cognito-idp-check")


EXTERNAL_API = """
    service: s
    provider:
      name: aws
      apiGateway:
        restApiId:
          Fn::ImportValue: dev-ApiGatewayRestApiId
        restApiRootResourceId:
          Fn::ImportValue: dev-ApiGatewayRestApiRootResourceId
    functions:
      get:
        handler: h
        events:
          - http:
              path: users
              method: get
              authorizer: aws_iam
      open:
        handler: h
        events:
          - http:
              path: open
              method: get
    """


def test_aws_iam_on_an_api_created_elsewhere_is_known():
    # serverless-stack-demo-mono-api: the method this service adds is AWS_IAM whatever the API
    got, _urls = _routes(EXTERNAL_API)
    assert got[("GET", "/users", "REST")][0] == "AWS_IAM"
    # no authorizer: the API's resource policy (elsewhere) may still restrict it
    assert got[("GET", "/open", "REST")][0] == "UNKNOWN"


AUTH_FROM_VARIABLES = """
    service: s
    provider:
      name: aws
      httpApi:
        authorizers:
          jwt:
            issuerUrl: https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc
            audience: [abc]
    functions:
      rest:
        handler: h
        events:
          - http:
              path: rest
              method: get
              authorizer: ${ssm:/app/authorizer-arn}
      restname:
        handler: h
        events:
          - http:
              path: restname
              method: get
              authorizer:
                name: ${env:AUTHORIZER}
      http:
        handler: h
        events:
          - httpApi:
              path: /http
              method: get
              authorizer:
                name: ${env:HTTP_AUTHORIZER}
      ws:
        handler: h
        events:
          - websocket:
              route: $connect
              authorizer: ${ssm:/app/ws-authorizer-arn}
    """


def test_an_authorizer_that_variables_leave_unknown_still_guards_the_route():
    # `authorizer: ${self:custom.cognitoAuthorizerArn}` and the like: the framework always
    # deploys an authorizer for them; before, the unresolved value made the route open
    got, _urls = _routes(AUTH_FROM_VARIABLES)
    assert got[("GET", "/rest", "REST")][0] == "LAMBDA"
    assert got[("GET", "/restname", "REST")][0] == "LAMBDA"
    assert got[("GET", "/http", "HTTP")][0] == "LAMBDA"
    ws = {p: a for (m, p, k), (a, _f, _x) in got.items() if k == "WEBSOCKET"}
    assert ws == {"$connect": "LAMBDA"}


DEFAULTS = """
    service: s
    provider:
      name: aws
    custom:
      auth:
        prod: aws_iam
    functions:
      f:
        handler: h
        events:
          - http: {path: iam, method: get, authorizer: "${env:AUTH, 'aws_iam'}"}
          - http: {path: none, method: get, authorizer: "${env:AUTH2, ''}"}
          - http: {path: stage, method: get, authorizer: "${self:custom.auth.${opt:stage, 'dev'}, ''}"}
          - http:
              path: pool
              method: get
              authorizer:
                arn: "${env:POOL_ARN, 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_a'}"
          - websocket:
              route: $connect
              authorizer:
                name: ${ssm:/app/ws-authorizer}
    """


def test_an_authorizer_from_variables_takes_their_defaults_and_empty_is_none():
    # the framework skips a falsy `authorizer` (`${self:custom.auth.${stage}, ''}` with no
    # entry for the stage): the route is open; before, a Lambda authorizer named '' was made
    got, _urls = _routes(DEFAULTS)
    assert got[("GET", "/iam", "REST")][0] == "AWS_IAM"
    assert got[("GET", "/none", "REST")][0] == "NONE"
    assert got[("GET", "/stage", "REST")][0] == "NONE"
    assert got[("GET", "/pool", "REST")][0] == "COGNITO"
    ws = {p: a for (m, p, k), (a, _f, _x) in got.items() if k == "WEBSOCKET"}
    assert ws == {"$connect": "LAMBDA"}
    params = translated(DEFAULTS).document.data.get("Parameters", {})
    assert "SlsFunction" not in params


SUB = """
    service: uploads
    provider:
      name: aws
    custom:
      stage: ${opt:stage, 'dev'}
    functions:
      scan:
        handler: h
        environment:
          REGION: ${AWS::Region}
        iamRoleStatements:
          - Effect: Allow
            Action: [s3:PutObject, s3:DeleteObject]
            Resource: !Sub arn:aws:s3:::${self:service}-${self:custom.stage}-avscan-${AWS::AccountId}/*
    """


def test_pseudo_parameters_in_a_sub_are_left_to_cloudformation():
    # macpro-quickstart-serverless: the framework does not resolve ${AWS::AccountId}; before,
    # slint made it an unknown and the whole ARN unevaluable (IAM002 low "cannot be evaluated")
    p = translated(SUB)
    data = p.document.data
    stmt = data["Resources"]["scan"]["Properties"]["Policies"][0]["Statement"][0]
    assert stmt["Resource"] == {"Fn::Sub": "arn:aws:s3:::uploads-${SlsOptStage}-avscan-${AWS::AccountId}/*"}
    assert not any(k.startswith("SlsAWS") for k in data.get("Parameters", {}))
    assert [f.rule for f in run_text(sls(SUB), select=["IAM002"], filename="serverless.yml").findings] == []


LIST_SUB = """
    service: orders
    provider:
      name: aws
      iam:
        role:
          statements:
            - Effect: Allow
              Action: [dynamodb:PutItem, dynamodb:DeleteItem]
              Resource: !Sub ['arn:aws:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${T}', {T: !Ref Table}]
            - Effect: Allow
              Action: [dynamodb:Query]
              Resource:
                Fn::Sub:
                  - arn:aws:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${T}/index/${self:custom.index}
                  - T: !Ref Table
            - Effect: Allow
              Action: [dynamodb:UpdateItem]
              Resource: !Sub '${Table.Arn}'
    custom:
      index: byDate
    functions:
      f:
        handler: h
        environment:
          STAGE_VAR: ${stageVariables.name}
          EMPTY: ${}
    resources:
      Resources:
        Table:
          Type: AWS::DynamoDB::Table
          Properties:
            BillingMode: PAY_PER_REQUEST
            AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
            KeySchema: [{AttributeName: id, KeyType: HASH}]
    """


def test_sub_variables_without_a_source_are_left_to_cloudformation():
    # ${T} has no `source:` and no `source(...)`: the framework (v3 parse.js, v4 sf-core
    # placeholders.js) leaves it as written, so CloudFormation's Fn::Sub fills it from the
    # list-form variables or a resource. Before, slint made it the bare text `T`.
    data = translated(LIST_SUB).document.data
    stmts = data["Resources"]["IamRoleLambdaExecution"]["Properties"]["Policies"][0][
        "PolicyDocument"]["Statement"]
    assert stmts[0]["Resource"] == {"Fn::Sub": [
        "arn:aws:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${T}", {"T": {"Ref": "Table"}}]}
    assert stmts[1]["Resource"] == {"Fn::Sub": [
        "arn:aws:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${T}/index/byDate",
        {"T": {"Ref": "Table"}}]}
    assert stmts[2]["Resource"] == {"Fn::Sub": "${Table.Arn}"}
    resolved, _sm = Resolver(load_text(sls(LIST_SUB), "serverless.yml").document,
                             "serverless.yml").resolve()
    assert resolved["functions"]["f"]["environment"] == {
        "STAGE_VAR": "${stageVariables.name}", "EMPTY": "${}"}
    assert not any(k.startswith("SlsT") for k in data.get("Parameters", {}))
    # one table: scoped
    assert run_text(sls(LIST_SUB), select=["IAM002"], filename="serverless.yml").findings == []


def test_a_list_form_sub_variable_that_is_a_wildcard_is_flagged():
    # the same shape with {T: '*'} grants the writes on every table; before, the template read
    # `table/T` (one table named T) and nothing was reported
    text = LIST_SUB.replace("{T: !Ref Table}]", "{T: '*'}]")
    found = run_text(sls(text), select=["IAM002"], filename="serverless.yml").findings
    assert [(f.rule, f.line) for f in found] == [("IAM002", line_of(text, "{T: '*'}"))]
    assert "table/*" in found[0].message

"""The route view (`ctx.routes`): every route with its effective auth, where it was decided, the
function it invokes, who owns it, and what restricts callers."""

from __future__ import annotations

from slint.context import Context
from slint.graph import Edge
from slint.loader import load_text
from slint.model.template import Template

from .conftest import FIXTURES


def ctx_of(text: str) -> Context:
    doc = load_text(text, "t.yaml").document
    return Context(doc, Template(doc), None, "t.yaml")


def ctx_file(rel: str) -> Context:
    p = FIXTURES / rel
    doc = load_text(p.read_text(), str(p)).document
    return Context(doc, Template(doc), None, str(p))


def by_key(ctx) -> dict:
    return {(r.api, r.method, r.path): r for r in ctx.routes.routes()}


def test_sam_implicit_routes_decided_by_missing_globals():
    ctx = ctx_file("API001/flagged_sam_implicit.yaml")
    rs = by_key(ctx)
    get = rs[("ServerlessRestApi", "GET", "/orders")]
    assert (get.kind, get.auth, get.open, get.owner, get.function) == \
        ("REST", "NONE", True, "Orders", "Orders")
    assert get.doc_path == ("Resources", "Orders", "Properties", "Events", "ListOrders")
    assert "Globals.Api.Auth not set" in get.reason
    assert get.implicit_api
    http = rs[("ServerlessHttpApi", "ANY", "$default")]
    assert http.kind == "HTTP" and http.open and http.owner == "Health"
    assert rs[("ServerlessRestApi", "OPTIONS", "/orders")].is_preflight


def test_globals_default_authorizer_is_decided_in_globals():
    ctx = ctx_file("API001/flagged_sam_explicit.yaml")
    rs = by_key(ctx)
    prot = rs[("Api", "GET", "/items")]
    assert prot.auth == "COGNITO" and prot.authorizer == "Cognito" and not prot.open
    assert prot.decided_at == ("Globals", "Api", "Auth", "DefaultAuthorizer")
    assert prot.api_key_required  # Api.Auth.ApiKeyRequired merged with Globals.Api.Auth
    pub = rs[("Api", "PUT", "/items")]
    assert pub.auth == "NONE" and pub.open
    assert pub.decided_at[-2:] == ("Auth", "Authorizer")
    assert "overriding DefaultAuthorizer Cognito" in pub.reason
    assert rs[("Api", "DELETE", "/admin")].auth == "AWS_IAM"


def test_rest_methods_paths_functions_and_edges():
    ctx = ctx_file("API001/flagged_cfn_rest.yaml")
    rs = by_key(ctx)
    assert set(rs) == {("Api", m, p) for m, p in (
        ("DELETE", "/items/{id}"), ("GET", "/items/{id}"), ("ANY", "/{proxy+}"),
        ("POST", "/items"), ("OPTIONS", "/items"))}
    d = rs[("Api", "DELETE", "/items/{id}")]
    assert d.function == "Handler" and d.owner == "DeleteItem" and d.source == "method"
    g = rs[("Api", "GET", "/items/{id}")]
    assert g.auth == "NONE" and g.api_key_required and g.open  # an API key is not authentication
    assert g.reason == "AuthorizationType is not set (defaults to NONE)"
    assert rs[("Api", "POST", "/items")].auth == "AWS_IAM"
    edges = {(dst, d["kind"]) for dst, d in ctx.graph.out_edges("DeleteItem")}
    assert ("Handler", Edge.INVOKES) in edges


def test_openapi_security_global_operation_and_api_key():
    ctx = ctx_file("API001/flagged_openapi.yaml")
    rs = by_key(ctx)
    get = rs[("Api", "GET", "/products")]
    assert get.auth == "NONE" and get.api_key_required
    assert get.decided_at == ("Resources", "Api", "Properties", "Body", "security")
    post = rs[("Api", "POST", "/products")]
    assert post.auth == "COGNITO" and post.authorizer == "cognito"
    assert rs[("Api", "DELETE", "/products/{id}")].reason == "the operation's security is empty"
    # the Cognito pool authorizes the API
    assert ("Api", Edge.AUTHORIZES) in {(d, e["kind"]) for d, e in ctx.graph.out_edges("Pool")}


def test_v2_routes_websocket_and_quick_create():
    ctx = ctx_file("API001/flagged_v2.yaml")
    rs = by_key(ctx)
    assert rs[("Http", "ANY", "$default")].function == "Fn"
    assert rs[("Http", "POST", "/pets")].auth == "AWS_IAM"
    assert rs[("Quick", "ANY", "$default")].source == "quick-create"
    connect = rs[("Ws", "WS", "$connect")]
    msg = rs[("Ws", "WS", "sendmessage")]
    assert connect.kind == msg.kind == "WEBSOCKET"
    assert connect.open and msg.open and msg.decided_at == connect.decided_at
    assert not msg.no_connect
    only = rs[("NoConnect", "WS", "$default")]
    assert only.open and only.no_connect and "no $connect route" in only.reason
    assert ("Integration", Edge.INVOKES) in {(s, d["kind"]) for s, d in ctx.graph.in_edges("Fn")}


def test_websocket_routes_inherit_connect_authorizer():
    ctx = ctx_file("API001/clean_cfn.yaml")
    rs = by_key(ctx)
    d = rs[("Ws", "WS", "$default")]
    assert d.auth == "LAMBDA" and d.authorizer == "WsAuth" and not d.open
    assert d.decided_at == ("Resources", "Connect", "Properties", "AuthorizationType")


def test_restrictions_private_and_policies():
    ctx = ctx_file("API001/clean_cfn.yaml")
    rs = by_key(ctx)
    assert "PRIVATE" in rs[("Private", "POST", "/")].restricted
    assert "VPC endpoint" in rs[("VpcOnly", "GET", "/")].restricted
    assert not rs[("VpcOnly", "GET", "/")].open
    assert rs[("Api", "OPTIONS", "/items")].restricted is None
    sam = by_key(ctx_file("API001/clean_sam_restricted.yaml"))
    assert "PRIVATE" in sam[("PrivateApi", "POST", "/internal")].restricted
    assert "IpRangeWhitelist" in sam[("IpApi", "PUT", "/office")].restricted


def test_public_allow_policy_does_not_restrict():
    ctx = ctx_of("""
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: a
      Policy:
        Statement:
          - {Effect: Allow, Principal: "*", Action: execute-api:Invoke, Resource: "*"}
  M:
    Type: AWS::ApiGateway::Method
    Properties: {RestApiId: !Ref Api, ResourceId: !GetAtt Api.RootResourceId, HttpMethod: GET,
                 AuthorizationType: NONE}
""")
    (r,) = ctx.routes.routes()
    assert r.restricted is None and r.open
    assert [x.api for x in ctx.routes.open_routes()] == ["Api"]


def test_sam_definition_body_ignores_event_auth_without_override():
    ctx = ctx_file("API001/flagged_sam_definitionbody.yaml")
    rs = by_key(ctx)
    r = rs[("Api", "GET", "/open")]
    assert r.auth == "NONE" and r.owner == "Api" and r.source == "openapi"
    assert "OverrideApiAuth" in r.reason and r.function == "Fn"
    status = rs[("Http", "GET", "/status")]
    assert status.auth == "LAMBDA" and status.decided_at[-1] == "DefaultAuthorizer"
    assert rs[("Http", "POST", "/public")].open


def test_override_api_auth_applies_event_authorizer():
    ctx = ctx_of("""
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: p
      Auth:
        DefaultAuthorizer: AWS_IAM
      DefinitionBody:
        swagger: "2.0"
        info: {title: t, version: "1"}
        paths:
          /a:
            get:
              x-amazon-apigateway-integration: {type: mock}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: a.h
      CodeUri: s3://b/k
      Events:
        A:
          Type: Api
          Properties:
            RestApiId: !Ref Api
            Path: /a
            Method: get
            Auth: {Authorizer: NONE, OverrideApiAuth: true}
""")
    (r,) = ctx.routes.routes()
    assert r.auth == "NONE" and r.owner == "Fn" and r.source == "sam-event"


def test_function_urls():
    ctx = ctx_file("API002/flagged_sam.yaml")
    rs = by_key(ctx)
    inh = rs[("InheritsUrl", "ANY", "/")]
    assert inh.kind == "FUNCTION_URL" and inh.open and inh.function == "Inherits"
    assert inh.decided_at == ("Globals", "Function", "FunctionUrlConfig", "AuthType")
    assert rs[("SignedUrl", "ANY", "/")].auth == "AWS_IAM"
    cfn = by_key(ctx_file("API002/flagged.yaml"))
    assert cfn[("PublicUrl", "ANY", "/")].function == "Fn"
    maybe = cfn[("MaybeUrl", "ANY", "/")]
    assert maybe.auth == "NONE" and "parameter UrlAuth" in maybe.reason


def test_unknown_values_are_unknown_not_open():
    ctx = ctx_file("API001/flagged_param.yaml")
    rs = by_key(ctx)
    unknown = rs[("Api", "GET", "/")]
    assert unknown.auth == "UNKNOWN" and not unknown.open and unknown.undetermined
    assert rs[("Api", "POST", "/")].auth == "NONE"   # AllowedValues include NONE


def test_event_on_api_outside_template_is_unknown():
    ctx = ctx_of("""
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: a.h
      CodeUri: s3://b/k
      Events:
        A:
          Type: Api
          Properties: {RestApiId: !ImportValue shared-api, Path: /a, Method: get}
""")
    (r,) = ctx.routes.routes()
    assert r.auth == "UNKNOWN" and not r.open and not r.undetermined


def test_authorizers_and_refs():
    ctx = ctx_file("COG003/flagged.yaml")
    refs = {(r.what, r.name, r.target is None) for r in ctx.routes.authorizer_refs()}
    assert ("DefaultAuthorizer", "CognitoAuth", True) in refs
    assert ("Auth.Authorizer", "CognitoAuthoriser", True) in refs
    ctx = ctx_file("COG001/clean.yaml")
    kinds = {(a.name, a.kind) for a in ctx.routes.authorizers()}
    assert ("GetAtt", "COGNITO_USER_POOLS") in kinds and ("Token", "TOKEN") in kinds
    assert ("RequestAuth", "REQUEST") in kinds
    st = {p.status for a in ctx.routes.authorizers() if a.providers
          for n, _p in a.providers for p in ctx.routes.resolve_pool(n)}
    assert st == {"pool", "param", "import", "external", "unknown"}  # unknown: nested stack output


def test_output_is_deterministic():
    a = [r.to_dict() for r in ctx_file("API001/clean_sam.yaml").routes.routes()]
    b = [r.to_dict() for r in ctx_file("API001/clean_sam.yaml").routes.routes()]
    assert a == b and len(a) > 5


def test_broken_shapes_do_not_crash():
    ctx = ctx_of("""
Transform: AWS::Serverless-2016-10-31
Globals:
  Api:
    Auth: [not, a, map]
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      Auth: {Authorizers: [x], DefaultAuthorizer: {Ref: P}}
      DefinitionBody: {paths: {"/a": [1], "/b": {get: 3, post: {security: 5}}}}
  M:
    Type: AWS::ApiGateway::Method
    Properties: {RestApiId: 5, ResourceId: {Ref: Loop}, HttpMethod: [x]}
  Loop:
    Type: AWS::ApiGateway::Resource
    Properties: {ParentId: {Ref: Loop}, PathPart: x}
  R:
    Type: AWS::ApiGatewayV2::Route
    Properties: {ApiId: {Ref: Nope}, RouteKey: 7}
  U:
    Type: AWS::Lambda::Url
    Properties: {}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      FunctionUrlConfig: {AuthType: {"Fn::If": [C, NONE, AWS_IAM]}}
      Events:
        E: {Type: Api, Properties: {Auth: "NONE", Path: 5}}
        H: {Type: HttpApi, Properties: {Auth: {Authorizer: [x]}}}
""")
    routes = ctx.routes.routes()
    assert routes
    fn_url = [r for r in routes if r.owner == "Fn" and r.kind == "FUNCTION_URL"]
    assert fn_url[0].auth == "NONE" and fn_url[0].scenario == frozenset({("C", True)})


def test_mutual_tls_with_default_endpoint_disabled_restricts():
    rs = by_key(ctx_file("API001/clean_mtls.yaml"))
    for key in (("Http", "ANY", "$default"), ("SamApi", "POST", "/orders")):
        assert rs[key].auth == "NONE" and "mutual TLS" in rs[key].restricted and not rs[key].open
    v2 = by_key(ctx_file("API001/flagged_v2.yaml"))
    assert v2[("DefaultEndpointStillOn", "ANY", "$default")].open


def test_function_found_by_its_name_in_an_integration_uri():
    ctx = ctx_of("""
Transform: AWS::Serverless-2016-10-31
Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: !Sub ${AWS::StackName}-worker
      Runtime: python3.12
      Handler: a.h
      CodeUri: s3://b/k
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: p
      DefinitionBody:
        openapi: 3.0.1
        paths:
          /jobs:
            post:
              security:
                - bearer: []
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:${AWS::StackName}-worker:live/invocations
        components:
          securitySchemes:
            bearer: {type: http, scheme: bearer}
""")
    (r,) = ctx.routes.routes()
    assert r.function == "Worker" and r.open
    assert "API Gateway does not enforce it" in r.reason
    assert ("Worker", Edge.INVOKES) in {(d, e["kind"]) for d, e in ctx.graph.out_edges("Api")}


def test_if_with_novalue_leaves_the_default():
    ctx = ctx_of("""
Transform: AWS::Serverless-2016-10-31
Conditions:
  Secure: !Equals [!Ref AWS::Region, us-east-1]
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties: {Name: a}
  M:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: POST
      AuthorizationType: !If [Secure, AWS_IAM, !Ref AWS::NoValue]
  SamApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: p
      Auth:
        DefaultAuthorizer: !If [Secure, AWS_IAM, !Ref AWS::NoValue]
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: a.h
      CodeUri: s3://b/k
      Events:
        A: {Type: Api, Properties: {RestApiId: !Ref SamApi, Path: /a, Method: get}}
""")
    rs = by_key(ctx)
    for key in (("Api", "POST", "/"), ("SamApi", "GET", "/a")):
        assert rs[key].open and rs[key].scenario == frozenset({("Secure", False)}), rs[key]


def test_private_endpoint_as_import_parameter():
    ctx = ctx_of("""
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties: {Name: a, Parameters: {endpointConfigurationTypes: PRIVATE}}
  M:
    Type: AWS::ApiGateway::Method
    Properties: {RestApiId: !Ref Api, ResourceId: !GetAtt Api.RootResourceId, HttpMethod: GET,
                 AuthorizationType: NONE}
""")
    (r,) = ctx.routes.routes()
    assert r.restricted.startswith("PRIVATE") and not r.open

"""Auth precedence in the route view (`slint.views.api.effective_auth`): a route's own Auth >
the API's DefaultAuthorizer (SAM Auth / Globals) > OpenAPI security > none, with the OPTIONS
rules of SAM (an HTTP API never gives OPTIONS the default; a REST API does unless
AddDefaultAuthorizerToCorsPreflight is false), and JWT issuers matched as a whole."""

from __future__ import annotations

from slint.context import Context
from slint.loader import load_text
from slint.model.template import Template


def routes_of(text: str) -> dict:
    doc = load_text(text, "t.yaml").document
    ctx = Context(doc, Template(doc), None, "t.yaml")
    return {(r.api, r.method, r.path): r for r in ctx.routes.routes()}


def issuers_of(text: str) -> list:
    doc = load_text(text, "t.yaml").document
    view = Context(doc, Template(doc), None, "t.yaml").routes
    (a,) = [a for a in view.authorizers() if a.kind == "JWT"]
    return view.resolve_issuer(a.issuer[0])


HTTP_API = """
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::HttpApi
    Properties:
      Auth:
        DefaultAuthorizer: Jwt
        Authorizers:
          Jwt:
            JwtConfiguration: {issuer: "https://example.com", audience: [a]}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: x
      Runtime: python3.12
      CodeUri: .
      Events:
        Get: {Type: HttpApi, Properties: {ApiId: !Ref Api, Path: /items, Method: get}}
        Preflight: {Type: HttpApi, Properties: {ApiId: !Ref Api, Path: /items, Method: options}}
        Health:
          Type: HttpApi
          Properties: {ApiId: !Ref Api, Path: /health, Method: get, Auth: {Authorizer: NONE}}
"""


def test_http_api_default_authorizer_applies_to_events_without_auth():
    get = routes_of(HTTP_API)[("Api", "GET", "/items")]
    assert (get.auth, get.authorizer, get.open) == ("JWT", "Jwt", False)
    assert get.decided_at == ("Resources", "Api", "Properties", "Auth", "DefaultAuthorizer")
    assert get.reason == "DefaultAuthorizer of Api is Jwt"


def test_http_api_options_event_does_not_get_the_default_authorizer():
    opt = routes_of(HTTP_API)[("Api", "OPTIONS", "/items")]
    assert (opt.auth, opt.authorizer, opt.open, opt.is_preflight) == ("NONE", None, True, True)
    assert opt.reason == "the DefaultAuthorizer of Api is not applied to OPTIONS"
    assert opt.decided_at == ("Resources", "Fn", "Properties", "Events", "Preflight")


def test_http_api_event_authorizer_none_overrides_the_default():
    health = routes_of(HTTP_API)[("Api", "GET", "/health")]
    assert (health.auth, health.open) == ("NONE", True)
    assert health.reason == "event Auth.Authorizer is NONE, overriding DefaultAuthorizer Jwt on Api"
    assert health.decided_at[-2:] == ("Auth", "Authorizer")


REST_API = """
Transform: AWS::Serverless-2016-10-31
Resources:
  Pool: {Type: AWS::Cognito::UserPool}
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Cors: "'*'"
      Auth:
        DefaultAuthorizer: Cognito
        %(preflight)s
        Authorizers:
          Cognito: {UserPoolArn: !GetAtt Pool.Arn}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: x
      Runtime: python3.12
      CodeUri: .
      Events:
        Get: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /items, Method: get}}
        Preflight: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /items, Method: options}}
        Public:
          Type: Api
          Properties: {RestApiId: !Ref Api, Path: /public, Method: get, Auth: {Authorizer: NONE}}
"""


def test_rest_api_default_authorizer_applies_and_none_overrides_it():
    rs = routes_of(REST_API % {"preflight": ""})
    get = rs[("Api", "GET", "/items")]
    assert (get.auth, get.authorizer, get.reason) == ("COGNITO", "Cognito", "DefaultAuthorizer of Api is Cognito")
    pub = rs[("Api", "GET", "/public")]
    assert (pub.auth, pub.open) == ("NONE", True)
    assert pub.reason == "event Auth.Authorizer is NONE, overriding DefaultAuthorizer Cognito on Api"


def test_rest_api_options_gets_the_default_unless_add_to_preflight_is_false():
    rs = routes_of(REST_API % {"preflight": ""})
    # an OPTIONS event and the preflight SAM adds for Cors both get the DefaultAuthorizer
    assert rs[("Api", "OPTIONS", "/items")].auth == "COGNITO"
    cors = rs[("Api", "OPTIONS", "/public")]
    assert (cors.source, cors.auth, cors.authorizer) == ("cors", "COGNITO", "Cognito")
    rs = routes_of(REST_API % {"preflight": "AddDefaultAuthorizerToCorsPreflight: false"})
    opt = rs[("Api", "OPTIONS", "/items")]
    assert (opt.auth, opt.open) == ("NONE", True)
    assert opt.reason == ("the DefaultAuthorizer of Api is not applied to OPTIONS "
                          "(AddDefaultAuthorizerToCorsPreflight is false)")
    cors = rs[("Api", "OPTIONS", "/public")]
    assert (cors.source, cors.auth, cors.open) == ("cors", "NONE", True)
    assert cors.reason == "Cors preflight added by SAM (browsers send it without credentials)"
    # the other routes keep the default
    assert rs[("Api", "GET", "/items")].auth == "COGNITO"


BODY_API = """
Transform: AWS::Serverless-2016-10-31
Resources:
  Pool: {Type: AWS::Cognito::UserPool}
  Api:
    Type: %(type)s
    Properties:
      %(stage)s
      Auth:
        DefaultAuthorizer: Main
        %(preflight)s
        Authorizers:
          Main: %(authorizer)s
      DefinitionBody:
        openapi: "3.0.1"
        paths:
          /items:
            get:
              x-amazon-apigateway-integration: {type: aws_proxy, httpMethod: POST, uri: x}
            options:
              x-amazon-apigateway-integration: {type: mock}
          /open:
            get:
              security: [{NONE: []}]
              x-amazon-apigateway-integration: {type: aws_proxy, httpMethod: POST, uri: x}
"""
REST_BODY = {"type": "AWS::Serverless::Api", "stage": "StageName: prod",
             "authorizer": "{UserPoolArn: !GetAtt Pool.Arn}"}
HTTP_BODY = {"type": "AWS::Serverless::HttpApi", "stage": "",
             "authorizer": "{JwtConfiguration: {issuer: 'https://example.com', audience: [a]}}"}


def test_openapi_operations_get_the_default_unless_they_say_none():
    for kind, auth in ((REST_BODY, "COGNITO"), (HTTP_BODY, "JWT")):
        rs = routes_of(BODY_API % dict(kind, preflight=""))
        get = rs[("Api", "GET", "/items")]
        assert (get.source, get.auth, get.authorizer) == ("openapi", auth, "Main")
        assert get.decided_at == ("Resources", "Api", "Properties", "Auth", "DefaultAuthorizer")
        assert rs[("Api", "GET", "/open")].auth == "NONE"


def test_openapi_options_and_the_default_authorizer():
    # REST: the default covers OPTIONS unless AddDefaultAuthorizerToCorsPreflight is false
    assert routes_of(BODY_API % dict(REST_BODY, preflight=""))[("Api", "OPTIONS", "/items")].auth == "COGNITO"
    off = routes_of(BODY_API % dict(REST_BODY, preflight="AddDefaultAuthorizerToCorsPreflight: false"))
    assert off[("Api", "OPTIONS", "/items")].auth == "NONE"
    # HTTP: never
    assert routes_of(BODY_API % dict(HTTP_BODY, preflight=""))[("Api", "OPTIONS", "/items")].auth == "NONE"


JWT_API = """
Transform: AWS::Serverless-2016-10-31
Resources:
  Pool: {Type: AWS::Cognito::UserPool}
  Api:
    Type: AWS::Serverless::HttpApi
    Properties:
      Auth:
        Authorizers:
          Jwt:
            JwtConfiguration:
              issuer: %s
              audience: [a]
"""


def test_literal_issuer_is_matched_as_a_whole():
    base = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc"
    (p,) = issuers_of(JWT_API % base)
    assert (p.status, p.pool, p.text) == ("external", None, base)
    for bad in (base + "/x", "x" + base, base.replace("https://", "https://x.")):
        (p,) = issuers_of(JWT_API % bad)
        assert (p.status, p.pool) == ("malformed", None), bad


def test_issuer_names_the_pool_only_with_its_whole_id():
    (p,) = issuers_of(JWT_API % "!Sub https://cognito-idp.${AWS::Region}.amazonaws.com/${Pool}")
    assert (p.status, p.pool) == ("pool", "Pool")
    (p,) = issuers_of(JWT_API % "!Sub https://cognito-idp.${AWS::Region}.amazonaws.com/${Pool}/x")
    assert (p.status, p.pool) == ("malformed", "Pool")


def test_issuer_with_more_than_the_pool_id_does_not_name_the_pool():
    # the pool id must be the whole last segment: `.../us-east-1_abcx` is another issuer
    for iss in ("!Sub https://cognito-idp.${AWS::Region}.amazonaws.com/${Pool}x",
                "!Sub https://cognito-idp.${AWS::Region}.amazonaws.com/x${Pool}",
                "!Sub https://cognito-idp.${AWS::Region}.amazonaws.com/${Pool.Arn}"):
        (p,) = issuers_of(JWT_API % iss)
        assert (p.status, p.pool) == ("malformed", "Pool"), iss
    # ProviderURL is `cognito-idp.{region}.amazonaws.com/{poolId}`: only `https://` may precede it
    (p,) = issuers_of(JWT_API % "!Sub https://${Pool.ProviderURL}")
    assert (p.status, p.pool) == ("pool", "Pool")
    (p,) = issuers_of(JWT_API % "!Sub https://evil.example/${Pool.ProviderURL}")
    assert (p.status, p.pool) == ("malformed", "Pool")
    (p,) = issuers_of(JWT_API % "!Sub https://cognito-idp.${AWS::Region}.amazonaws.com/${Pool.UserPoolId}")
    assert (p.status, p.pool) == ("pool", "Pool")

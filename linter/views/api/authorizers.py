"""Authorizers an API can use, whatever wrote them: ``AWS::ApiGateway::Authorizer`` /
``AWS::ApiGatewayV2::Authorizer`` resources, SAM ``Auth.Authorizers`` (and the ``AWS_IAM`` one
``EnableIamAuthorizer`` adds), OpenAPI ``securitySchemes`` / ``securityDefinitions`` with
``x-amazon-apigateway-authorizer``; SAM ``DefaultAuthorizer`` references.
"""

from __future__ import annotations

from .effective_auth import api_auth, sam_lookup
from .model import NONE, Authorizer, AuthorizerRef, _Api
from .openapi_doc import scheme_kind, schemes


def cfn_authorizers(b) -> None:
    for r in b.t.of_type("AWS::ApiGateway::Authorizer"):
        api = b.ref_id(r.prop("RestApiId"))
        typ = (b.text(r.prop("Type")) or "").upper()
        kind = {"COGNITO_USER_POOLS": "COGNITO_USER_POOLS", "TOKEN": "TOKEN",
                "REQUEST": "REQUEST"}.get(typ, "UNKNOWN")
        a = Authorizer(api=api, name=r.logical_id, kind=kind, owner=r.logical_id,
                       doc_path=r.path, source="resource", logical_id=r.logical_id,
                       providers_path=r.path + ("Properties", "ProviderARNs"),
                       function=b.function_of(r.prop("AuthorizerUri")))
        if kind == "COGNITO_USER_POOLS":
            a.providers = b.list_nodes(r.prop("ProviderARNs"), r.path + ("Properties", "ProviderARNs"))
        b.add_authorizer(a)
    for r in b.t.of_type("AWS::ApiGatewayV2::Authorizer"):
        api = b.ref_id(r.prop("ApiId"))
        typ = (b.text(r.prop("AuthorizerType")) or "").upper()
        kind = {"JWT": "JWT", "REQUEST": "REQUEST"}.get(typ, "UNKNOWN")
        base = r.path + ("Properties", "JwtConfiguration")
        a = Authorizer(api=api, name=r.logical_id, kind=kind, owner=r.logical_id,
                       doc_path=r.path, source="resource", logical_id=r.logical_id,
                       jwt_path=base, function=b.function_of(r.prop("AuthorizerUri")))
        if kind == "JWT":
            jwt = r.prop("JwtConfiguration")
            if isinstance(jwt, dict):
                if "Issuer" in jwt:
                    a.issuer = (jwt["Issuer"], base + ("Issuer",))
                a.audience = b.list_nodes(jwt.get("Audience"), base + ("Audience",))
        b.add_authorizer(a)


def sam_authorizers(b) -> None:
    for api in b.apis.values():
        if not api.sam or api.resource is None:
            continue
        r = api.resource
        auth = r.prop("Auth")
        if api.kind == "WEBSOCKET":
            if isinstance(auth, dict):
                at = (b.text(auth.get("AuthType")) or "").upper()
                if at == "CUSTOM":
                    a = Authorizer(api=api.lid, name=api.lid + "ConnectAuthorizer", kind="REQUEST",
                                   owner=api.owner, doc_path=r.doc_path(("Properties", "Auth")),
                                   source="sam", function=b.function_of(auth.get("AuthArn")),
                                   sam_api_type="WEBSOCKET")
                    b.add_authorizer(a)
            continue
        if not isinstance(auth, dict):
            continue
        auths = auth.get("Authorizers")
        if isinstance(auths, dict):
            for name, body in auths.items():
                if not isinstance(name, str) or not isinstance(body, dict):
                    continue
                rel = ("Properties", "Auth", "Authorizers", name)
                a = Authorizer(api=api.lid, name=name, kind="UNKNOWN", owner=api.owner,
                               doc_path=r.doc_path(rel), source="sam", sam_api_type=api.kind)
                if api.kind == "REST":
                    if "UserPoolArn" in body:
                        a.kind = "COGNITO_USER_POOLS"
                        a.providers = b.list_nodes(body["UserPoolArn"], r.doc_path(rel + ("UserPoolArn",)))
                    elif "FunctionArn" in body:
                        pt = (b.text(body.get("FunctionPayloadType")) or "TOKEN").upper()
                        a.kind = "REQUEST" if pt == "REQUEST" else "TOKEN"
                        a.function = b.function_of(body["FunctionArn"])
                    else:
                        # SAM treats it as a Lambda authorizer without a function: broken
                        a.kind = "UNKNOWN"
                        a.providers = None
                    a.providers_path = r.doc_path(rel + ("UserPoolArn",))
                else:
                    jwt = body.get("JwtConfiguration")
                    if isinstance(jwt, dict):
                        a.kind = "JWT"
                        base = r.doc_path(rel + ("JwtConfiguration",))
                        a.jwt_path = base
                        iss_key = "issuer" if "issuer" in jwt else ("Issuer" if "Issuer" in jwt else None)
                        if iss_key:
                            a.issuer = (jwt[iss_key], r.doc_path(rel + ("JwtConfiguration", iss_key)))
                        aud_key = "audience" if "audience" in jwt else ("Audience" if "Audience" in jwt else None)
                        if aud_key:
                            a.audience = b.list_nodes(jwt[aud_key], r.doc_path(rel + ("JwtConfiguration", aud_key)))
                    elif "FunctionArn" in body:
                        a.kind = "REQUEST"
                        a.function = b.function_of(body["FunctionArn"])
                b.add_authorizer(a)
        if api.kind == "HTTP" and b.flag(auth.get("EnableIamAuthorizer")) \
                and "AWS_IAM" not in api.authorizers:
            a = Authorizer(api=api.lid, name="AWS_IAM", kind="AWS_IAM", owner=api.owner,
                           doc_path=r.doc_path(("Properties", "Auth", "EnableIamAuthorizer")),
                           source="sam", sam_api_type="HTTP")
            api.authorizers["AWS_IAM"] = a  # built in: not listed among authorizers()
    for api in b.apis.values():
        r = api.resource
        if not api.sam or r is None or api.kind == "WEBSOCKET":
            continue
        aa = api_auth(b, api)
        name = aa.default
        if not aa.written or name is None or name.upper() == NONE:
            continue
        b.refs.append(AuthorizerRef(api.lid, name, aa.path, api.owner, "DefaultAuthorizer",
                                    sam_lookup(b, api, name, api.kind), api.kind))


def openapi_authorizers(b, api: _Api) -> None:
    body, bpath = b.body_of(api)
    if not isinstance(body, dict):
        return
    found, rel = schemes(body)
    spath = bpath + rel
    for name, sch in found.items():
        if not isinstance(name, str) or not isinstance(sch, dict) or name in api.authorizers:
            continue
        kind = scheme_kind(sch)
        if kind in ("API_KEY", "OTHER"):
            continue
        ext = sch.get("x-amazon-apigateway-authorizer")
        ext = ext if isinstance(ext, dict) else {}
        p = spath + (name,)
        a = Authorizer(api=api.lid, name=name, kind=kind, owner=api.owner,
                       doc_path=b.dp(api, p), source="openapi")
        if kind == "COGNITO_USER_POOLS":
            key = "providerARNs"
            a.providers_path = b.dp(api, p + ("x-amazon-apigateway-authorizer", key))
            a.providers = b.list_nodes(ext.get(key), a.providers_path) if key in ext else None
        elif kind == "JWT":
            jwt = ext.get("jwtConfiguration")
            base = p + ("x-amazon-apigateway-authorizer", "jwtConfiguration")
            a.jwt_path = b.dp(api, base)
            if isinstance(jwt, dict):
                if "issuer" in jwt:
                    a.issuer = (jwt["issuer"], b.dp(api, base + ("issuer",)))
                if "audience" in jwt:
                    a.audience = b.list_nodes(jwt["audience"], b.dp(api, base + ("audience",)))
        elif kind in ("TOKEN", "REQUEST"):
            a.function = b.function_of(ext.get("authorizerUri"))
        b.add_authorizer(a)


def authorizer_id(b, api: _Api | None, node) -> tuple[Authorizer | None, str | None]:
    """What an ``AuthorizerId`` names: (the authorizer, when known; its id or text)."""
    if node is None:
        return None, None
    aid = b.ref_id(node)
    if not aid:
        return None, b.text(node)
    return (api.authorizers.get(aid) if api else None) or b.by_lid.get(aid), aid

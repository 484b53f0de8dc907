"""Authorizer edges declared inside an API: SAM ``Auth.Authorizers`` and the
``x-amazon-apigateway-authorizer`` security schemes of an inline OpenAPI body.

For each authorizer: API -> user pool (``user_pool``) / function (``authorizer_function``) with
attribute ``authorizer`` (its name), and pool / function -> API (``authorizes``), as the route
table records who authorizes an API.
"""

from __future__ import annotations

from .edges import Edge

POOL = "AWS::Cognito::UserPool"
FUNCTIONS = ("AWS::Lambda::Function", "AWS::Serverless::Function")


def _refs(b, node, path: tuple, scen: frozenset):
    from .refs import walk_refs
    for name, _attr, _kind, p, s in walk_refs(node, path, scen, b.v.join):
        t = b.type_of(name)
        if t == POOL or t in FUNCTIONS:
            yield name, t, p, s


def _emit(b, api: str, name: str, node, path: tuple, scen: frozenset) -> None:
    for target, t, p, s in _refs(b, node, path, scen):
        kind = Edge.USER_POOL if t == POOL else Edge.AUTHORIZER_FUNCTION
        b.emit(api, target, kind, p, s, authorizer=name)
        b.emit(target, api, Edge.AUTHORIZES, p, s, authorizer=name)


def sam_api_authorizers(b, r, scen: frozenset) -> None:
    auth = r.prop("Auth")
    if isinstance(auth, dict):
        authorizers = auth.get("Authorizers")
        if isinstance(authorizers, dict):
            base = r.doc_path(("Properties", "Auth", "Authorizers"))
            for name, spec in authorizers.items():
                if isinstance(spec, dict):
                    path = base + (name,)
                    _emit(b, r.logical_id, str(name), spec, path, scen)
    body_authorizers(b, r, ("Properties", "DefinitionBody"), scen)


_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace",
            "x-amazon-apigateway-any-method"}


def body_authorizers(b, r, rel: tuple, scen: frozenset) -> None:
    """Authorizers of an inline OpenAPI body, and API -> function ``invokes`` edges of its
    operations' ``x-amazon-apigateway-integration`` URIs."""
    body = r.prop(*rel[1:])
    if not isinstance(body, dict):
        return
    base = r.doc_path(rel)
    paths = body.get("paths")
    if isinstance(paths, dict):
        for pth, item in paths.items():
            if not isinstance(item, dict):
                continue
            for method, op in item.items():
                if str(method).lower() not in _METHODS or not isinstance(op, dict):
                    continue
                integ = op.get("x-amazon-apigateway-integration")
                if not isinstance(integ, dict) or "uri" not in integ:
                    continue
                p = base + ("paths", pth, method, "x-amazon-apigateway-integration", "uri")
                for sv in b.v.strings(integ["uri"], scen):
                    fid = b.function_in(sv)
                    if fid:
                        b.emit(r.logical_id, fid, Edge.INVOKES, p, sv.scenario)
                        break
    for key_path in (("components", "securitySchemes"), ("securityDefinitions",)):
        schemes = body
        for k in key_path:
            schemes = schemes.get(k) if isinstance(schemes, dict) else None
        if not isinstance(schemes, dict):
            continue
        for name, sch in schemes.items():
            ext = sch.get("x-amazon-apigateway-authorizer") if isinstance(sch, dict) else None
            if isinstance(ext, dict):
                _emit(b, r.logical_id, str(name), ext,
                      base + key_path + (name, "x-amazon-apigateway-authorizer"), scen)


def sam_websocket(b, r, scen: frozenset) -> None:
    """``AWS::Serverless::WebSocketApi``: ``Routes.<key>.FunctionArn`` (API -> function
    ``invokes``) and ``Auth.AuthArn`` of a CUSTOM authorizer."""
    routes = r.prop("Routes")
    if isinstance(routes, dict):
        for key, spec in routes.items():
            if isinstance(spec, dict) and "FunctionArn" in spec:
                path = r.doc_path(("Properties", "Routes", key))
                for sv in b.v.strings(spec["FunctionArn"], scen):
                    fid = b.function_in(sv)
                    if fid:
                        b.emit(r.logical_id, fid, Edge.INVOKES, path, sv.scenario, route=key)
                        break
    auth = r.prop("Auth")
    if isinstance(auth, dict) and "AuthArn" in auth:
        path = r.doc_path(("Properties", "Auth", "AuthArn"))
        name = r.logical_id + "ConnectAuthorizer"
        for sv in b.v.strings(auth["AuthArn"], scen):
            fid = b.function_in(sv)
            if fid:
                b.emit(r.logical_id, fid, Edge.AUTHORIZER_FUNCTION, path, sv.scenario,
                       authorizer=name)
                b.emit(fid, r.logical_id, Edge.AUTHORIZES, path, sv.scenario, authorizer=name)
                break

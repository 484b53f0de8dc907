"""Routes written in an inline OpenAPI / Swagger body (``Body`` of ``AWS::ApiGateway::RestApi`` /
``AWS::ApiGatewayV2::Api``, SAM ``DefinitionBody``), with ``security`` (operation over global)
and, on SAM APIs, the ``DefaultAuthorizer`` SAM writes into operations (``swagger/swagger.py``,
``open_api/open_api.py``).
"""

from __future__ import annotations

from ...graph import Edge
from .effective_auth import Security, effective_auth
from .model import HTTP_METHODS, NONE, Route, _Api
from .reader import get


def produce(b) -> None:
    """Routes written in the inline OpenAPI body of every API that are not declared otherwise."""
    # routes already declared, per API, indexed once (an API's body adds routes only to it)
    declared: dict = {}
    for rt in b.routes:
        declared.setdefault(rt.api, set()).add((rt.method, rt.path))
    for api in b.apis.values():
        body, bpath = b.body_of(api)
        if not isinstance(body, dict):
            continue
        _openapi(b, api, body, bpath, declared.get(api.lid, set()))


def _openapi(b, api: _Api, body: dict, bpath: tuple, existing: set) -> None:
    paths = body.get("paths")
    if not isinstance(paths, dict):
        return
    global_sec = body.get("security") if "security" in body else None
    for pth, item in paths.items():
        if not isinstance(pth, str):
            continue
        for it, _s in b.v.branches(item):
            if not isinstance(it, dict):
                continue
            for mname, op in it.items():
                if not isinstance(mname, str) or mname.lower() not in HTTP_METHODS:
                    continue
                method = "ANY" if mname.lower() in ("x-amazon-apigateway-any-method", "any") else mname.upper()
                if (method, pth) in existing:
                    continue
                for o, _s2 in b.v.branches(op):
                    if isinstance(o, dict):
                        _operation(b, api, bpath + ("paths", pth, mname), o, method, pth,
                                   global_sec, bpath)
                    break


def _operation(b, api: _Api, opath: tuple, op: dict, method: str, pth: str, global_sec,
               bpath: tuple) -> None:
    if "security" in op:
        sec = Security(op, op.get("security"), opath + ("security",), "the operation's security",
                       opath)
    elif global_sec is not None:
        sec = Security(op, global_sec, bpath + ("security",), "the document's global security", opath)
    else:
        sec = Security(op, None, opath, "", opath)
    d = effective_auth(b, api, api.lid, api.kind, method, "openapi", security=sec)
    reason = d.reason
    ignored = b.ignored_auth.get((api.lid, method, pth))
    if ignored and d.auth == NONE:
        reason += (f" (the Auth of event {ignored} is ignored: SAM does not change a written "
                   f"DefinitionBody unless the event sets OverrideApiAuth)")
    fn = b.function_of(get(op, "x-amazon-apigateway-integration", "uri"))
    if fn:
        b.edges.append((api.lid, fn, Edge.INVOKES, b.dp(api, opath)))
    elif op.get("x-amazon-apigateway-integration") is None:
        fn = b.event_functions.get((api.lid, method, pth))   # SAM writes the event's in
    b.routes.append(Route(
        api=api.lid, kind=api.kind, method=method, path=pth, auth=d.auth, authorizer=d.authorizer,
        decided_at=d.decided_at, api_key_required=d.api_key, function=fn, owner=api.owner,
        doc_path=b.dp(api, opath), restricted=api.restricted, reason=reason,
        source="openapi", authorizer_obj=d.obj,
        implicit_api=bool(api.resource is not None and api.resource.implicit)))

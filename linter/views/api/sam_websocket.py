"""WebSocket routes of ``AWS::Serverless::WebSocketApi`` (``Routes``, ``Auth.AuthType``), and the
inheritance of ``$connect``'s auth by every route of a WebSocket API (SAM or v2).
"""

from __future__ import annotations

from ...graph import Edge
from .model import AWS_IAM, LAMBDA, NONE, UNKNOWN, Route, _Api


def produce(b) -> None:
    for api in b.apis.values():
        if api.sam and api.kind == "WEBSOCKET":
            _routes_of(b, api)


def _routes_of(b, api: _Api) -> None:
    r = api.resource
    routes = r.prop("Routes")
    if not isinstance(routes, dict):
        return
    auth = r.prop("Auth")
    if not isinstance(auth, dict) or "AuthType" not in auth:
        at_u = NONE
    else:
        at, _s, _n = b.choose(auth.get("AuthType"))
        at_u = at.upper() if at else None
    for key, spec in routes.items():
        if not isinstance(key, str) or not isinstance(spec, dict):
            continue
        rel = ("Properties", "Routes", key)
        if key == "$connect":
            if at_u is None:
                a, reason = UNKNOWN, "Auth.AuthType could not be determined"
            elif at_u == NONE:
                a = NONE
                reason = ("Auth.AuthType is NONE" if isinstance(auth, dict)
                          else f"no Auth on {api.lid}: $connect is not authorized")
            elif at_u == "AWS_IAM":
                a, reason = AWS_IAM, "Auth.AuthType is AWS_IAM"
            else:
                a, reason = LAMBDA, "Auth.AuthType is CUSTOM"
            decided = r.doc_path(("Properties", "Auth", "AuthType")) if isinstance(auth, dict) else r.path
        else:
            a, reason, decided = NONE, "", r.path
        fn = b.function_of(spec.get("FunctionArn"))
        if fn:
            b.edges.append((api.lid, fn, Edge.INVOKES, r.doc_path(rel)))
        b.routes.append(Route(
            api=api.lid, kind="WEBSOCKET", method="WS",
            path=key, auth=a, authorizer=(api.lid + "ConnectAuthorizer") if a == LAMBDA else None,
            decided_at=decided, api_key_required=b.flag(spec.get("ApiKeyRequired")),
            function=fn, owner=api.owner, doc_path=r.doc_path(rel), restricted=api.restricted,
            reason=reason, source="websocket"))


def inherit_connect(b) -> None:
    """On a WebSocket API only ``$connect`` is authorized: every other route inherits what
    ``$connect`` decided (nothing, when the API has no ``$connect``)."""
    connect: dict[str, Route] = {}
    for r in b.routes:
        if r.kind == "WEBSOCKET" and r.path == "$connect":
            connect.setdefault(r.api, r)
    for r in b.routes:
        if r.kind != "WEBSOCKET" or r.path == "$connect":
            continue
        c = connect.get(r.api)
        if c is None:
            r.auth = NONE
            r.reason = "the WebSocket API has no $connect route, so connections are never authorized"
            r.authorizer = None
            r.no_connect = True
            continue
        r.auth, r.authorizer, r.decided_at = c.auth, c.authorizer, c.decided_at
        r.reason = f"inherited from $connect ({c.reason})"
        r.restricted = c.restricted

"""HTTP and WebSocket (v2) routes written as ``AWS::ApiGatewayV2::Route`` resources, and the
``$default`` route a quick-create ``Target`` on ``AWS::ApiGatewayV2::Api`` makes; their auth is
the route's ``AuthorizationType``.
"""

from __future__ import annotations

from ...graph import Edge
from .authorizers import authorizer_id
from .effective_auth import V2_AUTH_TYPES, authorization_type
from .model import JWT, LAMBDA, NONE, Route
from .reader import exists


def produce(b) -> None:
    """A route for every ``AWS::ApiGatewayV2::Route`` (HTTP and WebSocket) and for a quick-create
    ``Target`` on an HTTP ``AWS::ApiGatewayV2::Api``."""
    integ_fn: dict[str, str | None] = {}
    for i in b.t.of_type("AWS::ApiGatewayV2::Integration"):
        integ_fn[i.logical_id] = b.function_of(i.prop("IntegrationUri"))
    for r in b.t.of_type("AWS::ApiGatewayV2::Route"):
        api_id = b.api_id(r.prop("ApiId"))
        api = b.apis.get(api_id)
        kind = api.kind if api else "HTTP"
        rk = b.text(r.prop("RouteKey")) or "{?}"
        if kind == "HTTP" and rk.startswith("$") is False and " " not in rk and rk != "{?}":
            kind = "WEBSOCKET" if api is None else kind
        method, path = split_route_key(rk, kind)
        at_node = r.prop("AuthorizationType")
        at, scen, note = b.choose(at_node, default=NONE, within=exists(r))
        at_u = at.upper() if at else None
        at_path = r.path + ("Properties", "AuthorizationType")
        auth_id_node = r.prop("AuthorizerId")
        authorizer_obj, auth_id_text = authorizer_id(b, api, auth_id_node)
        auth, reason = authorization_type(at_u, at_u, at_node, note, V2_AUTH_TYPES)
        # a route a serverless.yml `websocket` event made: named by its function key, and
        # explained in the framework's words
        event = sls_event(b, r)
        if event is not None and auth == NONE:
            reason = "its `websocket` event sets no `authorizer`"
        fn = None
        for sv in b.v.strings(r.prop("Target")):
            for lid, _a in sv.refs:
                if lid in integ_fn:
                    fn = integ_fn[lid]
                    if fn:
                        b.edges.append((lid, fn, Edge.INVOKES, b.t.get(lid).path))
        b.routes.append(Route(
            api=api_id, kind=kind, method=method, path=path, auth=auth,
            authorizer=(authorizer_obj.name if authorizer_obj else auth_id_text) if auth in (JWT, LAMBDA) else None,
            decided_at=at_path if at_node is not None else r.path,
            api_key_required=b.flag(r.prop("ApiKeyRequired")),
            function=fn, owner=event or r.logical_id, doc_path=r.path,
            restricted=api.restricted if api else None, reason=reason, source="v2route",
            authorization_type=at_u if at_node is not None else None,
            authorization_type_path=at_path, authorizer_obj=authorizer_obj,
            authorizer_id_path=r.path + ("Properties", "AuthorizerId") if auth_id_node is not None else None,
            scenario=scen))
    # quick create: Target on the Api itself creates a `$default` route without auth
    for api in b.apis.values():
        r = api.resource
        if api.sam or r is None or api.kind != "HTTP" or r.prop("Target") is None:
            continue
        rk = b.text(r.prop("RouteKey")) or "$default"
        method, path = split_route_key(rk, "HTTP")
        b.routes.append(Route(
            api=api.lid, kind="HTTP", method=method, path=path, auth=NONE, authorizer=None,
            decided_at=r.path + ("Properties", "Target"), api_key_required=False,
            function=b.function_of(r.prop("Target")), owner=api.lid,
            doc_path=r.path + ("Properties", "Target"), restricted=api.restricted,
            reason="quick-create Target makes a route with no authorization",
            source="quick-create"))


def sls_event(b, r) -> str | None:
    """The function key of the serverless.yml event ``r`` was translated from, else None (a
    template, or a route written in the serverless.yml's ``resources``)."""
    if not b.t.from_serverless:
        return None
    wp = b.t.doc.source.written_path(r.path)
    if wp and len(wp) > 3 and wp[0] == "functions" and wp[2] == "events" and isinstance(wp[1], str):
        return wp[1]
    return None


def split_route_key(rk: str, kind: str) -> tuple[str, str]:
    if kind == "WEBSOCKET":
        return "WS", rk
    if rk == "$default":
        return "ANY", "$default"
    if " " in rk:
        m, _, p = rk.partition(" ")
        return m.upper(), p.strip()
    return "ANY", rk

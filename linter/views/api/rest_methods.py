"""REST (v1) routes written as ``AWS::ApiGateway::Method`` resources under an
``AWS::ApiGateway::Resource`` chain; their auth is the method's ``AuthorizationType``.
"""

from __future__ import annotations

from .authorizers import authorizer_id
from .effective_auth import REST_AUTH_TYPES, authorization_type
from .model import AWS_IAM, NONE, Route
from .reader import exists


def resource_path(b, node, seen=()) -> str:
    rid = None
    for n, _s in b.v.branches(node):
        if isinstance(n, dict) and "Fn::GetAtt" in n:
            ga = n["Fn::GetAtt"]
            attr = ga[1] if isinstance(ga, list) and len(ga) > 1 else (ga.split(".", 1)[1] if isinstance(ga, str) and "." in ga else "")
            if attr == "RootResourceId":
                return ""
        rid = b.ref_id(n)
        break
    r = b.t.get(rid) if rid else None
    if r is None or r.type != "AWS::ApiGateway::Resource" or rid in seen or len(seen) > 50:
        return "/{?}"
    part = b.text(r.prop("PathPart"))
    parent = resource_path(b, r.prop("ParentId"), seen + (rid,))
    return parent + "/" + (part if part is not None else "{?}")


def produce(b) -> None:
    """A route for every ``AWS::ApiGateway::Method``."""
    for m in b.t.of_type("AWS::ApiGateway::Method"):
        api_id = b.api_id(m.prop("RestApiId"))
        method = (b.text(m.prop("HttpMethod")) or "{?}").upper()
        path = resource_path(b, m.prop("ResourceId")) or "/"
        at_node = m.prop("AuthorizationType")
        at, scen, note = b.choose(at_node, default=NONE, within=exists(m))
        at_u = at.upper() if at else None
        at_path = m.path + ("Properties", "AuthorizationType")
        api = b.apis.get(api_id)
        auth_id_node = m.prop("AuthorizerId")
        authorizer_obj, auth_id_text = authorizer_id(b, api, auth_id_node)
        auth, reason = authorization_type(at_u, at, at_node, note, REST_AUTH_TYPES)
        key = b.flag(m.prop("ApiKeyRequired"))
        b.routes.append(Route(
            api=api_id, kind="REST", method=method, path=path or "/", auth=auth,
            authorizer=(authorizer_obj.name if authorizer_obj else auth_id_text) if auth not in (NONE, AWS_IAM) else None,
            decided_at=at_path if at_node is not None else m.path,
            api_key_required=key,
            function=b.function_of(m.prop("Integration", "Uri")),
            owner=m.logical_id, doc_path=m.path,
            restricted=api.restricted if api else None, reason=reason, source="method",
            authorization_type=at_u if at_node is not None else None,
            authorization_type_path=at_path, authorizer_obj=authorizer_obj,
            authorizer_id_path=m.path + ("Properties", "AuthorizerId") if auth_id_node is not None else None,
            scenario=scen))

"""Routes SAM makes from function events: ``Api`` (REST) and ``HttpApi`` (HTTP), on an explicit
``AWS::Serverless::Api`` / ``HttpApi`` or the implicit ``ServerlessRestApi`` /
``ServerlessHttpApi``.

Follows the SAM translator (``model/eventsources/push.py``, ``model/api/api_generator.py``,
``http_api_generator.py``): an event on a user-written ``DefinitionBody`` adds no route, and its
``Auth`` is ignored unless it sets ``OverrideApiAuth``.
"""

from __future__ import annotations

from ...graph import Edge
from .effective_auth import EventAuth, effective_auth, sam_lookup
from .model import UNKNOWN, AuthorizerRef, Route, _Api
from .openapi_doc import body_ops
from .resource_policy import sam_policy_restriction
from .reader import exists


def _api_for(b, ev) -> tuple[str, _Api | None]:
    key = "RestApiId" if ev.type == "Api" else "ApiId"
    if key in ev.properties:
        aid = b.api_id(ev.properties[key])
    else:
        aid = "ServerlessRestApi" if ev.type == "Api" else "ServerlessHttpApi"
    return aid, b.apis.get(aid)


def produce(b) -> None:
    """A route for every ``Api`` / ``HttpApi`` event of a SAM function (``Api`` of a state machine)."""
    for fn in b.t.of_type("AWS::Serverless::Function", "AWS::Serverless::StateMachine"):
        for ev in b.t.events(fn):
            if ev.type not in ("Api", "HttpApi"):
                continue
            if ev.type == "HttpApi" and fn.type != "AWS::Serverless::Function":
                continue
            aid, api = _api_for(b, ev)
            _event_route(b, fn, ev, aid, api)


def _event_route(b, fn, ev, aid: str, api: _Api | None) -> None:
    kind = "REST" if ev.type == "Api" else "HTTP"
    p = ev.properties
    evp = ev.doc_path
    if kind == "REST":
        method = (b.text(p.get("Method")) or "{?}").upper()
        path = b.text(p.get("Path")) or "{?}"
    else:
        if "Path" not in p and "Method" not in p:
            method, path = "ANY", "$default"
        else:
            method = (b.text(p.get("Method")) or "ANY").upper()
            path = b.text(p.get("Path")) or "$default"
    if method == "X-AMAZON-APIGATEWAY-ANY-METHOD":
        method = "ANY"
    ev_auth = p.get("Auth") if isinstance(p.get("Auth"), dict) else {}
    ev_auth_path = evp + ("Properties", "Auth")
    r = api.resource if api else None
    if api is not None and not api.sam:
        # an event on a plain AWS::ApiGateway::RestApi / ApiGatewayV2::Api only gets a Lambda
        # permission from SAM: the route is whatever Method / Route resource declares it
        b.invoke(aid, fn, evp)
        return
    if kind == "HTTP" and r is not None and not r.implicit and b.user_definition(api):
        # SAM's HTTP API: an event whose route the user's definition already has keeps that
        # operation's security when the API sets no Auth (http_api_generator leaves it); a
        # definition slint cannot see (S3) makes the route unknown, as for REST
        body, _bp = b.body_of(api)
        if body is None:
            b.routes.append(Route(
                api=aid, kind=kind, method=method, path=path, auth=UNKNOWN, authorizer=None,
                decided_at=evp, api_key_required=False, function=fn.logical_id,
                owner=fn.logical_id, doc_path=evp, restricted=api.restricted,
                reason=f"the routes of {aid} are written in a definition slint cannot see",
                source="sam-event"))
            b.invoke(aid, fn, evp)
            return
        if (method, path) in body_ops(body, written_only=True) and r.prop("Auth") is None:
            # the operation keeps its security; SAM writes the event's integration into it
            # when it has none (http_api_generator; a written integration stays)
            b.event_functions.setdefault((aid, method, path), fn.logical_id)
            b.invoke(aid, fn, evp)
            return
    if kind == "REST" and r is not None and not r.implicit and b.user_definition(api) \
            and not b.flag(r.prop("MergeDefinitions")):
        # SAM leaves a user-written definition alone: the event adds no route and its Auth is
        # ignored unless it sets OverrideApiAuth (push.py, __MANAGE_SWAGGER)
        body, _bp = b.body_of(api)
        if body is None:
            b.routes.append(Route(
                api=aid, kind=kind, method=method, path=path, auth=UNKNOWN, authorizer=None,
                decided_at=evp, api_key_required=False,
                function=fn.logical_id if fn.type == "AWS::Serverless::Function" else None,
                owner=fn.logical_id, doc_path=evp, restricted=api.restricted,
                reason=f"the routes of {aid} are written in a definition slint cannot see",
                source="sam-event"))
            b.invoke(aid, fn, evp)
            return
        if (method, path) not in body_ops(body):
            return
        if not b.flag(ev_auth.get("OverrideApiAuth")):
            b.invoke(aid, fn, evp)
            if ev_auth:
                b.ignored_auth[(aid, method, path)] = f"{fn.logical_id}.Events.{ev.name}"
            return
    if kind == "REST" and r is not None and not r.implicit and b.flag(r.prop("MergeDefinitions")):
        body, _bp = b.body_of(api)
        if isinstance(body, dict) and not body.get("paths"):
            # SAM merges the event's operation into `paths or {}`, a new mapping it never puts
            # back when the definition has no (or empty) paths: the route is not deployed
            # (push.py _get_merged_definitions; translator test api_merge_definitions_with_any_method)
            b.invoke(aid, fn, evp)
            return
    d = effective_auth(b, api, aid, kind, method, "sam-event",
                       event=EventAuth(ev_auth, ev_auth_path, evp, exists(fn)))
    if d.ref is not None:
        b.refs.append(AuthorizerRef(aid, d.ref, d.decided_at, fn.logical_id, "Auth.Authorizer",
                                    sam_lookup(b, api, d.ref, kind), kind))
    restricted = api.restricted if api else None
    if kind == "REST" and not restricted:
        restricted = sam_policy_restriction(b, ev_auth.get("ResourcePolicy"))
    fname = fn.logical_id
    target = fname if fn.type == "AWS::Serverless::Function" else None
    if target:
        b.edges.append((aid, fname, Edge.INVOKES, evp))
    b.routes.append(Route(
        api=aid, kind=kind, method=method, path=path, auth=d.auth, authorizer=d.authorizer,
        decided_at=d.decided_at, api_key_required=d.api_key, function=target, owner=fname,
        doc_path=evp, restricted=restricted, reason=d.reason, source="sam-event",
        authorizer_obj=d.obj, scenario=d.scenario, implicit_api=bool(api and api.resource is not None and api.resource.implicit)))


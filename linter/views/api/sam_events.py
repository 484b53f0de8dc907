"""Routes SAM makes from function events: ``Api`` (REST) and ``HttpApi`` (HTTP), on an explicit
``AWS::Serverless::Api`` / ``HttpApi`` or the implicit ``ServerlessRestApi`` /
``ServerlessHttpApi``.

Follows the SAM translator (``model/eventsources/push.py``, ``model/api/api_generator.py``,
``http_api_generator.py``): an event on a user-written ``DefinitionBody`` adds no route, and its
``Auth`` is ignored unless it sets ``OverrideApiAuth``.
"""

from __future__ import annotations

from ...graph import Edge
from ...model.values import EMPTY
from .effective_auth import named, sam_lookup
from .model import NONE, UNKNOWN, AuthorizerRef, Route, _Api
from .openapi_doc import body_ops
from .resource_policy import sam_policy_restriction


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
    api_auth = r.prop("Auth") if r is not None else None
    api_auth = api_auth if isinstance(api_auth, dict) else {}
    api_name = aid
    auth, authz, decided, reason, scen, obj = NONE, None, evp, "", EMPTY, None
    name, s1, note1 = b.choose(ev_auth.get("Authorizer")) if "Authorizer" in ev_auth else (None, EMPTY, "")
    default, s2, note2 = b.choose(api_auth.get("DefaultAuthorizer"), default=NONE) if "DefaultAuthorizer" in api_auth else (None, EMPTY, "")
    default_path = r.doc_path(("Properties", "Auth", "DefaultAuthorizer")) if r is not None else evp
    if "Authorizer" in ev_auth:
        decided = ev_auth_path + ("Authorizer",)
        if name is None:
            auth, reason, scen = UNKNOWN, f"event Auth.Authorizer could not be determined{note1}", s1
        elif name.upper() == NONE:
            auth, scen = NONE, s1
            reason = (f"event Auth.Authorizer is NONE{note1}, overriding DefaultAuthorizer "
                      f"{default or '(none)'} on {api_name}")
        else:
            b.refs.append(AuthorizerRef(aid, name, decided, fn.logical_id, "Auth.Authorizer",
                                            sam_lookup(b, api, name, kind), kind))
            auth, authz, obj, reason, scen = named(b, api, name, kind, "event Auth.Authorizer")
    elif (default is not None or "DefaultAuthorizer" in api_auth) and method == "OPTIONS" and (
            kind == "HTTP" or ("AddDefaultAuthorizerToCorsPreflight" in api_auth and not b.flag(
                api_auth.get("AddDefaultAuthorizerToCorsPreflight")))):
        decided = evp
        reason = (f"the DefaultAuthorizer of {api_name} is not applied to OPTIONS"
                  + (" (AddDefaultAuthorizerToCorsPreflight is false)" if kind == "REST" else ""))
    elif default is not None or "DefaultAuthorizer" in api_auth:
        decided = default_path
        if default is None:
            auth, reason, scen = UNKNOWN, f"DefaultAuthorizer of {api_name} could not be determined{note2}", s2
        elif default.upper() == NONE:
            auth, reason, scen = NONE, f"DefaultAuthorizer of {api_name} is NONE{note2}", s2
        else:
            auth, authz, obj, reason, scen = named(b, api, default, kind, f"DefaultAuthorizer of {api_name}")
    else:
        decided = evp
        if api is None:
            auth = UNKNOWN
            reason = f"the API {api_name} is not defined in this template"
        else:
            reason = (f"no DefaultAuthorizer on {api_name} ({api_auth_where(b, api, kind)}) "
                      f"and the event sets no Auth.Authorizer")
    # API key (REST only): event Auth.ApiKeyRequired overrides the API's
    key = False
    if kind == "REST":
        if "ApiKeyRequired" in ev_auth:
            key = b.flag(ev_auth.get("ApiKeyRequired"))
        else:
            key = b.flag(api_auth.get("ApiKeyRequired"))
    restricted = api.restricted if api else None
    if kind == "REST" and not restricted:
        restricted = sam_policy_restriction(b, ev_auth.get("ResourcePolicy"))
    fname = fn.logical_id
    target = fname if fn.type == "AWS::Serverless::Function" else None
    if target:
        b.edges.append((aid, fname, Edge.INVOKES, evp))
    b.routes.append(Route(
        api=aid, kind=kind, method=method, path=path, auth=auth, authorizer=authz,
        decided_at=decided, api_key_required=key, function=target, owner=fname, doc_path=evp,
        restricted=restricted, reason=reason, source="sam-event", authorizer_obj=obj,
        scenario=scen, implicit_api=bool(api and api.resource is not None and api.resource.implicit)))


def api_auth_where(b, api: _Api | None, kind: str) -> str:
    if api is None or api.resource is None:
        return "not in this template"
    r = api.resource
    section = "Api" if kind == "REST" else "HttpApi"
    g = b.t.globals.get(section)
    g_auth = isinstance(g, dict) and isinstance(g.get("Auth"), dict)
    if r.implicit:
        return f"Globals.{section}.Auth " + ("has none" if g_auth else "not set")
    props = r.raw.get("Properties")
    if isinstance(props, dict) and props.get("Auth"):
        return "its Auth has none"
    return f"no Auth on {api.lid}" + (", Globals." + section + ".Auth has none" if g_auth else "")

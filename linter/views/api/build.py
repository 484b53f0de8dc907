"""The state the producers share while the route table is built, and the order they run in.

Each API kind has its own producer module (``rest_methods``, ``v2_routes``, ``sam_events``,
``sam_websocket``, ``openapi``, ``function_urls``, ``cors``); authorizers and API-level
restrictions are collected first (``authorizers``, ``restrictions``), and every producer asks
``effective_auth`` what protects a route. A new API kind is a new module called from ``build``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...graph import Edge
from ..owner import owner_of
from . import (authorizers, cors, function_urls, openapi, rest_methods, restrictions, sam_events,
               sam_websocket, v2_routes)
from .model import Authorizer, AuthorizerRef, Route, _Api
from .pools import resolve_pool
from .reader import Reader, exists

if TYPE_CHECKING:  # pragma: no cover
    from ...graph import ResourceGraph
    from ...model.template import Template
    from ...model.values import Evaluator


class Build(Reader):
    """Routes, authorizers and notes of one template, filled by the producers."""

    def __init__(self, template: "Template", values: "Evaluator", graph: "ResourceGraph"):
        super().__init__(template, values)
        self.graph = graph
        self.routes: list[Route] = []
        self.authorizers: list[Authorizer] = []
        self.by_lid: dict[str, Authorizer] = {}   # Authorizer resources by logical id, first wins
        self.refs: list[AuthorizerRef] = []
        self.notes: list[tuple[str, str]] = []   # (api, what could not be seen)
        self.apis: dict[str, _Api] = {}
        self.edges: list[tuple] = []
        self.ignored_auth: dict = {}   # (api, method, path) -> event whose Auth SAM ignores
        # (api, method, path) -> the SAM function whose HttpApi event SAM writes into an
        # operation of the user's definition that has no integration yet
        self.event_functions: dict = {}
        self.bodies: dict[str, tuple] = {}   # api -> body_of, read once
        self.api_auth: dict = {}   # api -> effective_auth.ApiAuth, read once

    def run(self) -> "Build":
        t = self.t
        for r in t.of_type("AWS::ApiGateway::RestApi"):
            self.add_api(r.logical_id, "REST", r, r.logical_id)
        for r in t.of_type("AWS::ApiGatewayV2::Api"):
            pt = self.text(r.prop("ProtocolType"))
            self.add_api(r.logical_id, "WEBSOCKET" if pt == "WEBSOCKET" else "HTTP", r, r.logical_id)
        for r in t.of_type("AWS::Serverless::Api"):
            self.add_api(r.logical_id, "REST", r, owner_of(r), sam=True)
        for r in t.of_type("AWS::Serverless::HttpApi"):
            self.add_api(r.logical_id, "HTTP", r, owner_of(r), sam=True)
        for r in t.of_type("AWS::Serverless::WebSocketApi"):
            self.add_api(r.logical_id, "WEBSOCKET", r, r.logical_id, sam=True)

        authorizers.cfn_authorizers(self)
        authorizers.sam_authorizers(self)
        mtls = restrictions.MtlsIndex(self)   # domains and mappings read once, not per API
        for api in list(self.apis.values()):
            authorizers.openapi_authorizers(self, api)
            api.restricted = restrictions.api_restriction(self, api, mtls)

        rest_methods.produce(self)
        v2_routes.produce(self)
        sam_events.produce(self)
        sam_websocket.produce(self)
        openapi.produce(self)
        function_urls.produce(self)
        cors.produce(self)
        sam_websocket.inherit_connect(self)
        self.route_denials()
        kept = []
        for r in self.routes:
            owner = self.t.get(r.owner)
            if owner is not None and owner.condition and not owner.implicit:
                scen = self.v.join(r.scenario, exists(owner))
                if scen is None:
                    continue   # the owner's condition never holds with it: no such route
                r.scenario = scen
            kept.append(r)
        self.routes = kept
        self.routes.sort(key=lambda r: (r.api, r.path, r.method, r.owner, [str(p) for p in r.doc_path]))
        self.authorizers.sort(key=lambda a: (a.api or "", a.name, [str(p) for p in a.doc_path]))
        self.refs.sort(key=lambda a: (a.api, [str(p) for p in a.path]))
        self.add_edges()
        return self

    def route_denials(self) -> None:
        """A REST route no API-wide restriction covers may still be denied to callers outside
        an allowed principal, network or account by a resource-policy Deny that names it."""
        from ...policy import route_denied
        from .resource_policy import policy_denials
        denials: dict = {}
        for r in self.routes:
            api = self.apis.get(r.api)
            if r.restricted or api is None or api.kind != "REST":
                continue
            if r.api not in denials:
                denials[r.api] = policy_denials(self, api)
            if denials[r.api]:
                r.restricted = route_denied(denials[r.api], r.method, r.path)

    def add_api(self, lid, kind, res, owner, sam=False):
        self.apis[lid] = _Api(lid, kind, res, owner, sam)

    def resolve_pool(self, node: Any):
        return resolve_pool(self, node)

    def add_authorizer(self, a: Authorizer) -> None:
        self.authorizers.append(a)
        if a.logical_id:
            self.by_lid.setdefault(a.logical_id, a)
        api = self.apis.get(a.api) if a.api else None
        if api is not None:
            api.authorizers.setdefault(a.name, a)
            if a.logical_id:
                api.authorizers.setdefault(a.logical_id, a)
        if a.api and a.api in self.t.resources:
            src = a.logical_id or a.function
            if a.kind == "COGNITO_USER_POOLS" and not a.logical_id:
                pools = [p.pool for n, _p in (a.providers or []) for p in self.resolve_pool(n)
                         if p.status == "pool"]
                src = pools[0] if pools else None
            if src and src in self.t.resources:
                self.edges.append((src, a.api, Edge.AUTHORIZES, a.doc_path))

    def note(self, api: str, text: str) -> None:
        if (api, text) not in self.notes:
            self.notes.append((api, text))

    def dp(self, api: _Api, p: tuple) -> tuple:
        """Doc path of a path relative to the API resource's (merged) properties."""
        r = api.resource
        if r is None:
            return p
        return r.doc_path(p)

    def body_of(self, api: _Api) -> tuple[Any, tuple]:
        """(inline OpenAPI body, path relative to the resource) or (None, ())."""
        got = self.bodies.get(api.lid)
        if got is None:
            got = self.bodies[api.lid] = self.read_body(api)
        return got

    def read_body(self, api: _Api) -> tuple[Any, tuple]:
        r = api.resource
        if r is None:
            return None, ()
        key = "DefinitionBody" if api.sam else "Body"
        body = r.prop(key)
        if body is None:
            uri = "DefinitionUri" if api.sam else "BodyS3Location"
            if r.prop(uri) is not None and not r.implicit:
                self.note(api.lid, f"{uri}: routes written outside the template are not visible")
            return None, ()
        for b, _s in self.v.branches(body):
            if isinstance(b, dict) and ("paths" in b or "openapi" in b or "swagger" in b):
                return b, ("Properties", key)
            if isinstance(b, dict) and len(b) == 1 and next(iter(b)) == "Fn::Transform":
                self.note(api.lid, f"{key} is included with Fn::Transform: its routes are not visible")
            break
        return None, ()

    def invoke(self, api_id: str, fn, path: tuple) -> None:
        if fn.type == "AWS::Serverless::Function":
            self.edges.append((api_id, fn.logical_id, Edge.INVOKES, path))

    def user_definition(self, api: _Api) -> bool:
        r = api.resource
        return r is not None and (r.prop("DefinitionBody") is not None or r.prop("DefinitionUri") is not None)

    # ------------------------------------------------------------ graph
    def add_edges(self) -> None:
        """The graph is built before any view and is immutable: read which of the edges this
        route table found are not in it yet (route -> API / authorizer / function edges are
        built with the route table in phase 2); ``unbuilt_edges`` lists them."""
        g = self.graph
        found = list(self.edges)
        found.extend((rt.owner, rt.function, Edge.INVOKES, rt.doc_path) for rt in self.routes
                     if rt.source == "method" and rt.function)
        seen = set()
        self.unbuilt_edges: list[tuple] = []
        for src, dst, kind, path in found:
            k = (src, dst, kind)
            if k in seen or src not in g.g or dst not in g.g or src == dst:
                continue
            seen.add(k)
            if not any(d == dst for d, _ in g.out_edges(src, kind)):
                self.unbuilt_edges.append((src, dst, kind, tuple(path)))

"""API route table: every route a template exposes, with its effective authorization and where
that was decided.

Covered shapes:

- REST (v1): ``AWS::ApiGateway::Method`` under ``AWS::ApiGateway::Resource`` chains, and routes
  written in an inline OpenAPI/Swagger ``Body`` of ``AWS::ApiGateway::RestApi``;
- HTTP and WebSocket (v2): ``AWS::ApiGatewayV2::Route``, quick-create ``Target`` on
  ``AWS::ApiGatewayV2::Api``, inline OpenAPI ``Body``; on a WebSocket API only ``$connect`` can be
  authorized, every other route inherits what ``$connect`` decided;
- SAM: ``AWS::Serverless::Api`` / ``HttpApi`` / ``WebSocketApi`` (explicit and the implicit
  ``ServerlessRestApi`` / ``ServerlessHttpApi``), function events ``Api`` / ``HttpApi`` with
  per-event ``Auth``, ``DefaultAuthorizer`` (``NONE`` on an event overrides it), ``Globals``,
  ``DefinitionBody``, ``AddDefaultAuthorizerToCorsPreflight``, ``ApiKeyRequired``,
  ``ResourcePolicy``, ``EnableIamAuthorizer``;
- Lambda function URLs: ``AWS::Lambda::Url`` and SAM ``FunctionUrlConfig``.

The semantics follow the SAM translator (``model/api/api_generator.py``,
``http_api_generator.py``, ``swagger/swagger.py``, ``open_api/open_api.py``,
``model/eventsources/push.py``), which the tests use as an oracle; it is never imported here.

Values are evaluated symbolically: an authorization written with ``!If`` or a parameter yields
the least protected alternative (with its scenario), and a value that cannot be known becomes
``UNKNOWN``, never an accidental pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..graph import Edge
from ..model.values import EMPTY, SValue

# effective auth values
NONE = "NONE"
AWS_IAM = "AWS_IAM"
COGNITO = "COGNITO"
JWT = "JWT"
LAMBDA = "LAMBDA"
UNKNOWN = "UNKNOWN"

LAMBDA_TYPES = ("AWS::Lambda::Function", "AWS::Serverless::Function", "AWS::Lambda::Alias",
                "AWS::Lambda::Version")
POOL_TYPE = "AWS::Cognito::UserPool"
CLIENT_TYPE = "AWS::Cognito::UserPoolClient"

HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace",
                "x-amazon-apigateway-any-method", "any"}
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE", "ANY"}

_POOL_ARN = re.compile(r"^arn:[^:]+:cognito-idp:[^:]+:[^:]+:userpool/.+$")
_ISSUER = re.compile(r"^https://cognito-idp\.([^/]+)\.amazonaws\.com/([^/]+)$")

_FN_NAME = re.compile(r":function:((?:\{[^}]*\}|[^/:{])+)")
_OPAQUE_TYPES = {"AWS::CloudFormation::Stack", "AWS::Serverless::Application",
                 "AWS::CloudFormation::CustomResource", "AWS::SSM::Parameter"}

# AuthorizationType values that authenticate, per resource type
_REST_AUTH_TYPES = {"AWS_IAM": AWS_IAM, "COGNITO_USER_POOLS": COGNITO, "CUSTOM": LAMBDA}
_V2_AUTH_TYPES = {"AWS_IAM": AWS_IAM, "JWT": JWT, "CUSTOM": LAMBDA}

# SAM ResourcePolicy keys that restrict who may call (allow lists)
_SAM_POLICY_RESTRICT = {
    "AwsAccountWhitelist": "AWS accounts",
    "IpRangeWhitelist": "source IP ranges",
    "SourceVpcWhitelist": "source VPCs/VPC endpoints",
    "IntrinsicVpcWhitelist": "source VPCs",
    "IntrinsicVpceWhitelist": "VPC endpoints",
}
_NETWORK_KEYS = {"aws:sourcevpc": "source VPC", "aws:sourcevpce": "VPC endpoint",
                 "aws:sourceip": "source IP", "aws:vpcsourceip": "VPC source IP",
                 "aws:sourcearn": "source ARN", "aws:principalorgid": "AWS organization",
                 "aws:principalaccount": "AWS account", "aws:sourceaccount": "AWS account"}


@dataclass
class Authorizer:
    """An authorizer an API can use, whatever wrote it."""
    api: str | None            # logical id of the API (None when the API is not in the template)
    name: str                  # SAM / OpenAPI name, or the logical id of an Authorizer resource
    kind: str                  # COGNITO_USER_POOLS | JWT | TOKEN | REQUEST | AWS_IAM | UNKNOWN
    owner: str                 # logical id as written
    doc_path: tuple            # where it is defined
    source: str                # resource | sam | openapi
    logical_id: str | None = None       # AWS::ApiGateway(V2)::Authorizer resource
    providers: list | None = None       # COGNITO: [(node, doc path)]; None when not written
    providers_path: tuple = ()          # where ProviderARNs / UserPoolArn is (or would be)
    issuer: tuple | None = None         # JWT: (node, doc path)
    audience: list | None = None        # JWT: [(node, doc path)]
    jwt_path: tuple = ()
    function: str | None = None         # Lambda authorizer function, when known
    sam_api_type: str | None = None     # REST | HTTP for SAM-defined ones

    @property
    def auth(self) -> str:
        return {"COGNITO_USER_POOLS": COGNITO, "JWT": JWT, "TOKEN": LAMBDA, "REQUEST": LAMBDA,
                "AWS_IAM": AWS_IAM}.get(self.kind, UNKNOWN)


@dataclass
class AuthorizerRef:
    """A place that names an authorizer: SAM ``DefaultAuthorizer`` / event ``Auth.Authorizer``."""
    api: str
    name: str
    path: tuple
    owner: str
    what: str                  # "DefaultAuthorizer" | "Auth.Authorizer"
    target: Authorizer | None  # None: not defined
    api_kind: str              # REST | HTTP


@dataclass
class Route:
    api: str                   # logical id of the API (may be implicit), or the function URL's
    kind: str                  # REST | HTTP | WEBSOCKET | FUNCTION_URL
    method: str
    path: str
    auth: str                  # NONE | AWS_IAM | COGNITO | JWT | LAMBDA | UNKNOWN
    authorizer: str | None
    decided_at: tuple
    api_key_required: bool
    function: str | None
    owner: str
    doc_path: tuple
    restricted: str | None
    reason: str = ""           # a sentence: how the effective auth was decided
    source: str = ""           # method | v2route | openapi | sam-event | websocket | function-url | quick-create
    authorization_type: str | None = None   # as written on a Method / Route
    authorization_type_path: tuple = ()
    authorizer_obj: Authorizer | None = None
    authorizer_id_path: tuple | None = None  # where AuthorizerId is written, when it is
    scenario: frozenset = EMPTY
    implicit_api: bool = False
    no_connect: bool = False   # a WebSocket route of an API without `$connect`: nothing authorizes

    @property
    def open(self) -> bool:
        return self.auth == NONE and not self.restricted

    @property
    def undetermined(self) -> bool:
        """The auth depends on a value slint cannot know (a parameter without default, ...)."""
        return self.auth == UNKNOWN and "could not be determined" in self.reason

    @property
    def is_preflight(self) -> bool:
        return self.method == "OPTIONS"

    @property
    def is_write(self) -> bool:
        return self.method in WRITE_METHODS or self.kind == "WEBSOCKET"

    @property
    def label(self) -> str:
        """`GET /pets`, `$connect` (WebSocket), `ANY /` (function URL)."""
        return self.path if self.kind == "WEBSOCKET" else f"{self.method} {self.path}"

    def to_dict(self) -> dict:
        return {"api": self.api, "kind": self.kind, "method": self.method, "path": self.path,
                "auth": self.auth, "authorizer": self.authorizer,
                "decided_at": list(self.decided_at), "reason": self.reason,
                "api_key_required": self.api_key_required, "function": self.function,
                "owner": self.owner, "declared_at": list(self.doc_path),
                "restricted": self.restricted, "open": self.open}


@dataclass
class PoolRef:
    """What a user-pool reference resolves to."""
    status: str        # pool | param | import | external | unknown | not_pool | undefined | malformed
    pool: str | None = None
    text: str = ""


@dataclass
class _Api:
    lid: str
    kind: str                   # REST | HTTP | WEBSOCKET
    resource: Any               # model Resource or None
    owner: str
    sam: bool = False
    authorizers: dict = field(default_factory=dict)   # name -> Authorizer
    restricted: str | None = None


class RouteView:
    def __init__(self, ctx):
        self.ctx = ctx
        self.t = ctx.template
        self.v = ctx.values
        self._routes: list[Route] = []
        self._authorizers: list[Authorizer] = []
        self._by_lid: dict[str, Authorizer] = {}   # Authorizer resources by logical id, first wins
        self._refs: list[AuthorizerRef] = []
        self.notes: list[tuple[str, str]] = []   # (api, what could not be seen)
        self._apis: dict[str, _Api] = {}
        self._edges: list[tuple] = []
        self._ignored_auth: dict = {}   # (api, method, path) -> event whose Auth SAM ignores
        self._fn_names: dict | None = None   # FunctionName text -> function, built on first use
        self._bodies: dict[str, tuple] = {}   # api -> _body_of, read once
        self._build()

    # ------------------------------------------------------------ public
    def routes(self) -> list[Route]:
        return list(self._routes)

    def open_routes(self) -> list[Route]:
        return [r for r in self._routes if r.open]

    def authorizers(self) -> list[Authorizer]:
        return list(self._authorizers)

    def authorizer_refs(self) -> list[AuthorizerRef]:
        return list(self._refs)

    def resolve_pool(self, node: Any) -> list[PoolRef]:
        """Every alternative of a user-pool ARN value, resolved."""
        out = []
        for sv in self.v.strings(node):
            out.append(self._pool_of(sv, arn=True))
        return out

    def resolve_issuer(self, node: Any) -> list[PoolRef]:
        out = []
        for sv in self.v.strings(node):
            out.append(self._issuer_pool(sv))
        return out

    def client_pool(self, node: Any) -> list[tuple[str, PoolRef | None]]:
        """For an audience value: (client logical id or status, the pool that client belongs to)."""
        out = []
        for sv in self.v.strings(node):
            ref = sv.single_ref()
            if self._opaque(sv):
                out.append(("unknown", None))
            elif ref and ref[1] is None:
                r = self.t.get(ref[0])
                if r is None:
                    out.append(("undefined:" + ref[0], None))
                elif r.type == POOL_TYPE:
                    out.append(("pool_id:" + ref[0], None))
                elif r.type != CLIENT_TYPE:
                    out.append(("not_client:" + ref[0], None))
                else:
                    pools = [self._pool_of(p, arn=False) for p in self.v.strings(r.prop("UserPoolId"))]
                    out.append((ref[0], pools[0] if pools else None))
            elif sv.refs:
                rid = sv.refs[0][0]
                r = self.t.get(rid)
                if r is not None and r.type == POOL_TYPE:
                    out.append(("pool_id:" + rid, None))
                else:
                    out.append(("unknown", None))
            else:
                out.append(("unknown" if not sv.known else "literal", None))
        return out

    # ------------------------------------------------------------ building
    def _build(self) -> None:
        t = self.t
        for r in t.of_type("AWS::ApiGateway::RestApi"):
            self._api(r.logical_id, "REST", r, r.logical_id)
        for r in t.of_type("AWS::ApiGatewayV2::Api"):
            pt = self._text(r.prop("ProtocolType"))
            self._api(r.logical_id, "WEBSOCKET" if pt == "WEBSOCKET" else "HTTP", r, r.logical_id)
        for r in t.of_type("AWS::Serverless::Api"):
            self._api(r.logical_id, "REST", r, self.ctx.owner_of(r), sam=True)
        for r in t.of_type("AWS::Serverless::HttpApi"):
            self._api(r.logical_id, "HTTP", r, self.ctx.owner_of(r), sam=True)
        for r in t.of_type("AWS::Serverless::WebSocketApi"):
            self._api(r.logical_id, "WEBSOCKET", r, r.logical_id, sam=True)

        self._cfn_authorizers()
        self._sam_authorizers()
        for api in list(self._apis.values()):
            self._openapi_authorizers(api)
            api.restricted = self._api_restriction(api)

        self._rest_methods()
        self._v2_routes()
        self._sam_routes()
        self._body_routes()
        self._function_urls()
        self._cors_preflights()
        self._websocket_inherit()
        kept = []
        for r in self._routes:
            owner = self.t.get(r.owner)
            if owner is not None and owner.condition and not owner.implicit:
                scen = self.v.join(r.scenario, _exists(owner))
                if scen is None:
                    continue   # the owner's condition never holds with it: no such route
                r.scenario = scen
            kept.append(r)
        self._routes = kept
        self._routes.sort(key=lambda r: (r.api, r.path, r.method, r.owner, [str(p) for p in r.doc_path]))
        self._authorizers.sort(key=lambda a: (a.api or "", a.name, [str(p) for p in a.doc_path]))
        self._refs.sort(key=lambda a: (a.api, [str(p) for p in a.path]))
        self._add_edges()

    def _api(self, lid, kind, res, owner, sam=False):
        self._apis[lid] = _Api(lid, kind, res, owner, sam)

    # ------------------------------------------------------------ value helpers
    def _text(self, node) -> str | None:
        """The single known text of ``node`` (upper-case insensitive users compare it)."""
        vals = self.v.strings(node)
        if len(vals) == 1 and vals[0].known:
            return vals[0].text
        return None

    def _choose(self, node, default: str | None = None,
                within: frozenset = EMPTY) -> tuple[str | None, frozenset, str]:
        """The least protected alternative of an auth-like value: (value, scenario, note).
        ``NONE`` wins when any alternative is ``NONE``; unknown gives (None, ..). ``within``:
        the scenario the resource exists in (its `Condition`): alternatives impossible
        together with it are not considered."""
        if node is None:
            return default, EMPTY, ""
        branches = list(self.v.branches(node))
        if not branches:  # only AWS::NoValue
            return default, EMPTY, ""
        vals: list[SValue] = []
        for b, s in branches:
            vals.extend(self.v.strings(b, s))
        if default is not None:
            # an `!If` branch that is AWS::NoValue leaves the property unset: the default holds
            for scen in _novalue_scenarios(node, join=self.v.join):
                vals.append(SValue(default, scenario=scen))
        if within:
            vals = [v for v in vals if self.v.compatible(v.scenario, within)]
        known = [v for v in vals if v.known]
        unknown = [v for v in vals if not v.known]
        note = ""
        for v in known:
            if v.text.upper() == NONE:
                if v.from_param:
                    note = f" (parameter {', '.join(v.from_param)})"
                return NONE, v.scenario, note
        if unknown:
            u = unknown[0]
            if u.params and u.from_param:   # allowed values past what the evaluator enumerates
                return None, u.scenario, f" (parameter {', '.join(u.params)} has too many allowed values)"
            if u.params:
                return None, u.scenario, f" (parameter {', '.join(u.params)} has no default or allowed values)"
            return None, u.scenario, f" ({u.text} is not known)"
        if known:
            v = known[0]
            if v.from_param and len(known) > 1:
                note = f" (parameter {', '.join(v.from_param)})"
            return v.text, v.scenario, note
        return default, EMPTY, ""

    def _bool(self, node) -> bool:
        if node is None:
            return False
        for b, _s in self.v.branches(node):
            for sv in self.v.strings(b):
                if sv.known and sv.text.lower() == "true":
                    return True
        return False

    def _ref_id(self, node) -> str | None:
        """Logical id of a resource named by ``!Ref X`` / ``!GetAtt X.attr`` (single value)."""
        for b, _s in self.v.branches(node):
            if isinstance(b, dict) and len(b) == 1:
                if isinstance(b.get("Ref"), str):
                    return b["Ref"]
                ga = b.get("Fn::GetAtt")
                if isinstance(ga, list) and ga and isinstance(ga[0], str):
                    return ga[0]
                if isinstance(ga, str):
                    return ga.split(".", 1)[0]
            vals = self.v.strings(b)
            if len(vals) == 1 and vals[0].refs:
                return vals[0].refs[0][0]
            break
        return None

    def _api_id(self, node) -> str:
        rid = self._ref_id(node)
        if rid:
            return rid
        vals = self.v.strings(node)
        return vals[0].text if vals else "{?}"

    def _function_of(self, node) -> str | None:
        """A Lambda function named anywhere in an integration URI / ARN value."""
        if node is None:
            return None
        for sv in self.v.strings(node):
            for lid, _attr in sv.refs:
                r = self.t.get(lid)
                if r is not None and r.type in LAMBDA_TYPES:
                    if r.type in ("AWS::Lambda::Alias", "AWS::Lambda::Version"):
                        fn = self._ref_id(r.prop("FunctionName"))
                        if fn and self.t.get(fn) is not None:
                            return fn
                    return lid
            m = _FN_NAME.search(sv.text)
            if m:
                fn = self._function_named(m.group(1))
                if fn:
                    return fn
        return None

    def _function_named(self, name: str) -> str | None:
        """The function whose FunctionName is ``name`` (placeholders compared as written)."""
        if self._fn_names is None:
            self._fn_names = {}
            for f in self.t.of_type("AWS::Lambda::Function", "AWS::Serverless::Function"):
                for sv in self.v.strings(f.prop("FunctionName")) if f.prop("FunctionName") is not None else ():
                    self._fn_names.setdefault(sv.text, f.logical_id)
        return self._fn_names.get(name)

    # ------------------------------------------------------------ pools
    def _opaque(self, sv: SValue) -> bool:
        """A value read from a nested stack, a custom resource or an SSM parameter: unknowable."""
        for lid, _a in sv.refs:
            r = self.t.get(lid)
            if r is not None and (r.type in _OPAQUE_TYPES or r.type.startswith("Custom::")):
                return True
        return False

    def _pool_of(self, sv: SValue, arn: bool) -> PoolRef:
        if self._opaque(sv):
            return PoolRef("unknown", text=sv.text)
        if sv.imports:
            return PoolRef("import", text=sv.text)
        if sv.params:
            return PoolRef("param", text=sv.text)
        ref = sv.single_ref()
        if ref is not None:
            r = self.t.get(ref[0])
            if r is None:
                return PoolRef("undefined", ref[0], sv.text)
            if r.type != POOL_TYPE:
                return PoolRef("not_pool", ref[0], sv.text)
            attr = ref[1]
            if arn and attr != "Arn":
                return PoolRef("malformed", ref[0], sv.text)
            if not arn and attr not in (None, "UserPoolId"):
                return PoolRef("malformed", ref[0], sv.text)
            return PoolRef("pool", ref[0], sv.text)
        if sv.refs:
            pools = [lid for lid, _a in sv.refs if (self.t.get(lid) and self.t.get(lid).type == POOL_TYPE)]
            if arn and "cognito-idp" in sv.text and "userpool/" in sv.text:
                if pools:
                    return PoolRef("pool", pools[0], sv.text)
                others = [lid for lid, _a in sv.refs if self.t.get(lid) is not None]
                if others:
                    return PoolRef("not_pool", others[0], sv.text)
                return PoolRef("unknown", text=sv.text)
            if pools:
                return PoolRef("malformed" if arn else "pool", pools[0], sv.text)
            return PoolRef("unknown", text=sv.text)
        if not sv.known:
            if sv.from_param:
                return PoolRef("param", text=sv.text)
            return PoolRef("unknown", text=sv.text)
        if sv.from_param:
            return PoolRef("param", text=sv.text)
        if arn:
            if _POOL_ARN.match(sv.text):
                return PoolRef("external", text=sv.text)
            return PoolRef("malformed", text=sv.text)
        return PoolRef("external", text=sv.text)

    def _issuer_pool(self, sv: SValue) -> PoolRef:
        if self._opaque(sv):
            return PoolRef("unknown", text=sv.text)
        if sv.imports and sv.is_placeholder_only:
            return PoolRef("import", text=sv.text)
        if sv.params and sv.is_placeholder_only:
            return PoolRef("param", text=sv.text)
        text = sv.text
        pools = [(lid, a) for lid, a in sv.refs if self.t.get(lid) and self.t.get(lid).type == POOL_TYPE]
        if pools and any(a == "ProviderURL" for _l, a in pools):
            # ProviderURL is `cognito-idp.{region}.amazonaws.com/{poolId}`, without the scheme
            if text.startswith("https://") and text.endswith("}"):
                return PoolRef("pool", pools[0][0], text)
            return PoolRef("malformed", pools[0][0], text)
        if "cognito-idp" not in text:
            ref = sv.single_ref()
            if ref and self.t.get(ref[0]) is not None and self.t.get(ref[0]).type == POOL_TYPE:
                return PoolRef("malformed", ref[0], text)   # e.g. !GetAtt Pool.Arn as issuer
            if not sv.known and not sv.refs:
                return PoolRef("unknown", text=text)
            if sv.from_param or sv.params or sv.imports:
                return PoolRef("param", text=text)
            return PoolRef("not_cognito", text=text)
        m = _ISSUER.match(text)
        if not m:
            return PoolRef("malformed", pools[0][0] if pools else None, text)
        if pools:
            return PoolRef("pool", pools[0][0], text)
        other = [lid for lid, _a in sv.refs if self.t.get(lid) is not None]
        if other:
            return PoolRef("not_pool", other[0], text)
        if sv.params or sv.imports or sv.from_param:
            return PoolRef("param", text=text)
        return PoolRef("external", text=text)

    # ------------------------------------------------------------ authorizers
    def _cfn_authorizers(self) -> None:
        for r in self.t.of_type("AWS::ApiGateway::Authorizer"):
            api = self._ref_id(r.prop("RestApiId"))
            typ = (self._text(r.prop("Type")) or "").upper()
            kind = {"COGNITO_USER_POOLS": "COGNITO_USER_POOLS", "TOKEN": "TOKEN",
                    "REQUEST": "REQUEST"}.get(typ, "UNKNOWN")
            a = Authorizer(api=api, name=r.logical_id, kind=kind, owner=r.logical_id,
                           doc_path=r.path, source="resource", logical_id=r.logical_id,
                           providers_path=r.path + ("Properties", "ProviderARNs"),
                           function=self._function_of(r.prop("AuthorizerUri")))
            if kind == "COGNITO_USER_POOLS":
                a.providers = self._list_nodes(r.prop("ProviderARNs"), r.path + ("Properties", "ProviderARNs"))
            self._add_authorizer(a)
        for r in self.t.of_type("AWS::ApiGatewayV2::Authorizer"):
            api = self._ref_id(r.prop("ApiId"))
            typ = (self._text(r.prop("AuthorizerType")) or "").upper()
            kind = {"JWT": "JWT", "REQUEST": "REQUEST"}.get(typ, "UNKNOWN")
            base = r.path + ("Properties", "JwtConfiguration")
            a = Authorizer(api=api, name=r.logical_id, kind=kind, owner=r.logical_id,
                           doc_path=r.path, source="resource", logical_id=r.logical_id,
                           jwt_path=base, function=self._function_of(r.prop("AuthorizerUri")))
            if kind == "JWT":
                jwt = r.prop("JwtConfiguration")
                if isinstance(jwt, dict):
                    if "Issuer" in jwt:
                        a.issuer = (jwt["Issuer"], base + ("Issuer",))
                    a.audience = self._list_nodes(jwt.get("Audience"), base + ("Audience",))
            self._add_authorizer(a)

    def _sam_authorizers(self) -> None:
        for api in self._apis.values():
            if not api.sam or api.resource is None:
                continue
            r = api.resource
            auth = r.prop("Auth")
            if api.kind == "WEBSOCKET":
                if isinstance(auth, dict):
                    at = (self._text(auth.get("AuthType")) or "").upper()
                    if at == "CUSTOM":
                        a = Authorizer(api=api.lid, name=api.lid + "ConnectAuthorizer", kind="REQUEST",
                                       owner=api.owner, doc_path=r.doc_path(("Properties", "Auth")),
                                       source="sam", function=self._function_of(auth.get("AuthArn")),
                                       sam_api_type="WEBSOCKET")
                        self._add_authorizer(a)
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
                            a.providers = self._list_nodes(body["UserPoolArn"], r.doc_path(rel + ("UserPoolArn",)))
                        elif "FunctionArn" in body:
                            pt = (self._text(body.get("FunctionPayloadType")) or "TOKEN").upper()
                            a.kind = "REQUEST" if pt == "REQUEST" else "TOKEN"
                            a.function = self._function_of(body["FunctionArn"])
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
                                a.audience = self._list_nodes(jwt[aud_key], r.doc_path(rel + ("JwtConfiguration", aud_key)))
                        elif "FunctionArn" in body:
                            a.kind = "REQUEST"
                            a.function = self._function_of(body["FunctionArn"])
                    self._add_authorizer(a)
            if api.kind == "HTTP" and self._bool(auth.get("EnableIamAuthorizer")) \
                    and "AWS_IAM" not in api.authorizers:
                a = Authorizer(api=api.lid, name="AWS_IAM", kind="AWS_IAM", owner=api.owner,
                               doc_path=r.doc_path(("Properties", "Auth", "EnableIamAuthorizer")),
                               source="sam", sam_api_type="HTTP")
                api.authorizers["AWS_IAM"] = a  # built in: not listed among authorizers()
        for api in self._apis.values():
            r = api.resource
            if not api.sam or r is None or api.kind == "WEBSOCKET":
                continue
            auth = r.prop("Auth")
            if not isinstance(auth, dict) or "DefaultAuthorizer" not in auth:
                continue
            name, _s, _n = self._choose(auth.get("DefaultAuthorizer"), default=NONE)
            if name is None or name.upper() == NONE:
                continue
            self._refs.append(AuthorizerRef(
                api.lid, name, r.doc_path(("Properties", "Auth", "DefaultAuthorizer")), api.owner,
                "DefaultAuthorizer", self._sam_lookup(api, name, api.kind), api.kind))

    def _openapi_authorizers(self, api: _Api) -> None:
        body, bpath = self._body_of(api)
        if not isinstance(body, dict):
            return
        schemes, rel = _schemes(body)
        spath = bpath + rel
        for name, sch in schemes.items():
            if not isinstance(name, str) or not isinstance(sch, dict) or name in api.authorizers:
                continue
            kind = _scheme_kind(sch)
            if kind in ("API_KEY", "OTHER"):
                continue
            ext = sch.get("x-amazon-apigateway-authorizer")
            ext = ext if isinstance(ext, dict) else {}
            p = spath + (name,)
            a = Authorizer(api=api.lid, name=name, kind=kind, owner=api.owner,
                           doc_path=self._dp(api, p), source="openapi")
            if kind == "COGNITO_USER_POOLS":
                key = "providerARNs"
                a.providers_path = self._dp(api, p + ("x-amazon-apigateway-authorizer", key))
                a.providers = self._list_nodes(ext.get(key), a.providers_path) if key in ext else None
            elif kind == "JWT":
                jwt = ext.get("jwtConfiguration")
                base = p + ("x-amazon-apigateway-authorizer", "jwtConfiguration")
                a.jwt_path = self._dp(api, base)
                if isinstance(jwt, dict):
                    if "issuer" in jwt:
                        a.issuer = (jwt["issuer"], self._dp(api, base + ("issuer",)))
                    if "audience" in jwt:
                        a.audience = self._list_nodes(jwt["audience"], self._dp(api, base + ("audience",)))
            elif kind in ("TOKEN", "REQUEST"):
                a.function = self._function_of(ext.get("authorizerUri"))
            self._add_authorizer(a)

    def _add_authorizer(self, a: Authorizer) -> None:
        self._authorizers.append(a)
        if a.logical_id:
            self._by_lid.setdefault(a.logical_id, a)
        api = self._apis.get(a.api) if a.api else None
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
                self._edges.append((src, a.api, Edge.AUTHORIZES, a.doc_path))

    def _list_nodes(self, node, path) -> list:
        """Items of a list value with their doc paths; a scalar is a one-item list."""
        if node is None:
            return []
        out = []
        for b, _s in self.v.branches(node):
            if isinstance(b, list):
                for i, item in enumerate(b):
                    for it, _s2 in self.v.branches(item):
                        if it is not None:
                            out.append((it, tuple(path) + (i,)))
            elif b is not None:
                out.append((b, tuple(path)))
        return out

    def _note(self, api: str, text: str) -> None:
        if (api, text) not in self.notes:
            self.notes.append((api, text))

    def _dp(self, api: _Api, p: tuple) -> tuple:
        """Doc path of a path relative to the API resource's (merged) properties."""
        r = api.resource
        if r is None:
            return p
        return r.doc_path(p)

    def _body_of(self, api: _Api) -> tuple[Any, tuple]:
        """(inline OpenAPI body, path relative to the resource) or (None, ())."""
        got = self._bodies.get(api.lid)
        if got is None:
            got = self._bodies[api.lid] = self._read_body(api)
        return got

    def _read_body(self, api: _Api) -> tuple[Any, tuple]:
        r = api.resource
        if r is None:
            return None, ()
        key = "DefinitionBody" if api.sam else "Body"
        body = r.prop(key)
        if body is None:
            uri = "DefinitionUri" if api.sam else "BodyS3Location"
            if r.prop(uri) is not None and not r.implicit:
                self._note(api.lid, f"{uri}: routes written outside the template are not visible")
            return None, ()
        for b, _s in self.v.branches(body):
            if isinstance(b, dict) and ("paths" in b or "openapi" in b or "swagger" in b):
                return b, ("Properties", key)
            if isinstance(b, dict) and len(b) == 1 and next(iter(b)) == "Fn::Transform":
                self._note(api.lid, f"{key} is included with Fn::Transform: its routes are not visible")
            break
        return None, ()

    # ------------------------------------------------------------ restrictions
    def _api_restriction(self, api: _Api) -> str | None:
        r = api.resource
        if r is None:
            return None
        mtls = self._mtls_only(api)
        if mtls:
            return mtls
        if api.kind != "REST":
            return None
        ec = r.prop("EndpointConfiguration")
        types: list = []
        if api.sam:
            if isinstance(ec, dict):
                types = [ec.get("Type")]
            else:
                types = [ec]
        elif isinstance(ec, dict):
            t = ec.get("Types")
            types = t if isinstance(t, list) else [t]
        if not api.sam and r.prop("Parameters", "endpointConfigurationTypes") is not None:
            types.append(r.prop("Parameters", "endpointConfigurationTypes"))   # import parameter form
        for t in types:
            txt = self._text(t) if t is not None else None
            if txt and txt.upper() == "PRIVATE":
                return "PRIVATE endpoint (reachable only through VPC endpoints)"
        if api.sam:
            rp = r.prop("Auth", "ResourcePolicy")
            why = self._sam_policy_restriction(rp)
            if why:
                return why
        else:
            why = self._policy_restriction(r.prop("Policy"))
            if why:
                return why
        body, _bp = self._body_of(api)
        if isinstance(body, dict):
            why = self._policy_restriction(body.get("x-amazon-apigateway-policy"))
            if why:
                return why
        return None

    def _mtls_only(self, api: _Api) -> str | None:
        """Callers need a client certificate: the default execute-api endpoint is disabled and
        every custom domain mapped to the API requires mutual TLS."""
        r = api.resource
        disabled = self._bool(r.prop("DisableExecuteApiEndpoint"))
        body, _bp = self._body_of(api)
        if not disabled and isinstance(body, dict):
            # OpenAPI: servers[].x-amazon-apigateway-endpoint-configuration (what SAM writes)
            servers = body.get("servers")
            for srv in servers if isinstance(servers, list) else []:
                ext = srv.get("x-amazon-apigateway-endpoint-configuration") if isinstance(srv, dict) else None
                if isinstance(ext, dict) and self._bool(ext.get("disableExecuteApiEndpoint")):
                    disabled = True
            ext = body.get("x-amazon-apigateway-endpoint-configuration")
            if isinstance(ext, dict) and self._bool(ext.get("disableExecuteApiEndpoint")):
                disabled = True
        if not disabled:
            return None
        if api.sam:
            dom = r.prop("Domain")
            if isinstance(dom, dict) and isinstance(dom.get("MutualTlsAuthentication"), dict) \
                    and dom["MutualTlsAuthentication"].get("TruststoreUri") is not None:
                return "mutual TLS: the default endpoint is disabled and its Domain requires client certificates"
            return None
        domains = self.t.of_type("AWS::ApiGateway::DomainName", "AWS::ApiGatewayV2::DomainName")
        mappings = [m for m in self.t.of_type("AWS::ApiGateway::BasePathMapping",
                                               "AWS::ApiGateway::BasePathMappingV2",
                                               "AWS::ApiGatewayV2::ApiMapping")
                    if self._ref_id(m.prop("RestApiId") if m.prop("RestApiId") is not None
                                    else m.prop("ApiId")) == api.lid]
        if not mappings:
            return None
        for m in mappings:
            dn = m.prop("DomainName") if m.prop("DomainName") is not None else m.prop("DomainNameArn")
            target = self._ref_id(dn)
            texts = {v.text for v in self.v.strings(dn)}
            match = [d for d in domains if d.logical_id == target
                     or {v.text for v in self.v.strings(d.prop("DomainName"))} & texts]
            if not match or not all(isinstance(d.prop("MutualTlsAuthentication"), dict)
                                    and d.prop("MutualTlsAuthentication", "TruststoreUri") is not None
                                    for d in match):
                return None
        return ("mutual TLS: the default endpoint is disabled and every mapped custom domain "
                "requires client certificates")

    def _sam_policy_restriction(self, rp) -> str | None:
        if not isinstance(rp, dict):
            return None
        for key, what in _SAM_POLICY_RESTRICT.items():
            if rp.get(key):
                return f"resource policy allows only listed {what} ({key})"
        cs = rp.get("CustomStatements")
        if cs:
            return self._policy_restriction({"Statement": cs})
        return None

    def _policy_restriction(self, doc) -> str | None:
        """Why an API resource policy limits callers, or None."""
        if isinstance(doc, str) or (isinstance(doc, dict) and len(doc) == 1
                                    and next(iter(doc)) in ("Fn::Sub", "Fn::Join")):
            doc = self._json_policy(doc)
        if not isinstance(doc, dict):
            return None
        stmts = [it for _i, it, _s in self.v.items(doc.get("Statement")) if isinstance(it, dict)]
        if not stmts:
            return None
        allows = [s for s in stmts if self._text(s.get("Effect")) == "Allow"]
        denies = [s for s in stmts if self._text(s.get("Effect")) == "Deny"]
        for s in denies:
            for op, key in _cond_keys(s.get("Condition")):
                if key in _NETWORK_KEYS and (op.startswith("stringnot") or op.startswith("notip")
                                             or op.startswith("arnnot")):
                    return f"resource policy denies callers outside an allowed {_NETWORK_KEYS[key]}"
        if not allows:
            return "resource policy allows no caller"
        reasons = []
        for s in allows:
            why = None
            for op, key in _cond_keys(s.get("Condition")):
                if key in _NETWORK_KEYS and not op.startswith(("stringnot", "notip", "arnnot")):
                    why = f"resource policy allows only a {_NETWORK_KEYS[key]}"
                    break
            if why is None and not _principal_is_public(s, self.v):
                why = "resource policy allows only named principals"
            if why is None:
                return None
            reasons.append(why)
        return reasons[0] if reasons else None

    def _json_policy(self, node) -> dict | None:
        """A policy written as a JSON string (often inside `!Sub`)."""
        import json
        vals = self.v.strings(node)
        if len(vals) != 1 or not vals[0].text.lstrip().startswith("{"):
            return None
        try:
            doc = json.loads(vals[0].text)
        except ValueError:
            return None
        return doc if isinstance(doc, dict) else None

    # ------------------------------------------------------------ REST v1 methods
    def _resource_path(self, node, seen=()) -> str:
        rid = None
        for b, _s in self.v.branches(node):
            if isinstance(b, dict) and "Fn::GetAtt" in b:
                ga = b["Fn::GetAtt"]
                attr = ga[1] if isinstance(ga, list) and len(ga) > 1 else (ga.split(".", 1)[1] if isinstance(ga, str) and "." in ga else "")
                if attr == "RootResourceId":
                    return ""
            rid = self._ref_id(b)
            break
        r = self.t.get(rid) if rid else None
        if r is None or r.type != "AWS::ApiGateway::Resource" or rid in seen or len(seen) > 50:
            return "/{?}"
        part = self._text(r.prop("PathPart"))
        parent = self._resource_path(r.prop("ParentId"), seen + (rid,))
        return parent + "/" + (part if part is not None else "{?}")

    def _rest_methods(self) -> None:
        for m in self.t.of_type("AWS::ApiGateway::Method"):
            api_id = self._api_id(m.prop("RestApiId"))
            method = (self._text(m.prop("HttpMethod")) or "{?}").upper()
            path = self._resource_path(m.prop("ResourceId")) or "/"
            at_node = m.prop("AuthorizationType")
            at, scen, note = self._choose(at_node, default=NONE, within=_exists(m))
            at_u = at.upper() if at else None
            at_path = m.path + ("Properties", "AuthorizationType")
            api = self._apis.get(api_id)
            auth_id_node = m.prop("AuthorizerId")
            authorizer_obj, auth_id_text = self._authorizer_id(api, auth_id_node)
            auth, reason = _authorization_type(at_u, at, at_node, note, _REST_AUTH_TYPES)
            key = self._bool(m.prop("ApiKeyRequired"))
            self._routes.append(Route(
                api=api_id, kind="REST", method=method, path=path or "/", auth=auth,
                authorizer=(authorizer_obj.name if authorizer_obj else auth_id_text) if auth not in (NONE, AWS_IAM) else None,
                decided_at=at_path if at_node is not None else m.path,
                api_key_required=key,
                function=self._function_of(m.prop("Integration", "Uri")),
                owner=m.logical_id, doc_path=m.path,
                restricted=api.restricted if api else None, reason=reason, source="method",
                authorization_type=at_u if at_node is not None else None,
                authorization_type_path=at_path, authorizer_obj=authorizer_obj,
                authorizer_id_path=m.path + ("Properties", "AuthorizerId") if auth_id_node is not None else None,
                scenario=scen))

    def _authorizer_id(self, api: _Api | None, node) -> tuple[Authorizer | None, str | None]:
        """What an ``AuthorizerId`` names: (the authorizer, when known; its id or text)."""
        if node is None:
            return None, None
        aid = self._ref_id(node)
        if not aid:
            return None, self._text(node)
        return (api.authorizers.get(aid) if api else None) or self._by_lid.get(aid), aid

    # ------------------------------------------------------------ v2 routes
    def _v2_routes(self) -> None:
        integ_fn: dict[str, str | None] = {}
        for i in self.t.of_type("AWS::ApiGatewayV2::Integration"):
            integ_fn[i.logical_id] = self._function_of(i.prop("IntegrationUri"))
        for r in self.t.of_type("AWS::ApiGatewayV2::Route"):
            api_id = self._api_id(r.prop("ApiId"))
            api = self._apis.get(api_id)
            kind = api.kind if api else "HTTP"
            rk = self._text(r.prop("RouteKey")) or "{?}"
            if kind == "HTTP" and rk.startswith("$") is False and " " not in rk and rk != "{?}":
                kind = "WEBSOCKET" if api is None else kind
            method, path = _split_route_key(rk, kind)
            at_node = r.prop("AuthorizationType")
            at, scen, note = self._choose(at_node, default=NONE, within=_exists(r))
            at_u = at.upper() if at else None
            at_path = r.path + ("Properties", "AuthorizationType")
            auth_id_node = r.prop("AuthorizerId")
            authorizer_obj, auth_id_text = self._authorizer_id(api, auth_id_node)
            auth, reason = _authorization_type(at_u, at_u, at_node, note, _V2_AUTH_TYPES)
            fn = None
            for sv in self.v.strings(r.prop("Target")):
                for lid, _a in sv.refs:
                    if lid in integ_fn:
                        fn = integ_fn[lid]
                        if fn:
                            self._edges.append((lid, fn, Edge.INVOKES, self.t.get(lid).path))
            self._routes.append(Route(
                api=api_id, kind=kind, method=method, path=path, auth=auth,
                authorizer=(authorizer_obj.name if authorizer_obj else auth_id_text) if auth in (JWT, LAMBDA) else None,
                decided_at=at_path if at_node is not None else r.path,
                api_key_required=self._bool(r.prop("ApiKeyRequired")),
                function=fn, owner=r.logical_id, doc_path=r.path,
                restricted=api.restricted if api else None, reason=reason, source="v2route",
                authorization_type=at_u if at_node is not None else None,
                authorization_type_path=at_path, authorizer_obj=authorizer_obj,
                authorizer_id_path=r.path + ("Properties", "AuthorizerId") if auth_id_node is not None else None,
                scenario=scen))
        # quick create: Target on the Api itself creates a `$default` route without auth
        for api in self._apis.values():
            r = api.resource
            if api.sam or r is None or api.kind != "HTTP" or r.prop("Target") is None:
                continue
            rk = self._text(r.prop("RouteKey")) or "$default"
            method, path = _split_route_key(rk, "HTTP")
            self._routes.append(Route(
                api=api.lid, kind="HTTP", method=method, path=path, auth=NONE, authorizer=None,
                decided_at=r.path + ("Properties", "Target"), api_key_required=False,
                function=self._function_of(r.prop("Target")), owner=api.lid,
                doc_path=r.path + ("Properties", "Target"), restricted=api.restricted,
                reason="quick-create Target makes a route with no authorization",
                source="quick-create"))

    # ------------------------------------------------------------ SAM
    def _sam_api_for(self, ev) -> tuple[str, _Api | None]:
        key = "RestApiId" if ev.type == "Api" else "ApiId"
        if key in ev.properties:
            aid = self._api_id(ev.properties[key])
        else:
            aid = "ServerlessRestApi" if ev.type == "Api" else "ServerlessHttpApi"
        return aid, self._apis.get(aid)

    def _sam_routes(self) -> None:
        for fn in self.t.of_type("AWS::Serverless::Function", "AWS::Serverless::StateMachine"):
            for ev in self.t.events(fn):
                if ev.type not in ("Api", "HttpApi"):
                    continue
                if ev.type == "HttpApi" and fn.type != "AWS::Serverless::Function":
                    continue
                aid, api = self._sam_api_for(ev)
                self._sam_event_route(fn, ev, aid, api)
        for api in self._apis.values():
            if api.sam and api.kind == "WEBSOCKET":
                self._sam_websocket(api)

    def _sam_event_route(self, fn, ev, aid: str, api: _Api | None) -> None:
        kind = "REST" if ev.type == "Api" else "HTTP"
        p = ev.properties
        evp = ev.doc_path
        if kind == "REST":
            method = (self._text(p.get("Method")) or "{?}").upper()
            path = self._text(p.get("Path")) or "{?}"
        else:
            if "Path" not in p and "Method" not in p:
                method, path = "ANY", "$default"
            else:
                method = (self._text(p.get("Method")) or "ANY").upper()
                path = self._text(p.get("Path")) or "$default"
        if method == "X-AMAZON-APIGATEWAY-ANY-METHOD":
            method = "ANY"
        ev_auth = p.get("Auth") if isinstance(p.get("Auth"), dict) else {}
        ev_auth_path = evp + ("Properties", "Auth")
        r = api.resource if api else None
        if api is not None and not api.sam:
            # an event on a plain AWS::ApiGateway::RestApi / ApiGatewayV2::Api only gets a Lambda
            # permission from SAM: the route is whatever Method / Route resource declares it
            self._invoke(aid, fn, evp)
            return
        if kind == "REST" and r is not None and not r.implicit and self._user_definition(api) \
                and not self._bool(r.prop("MergeDefinitions")):
            # SAM leaves a user-written definition alone: the event adds no route and its Auth is
            # ignored unless it sets OverrideApiAuth (push.py, __MANAGE_SWAGGER)
            body, _bp = self._body_of(api)
            if body is None:
                self._routes.append(Route(
                    api=aid, kind=kind, method=method, path=path, auth=UNKNOWN, authorizer=None,
                    decided_at=evp, api_key_required=False,
                    function=fn.logical_id if fn.type == "AWS::Serverless::Function" else None,
                    owner=fn.logical_id, doc_path=evp, restricted=api.restricted,
                    reason=f"the routes of {aid} are written in a definition slint cannot see",
                    source="sam-event"))
                self._invoke(aid, fn, evp)
                return
            if (method, path) not in _body_ops(body):
                return
            if not self._bool(ev_auth.get("OverrideApiAuth")):
                self._invoke(aid, fn, evp)
                if ev_auth:
                    self._ignored_auth[(aid, method, path)] = f"{fn.logical_id}.Events.{ev.name}"
                return
        api_auth = r.prop("Auth") if r is not None else None
        api_auth = api_auth if isinstance(api_auth, dict) else {}
        api_name = aid
        auth, authz, decided, reason, scen, obj = NONE, None, evp, "", EMPTY, None
        within = _exists(fn)
        name, s1, note1 = self._choose(ev_auth.get("Authorizer"), within=within) if "Authorizer" in ev_auth else (None, EMPTY, "")
        default, s2, note2 = self._choose(api_auth.get("DefaultAuthorizer"), default=NONE, within=within) if "DefaultAuthorizer" in api_auth else (None, EMPTY, "")
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
                self._refs.append(AuthorizerRef(aid, name, decided, fn.logical_id, "Auth.Authorizer",
                                                self._sam_lookup(api, name, kind), kind))
                auth, authz, obj, reason, scen = self._named(api, name, kind, "event Auth.Authorizer")
        elif (default is not None or "DefaultAuthorizer" in api_auth) and method == "OPTIONS" and (
                kind == "HTTP" or ("AddDefaultAuthorizerToCorsPreflight" in api_auth and not self._bool(
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
                auth, authz, obj, reason, scen = self._named(api, default, kind, f"DefaultAuthorizer of {api_name}")
        else:
            decided = evp
            if api is None:
                auth = UNKNOWN
                reason = f"the API {api_name} is not defined in this template"
            else:
                reason = (f"no DefaultAuthorizer on {api_name} ({self._api_auth_where(api, kind)}) "
                          f"and the event sets no Auth.Authorizer")
        # API key (REST only): event Auth.ApiKeyRequired overrides the API's
        key = False
        if kind == "REST":
            if "ApiKeyRequired" in ev_auth:
                key = self._bool(ev_auth.get("ApiKeyRequired"))
            else:
                key = self._bool(api_auth.get("ApiKeyRequired"))
        restricted = api.restricted if api else None
        if kind == "REST" and not restricted:
            restricted = self._sam_policy_restriction(ev_auth.get("ResourcePolicy"))
        fname = fn.logical_id
        target = fname if fn.type == "AWS::Serverless::Function" else None
        if target:
            self._edges.append((aid, fname, Edge.INVOKES, evp))
        self._routes.append(Route(
            api=aid, kind=kind, method=method, path=path, auth=auth, authorizer=authz,
            decided_at=decided, api_key_required=key, function=target, owner=fname, doc_path=evp,
            restricted=restricted, reason=reason, source="sam-event", authorizer_obj=obj,
            scenario=scen, implicit_api=bool(api and api.resource is not None and api.resource.implicit)))

    def _invoke(self, api_id: str, fn, path: tuple) -> None:
        if fn.type == "AWS::Serverless::Function":
            self._edges.append((api_id, fn.logical_id, Edge.INVOKES, path))

    def _user_definition(self, api: _Api) -> bool:
        r = api.resource
        return r is not None and (r.prop("DefinitionBody") is not None or r.prop("DefinitionUri") is not None)

    def _api_auth_where(self, api: _Api | None, kind: str) -> str:
        if api is None or api.resource is None:
            return "not in this template"
        r = api.resource
        section = "Api" if kind == "REST" else "HttpApi"
        g = self.t.globals.get(section)
        g_auth = isinstance(g, dict) and isinstance(g.get("Auth"), dict)
        if r.implicit:
            return f"Globals.{section}.Auth " + ("has none" if g_auth else "not set")
        props = r.raw.get("Properties")
        if isinstance(props, dict) and props.get("Auth"):
            return "its Auth has none"
        return f"no Auth on {api.lid}" + (", Globals." + section + ".Auth has none" if g_auth else "")

    def _sam_lookup(self, api: _Api | None, name: str, kind: str) -> Authorizer | None:
        if api is None:
            return None
        if name == "AWS_IAM":
            if kind == "REST":
                return Authorizer(api=api.lid, name="AWS_IAM", kind="AWS_IAM", owner=api.owner,
                                  doc_path=api.resource.path if api.resource else (), source="sam")
            return api.authorizers.get("AWS_IAM")
        a = api.authorizers.get(name)
        # SAM resolves names against Auth.Authorizers only (not the body's security schemes)
        if a is not None and a.source == "sam":
            return a
        return None

    def _named(self, api: _Api | None, name: str, kind: str, what: str):
        obj = self._sam_lookup(api, name, kind)
        if obj is None:
            if api is None:
                return UNKNOWN, name, None, f"{what} is {name} on an API outside this template", EMPTY
            return UNKNOWN, name, None, f"{what} is {name}, which is not defined on {api.lid}", EMPTY
        return obj.auth, name, obj, f"{what} is {name}", EMPTY

    def _sam_websocket(self, api: _Api) -> None:
        r = api.resource
        routes = r.prop("Routes")
        if not isinstance(routes, dict):
            return
        auth = r.prop("Auth")
        if not isinstance(auth, dict) or "AuthType" not in auth:
            at_u = NONE
        else:
            at, _s, _n = self._choose(auth.get("AuthType"))
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
            fn = self._function_of(spec.get("FunctionArn"))
            if fn:
                self._edges.append((api.lid, fn, Edge.INVOKES, r.doc_path(rel)))
            self._routes.append(Route(
                api=api.lid, kind="WEBSOCKET", method="WS",
                path=key, auth=a, authorizer=(api.lid + "ConnectAuthorizer") if a == LAMBDA else None,
                decided_at=decided, api_key_required=self._bool(spec.get("ApiKeyRequired")),
                function=fn, owner=api.owner, doc_path=r.doc_path(rel), restricted=api.restricted,
                reason=reason, source="websocket"))

    # ------------------------------------------------------------ OpenAPI bodies
    def _body_routes(self) -> None:
        # routes already declared, per API, indexed once (an API's body adds routes only to it)
        declared: dict = {}
        for rt in self._routes:
            declared.setdefault(rt.api, set()).add((rt.method, rt.path))
        for api in self._apis.values():
            body, bpath = self._body_of(api)
            if not isinstance(body, dict):
                continue
            self._openapi(api, body, bpath, declared.get(api.lid, set()))

    def _openapi(self, api: _Api, body: dict, bpath: tuple, existing: set) -> None:
        paths = body.get("paths")
        if not isinstance(paths, dict):
            return
        r = api.resource
        auth = r.prop("Auth") if api.sam else None
        auth = auth if isinstance(auth, dict) else {}
        default = None
        default_path = r.doc_path(("Properties", "Auth", "DefaultAuthorizer"))
        if api.sam and "DefaultAuthorizer" in auth:
            default, _s, _n = self._choose(auth.get("DefaultAuthorizer"), default=NONE)
        add_to_preflight = True
        if api.sam and api.kind == "REST" and "AddDefaultAuthorizerToCorsPreflight" in auth:
            add_to_preflight = self._bool(auth.get("AddDefaultAuthorizerToCorsPreflight"))
        api_key_default = api.sam and api.kind == "REST" and self._bool(auth.get("ApiKeyRequired"))
        key_preflight = self._bool(auth.get("AddApiKeyRequiredToCorsPreflight")) if "AddApiKeyRequiredToCorsPreflight" in auth else True
        global_sec = body.get("security") if "security" in body else None
        for pth, item in paths.items():
            if not isinstance(pth, str):
                continue
            for it, _s in self.v.branches(item):
                if not isinstance(it, dict):
                    continue
                for mname, op in it.items():
                    if not isinstance(mname, str) or mname.lower() not in HTTP_METHODS:
                        continue
                    method = "ANY" if mname.lower() in ("x-amazon-apigateway-any-method", "any") else mname.upper()
                    if (method, pth) in existing:
                        continue
                    for o, _s2 in self.v.branches(op):
                        if isinstance(o, dict):
                            self._openapi_op(api, bpath + ("paths", pth, mname), o, method, pth,
                                             global_sec, bpath, default, default_path,
                                             add_to_preflight, api_key_default, key_preflight)
                        break

    def _openapi_op(self, api, opath, op, method, pth, global_sec, bpath, default, default_path,
                    add_to_preflight, api_key_default, key_preflight) -> None:
        if "security" in op:
            sec, sec_path, where = op.get("security"), opath + ("security",), "the operation's security"
        elif global_sec is not None:
            sec, sec_path, where = global_sec, bpath + ("security",), "the document's global security"
        else:
            sec, sec_path, where = None, opath, ""
        alts = [a for a in (sec if isinstance(sec, list) else []) if isinstance(a, dict)]
        names_sam = set(api.authorizers) | {"AWS_IAM"}
        has_none_marker = any("NONE" in a for a in alts)
        has_authz = any(not names_sam.isdisjoint(a.keys()) for a in alts)
        decided = self._dp(api, sec_path)
        reason = ""
        # SAM applies the DefaultAuthorizer to operations without an authorizer of their own
        apply_default = bool(api.sam and default and default.upper() != NONE
                             and not has_none_marker and not has_authz)
        if apply_default:
            # open_api.set_path_default_authorizer: skips OPTIONS, any existing security and
            # operations without an integration
            if api.kind == "HTTP" and (method == "OPTIONS" or op.get("security")):
                apply_default = False
            if api.kind == "REST" and method == "OPTIONS" and not add_to_preflight:
                apply_default = False
            if api.kind == "HTTP" and "x-amazon-apigateway-integration" not in op:
                apply_default = False
        auth, authz, obj = NONE, None, None
        key = False
        if apply_default:
            obj = self._sam_lookup(api, default, api.kind) or api.authorizers.get(default)
            auth = obj.auth if obj else UNKNOWN
            authz = default
            decided = default_path
            reason = f"DefaultAuthorizer of {api.lid} is {default}"
            key = any(self._scheme_is_key(api, n) for a in alts for n in a)
        else:
            if sec is None:
                reason = "no security in the OpenAPI operation or document" + (
                    f" and no DefaultAuthorizer on {api.lid}" if api.sam else "")
            elif not alts:
                reason = f"{where} is empty"
            else:
                # API Gateway does not apply OpenAPI's "any one of" semantics: it takes the
                # authorizer named in any requirement and requires the API key if any names it
                # (SAM itself writes `[{Authorizer: []}, {api_key: []}]`)
                best = None
                for a in alts:
                    for n in a:
                        if n == "NONE":
                            continue
                        o = api.authorizers.get(n)
                        if o is None and n == "AWS_IAM" and api.sam:
                            o = Authorizer(api.lid, "AWS_IAM", "AWS_IAM", api.owner, decided, "sam")
                        if o is not None and best is None:
                            best = (n, o)
                    if self._alt_has_key(api, a):
                        key = True
                if best is None:
                    names = ", ".join(sorted({n for a in alts for n in a}))
                    if has_none_marker and api.sam:
                        reason = f"{where} is NONE, overriding DefaultAuthorizer {default or '(none)'}"
                    elif names and key:
                        reason = f"{where} names only {{{names}}}, which authenticates no caller"
                    elif names:
                        reason = (f"{where} names only {{{names}}}, which has no "
                                  f"x-amazon-apigateway-authorizer: API Gateway does not enforce it")
                    else:
                        reason = f"{where} allows anonymous callers"
                else:
                    authz, obj = best
                    auth = obj.auth
                    reason = f"{where} requires {authz}"
        ignored = self._ignored_auth.get((api.lid, method, pth))
        if ignored and auth == NONE:
            reason += (f" (the Auth of event {ignored} is ignored: SAM does not change a written "
                       f"DefinitionBody unless the event sets OverrideApiAuth)")
        if api_key_default and not (method == "OPTIONS" and not key_preflight):
            key = True
        fn = self._function_of(_get(op, "x-amazon-apigateway-integration", "uri"))
        if fn:
            self._edges.append((api.lid, fn, Edge.INVOKES, self._dp(api, opath)))
        self._routes.append(Route(
            api=api.lid, kind=api.kind, method=method, path=pth, auth=auth, authorizer=authz,
            decided_at=decided, api_key_required=key, function=fn, owner=api.owner,
            doc_path=self._dp(api, opath), restricted=api.restricted, reason=reason,
            source="openapi", authorizer_obj=obj,
            implicit_api=bool(api.resource is not None and api.resource.implicit)))

    def _scheme_is_key(self, api: _Api, name: str) -> bool:
        body, _ = self._body_of(api)
        sch = _schemes(body)[0].get(name) if isinstance(body, dict) else None
        return name in ("api_key",) or (isinstance(sch, dict) and _scheme_kind(sch) == "API_KEY")

    def _alt_has_key(self, api: _Api, alt: dict) -> bool:
        return any(self._scheme_is_key(api, n) for n in alt)

    # ------------------------------------------------------------ SAM Cors preflights
    def _cors_preflights(self) -> None:
        """SAM adds an OPTIONS method (a MOCK integration) to every path of a REST API with
        ``Cors``; the DefaultAuthorizer covers it unless AddDefaultAuthorizerToCorsPreflight is
        false (api_generator._add_cors runs before _add_auth)."""
        by_api: dict = {}  # routes grouped once: scanning all routes per API was quadratic
        for rt in self._routes:
            by_api.setdefault(rt.api, []).append(rt)
        for api in self._apis.values():
            r = api.resource
            if not api.sam or api.kind != "REST" or r is None or r.prop("Cors") is None:
                continue
            if self._user_definition(api) and self._body_of(api)[0] is None:
                continue
            mine = by_api.get(api.lid, ())
            paths = sorted({rt.path for rt in mine if rt.source in ("sam-event", "openapi")})
            have = {rt.path for rt in mine if rt.method == "OPTIONS"}
            auth = r.prop("Auth") if isinstance(r.prop("Auth"), dict) else {}
            default = None
            if "DefaultAuthorizer" in auth:
                default, _s, _n = self._choose(auth.get("DefaultAuthorizer"), default=NONE)
            if "AddDefaultAuthorizerToCorsPreflight" in auth and \
                    not self._bool(auth.get("AddDefaultAuthorizerToCorsPreflight")):
                default = None
            cors_path = r.doc_path(("Properties", "Cors"))
            for pth in paths:
                if pth in have:
                    continue
                obj = self._sam_lookup(api, default, "REST") if default and default.upper() != NONE else None
                if obj is not None:
                    a, authz = obj.auth, default
                    decided = r.doc_path(("Properties", "Auth", "DefaultAuthorizer"))
                    reason = f"Cors preflight added by SAM; DefaultAuthorizer of {api.lid} is {default}"
                else:
                    a, authz, decided = NONE, None, cors_path
                    reason = "Cors preflight added by SAM (browsers send it without credentials)"
                self._routes.append(Route(
                    api=api.lid, kind="REST", method="OPTIONS", path=pth, auth=a, authorizer=authz,
                    decided_at=decided, api_key_required=False, function=None, owner=api.owner,
                    doc_path=cors_path, restricted=api.restricted, reason=reason, source="cors",
                    implicit_api=r.implicit))

    # ------------------------------------------------------------ function URLs
    def _function_urls(self) -> None:
        for u in self.t.of_type("AWS::Lambda::Url"):
            at, scen, note = self._choose(u.prop("AuthType"), within=_exists(u))
            fn = self._function_of(u.prop("TargetFunctionArn"))
            if fn is None:
                fid = self._ref_id(u.prop("TargetFunctionArn"))
                fn = fid if fid in self.t.resources else None
            auth, reason = self._url_auth(at, note, u.prop("AuthType") is not None)
            self._routes.append(Route(
                api=u.logical_id, kind="FUNCTION_URL", method="ANY", path="/", auth=auth,
                authorizer=None, decided_at=u.path + ("Properties", "AuthType"),
                api_key_required=False, function=fn, owner=u.logical_id, doc_path=u.path,
                restricted=None, reason=reason, source="function-url", scenario=scen))
            if fn:
                self._edges.append((u.logical_id, fn, Edge.INVOKES, u.path))
        for fn in self.t.of_type("AWS::Serverless::Function"):
            cfg = fn.prop("FunctionUrlConfig")
            if not isinstance(cfg, dict):
                continue
            at, scen, note = self._choose(cfg.get("AuthType"), within=_exists(fn))
            auth, reason = self._url_auth(at, note, "AuthType" in cfg)
            rel = ("Properties", "FunctionUrlConfig")
            self._routes.append(Route(
                api=fn.logical_id + "Url", kind="FUNCTION_URL", method="ANY", path="/", auth=auth,
                authorizer=None, decided_at=fn.doc_path(rel + ("AuthType",)),
                api_key_required=False, function=fn.logical_id, owner=fn.logical_id,
                doc_path=fn.doc_path(rel), restricted=None, reason=reason, source="function-url",
                scenario=scen))

    def _url_auth(self, at, note, written) -> tuple[str, str]:
        if not written:
            return UNKNOWN, "AuthType is not set (required)"
        if at is None:
            return UNKNOWN, f"AuthType could not be determined{note}"
        if at.upper() == NONE:
            return NONE, f"AuthType is NONE{note}"
        if at.upper() == "AWS_IAM":
            return AWS_IAM, "AuthType is AWS_IAM"
        return UNKNOWN, f"AuthType {at} is not recognised"

    # ------------------------------------------------------------ websocket inheritance
    def _websocket_inherit(self) -> None:
        connect: dict[str, Route] = {}
        for r in self._routes:
            if r.kind == "WEBSOCKET" and r.path == "$connect":
                connect.setdefault(r.api, r)
        for r in self._routes:
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

    # ------------------------------------------------------------ graph
    def _add_edges(self) -> None:
        if not self._edges and not any(r.source == "method" and r.function for r in self._routes):
            return
        g = self.ctx.graph
        seen = set()
        for src, dst, kind, path in self._edges:
            k = (src, dst, kind, tuple(path))
            if k in seen or src not in g.g or dst not in g.g or src == dst:
                continue
            seen.add(k)
            g.add(src, dst, kind, path)
        for rt in self._routes:
            if rt.source == "method" and rt.function and rt.owner in g.g and rt.function in g.g:
                k = (rt.owner, rt.function, Edge.INVOKES, tuple(rt.doc_path))
                if k not in seen:
                    seen.add(k)
                    g.add(rt.owner, rt.function, Edge.INVOKES, rt.doc_path)


# ---------------------------------------------------------------- helpers
def _exists(res) -> frozenset:
    """The scenario a resource exists in (its `Condition`)."""
    return frozenset({(res.condition, True)}) if res.condition else EMPTY


def _novalue_scenarios(node, scen: frozenset = EMPTY, depth: int = 0, *, join) -> list:
    """Scenarios in which nested ``Fn::If`` resolve ``node`` to ``AWS::NoValue``: the
    alternatives ``Evaluator.branches`` skips. ``join``: ``Evaluator.join``."""
    if depth > 20 or not isinstance(node, dict) or len(node) != 1:
        return []
    if node.get("Ref") == "AWS::NoValue":
        return [scen]
    args = node.get("Fn::If")
    if not (isinstance(args, list) and len(args) == 3 and isinstance(args[0], str)):
        return []
    out = []
    for val, branch in ((True, args[1]), (False, args[2])):
        s = join(scen, frozenset({(args[0], val)}))
        if s is not None:
            out.extend(_novalue_scenarios(branch, s, depth + 1, join=join))
    return out


def _authorization_type(at_u, shown, at_node, note, known: dict) -> tuple[str, str]:
    """(effective auth, reason) of a Method's / Route's AuthorizationType (upper-cased ``at_u``;
    ``shown`` is how an unrecognised one is quoted)."""
    if at_u is None:
        return UNKNOWN, f"AuthorizationType could not be determined{note}"
    if at_u == NONE:
        return NONE, (("AuthorizationType is NONE" + note) if at_node is not None
                      else "AuthorizationType is not set (defaults to NONE)")
    if at_u in known:
        return known[at_u], f"AuthorizationType is {at_u}"
    return UNKNOWN, f"AuthorizationType {shown} is not recognised"


def _get(d, *keys):
    for k in keys:
        if not isinstance(d, dict):
            return None
        d = d.get(k)
    return d


def _body_ops(body: dict) -> set:
    out = set()
    paths = body.get("paths")
    if isinstance(paths, dict):
        for pth, item in paths.items():
            if isinstance(item, dict):
                for m in item:
                    if isinstance(m, str) and m.lower() in HTTP_METHODS:
                        out.add(("ANY" if m.lower() in ("x-amazon-apigateway-any-method", "any")
                                 else m.upper(), pth))
    return out


def _schemes(body: dict) -> tuple[dict, tuple]:
    """The security schemes of an OpenAPI / Swagger body and where they are ({} when none)."""
    s = body.get("securityDefinitions")
    if isinstance(s, dict):
        return s, ("securityDefinitions",)
    s = _get(body, "components", "securitySchemes")
    return (s if isinstance(s, dict) else {}), ("components", "securitySchemes")


def _scheme_kind(sch: dict) -> str:
    ext = sch.get("x-amazon-apigateway-authorizer")
    authtype = str(sch.get("x-amazon-apigateway-authtype") or "").lower()
    if isinstance(ext, dict):
        t = str(ext.get("type") or "").lower()
        if t == "cognito_user_pools":
            return "COGNITO_USER_POOLS"
        if t == "token":
            return "TOKEN"
        if t == "request":
            return "REQUEST"
        if t == "jwt":
            return "JWT"
        return "UNKNOWN"
    if authtype == "awssigv4":
        return "AWS_IAM"
    if authtype == "cognito_user_pools":
        return "COGNITO_USER_POOLS"
    if str(sch.get("type") or "").lower() == "apikey" and not authtype:
        return "API_KEY"
    return "OTHER"


def _split_route_key(rk: str, kind: str) -> tuple[str, str]:
    if kind == "WEBSOCKET":
        return "WS", rk
    if rk == "$default":
        return "ANY", "$default"
    if " " in rk:
        m, _, p = rk.partition(" ")
        return m.upper(), p.strip()
    return "ANY", rk


def _cond_keys(cond) -> list[tuple[str, str]]:
    out = []
    if isinstance(cond, dict):
        for op, body in cond.items():
            if isinstance(op, str) and isinstance(body, dict):
                for k in body:
                    if isinstance(k, str):
                        out.append((op.lower(), k.lower()))
    return out


def _principal_is_public(stmt: dict, v) -> bool:
    p = stmt.get("Principal")
    if p is None:
        return "NotPrincipal" not in stmt
    if p == "*":
        return True
    if isinstance(p, dict):
        aws = p.get("AWS")
        if aws is None:
            return False
        items = aws if isinstance(aws, list) else [aws]
        for it in items:
            for sv in v.strings(it):
                if sv.known and sv.text == "*":
                    return True
        return False
    return False


def show_value(text: str) -> str:
    """A symbolic value for messages: `{Ref:Pool}` -> `!Ref Pool`, `{GetAtt:P.Arn}` -> `!GetAtt P.Arn`."""
    if text.startswith("{") and text.endswith("}") and text.count("{") == 1:
        if text.startswith("{Ref:"):
            return "!Ref " + text[5:-1]
        if text.startswith("{GetAtt:"):
            return "!GetAtt " + text[8:-1]
    return text.replace("{Ref:", "${").replace("{GetAtt:", "${")

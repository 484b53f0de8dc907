"""Effective authorization of a route: the one place where SAM and API Gateway precedence is
decided, for every producer that has to apply it.

Precedence (``effective_auth``), following the SAM translator (``api_generator.py``,
``http_api_generator.py``, ``swagger/swagger.py``, ``open_api/open_api.py``, ``push.py``):

1. the route's own authorization: a SAM event's ``Auth.Authorizer`` (``NONE`` overrides the
   default), or OpenAPI ``security`` that names an authorizer the API knows or ``NONE`` (on an
   HTTP API, any ``security`` the operation writes);
2. the API's ``DefaultAuthorizer`` (SAM ``Auth``, Globals merged), where it covers the route
   (``default_covers``): never an HTTP API's OPTIONS, a REST API's OPTIONS only while
   ``AddDefaultAuthorizerToCorsPreflight`` is not false; an HTTP OpenAPI operation without an
   integration is skipped;
3. OpenAPI ``security`` (the operation's over the document's global one);
4. nothing: the route is open (``NONE``).

Where the DefaultAuthorizer cannot be used, the producers still differ, as they did before this
module existed (SAM rejects all three templates): a default whose value is not known makes an
event's route ``UNKNOWN`` but leaves an OpenAPI operation to its security and a Cors preflight
open; a default naming no SAM authorizer makes an event's route ``UNKNOWN``, lets an OpenAPI
operation use a body security scheme of that name, and leaves a Cors preflight open.

``ApiKeyRequired`` is not authentication: it only sets ``Decision.api_key``. Plain
``AWS::ApiGateway::Method`` / ``AWS::ApiGatewayV2::Route`` resources state their
``AuthorizationType`` themselves (``authorization_type``); function URLs their ``AuthType``
(``url_auth``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ...model.values import EMPTY
from .model import AWS_IAM, COGNITO, JWT, LAMBDA, NONE, UNKNOWN, Authorizer, _Api
from .openapi_doc import scheme_is_key

# AuthorizationType values that authenticate, per resource type
REST_AUTH_TYPES = {"AWS_IAM": AWS_IAM, "COGNITO_USER_POOLS": COGNITO, "CUSTOM": LAMBDA}
V2_AUTH_TYPES = {"AWS_IAM": AWS_IAM, "JWT": JWT, "CUSTOM": LAMBDA}


@dataclass
class ApiAuth:
    """The auth settings of a SAM API that its routes inherit ({} / defaults for other APIs)."""
    auth: dict                  # the API's Auth (Globals merged)
    written: bool = False       # DefaultAuthorizer is written
    default: str | None = None  # its least protected value; None: not written or not known
    scenario: frozenset = EMPTY
    note: str = ""
    path: tuple | None = None   # where DefaultAuthorizer is (or would be)
    add_to_preflight: bool = True   # AddDefaultAuthorizerToCorsPreflight (REST)
    api_key_required: bool = False  # Auth.ApiKeyRequired (REST)
    key_to_preflight: bool = True   # AddApiKeyRequiredToCorsPreflight


def api_auth(b, api: _Api | None, within: frozenset = EMPTY) -> ApiAuth:
    """The ``ApiAuth`` of ``api``, read once per API (and per ``within``: the scenario of the
    resource asking, whose `Condition` rules out some alternatives of the default)."""
    if api is None:
        return ApiAuth({})
    got = b.api_auth.get((api.lid, within))
    if got is not None:
        return got
    r = api.resource
    auth = r.prop("Auth") if api.sam and r is not None else None
    aa = ApiAuth(auth if isinstance(auth, dict) else {})
    if r is not None:
        aa.path = r.doc_path(("Properties", "Auth", "DefaultAuthorizer"))
    if "DefaultAuthorizer" in aa.auth:
        aa.written = True
        aa.default, aa.scenario, aa.note = b.choose(aa.auth.get("DefaultAuthorizer"), default=NONE,
                                                    within=within)
    if "AddDefaultAuthorizerToCorsPreflight" in aa.auth:
        aa.add_to_preflight = b.flag(aa.auth.get("AddDefaultAuthorizerToCorsPreflight"))
    aa.api_key_required = b.flag(aa.auth.get("ApiKeyRequired"))
    if "AddApiKeyRequiredToCorsPreflight" in aa.auth:
        aa.key_to_preflight = b.flag(aa.auth.get("AddApiKeyRequiredToCorsPreflight"))
    b.api_auth[(api.lid, within)] = aa
    return aa


def default_covers(aa: ApiAuth, kind: str, method: str) -> bool:
    """Whether SAM applies the DefaultAuthorizer to a route of ``method`` on a ``kind`` API:
    an HTTP API never to OPTIONS (``open_api.set_path_default_authorizer``), a REST API to
    OPTIONS only while AddDefaultAuthorizerToCorsPreflight is not false."""
    if method != "OPTIONS":
        return True
    if kind == "HTTP":
        return False
    if kind == "REST":
        return aa.add_to_preflight
    return True


@dataclass
class Security:
    """OpenAPI ``security`` in force for one operation."""
    op: dict                    # the operation
    sec: object                 # the security value (None: none written)
    path: tuple                 # where it is (the operation when none)
    where: str                  # "the operation's security" | "the document's global security"
    op_path: tuple = ()         # the operation

    @property
    def alts(self) -> list:
        return [a for a in (self.sec if isinstance(self.sec, list) else []) if isinstance(a, dict)]


@dataclass
class EventAuth:
    """A SAM event's ``Auth`` and where it is."""
    auth: dict
    path: tuple                 # ...Events.E.Properties.Auth
    event_path: tuple           # ...Events.E
    within: frozenset = EMPTY   # the scenario the event's function exists in


@dataclass
class Decision:
    auth: str = NONE
    authorizer: str | None = None
    obj: Authorizer | None = None
    decided_at: tuple = ()
    reason: str = ""
    scenario: frozenset = EMPTY
    api_key: bool = False
    ref: str | None = None      # the authorizer an event's Auth.Authorizer names


def effective_auth(b, api: _Api | None, api_name: str, kind: str, method: str, origin: str, *,
                   event: EventAuth | None = None, security: Security | None = None,
                   cors_path: tuple = ()) -> Decision:
    """What protects one route (see the module docstring for the precedence). ``origin`` is
    the producer: ``sam-event`` (with ``event``), ``openapi`` (with ``security``) or ``cors``
    (a preflight SAM adds, with ``cors_path``)."""
    aa = api_auth(b, api, event.within if event is not None else EMPTY)
    default = aa.default
    d = None
    # 1. the route's own authorization
    own = False
    if origin == "sam-event" and "Authorizer" in event.auth:
        d = _event_authorizer(b, api, api_name, kind, aa, event)
    elif origin == "openapi":
        alts = security.alts
        names_sam = set(api.authorizers) | {"AWS_IAM"}
        own = (any("NONE" in a for a in alts) or any(not names_sam.isdisjoint(a.keys()) for a in alts)
               or (kind == "HTTP" and bool(security.op.get("security"))))
    # 2. the API's DefaultAuthorizer
    covers = (d is None and aa.written and not own and default_covers(aa, kind, method)
              and not (origin == "openapi" and kind == "HTTP"
                       and "x-amazon-apigateway-integration" not in security.op))
    # (an empty DefaultAuthorizer names nothing in a body or a preflight; an event looks it up)
    if covers and default is not None and default.upper() != NONE \
            and (default != "" or origin == "sam-event"):
        what = f"DefaultAuthorizer of {api_name}"
        if origin == "sam-event":
            auth, authz, obj, reason, scen = named(b, api, default, kind, what)
            d = Decision(auth, authz, obj, aa.path, reason, scen)
        else:
            obj = sam_lookup(b, api, default, kind)
            if origin == "openapi":
                obj = obj or api.authorizers.get(default)
                d = Decision(obj.auth if obj else UNKNOWN, default, obj, aa.path, f"{what} is {default}",
                             api_key=any(scheme_is_key(b, api, n) for a in security.alts for n in a))
            elif obj is not None:   # cors: a default SAM cannot find adds no authorizer
                d = Decision(obj.auth, default, obj, aa.path,
                             f"Cors preflight added by SAM; {what} is {default}")
    elif covers and origin == "sam-event":
        if default is None:
            d = Decision(UNKNOWN, None, None, aa.path,
                         f"DefaultAuthorizer of {api_name} could not be determined{aa.note}", aa.scenario)
        else:
            d = Decision(NONE, None, None, aa.path, f"DefaultAuthorizer of {api_name} is NONE{aa.note}",
                         aa.scenario)
    # 3. OpenAPI security
    if d is None and origin == "openapi":
        d = _openapi_security(b, api, security, default)
    # 4. nothing
    if d is None:
        d = _nothing(b, api, api_name, kind, origin, aa, event, cors_path)
    d.api_key = _api_key(b, api, kind, method, origin, aa, event, d.api_key)
    return d


def _event_authorizer(b, api, api_name, kind, aa: ApiAuth, event: EventAuth) -> Decision:
    name, scen, note = b.choose(event.auth.get("Authorizer"), within=event.within)
    decided = event.path + ("Authorizer",)
    if name is None:
        return Decision(UNKNOWN, None, None, decided,
                        f"event Auth.Authorizer could not be determined{note}", scen)
    if name.upper() == NONE:
        return Decision(NONE, None, None, decided,
                        (f"event Auth.Authorizer is NONE{note}, overriding DefaultAuthorizer "
                         f"{aa.default or '(none)'} on {api_name}"), scen)
    auth, authz, obj, reason, scen = named(b, api, name, kind, "event Auth.Authorizer")
    return Decision(auth, authz, obj, decided, reason, scen, ref=name)


def _openapi_security(b, api: _Api, security: Security, default: str | None) -> Decision:
    sec, where, alts = security.sec, security.where, security.alts
    decided = b.dp(api, security.path)
    auth, authz, obj, key = NONE, None, None, False
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
            if any(scheme_is_key(b, api, n) for n in a):
                key = True
        if best is None:
            names = ", ".join(sorted({n for a in alts for n in a}))
            if any("NONE" in a for a in alts) and api.sam:
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
    if auth == NONE and api.kind == "REST" and not any("NONE" in a for a in alts):
        x = _x_amazon_auth(security)
        if x is not None:
            return Decision(x[0], None, None, b.dp(api, x[1]), x[2], api_key=key)
    return Decision(auth, authz, obj, decided, reason, api_key=key)


def _x_amazon_auth(security: Security) -> tuple | None:
    """``x-amazon-apigateway-auth: {type: AWS_IAM}`` on a REST operation (API Gateway's own
    extension; ``type`` is ``NONE`` or ``AWS_IAM``, case-insensitive): (auth, decided at,
    reason), or None when the operation does not write one."""
    xa = security.op.get("x-amazon-apigateway-auth")
    if not isinstance(xa, dict) or "type" not in xa or not security.op_path:
        return None
    path = security.op_path + ("x-amazon-apigateway-auth", "type")
    t = xa.get("type")
    if not isinstance(t, str):
        return UNKNOWN, path, "x-amazon-apigateway-auth type could not be determined"
    if t.upper() == "AWS_IAM":
        return AWS_IAM, path, "the operation's x-amazon-apigateway-auth type is AWS_IAM"
    if t.upper() == NONE:
        return NONE, path, "the operation's x-amazon-apigateway-auth type is NONE"
    return None


def _nothing(b, api, api_name, kind, origin, aa: ApiAuth, event, cors_path) -> Decision:
    if origin == "cors":
        return Decision(NONE, None, None, cors_path,
                        "Cors preflight added by SAM (browsers send it without credentials)")
    if aa.written:   # a SAM event the DefaultAuthorizer does not cover: an OPTIONS
        return Decision(NONE, None, None, event.event_path,
                        f"the DefaultAuthorizer of {api_name} is not applied to OPTIONS"
                        + (" (AddDefaultAuthorizerToCorsPreflight is false)" if kind == "REST" else ""))
    if api is None:
        return Decision(UNKNOWN, None, None, event.event_path,
                        f"the API {api_name} is not defined in this template")
    if b.t.from_serverless:
        return Decision(NONE, None, None, event.event_path,
                        f"its `{'http' if kind == 'REST' else 'httpApi'}` event sets no "
                        f"`authorizer`")
    return Decision(NONE, None, None, event.event_path,
                    f"no DefaultAuthorizer on {api_name} ({api_auth_where(b, api, kind)}) "
                    f"and the event sets no Auth.Authorizer")


def _api_key(b, api, kind, method, origin, aa: ApiAuth, event, key: bool) -> bool:
    """ApiKeyRequired (REST only; never authentication): an event's Auth.ApiKeyRequired
    overrides the API's; a SAM API's default covers OPTIONS unless
    AddApiKeyRequiredToCorsPreflight is false."""
    if origin == "sam-event":
        if kind != "REST":
            return False
        if "ApiKeyRequired" in event.auth:
            return b.flag(event.auth.get("ApiKeyRequired"))
        return aa.api_key_required
    if origin == "openapi" and api.sam and api.kind == "REST" and aa.api_key_required \
            and not (method == "OPTIONS" and not aa.key_to_preflight):
        return True
    return key


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


def sam_lookup(b, api: _Api | None, name: str, kind: str) -> Authorizer | None:
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


def named(b, api: _Api | None, name: str, kind: str, what: str):
    obj = sam_lookup(b, api, name, kind)
    if obj is None:
        if api is None:
            if name == "AWS_IAM" and kind == "REST":   # set on the method, whatever the API
                return AWS_IAM, name, None, f"{what} is {name} (on an API outside this template)", EMPTY
            return UNKNOWN, name, None, f"{what} is {name} on an API outside this template", EMPTY
        return UNKNOWN, name, None, f"{what} is {name}, which is not defined on {api.lid}", EMPTY
    return obj.auth, name, obj, f"{what} is {name}", EMPTY


def authorization_type(at_u, shown, at_node, note, known: dict) -> tuple[str, str]:
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


def url_auth(at, note, written) -> tuple[str, str]:
    if not written:
        return UNKNOWN, "AuthType is not set (required)"
    if at is None:
        return UNKNOWN, f"AuthType could not be determined{note}"
    if at.upper() == NONE:
        return NONE, f"AuthType is NONE{note}"
    if at.upper() == "AWS_IAM":
        return AWS_IAM, "AuthType is AWS_IAM"
    return UNKNOWN, f"AuthType {at} is not recognised"

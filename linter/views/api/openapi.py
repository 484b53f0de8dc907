"""Routes written in an inline OpenAPI / Swagger body (``Body`` of ``AWS::ApiGateway::RestApi`` /
``AWS::ApiGatewayV2::Api``, SAM ``DefinitionBody``), with ``security`` (operation over global)
and, on SAM APIs, the ``DefaultAuthorizer`` SAM writes into operations (``swagger/swagger.py``,
``open_api/open_api.py``).
"""

from __future__ import annotations

from ...graph import Edge
from .effective_auth import sam_lookup
from .model import HTTP_METHODS, NONE, UNKNOWN, Authorizer, Route, _Api
from .openapi_doc import scheme_kind, schemes
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
    r = api.resource
    auth = r.prop("Auth") if api.sam else None
    auth = auth if isinstance(auth, dict) else {}
    default = None
    default_path = r.doc_path(("Properties", "Auth", "DefaultAuthorizer"))
    if api.sam and "DefaultAuthorizer" in auth:
        default, _s, _n = b.choose(auth.get("DefaultAuthorizer"), default=NONE)
    add_to_preflight = True
    if api.sam and api.kind == "REST" and "AddDefaultAuthorizerToCorsPreflight" in auth:
        add_to_preflight = b.flag(auth.get("AddDefaultAuthorizerToCorsPreflight"))
    api_key_default = api.sam and api.kind == "REST" and b.flag(auth.get("ApiKeyRequired"))
    key_preflight = b.flag(auth.get("AddApiKeyRequiredToCorsPreflight")) if "AddApiKeyRequiredToCorsPreflight" in auth else True
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
                                         global_sec, bpath, default, default_path,
                                         add_to_preflight, api_key_default, key_preflight)
                    break


def _operation(b, api, opath, op, method, pth, global_sec, bpath, default, default_path,
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
    decided = b.dp(api, sec_path)
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
        obj = sam_lookup(b, api, default, api.kind) or api.authorizers.get(default)
        auth = obj.auth if obj else UNKNOWN
        authz = default
        decided = default_path
        reason = f"DefaultAuthorizer of {api.lid} is {default}"
        key = any(scheme_is_key(b, api, n) for a in alts for n in a)
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
                if alt_has_key(b, api, a):
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
    ignored = b.ignored_auth.get((api.lid, method, pth))
    if ignored and auth == NONE:
        reason += (f" (the Auth of event {ignored} is ignored: SAM does not change a written "
                   f"DefinitionBody unless the event sets OverrideApiAuth)")
    if api_key_default and not (method == "OPTIONS" and not key_preflight):
        key = True
    fn = b.function_of(get(op, "x-amazon-apigateway-integration", "uri"))
    if fn:
        b.edges.append((api.lid, fn, Edge.INVOKES, b.dp(api, opath)))
    b.routes.append(Route(
        api=api.lid, kind=api.kind, method=method, path=pth, auth=auth, authorizer=authz,
        decided_at=decided, api_key_required=key, function=fn, owner=api.owner,
        doc_path=b.dp(api, opath), restricted=api.restricted, reason=reason,
        source="openapi", authorizer_obj=obj,
        implicit_api=bool(api.resource is not None and api.resource.implicit)))


def scheme_is_key(b, api: _Api, name: str) -> bool:
    body, _ = b.body_of(api)
    sch = schemes(body)[0].get(name) if isinstance(body, dict) else None
    return name in ("api_key",) or (isinstance(sch, dict) and scheme_kind(sch) == "API_KEY")


def alt_has_key(b, api: _Api, alt: dict) -> bool:
    return any(scheme_is_key(b, api, n) for n in alt)

"""The OPTIONS preflight methods SAM adds to every path of a REST API with ``Cors``."""

from __future__ import annotations

from .effective_auth import sam_lookup
from .model import NONE, Route


def produce(b) -> None:
    """SAM adds an OPTIONS method (a MOCK integration) to every path of a REST API with
    ``Cors``; the DefaultAuthorizer covers it unless AddDefaultAuthorizerToCorsPreflight is
    false (api_generator._add_cors runs before _add_auth)."""
    by_api: dict = {}  # routes grouped once: scanning all routes per API was quadratic
    for rt in b.routes:
        by_api.setdefault(rt.api, []).append(rt)
    for api in b.apis.values():
        r = api.resource
        if not api.sam or api.kind != "REST" or r is None or r.prop("Cors") is None:
            continue
        if b.user_definition(api) and b.body_of(api)[0] is None:
            continue
        mine = by_api.get(api.lid, ())
        paths = sorted({rt.path for rt in mine if rt.source in ("sam-event", "openapi")})
        have = {rt.path for rt in mine if rt.method == "OPTIONS"}
        auth = r.prop("Auth") if isinstance(r.prop("Auth"), dict) else {}
        default = None
        if "DefaultAuthorizer" in auth:
            default, _s, _n = b.choose(auth.get("DefaultAuthorizer"), default=NONE)
        if "AddDefaultAuthorizerToCorsPreflight" in auth and \
                not b.flag(auth.get("AddDefaultAuthorizerToCorsPreflight")):
            default = None
        cors_path = r.doc_path(("Properties", "Cors"))
        for pth in paths:
            if pth in have:
                continue
            obj = sam_lookup(b, api, default, "REST") if default and default.upper() != NONE else None
            if obj is not None:
                a, authz = obj.auth, default
                decided = r.doc_path(("Properties", "Auth", "DefaultAuthorizer"))
                reason = f"Cors preflight added by SAM; DefaultAuthorizer of {api.lid} is {default}"
            else:
                a, authz, decided = NONE, None, cors_path
                reason = "Cors preflight added by SAM (browsers send it without credentials)"
            b.routes.append(Route(
                api=api.lid, kind="REST", method="OPTIONS", path=pth, auth=a, authorizer=authz,
                decided_at=decided, api_key_required=False, function=None, owner=api.owner,
                doc_path=cors_path, restricted=api.restricted, reason=reason, source="cors",
                implicit_api=r.implicit))

"""The OPTIONS preflight methods SAM adds to every path of a REST API with ``Cors``."""

from __future__ import annotations

from .effective_auth import effective_auth
from .model import Route


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
        cors_path = r.doc_path(("Properties", "Cors"))
        for pth in paths:
            if pth in have:
                continue
            d = effective_auth(b, api, api.lid, "REST", "OPTIONS", "cors", cors_path=cors_path)
            b.routes.append(Route(
                api=api.lid, kind="REST", method="OPTIONS", path=pth, auth=d.auth, authorizer=d.authorizer,
                decided_at=d.decided_at, api_key_required=False, function=None, owner=api.owner,
                doc_path=cors_path, restricted=api.restricted, reason=d.reason, source="cors",
                implicit_api=r.implicit))

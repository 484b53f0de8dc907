"""Lambda function URLs: ``AWS::Lambda::Url`` and SAM ``FunctionUrlConfig``; their auth is
``AuthType`` (required; ``NONE`` or ``AWS_IAM``).
"""

from __future__ import annotations

from ...graph import Edge
from .effective_auth import url_auth
from .model import Route
from .reader import exists


def produce(b) -> None:
    for u in b.t.of_type("AWS::Lambda::Url"):
        at, scen, note = b.choose(u.prop("AuthType"), within=exists(u))
        fid = b.ref_id(u.prop("TargetFunctionArn"))   # as written: an alias, a version
        fn = b.function_of(u.prop("TargetFunctionArn"))
        if fn is None:
            fn = fid if fid in b.t.resources else None
        auth, reason = url_auth(at, note, u.prop("AuthType") is not None)
        b.routes.append(Route(
            api=u.logical_id, kind="FUNCTION_URL", method="ANY", path="/", auth=auth,
            authorizer=None, decided_at=u.path + ("Properties", "AuthType"),
            api_key_required=False, function=fn, owner=u.logical_id, doc_path=u.path,
            restricted=None, reason=reason, source="function-url", scenario=scen,
            target=fid))
        if fn:
            b.edges.append((u.logical_id, fn, Edge.INVOKES, u.path))
    for fn in b.t.of_type("AWS::Serverless::Function"):
        cfg = fn.prop("FunctionUrlConfig")
        if not isinstance(cfg, dict):
            continue
        at, scen, note = b.choose(cfg.get("AuthType"), within=exists(fn))
        auth, reason = url_auth(at, note, "AuthType" in cfg)
        rel = ("Properties", "FunctionUrlConfig")
        b.routes.append(Route(
            api=fn.logical_id + "Url", kind="FUNCTION_URL", method="ANY", path="/", auth=auth,
            authorizer=None, decided_at=fn.doc_path(rel + ("AuthType",)),
            api_key_required=False, function=fn.logical_id, owner=fn.logical_id,
            doc_path=fn.doc_path(rel), restricted=None, reason=reason, source="function-url",
            scenario=scen))

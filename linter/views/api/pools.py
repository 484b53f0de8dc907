"""What a user-pool ARN, a JWT issuer or an audience (app client) value points at.

Anchored matching: an issuer is a Cognito pool's only when the whole text is
``https://cognito-idp.{region}.amazonaws.com/{pool id}`` (``_ISSUER``); a literal pool ARN only
when the whole text is one (``_POOL_ARN``).
"""

from __future__ import annotations

import re
from typing import Any

from ...model.values import SValue
from .model import CLIENT_TYPE, POOL_TYPE, PoolRef

_POOL_ARN = re.compile(r"^arn:[^:]+:cognito-idp:[^:]+:[^:]+:userpool/.+$")
_ISSUER = re.compile(r"^https://cognito-idp\.([^/]+)\.amazonaws\.com/([^/]+)$")


def resolve_pool(b, node: Any) -> list[PoolRef]:
    """Every alternative of a user-pool ARN value, resolved."""
    out = []
    for sv in b.v.strings(node):
        out.append(pool_of(b, sv, arn=True))
    return out


def resolve_issuer(b, node: Any) -> list[PoolRef]:
    out = []
    for sv in b.v.strings(node):
        out.append(issuer_pool(b, sv))
    return out


def client_pool(b, node: Any) -> list[tuple[str, PoolRef | None]]:
    """For an audience value: (client logical id or status, the pool that client belongs to)."""
    out = []
    for sv in b.v.strings(node):
        ref = sv.single_ref()
        if b.opaque(sv):
            out.append(("unknown", None))
        elif ref and ref[1] is None:
            r = b.t.get(ref[0])
            if r is None:
                out.append(("undefined:" + ref[0], None))
            elif r.type == POOL_TYPE:
                out.append(("pool_id:" + ref[0], None))
            elif r.type != CLIENT_TYPE:
                out.append(("not_client:" + ref[0], None))
            else:
                pools = [pool_of(b, p, arn=False) for p in b.v.strings(r.prop("UserPoolId"))]
                out.append((ref[0], pools[0] if pools else None))
        elif sv.refs:
            rid = sv.refs[0][0]
            r = b.t.get(rid)
            if r is not None and r.type == POOL_TYPE:
                out.append(("pool_id:" + rid, None))
            else:
                out.append(("unknown", None))
        else:
            out.append(("unknown" if not sv.known else "literal", None))
    return out


def _outer(b, sv: SValue) -> tuple | None:
    """(label, type, attribute) when ``sv`` is exactly one resource of another stack whose type
    is known: a parent's passed down as a parameter, another assembly stack's export."""
    o = b.t.outer_resource(sv)
    return o if o is not None and o[1] is not None else None


def outer_pool(b, sv: SValue, arn: bool) -> PoolRef | None:
    """What another stack's resource given as a user pool ARN (``arn``) or id is."""
    o = _outer(b, sv)
    if o is None:
        return None
    label, rtype, attr = o
    if rtype != POOL_TYPE:
        return PoolRef("not_pool", label, sv.text, type=rtype)
    if (arn and attr != "Arn") or (not arn and attr not in (None, "UserPoolId")):
        return PoolRef("malformed", label, sv.text, type=rtype)
    return PoolRef("pool", label, sv.text, type=rtype)


def pool_of(b, sv: SValue, arn: bool) -> PoolRef:
    if b.opaque(sv):
        return PoolRef("unknown", text=sv.text)
    outer = outer_pool(b, sv, arn)
    if outer is not None:
        return outer
    if sv.imports:
        return PoolRef("import", text=sv.text)
    if sv.params:
        return PoolRef("param", text=sv.text)
    ref = sv.single_ref()
    if ref is not None:
        r = b.t.get(ref[0])
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
        pools = [lid for lid, _a in sv.refs if (b.t.get(lid) and b.t.get(lid).type == POOL_TYPE)]
        if arn and "cognito-idp" in sv.text and "userpool/" in sv.text:
            if pools:
                return PoolRef("pool", pools[0], sv.text)
            others = [lid for lid, _a in sv.refs if b.t.get(lid) is not None]
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


def issuer_pool(b, sv: SValue) -> PoolRef:
    if b.opaque(sv):
        return PoolRef("unknown", text=sv.text)
    if sv.imports and sv.is_placeholder_only:
        return PoolRef("import", text=sv.text)
    if sv.params and sv.is_placeholder_only:
        return PoolRef("param", text=sv.text)
    text = sv.text
    outer = _outer_issuer(b, sv)
    if outer is not None:
        return outer
    pools = [(lid, a) for lid, a in sv.refs if b.t.get(lid) and b.t.get(lid).type == POOL_TYPE]
    if pools and any(a == "ProviderURL" for _l, a in pools):
        # ProviderURL is `cognito-idp.{region}.amazonaws.com/{poolId}`, without the scheme
        for lid, a in pools:
            if a == "ProviderURL" and text == f"https://{{GetAtt:{lid}.ProviderURL}}":
                return PoolRef("pool", lid, text)
        return PoolRef("malformed", pools[0][0], text)
    if "cognito-idp" not in text:
        ref = sv.single_ref()
        if ref and b.t.get(ref[0]) is not None and b.t.get(ref[0]).type == POOL_TYPE:
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
        # the pool id is the whole last segment (`.../{Ref:Pool}x` is another issuer)
        for lid, _a in pools:
            if m.group(2) in (f"{{Ref:{lid}}}", f"{{GetAtt:{lid}.UserPoolId}}"):
                return PoolRef("pool", lid, text)
        return PoolRef("malformed", pools[0][0], text)
    other = [lid for lid, _a in sv.refs if b.t.get(lid) is not None]
    if other:
        return PoolRef("not_pool", other[0], text)
    if sv.params or sv.imports or sv.from_param:
        return PoolRef("param", text=text)
    return PoolRef("external", text=text)


def _outer_issuer(b, sv: SValue) -> PoolRef | None:
    """An issuer built from one resource of another stack whose type is known: its pool id
    (``https://cognito-idp.{region}.amazonaws.com/${AuthStack.Pool}``) or its ProviderURL."""
    o = b.t.outer_resource(sv, placeholder_only=False)
    if o is None or o[1] is None:
        return None
    label, rtype, attr = o
    if rtype != POOL_TYPE:
        return PoolRef("not_pool", label, sv.text, type=rtype)
    m = _ISSUER.match(sv.text)
    if (attr == "ProviderURL" and sv.text == f"https://{{{label}}}") \
            or (m and attr in (None, "UserPoolId") and m.group(2) == f"{{{label}}}"):
        return PoolRef("pool", label, sv.text, type=rtype)
    return PoolRef("malformed", label, sv.text, type=rtype)

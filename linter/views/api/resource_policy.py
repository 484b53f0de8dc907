"""API resource policies: whether a policy (CloudFormation ``Policy``, OpenAPI
``x-amazon-apigateway-policy``, SAM ``Auth.ResourcePolicy``) limits who may call.

Moved here unchanged from the single API view module so that it can be swapped for the shared
policy-statement interpreter (``slint.policy``) without touching the route producers.
"""

from __future__ import annotations

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


def sam_policy_restriction(b, rp) -> str | None:
    if not isinstance(rp, dict):
        return None
    for key, what in _SAM_POLICY_RESTRICT.items():
        if rp.get(key):
            return f"resource policy allows only listed {what} ({key})"
    cs = rp.get("CustomStatements")
    if cs:
        return policy_restriction(b, {"Statement": cs})
    return None


def policy_restriction(b, doc) -> str | None:
    """Why an API resource policy limits callers, or None."""
    if isinstance(doc, str) or (isinstance(doc, dict) and len(doc) == 1
                                and next(iter(doc)) in ("Fn::Sub", "Fn::Join")):
        doc = json_policy(b, doc)
    if not isinstance(doc, dict):
        return None
    stmts = [it for _i, it, _s in b.v.items(doc.get("Statement")) if isinstance(it, dict)]
    if not stmts:
        return None
    allows = [s for s in stmts if b.text(s.get("Effect")) == "Allow"]
    denies = [s for s in stmts if b.text(s.get("Effect")) == "Deny"]
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
        if why is None and not _principal_is_public(s, b.v):
            why = "resource policy allows only named principals"
        if why is None:
            return None
        reasons.append(why)
    return reasons[0] if reasons else None


def json_policy(b, node) -> dict | None:
    """A policy written as a JSON string (often inside `!Sub`)."""
    import json
    vals = b.v.strings(node)
    if len(vals) != 1 or not vals[0].text.lstrip().startswith("{"):
        return None
    try:
        doc = json.loads(vals[0].text)
    except ValueError:
        return None
    return doc if isinstance(doc, dict) else None


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

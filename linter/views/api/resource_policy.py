"""API resource policies: whether a policy (CloudFormation ``Policy``, OpenAPI
``x-amazon-apigateway-policy``, SAM ``Auth.ResourcePolicy``) limits who may call.

What a policy document means is the shared policy interpreter's answer (``slint.policy``):
the same statement reads the same here as on a bucket or a role.
"""

from __future__ import annotations

from ...policy.keys import SOURCE_IP, SOURCE_VPC, SOURCE_VPCE

# SAM ResourcePolicy keys that restrict who may call (allow lists)
_SAM_POLICY_RESTRICT = {
    "AwsAccountWhitelist": "AWS accounts",
    "IpRangeWhitelist": "source IP ranges",
    "SourceVpcWhitelist": "source VPCs/VPC endpoints",
    "IntrinsicVpcWhitelist": "source VPCs",
    "IntrinsicVpceWhitelist": "VPC endpoints",
}


# SAM ResourcePolicy network lists -> (condition key, operator of the Deny SAM adds)
# (samtranslator/swagger/swagger.py add_resource_policy: every one of these adds an
# ``Allow *`` beside its ``Deny``; a whitelist denies callers outside it, a blacklist only
# those inside it)
_SAM_NETWORK_LISTS = {
    "IpRangeWhitelist": (SOURCE_IP, "NotIpAddress"),
    "IpRangeBlacklist": (SOURCE_IP, "IpAddress"),
    "SourceVpcWhitelist": (SOURCE_VPC, "StringNotEquals"),
    "SourceVpcBlacklist": (SOURCE_VPC, "StringEquals"),
    "IntrinsicVpcWhitelist": (SOURCE_VPC, "StringNotEquals"),
    "IntrinsicVpcBlacklist": (SOURCE_VPC, "StringEquals"),
    "IntrinsicVpceWhitelist": (SOURCE_VPCE, "StringNotEquals"),
    "IntrinsicVpceBlacklist": (SOURCE_VPCE, "StringEquals"),
}


def sam_policy_statements(rp: dict) -> list:
    """The statements SAM's transform writes for a ``ResourcePolicy`` (in its order)."""
    stmts: list = []
    allow_all = {"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke"}
    if rp.get("AwsAccountWhitelist") is not None:
        stmts.append({"Effect": "Allow", "Principal": {"AWS": rp["AwsAccountWhitelist"]},
                      "Action": "execute-api:Invoke"})
    if rp.get("AwsAccountBlacklist") is not None:
        stmts.append({"Effect": "Deny", "Principal": {"AWS": rp["AwsAccountBlacklist"]},
                      "Action": "execute-api:Invoke"})
    for key, (cond_key, op) in _SAM_NETWORK_LISTS.items():
        if rp.get(key):
            if allow_all not in stmts:
                stmts.append(allow_all)
            stmts.append({"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke",
                          "Condition": {op: {cond_key: rp[key]}}})
    cs = rp.get("CustomStatements")
    if isinstance(cs, list):
        stmts.extend(cs)
    elif isinstance(cs, dict):
        stmts.append(cs)
    return stmts


def sam_policy_restriction(b, rp) -> str | None:
    """Whether a SAM ``Auth.ResourcePolicy`` limits who may call, judged on the statements
    the transform writes for it: an ``IpRangeBlacklist`` (or any blacklist) adds ``Allow *``,
    so listed AWS accounts beside it restrict nothing."""
    if not isinstance(rp, dict):
        return None
    stmts = sam_policy_statements(rp)
    if not stmts:
        return None
    why = policy_restriction(b, {"Statement": stmts})
    if why is None:
        return None
    for key, what in _SAM_POLICY_RESTRICT.items():
        if rp.get(key):
            return f"resource policy allows only listed {what} ({key})"
    return why


def policy_restriction(b, doc) -> str | None:
    """Why an API resource policy limits callers, or None."""
    from ...policy import restriction
    return restriction(b.v, doc)


def policy_denials(b, api) -> list:
    """The Denies of a REST API's resource policy (SAM ``Auth.ResourcePolicy``, ``Policy``,
    the body's ``x-amazon-apigateway-policy``) that keep callers out of some routes only
    (``slint.policy.scoped_denials``)."""
    from ...policy import scoped_denials
    r = api.resource
    if r is None or api.kind != "REST":
        return []
    docs = []
    if api.sam:
        rp = r.prop("Auth", "ResourcePolicy")
        if isinstance(rp, dict) and sam_policy_statements(rp):
            docs.append({"Statement": sam_policy_statements(rp)})
    else:
        docs.append(r.prop("Policy"))
    body, _bp = b.body_of(api)
    if isinstance(body, dict):
        docs.append(body.get("x-amazon-apigateway-policy"))
    out: list = []
    for doc in docs:
        if doc is not None:
            out.extend(scoped_denials(b.v, doc))
    return out

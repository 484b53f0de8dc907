"""API resource policies: whether a policy (CloudFormation ``Policy``, OpenAPI
``x-amazon-apigateway-policy``, SAM ``Auth.ResourcePolicy``) limits who may call.

What a policy document means is the shared policy interpreter's answer (``slint.policy``):
the same statement reads the same here as on a bucket or a role.
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
    from ...policy import restriction
    return restriction(b.v, doc)

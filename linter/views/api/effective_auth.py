"""Effective authorization of a route."""

from __future__ import annotations

from ...model.values import EMPTY
from .model import AWS_IAM, COGNITO, JWT, LAMBDA, NONE, UNKNOWN, Authorizer, _Api

# AuthorizationType values that authenticate, per resource type
REST_AUTH_TYPES = {"AWS_IAM": AWS_IAM, "COGNITO_USER_POOLS": COGNITO, "CUSTOM": LAMBDA}
V2_AUTH_TYPES = {"AWS_IAM": AWS_IAM, "JWT": JWT, "CUSTOM": LAMBDA}


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

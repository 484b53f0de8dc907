"""Reading an inline OpenAPI / Swagger document: its operations and security schemes."""

from __future__ import annotations

from .model import HTTP_METHODS
from .reader import get


def body_ops(body: dict, written_only: bool = False) -> set:
    """(METHOD, path) of the operations of an OpenAPI / Swagger body. ``written_only``: only
    operations written as a mapping (``post:`` with nothing under it is null: SAM's HTTP API
    generator writes the event's integration into it, with no security)."""
    out = set()
    paths = body.get("paths")
    if isinstance(paths, dict):
        for pth, item in paths.items():
            if isinstance(item, dict):
                for m, op in item.items():
                    if written_only and not isinstance(op, dict):
                        continue
                    if isinstance(m, str) and m.lower() in HTTP_METHODS:
                        out.add(("ANY" if m.lower() in ("x-amazon-apigateway-any-method", "any")
                                 else m.upper(), pth))
    return out


def schemes(body: dict) -> tuple[dict, tuple]:
    """The security schemes of an OpenAPI / Swagger body and where they are ({} when none)."""
    s = body.get("securityDefinitions")
    if isinstance(s, dict):
        return s, ("securityDefinitions",)
    s = get(body, "components", "securitySchemes")
    return (s if isinstance(s, dict) else {}), ("components", "securitySchemes")


def scheme_kind(sch: dict) -> str:
    ext = sch.get("x-amazon-apigateway-authorizer")
    authtype = str(sch.get("x-amazon-apigateway-authtype") or "").lower()
    if isinstance(ext, dict):
        t = str(ext.get("type") or "").lower()
        if t == "cognito_user_pools":
            return "COGNITO_USER_POOLS"
        if t == "token":
            return "TOKEN"
        if t == "request":
            return "REQUEST"
        if t == "jwt":
            return "JWT"
        return "UNKNOWN"
    if authtype == "awssigv4":
        return "AWS_IAM"
    if authtype == "cognito_user_pools":
        return "COGNITO_USER_POOLS"
    if str(sch.get("type") or "").lower() == "apikey" and not authtype:
        return "API_KEY"
    return "OTHER"


def scheme_is_key(b, api, name: str) -> bool:
    """The security scheme ``name`` of ``api``'s body is an API key (not authentication)."""
    body, _ = b.body_of(api)
    sch = schemes(body)[0].get(name) if isinstance(body, dict) else None
    return name in ("api_key",) or (isinstance(sch, dict) and scheme_kind(sch) == "API_KEY")

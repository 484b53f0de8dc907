"""The route table's records: routes, authorizers, references to authorizers, pool lookups.

Plain data, built by the producers of this package and read by rules through ``ctx.routes``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...model.values import EMPTY

# effective auth values
NONE = "NONE"
AWS_IAM = "AWS_IAM"
COGNITO = "COGNITO"
JWT = "JWT"
LAMBDA = "LAMBDA"
UNKNOWN = "UNKNOWN"

LAMBDA_TYPES = ("AWS::Lambda::Function", "AWS::Serverless::Function", "AWS::Lambda::Alias",
                "AWS::Lambda::Version")
POOL_TYPE = "AWS::Cognito::UserPool"
CLIENT_TYPE = "AWS::Cognito::UserPoolClient"

HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace",
                "x-amazon-apigateway-any-method", "any"}
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE", "ANY"}


@dataclass
class Authorizer:
    """An authorizer an API can use, whatever wrote it."""
    api: str | None            # logical id of the API (None when the API is not in the template)
    name: str                  # SAM / OpenAPI name, or the logical id of an Authorizer resource
    kind: str                  # COGNITO_USER_POOLS | JWT | TOKEN | REQUEST | AWS_IAM | UNKNOWN
    owner: str                 # logical id as written
    doc_path: tuple            # where it is defined
    source: str                # resource | sam | openapi
    logical_id: str | None = None       # AWS::ApiGateway(V2)::Authorizer resource
    providers: list | None = None       # COGNITO: [(node, doc path)]; None when not written
    providers_path: tuple = ()          # where ProviderARNs / UserPoolArn is (or would be)
    issuer: tuple | None = None         # JWT: (node, doc path)
    audience: list | None = None        # JWT: [(node, doc path)]
    jwt_path: tuple = ()
    function: str | None = None         # Lambda authorizer function, when known
    sam_api_type: str | None = None     # REST | HTTP for SAM-defined ones

    @property
    def auth(self) -> str:
        return {"COGNITO_USER_POOLS": COGNITO, "JWT": JWT, "TOKEN": LAMBDA, "REQUEST": LAMBDA,
                "AWS_IAM": AWS_IAM}.get(self.kind, UNKNOWN)


@dataclass
class AuthorizerRef:
    """A place that names an authorizer: SAM ``DefaultAuthorizer`` / event ``Auth.Authorizer``."""
    api: str
    name: str
    path: tuple
    owner: str
    what: str                  # "DefaultAuthorizer" | "Auth.Authorizer"
    target: Authorizer | None  # None: not defined
    api_kind: str              # REST | HTTP


@dataclass
class Route:
    api: str                   # logical id of the API (may be implicit), or the function URL's
    kind: str                  # REST | HTTP | WEBSOCKET | FUNCTION_URL
    method: str
    path: str
    auth: str                  # NONE | AWS_IAM | COGNITO | JWT | LAMBDA | UNKNOWN
    authorizer: str | None
    decided_at: tuple
    api_key_required: bool
    function: str | None
    owner: str
    doc_path: tuple
    restricted: str | None
    reason: str = ""           # a sentence: how the effective auth was decided
    source: str = ""           # method | v2route | openapi | sam-event | websocket | function-url | quick-create
    authorization_type: str | None = None   # as written on a Method / Route
    authorization_type_path: tuple = ()
    authorizer_obj: Authorizer | None = None
    authorizer_id_path: tuple | None = None  # where AuthorizerId is written, when it is
    scenario: frozenset = EMPTY
    implicit_api: bool = False
    no_connect: bool = False   # a WebSocket route of an API without `$connect`: nothing authorizes
    target: str | None = None  # a function URL's TargetFunctionArn as written (an alias, a version)

    @property
    def open(self) -> bool:
        return self.auth == NONE and not self.restricted

    @property
    def undetermined(self) -> bool:
        """The auth depends on a value slint cannot know (a parameter without default, ...)."""
        return self.auth == UNKNOWN and "could not be determined" in self.reason

    @property
    def is_preflight(self) -> bool:
        return self.method == "OPTIONS"

    @property
    def is_write(self) -> bool:
        return self.method in WRITE_METHODS or self.kind == "WEBSOCKET"

    @property
    def label(self) -> str:
        """`GET /pets`, `$connect` (WebSocket), `ANY /` (function URL)."""
        return self.path if self.kind == "WEBSOCKET" else f"{self.method} {self.path}"

    def to_dict(self) -> dict:
        return {"api": self.api, "kind": self.kind, "method": self.method, "path": self.path,
                "auth": self.auth, "authorizer": self.authorizer,
                "decided_at": list(self.decided_at), "reason": self.reason,
                "api_key_required": self.api_key_required, "function": self.function,
                "owner": self.owner, "declared_at": list(self.doc_path),
                "restricted": self.restricted, "open": self.open}


@dataclass
class PoolRef:
    """What a user-pool reference resolves to."""
    status: str        # pool | param | import | external | unknown | not_pool | undefined | malformed
    pool: str | None = None
    text: str = ""
    # the resource's type when ``pool`` is another stack's resource (``Parent.Pool``,
    # ``AuthStack.Pool``: a parent's passed down, another assembly stack's export)
    type: str | None = None


@dataclass
class _Api:
    lid: str
    kind: str                   # REST | HTTP | WEBSOCKET
    resource: Any               # model Resource or None
    owner: str
    sam: bool = False
    authorizers: dict = field(default_factory=dict)   # name -> Authorizer
    restricted: str | None = None

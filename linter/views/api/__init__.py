"""API route table: every route a template exposes, with its effective authorization and where
that was decided.

Covered shapes:

- REST (v1): ``AWS::ApiGateway::Method`` under ``AWS::ApiGateway::Resource`` chains, and routes
  written in an inline OpenAPI/Swagger ``Body`` of ``AWS::ApiGateway::RestApi``;
- HTTP and WebSocket (v2): ``AWS::ApiGatewayV2::Route``, quick-create ``Target`` on
  ``AWS::ApiGatewayV2::Api``, inline OpenAPI ``Body``; on a WebSocket API only ``$connect`` can be
  authorized, every other route inherits what ``$connect`` decided;
- SAM: ``AWS::Serverless::Api`` / ``HttpApi`` / ``WebSocketApi`` (explicit and the implicit
  ``ServerlessRestApi`` / ``ServerlessHttpApi``), function events ``Api`` / ``HttpApi`` with
  per-event ``Auth``, ``DefaultAuthorizer`` (``NONE`` on an event overrides it), ``Globals``,
  ``DefinitionBody``, ``AddDefaultAuthorizerToCorsPreflight``, ``ApiKeyRequired``,
  ``ResourcePolicy``, ``EnableIamAuthorizer``;
- Lambda function URLs: ``AWS::Lambda::Url`` and SAM ``FunctionUrlConfig``.

The semantics follow the SAM translator (``model/api/api_generator.py``,
``http_api_generator.py``, ``swagger/swagger.py``, ``open_api/open_api.py``,
``model/eventsources/push.py``), which the tests use as an oracle; it is never imported here.

Package layout: ``model`` (the records), ``build`` (shared state and the order producers run
in), one producer module per API kind (``rest_methods``, ``v2_routes``, ``openapi``,
``sam_events``, ``sam_websocket``, ``function_urls``, ``cors``), ``authorizers``,
``restrictions`` / ``resource_policy`` (API-level limits on callers), ``effective_auth`` (the
one place where SAM and API Gateway auth precedence is decided), ``pools`` (user pools, issuers,
audiences), ``reader`` (value helpers).

Values are evaluated symbolically: an authorization written with ``!If`` or a parameter yields
the least protected alternative (with its scenario), and a value that cannot be known becomes
``UNKNOWN``, never an accidental pass.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .model import (AWS_IAM, CLIENT_TYPE, COGNITO, HTTP_METHODS, JWT, LAMBDA, LAMBDA_TYPES, NONE,
                    POOL_TYPE, UNKNOWN, WRITE_METHODS, Authorizer, AuthorizerRef, PoolRef, Route)

if TYPE_CHECKING:  # pragma: no cover
    from ...graph import ResourceGraph
    from ...model.template import Template
    from ...model.values import Evaluator

__all__ = ["AWS_IAM", "CLIENT_TYPE", "COGNITO", "HTTP_METHODS", "JWT", "LAMBDA", "LAMBDA_TYPES",
           "NONE", "POOL_TYPE", "UNKNOWN", "WRITE_METHODS", "Authorizer", "AuthorizerRef",
           "PoolRef", "Route", "RouteView"]


class RouteView:
    """Every route a template exposes with its effective auth (``ctx.routes``)."""

    def __init__(self, template: "Template", values: "Evaluator", graph: "ResourceGraph"):
        from . import pools
        from .build import Build
        self._pools = pools
        b = self._b = Build(template, values, graph).run()
        self._routes: list[Route] = b.routes
        self._authorizers: list[Authorizer] = b.authorizers
        self._refs: list[AuthorizerRef] = b.refs
        self.notes: list[tuple[str, str]] = b.notes   # (api, what could not be seen)
        # edges this table found that the resource graph's builder does not make (phase 2)
        self.unbuilt_edges: list[tuple] = b.unbuilt_edges

    def routes(self) -> list[Route]:
        return list(self._routes)

    def open_routes(self) -> list[Route]:
        return [r for r in self._routes if r.open]

    def authorizers(self) -> list[Authorizer]:
        return list(self._authorizers)

    def authorizer_refs(self) -> list[AuthorizerRef]:
        return list(self._refs)

    def resolve_pool(self, node: Any) -> list[PoolRef]:
        """Every alternative of a user-pool ARN value, resolved."""
        return self._pools.resolve_pool(self._b, node)

    def resolve_issuer(self, node: Any) -> list[PoolRef]:
        """Every alternative of a JWT issuer value: the Cognito pool it names, if any."""
        return self._pools.resolve_issuer(self._b, node)

    def client_pool(self, node: Any) -> list[tuple[str, PoolRef | None]]:
        """For an audience value: (client logical id or status, the pool that client belongs to)."""
        return self._pools.client_pool(self._b, node)

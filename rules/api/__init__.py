"""api rules (APIAUTH): who may call a route."""

from .function_url_auth_none import FunctionUrlAuthNone
from .route_without_authorization import RouteWithoutAuthorization

RULES: list = [RouteWithoutAuthorization, FunctionUrlAuthNone]

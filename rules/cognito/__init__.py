"""cognito rules (COGNITO): authorizers that do not check what their author meant."""

from .authorization_type_mismatch import AuthorizationTypeMismatch
from .authorizer_without_user_pool import CognitoAuthorizerWithoutUserPool
from .jwt_issuer_mismatch import JwtIssuerMismatch
from .undefined_authorizer import UndefinedAuthorizer
from .unused_user_pool_authorizer import OpenRouteBesideUnusedUserPoolAuthorizer

RULES: list = [CognitoAuthorizerWithoutUserPool, AuthorizationTypeMismatch, UndefinedAuthorizer,
               JwtIssuerMismatch, OpenRouteBesideUnusedUserPoolAuthorizer]

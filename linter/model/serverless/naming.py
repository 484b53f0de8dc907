"""The Serverless Framework's logical ids (its ``lib/plugins/aws/lib/naming.js``, v3).

Restated from the documented rules, not copied: the framework upper-cases the first letter, spells
``-`` as ``Dash`` and ``_`` as ``Underscore`` in function names, and keeps only letters and digits
in bucket, topic and authorizer names.
"""

from __future__ import annotations

import re

ROLE = "IamRoleLambdaExecution"
DEPLOYMENT_BUCKET = "ServerlessDeploymentBucket"
REST_API = "ApiGatewayRestApi"
HTTP_API = "HttpApi"
WEBSOCKETS_API = "WebsocketsApi"


def upper_first(name: str) -> str:
    return name[:1].upper() + name[1:]


def alnum(name: str) -> str:
    return upper_first(re.sub(r"[^0-9A-Za-z]", "", name))


def resource_name(name: str) -> str:
    """``getNormalizedResourceName``: ``my-fn_x`` -> ``MyDashfnUnderscorex``."""
    return upper_first(name.replace("-", "Dash").replace("_", "Underscore"))


def lambda_id(fn: str) -> str:
    return f"{resource_name(fn)}LambdaFunction"


def function_url_id(fn: str) -> str:
    return f"{resource_name(fn)}LambdaFunctionUrl"


def bucket_id(bucket: str) -> str:
    return f"S3Bucket{alnum(bucket)}"


def topic_id(topic: str) -> str:
    return f"SNSTopic{alnum(topic)}"


def rest_authorizer_id(name: str) -> str:
    return f"{resource_name(name)}ApiGatewayAuthorizer"


def http_authorizer_id(name: str) -> str:
    return f"HttpApiAuthorizer{alnum(name)}"


def websockets_route_id(route: str) -> str:
    key = (route.replace("$", "S").replace("/", "Slash").replace("-", "Dash")
           .replace("_", "Underscore").replace(".", "Period"))
    return f"{key}WebsocketsRoute"


def websockets_integration_id(fn: str) -> str:
    return f"{resource_name(fn)}WebsocketsIntegration"


def websockets_authorizer_id(name: str) -> str:
    return f"{resource_name(name)}WebsocketsAuthorizer"


def per_function_role_id(fn: str) -> str:
    """serverless-iam-roles-per-function: ``<Normalized>IamRoleLambdaExecution``."""
    return f"{resource_name(fn)}IamRoleLambdaExecution"


def api_key_id(number: int, name: str | None) -> str:
    return f"ApiGatewayApiKey{upper_first(name)}{number}" if name else f"ApiGatewayApiKey{number}"


# the trust policy of the role the framework generates for functions
LAMBDA_TRUST = {"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"Service": ["lambda.amazonaws.com"]},
    "Action": ["sts:AssumeRole"]}]}

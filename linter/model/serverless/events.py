"""Function events of a Serverless Framework service, as SAM events and resources.

- ``http`` -> SAM ``Api`` events on ``ApiGatewayRestApi`` (``AWS::Serverless::Api``). Its
  ``authorizer``: ``aws_iam`` -> ``AWS_IAM``; a function name or a Lambda ARN -> a Lambda
  authorizer (``type: request`` -> REQUEST, else TOKEN); an ARN of a Cognito user pool or
  ``type: COGNITO_USER_POOLS`` with ``arn`` -> a Cognito authorizer with that ``UserPoolArn``;
  an ``authorizerId`` (managed elsewhere) -> an authorizer of unknown kind; none -> NONE.
  ``private: true`` -> ``ApiKeyRequired`` (an API key, not authentication).
  ``provider.apiGateway.resourcePolicy`` -> the API's ``ResourcePolicy.CustomStatements``.
- ``httpApi`` -> SAM ``HttpApi`` events on ``HttpApi``; ``provider.httpApi.authorizers`` (JWT
  with ``issuerUrl``/``audience``, ``type: request`` Lambda authorizers); ``authorizer: {type:
  aws_iam}`` -> ``AWS_IAM``; ``provider.httpApi.cors``.
- ``websocket`` -> ``AWS::ApiGatewayV2`` Api ``WebsocketsApi``, one Route per route key (an
  authorizer only on ``$connect``), integrations and authorizers under the framework's ids.
- ``s3`` -> the bucket the framework creates, ``S3Bucket<Name>``, with that literal
  ``BucketName`` (``provider.s3.<ref>`` settings merged) unless ``existing: true``.
- ``sqs`` / ``sns`` / ``stream`` -> SAM event sources (an ``sns`` topic name creates
  ``SNSTopic<Name>``).
"""

from __future__ import annotations

import re
from typing import Any

from . import naming
from typing import TYPE_CHECKING

from .variables import join_parts

if TYPE_CHECKING:  # pragma: no cover - annotations only (translate imports this module)
    from .translate import Builder

_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "any"}


def function_events(b: Builder, key: str, f: dict, fpath: tuple) -> None:
    evs = f.get("events")
    if not isinstance(evs, list):
        return
    props = b.resources[key]["Properties"]
    for i, ev in enumerate(evs):
        if not isinstance(ev, dict) or len(ev) != 1:
            continue
        (kind, body), = ev.items()
        epath = fpath + ("events", i, kind)
        handler = _HANDLERS.get(kind)
        if handler is None:
            continue
        out = handler(b, key, body, epath)
        if out is not None:
            name = f"{kind[:1].upper()}{kind[1:]}{i}"
            props.setdefault("Events", {})[name] = out
            ebase = ("Resources", key, "Properties", "Events", name)
            b.at(("Resources", key, "Properties", "Events"), fpath + ("events",))
            b.at(ebase, epath)
            b.at(ebase + ("Properties",), epath)


def _ev_path(key: str, name: str) -> tuple:
    return ("Resources", key, "Properties", "Events", name, "Properties")


# ---------------------------------------------------------------------------- REST (http)
def _http(b: Builder, key: str, body: Any, epath: tuple) -> dict | None:
    method = path = None
    if isinstance(body, str):
        parts = body.split(None, 1)
        if len(parts) == 2:
            method, path = parts
        body = {}
    elif isinstance(body, dict):
        method, path = body.get("method"), body.get("path")
    else:
        return None
    idx = _index(epath)
    name = f"Http{idx}"
    base = _ev_path(key, name)
    external = _external(b, "apiGateway", "restApiId")
    props: dict = {"RestApiId": external if external is not None else {"Ref": naming.REST_API}}
    props["Method"] = method.upper() if isinstance(method, str) and method.lower() in _METHODS else method
    props["Path"] = ("/" + path.strip("/")) if isinstance(path, str) else path
    for k, src in (("Method", "method"), ("Path", "path")):
        b.at(base + (k,), epath + (src,) if isinstance(body, dict) and src in body else epath)
    auth: dict = {}
    if "authorizer" in body and body["authorizer"] is not None:
        a = _rest_authorizer(b, key, body["authorizer"], epath + ("authorizer",))
        if a is not None:
            auth["Authorizer"] = a
            b.at(base + ("Auth",), epath + ("authorizer",))
            b.at(base + ("Auth", "Authorizer"), epath + ("authorizer",))
            scopes = body["authorizer"].get("scopes") if isinstance(body["authorizer"], dict) else None
            if isinstance(scopes, list):
                auth["AuthorizationScopes"] = scopes
                b.graft(base + ("Auth", "AuthorizationScopes"), epath + ("authorizer", "scopes"))
    if body.get("private") is True:
        auth["ApiKeyRequired"] = True
        b.at(base + ("Auth", "ApiKeyRequired"), epath + ("private",))
        if "Authorizer" not in auth:
            b.at(base + ("Auth",), epath + ("private",))
    if auth:
        props["Auth"] = auth
    b.rest_events.append(epath)
    return {"Type": "Api", "Properties": props}


def _rest_authorizer(b: Builder, key: str, a: Any, apath: tuple) -> str | None:
    authorizers = _rest_authorizers(b)
    a = _literal(b, a)
    if a == "":                 # `authorizer: ''` (a fallback such as ${self:x, ''}): none
        return None
    if isinstance(a, str):
        if a.lower() == "aws_iam":
            return "AWS_IAM"
        if ":" not in a:
            return _lambda_authorizer(b, authorizers, a, {"FunctionArn": _fn_arn(b, a, apath)}, apath)
        if _is_pool_arn(b, a):
            return _add(b, authorizers, a.rsplit("/", 1)[-1], {"UserPoolArn": a}, apath)
        return _lambda_authorizer(b, authorizers, a.rsplit(":", 1)[-1], {"FunctionArn": a}, apath)
    if _is_value(a):    # a string the variables build: a function name or an ARN, deployed
        if _is_pool_arn(b, a):
            return _add(b, authorizers, "Authorizer", {"UserPoolArn": a}, apath)
        return _lambda_authorizer(b, authorizers, "Authorizer", {"FunctionArn": a}, apath)
    if not isinstance(a, dict):
        return None
    typ = a.get("type") if isinstance(a.get("type"), str) else ""
    payload = "REQUEST" if typ.lower() == "request" else "TOKEN"
    name = _literal(b, a.get("name"))
    name = name if isinstance(name, str) and name else None
    header = _header(a.get("identitySource"))
    if typ.lower() == "aws_iam" and not a.get("authorizerId"):
        return "AWS_IAM"
    if a.get("authorizerId") is not None:
        nm = name or f"External{_index(apath)}"
        if typ.upper() == "COGNITO_USER_POOLS":
            body = {"UserPoolArn": b.unknown("SlsExternalAuthorizer",
                                             "an authorizer created outside this service", apath)}
        else:
            body = {"FunctionArn": b.unknown("SlsExternalAuthorizer",
                                             "an authorizer created outside this service", apath)}
        return _add(b, authorizers, nm, body, apath)
    arn = a.get("arn")
    if arn is not None:
        cognito = typ.upper() == "COGNITO_USER_POOLS" or _is_pool_arn(b, arn)
        nm = name or (arn.rsplit("/" if cognito else ":", 1)[-1] if isinstance(arn, str) else "Authorizer")
        if cognito:
            body = {"UserPoolArn": arn}
            if header:
                body["Identity"] = {"Header": header}
            return _add(b, authorizers, nm, body, apath, arn_key=("UserPoolArn", "arn"))
        body = {"FunctionArn": arn, "FunctionPayloadType": payload}
        return _add(b, authorizers, nm, body, apath, arn_key=("FunctionArn", "arn"))
    if name is None and _is_value(a.get("name")):   # a function named by variables
        body = {"FunctionArn": b.unknown("SlsAuthorizerFunction", "an authorizer function named "
                                         "by a variable", apath + ("name",)),
                "FunctionPayloadType": payload}
        return _lambda_authorizer(b, authorizers, "Authorizer", body, apath)
    if name:
        body = {"FunctionArn": _fn_arn(b, name, apath + ("name",)), "FunctionPayloadType": payload}
        return _lambda_authorizer(b, authorizers, name, body, apath)
    return None


_POOL_ARN = re.compile(r"arn:[a-zA-Z-]*:cognito-idp")   # the framework's cognitoIdpArnExpr


def _is_pool_arn(b: Builder, arn: Any) -> bool:
    """Does the framework take this ``authorizer`` ARN for a Cognito user pool? It tests the
    resolved string against ``^arn:[a-zA-Z-]*:cognito-idp``, so an ARN that variables build
    (``...:userpool/${ssm:/pool-id}``, a ``Fn::Join`` here) is one when its leading text is;
    a CloudFormation function the user wrote (``!GetAtt Pool.Arn``) is not a string to it."""
    if isinstance(arn, str):
        return bool(_POOL_ARN.match(arn))
    return _is_value(arn) and bool(_POOL_ARN.match(_head(b, arn)))


def _literal(b: Builder, node: Any) -> Any:
    """A value the variables build, as the text it has with every deploy-time option at its
    default (``${env:AUTH, 'aws_iam'}`` -> ``aws_iam``); unchanged when some part has none."""
    if _is_value(node):
        text = b.text_of(node)
        if text is not None:
            return text
    return node


def _head(b: Builder, node: Any) -> str:
    """The leading literal text of a string the variables build (a ``Fn::Join`` of text and
    unknown values); '' when it starts with an unknown value."""
    parts = join_parts(node)
    if parts is None:
        whole = b.text_of(node)
        return whole if whole is not None else ""
    head = ""
    for part in parts:
        text = b.text_of(part)
        if text is None:
            break
        head += text
    return head


def _lambda_authorizer(b, authorizers, name, body, apath) -> str:
    body.setdefault("FunctionPayloadType", "TOKEN")
    return _add(b, authorizers, name, body, apath)


def _add(b: Builder, authorizers: dict, name: str, body: dict, apath: tuple,
         arn_key: tuple | None = None) -> str:
    nm = name or "Authorizer"
    if nm not in authorizers:
        authorizers[nm] = body
        base = ("Resources", naming.REST_API, "Properties", "Auth", "Authorizers", nm)
        b.at(base, apath)
        if arn_key:
            b.graft(base + (arn_key[0],), apath + (arn_key[1],))
    return nm


def _fn_arn(b: Builder, name: str, src: tuple) -> Any:
    if name in b.resources or _is_function(b, name):
        return {"Fn::GetAtt": [name, "Arn"]}
    return b.unknown(f"SlsFunction{naming.alnum(name)}",
                     f"function `{name}` is not defined in this service", src)


def _is_function(b: Builder, name: str) -> bool:
    fns = b.d.get("functions")
    groups = [fns] if isinstance(fns, dict) else [g for g in fns if isinstance(g, dict)] \
        if isinstance(fns, list) else []
    return any(name in g for g in groups)


def _rest_authorizers(b: Builder) -> dict:
    return b.rest_auth


def _header(src: Any) -> str | None:
    if isinstance(src, str) and src.startswith("method.request.header."):
        return src[len("method.request.header."):]
    return None


def _external(b: Builder, section: str, key: str) -> Any:
    """An API created outside this service (``provider.apiGateway.restApiId``,
    ``provider.httpApi.id``): events attach to it, the framework creates no API."""
    sec = b.provider.get(section)
    return sec.get(key) if isinstance(sec, dict) else None


def _is_value(node: Any) -> bool:
    """A scalar built by variables (``Ref`` to a parameter, ``Fn::Join``), not a mapping."""
    return isinstance(node, dict) and len(node) == 1 and next(iter(node)) in ("Ref", "Fn::Join")


def _index(path: tuple) -> int:
    for p in reversed(path):
        if isinstance(p, int):
            return p
    return 0


# ---------------------------------------------------------------------------- HTTP API
def _http_api(b: Builder, key: str, body: Any, epath: tuple) -> dict | None:
    name = f"HttpApi{_index(epath)}"
    base = _ev_path(key, name)
    external = _external(b, "httpApi", "id")
    props: dict = {"ApiId": external if external is not None else {"Ref": naming.HTTP_API}}
    if isinstance(body, str):
        if body.strip() != "*":
            parts = body.split(None, 1)
            if len(parts) == 2:
                props["Method"], props["Path"] = parts[0].upper() if parts[0] != "*" else "ANY", parts[1]
                b.at(base + ("Method",), epath)
                b.at(base + ("Path",), epath)
        body = {}
    elif isinstance(body, dict):
        m, p = body.get("method"), body.get("path")
        if m is not None:
            props["Method"] = "ANY" if m == "*" else m.upper() if isinstance(m, str) else m
            b.at(base + ("Method",), epath + ("method",))
        if p is not None:
            props["Path"] = p
            b.at(base + ("Path",), epath + ("path",))
    else:
        return None
    a = _literal(b, body.get("authorizer"))
    apath = epath + ("authorizer",)
    auth: dict = {}
    if a == "":
        pass
    elif isinstance(a, str):
        auth["Authorizer"] = a
    elif _is_value(a):          # a name the variables leave unknown
        auth["Authorizer"] = _http_named(b, apath)
    elif isinstance(a, dict):
        typ = a.get("type") if isinstance(a.get("type"), str) else ""
        name = _literal(b, a.get("name"))
        if typ.lower() == "aws_iam":
            auth["Authorizer"] = "AWS_IAM"
            b.http_iam = True
        elif isinstance(name, str) and name:
            auth["Authorizer"] = name
        elif _is_value(a.get("name")):   # named by a variable: one of provider.httpApi.authorizers
            auth["Authorizer"] = _http_named(b, apath)
        elif a.get("id") is not None:
            nm = f"External{_index(epath)}"
            _http_authorizers(b)[nm] = ({"FunctionArn": b.unknown(
                "SlsExternalAuthorizer", "an authorizer created outside this service", apath)}, apath)
            auth["Authorizer"] = nm
        if isinstance(a.get("scopes"), list):
            auth["AuthorizationScopes"] = a["scopes"]
            b.graft(base + ("Auth", "AuthorizationScopes"), apath + ("scopes",))
    if auth:
        props["Auth"] = auth
        b.at(base + ("Auth",), apath)
        b.at(base + ("Auth", "Authorizer"), apath + ("name",) if isinstance(a, dict) and "name" in a else apath)
    b.http_events.append(epath)
    return {"Type": "HttpApi", "Properties": props}


def _http_authorizers(b: Builder) -> dict:
    return b.http_auth


def _http_named(b: Builder, apath: tuple) -> str:
    """An ``authorizer.name`` the variables leave unknown: one of the service's authorizers, of
    a kind this file cannot tell (a Lambda authorizer of unknown function stands for it)."""
    nm = "SlsVariableAuthorizer"
    if nm not in _http_authorizers(b):
        _http_authorizers(b)[nm] = ({"FunctionArn": b.unknown(
            "SlsAuthorizerFunction", "an authorizer named by a variable", apath)}, apath)
    return nm


# ---------------------------------------------------------------------------- websockets
def _websocket(b: Builder, key: str, body: Any, epath: tuple) -> None:
    route = body if isinstance(body, str) else body.get("route") if isinstance(body, dict) else None
    if not isinstance(route, str):
        return None
    api = naming.WEBSOCKETS_API
    if api not in b.resources:
        b.add(api, "AWS::ApiGatewayV2::Api", {
            "Name": f"{b.stage}-{b.service}-websockets", "ProtocolType": "WEBSOCKET",
            "RouteSelectionExpression": b.provider.get("websocketsApiRouteSelectionExpression",
                                                       "$request.body.action")}, epath)
    integ = naming.websockets_integration_id(key)
    if integ not in b.resources:
        b.add(integ, "AWS::ApiGatewayV2::Integration", {
            "ApiId": {"Ref": api}, "IntegrationType": "AWS_PROXY",
            "IntegrationUri": {"Fn::Join": ["", [
                "arn:", {"Ref": "AWS::Partition"}, ":apigateway:", {"Ref": "AWS::Region"},
                ":lambda:path/2015-03-31/functions/", {"Fn::GetAtt": [key, "Arn"]},
                "/invocations"]]}}, epath)
    rid = naming.websockets_route_id(route)
    props: dict = {"ApiId": {"Ref": api}, "RouteKey": route, "AuthorizationType": "NONE",
                   "Target": {"Fn::Join": ["/", ["integrations", {"Ref": integ}]]}}
    rbase = ("Resources", rid, "Properties")
    a = _literal(b, body.get("authorizer")) if isinstance(body, dict) else None
    if a is not None and a != "" and route == "$connect":
        aname = a if isinstance(a, str) else _literal(b, a.get("name")) if isinstance(a, dict) else None
        arn = a.get("arn") if isinstance(a, dict) else None
        if _is_value(a) or (arn is None and _is_value(aname)):   # built by variables
            arn = a if _is_value(a) and ":" in _head(b, a) else b.unknown(
                "SlsAuthorizerFunction", "an authorizer named by a variable", epath + ("authorizer",))
        if isinstance(aname, str) or arn is not None:
            label = aname if isinstance(aname, str) else (arn.rsplit(":", 1)[-1] if isinstance(arn, str) else "Authorizer")
            aid = naming.websockets_authorizer_id(label)
            fn = arn if arn is not None else _fn_arn(b, aname, epath + ("authorizer",))
            b.add(aid, "AWS::ApiGatewayV2::Authorizer", {
                "ApiId": {"Ref": api}, "AuthorizerType": "REQUEST", "Name": label,
                "AuthorizerUri": {"Fn::Join": ["", [
                    "arn:", {"Ref": "AWS::Partition"}, ":apigateway:", {"Ref": "AWS::Region"},
                    ":lambda:path/2015-03-31/functions/", fn, "/invocations"]]}}, epath + ("authorizer",))
            props["AuthorizationType"] = "CUSTOM"
            props["AuthorizerId"] = {"Ref": aid}
            b.at(rbase + ("AuthorizationType",), epath + ("authorizer",))
            b.at(rbase + ("AuthorizerId",), epath + ("authorizer",))
    b.add(rid, "AWS::ApiGatewayV2::Route", props, epath)
    b.at(rbase + ("RouteKey",), epath + ("route",) if isinstance(body, dict) else epath)
    return None


# ---------------------------------------------------------------------------- s3
def _s3(b: Builder, key: str, body: Any, epath: tuple) -> dict | None:
    if isinstance(body, str) or _is_value(body):
        ref, bpath, event, existing = body, epath, "s3:ObjectCreated:*", False
    elif isinstance(body, dict):
        ref, bpath = body.get("bucket"), epath + ("bucket",)
        event, existing = body.get("event", "s3:ObjectCreated:*"), body.get("existing") is True
    else:
        return None
    if existing or ref is None:
        return None  # the framework only adds a notification to a bucket that exists already
    ref_text = b.text_of(ref, loose=True)
    if ref_text is None:
        b.notes.append(("an `s3` event names its bucket with an intrinsic function or a value "
                        "only known at deploy time, without `existing: true`: the framework "
                        "refuses an intrinsic function here", bpath))
        return None
    prov_s3 = b.provider.get("s3") if isinstance(b.provider.get("s3"), dict) else {}
    pconf = prov_s3.get(ref_text) if isinstance(prov_s3.get(ref_text), dict) else None
    name = pconf.get("name", ref) if pconf else ref
    lid = naming.bucket_id(ref_text)
    if lid not in b.resources:
        props: dict = {"BucketName": name}
        b.add(lid, "AWS::S3::Bucket", props, epath)
        b.at(("Resources", lid, "Properties", "BucketName"),
             ("provider", "s3", ref_text, "name") if pconf and "name" in pconf else bpath)
        if pconf:
            for k, v in pconf.items():
                if k != "name" and isinstance(k, str):
                    props[naming.upper_first(k)] = v
                    b.graft(("Resources", lid, "Properties", naming.upper_first(k)),
                            ("provider", "s3", ref_text, k))
    return {"Type": "S3", "Properties": {"Bucket": {"Ref": lid}, "Events": event}}


# ---------------------------------------------------------------------------- queues, topics, streams
def _sqs(b: Builder, key: str, body: Any, epath: tuple) -> dict | None:
    arn = body.get("arn") if isinstance(body, dict) else body
    if arn is None:
        return None
    b.graft(_ev_path(key, f"Sqs{_index(epath)}") + ("Queue",), epath + ("arn",) if isinstance(body, dict) else epath)
    return {"Type": "SQS", "Properties": {"Queue": arn}}


def _sns(b: Builder, key: str, body: Any, epath: tuple) -> dict | None:
    arn = body.get("arn") if isinstance(body, dict) else None
    topic = body.get("topicName") if isinstance(body, dict) else body
    if arn is None and isinstance(topic, str):
        if topic.startswith("arn:"):
            arn = topic
        else:
            lid = naming.topic_id(topic)
            if lid not in b.resources:
                b.add(lid, "AWS::SNS::Topic", {"TopicName": topic}, epath)
            arn = {"Ref": lid}
    if arn is None:
        return None
    return {"Type": "SNS", "Properties": {"Topic": arn}}


def _stream(b: Builder, key: str, body: Any, epath: tuple) -> dict | None:
    arn = body.get("arn") if isinstance(body, dict) else body
    if arn is None:
        return None
    typ = body.get("type") if isinstance(body, dict) else None
    kinesis = typ == "kinesis" or (isinstance(arn, str) and ":kinesis:" in arn)
    return {"Type": "Kinesis" if kinesis else "DynamoDB",
            "Properties": {"Stream": arn, "StartingPosition": (body.get("startingPosition") if isinstance(body, dict) else None) or "TRIM_HORIZON"}}


_HANDLERS = {"http": _http, "httpApi": _http_api, "websocket": _websocket, "s3": _s3,
             "sqs": _sqs, "sns": _sns, "stream": _stream}


# ---------------------------------------------------------------------------- the APIs
def finish_apis(b: Builder) -> None:
    rest = b.rest_events
    ag = b.provider.get("apiGateway") if isinstance(b.provider.get("apiGateway"), dict) else {}
    if rest and _external(b, "apiGateway", "restApiId") is None:
        src = ("provider", "apiGateway") if b.has(("provider", "apiGateway")) else rest[0]
        props: dict = {"StageName": b.stage}
        auth: dict = {}
        if b.rest_auth:
            auth["Authorizers"] = b.rest_auth
        rp = ag.get("resourcePolicy") if ag else b.provider.get("resourcePolicy")
        rpath = ("provider", "apiGateway", "resourcePolicy") if ag and "resourcePolicy" in ag \
            else ("provider", "resourcePolicy")
        if isinstance(rp, list) and rp:
            auth["ResourcePolicy"] = {"CustomStatements": rp}
            b.at(("Resources", naming.REST_API, "Properties", "Auth", "ResourcePolicy"), rpath)
            b.graft(("Resources", naming.REST_API, "Properties", "Auth", "ResourcePolicy",
                     "CustomStatements"), rpath)
        if auth:
            props["Auth"] = auth
        b.add(naming.REST_API, "AWS::Serverless::Api", props, src)
    keys = ag.get("apiKeys") if ag else b.provider.get("apiKeys")
    if isinstance(keys, list) and rest:
        kpath = ("provider", "apiGateway", "apiKeys") if ag and "apiKeys" in ag else ("provider", "apiKeys")
        for i, k in enumerate(keys):
            kname = k if isinstance(k, str) else k.get("name") if isinstance(k, dict) else None
            lid = naming.api_key_id(i + 1, None)
            props = {"Enabled": True, "StageKeys": [{"RestApiId": {"Ref": naming.REST_API},
                                                     "StageName": b.stage}]}
            if isinstance(kname, str):
                props["Name"] = kname
            b.add(lid, "AWS::ApiGateway::ApiKey", props, kpath + (i,))
    http = b.http_events
    hp = b.provider.get("httpApi") if isinstance(b.provider.get("httpApi"), dict) else {}
    if http and _external(b, "httpApi", "id") is None:
        src = ("provider", "httpApi") if b.has(("provider", "httpApi")) else http[0]
        props = {}
        auth = {}
        authorizers: dict = {}
        for name, a in (hp.get("authorizers") or {}).items() if isinstance(hp.get("authorizers"), dict) else ():
            if not isinstance(a, dict):
                continue
            apath = ("provider", "httpApi", "authorizers", name)
            base = ("Resources", naming.HTTP_API, "Properties", "Auth", "Authorizers", name)
            b.at(base, apath)
            typ = (a.get("type") or ("jwt" if "issuerUrl" in a else "request"))
            if isinstance(typ, str) and typ.lower() == "request":
                fn = a.get("functionArn")
                if fn is None and isinstance(a.get("functionName"), str):
                    fn = _fn_arn(b, a["functionName"], apath + ("functionName",))
                authorizers[name] = {"FunctionArn": fn, "AuthorizerPayloadFormatVersion":
                                     a.get("payloadVersion", "2.0")}
            else:
                jwt: dict = {}
                if "issuerUrl" in a:
                    jwt["issuer"] = a["issuerUrl"]
                    b.graft(base + ("JwtConfiguration", "issuer"), apath + ("issuerUrl",))
                if "audience" in a:
                    jwt["audience"] = a["audience"] if isinstance(a["audience"], list) else [a["audience"]]
                    b.graft(base + ("JwtConfiguration", "audience"), apath + ("audience",))
                b.at(base + ("JwtConfiguration",), apath)
                authorizers[name] = {"JwtConfiguration": jwt,
                                     "IdentitySource": a.get("identitySource", "$request.header.Authorization")}
        for nm, (body, apath) in b.http_auth.items():
            authorizers[nm] = body
            b.at(("Resources", naming.HTTP_API, "Properties", "Auth", "Authorizers", nm), apath)
        if authorizers:
            auth["Authorizers"] = authorizers
        if b.http_iam:
            auth["EnableIamAuthorizer"] = True
        if auth:
            props["Auth"] = auth
        cors = hp.get("cors")
        if cors is True:
            props["CorsConfiguration"] = {"AllowOrigins": ["*"], "AllowHeaders": [
                "Content-Type", "X-Amz-Date", "Authorization", "X-Api-Key", "X-Amz-Security-Token",
                "X-Amz-User-Agent"], "AllowMethods": ["*"]}
            b.at(("Resources", naming.HTTP_API, "Properties", "CorsConfiguration"), ("provider", "httpApi", "cors"))
        elif isinstance(cors, dict):
            conf = {}
            for k, ck in (("allowedOrigins", "AllowOrigins"), ("allowedHeaders", "AllowHeaders"),
                          ("allowedMethods", "AllowMethods"), ("allowCredentials", "AllowCredentials"),
                          ("exposedResponseHeaders", "ExposeHeaders"), ("maxAge", "MaxAge")):
                if k in cors:
                    conf[ck] = cors[k]
                    b.graft(("Resources", naming.HTTP_API, "Properties", "CorsConfiguration", ck),
                            ("provider", "httpApi", "cors", k))
            props["CorsConfiguration"] = conf
        b.add(naming.HTTP_API, "AWS::Serverless::HttpApi", props, src)

"""API-level restrictions that keep anonymous callers out whatever a route's auth says: a
PRIVATE endpoint, a resource policy (``resource_policy``), mutual TLS with the default
execute-api endpoint disabled.
"""

from __future__ import annotations

from .model import _Api
from .resource_policy import policy_restriction, sam_policy_restriction


def api_restriction(b, api: _Api, mtls_index: "MtlsIndex") -> str | None:
    r = api.resource
    if r is None:
        return None
    mtls = mtls_only(b, api, mtls_index)
    if mtls:
        return mtls
    if api.kind != "REST":
        return None
    ec = r.prop("EndpointConfiguration")
    types: list = []
    if api.sam:
        if isinstance(ec, dict):
            types = [ec.get("Type")]
        else:
            types = [ec]
    elif isinstance(ec, dict):
        t = ec.get("Types")
        types = t if isinstance(t, list) else [t]
    if not api.sam and r.prop("Parameters", "endpointConfigurationTypes") is not None:
        types.append(r.prop("Parameters", "endpointConfigurationTypes"))   # import parameter form
    for t in types:
        txt = b.text(t) if t is not None else None
        if txt and txt.upper() == "PRIVATE":
            return "PRIVATE endpoint (reachable only through VPC endpoints)"
    if api.sam:
        rp = r.prop("Auth", "ResourcePolicy")
        why = sam_policy_restriction(b, rp)
        if why:
            return why
    else:
        why = policy_restriction(b, r.prop("Policy"))
        if why:
            return why
    body, _bp = b.body_of(api)
    if isinstance(body, dict):
        why = policy_restriction(b, body.get("x-amazon-apigateway-policy"))
        if why:
            return why
    return None


def mtls_only(b, api: _Api, index: "MtlsIndex") -> str | None:
    """Callers need a client certificate: the default execute-api endpoint is disabled and
    every custom domain mapped to the API requires mutual TLS."""
    r = api.resource
    disabled = b.flag(r.prop("DisableExecuteApiEndpoint"))
    body, _bp = b.body_of(api)
    if not disabled and isinstance(body, dict):
        # OpenAPI: servers[].x-amazon-apigateway-endpoint-configuration (what SAM writes)
        servers = body.get("servers")
        for srv in servers if isinstance(servers, list) else []:
            ext = srv.get("x-amazon-apigateway-endpoint-configuration") if isinstance(srv, dict) else None
            if isinstance(ext, dict) and b.flag(ext.get("disableExecuteApiEndpoint")):
                disabled = True
        ext = body.get("x-amazon-apigateway-endpoint-configuration")
        if isinstance(ext, dict) and b.flag(ext.get("disableExecuteApiEndpoint")):
            disabled = True
    if not disabled:
        return None
    unreachable = ("the default execute-api endpoint is disabled and no custom domain is mapped "
                   "to the API: it cannot be called")
    if api.sam:
        dom = r.prop("Domain")
        if dom is None and not index.mappings(api.lid):
            return unreachable
        if isinstance(dom, dict) and isinstance(dom.get("MutualTlsAuthentication"), dict) \
                and dom["MutualTlsAuthentication"].get("TruststoreUri") is not None:
            return "mutual TLS: the default endpoint is disabled and its Domain requires client certificates"
        return None
    mappings = index.mappings(api.lid)
    if not mappings:
        return unreachable
    for m in mappings:
        dn = m.prop("DomainName") if m.prop("DomainName") is not None else m.prop("DomainNameArn")
        if not index.all_mtls(b.ref_id(dn), {v.text for v in b.v.strings(dn)}):
            return None
    return ("mutual TLS: the default endpoint is disabled and every mapped custom domain "
            "requires client certificates")


class MtlsIndex:
    """Custom domains and their API mappings, read once for all APIs on first use (scanning
    every mapping and domain again for each API was quadratic)."""

    def __init__(self, b):
        self.b = b
        self._by_api: dict | None = None
        self._by_lid: dict = {}             # domain logical id -> requires mTLS
        self._by_name: dict = {}            # DomainName text -> [(logical id, requires mTLS)]

    def _read(self) -> None:
        b = self.b
        self._by_api = {}
        for m in b.t.of_type("AWS::ApiGateway::BasePathMapping", "AWS::ApiGateway::BasePathMappingV2",
                             "AWS::ApiGatewayV2::ApiMapping"):
            api = b.ref_id(m.prop("RestApiId") if m.prop("RestApiId") is not None else m.prop("ApiId"))
            self._by_api.setdefault(api, []).append(m)
        for d in b.t.of_type("AWS::ApiGateway::DomainName", "AWS::ApiGatewayV2::DomainName"):
            mtls = (isinstance(d.prop("MutualTlsAuthentication"), dict)
                    and d.prop("MutualTlsAuthentication", "TruststoreUri") is not None)
            self._by_lid[d.logical_id] = mtls
            for text in {v.text for v in b.v.strings(d.prop("DomainName"))}:
                self._by_name.setdefault(text, []).append((d.logical_id, mtls))

    def mappings(self, api_id: str) -> list:
        """The base-path / API mappings of ``api_id``, in template order."""
        if self._by_api is None:
            self._read()
        return self._by_api.get(api_id, [])

    def all_mtls(self, target: str | None, texts: set) -> bool:
        """A mapping's domain (named by logical id ``target`` or by name ``texts``) is known and
        every domain it may be requires client certificates."""
        match = {target: self._by_lid[target]} if target in self._by_lid else {}
        for text in texts:
            match.update(self._by_name.get(text, ()))
        return bool(match) and all(match.values())

"""CloudFront distribution -> S3 origin bucket edges, read the way the bucket view reads them:
``DomainName`` by ``!GetAtt B.RegionalDomainName`` / ``DomainName`` / ``DualStackDomainName``
(REST endpoint) or ``WebsiteURL`` (website endpoint), ``!Sub``/``!Join`` of ``${B}.s3...``, or a
literal host whose bucket name is some bucket's ``BucketName`` (case-insensitive)."""

from __future__ import annotations

import re

# compiled on first use (the bucket view compiles the same patterns: re's cache shares them)
REST_HOST = r"^(?P<name>.+?)\.s3(?:[.-](?!website)[a-z0-9-]+)*\.amazonaws\.com(?:\.cn)?$"
WEBSITE_HOST = r"^(?P<name>.+?)\.s3-website[.-][a-z0-9.-]+$"
REST_ATTRS = {"regionaldomainname", "domainname", "dualstackdomainname"}
BUCKET = "AWS::S3::Bucket"
OAC_TYPE = "AWS::CloudFront::OriginAccessControl"
OAI_TYPE = "AWS::CloudFront::CloudFrontOriginAccessIdentity"


def host(text: str) -> str:
    t = text.strip().lower()
    if "://" in t:
        t = t.split("://", 1)[1]
    return t.split("/", 1)[0]


def classify_domain(b, sv) -> tuple[str | None, str | None]:
    """(endpoint rest|website, bucket logical id) of an origin DomainName value; endpoint None
    when it is not an S3 endpoint."""
    for lid, attr in sv.refs:
        if b.type_of(lid) == BUCKET:
            a = (attr or "").lower()
            if a == "websiteurl":
                return "website", lid
            if a in REST_ATTRS:
                return "rest", lid
            if attr is None:
                h = host(sv.text)
                if "s3-website" in h:
                    return "website", lid
                if ".s3." in h or ".s3-" in h or h.endswith(".s3"):
                    return "rest", lid
    h = host(sv.text)
    m = re.match(WEBSITE_HOST, h)
    endpoint = "website" if m else None
    if not m:
        m = re.match(REST_HOST, h)
        endpoint = "rest" if m else None
    if not m:
        return None, None
    return endpoint, b.names.evaluated_lower.get((BUCKET, m.group("name")))


def _access(b, o: dict, endpoint: str) -> tuple[str, str | None, str | None]:
    """(mechanism oac|oai|none, OAC logical id, OAI logical id)."""
    oac_id = oai_id = None
    has_oac = has_oai = False
    for sv in b.v.strings(o.get("OriginAccessControlId")):
        if sv.text:
            has_oac = True
            oac_id = oac_id or next((r[0] for r in sv.refs if b.type_of(r[0]) == OAC_TYPE), None)
    s3cfg = o.get("S3OriginConfig")
    if isinstance(s3cfg, dict):
        for sv in b.v.strings(s3cfg.get("OriginAccessIdentity")):
            if sv.text:
                has_oai = True
                oai_id = oai_id or next((r[0] for r in sv.refs if b.type_of(r[0]) == OAI_TYPE), None)
    if endpoint == "website":
        return "none", None, None
    if has_oac and oac_id:
        oac = b.t.get(oac_id)
        for sv in b.v.strings(oac.prop("OriginAccessControlConfig", "SigningBehavior")):
            if sv.known and sv.text.lower() == "never":
                return "none", oac_id, None
    if has_oac:
        return "oac", oac_id, None
    if has_oai:
        return "oai", None, oai_id
    return "none", None, None


def s3_origins(b, d, scen: frozenset):
    """Attributes of each (origin, bucket, endpoint) of distribution ``d`` whose bucket is in
    the template, in origin order (the first value of each wins)."""
    v = b.v
    origins_node = d.prop("DistributionConfig", "Origins")
    base = d.doc_path(("Properties", "DistributionConfig", "Origins"))
    for cfg, _s in v.branches(d.prop("DistributionConfig")):
        if isinstance(cfg, dict):
            origins_node = cfg.get("Origins")
        break
    done: set = set()
    for i, o, s in v.items(origins_node, scen):
        if not isinstance(o, dict):
            continue
        opath = base + ((i,) if i >= 0 else ())
        for sv in v.strings(o.get("DomainName"), s):
            endpoint, bucket = classify_domain(b, sv)
            if endpoint is None or bucket is None or (i, bucket, endpoint) in done:
                continue
            done.add((i, bucket, endpoint))
            mech, oac, oai = _access(b, o, endpoint)
            yield {"bucket": bucket, "path": opath + ("DomainName",), "scenario": sv.scenario,
                   "origin": i, "endpoint": endpoint, "website": endpoint == "website",
                   "mechanism": mech, "oac": oac, "oai": oai}

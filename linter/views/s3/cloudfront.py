"""CloudFront distributions in front of buckets: origins, their endpoint and access mechanism,
and whether the bucket policy lets the distribution in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...model.values import SValue
from .access import _access, _host
from .model import (OAC_TYPE, OAI_TYPE, _REST_ATTRS, _REST_HOST, _WEBSITE_HOST, Distribution,
                    Exposure, Origin)
from .wording import _label

if TYPE_CHECKING:  # pragma: no cover
    from ...model.template import Resource


class CloudFrontReading:
    """The CloudFront part of :class:`BucketView` (a mixin: it uses the view's state)."""

    def _type(self, lid: str) -> str | None:
        r = self.t.get(lid)
        return r.type if r is not None else None

    def _distribution(self, d: "Resource") -> None:
        dist = Distribution(d.logical_id, d)
        self._distributions[d.logical_id] = dist
        origins_node = d.prop("DistributionConfig", "Origins")
        base = d.doc_path(("Properties", "DistributionConfig", "Origins"))
        for cfg, _s in self.v.branches(d.prop("DistributionConfig")):
            if isinstance(cfg, dict):
                origins_node = cfg.get("Origins")
            break
        done: set = set()
        for i, o, scen in self.v.items(origins_node):
            if not isinstance(o, dict):
                continue
            opath = base + ((i,) if i >= 0 else ())
            for origin in self._origins(d.logical_id, i, opath, o, scen):
                key = (origin.index, origin.bucket, origin.endpoint)
                if key in done:
                    continue
                done.add(key)
                dist.origins.append(origin)
                if origin.bucket:   # the graph's ``origin`` edge (distribution -> bucket)
                    self._buckets[origin.bucket].fronted_by.append(origin)

    def _origins(self, did: str, i: int, opath: tuple, o: dict, scen: frozenset):
        has_s3_cfg = isinstance(o.get("S3OriginConfig"), dict) or "S3OriginConfig" in o
        domain_path = opath + ("DomainName",)
        for sv in self.v.strings(o.get("DomainName"), scen):
            endpoint, bucket, domain = self._classify_domain(sv)
            if endpoint is None:
                if has_s3_cfg and not sv.known:
                    endpoint, domain = "rest", sv.text
                else:
                    continue
            mech, oac, oai, notes = self._mechanism(o, endpoint)
            m = _WEBSITE_HOST.match(_host(domain)) or _REST_HOST.match(_host(domain))
            name = m.group("name") if m and sv.known else None
            yield Origin(did, i, opath, domain_path, endpoint, mech, bucket, domain, oac, oai,
                         notes, name, sv.scenario)

    def _classify_domain(self, sv: SValue) -> tuple[str | None, str | None, str]:
        """(endpoint, bucket logical id, domain text) for a DomainName value; endpoint None when
        it is not an S3 endpoint."""
        for lid, attr in sv.refs:
            if lid in self._buckets:
                a = (attr or "").lower()
                if a == "websiteurl":
                    return "website", lid, sv.text
                if a in _REST_ATTRS:
                    return "rest", lid, sv.text
                if attr is None:
                    host = _host(sv.text)
                    if "s3-website" in host:
                        return "website", lid, sv.text
                    if ".s3." in host or ".s3-" in host or host.endswith(".s3"):
                        return "rest", lid, sv.text
        host = _host(sv.text)
        m = _WEBSITE_HOST.match(host)
        endpoint = "website" if m else None
        if not m:
            m = _REST_HOST.match(host)
            endpoint = "rest" if m else None
        if not m:
            return None, None, sv.text
        return endpoint, self._by_lower_name.get(m.group("name")), sv.text

    def _mechanism(self, o: dict, endpoint: str) -> tuple[str, str | None, str | None, list]:
        notes: list[str] = []
        oac_id = oai_id = None
        has_oac = has_oai = False
        for sv in self.v.strings(o.get("OriginAccessControlId")):
            if sv.text:
                has_oac = True
                ref = next((r[0] for r in sv.refs if self._type(r[0]) == OAC_TYPE), None)
                oac_id = oac_id or ref
        s3cfg = o.get("S3OriginConfig")
        if isinstance(s3cfg, dict):
            for sv in self.v.strings(s3cfg.get("OriginAccessIdentity")):
                if sv.text:
                    has_oai = True
                    ref = next((r[0] for r in sv.refs if self._type(r[0]) == OAI_TYPE), None)
                    oai_id = oai_id or ref
        if endpoint == "website":
            if has_oac or has_oai:
                notes.append("the S3 website endpoint is a custom origin: OAC/OAI cannot apply")
            return "none", None, None, notes
        if has_oac and oac_id:
            oac = self.t.get(oac_id)
            for sv in self.v.strings(oac.prop("OriginAccessControlConfig", "SigningBehavior")):
                if sv.known and sv.text.lower() == "never":
                    notes.append(f"origin access control `{oac_id}` has SigningBehavior never: "
                                 "requests to the bucket are not signed")
                    return "none", oac_id, None, notes
        if has_oac:
            return "oac", oac_id, None, notes
        if has_oai:
            return "oai", None, oai_id, notes
        return "none", None, None, notes

    # -------------------------------------------------------------- origin access check
    def policy_allows_origin(self, origin: Origin) -> bool | None:
        """Whether a bucket policy in the template lets this origin's OAC (cloudfront service
        principal with the distribution's SourceArn) or OAI read the bucket. None: bucket not in
        the template."""
        b = self._buckets.get(origin.bucket or "")
        if b is None:
            return None
        for pid in b.policies:
            for s in self._statements.get(pid, ()):
                if s.effect != "Allow":
                    continue
                if origin.mechanism == "oac" and "cloudfront.amazonaws.com" in s.services:
                    if origin.distribution in s.source_refs or not s.source_refs:
                        return True
                if origin.mechanism == "oai" and (origin.oai in s.oai_refs or
                                                  (origin.oai is None and s.oai_refs)):
                    return True
        return False

    def unscoped_cloudfront_grants(self, bucket_id: str) -> list[Exposure]:
        """Allow statements for the ``cloudfront.amazonaws.com`` service principal on this bucket
        with no fixed ``aws:SourceArn``/``aws:SourceAccount``-like condition: any distribution,
        in any AWS account, can read through them with origin access control. Returned as
        grants (kind ``cloudfront``) located at the statement's ``Principal``/``Service``."""
        b = self._buckets.get(bucket_id)
        out: list[Exposure] = []
        if b is None:
            return out
        for pid in b.policies:
            stmts = self._statements.get(pid, ())
            denies = [s for s in stmts if s.effect == "Deny"]
            for s in stmts:
                if s.effect != "Allow" or "cloudfront.amazonaws.com" not in s.services \
                        or s.limiting:
                    continue
                access, actions = _access(s.actions, s.not_action, s.resources, denies)
                if not access:
                    continue
                out.append(Exposure("cloudfront", access, s.principal_path + ("Service",), pid,
                                 who="`Service: cloudfront.amazonaws.com`", actions=actions,
                                 blocked_by=None, scenario=s.scenario, label=_label(s)))
        return out

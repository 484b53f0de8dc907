"""The bucket exposure view itself: buckets, their ACL / Block Public Access / website settings,
and the public API rules read."""

from __future__ import annotations

from dataclasses import replace

from typing import TYPE_CHECKING, Any

from ...model.values import SValue
from ...policy import PolicyReader
from .access import _unknown_flags
from .cloudfront import CloudFrontReading
from .model import (BPA_FLAGS, BUCKET, BUCKET_POLICY, DEFAULT, DISTRIBUTION, LIST, OFF, ON,
                    PUBLIC_ACLS, READ, UNKNOWN, BucketExposure, Distribution, Exposure, Origin,
                    PolicyStatement)
from .policies import PolicyReading

if TYPE_CHECKING:  # pragma: no cover
    from ...model.template import Resource, Template
    from ...model.values import Evaluator


# ---------------------------------------------------------------------------- view


class BucketView(PolicyReading, CloudFrontReading):
    def __init__(self, template: "Template", values: "Evaluator"):
        self.t = template
        self.v = values
        self.reader = PolicyReader(values)
        self._buckets: dict[str, BucketExposure] = {}
        self._statements: dict[str, list[PolicyStatement]] = {}
        self._policy_bucket: dict[str, str | None] = {}
        self._orphan_grants: list[Exposure] = []
        self._distributions: dict[str, Distribution] = {}
        # BucketName text -> bucket (the first logical id in sorted order), exact and lower case
        self._by_name: dict[str, str] = {}
        self._by_lower_name: dict[str, str] = {}
        self._build()

    # -------------------------------------------------------------- public API
    def buckets(self) -> list[BucketExposure]:
        """Every ``AWS::S3::Bucket``, sorted by logical id."""
        return [self._buckets[k] for k in sorted(self._buckets)]

    def bucket(self, logical_id: str) -> BucketExposure | None:
        return self._buckets.get(logical_id)

    def distributions(self) -> list[Distribution]:
        return [self._distributions[k] for k in sorted(self._distributions)]

    def s3_origins(self) -> list[Origin]:
        return [o for d in self.distributions() for o in d.origins]

    def policy_bucket(self, policy_id: str) -> str | None:
        """The bucket (logical id) a BucketPolicy applies to, None when not in the template."""
        return self._policy_bucket.get(policy_id)

    def orphan_grants(self) -> list[Exposure]:
        """Public grants of bucket policies whose bucket is not in this template (imported,
        parameter or literal names that match no bucket)."""
        return list(self._orphan_grants)

    def bucket_for(self, value: Any) -> str | None:
        """The logical id of the bucket a ``Bucket``-like value (a name: ``!Ref B``, ``!Sub``, a
        literal or parameter equal to some bucket's ``BucketName``) designates, or None."""
        for sv in self.v.strings(value):
            hit = self._bucket_for_sv(sv)
            if hit:
                return hit
        return None

    # -------------------------------------------------------------- building
    def _build(self) -> None:
        for r in self.t.of_type(BUCKET):
            self._buckets[r.logical_id] = self._bucket(r)
        for lid in sorted(self._buckets):
            for n in self._buckets[lid].names:
                self._by_name.setdefault(n, lid)
                self._by_lower_name.setdefault(n.lower(), lid)
        for p in sorted(self.t.of_type(BUCKET_POLICY), key=lambda r: r.logical_id):
            self._policy(p)
        for d in sorted(self.t.of_type(DISTRIBUTION), key=lambda r: r.logical_id):
            self._distribution(d)
        for b in self._buckets.values():
            b.grants.sort(key=lambda g: (tuple(str(x) for x in g.path), g.kind))
            if b.website and not b.website_redirect_only:
                self._website_grant(b)
        self._resource_conditions()

    def _resource_conditions(self) -> None:
        """A resource's own ``Condition`` holds for every value read through it: a grant holds
        only when its bucket (and the policy that makes it) exist, an origin only when its
        distribution does. A combination no scenario allows is dropped (``Principal: !If
        [UseCdn, <OAI>, "*"]`` with the distribution under ``Condition: UseCdn``: the public
        branch never meets the distribution)."""
        def within(*lids) -> frozenset:
            out: set = set()
            for lid in lids:
                r = self.t.get(lid) if lid else None
                if r is not None and r.condition:
                    out.add((r.condition, True))
            return frozenset(out)

        for b in self._buckets.values():
            kept = []
            for g in b.grants:
                scen = self.v.join(g.scenario, within(b.logical_id, g.source))
                if scen is not None:
                    kept.append(g if scen == g.scenario else replace(g, scenario=scen))
            b.grants = kept
            fronts = []
            for o in b.fronted_by:
                scen = self.v.join(o.scenario, within(o.distribution, b.logical_id))
                if scen is not None:
                    o.scenario = scen
                    fronts.append(o)
            b.fronted_by = fronts

    def fronting(self, b, scenario: frozenset) -> list:
        """The origins that front bucket ``b`` in a scenario compatible with ``scenario``."""
        return [o for o in b.fronted_by if self.v.compatible(o.scenario, scenario)]

    def unfronted(self, b, scenario: frozenset) -> frozenset | None:
        """A scenario within ``scenario`` in which no distribution fronts ``b`` (None: always
        fronted there). Exact when the fronting origins depend on at most one condition
        literal each and share it; otherwise fronted is assumed (CFR001 reports the grant)."""
        fronts = self.fronting(b, scenario)
        if not fronts:
            return scenario
        lits = {o.scenario - scenario for o in fronts}
        if any(not lit for lit in lits) or len(lits) != 1:
            return None
        (lit,) = lits
        if len(lit) != 1:
            return None
        (name, val), = lit
        return self.v.join(scenario, frozenset({(name, not val)}))

    def _bucket(self, r: "Resource") -> BucketExposure:
        name_node = r.prop("BucketName")
        names = tuple(dict.fromkeys(sv.text for sv in self.v.strings(name_node))) \
            if name_node is not None else ()
        b = BucketExposure(r.logical_id, r, names)
        # Block Public Access
        pab_node = r.prop("PublicAccessBlockConfiguration")
        b.bpa_path = r.doc_path(("Properties", "PublicAccessBlockConfiguration"))
        alts = list(self.v.branches(pab_node)) if pab_node is not None else []
        b.bpa_present = bool(alts)
        for flag in BPA_FLAGS:
            if pab_node is None or not alts:
                b.bpa[flag] = DEFAULT
                continue
            states = set()
            for cfg, _s in alts:
                if not isinstance(cfg, dict):
                    states.add(UNKNOWN)
                    continue
                if flag not in cfg:
                    states.add(OFF)   # a present configuration that omits a flag sets it false
                    continue
                for sv in self.v.strings(cfg[flag]):
                    t = sv.text.lower() if sv.known else ""
                    states.add(ON if t == "true" else OFF if t == "false" else UNKNOWN)
            b.bpa[flag] = OFF if OFF in states else UNKNOWN if UNKNOWN in states else ON
        if not b.bpa_present:
            b.notes.append("no PublicAccessBlockConfiguration: left to the S3 default for new "
                           "buckets (all four settings on since April 2023)")
        # Object ownership
        rules = r.prop("OwnershipControls", "Rules")
        owners = set()
        for _i, rule, _s in self.v.items(rules):
            if isinstance(rule, dict):
                for sv in self.v.strings(rule.get("ObjectOwnership")):
                    owners.add(sv.text if sv.known else "{unknown}")
        b.ownership = sorted(owners)[0] if len(owners) == 1 else (
            "{unknown}" if owners else None)
        # ACL
        acl_node = r.prop("AccessControl")
        if acl_node is not None:
            b.acl_path = r.doc_path(("Properties", "AccessControl"))
            for sv in self.v.strings(acl_node):
                key = sv.text.lower() if sv.known else None
                if key in PUBLIC_ACLS:
                    b.acl = sv.text
                    access, who, detail = PUBLIC_ACLS[key]
                    b.grants.append(self._acl_grant(b, sv, access, who, detail))
                elif not sv.known and sv.params:
                    b.grants.append(Exposure(
                        "acl", frozenset({LIST}), b.acl_path, b.logical_id, who="unknown",
                        certain=False, scenario=sv.scenario,
                        actions=(f"AccessControl: {sv.text}", "may be a public canned ACL"),
                        unknowns=(f"AccessControl comes from parameter `{sv.params[0]}`, "
                                  "which has no default",),
                        blocked_by=self._acl_blocker(b)))
                elif b.acl is None:
                    b.acl = sv.text
        # Website
        web = r.prop("WebsiteConfiguration")
        if web is not None:
            b.website_path = r.doc_path(("Properties", "WebsiteConfiguration"))
            alts = [w for w, _s in self.v.branches(web)]
            b.website = bool(alts)
            b.website_redirect_only = bool(alts) and all(
                isinstance(w, dict) and "RedirectAllRequestsTo" in w and "IndexDocument" not in w
                for w in alts)
        return b

    def _acl_blocker(self, b: BucketExposure) -> str | None:
        for flag in ("IgnorePublicAcls", "BlockPublicAcls"):
            if b.bpa.get(flag) == ON:
                return flag
        if b.ownership == "BucketOwnerEnforced":
            return "BucketOwnerEnforced"
        return None

    def _acl_grant(self, b: BucketExposure, sv: SValue, access: frozenset, who: str,
                   detail: str) -> Exposure:
        left = []
        if b.ownership is None:
            left.append("OwnershipControls")
        if not b.bpa_present:
            left.append("Block Public Access")
        notes = ("with S3's defaults for new buckets, which the template leaves in place for "
                 + " and ".join(left) + ", this ACL makes the stack fail to deploy; the bucket "
                 "is public only if they are turned off",) if left else ()
        if b.bpa_present:
            notes += tuple(_unknown_flags(b, ("BlockPublicAcls", "IgnorePublicAcls")))
        return Exposure("acl", access, b.acl_path, b.logical_id, who=who,
                     actions=(f"AccessControl: {sv.text}", detail),
                     blocked_by=self._acl_blocker(b), notes=notes, scenario=sv.scenario,
                     deploy_fails=bool(left))

    def _policy_blocker(self, b: BucketExposure | None) -> str | None:
        if b is None:
            return None
        for flag in ("BlockPublicPolicy", "RestrictPublicBuckets"):
            if b.bpa.get(flag) == ON:
                return flag
        return None

    def _website_grant(self, b: BucketExposure) -> None:
        """A website bucket exists to be served publicly: it counts as publicly readable unless
        all four Block Public Access settings are on (or a real public grant already makes it
        public)."""
        if any(g.effective for g in b.grants):
            return   # already public through an ACL or policy: that grant is the finding
        if all(b.bpa.get(f) == ON for f in BPA_FLAGS):
            return
        b.grants.append(Exposure("website", frozenset({READ}), b.website_path, b.logical_id,
                              who="anyone"))

    # -------------------------------------------------------------- bucket resolution
    def _bucket_for_sv(self, sv: SValue) -> str | None:
        ref = sv.single_ref()
        if ref and ref[1] is None and ref[0] in self._buckets:
            return ref[0]
        if not sv.text:
            return None
        if not sv.known and not (sv.params or sv.pseudo or sv.refs or sv.imports or sv.from_param
                                  or sv.outer):
            return None   # an opaque unknown ("{Select}", "{?}"): equal text proves nothing
        return self._by_name.get(sv.text)

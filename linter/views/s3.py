"""Bucket exposure: who can reach each S3 bucket directly, and which CloudFront distribution fronts it.

``BucketView(ctx)`` (``ctx.buckets``) normalises, once per template, everything that decides whether
anyone on the internet can read, list or write a bucket's objects:

- ``AccessControl`` (canned ACL): ``PublicRead`` (AllUsers READ on the bucket: anyone can list its
  keys), ``PublicReadWrite`` (list + write), ``AuthenticatedRead`` (any AWS account can list);
- ``PublicAccessBlockConfiguration``: each of the four flags. A configuration that is present but
  omits a flag sets that flag to false (that is the S3 API); a missing configuration leaves the bucket
  to the S3 default for new buckets (all four on since April 2023), which we record as ``default``;
- ``OwnershipControls``: an explicit ``BucketOwnerEnforced`` disables ACLs (S3 then rejects the public
  ACL and CloudFormation fails to create the bucket, so the ACL never takes effect);
- ``WebsiteConfiguration`` (a bucket that exists to be served publicly);
- every ``AWS::S3::BucketPolicy`` whose ``Bucket`` resolves to the bucket (``!Ref``, ``!Sub``, a
  literal or parameter name equal to the bucket's ``BucketName``), with principal semantics
  (``"*"``, ``{"AWS": "*"}``, ``NotPrincipal`` with Allow are public; accounts, roles and service
  principals are not) and the condition keys S3 itself treats as limiting (fixed ``aws:SourceArn``,
  ``aws:SourceVpce``, ``aws:PrincipalOrgID``, ``aws:SourceIp`` CIDRs, ...). ``Deny`` statements never
  grant; a ``Deny`` with a negated limiting condition (``StringNotEquals aws:SourceVpce``) limits the
  ``Allow`` statements it covers.

A public policy only takes effect when neither ``BlockPublicPolicy`` (S3 rejects the policy) nor
``RestrictPublicBuckets`` (S3 ignores it for anonymous callers) is on; a public ACL only when
neither ``BlockPublicAcls`` nor ``IgnorePublicAcls`` is on. Settings left to the S3 default do not
neutralise a grant: the template asks for public access, and the grant is reported with a note.

Then who fronts each bucket: every origin of an ``AWS::CloudFront::Distribution`` whose
``DomainName`` resolves to the bucket's REST endpoint (``!GetAtt B.RegionalDomainName`` /
``DomainName`` / ``DualStackDomainName``, ``!Sub``/``!Join`` of ``${B}.s3...``, a literal) or its
website endpoint (``!Select``/``!Split`` of ``!GetAtt B.WebsiteURL``, ``...s3-website...``), with the
access mechanism (OAC, OAI or none). The resource graph holds the same origins as ``origin``
edges (distribution -> bucket), built with the graph (``slint.graph.origins``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable

from .. import iamdb
from ..model.values import SValue
from ..policy import PolicyReader, Statement, wildcard_match

if TYPE_CHECKING:  # pragma: no cover
    from ..context import Context
    from ..model.template import Resource

BUCKET = "AWS::S3::Bucket"
BUCKET_POLICY = "AWS::S3::BucketPolicy"
DISTRIBUTION = "AWS::CloudFront::Distribution"
OAC_TYPE = "AWS::CloudFront::OriginAccessControl"
OAI_TYPE = "AWS::CloudFront::CloudFrontOriginAccessIdentity"

READ, LIST, WRITE = "read", "list", "write"

BPA_FLAGS = ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")
# flag states
ON, OFF, DEFAULT, UNKNOWN = "on", "off", "default", "unknown"

# canned ACL -> (access, who)
PUBLIC_ACLS = {
    "publicread": (frozenset({LIST}), "anyone", "grants AllUsers READ on the bucket"),
    "publicreadwrite": (frozenset({LIST, WRITE}), "anyone",
                        "grants AllUsers READ and WRITE on the bucket"),
    "authenticatedread": (frozenset({LIST}), "any AWS account",
                          "grants AuthenticatedUsers (any AWS account) READ on the bucket"),
}

_REST_HOST = re.compile(r"^(?P<name>.+?)\.s3(?:[.-](?!website)[a-z0-9-]+)*\.amazonaws\.com(?:\.cn)?$")
_WEBSITE_HOST = re.compile(r"^(?P<name>.+?)\.s3-website[.-][a-z0-9.-]+$")
_REST_ATTRS = {"regionaldomainname", "domainname", "dualstackdomainname"}


# ---------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Exposure:
    """One way the public reaches a bucket directly.

    kind       ``acl`` | ``policy`` | ``website``
    access     subset of {read, list, write}
    path       document path of the most specific node (the ACL value, the statement's
               ``Principal``/``NotPrincipal``, the ``WebsiteConfiguration`` key)
    source     logical id of the resource that grants it (the bucket, or the BucketPolicy)
    who        who is let in, in words ("anyone", "any AWS account", ...)
    actions    the actions that open it (policy grants), for messages
    certain    False when the grant is public only if an unknown value turns out so
    unknowns   what is unknown, in words
    blocked_by the setting that neutralises it (``BlockPublicPolicy`` ...), or None
    notes      what the template leaves to defaults, in words
    scenario   condition scenario the grant holds in
    """
    kind: str
    access: frozenset
    path: tuple
    source: str
    who: str
    actions: tuple = ()
    certain: bool = True
    unknowns: tuple = ()
    blocked_by: str | None = None
    notes: tuple = ()
    scenario: frozenset = frozenset()
    label: str = ""             # "statement `Sid`" / "statement 2" for policy grants

    @property
    def effective(self) -> bool:
        return self.blocked_by is None


@dataclass
class Origin:
    """An S3 origin of a CloudFront distribution.

    endpoint   ``rest`` (bucket REST endpoint, can use OAC/OAI) or ``website`` (S3 website
               endpoint: a custom origin, which cannot)
    mechanism  ``oac`` | ``oai`` | ``none``
    bucket     logical id of the bucket in this template, or None (external / unknown)
    """
    distribution: str
    index: int
    path: tuple                 # document path of the origin item
    domain_path: tuple
    endpoint: str
    mechanism: str
    bucket: str | None = None
    domain: str = ""
    oac: str | None = None      # OAC logical id when it is a !Ref/!GetAtt to one
    oai: str | None = None      # OAI logical id when referenced
    notes: list = field(default_factory=list)
    bucket_name: str | None = None  # the bucket name read from a literal host
    scenario: frozenset = frozenset()


@dataclass
class Distribution:
    logical_id: str
    resource: Any = field(repr=False)
    origins: list = field(default_factory=list)   # S3 origins only


@dataclass
class PolicyStatement:
    """One statement of a bucket policy, normalised."""
    policy: str
    path: tuple
    sid: str | None
    effect: str                 # Allow | Deny | unknown
    principal_path: tuple
    public: str                 # "yes" | "no" | "unknown" (principal only)
    who: str
    services: tuple             # service principals
    oai_refs: tuple             # OAI logical ids granted
    source_refs: tuple          # resources named by aws:SourceArn-like conditions
    limiting: tuple             # limiting condition keys with fixed values
    negated_limits: tuple       # (key) negated limiting conditions (Deny side)
    other_conditions: bool      # conditions other than the negated limiting ones
    actions: tuple              # action texts
    not_action: bool
    resources: tuple            # resource texts
    unknowns: tuple
    scenario: frozenset


@dataclass
class BucketExposure:
    logical_id: str
    resource: Any = field(repr=False)
    names: tuple                # possible BucketName texts (may contain placeholders)
    acl: str | None = None
    acl_path: tuple = ()
    bpa: dict = field(default_factory=dict)       # flag -> on/off/default/unknown
    bpa_path: tuple = ()
    bpa_present: bool = False
    ownership: str | None = None
    website: bool = False
    website_redirect_only: bool = False
    website_path: tuple = ()
    policies: list = field(default_factory=list)  # BucketPolicy logical ids
    grants: list = field(default_factory=list)    # all public grants, effective or not
    fronted_by: list = field(default_factory=list)  # Origin objects
    notes: list = field(default_factory=list)

    # -- queries
    @property
    def public_grants(self) -> list:
        return [g for g in self.grants if g.effective]

    def public(self, access: str) -> bool:
        return any(access in g.access for g in self.public_grants)

    @property
    def read(self) -> bool:
        return self.public(READ)

    @property
    def list(self) -> bool:
        return self.public(LIST)

    @property
    def write(self) -> bool:
        return self.public(WRITE)

    @property
    def is_public(self) -> bool:
        return bool(self.public_grants)

    @property
    def fronted(self) -> bool:
        return bool(self.fronted_by)

    @property
    def distributions(self) -> list:
        return sorted({o.distribution for o in self.fronted_by})

    def bpa_left_to_default(self) -> list:
        return [f for f in BPA_FLAGS if self.bpa.get(f) == DEFAULT]


# ---------------------------------------------------------------------------- view


class BucketView:
    def __init__(self, ctx: "Context"):
        self.ctx = ctx
        self.t = ctx.template
        self.v = ctx.values
        self.reader = PolicyReader(ctx.values)
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
        notes = ("the template leaves " + " and ".join(left) + " to the S3 defaults, which "
                 "reject public ACLs on new buckets",) if left else ()
        if b.bpa_present:
            notes += tuple(_unknown_flags(b, ("BlockPublicAcls", "IgnorePublicAcls")))
        return Exposure("acl", access, b.acl_path, b.logical_id, who=who,
                     actions=(f"AccessControl: {sv.text}", detail),
                     blocked_by=self._acl_blocker(b), notes=notes, scenario=sv.scenario)

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
        if not sv.known and not (sv.params or sv.pseudo or sv.refs or sv.imports or sv.from_param):
            return None   # an opaque unknown ("{Select}", "{?}"): equal text proves nothing
        return self._by_name.get(sv.text)

    # -------------------------------------------------------------- policies
    def _policy(self, p: "Resource") -> None:
        bucket_node = p.prop("Bucket")
        bid = self.bucket_for(bucket_node) if bucket_node is not None else None
        self._policy_bucket[p.logical_id] = bid
        b = self._buckets.get(bid) if bid else None
        if b is not None:
            b.policies.append(p.logical_id)
        stmts = list(self._statements_of(p))
        self._statements[p.logical_id] = stmts
        denies = [s for s in stmts if s.effect == "Deny"]
        seen: set = set()
        for s in stmts:
            if s.effect != "Allow" or s.public == "no" or s.limiting:
                continue
            access, actions = _access(s.actions, s.not_action, s.resources, denies)
            if not access:
                continue
            if s.principal_path in seen:
                continue
            seen.add(s.principal_path)
            unknowns = list(s.unknowns)
            notes = []
            if b is None:
                notes.append("the bucket is not in this template, so its Block Public Access "
                             "settings are unknown")
            elif not b.bpa_present:
                notes.append("the template leaves Block Public Access to the S3 default, which "
                             "rejects public policies on new buckets")
            else:
                notes.extend(_unknown_flags(b, ("BlockPublicPolicy", "RestrictPublicBuckets")))
            g = Exposure("policy", access, s.principal_path, p.logical_id, who=s.who,
                      actions=actions, certain=s.public == "yes", unknowns=tuple(unknowns),
                      blocked_by=self._policy_blocker(b), notes=tuple(notes),
                      scenario=s.scenario, label=_label(s))
            if b is not None:
                b.grants.append(g)
            else:
                self._orphan_grants.append(g)

    def _statements_of(self, p: "Resource") -> Iterable[PolicyStatement]:
        base = p.doc_path(("Properties", "PolicyDocument"))
        for st in self.reader.statements(p.prop("PolicyDocument"), base):
            yield self._statement(p.logical_id, st)

    def _statement(self, pid: str, st: Statement) -> PolicyStatement:
        unknowns: list[str] = []
        services: list[str] = []
        oai_refs: list[str] = []
        effect = st.effect if st.effect != "?" else "unknown"
        if st.not_principal:
            public, who = ("yes", "everyone but its `NotPrincipal`") \
                if effect == "Allow" else ("no", "")
            ppath = st.path + ("NotPrincipal",)
        else:
            ppath = st.path + ("Principal",)
            public, who, sub = self._principal(st, services, oai_refs, unknowns)
            ppath = ppath + sub
        limiting, negated, source_refs, other = self._conditions(st, unknowns)
        not_action = st.has_not_action
        actions = [a.text if a.known else "{unknown}"
                   for a in (st.not_actions if not_action else st.actions)]
        resources: list[str] = ["*"] if st.has_not_resource else []
        for r in st.resources:
            sv = r.sv
            resources.append(sv.text if (sv.known or not sv.is_placeholder_only
                                         or any(x[1] for x in sv.refs)) else "{unknown}")
        return PolicyStatement(pid, st.path, st.sid, effect, ppath, public, who, tuple(services),
                               tuple(oai_refs), tuple(source_refs), tuple(limiting),
                               tuple(negated), other, tuple(actions), not_action, tuple(resources),
                               tuple(unknowns), st.scenario)

    def _principal(self, st: Statement, services: list, oai_refs: list,
                   unknowns: list) -> tuple[str, str, tuple]:
        """(public: yes/no/unknown, who in words, path of the deciding node below Principal)."""
        public = "no"
        sub: tuple = ()
        base = st.path + ("Principal",)
        for pv in st.principals:
            sv = pv.sv
            here = pv.path[len(base):]
            if not here:   # "*" or an intrinsic giving the whole principal
                if sv.known and sv.text.strip() == "*":
                    return "yes", "`Principal: \"*\"`", ()
                if not sv.known and (sv.params or sv.imports) \
                        and not self._pattern_rejects_star(sv):
                    public = "unknown"
                    unknowns.append(_unknown_text("the principal", sv))
                continue
            k = pv.kind
            if sv.known and sv.text.strip() == "*":
                if k in ("AWS", "CanonicalUser"):
                    return "yes", f"`{k}: \"*\"`", here
                continue
            if k == "Service":
                services.append(sv.text.lower())
            if k == "CanonicalUser" or "CloudFront Origin Access Identity" in sv.text:
                oai_refs.extend(r[0] for r in sv.refs if self._type(r[0]) == OAI_TYPE)
            if not sv.known and k == "AWS" and (sv.params or sv.imports) \
                    and not sv.refs and not sv.pseudo and sv.is_placeholder_only \
                    and not self._pattern_rejects_star(sv):
                public = "unknown"
                sub = sub or here
                unknowns.append(_unknown_text("the principal", sv))
        return public, ("an unknown principal" if public == "unknown" else ""), sub

    def _pattern_rejects_star(self, sv: SValue) -> bool:
        """True when every parameter the value comes from has an AllowedPattern that ``*``
        cannot match (CloudFormation validates it, so the value cannot be ``*``)."""
        if not sv.params or sv.imports:
            return False
        params = self.t.data.get("Parameters") if isinstance(self.t.data, dict) else None
        if not isinstance(params, dict):
            return False
        for name in sv.params:
            p = params.get(name)
            pat = p.get("AllowedPattern") if isinstance(p, dict) else None
            if not isinstance(pat, str):
                return False
            try:
                if re.fullmatch(pat, "*"):
                    return False
            except re.error:
                return False
        return True

    def _conditions(self, st: Statement, unknowns: list) -> tuple[list, list, list, bool]:
        """S3's own reading of who a statement admits ("The meaning of public": values must be
        free of wildcards), through the one key table of :mod:`slint.policy`."""
        limiting: list[str] = []
        negated: list[str] = []
        refs: list[str] = []
        other = False
        if st.condition_unreadable:
            # a condition we cannot read: give the statement the benefit of the doubt
            limiting.append("{unreadable Condition}")
            other = True
        for c in st.conditions:
            if not c.fixed(strict=True):
                other = True
                continue
            for sv in c.values:
                refs.extend(r[0] for r in sv.refs)
            how = c.who(strict=True)
            if how == "limits":
                limiting.append(c.key)
                if any(not sv.known and sv.params for sv in c.values):
                    unknowns.append(f"`{c.key}` comes from a parameter; assumed to be a "
                                    "fixed value")
            elif how == "negated":
                negated.append(c.key_l)
            else:
                other = True
        return limiting, negated, list(dict.fromkeys(refs)), other

    # -------------------------------------------------------------- CloudFront
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


# ---------------------------------------------------------------------------- helpers


def _unknown_flags(b: BucketExposure, flags: tuple) -> list:
    unknown = [f for f in flags if b.bpa.get(f) == UNKNOWN]
    return [f"{' and '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} not known in the "
            "template (a parameter with no default): assumed off"] if unknown else []


def _host(text: str) -> str:
    t = text.strip().lower()
    if "://" in t:
        t = t.split("://", 1)[1]
    return t.split("/", 1)[0]


def _unknown_text(what: str, sv: SValue) -> str:
    if sv.params:
        return f"{what} comes from parameter `{sv.params[0]}`, which has no default"
    if sv.imports:
        return f"{what} is imported (`{sv.imports[0]}`)"
    return f"{what} is not known in the template"


def _expand(pattern: str):
    """The S3 actions an action pattern covers (``*`` counts as ``s3:*``); iamdb.expand is
    memoised already."""
    p = pattern.strip()
    if p == "*":
        p = "s3:*"
    if not p.lower().startswith("s3:"):
        return ()
    return iamdb.expand(p)


def _covered(info, denies: list) -> bool:
    """Whether a Deny for everyone removes ``info`` from anonymous callers: an unconditional
    Deny, or one whose only conditions are negated limiting keys (``StringNotEquals
    aws:SourceVpce``), covering the action and the kind of resource it needs."""
    al = info.action.lower()
    for d in denies:
        if d.public != "yes" or d.other_conditions or d.limiting:
            continue
        res = d.resources or ("*",)
        if "object" in info.resource_types:
            if not any("/" in r or r.endswith("*") or r == "{unknown}" for r in res):
                continue
        elif not any("/" not in r for r in res):
            continue
        if d.not_action:
            if not any(wildcard_match(x.lower(), al) for x in d.actions):
                return True
        elif any(wildcard_match(x.lower(), al) or x.strip() == "*" for x in d.actions):
            return True
    return False


def _access(actions: tuple, not_action: bool, resources: tuple,
            denies: list) -> tuple[frozenset, tuple]:
    """Which of read/list/write a public Allow opens, and the actions that open it. Actions are
    expanded with the IAM action database; object-level actions count only when a resource can
    be an object, bucket-level ones only when a resource can be the bucket."""
    if any(a == "{unknown}" for a in actions):
        return frozenset({READ}), ("{unknown action}",)
    if not_action:
        excluded = [a.lower() for a in actions]
        infos = [i for i in _expand("s3:*")
                 if not any(wildcard_match(x, i.action.lower()) for x in excluded)]
    else:
        infos = []
        for a in actions:
            infos.extend(_expand(a))
    res = resources or ("*",)
    objectish = any("/" in r or r.endswith("*") or r == "{unknown}" for r in res)
    bucketish = any("/" not in r for r in res)
    access: set = set()
    opened: list[str] = []
    for info in dict.fromkeys(infos):
        rt = info.resource_types
        if "object" in rt:
            if not objectish:
                continue
        elif "bucket" in rt:
            if not bucketish:
                continue
        else:
            continue
        if denies and _covered(info, denies):
            continue
        level = info.access_level
        if level == "Read" and "object" not in rt:
            continue  # bucket configuration (GetBucketAcl, GetBucketLocation...): not object data
        if level == "List":
            kind = LIST if "bucket" in rt else READ   # ListMultipartUploadParts: one object
        else:
            kind = READ if level == "Read" else WRITE
        access.add(kind)
        opened.append(info.action)
    if not access:
        return frozenset(), ()
    if not_action:
        shown = ("everything but " + ", ".join(actions),)
    elif len(opened) <= 4:
        shown = tuple(opened)
    else:
        shown = tuple(actions)
    return frozenset(access), shown


# ---------------------------------------------------------------------------- wording for rules

def access_words(access: Iterable[str], obj: str = "its objects") -> str:
    """``read, list and write its objects``."""
    words = [a for a in (READ, LIST, WRITE) if a in access]
    if len(words) > 1:
        words = [", ".join(words[:-1]) + " and " + words[-1]]
    return f"{words[0]} {obj}" if words else ""


def _label(s: PolicyStatement) -> str:
    if s.sid not in (None, ""):
        return f"statement `{s.sid}`"
    stmt = s.path[-1] if s.path and isinstance(s.path[-1], int) else None
    return f"statement {stmt + 1}" if stmt is not None else "its statement"


def grant_notes(g: Exposure) -> str:
    """`` (what is unknown; what is left to defaults)`` or an empty string."""
    parts = list(g.unknowns) + list(g.notes)
    return f" ({'; '.join(parts)})" if parts else ""


def describe_grant(g: Exposure) -> str:
    """Where a grant comes from, in a clause: ``AccessControl `PublicRead` grants AllUsers READ on
    the bucket``, ``statement 0 of `SitePolicy` allows anyone s3:GetObject``."""
    if g.kind == "acl":
        acl = g.actions[0].split(": ", 1)[1] if g.actions else "?"
        return f"AccessControl `{acl}`" + (f" {g.actions[1]}" if len(g.actions) > 1 else "")
    if g.kind == "website":
        return "WebsiteConfiguration serves it on the public website endpoint"
    return f"{g.label or 'a statement'} of `{g.source}` allows {g.who} {', '.join(g.actions)}"

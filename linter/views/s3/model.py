"""The bucket view's data: exposures, origins, distributions, policy statements, buckets, and
the constants they use."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any


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
    # the grant relies on settings left to S3's defaults for new buckets (Block Public Access
    # on, ACLs disabled by BucketOwnerEnforced), under which the stack fails to deploy: the
    # bucket is public only if someone turns those off
    deploy_fails: bool = False

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

"""Bucket exposure: who can reach each S3 bucket directly, and which CloudFront distribution fronts it.

``BucketView(template, values)`` (``ctx.buckets``) normalises, once per template, everything that
decides whether anyone on the internet can read, list or write a bucket's objects:

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

The package: ``model`` (exposures, origins, distributions, statements, buckets and the constants),
``view`` (:class:`BucketView`: buckets and the public API), ``policies`` (bucket policies),
``cloudfront`` (distributions and the origin access check), ``access`` (what a statement opens),
``wording`` (how rules word a grant). Every name is importable from ``slint.views.s3``.
"""

from ... import iamdb  # noqa: F401  (importable from here, as before the split)
from ...model.values import SValue  # noqa: F401
from ...policy import PolicyReader, Statement, wildcard_match  # noqa: F401
from .access import _access, _covered, _expand, _host, _unknown_flags, _unknown_text  # noqa: F401
from .model import (BPA_FLAGS, BUCKET, BUCKET_POLICY, DEFAULT, DISTRIBUTION, LIST,  # noqa: F401
                    OAC_TYPE, OAI_TYPE, OFF, ON, PUBLIC_ACLS, READ, UNKNOWN, WRITE, _REST_ATTRS,
                    _REST_HOST, _WEBSITE_HOST, BucketExposure, Distribution, Exposure, Origin,
                    PolicyStatement)
from .view import BucketView  # noqa: F401
from .wording import _label, access_words, describe_grant, grant_notes  # noqa: F401

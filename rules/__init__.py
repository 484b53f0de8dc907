"""The rule registry: explicit, no import side effects, and no rule imported before it is needed.

``REGISTRY`` is a static table of every rule: its code, name, category, default severity, whether
it is on by default, and where its class lives. ``slint check --select IAM001`` imports one rule
module (and the views it reads), not all of them. ``tests/test_meta.py`` checks the table against
the real classes, so it cannot drift.

Adding a rule: write ``rules/<family>/<module>.py`` (one class), then add its row here.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import import_module
from typing import NamedTuple


class Entry(NamedTuple):
    code: str
    name: str
    category: str            # ``Category`` value
    severity: str            # default ``Severity`` value
    enabled_by_default: bool
    module: str              # below ``slint.rules``
    cls: str

    def load(self) -> type:
        """The rule class (imports its module, and only it)."""
        return getattr(import_module(f"{__name__}.{self.module}"), self.cls)


# sorted by code
REGISTRY: tuple[Entry, ...] = (
    Entry('API001', 'route-without-authorization', 'APIAUTH', 'high', True, 'api.route_without_authorization', 'RouteWithoutAuthorization'),
    Entry('API002', 'function-url-auth-none', 'APIAUTH', 'high', True, 'api.function_url_auth_none', 'FunctionUrlAuthNone'),
    Entry('BKT001', 'hardcoded-bucket-name', 'BUCKETNAME', 'medium', True, 'bucketname.hardcoded', 'HardcodedBucketName'),
    Entry('BKT002', 'unqualified-bucket-name', 'BUCKETNAME', 'low', True, 'bucketname.unqualified', 'UnqualifiedBucketName'),
    Entry('BKT003', 'duplicate-bucket-name', 'BUCKETNAME', 'high', True, 'bucketname.duplicate', 'DuplicateBucketName'),
    Entry('BKT004', 'invalid-bucket-name', 'BUCKETNAME', 'high', True, 'bucketname.invalid', 'InvalidBucketName'),
    Entry('CFR001', 'cloudfront-bypassable-bucket', 'CLOUDFRONT', 'high', True, 'cloudfront.bypassable_bucket', 'BypassableBucket'),
    Entry('CFR002', 's3-origin-without-access-control', 'CLOUDFRONT', 'medium', True, 'cloudfront.s3_origin_without_access_control', 'S3OriginWithoutAccessControl'),
    Entry('CFR003', 'oac-grant-without-source-arn', 'CLOUDFRONT', 'medium', True, 'cloudfront.oac_grant_without_source_arn', 'OacGrantWithoutSourceArn'),
    Entry('COG001', 'cognito-authorizer-without-user-pool', 'COGNITO', 'high', True, 'cognito.authorizer_without_user_pool', 'CognitoAuthorizerWithoutUserPool'),
    Entry('COG002', 'authorization-type-mismatch', 'COGNITO', 'high', True, 'cognito.authorization_type_mismatch', 'AuthorizationTypeMismatch'),
    Entry('COG003', 'undefined-authorizer', 'COGNITO', 'high', True, 'cognito.undefined_authorizer', 'UndefinedAuthorizer'),
    Entry('COG004', 'jwt-issuer-mismatch', 'COGNITO', 'high', True, 'cognito.jwt_issuer_mismatch', 'JwtIssuerMismatch'),
    Entry('COG005', 'unused-user-pool-authorizer', 'COGNITO', 'high', True, 'cognito.unused_user_pool_authorizer', 'OpenRouteBesideUnusedUserPoolAuthorizer'),
    Entry('IAM001', 'wildcard-action', 'IAM', 'high', True, 'iam.wildcard_action', 'WildcardAction'),
    Entry('IAM002', 'write-on-any-resource', 'IAM', 'medium', True, 'iam.write_on_any_resource', 'WriteOnAnyResource'),
    Entry('IAM003', 'data-read-on-any-resource', 'IAM', 'medium', False, 'iam.data_read_on_any_resource', 'DataReadOnAnyResource'),
    Entry('IAM004', 'allow-with-not-action', 'IAM', 'high', True, 'iam.allow_not_action', 'AllowWithNotActionOrResource'),
    Entry('IAM005', 'admin-managed-policy', 'IAM', 'high', True, 'iam.admin_managed_policy', 'AdminManagedPolicy'),
    Entry('IAM006', 'passrole-on-any-resource', 'IAM', 'high', True, 'iam.passrole_on_any_resource', 'PassRoleOnAnyResource'),
    Entry('IAM007', 'privilege-escalation', 'IAM', 'high', True, 'iam.privilege_escalation', 'PrivilegeEscalation'),
    Entry('IAM008', 'public-resource-policy', 'IAM', 'high', True, 'iam.public_resource_policy', 'PublicResourcePolicy'),
    Entry('IAM009', 'open-trust-policy', 'IAM', 'high', True, 'iam.open_trust_policy', 'OpenTrustPolicy'),
    Entry('IAM010', 'open-route-overprivileged', 'IAM', 'high', True, 'iam.open_route_overprivileged', 'OpenRouteOverprivileged'),
    Entry('INC001', 'include-refused', 'SYNTAX', 'medium', True, 'core.include', 'IncludeRefused'),
    Entry('INT001', 'rule-error', 'INTERNAL', 'high', True, 'core.internal', 'RuleError'),
    Entry('INT002', 'findings-truncated', 'INTERNAL', 'info', True, 'core.internal', 'FindingsTruncated'),
    Entry('INT003', 'cfn-lint-stopped', 'INTERNAL', 'medium', True, 'core.internal', 'CfnLintStopped'),
    Entry('S3P001', 'public-bucket', 'S3PUBLIC', 'high', True, 's3.public_bucket', 'PublicBucket'),
    Entry('SUP001', 'suppression-without-reason', 'INTERNAL', 'low', True, 'core.suppression', 'SuppressionWithoutReason'),
    Entry('SUP002', 'unused-suppression', 'INTERNAL', 'low', True, 'core.suppression', 'UnusedSuppression'),
    Entry('SUP003', 'invalid-suppression', 'INTERNAL', 'low', True, 'core.suppression', 'InvalidSuppression'),
    Entry('SYN001', 'parse-error', 'SYNTAX', 'high', True, 'core.syntax', 'ParseError'),
    Entry('SYN002', 'duplicate-key', 'SYNTAX', 'medium', True, 'core.syntax', 'DuplicateKey'),
    Entry('SYN003', 'invalid-template-structure', 'SYNTAX', 'medium', True, 'core.syntax', 'InvalidTemplateStructure'),
    Entry('SYN004', 'undefined-reference', 'SYNTAX', 'medium', True, 'core.references', 'UndefinedReference'),
    Entry('SYN005', 'missing-sam-transform', 'SYNTAX', 'medium', True, 'core.references', 'MissingSamTransform'),
)


def entries() -> tuple[Entry, ...]:
    return REGISTRY


def codes() -> list[str]:
    return [e.code for e in REGISTRY]


@lru_cache(maxsize=1)
def all_rules() -> tuple:
    """Every rule class, sorted by code (imports every rule module)."""
    return tuple(e.load() for e in REGISTRY)


def entry_by_code(code: str) -> Entry | None:
    """The registry row for a code or a rule name (case-insensitive), without importing it."""
    code = code.upper()
    for e in REGISTRY:
        if e.code == code or e.name == code.lower():
            return e
    return None


def rule_by_code(code: str):
    e = entry_by_code(code)
    return e.load() if e is not None else None


def family_rules(family: str) -> list:
    """The rule classes of ``rules/<family>/``, in code order."""
    return [e.load() for e in REGISTRY if e.module.split(".")[0] == family]

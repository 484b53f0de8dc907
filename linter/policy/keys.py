"""The condition keys that limit a policy, and the operators that test them: the one table.

``WHO_KEYS`` limit *who* can use a resource-based or trust policy granted to ``*``; each entry is
``key (lower case) -> (label, kind)``: the label names what the caller is limited to in messages
("resource policy allows only a source VPC"); the kind says how a wildcard in a value is read:

- ``arn``: an ARN; with a ``...Like`` operator it limits while its account field is fixed
  (``arn:aws:execute-api:us-east-1:123456789012:abc/*`` is one account's API);
- ``exact``: an account, organisation, VPC, IP range...: any wildcard opens it;
- ``loose``: federation and token keys (``...:sub``, ``sts:ExternalId``): only a value that is all
  wildcards opens it (``repo:org/app:*`` still names one repository).

The third field says whether S3's own definition of a public policy ("The meaning of public",
S3 user guide), which ``BlockPublicPolicy`` enforces, counts the key; under that definition
(``strict``) every value must also be free of wildcards.

``RESOURCE_KEYS`` limit *which resources* an identity statement on ``*`` reaches.
"""

from __future__ import annotations

import re

ARN, EXACT, LOOSE = "arn", "exact", "loose"

WHO_KEYS: dict[str, tuple[str, str, bool]] = {
    "aws:sourcevpc": ("source VPC", EXACT, True),
    "aws:sourcevpce": ("VPC endpoint", EXACT, True),
    "aws:sourceip": ("source IP", EXACT, True),
    "aws:vpcsourceip": ("VPC source IP", EXACT, False),
    "aws:sourcearn": ("source ARN", ARN, True),
    "aws:sourceaccount": ("AWS account", EXACT, True),
    "aws:sourceowner": ("AWS account", EXACT, True),
    "aws:sourceorgid": ("AWS organization", EXACT, True),
    "aws:sourceorgpaths": ("AWS organization path", EXACT, True),
    "aws:principalorgid": ("AWS organization", EXACT, True),
    "aws:principalorgpaths": ("AWS organization path", EXACT, True),
    "aws:principalaccount": ("AWS account", EXACT, True),
    "aws:principalarn": ("principal ARN", ARN, True),
    "aws:principalservicename": ("service principal", EXACT, False),
    "aws:userid": ("principal ID", EXACT, True),
    "aws:username": ("user name", EXACT, False),
    "kms:calleraccount": ("AWS account", EXACT, False),
    "s3:dataaccesspointarn": ("S3 access point", ARN, True),
    "s3:dataaccesspointaccount": ("AWS account", EXACT, True),
    "s3:x-amz-server-side-encryption-aws-kms-key-id": ("KMS key", EXACT, True),
    "lambda:eventsourcetoken": ("event source token", LOOSE, False),
    "sts:externalid": ("external ID", LOOSE, False),
    "cognito-identity.amazonaws.com:amr": ("Cognito identity type", LOOSE, False),
}
# the network keys as AWS spells them, for code that writes statements (SAM's API ResourcePolicy)
SOURCE_IP, SOURCE_VPC, SOURCE_VPCE = "aws:SourceIp", "aws:SourceVpc", "aws:SourceVpce"
# families of keys: (pattern, (label, kind, s3))
_WHO_PATTERNS = (
    (re.compile(r"^aws:principaltag/.+$"), ("principal tag", LOOSE, False)),
    (re.compile(r"^[a-z0-9.-]+:(?:aud|oaud)$"), ("token audience", LOOSE, False)),
    (re.compile(r"^[a-z0-9.-]+:sub$"), ("token subject", LOOSE, False)),
)

RESOURCE_KEYS = re.compile(
    r"^(?:[a-z0-9-]+:resourcetag/.*|aws:resourceaccount|aws:resourceorgid|aws:resourceorgpaths"
    r"|aws:sourcearn|aws:sourceaccount|dynamodb:leadingkeys|s3:prefix|iam:resourcetag/.*"
    r"|ec2:resourcetag/.*|kms:encryptioncontext:.*|ssm:resourcetag/.*|secretsmanager:secretid"
    r"|ecs:cluster|aws:calledvia)$")

# operators (lower case, qualifier and IfExists removed) that match a value / its negation
POSITIVE_OPS = frozenset({"stringequals", "stringequalsignorecase", "stringlike", "arnequals",
                          "arnlike", "ipaddress"})
NEGATIVE_OPS = frozenset({"stringnotequals", "stringnotequalsignorecase", "stringnotlike",
                          "arnnotequals", "arnnotlike", "notipaddress"})
WILDCARD_OPS = frozenset({"stringlike", "arnlike", "arnequals", "stringnotlike", "arnnotlike",
                          "arnnotequals"})
OPEN_IP = frozenset({"0.0.0.0/0", "::/0", "*"})


def who_key(key: str) -> tuple[str, str, bool] | None:
    """``(label, kind, s3)`` when ``key`` limits who can call, else None (case-insensitive)."""
    k = key.lower()
    hit = WHO_KEYS.get(k)
    if hit is not None:
        return hit
    for rx, entry in _WHO_PATTERNS:
        if rx.match(k):
            return entry
    return None


def resource_key(key: str) -> bool:
    return RESOURCE_KEYS.match(key.lower()) is not None

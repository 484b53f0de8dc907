"""s3 rules."""

from .public_bucket import PublicBucket

RULES: list = [PublicBucket]

"""cloudfront rules."""

from .bypassable_bucket import BypassableBucket
from .oac_grant_without_source_arn import OacGrantWithoutSourceArn
from .s3_origin_without_access_control import S3OriginWithoutAccessControl

RULES: list = [BypassableBucket, S3OriginWithoutAccessControl, OacGrantWithoutSourceArn]

"""bucketname rules: S3 bucket names in the global namespace (BKT)."""

from .duplicate import DuplicateBucketName
from .hardcoded import HardcodedBucketName
from .invalid import InvalidBucketName
from .unqualified import UnqualifiedBucketName

RULES: list = [HardcodedBucketName, UnqualifiedBucketName, DuplicateBucketName,
               InvalidBucketName]

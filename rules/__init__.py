"""The rule registry: explicit, no import side effects.

``all_rules()`` imports each family's ``RULES`` list on first call; adding a rule means adding its
class to its family's list.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def all_rules() -> tuple:
    from .core import RULES as core
    from .iam import RULES as iam
    from .s3 import RULES as s3
    from .cloudfront import RULES as cloudfront
    from .bucketname import RULES as bucketname
    from .api import RULES as api
    from .cognito import RULES as cognito
    rules = (*core, *iam, *s3, *cloudfront, *bucketname, *api, *cognito)
    return tuple(sorted(rules, key=lambda r: r.code))


def rule_by_code(code: str):
    code = code.upper()
    for r in all_rules():
        if r.code == code or r.name == code.lower():
            return r
    return None

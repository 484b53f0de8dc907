"""cloudfront rules."""

RULES: list = []

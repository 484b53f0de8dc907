"""s3 rules."""

RULES: list = []

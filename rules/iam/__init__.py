"""iam rules."""

RULES: list = []

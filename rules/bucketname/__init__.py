"""bucketname rules."""

RULES: list = []

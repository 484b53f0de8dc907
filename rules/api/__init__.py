"""api rules."""

RULES: list = []

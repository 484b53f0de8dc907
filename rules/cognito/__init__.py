"""cognito rules."""

RULES: list = []

"""bucketname rules: S3 bucket names in the global namespace (BKT)."""

# No imports here: importing one rule of this family (``slint.rules.bucketname.<module>``) must not
# import the others and the views they read. The family's classes, in code order, on demand:


def __getattr__(name: str):
    if name == "RULES":
        from slint.rules import family_rules
        return family_rules("bucketname")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

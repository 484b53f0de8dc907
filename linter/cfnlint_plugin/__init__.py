"""slint as a cfn-lint plugin: every slint rule as a cfn-lint rule.

    cfn-lint --append-rules slint.cfnlint_plugin -- template.yaml

cfn-lint imports this package and instantiates the ``CloudFormationLintRule`` subclasses it
finds on it. They are built on first attribute access (PEP 562), so importing this package
for its id map (``slint.cfnlint_plugin._idmap``) does not import cfn-lint.
See docs/cfn-lint.md for the id mapping.
"""

from __future__ import annotations


def _classes() -> dict:
    from .slint_rules import RULE_CLASSES
    return RULE_CLASSES


def __getattr__(name: str):
    if name.startswith("Slint"):
        classes = _classes()
        if name in classes:
            return classes[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_classes()))

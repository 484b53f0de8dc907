"""slint's rules as cfn-lint rules: one ``CloudFormationLintRule`` subclass per slint code.

Loaded by cfn-lint either as a module (``--append-rules slint.cfnlint_plugin``) or from this
directory (``--append-rules DIR``), in which case cfn-lint imports this file on its own; so it
uses absolute imports only, and the helper modules start with ``_`` so that cfn-lint's
directory loader skips them.
"""

from __future__ import annotations

import logging
import re

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from slint.cfnlint_plugin._idmap import UnmappableCode, cfnlint_id, doc_url
from slint.cfnlint_plugin._runner import findings_for
from slint.rules_meta import doc_section


def _summary(rule) -> str:
    """The first paragraph of the rule's "What it does" section, on one line."""
    para = re.split(r"\n\s*\n", doc_section(rule, "What it does"), maxsplit=1)[0]
    return " ".join(para.split()) or rule.name


def _match(self, cfn):
    """cfn-lint's whole-template hook: this rule's findings from the cached slint run."""
    out = []
    for f in findings_for(getattr(cfn, "filename", None)):
        if f.rule != self.slint_code:
            continue
        out.append(RuleMatch(
            list(f.path), f"{f.message} [slint {f.rule} {f.severity}]",
            # 0-based (line, column, end line, end column): cfn-lint uses it as is, so the
            # position is slint's, in the template the user wrote (before the SAM transform)
            location=(f.line - 1, f.column - 1, f.end_line - 1, f.end_column - 1)))
    return out


def _make(rule) -> type:
    # built from CloudFormationLintRule directly: a shared base class in this module would be
    # registered by cfn-lint as a rule of its own
    return type(f"Slint{rule.code}", (CloudFormationLintRule,), {
        "__module__": __name__,
        "__doc__": f"slint {rule.code} {rule.name}",
        "id": cfnlint_id(rule.code, rule.severity),
        "shortdesc": f"slint {rule.code} {rule.name}",
        "description": _summary(rule),
        "source_url": doc_url(rule.code),
        "tags": ["slint", rule.category.value.lower()],
        "slint_code": rule.code,
        "match": _match,
    })


def _build() -> dict[str, type]:
    from slint.rules import all_rules
    out = {}
    for r in all_rules():
        try:
            out[f"Slint{r.code}"] = _make(r)
        except UnmappableCode as exc:  # a new family without a digit yet: skip, don't break cfn-lint
            logging.getLogger(__name__).warning("slint rule not available in cfn-lint: %s", exc)
    return out


RULE_CLASSES = _build()
globals().update(RULE_CLASSES)

"""A rule that raised: reported, isolated, the run goes on."""

from __future__ import annotations

from slint.findings import Category, Severity
from slint.rule import Rule


class RuleError(Rule):
    """## What it does
    Reports that one of slint's rules failed on this template. The other rules still ran.

    ## Why is this bad?
    It is a bug in slint, not in your template: the failing rule's checks did not happen for
    this file, so its findings may be missing.

    ## Example
    (No template triggers this on purpose.)

    ## Use instead
    Report the message, with the template if you can share it, to the slint issue tracker.

    ## Known limitations
    None.

    ## References
    - cfripper's rule isolation
    """
    code = "INT001"
    name = "rule-error"
    category = Category.INTERNAL
    severity = Severity.HIGH
    message = "{detail}"
    fix = "Report this to slint's maintainers"

    def check(self, ctx):
        return ()

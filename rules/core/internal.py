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


class FindingsTruncated(Rule):
    """## What it does
    Reports that one rule found more than 1000 problems in one file and slint stopped listing
    them there.

    ## Why is this bad?
    No real template has a thousand distinct problems of one kind: the file is generated,
    pathological or hostile. Stopping keeps the run bounded in time and output size; the
    findings that were listed are real, and there are more.

    ## Example
    (A template with over a thousand findings of one rule; too long to show.)

    ## Use instead
    Fix the pattern the listed findings show and run slint again.

    ## Known limitations
    The limit is per rule and file, not configurable.

    ## References
    - slint's bounds on hostile input (docs/performance.md)
    """
    code = "INT002"
    name = "findings-truncated"
    category = Category.INTERNAL
    severity = Severity.INFO
    message = "{detail}"
    fix = "Fix the reported pattern and run slint again"

    def check(self, ctx):
        return ()

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
    Reports that slint stopped at one of its bounds in this file: one rule found more than
    1000 problems and slint stopped listing them there, or a policy document lists more
    statements (2 500) or one statement more entries in an `Action`, `NotAction`, `Resource`,
    `NotResource` or principal list (25 000) than any AWS policy can hold, and the rest of that
    list was not read.

    ## Why is this bad?
    No real template has a thousand distinct problems of one kind, and no AWS policy holds
    thousands of statements (an IAM policy is at most 10 240 characters, the largest resource
    policies some tens of KB): the file is generated, pathological or hostile, and could not
    be deployed as written. Stopping keeps the run bounded in time and output size; what was
    listed and read is real, and what was not read may hold more problems.

    ## Example
    (A template with over a thousand findings of one rule, or a statement listing 400 000
    actions; too long to show.)

    ## Use instead
    Fix the pattern the listed findings show, or split the policy into documents AWS accepts,
    and run slint again.

    ## Known limitations
    The limits are per rule and file and per list, not configurable.

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


class CfnLintStopped(Rule):
    """## What it does
    Reports that `slint check --with-cfn-lint` stopped cfn-lint on this template: it ran past
    its time budget (`--cfn-lint-timeout`, default 30 seconds per file), hit its memory cap
    (`--cfn-lint-memory`, default 1024 MB), or its process ended unexpectedly. slint's own
    findings for the file are complete; cfn-lint's are missing for it.

    ## Why is this bad?
    cfn-lint has no bounds of its own: a very large, generated or hostile template can keep it
    busy for minutes or make it grow to gigabytes. slint runs it in a separate, limited process
    and stops it, so one template cannot stall or exhaust a CI runner; that file then goes
    without cfn-lint's checks.

    ## Example
    (A template large enough to take cfn-lint past its budget; too long to show.)

    ## Use instead
    Raise the bounds for this run (`--cfn-lint-timeout 120 --cfn-lint-memory 4096`, or
    `cfn-lint-timeout` / `cfn-lint-memory` in `[tool.slint]`), or split the template.

    ## Known limitations
    Only with `--with-cfn-lint`. The memory cap is an address-space limit (RLIMIT_AS) on Unix;
    where the platform has none, only the time budget applies.

    ## References
    - docs/cfn-lint.md (bounds of the cfn-lint pass)
    """
    code = "INT003"
    name = "cfn-lint-stopped"
    category = Category.INTERNAL
    severity = Severity.MEDIUM
    message = "{detail}"
    fix = "Raise --cfn-lint-timeout / --cfn-lint-memory, or split the template"

    def check(self, ctx):
        return ()

"""The engine: files in, sorted findings out.

For each file: load (a parse failure becomes a SYNTAX finding), recognise a template (anything
else is skipped), build the model, run every selected rule in isolation (a rule that raises
becomes one INT001 finding and the run goes on), apply suppressions once, sort.
Project-level rules then see the facts that their ``collect`` gathered from every file.
"""

from __future__ import annotations

import os
import stat
import traceback
from dataclasses import dataclass, field
from typing import Any, Iterable

from .config import Config
from .context import Context
from .findings import Finding, Severity
from .loader import Document, LoadIssue, load_file
from .model.template import Template
from .rule import Rule

# one rule reports at most this many findings in one file (a generator rule stops there)
MAX_FINDINGS_PER_RULE = 1000

TEMPLATE_EXTENSIONS = (".yaml", ".yml", ".json", ".template", ".cfn")


@dataclass
class FileResult:
    file: str
    status: str                      # checked | skipped | error
    findings: list[Finding] = field(default_factory=list)
    reason: str | None = None        # why skipped / error
    resources: int = 0
    facts: dict[str, Any] = field(default_factory=dict)   # rule code -> collected facts

    def to_dict(self) -> dict:
        d = {"file": self.file, "status": self.status, "findings": len(self.findings),
             "resources": self.resources}
        if self.reason:
            d["reason"] = self.reason
        return d


@dataclass
class RunResult:
    files: list[FileResult]
    findings: list[Finding]

    @property
    def checked(self) -> int:
        return sum(1 for f in self.files if f.status in ("checked", "error"))


def selected_rules(config: Config) -> list[Rule]:
    from slint.rules import all_rules
    out = []
    for cls in all_rules():
        if not config.rule_selected(cls.code, cls.enabled_by_default):
            continue
        out.append(cls(options=config.rule_options.get(cls.code),
                       severity=config.severity_overrides.get(cls.code)))
    return out


def is_template(data: Any) -> bool:
    """A CloudFormation/SAM template, recognised by content."""
    if not isinstance(data, dict):
        return False
    if "AWSTemplateFormatVersion" in data:
        return True
    tr = data.get("Transform")
    trs = tr if isinstance(tr, list) else [tr]
    if any(isinstance(t, str) and t.startswith("AWS::Serverless") for t in trs):
        return True
    res = data.get("Resources")
    if isinstance(res, dict) and res:
        return any(isinstance(v, dict) and isinstance(v.get("Type"), str) and "::" in v["Type"]
                   for v in res.values())
    return False


def _syntax(code: str, rules_by_code: dict[str, Rule], file: str, issue: LoadIssue) -> Finding | None:
    rule = rules_by_code.get(code)
    if rule is None:
        return None
    return rule.report_at(file, issue.line, issue.column, resource=None, message=issue.message,
                          path=issue.path, end_line=issue.end_line, end_column=issue.end_column)


def check_file(path: str, config: Config, rules: list[Rule], *, explicit: bool = True,
               display: str | None = None) -> FileResult:
    display = display or path
    if not explicit and _surely_not_template(path, config.max_file_bytes):
        return FileResult(display, "skipped", reason="not a CloudFormation or SAM template")
    by_code = {r.code: r for r in rules}
    loaded = load_file(path, max_bytes=config.max_file_bytes)
    return check_loaded(loaded.document, loaded.issues, display, config, rules, by_code, explicit)


_MARKERS = (b"AWSTemplateFormatVersion", b"Resources", b"Transform")


def _surely_not_template(path: str, limit: int) -> bool:
    """Fast skip before parsing: ``is_template`` needs one of these keys, so a UTF-8 file that
    contains none of them cannot be a template (other encodings are left to the loader).
    A discovered file that is not a regular file (a FIFO would block the read) is skipped too."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return True
        with open(path, "rb") as fh:
            raw = fh.read(limit + 4)
    except OSError:
        return False
    return lacks_template_keys(raw)


def lacks_template_keys(raw: bytes) -> bool:
    """True for UTF-8 bytes with none of the top-level keys ``is_template`` needs."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or raw[:4] == b"\x00\x00\xfe\xff":
        return False
    return not any(m in raw for m in _MARKERS)


def check_text(text: str, filename: str, config: Config | None = None,
               rules: list[Rule] | None = None) -> FileResult:
    """Check a template given as text (tests, editors)."""
    from .loader import load_text
    config = config or Config()
    rules = rules if rules is not None else selected_rules(config)
    loaded = load_text(text, filename)
    return check_loaded(loaded.document, loaded.issues, filename, config, rules,
                        {r.code: r for r in rules}, True)


def check_loaded(doc: Document | None, issues: list[LoadIssue], display: str, config: Config,
                 rules: list[Rule], by_code: dict[str, Rule], explicit: bool) -> FileResult:
    if doc is None:
        fr = FileResult(display, "error", reason=issues[0].message if issues else "unreadable")
        if not explicit and issues and issues[0].message.startswith("binary content"):
            return FileResult(display, "skipped", reason="binary file")
        for issue in issues:
            f = _syntax("SYN001", by_code, display, issue)
            if f:
                fr.findings.append(f)
        return fr
    if not is_template(doc.data):
        return FileResult(display, "skipped", reason="not a CloudFormation or SAM template")
    findings: list[Finding] = []
    for issue in issues:
        code = "SYN002" if issue.kind == "warning" else "SYN001"
        f = _syntax(code, by_code, display, issue)
        if f:
            findings.append(f)
    template = Template(doc)
    ctx = Context(doc, template, config, display)
    for message, mpath in template.issues:
        rule = by_code.get("SYN003")
        if rule is not None:
            findings.append(rule.report(ctx, mpath, resource=mpath[1] if len(mpath) > 1 else None,
                                        message=message))
    facts: dict[str, Any] = {}
    for rule in rules:
        try:
            n = 0
            for f in rule.check(ctx) or ():
                n += 1
                if n > MAX_FINDINGS_PER_RULE:  # bounded output and time on pathological input
                    cut = by_code.get("INT002")
                    if cut is not None:
                        findings.append(cut.report_at(
                            display, f.line, f.column, resource=None,
                            message=f"rule {rule.code} ({rule.name}) stopped after "
                                    f"{MAX_FINDINGS_PER_RULE} findings in this file; the rest "
                                    "were not reported"))
                    break
                findings.append(f)
            if rule.has_project_check():
                facts[rule.code] = rule.collect(ctx)
        except Exception as exc:  # rule isolation: one broken rule never stops the run
            internal = by_code.get("INT001")
            tb = traceback.extract_tb(exc.__traceback__)
            where = f"{os.path.basename(tb[-1].filename)}:{tb[-1].lineno}" if tb else "?"
            msg = (f"rule {rule.code} ({rule.name}) failed on this template: "
                   f"{type(exc).__name__}: {exc} at {where}")
            if internal is not None:
                findings.append(internal.report_at(display, 1, 1, resource=None, message=msg))
    # suppressions first, so that a suppression of a finding hidden by --severity or a per-path
    # ignore still counts as used, and the suppression findings themselves are filtered too
    from .suppress import apply_suppressions
    findings = apply_suppressions(ctx, findings, by_code)
    if getattr(ctx, "pending_suppressions", None):  # for project-level findings, in finish()
        from .suppress import PENDING_KEY
        facts[PENDING_KEY] = ctx.pending_suppressions
    findings = _filter(findings, config, display)
    findings.sort(key=Finding.sort_key)
    result = FileResult(display, "checked", findings, resources=len(template.user_resources()),
                        facts=facts)
    ctx.__dict__.clear()  # views hold ctx: drop the cycle so the document is freed now, not by the GC
    return result


def _filter(findings: list[Finding], config: Config, file: str) -> list[Finding]:
    out = []
    ignored = set(config.path_ignores(file))
    for f in findings:
        if any(f.rule == c or f.rule.startswith(c) for c in ignored):
            continue
        if Severity(f.severity).rank < config.min_severity.rank:
            continue
        out.append(f)
    return out


def discover(paths: Iterable[str]) -> list[tuple[str, bool]]:
    """Files to check: (path, explicit). Directories are walked (hidden and dependency folders
    skipped) for files with template extensions; content decides later."""
    out: list[tuple[str, bool]] = []
    skip_dirs = {".git", "node_modules", ".aws-sam", "cdk.out", "__pycache__", ".venv", "venv",
                 ".tox", ".terraform"}
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if d not in skip_dirs and not d.startswith("."))
                for name in sorted(files):
                    if name.lower().endswith(TEMPLATE_EXTENSIONS):
                        out.append((os.path.join(root, name), False))
        else:
            out.append((p, True))
    return out


def run(paths: Iterable[str], config: Config | None = None, *, jobs: int | None = 1,
        rules: list[Rule] | None = None, progress=None, cache=None) -> RunResult:
    """``progress(done, total, path)`` is called after each file (e.g. a progress bar).
    ``config.skip_non_templates`` treats named files like discovered ones (pre-commit).
    ``jobs``: worker processes (``None``/0: one per CPU; small runs stay in this process);
    ``cache``: a ``slint.cache.Cache`` or None. The result is the same whatever both are."""
    from .parallel import check_targets
    config = config or Config()
    rules = rules if rules is not None else selected_rules(config)
    hook = getattr(config, "skip_non_templates", False)
    targets = [(path, explicit and not hook) for path, explicit in discover(paths)]
    results = check_targets(targets, config, rules, jobs=jobs, cache=cache, progress=progress)
    return finish(results, rules, config)


def finish(results: list[FileResult], rules: list[Rule], config: Config | None = None) -> RunResult:
    """Project-level rules over the facts of every file, then the same suppressions and filters
    (per-path ignores, minimum severity) that per-file findings went through."""
    findings = [f for r in results for f in r.findings]
    project: list[Finding] = []
    for rule in rules:
        if not rule.has_project_check():
            continue
        facts = [(r.file, r.facts[rule.code]) for r in results if rule.code in r.facts]
        try:
            project.extend(rule.check_project(facts) or ())
        except Exception as exc:  # pragma: no cover - same isolation as per-file rules
            findings.append(Finding(rule="INT001", name="rule-error", category="INTERNAL",
                                    severity="high", message=f"rule {rule.code} failed on the run: "
                                    f"{type(exc).__name__}: {exc}", file="", line=1, column=1,
                                    end_line=1, end_column=1, resource=None))
    from .suppress import apply_project_suppressions
    kept = apply_project_suppressions(results, project, rules)
    if config is not None:
        by_file: dict[str, list[Finding]] = {}
        for f in kept:
            by_file.setdefault(f.file, []).append(f)
        kept = [f for file, fs in by_file.items() for f in _filter(fs, config, file)]
    findings.extend(kept)
    findings.sort(key=Finding.sort_key)
    return RunResult(results, findings)


def exit_code(result: RunResult, config: Config) -> int:
    if result.checked == 0:
        return 2
    worst = max((Severity(f.severity).rank for f in result.findings), default=-1)
    return 1 if worst >= config.fail_on.rank else 0

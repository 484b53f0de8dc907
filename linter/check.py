"""The per-document check: a loaded document in, its findings and facts out. Pure: no file
system, no processes, no cache (``slint.parallel`` reads files, ``slint.engine`` runs many).

One step per function, in the order ``check_document`` runs them:

1. ``unloaded``: no document (a parse failure) -> SYN001 findings, or a skip for binary content;
2. ``is_template``: anything that is not a CloudFormation/SAM template is skipped;
3. ``load_findings``: what the loader noticed (SYN001 errors, SYN002 warnings);
4. ``structure_findings``: what the template model noticed (SYN003);
5. ``run_rules``: every selected rule, each bounded (``MAX_FINDINGS_PER_RULE``, then INT002)
   and isolated (a rule that raises becomes one INT001 finding; the others still run), plus the
   facts of project-level rules;
6. ``apply_suppressions`` (``slint.suppress``): kept findings, and the suppressions that
   project-level findings may still use (``FileResult.pending``);
7. ``filter_findings``: per-path ignores and the minimum severity; then a deterministic sort.

``finish`` does the run-wide part: project-level rules over every file's facts, then the same
suppressions and filters.
"""

from __future__ import annotations

import os
import traceback
from typing import Any, Iterable

from .config import Config
from .context import Context
from .findings import Finding, Severity
from .loader import Document, LoadIssue
from .model.foreach import LANGUAGE_EXTENSIONS
from .model.template import Template
from .results import FileResult, RunResult
from .rule import Rule
from .suppress import apply_project_suppressions, apply_suppressions

# one rule reports at most this many findings in one file (a generator rule stops there)
MAX_FINDINGS_PER_RULE = 1000


def selected_rules(config: Config) -> list[Rule]:
    """Instances of the rules ``config`` selects, in code order. Only their modules are
    imported: the registry knows every rule's code and default without importing it."""
    from slint.rules import entries
    out = []
    for e in entries():
        if not config.rule_selected(e.code, e.enabled_by_default):
            continue
        cls = e.load()
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
    if any(isinstance(t, str) and (t.startswith("AWS::Serverless")
                                   or t == LANGUAGE_EXTENSIONS) for t in trs):
        return True
    res = data.get("Resources")
    if isinstance(res, dict) and res:
        return any(isinstance(v, dict) and isinstance(v.get("Type"), str) and "::" in v["Type"]
                   for v in res.values())
    return False


NOT_A_TEMPLATE = "not a CloudFormation or SAM template"


def check_document(doc: Document | None, issues: list[LoadIssue], display: str, config: Config,
                   rules: list[Rule], by_code: dict[str, Rule] | None = None,
                   explicit: bool = True, context: Context | None = None, *,
                   source_path: str | None = None, nested: dict | None = None) -> FileResult:
    """One loaded file -> its ``FileResult`` (findings suppressed, filtered and sorted).
    ``context``: a Context already built for ``doc`` (a caller that shows the very model and
    views the rules used); it stays the caller's.

    ``source_path``: where the template is on disk. Only then does the check read the local
    files a deployment would (``slint.project``: includes, samconfig, nested stacks), all
    listed in ``FileResult.depends``; None (a template given as text) reads nothing else.
    ``nested``: the state of a nested stack's check (``slint.stacks``)."""
    by_code = by_code if by_code is not None else {r.code: r for r in rules}
    if doc is None:
        return unloaded(issues, display, by_code, explicit)
    depends: list[str] = []
    notes: list[Finding] = []
    if not is_template(doc.data):
        prepared = prepare_serverless(doc, display)
        if prepared is None:
            from .model.serverless.detect import is_compose_name
            if is_compose_name(display):
                return FileResult(display, "skipped", reason="Serverless Framework compose file: "
                                  "the services it lists are checked")
            return FileResult(display, "skipped", reason=NOT_A_TEMPLATE)
        if prepared.document is None:
            return FileResult(display, "skipped", reason=prepared.skipped)
        notes = serverless_notes(doc, prepared, display, by_code)
        doc = prepared.document
        depends = list(prepared.files_read)
    project = None
    if context is None:
        from .project import Project
        project = Project(doc, display, config, rules, by_code, source_path, nested,
                          check_document)
        doc = project.document
        ctx = Context(doc, project.template(), config, display)
    else:
        ctx = context if context is not None else Context(doc, Template(doc), config, display)
    template = ctx.template
    findings = (load_findings(issues, display, by_code) + notes
                + (project.load_findings() if project else [])
                + (project.children(ctx) if project else [])
                + structure_findings(ctx, by_code))
    found, facts = run_rules(ctx, rules, by_code)
    findings += found + bound_findings(ctx, by_code)
    unknowns = project.unknowns(ctx) if project else []
    watched = list(dict.fromkeys(project.watched)) if project else []
    # suppressions first, so that a suppression of a finding hidden by --severity or a
    # per-path ignore still counts as used, and suppression findings are filtered too
    kept, pending, suppressed = apply_suppressions(ctx, findings, by_code)
    kept = filter_findings(kept, config, display)
    if ctx.doc.source.written:   # a translated serverless.yml: paths as the user wrote them
        _to_written_paths(kept + suppressed, ctx.doc.source)
    if project:
        kept.extend(project.child_findings)  # checked, suppressed, filtered in their file
        project.finish(ctx)
        depends = depends + [p for p in dict.fromkeys(project.inputs) if p not in depends]
    kept.sort(key=Finding.sort_key)
    suppressed = filter_findings(suppressed, config, display)
    suppressed.sort(key=Finding.sort_key)
    return FileResult(display, "checked", kept, resources=len(template.user_resources()),
                      facts=facts, pending=pending, depends=depends, suppressed=suppressed,
                      watched=watched,
                      unknowns=unknowns)


def _to_written_paths(findings: list[Finding], source) -> None:
    """Each finding's ``path`` in the translation becomes the path it was written at (a
    ``serverless.yml`` function's event, not the template the check built from it); suppressions
    and owners are decided before, on the translation's paths."""
    for f in findings:
        w = source.written_path(f.path)
        if w is not None:
            f.path = list(w)


def prepare_serverless(doc: Document, display: str):
    """A Serverless Framework service file translated to a SAM template (``Prepared``), or None
    when ``doc`` is not one."""
    from .model.serverless.detect import is_serverless
    if not is_serverless(doc.data):
        return None
    from .model.serverless import prepare
    return prepare(doc, display)


def serverless_notes(doc: Document, prepared, display: str,
                     by_code: dict[str, Rule]) -> list[Finding]:
    """What the translation could not make sense of (variable cycles...), as SYN003 on the
    service file's line."""
    rule = by_code.get("SYN003")
    out = []
    for message, spath in prepared.notes if rule is not None else ():
        span, _ = doc.source.locate(spath)
        out.append(rule.report_at(display, span.line, span.column, resource=None,
                                  message=message, path=spath, end_line=span.end_line,
                                  end_column=span.end_column))
    return out


def unloaded(issues: list[LoadIssue], display: str, by_code: dict[str, Rule],
             explicit: bool) -> FileResult:
    """A file that gave no document: an error with its SYN001 findings (a discovered binary
    file is skipped instead)."""
    if not explicit and issues and issues[0].message.startswith("binary content"):
        return FileResult(display, "skipped", reason="binary file")
    fr = FileResult(display, "error", reason=issues[0].message if issues else "unreadable")
    for issue in issues:
        f = _syntax("SYN001", by_code, display, issue)
        if f:
            fr.findings.append(f)
    return fr


def _syntax(code: str, by_code: dict[str, Rule], file: str, issue: LoadIssue) -> Finding | None:
    rule = by_code.get(code)
    if rule is None:
        return None
    p = list(issue.path or ())
    # a problem inside a resource (a duplicate key) belongs to that resource's logical id
    resource = p[1] if len(p) >= 2 and p[0] == "Resources" and isinstance(p[1], str) else None
    return rule.report_at(file, issue.line, issue.column, resource=resource, message=issue.message,
                          path=issue.path, end_line=issue.end_line, end_column=issue.end_column)


def load_findings(issues: list[LoadIssue], display: str, by_code: dict[str, Rule]) -> list[Finding]:
    out = []
    for issue in issues:
        f = _syntax("SYN002" if issue.kind == "warning" else "SYN001", by_code, display, issue)
        if f:
            out.append(f)
    return out


def structure_findings(ctx: Context, by_code: dict[str, Rule]) -> list[Finding]:
    rule = by_code.get("SYN003")
    if rule is None:
        return []
    return [rule.report(ctx, mpath, resource=mpath[1] if len(mpath) > 1 else None,
                        message=message) for message, mpath in ctx.template.issues]


def bound_findings(ctx: Context, by_code: dict[str, Rule]) -> list[Finding]:
    """INT002 where a reader stopped at its bound (``Evaluator.cuts``: a policy listing more
    statements or values than any AWS policy can hold), in the order they were met."""
    rule = by_code.get("INT002")
    if rule is None:
        return []
    return [rule.report(ctx, path, resource=path[1] if len(path) > 1 and path[0] == "Resources"
                        else None, message=message)
            for path, message in ctx.values.cuts.items()]


def run_rules(ctx: Context, rules: list[Rule],
              by_code: dict[str, Rule]) -> tuple[list[Finding], dict[str, Any]]:
    findings: list[Finding] = []
    facts: dict[str, Any] = {}
    for rule in rules:
        try:
            run_rule(ctx, rule, by_code, findings)
            if rule.has_project_check():
                facts[rule.code] = rule.collect(ctx)
        except Exception as exc:  # rule isolation: one broken rule never stops the run
            f = rule_error(ctx.file, rule, exc, by_code)
            if f is not None:
                findings.append(f)
    return findings, facts


def run_rule(ctx: Context, rule: Rule, by_code: dict[str, Rule], out: list[Finding]) -> None:
    """Append the rule's findings to ``out`` as they come (what a rule found before it raised
    is kept), at most ``MAX_FINDINGS_PER_RULE`` of them (then one INT002 finding)."""
    n = 0
    for f in rule.check(ctx) or ():
        if n == MAX_FINDINGS_PER_RULE:  # bounded output and time on pathological input
            cut = by_code.get("INT002")
            if cut is not None:
                out.append(cut.report_at(
                    ctx.file, f.line, f.column, resource=None,
                    message=f"rule {rule.code} ({rule.name}) stopped after "
                            f"{MAX_FINDINGS_PER_RULE} findings in this file; the rest "
                            "were not reported"))
            break
        n += 1
        out.append(f)


def rule_error(file: str, rule: Rule, exc: BaseException, by_code: dict[str, Rule]) -> Finding | None:
    internal = by_code.get("INT001")
    if internal is None:
        return None
    tb = traceback.extract_tb(exc.__traceback__)
    where = f"{os.path.basename(tb[-1].filename)}:{tb[-1].lineno}" if tb else "?"
    msg = (f"rule {rule.code} ({rule.name}) failed on this template: "
           f"{type(exc).__name__}: {exc} at {where}")
    return internal.report_at(file, 1, 1, resource=None, message=msg)


def filter_findings(findings: Iterable[Finding], config: Config, file: str) -> list[Finding]:
    """Drop per-path ignored codes and findings below the minimum severity."""
    out = []
    ignored = set(config.path_ignores(file))
    for f in findings:
        if any(f.rule == c or f.rule.startswith(c) for c in ignored):
            continue
        if Severity(f.severity).rank < config.min_severity.rank:
            continue
        out.append(f)
    return out


def finish(results: list[FileResult], rules: list[Rule], config: Config | None = None) -> RunResult:
    """Project-level rules over the facts of every file, then the same suppressions and filters
    (per-path ignores, minimum severity) that per-file findings went through."""
    # a template checked as a nested stack of another in this run is reported from there (with
    # the parameters passed down and the chain of parents), not a second time on its own
    children = {p for r in results for p in (r.depends or ()) if os.path.isfile(p)}
    findings = [f for r in results
                if not (children and r.status == "checked" and os.path.realpath(r.file) in children)
                for f in r.findings]
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
    kept, hidden = apply_project_suppressions(results, project, rules)
    if config is not None:
        kept, hidden = _filter_by_file(kept, config), _filter_by_file(hidden, config)
    findings.extend(kept)
    findings.sort(key=Finding.sort_key)
    suppressed = [f for r in results for f in r.suppressed] + hidden
    suppressed.sort(key=Finding.sort_key)
    return RunResult(results, findings, suppressed)


def _filter_by_file(findings: list[Finding], config: Config) -> list[Finding]:
    by_file: dict[str, list[Finding]] = {}
    for f in findings:
        by_file.setdefault(f.file, []).append(f)
    return [f for file, fs in by_file.items() for f in filter_findings(fs, config, file)]

"""The other local files a template's check reads, as a deployment would: includes
(``slint.model.includes``), parameter values (samconfig next to the template, the run's own),
nested stacks (``slint.stacks``). ``slint.check.check_document`` uses one ``Project`` per
template it checks from disk; every file read (or looked for) is in ``inputs``, so the result
says what it ``depends`` on.
"""

from __future__ import annotations

import os

from .findings import Finding
from .model.template import Template

class Project:
    def __init__(self, doc, display: str, config, rules, by_code: dict, source_path: str | None,
                 nested: dict | None, check) -> None:
        """``check``: ``slint.check.check_document``, for nested stacks."""
        self.check = check
        from .model.includes import resolve_includes
        self.display, self.config, self.rules, self.by_code = display, config, rules, by_code
        self.source_path, self.nested = source_path, nested
        self.included = resolve_includes(doc, source_path, display=display,
                                         max_bytes=config.max_file_bytes)
        self.document = self.included.document
        self.inputs = self.included.inputs
        self.child_findings: list[Finding] = []
        # the other stacks of its CDK assembly read for their exports (``FileResult.watched``)
        self.watched: list[str] = []
        self._template = None

    def template(self) -> Template:
        if self.nested is not None:
            given = dict(self.nested.get("given") or {})
        else:
            given = given_values(self.config, self.source_path, self.included)
        from .stacks import assembly_imports
        imports = assembly_imports(self.document.data, self.source_path,
                                   self.config.max_file_bytes, self.watched)
        self._template = Template(self.document, given=given, imports=imports)
        return self._template

    def load_findings(self) -> list[Finding]:
        """What the loader noticed in included files (SYN001/SYN002), named in that file."""
        out = []
        for ifile, issue, via in self.included.issues:
            rule = self.by_code.get("SYN002" if issue.kind == "warning" else "SYN001")
            if rule is not None:
                f = rule.report_at(ifile, issue.line, issue.column, resource=None,
                                   message=issue.message, path=issue.path,
                                   end_line=issue.end_line, end_column=issue.end_column)
                f.via = [dict(v) for v in via]
                out.append(f)
        return out

    def children(self, ctx) -> list[Finding]:
        """Checks the nested stacks (their findings kept for after this file's suppressions);
        INC001 for what was refused (includes, children)."""
        refused = self.by_code.get("INC001")
        out: list[Finding] = []
        template = ctx.template
        if template.resources and any(r.type in ("AWS::CloudFormation::Stack",
                                                 "AWS::Serverless::Application")
                                      for r in template.resources.values()):
            from .stacks import check_children

            def refuse(message: str, path: tuple, lid: str) -> None:
                if refused is not None:
                    out.append(refused.report(ctx, path, resource=lid, message=message))
            self.child_findings, template.stack_outputs, template.stack_resources = \
                check_children(
                    doc=self.document, template=template, display=self.display,
                    source_path=self.source_path, config=self.config, rules=self.rules,
                    by_code=self.by_code, state=self.nested or {}, included=self.included,
                    refuse=refuse, check=self.check)
        for message, ipath in self.included.refused:
            if refused is not None:
                out.append(refused.report(ctx, ipath, resource=ipath[1] if len(ipath) > 1
                                          and ipath[0] == "Resources" else None, message=message))
        return out

    def unknowns(self, ctx) -> list:
        return _unknowns(ctx, self.included.unknowns)

    def finish(self, ctx) -> None:
        if self.nested is not None:
            from .stacks import child_outputs, child_resources
            self.nested["outputs"] = child_outputs(ctx)
            self.nested["resources"] = child_resources(ctx)


def _unknowns(ctx, found: list) -> list:
    """What could not be evaluated: the route view's notes (APIs whose definition is not
    visible), the includes' (remote files) and the model's (``Fn::ForEach`` loops whose
    collection is not known), one entry per API, in document order."""
    out: list = []
    seen_res: set = set()
    notes = None
    # the routes only when a rule that ran built them: a run without the API rules (``--select
    # IAM001``) neither pays for the route view nor reports routes it never judged
    if "routes" in ctx.__dict__:
        try:
            notes = ctx.routes.notes
        except Exception:  # noqa: BLE001 - a view failure is the rules' INT001, not ours
            notes = None

    def where(path) -> dict:
        span, p = ctx.doc.source.locate(path)
        return {"file": (ctx.doc.source.file_of(p) if p else None) or ctx.file, "line": span.line}
    if notes is not None:
        for api, note in notes:
            r = ctx.template.get(api)
            inc = [u for u in found if u.get("resource") == api]
            if inc:   # the include said why (remote, computed): say it of the routes
                in_s3 = "s3://" in inc[0]["why"] or "is in S3" in inc[0]["why"]
                out.append({**inc[0], "what": "API routes: definition in S3" if in_s3
                            else "API routes: definition not read",
                            "why": f"{inc[0]['why']}: its routes are not evaluated"})
            else:
                what = ("API routes: definition in S3" if "outside the template" in note
                        else "API routes: definition not read")
                out.append({"what": what, "resource": api,
                            "where": where(r.path if r is not None else ()), "why": note})
            seen_res.add(api)
        from .views.api.model import UNKNOWN
        for rt in ctx.routes.routes():   # a route whose auth slint cannot decide (its API is
            if rt.auth != UNKNOWN or rt.api in seen_res:   # not here, a parameter, ...)
                continue
            out.append({"what": "API route", "resource": rt.owner, "where": where(rt.doc_path),
                        "why": f"{rt.method} {rt.path}: {rt.reason}"})
    out.extend(u for u in found if u.get("resource") not in seen_res)
    for u in getattr(ctx.template, "unknowns", ()):   # the model's (loops not expanded)
        out.append({"what": u["what"], "resource": u["resource"], "where": where(u["path"]),
                    "why": u["why"]})
    out.sort(key=lambda u: (u["where"]["file"], u["where"]["line"], u["what"]))
    return out


def given_values(config, source_path: str | None, included) -> dict:
    """Parameter values for this template: samconfig next to it, then the run's own values."""
    given: dict = {}
    if source_path and getattr(config, "read_samconfig", True):
        from .model.parameters import ParameterError, find_samconfig, load_samconfig
        folder = os.path.dirname(os.path.abspath(source_path))
        sc = getattr(config, "samconfig_file", None) or find_samconfig(folder)
        if sc is not None:
            included.inputs.append(sc)   # the result depends on it (not cached)
            try:
                given.update(load_samconfig(sc, getattr(config, "config_env", "default")))
            except ParameterError as exc:
                included.unknowns.append({"what": "parameter values", "resource": None,
                                          "where": {"file": sc, "line": 1}, "why": str(exc)})
    given.update(getattr(config, "parameter_values", None) or {})
    return given

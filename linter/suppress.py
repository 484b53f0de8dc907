"""Suppressions, applied once by the engine (never in rules).

Three places, one shape, a reason always required:

- template ``Metadata: {slint: {ignore: [{rule: CODE, reason: ...}]}}``: every finding of CODE in
  the file;
- resource ``Metadata: {slint: {ignore: [...]}}``: findings whose ``resource`` is that logical id
  (for SAM, also findings attributed to what SAM generates from it: its role, its implicit API),
  or that sit inside that resource;
- inline YAML comments ``# slint: ignore[CODE] reason`` (several codes: ``ignore[A,B]``) at the end
  of the finding's line, or on a comment line directly above it.

``rule`` may be a code or a code prefix (``IAM``). A suppression without a reason does not
suppress and is reported (SUP001); a suppression that matched nothing is reported (SUP002); a
malformed one, a blanket ``# slint: ignore`` or an unknown code is reported (SUP003). Suppression
findings are themselves not suppressible (deselect them in the config instead).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

SUP_PREFIX = "SUP"
# `#` must start a YAML comment: at line start or after whitespace
_COMMENT = re.compile(r"(?:^|(?<=\s))#\s*slint\s*:\s*ignore\b(?P<rest>.*)$", re.I)
_CODES = re.compile(r"^\[(?P<codes>[^\]]*)\]\s*(?P<reason>.*)$")
_CODE = re.compile(r"^[A-Z][A-Z0-9]{0,7}$")
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_REASON_LEAD = re.compile(r"^[\s:;,\-\u2013\u2014]+")


@dataclass
class Suppression:
    codes: list[str]
    reason: str
    scope: str                       # template | resource | line
    where: tuple                     # ("path", doc path) or ("pos", line, column, end_column)
    resource: str | None = None
    lines: frozenset = frozenset()
    used: set = field(default_factory=set)

    def matches_code(self, code: str) -> str | None:
        for c in self.codes:
            if code == c or code.startswith(c):
                return c
        return None


class _Collector:
    def __init__(self, ctx, rules_by_code):
        self.ctx = ctx
        self.rules = rules_by_code
        self.problems: list = []      # findings about suppressions
        self.valid: list[Suppression] = []
        self._known = None

    # ------------------------------------------------------------------ reporting
    def report(self, code: str, where: tuple, message: str, resource: str | None = None) -> None:
        rule = self.rules.get(code)
        if rule is None:
            return
        if where[0] == "path":
            self.problems.append(rule.report(self.ctx, where[1], resource=resource, message=message))
        else:
            _, line, col, end_col = where
            self.problems.append(rule.report_at(self.ctx.file, line, col, resource=resource,
                                                message=message, end_line=line,
                                                end_column=end_col))

    def known_codes(self) -> list[str]:
        if self._known is None:
            from slint.rules import codes
            self._known = sorted(set(codes()) | set(self.rules))
        return self._known

    def unknown(self, code: str) -> str | None:
        """None for a known code or prefix, else the error message."""
        codes = self.known_codes()
        if any(c == code or c.startswith(code) for c in codes) and _CODE.match(code):
            return None
        m = difflib.get_close_matches(code, codes, n=1, cutoff=0.5)
        return f"`{code}` is not a slint rule code" + (f" (did you mean {m[0]}?)" if m else "")

    # ------------------------------------------------------------------ metadata
    def metadata(self, meta, base: tuple, scope: str, resource: str | None) -> None:
        if not isinstance(meta, dict) or "slint" not in meta:
            return
        sl = meta["slint"]
        sp = base + ("Metadata", "slint")
        if not isinstance(sl, dict):
            self.report("SUP003", ("path", sp), "`Metadata.slint` must be a mapping with an "
                        "`ignore` list", resource)
            return
        for key in sl:
            if key != "ignore":
                hint = " (did you mean `ignore`?)" if difflib.get_close_matches(
                    str(key), ["ignore"], n=1, cutoff=0.5) else ""
                self.report("SUP003", ("path", sp + (key,)),
                            f"unknown key `{key}` in `Metadata.slint`{hint}", resource)
        if "ignore" not in sl:
            return
        entries = sl["ignore"]
        ip = sp + ("ignore",)
        if isinstance(entries, dict):
            entries, paths = [entries], [ip]
        elif isinstance(entries, list):
            paths = [ip + (i,) for i in range(len(entries))]
        else:
            self.report("SUP003", ("path", ip), "`Metadata.slint.ignore` must be a list of "
                        "`{rule: CODE, reason: ...}` entries", resource)
            return
        for entry, ep in zip(entries, paths):
            self.entry(entry, ep, scope, resource)

    def entry(self, entry, ep: tuple, scope: str, resource: str | None) -> None:
        if isinstance(entry, str):
            codes, reason, cp = [entry], "", ep
        elif isinstance(entry, dict):
            extra = [k for k in entry if k not in ("rule", "reason")]
            for k in extra:
                m = difflib.get_close_matches(str(k), ["rule", "reason"], n=1, cutoff=0.5)
                self.report("SUP003", ("path", ep + (k,)), f"unknown key `{k}` in a suppression"
                            + (f" (did you mean `{m[0]}`?)" if m else ""), resource)
            if "rule" not in entry:
                self.report("SUP003", ("path", ep), "suppression names no `rule`", resource)
                return
            raw = entry["rule"]
            codes = raw if isinstance(raw, list) else [raw]
            if not codes or not all(isinstance(c, str) and c.strip() for c in codes):
                self.report("SUP003", ("path", ep + ("rule",)),
                            "`rule` must be a rule code or a list of codes", resource)
                return
            reason = entry.get("reason")
            reason = reason.strip() if isinstance(reason, str) else ""
            cp = ep + ("rule",)
        else:
            self.report("SUP003", ("path", ep), "a suppression is `{rule: CODE, reason: ...}`",
                        resource)
            return
        codes = [c.strip().upper() for c in codes]
        good = []
        for c in codes:
            msg = self.unknown(c)
            if msg:
                self.report("SUP003", ("path", cp), f"suppression of {msg}", resource)
            else:
                good.append(c)
        if not good:
            return
        if not reason:
            self.report("SUP001", ("path", ep), f"suppression of {', '.join(good)} has no "
                        "reason, so it does not apply", resource)
            return
        self.valid.append(Suppression(good, reason, scope, ("path", cp), resource))

    # ------------------------------------------------------------------ comments
    def comments(self, text: str) -> None:
        if "slint" not in text:
            return
        lines = _LINE_BREAK.split(text)  # YAML's line breaks, so that numbers match its marks
        hits = []
        for n, line in enumerate(lines, start=1):
            if "slint" not in line:
                continue
            m = _COMMENT.search(line)
            if m:
                hits.append((n, m))
        if not hits:
            return
        inside = _scalar_spans(text, {n for n, _ in hits})
        next_code: list[int] | None = None
        for n, m in hits:
            col = m.start() + 1
            if any(a <= col < b for a, b in inside.get(n, ())):
                continue  # a `#` inside a string value, not a comment
            where = ("pos", n, col, len(lines[n - 1]) + 1)
            rest = m.group("rest")
            cm = _CODES.match(rest.strip())
            if not cm:
                self.report("SUP003", where, "blanket `# slint: ignore` without codes: name the "
                            "rules, e.g. `# slint: ignore[IAM001] reason`")
                continue
            codes = [c.strip().upper() for c in re.split(r"[,\s]+", cm.group("codes")) if c.strip()]
            if not codes:
                self.report("SUP003", where, "`# slint: ignore[]` names no rule code")
                continue
            good = []
            for c in codes:
                msg = self.unknown(c)
                if msg:
                    self.report("SUP003", where, f"suppression of {msg}")
                else:
                    good.append(c)
            if not good:
                continue
            # the reason runs to the end of the line or to another ` # ` comment
            reason = re.split(r"\s#\s", " " + cm.group("reason") + " ", maxsplit=1)[0]
            reason = _REASON_LEAD.sub("", reason).strip()
            if not reason:
                self.report("SUP001", where, f"suppression of {', '.join(good)} has no reason, "
                            "so it does not apply")
                continue
            if next_code is None:
                next_code = _next_code_lines(lines)
            self.valid.append(Suppression(good, reason, "line", where,
                                          lines=frozenset(_covered(lines, n, m.start(),
                                                                   next_code))))


def _next_code_lines(lines: list[str]) -> list[int]:
    """For each 0-based line index, the index of the first line at or after it that is not a
    comment line (``len(lines)`` when none): one backward pass, so that a stack of N comment
    lines costs O(N), not O(N²)."""
    out = [len(lines)] * (len(lines) + 1)
    for i in range(len(lines) - 1, -1, -1):
        out[i] = out[i + 1] if lines[i].lstrip().startswith("#") else i
    return out


def _covered(lines: list[str], n: int, start: int, next_code: list[int]) -> list[int]:
    """The lines an inline suppression on line ``n`` covers: its own line when it trails code;
    the next line that is not a comment when it stands alone (stacked comments allowed)."""
    if lines[n - 1][:start].strip():
        return [n]
    i = next_code[n]
    return [n, i + 1] if i < len(lines) else [n]


def _scalar_spans(text: str, wanted: set[int]) -> dict[int, list[tuple[int, int]]]:
    """Column ranges of scalar tokens on the wanted lines (a `#` there is text, not a comment)."""
    import yaml
    out: dict[int, list[tuple[int, int]]] = {}
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        for tok in yaml.scan(text, Loader=loader):
            if not isinstance(tok, yaml.ScalarToken):
                continue
            sl, el = tok.start_mark.line + 1, tok.end_mark.line + 1
            for ln in range(sl, el + 1):
                if ln in wanted:
                    a = tok.start_mark.column + 1 if ln == sl else 1
                    b = tok.end_mark.column + 1 if ln == el else 10 ** 9
                    out.setdefault(ln, []).append((a, b))
    except yaml.YAMLError:
        pass
    return out


class _Owners:
    """Logical ids a finding belongs to, for resource-level suppressions, with the template's
    resources indexed once (not scanned again for every finding)."""

    def __init__(self, template):
        self.resources = getattr(template, "resources", {}) if template is not None else {}
        self._sam: set[str] | None = None
        self._generated: dict[str, str | None] = {}

    def generator_of(self, rid: str) -> str | None:
        """The serverless resource SAM generates ``rid`` from (FnRole, FnUrl, ...): the
        longest SAM logical id that is a proper prefix of ``rid``."""
        if rid not in self._generated:
            if self._sam is None:
                self._sam = {uid for uid, ur in self.resources.items()
                             if getattr(ur, "is_sam", False)}
            self._generated[rid] = next((rid[:k] for k in range(len(rid) - 1, 0, -1)
                                         if rid[:k] in self._sam), None)
        return self._generated[rid]

    def of(self, finding) -> set[str]:
        out = set()
        if finding.resource:
            out.add(finding.resource)
        p = finding.path
        if len(p) >= 2 and p[0] == "Resources" and isinstance(p[1], str):
            out.add(p[1])
        for rid in list(out):
            r = self.resources.get(rid)
            if r is not None and getattr(r, "loop", None):   # its Fn::ForEach body
                out.add(r.loop)
            if r is not None and getattr(r, "implicit", False):
                out.update(d[0] for d in getattr(r, "declared_by", ()) or ())
            elif r is None:
                best = self.generator_of(rid)
                if best:
                    out.add(best)
        return out


def _suppressed(f, reason: str, scope: str):
    """The finding as suppressed: a copy carrying its suppression's reason and scope."""
    from dataclasses import replace
    return replace(f, suppression={"reason": reason, "scope": scope})


def apply_suppressions(ctx, findings, rules_by_code) -> tuple[list, list[dict], list]:
    """``(kept, pending, suppressed)``: the findings left after suppressions, plus findings
    about missing reasons, unused and malformed suppressions (when their SUP rule is selected);
    the suppressions that project-level findings may still use (``pending_record`` data, decided
    in ``apply_project_suppressions`` after every file); and the suppressed findings, each a
    copy carrying its (first matching) suppression's reason and scope in ``suppression``."""
    col = collect_suppressions(ctx, rules_by_code)
    if not col.valid:
        return list(findings) + col.problems, [], []
    kept, suppressed = _match(ctx, findings, col.valid)
    project_codes = [code for code, r in rules_by_code.items()
                     if getattr(r, "has_project_check", lambda: False)()]
    pending = []
    for s in col.valid:
        later = [c for c in s.codes if any(p == c or p.startswith(c) for p in project_codes)]
        if later:  # project-level rules report after every file: decide "unused" then
            pending.append(pending_record(ctx, s, later))
        for c in s.codes:
            if c in s.used or c in later:
                continue
            enabled = any(code == c or code.startswith(c) for code in rules_by_code)
            col.report("SUP002", s.where, _unused_message(c, s.scope, s.resource, len(s.lines),
                                                          enabled), s.resource)
    return kept + col.problems, pending, suppressed


def collect_suppressions(ctx, rules_by_code) -> _Collector:
    """Every suppression of the document: template and resource metadata, then comments."""
    doc = ctx.doc
    col = _Collector(ctx, rules_by_code)
    data = doc.data if isinstance(doc.data, dict) else {}
    col.metadata(data.get("Metadata"), (), "template", None)
    res = data.get("Resources")
    if isinstance(res, dict):
        for rid, body in res.items():
            if isinstance(body, dict) and isinstance(rid, str):
                col.metadata(body.get("Metadata"), ("Resources", rid), "resource", rid)
    # resources generated by a Fn::ForEach loop: once per body as written, for all it generates
    bodies: set = set()
    for r in getattr(getattr(ctx, "template", None), "resources", {}).values():
        loop = getattr(r, "loop", None)
        if loop is not None and loop not in bodies and isinstance(r.raw, dict):
            bodies.add(loop)
            col.metadata(r.raw.get("Metadata"), r.path, "resource", loop)
    if getattr(doc, "format", "yaml") == "yaml" and isinstance(getattr(doc, "text", None), str):
        col.comments(doc.text)
    return col


def _match(ctx, findings, valid: list[Suppression]) -> tuple[list, list]:
    """(kept, suppressed): the findings no suppression matches, and the others marked with
    their suppression; marks the codes each suppression used. Inline suppressions are indexed
    by line, so a finding meets only those of its own line."""
    by_line: dict[int, list[Suppression]] = {}
    others = []
    for s in valid:
        if s.scope == "line":
            for n in s.lines:
                by_line.setdefault(n, []).append(s)
        else:
            others.append(s)
    owners_of = _Owners(getattr(ctx, "template", None))
    own_file = getattr(ctx, "file", None)
    kept = []
    suppressed = []
    for f in findings:
        if f.rule.startswith(SUP_PREFIX):
            kept.append(f)
            continue
        hit = False
        owners = None
        by = None
        # an inline comment covers lines of its own file only (not of an included file)
        for s in (by_line.get(f.line, ()) if f.file == own_file else ()):
            c = s.matches_code(f.rule)
            if c is not None:
                s.used.add(c)
                hit = True
                by = by or s
        for s in others:
            c = s.matches_code(f.rule)
            if c is None:
                continue
            if s.scope == "resource":
                if owners is None:
                    owners = owners_of.of(f)
                if s.resource not in owners:
                    continue
            s.used.add(c)
            hit = True
            by = by or s
        if not hit:
            kept.append(f)
        else:
            suppressed.append(_suppressed(f, by.reason, by.scope))
    return kept, suppressed


def _unused_message(code: str, scope: str, resource: str | None, nlines: int,
                    enabled: bool) -> str:
    what = {"template": "in this template", "resource": f"on `{resource}`",
            "line": "on this line" if nlines == 1 else "on the next line"}[scope]
    return (f"suppression of {code} {what} matched no finding"
            + ("" if enabled else f" ({code} is not enabled in this run)"))


def pending_record(ctx, s: Suppression, codes: list[str]) -> dict:
    """A suppression that project-level findings may still use, as plain JSON data (it travels
    in ``FileResult.pending`` through worker processes and the cache)."""
    if s.where[0] == "path":
        span, _ = ctx.doc.source.locate(s.where[1])
        loc = [span.line, span.column, span.end_line, span.end_column]
    else:
        _, line, column, end_col = s.where
        loc = [line, column, line, end_col]
    return {"codes": codes, "used": sorted(set(codes) & s.used), "scope": s.scope,
            "resource": s.resource, "lines": sorted(s.lines), "loc": loc,
            "path": [p for p in s.where[1]] if s.where[0] == "path" else [],
            "reason": s.reason}


def apply_project_suppressions(results, findings, rules):
    """Suppressions for findings of project-level rules (reported after every file), and the
    unused-suppression findings for those rules. ``results`` carry each file's pending
    suppressions in ``FileResult.pending``."""
    pending = {r.file: [dict(s, used=list(s["used"])) for s in r.pending]
               for r in results if getattr(r, "pending", None)}
    if not pending:
        return list(findings), []
    kept = []
    suppressed = []
    for f in findings:
        hit = False
        for s in pending.get(f.file, ()):
            c = next((c for c in s["codes"] if f.rule == c or f.rule.startswith(c)), None)
            if c is None:
                continue
            if s["scope"] == "line":
                ok = f.line in s["lines"]
            elif s["scope"] == "resource":
                p = list(f.path)
                ok = f.resource == s["resource"] or p[:2] == ["Resources", s["resource"]]
            else:
                ok = True
            if ok:
                if c not in s["used"]:
                    s["used"].append(c)
                if not hit:
                    suppressed.append(_suppressed(f, s.get("reason", ""), s["scope"]))
                hit = True
        if not hit:
            kept.append(f)
    sup = next((r for r in rules if r.code == "SUP002"), None)
    if sup is not None:
        for file in sorted(pending):
            for s in pending[file]:
                for c in s["codes"]:
                    if c in s["used"]:
                        continue
                    line, column, end_line, end_col = s["loc"]
                    kept.append(sup.report_at(
                        file, line, column, resource=s["resource"], path=s["path"],
                        message=_unused_message(c, s["scope"], s["resource"], len(s["lines"]), True),
                        end_line=end_line, end_column=end_col))
    return kept, suppressed

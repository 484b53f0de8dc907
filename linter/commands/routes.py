"""`slint routes TEMPLATE`: every API route and function URL with its effective auth and where
that was decided, as a table or JSON."""

from __future__ import annotations

import json
import sys

from ..formatters.escape import visible
from ..source import path_str


def collect(path: str, given: dict | None = None, config_env: str | None = None,
            samconfig: str | None = None) -> tuple[dict | None, str | None]:
    """The route table of one template as plain data, or (None, error message). ``given``:
    parameter values (name -> (value, source)) on top of samconfig's next to the template."""
    from ..context import Context
    from ..engine import load_checkable
    from ..model.template import Template

    doc, err = load_checkable(path)
    if doc is None:
        return None, err
    from ..config import Config
    from ..model.includes import resolve_includes
    from ..project import given_values
    included = resolve_includes(doc, path, display=path)
    doc = included.document
    cfg = Config(parameter_values=dict(given or {}), config_env=config_env or "default",
                 samconfig_file=samconfig)
    ctx = Context(doc, Template(doc, given=given_values(cfg, path, included)), None, path)
    view = ctx.routes
    src = doc.source

    def line(p) -> int | None:
        span, found = src.locate(p)
        return span.line if found else None

    rows = []
    for r in view.routes():
        d = r.to_dict()
        d["decided_line"] = line(r.decided_at)
        d["declared_line"] = line(r.doc_path)
        for key, p in (("declared_file", r.doc_path), ("decided_file", r.decided_at)):
            span, found = src.locate(p)
            if found and src.file_of(found):  # in an included file
                d[key] = src.file_of(found)
        rows.append(d)
    if ctx.template.given:
        rows_given = {n: {"value": v, "from": s} for n, (v, s) in sorted(ctx.template.given.items())}
    else:
        rows_given = {}
    notes = [{"api": a, "note": n} for a, n in sorted(view.notes)]
    notes += _nested_notes(doc.data, path)
    return {"file": path, "routes": rows, "parameters": rows_given, "notes": notes}, None


def _nested_notes(data, path: str) -> list:
    """A note per local nested stack: its routes are its own template's, not listed here."""
    import os

    from ..model.includes import Sandbox
    from ..stacks import nested_stacks
    out = []
    for lid, _key, loc, _props in nested_stacks(data):
        if isinstance(loc, str) and loc and not Sandbox.not_local(loc):
            child = os.path.normpath(os.path.join(os.path.dirname(path), loc))
            out.append({"api": str(lid), "note": f"nested stack `{loc}`: its routes are not "
                                                 f"listed here (`slint routes {child}`)"})
    return out


def _decided(d: dict) -> str:
    where = path_str(d["decided_at"])
    if not d.get("decided_line"):
        return where
    file = f"{d['decided_file']}:" if d.get("decided_file") else ""
    return f"{file}{d['decided_line']}: {where}"


def render_text(data: dict) -> str:
    rows = data["routes"]
    if not rows:
        out = f"{visible(data['file'])}: no API routes or function URLs\n"
    else:
        head = ("METHOD", "PATH", "API", "KIND", "AUTH", "DECIDED AT", "FUNCTION")
        table = []
        for d in rows:
            shown = d["authorizer"] and d["authorizer"] != d["auth"]
            auth = d["auth"] + (f" ({d['authorizer']})" if shown else "")
            if d["api_key_required"]:
                auth += " +api key"
            if d["restricted"]:
                auth += " [restricted]"
            elif d["open"]:
                auth += " [open]"
            table.append(tuple(visible(c) for c in (
                d["method"], d["path"], d["api"], d["kind"], auth, _decided(d),
                d["function"] or "-")))
        widths = [max(len(str(r[i])) for r in [head, *table]) for i in range(len(head))]
        lines = ["  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip() for r in [head, *table]]
        details = []
        for d in rows:
            if d["reason"] or d["restricted"]:
                why = d["reason"] + (f"; restricted: {d['restricted']}" if d["restricted"] else "")
                details.append(visible(f"  {d['method']} {d['path']} ({d['api']}): {why}"))
        out = "\n".join(lines) + "\n"
        if details:
            out += "\nwhy:\n" + "\n".join(details) + "\n"
        n_open = sum(1 for d in rows if d["open"])
        out += f"\n{len(rows)} route(s), {n_open} open\n"
    for name, g in data.get("parameters", {}).items():
        out += f"with {visible(name)}={visible(str(g['value']))} from {visible(g['from'])}\n"
    for n in data["notes"]:
        out += visible(f"note: {n['api']}: {n['note']}") + "\n"
    return out


def run_routes(template: str, format: str = "text", *, parameter_overrides: list | None = None,
               parameters_file: str | None = None, config_env: str | None = None,
               samconfig: str | None = None) -> int:
    if format not in ("text", "json"):
        sys.stderr.write(f"error: unknown format {format!r}; choose from text, json\n")
        return 2
    import os
    if os.path.isdir(template):
        return _run_dir(template, format)

    from ..outio import emit, special_kind
    kind = special_kind(template)
    if kind:
        sys.stderr.write(f"error: {template}: not read: {kind}, not a regular file\n")
        return 2
    if not os.path.isfile(template):
        sys.stderr.write(f"error: no such file: {template}\n")
        return 2
    from ..checkcmd import given_parameters, samconfig_option
    try:
        given = given_parameters(parameters_file, parameter_overrides)
        samconfig = samconfig_option(samconfig) if samconfig is not None else None
    except ValueError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    data, err = collect(template, given, config_env, samconfig)
    if data is None:
        sys.stderr.write(f"error: {err}\n")
        return 2
    if format == "json":
        text = json.dumps(data, indent=2, sort_keys=True) + "\n"  # ASCII: every control escaped
    else:
        text = render_text(data)
    failed = emit(text)
    return 0 if failed is None else failed


def _run_dir(folder: str, format: str) -> int:
    """Every template in a folder (found as ``slint check`` finds them; other files are skipped):
    the tables one after the other, or a JSON list of the per-file documents. Exit 2 when a
    template cannot be read (reported on stderr; the others are still shown) or none is found."""
    from ..engine import dedupe, discover, is_template
    from ..loader import load_file
    docs, bad = [], 0
    for path, _ in dedupe(discover([folder])):
        data, err = collect(path)
        if data is None:
            loaded = load_file(path)
            if loaded.document is not None and not is_template(loaded.document.data):
                continue  # not a template: skipped, as `check` does
            sys.stderr.write(f"error: {err}\n")
            bad += 1
            continue
        docs.append(data)
    if not docs and not bad:
        sys.stderr.write(f"error: no templates found in {folder}\n")
        return 2
    from ..outio import emit
    if format == "json":
        text = json.dumps(docs, indent=2, sort_keys=True) + "\n"
    else:
        text = "\n".join((f"{visible(d['file'])}:\n" if d["routes"] else "") + render_text(d)
                         for d in docs)
    failed = emit(text)
    return failed if failed is not None else (2 if bad else 0)

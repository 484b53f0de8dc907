"""Nested stacks: ``AWS::CloudFormation::Stack`` with a local ``TemplateURL`` and
``AWS::Serverless::Application`` with a local ``Location`` are checked as their own documents.

The parent's ``Parameters`` for the child are evaluated and passed down as given values: one
known text (a sibling stack's output that the sibling fixes included), or one resource of the parent (``!Ref R``, ``!GetAtt R.Arn``, or ``!GetAtt
S.Outputs.X`` of a sibling stack whose output is one of its resources), which the child sees as
``{Parent.R.Arn}``, one resource it cannot name (``ParentResource``); any other value leaves the
child's parameter unknown. The child's ``Outputs`` come back up so that ``!GetAtt
Child.Outputs.X`` in the parent evaluates to the child's value. Siblings are checked in the
order their parameters need (a stack passed another's output after that one).
Findings in the child name the child file, with the chain of parents (``via``). Children are
read through the same sandbox as includes (project root, no symlinks out, no network, bounded
depth and cycles); a child slint refuses to read is an ``INC001`` finding on its location.

The stacks of one CDK cloud assembly (``assembly_imports``): a stack template's
``Fn::ImportValue`` of a literal name that another stack of the same ``manifest.json`` exports
takes that export's value, known text or one resource (``ParentResource`` with the exporting
stack's name: ``${AuthStack.UserPool.Arn}``).
"""

from __future__ import annotations

import os
import re
from typing import Any

STACK_TYPES = {"AWS::CloudFormation::Stack": "TemplateURL",
               "AWS::Serverless::Application": "Location"}
MAX_STACK_DEPTH = 5
# resources whose attributes are values they hold, not their own identity: a parameter passed
# `!GetAtt Param.Value` or a custom resource's attribute is any text, `*` included
_VALUE_TYPES = {"AWS::SSM::Parameter", "AWS::CloudFormation::CustomResource"}
_LABEL = re.compile(r"[\w.-]+")


def nested_stacks(data: Any):
    """(logical id, location property, location value) of every nested stack in ``data``."""
    res = data.get("Resources") if isinstance(data, dict) else None
    if not isinstance(res, dict):
        return
    for lid, body in res.items():
        rtype = body.get("Type") if isinstance(body, dict) else None
        if isinstance(rtype, str) and rtype in STACK_TYPES:
            key = STACK_TYPES[rtype]
            props = body.get("Properties")
            meta = body.get("Metadata")
            if isinstance(meta, dict) and isinstance(meta.get("aws:asset:path"), str) \
                    and meta.get("aws:asset:property") == key and isinstance(props, dict):
                # CDK: the URL is the uploaded asset; the template is in the assembly
                yield lid, key, meta["aws:asset:path"], props
            elif isinstance(props, dict) and key in props:
                yield lid, key, props[key], props


def check_children(*, doc, template, display: str, source_path: str | None, config, rules,
                   by_code, state: dict, included, refuse, check) -> tuple[list, dict, dict]:
    """Checks the local nested stacks of ``template``: (their findings, outputs by
    (stack logical id, "Outputs." + name) -> [known text], the (stack logical id,
    "Outputs." + name) whose value is one resource of that stack -> (its type, attribute)). ``state``: {"chain": real paths from the
    checked template, "given": the parameters its parent passes}. ``refuse(message, path)`` reports a
    refused child; unknown locations are added to ``included.unknowns``. ``check``: the
    per-document check (``slint.check.check_document``) a child goes through."""
    from .loader import load_bytes
    from .model.includes import Refused, Sandbox
    from .model.values import Evaluator

    findings: list = []
    outputs: dict = {}
    resources: dict = {}
    stacks = _in_dependency_order(list(nested_stacks(doc.data)))
    if not stacks or source_path is None:
        return findings, outputs, resources
    sb = Sandbox.for_template(source_path, config.max_file_bytes)
    base_dir = os.path.dirname(os.path.realpath(source_path))
    chain = state.get("chain") or (os.path.realpath(source_path),)
    # the evaluator of the parent's `Parameters` sees the outputs of the stacks checked so far
    # (a sibling's known text output passed to the next one: `!GetAtt Settings.Outputs.Mode`)
    template.stack_outputs = outputs
    ev = Evaluator(template)
    for lid, key, loc, props in stacks:
        loc_path = ("Resources", lid, "Properties", key)
        span, found = doc.source.locate(loc_path)
        where = {"file": doc.source.file_of(found) or display, "line": span.line}
        if not isinstance(loc, str):
            if isinstance(loc, dict) and "ApplicationId" in loc:
                why = "a Serverless Application Repository application; slint never fetches it"
            else:
                why = f"its {key} is computed; slint reads only literal local paths"
            included.unknowns.append({"what": "nested stack", "resource": lid,
                                      "where": where, "why": why})
            continue
        why = Sandbox.not_local(loc)
        if why:
            included.unknowns.append({"what": "nested stack", "resource": lid,
                                      "where": where, "why": why})
            continue
        try:
            real = sb.resolve(base_dir, loc)
            if real in chain:
                raise Refused(f"`{loc}` is a parent of this stack (a nested stack cycle)")
            if len(chain) > MAX_STACK_DEPTH:
                raise Refused(f"nested stacks deeper than {MAX_STACK_DEPTH} levels")
            included.inputs.append(real)   # read or not: the result depends on it
            raw = sb.read(real, loc)
        except Refused as exc:
            refuse(f"nested stack not read: {exc}", loc_path, lid)
            continue
        child_display = os.path.normpath(os.path.join(os.path.dirname(display), loc))
        loaded = load_bytes(raw, child_display, max_bytes=sb.max_bytes)
        given = _passed_parameters(ev, props.get("Parameters"), f"{os.path.basename(display)}",
                                   resources)
        link = {"file": display, "line": span.line, "resource": lid}
        child_state = {"chain": chain + (real,), "given": given}
        fr = check(loaded.document, loaded.issues, child_display, config, rules,
                            by_code, True, source_path=real, nested=child_state)
        for f in fr.findings:   # each level adds its own link: a grandchild's already has its
            f.via = (f.via or []) + [link]   # parent's, nearest first
            findings.append(f)
        included.unknowns.extend(fr.unknowns)
        included.inputs.extend(fr.depends)
        for name, texts in (child_state.get("outputs") or {}).items():
            outputs[(lid, "Outputs." + name)] = texts
        for name, kind in (child_state.get("resources") or {}).items():
            resources[(lid, "Outputs." + name)] = kind
    return findings, outputs, resources


def _in_dependency_order(stacks: list) -> list:
    """``stacks`` with each one after the stacks its ``Parameters`` refer to (``!GetAtt
    S.Outputs.X``), otherwise in template order; a cycle (which CloudFormation rejects) is
    broken in template order. Linear in the stacks and their references."""
    import heapq

    from .model.values import references
    index = {s[0]: i for i, s in enumerate(stacks)}
    needs: list = [set() for _ in stacks]
    users: list = [[] for _ in stacks]
    for i, (_lid, _key, _loc, props) in enumerate(stacks):
        for name, _attr, _kind, _path in references(props.get("Parameters")):
            j = index.get(name)
            if j is not None and j != i and j not in needs[i]:
                needs[i].add(j)
                users[j].append(i)
    if not any(needs):
        return stacks
    ready = [i for i in range(len(stacks)) if not needs[i]]
    heapq.heapify(ready)
    out: list = []
    done: set = set()
    while len(out) < len(stacks):
        if not ready:   # a cycle: the first stack left goes next
            ready = [min(i for i in range(len(stacks)) if i not in done)]
        i = heapq.heappop(ready)
        if i in done:
            continue
        done.add(i)
        out.append(stacks[i])
        for u in users[i]:
            needs[u].discard(i)
            if not needs[u] and u not in done:
                heapq.heappush(ready, u)
    return out


def resource_of(sv, template, stack_resources: dict) -> tuple | None:
    """(label, its type or None, the attribute read or None) of the one resource ``sv`` is
    (``Table.Arn``, ``Bucket``, ``Tables.Outputs.X``), or None: a ``!Ref`` / ``!GetAtt`` of a
    resource of ``template`` (not of a value a resource holds: an SSM parameter, a custom
    resource), a nested stack's output in ``stack_resources``, or a parent's resource passed
    down as a parameter."""
    outer = template.outer_resource(sv)
    if outer is not None:
        return outer
    ref = sv.single_ref()
    if ref is None:
        return None
    lid, attr = ref
    r = template.resources.get(lid)
    if r is None or r.type in _VALUE_TYPES or r.type.startswith("Custom::"):
        return None
    kind = (r.type, attr)
    if r.type in STACK_TYPES and attr is not None:
        if (lid, attr) not in stack_resources:
            return None
        kind = stack_resources[(lid, attr)]
    label = lid if attr is None else f"{lid}.{attr}"
    # a name with braces or spaces would not read as one placeholder (`{Parent.X}`)
    return (label, *kind) if _LABEL.fullmatch(label) else None


def _fixed_value(vals: list, template, stack_resources: dict):
    """What a value fixes for another stack: its one known text (str), the one resource it is
    (``resource_of``'s tuple), or None."""
    texts = {v.text for v in vals if v.known}
    if len(texts) == 1 and all(v.known for v in vals):
        return texts.pop()
    return resource_of(vals[0], template, stack_resources) if len(vals) == 1 else None


def _passed_parameters(ev, params: Any, source: str, stack_resources: dict) -> dict:
    """Parameters the parent passes: (one known text, source), (``ParentResource``, source)
    for one resource of the parent or of a sibling stack checked before (``stack_resources``),
    or (None, source) when the parent passes a value it cannot fix here (the child's
    ``Default`` then does not apply)."""
    from .model.parameters import ParentResource
    out: dict = {}
    if not isinstance(params, dict):
        return out
    for name, node in params.items():
        try:
            vals = ev.strings(node)
        except Exception:  # noqa: BLE001 - an odd value is simply not passed as known
            continue
        fixed = _fixed_value(vals, ev.t, stack_resources)
        if isinstance(fixed, tuple):
            fixed = ParentResource(*fixed)
        # None: passed, value unknown here: the child's Default does not apply
        out[str(name)] = (fixed, source)
    return out


def child_outputs(ctx) -> dict:
    """Output name -> known texts of a checked child's ``Outputs`` (unknown values left out)."""
    out: dict = {}
    for name, vals in _output_values(ctx):
        if vals and all(v.known for v in vals):
            out[name] = sorted({v.text for v in vals})
    return out


def child_resources(ctx) -> dict:
    """Names of a checked child's ``Outputs`` whose value is one resource (``!GetAtt
    Table.Arn``, a grandchild's such output, a resource its parent passed down) -> (that
    resource's type or None, the attribute read or None)."""
    out: dict = {}
    for name, vals in _output_values(ctx):
        one = resource_of(vals[0], ctx.template, ctx.template.stack_resources) \
            if len(vals) == 1 else None
        if one is not None:
            out[name] = one[1:]
    return out


def _output_values(ctx):
    for name, body in ctx.template.outputs.items():
        if not isinstance(body, dict) or "Value" not in body:
            continue
        try:
            vals = ctx.values.strings(body["Value"])
        except Exception:  # noqa: BLE001
            continue
        yield str(name), vals


# ------------------------------------------------------------- one CDK cloud assembly
# exports of a stack template, by (real path, size, mtime): each importing stack of an
# assembly reads the others' exports; a run reads each exporting template once per process
_EXPORTS: dict = {}
_MAX_EXPORT_CACHE = 64


def assembly_imports(data: Any, source_path: str | None, max_bytes: int, watched: list) -> dict:
    """Export name -> known text or ``ParentResource``, for the ``Fn::ImportValue`` of a
    literal name in ``data`` that another stack of the same CDK cloud assembly exports (the
    stacks ``manifest.json`` lists next to ``source_path``: deployed together, so the export
    exists when the importer is deployed). A name exported by two stacks, an export whose value
    is neither one text nor one resource, and any template outside an assembly give nothing:
    the import stays unknown. The manifest and the templates read are added to ``watched``
    (checked on their own: the result rests on them, they are not part of it)."""
    if source_path is None:
        return {}
    from .cdk import sibling_stacks
    found = sibling_stacks(source_path)   # one stat outside an assembly: before the walk
    if found is None:
        return {}
    names = _literal_imports(data)
    if not names:
        return {}
    manifest, stacks = found
    watched.append(os.path.realpath(manifest))
    out: dict = {}
    seen: dict = {}
    for stack, path in stacks:
        real = os.path.realpath(path)
        watched.append(real)
        for name, value in _exports_of(real, stack, max_bytes).items():
            if name not in names:
                continue
            seen[name] = seen.get(name, 0) + 1
            out[name] = value
    return {n: v for n, v in out.items() if seen[n] == 1}


def _literal_imports(data: Any) -> set:
    """The literal names of every ``Fn::ImportValue`` in ``data`` (iterative)."""
    out: set = set()
    stack = [data]
    while stack:
        n = stack.pop()
        if isinstance(n, dict):
            v = n.get("Fn::ImportValue") if len(n) == 1 else None
            if isinstance(v, str):
                out.add(v)
                continue
            stack.extend(x for x in n.values() if isinstance(x, (dict, list)))
        elif isinstance(n, list):
            stack.extend(x for x in n if isinstance(x, (dict, list)))
    return out


def _exports_of(real: str, stack: str, max_bytes: int) -> dict:
    """Export name -> known text or ``ParentResource`` of the stack template at ``real``."""
    try:
        st = os.stat(real)
    except OSError:
        return {}
    key = (real, st.st_size, st.st_mtime_ns, stack, max_bytes)
    got = _EXPORTS.get(key)
    if got is None:
        got = _read_exports(real, stack, max_bytes)
        if len(_EXPORTS) >= _MAX_EXPORT_CACHE:
            _EXPORTS.clear()
        _EXPORTS[key] = got
    return got


def _read_exports(real: str, stack: str, max_bytes: int) -> dict:
    from .loader import load_file
    from .model.parameters import ParentResource
    from .model.template import Template
    from .model.values import Evaluator
    if not _LABEL.fullmatch(stack):
        return {}
    doc = load_file(real, max_bytes=max_bytes).document
    outputs = doc.data.get("Outputs") if doc is not None and isinstance(doc.data, dict) else None
    if not isinstance(outputs, dict):
        return {}
    template = Template(doc)
    ev = Evaluator(template)
    out: dict = {}
    for body in outputs.values():
        export = body.get("Export") if isinstance(body, dict) else None
        if not isinstance(export, dict) or "Value" not in body or body.get("Condition"):
            continue
        try:
            names = ev.strings(export.get("Name"))
            vals = ev.strings(body["Value"])
        except Exception:  # noqa: BLE001 - an odd output is simply not exported as known
            continue
        if len(names) != 1 or not names[0].known:
            continue
        fixed = _fixed_value(vals, template, {})
        if isinstance(fixed, tuple):
            fixed = ParentResource(*fixed, stack=stack)
        if fixed is not None:
            out[names[0].text] = fixed
    return out

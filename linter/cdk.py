"""CDK cloud assemblies (``cdk.out``): the stack templates ``manifest.json`` lists.

``slint check cdk.out`` checks every ``aws:cloudformation:stack`` artifact's ``templateFile``
(and those of nested assemblies, e.g. CDK stages); asset folders are never walked. Nested
stacks are followed from the parent template's ``aws:asset:path`` metadata (``slint.stacks``),
and findings name the construct path from each resource's ``aws:cdk:path`` metadata.
``sibling_stacks`` gives the other stacks of a stack template's assembly, whose exports its
``Fn::ImportValue`` may read (``slint.stacks.assembly_imports``).
"""

from __future__ import annotations

import json
import os

MAX_MANIFEST_BYTES = 10 * 1024 * 1024
MAX_NESTED_ASSEMBLIES = 3


def is_assembly(path: str) -> bool:
    """A folder holding a cloud assembly ``manifest.json`` (``cdk.out`` or a nested one)."""
    m = os.path.join(path, "manifest.json")
    if not os.path.isfile(m):
        return False
    return os.path.basename(os.path.normpath(path)) == "cdk.out" or \
        os.path.isfile(os.path.join(path, "cdk.out")) or os.path.isfile(os.path.join(path, "tree.json"))


def _manifest(path: str):
    """The parsed ``manifest.json`` of the assembly in ``path``, or None when it cannot be read."""
    manifest = os.path.join(path, "manifest.json")
    try:
        if os.path.getsize(manifest) > MAX_MANIFEST_BYTES:
            return None
        with open(manifest, encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return None


def assembly_templates(path: str, depth: int = 0) -> list[str]:
    """The stack template files of the assembly in ``path``, in manifest order. A manifest that
    cannot be read gives ``[manifest path]`` (the engine then reports it as unreadable)."""
    data = _manifest(path)
    if data is None:
        return [os.path.join(path, "manifest.json")]
    arts = data.get("artifacts") if isinstance(data, dict) else None
    if not isinstance(arts, dict):
        return []
    real_root = os.path.realpath(path)
    out: list[str] = []
    for _name, art in arts.items():
        if not isinstance(art, dict):
            continue
        props = art.get("properties") if isinstance(art.get("properties"), dict) else {}
        kind = art.get("type")
        f = _stack_file(path, real_root, art)
        if f is not None:
            if f not in out:
                out.append(f)
        elif kind == "cdk:cloud-assembly" and isinstance(props.get("directoryName"), str) \
                and depth < MAX_NESTED_ASSEMBLIES:
            sub = os.path.join(path, props["directoryName"])
            if _inside(sub, real_root) and os.path.isdir(sub):
                out.extend(t for t in assembly_templates(sub, depth + 1) if t not in out)
    return out


def sibling_stacks(template: str) -> tuple[str, list[tuple[str, str]]] | None:
    """When ``template`` is a stack template of the cloud assembly whose ``manifest.json`` is in
    its folder: (that manifest's path, [(stack name, template path)] of the other stacks of that
    assembly, in manifest order). The stacks of one assembly are deployed together, so one may
    import what another exports. None for any other file (a nested stack's template, a template
    outside an assembly); a nested assembly (a CDK stage) is its own assembly."""
    folder = os.path.dirname(os.path.abspath(template))
    data = _manifest(folder)
    arts = data.get("artifacts") if isinstance(data, dict) else None
    if not isinstance(arts, dict):
        return None
    real_root = os.path.realpath(folder)
    me = os.path.realpath(template)
    found = False
    out: list[tuple[str, str]] = []
    for name, art in arts.items():
        f = _stack_file(folder, real_root, art)
        if f is None:
            continue
        if os.path.realpath(f) == me:
            found = True
            continue
        stack = art["properties"].get("stackName")
        out.append((stack if isinstance(stack, str) and stack else str(name), f))
    return (os.path.join(folder, "manifest.json"), out) if found else None


def _stack_file(folder: str, real_root: str, art) -> str | None:
    """The template file of a stack artifact of the manifest in ``folder``, when it is inside
    the assembly; None for any other artifact."""
    props = art.get("properties") if isinstance(art, dict) else None
    if not isinstance(props, dict) or art.get("type") != "aws:cloudformation:stack" \
            or not isinstance(props.get("templateFile"), str):
        return None
    f = os.path.join(folder, props["templateFile"])
    return f if _inside(f, real_root) else None


def _inside(p: str, real_root: str) -> bool:
    r = os.path.realpath(p)
    return r == real_root or r.startswith(real_root.rstrip(os.sep) + os.sep)


def construct_path(metadata) -> str | None:
    """The construct path a CDK resource's metadata records (``aws:cdk:path``)."""
    if isinstance(metadata, dict):
        p = metadata.get("aws:cdk:path")
        if isinstance(p, str) and p:
            return p
    return None

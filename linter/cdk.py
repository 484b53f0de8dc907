"""CDK cloud assemblies (``cdk.out``): the stack templates ``manifest.json`` lists.

``slint check cdk.out`` checks every ``aws:cloudformation:stack`` artifact's ``templateFile``
(and those of nested assemblies, e.g. CDK stages); asset folders are never walked. Nested
stacks are followed from the parent template's ``aws:asset:path`` metadata (``slint.stacks``),
and findings name the construct path from each resource's ``aws:cdk:path`` metadata.
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


def assembly_templates(path: str, depth: int = 0) -> list[str]:
    """The stack template files of the assembly in ``path``, in manifest order. A manifest that
    cannot be read gives ``[manifest path]`` (the engine then reports it as unreadable)."""
    manifest = os.path.join(path, "manifest.json")
    try:
        if os.path.getsize(manifest) > MAX_MANIFEST_BYTES:
            return [manifest]
        with open(manifest, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return [manifest]
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
        if kind == "aws:cloudformation:stack" and isinstance(props.get("templateFile"), str):
            f = os.path.join(path, props["templateFile"])
            if _inside(f, real_root) and f not in out:
                out.append(f)
        elif kind == "cdk:cloud-assembly" and isinstance(props.get("directoryName"), str) \
                and depth < MAX_NESTED_ASSEMBLIES:
            sub = os.path.join(path, props["directoryName"])
            if _inside(sub, real_root) and os.path.isdir(sub):
                out.extend(t for t in assembly_templates(sub, depth + 1) if t not in out)
    return out


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

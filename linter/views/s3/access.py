"""Which of read / list / write a public statement opens (actions expanded with the IAM action
database), and small helpers of the bucket view."""

from __future__ import annotations

from ... import iamdb
from ...model.values import SValue
from ...policy import wildcard_match
from .model import LIST, READ, UNKNOWN, WRITE, BucketExposure


def _unknown_flags(b: BucketExposure, flags: tuple) -> list:
    unknown = [f for f in flags if b.bpa.get(f) == UNKNOWN]
    return [f"{' and '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} not known in the "
            "template (a parameter with no default): assumed off"] if unknown else []


def _host(text: str) -> str:
    t = text.strip().lower()
    if "://" in t:
        t = t.split("://", 1)[1]
    return t.split("/", 1)[0]


def _unknown_text(what: str, sv: SValue) -> str:
    if sv.params:
        return f"{what} comes from parameter `{sv.params[0]}`, which has no default"
    if sv.imports:
        return f"{what} is imported (`{sv.imports[0]}`)"
    return f"{what} is not known in the template"


def _expand(pattern: str):
    """The S3 actions an action pattern covers (``*`` counts as ``s3:*``); iamdb.expand is
    memoised already."""
    p = pattern.strip()
    if p == "*":
        p = "s3:*"
    if not p.lower().startswith("s3:"):
        return ()
    return iamdb.expand(p)


def _covered(info, denies: list) -> bool:
    """Whether a Deny for everyone removes ``info`` from anonymous callers: an unconditional
    Deny, or one whose only conditions are negated limiting keys (``StringNotEquals
    aws:SourceVpce``), covering the action and the kind of resource it needs."""
    al = info.action.lower()
    for d in denies:
        if d.public != "yes" or d.other_conditions or d.limiting:
            continue
        res = d.resources or ("*",)
        if "object" in info.resource_types:
            if not any("/" in r or r.endswith("*") or r == "{unknown}" for r in res):
                continue
        elif not any("/" not in r for r in res):
            continue
        if d.not_action:
            if not any(wildcard_match(x.lower(), al) for x in d.actions):
                return True
        elif any(wildcard_match(x.lower(), al) or x.strip() == "*" for x in d.actions):
            return True
    return False


def _access(actions: tuple, not_action: bool, resources: tuple,
            denies: list) -> tuple[frozenset, tuple]:
    """Which of read/list/write a public Allow opens, and the actions that open it. Actions are
    expanded with the IAM action database; object-level actions count only when a resource can
    be an object, bucket-level ones only when a resource can be the bucket."""
    if any(a == "{unknown}" for a in actions):
        return frozenset({READ}), ("{unknown action}",)
    if not_action:
        excluded = [a.lower() for a in actions]
        infos = [i for i in _expand("s3:*")
                 if not any(wildcard_match(x, i.action.lower()) for x in excluded)]
    else:
        infos = []
        for a in actions:
            infos.extend(_expand(a))
    res = resources or ("*",)
    objectish = any("/" in r or r.endswith("*") or r == "{unknown}" for r in res)
    bucketish = any("/" not in r for r in res)
    access: set = set()
    opened: list[str] = []
    for info in dict.fromkeys(infos):
        rt = info.resource_types
        if "object" in rt:
            if not objectish:
                continue
        elif "bucket" in rt:
            if not bucketish:
                continue
        else:
            continue
        if denies and _covered(info, denies):
            continue
        level = info.access_level
        if level == "Read" and "object" not in rt:
            continue  # bucket configuration (GetBucketAcl, GetBucketLocation...): not object data
        if level == "List":
            kind = LIST if "bucket" in rt else READ   # ListMultipartUploadParts: one object
        else:
            kind = READ if level == "Read" else WRITE
        access.add(kind)
        opened.append(info.action)
    if not access:
        return frozenset(), ()
    if not_action:
        shown = ("everything but " + ", ".join(actions),)
    elif len(opened) <= 4:
        shown = tuple(opened)
    else:
        shown = tuple(actions)
    return frozenset(access), shown

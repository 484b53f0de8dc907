"""``FileResult`` <-> JSON for the result cache: tagged JSON, never pickle, and strict on the way
back in (a cache directory is outside slint's control: anything but the exact shapes written
here is a ``CodecError``, which the cache treats as a miss).

Tags: ``{"__t": [...]}`` tuple, ``{"__d": [[k, v], ...]}`` dict with keys JSON cannot hold,
``{"__s": [...]}`` set, ``{"__f": [...]}`` frozenset, ``{"__F": {...}}`` a ``Finding``.
"""

from __future__ import annotations

import json
from dataclasses import fields
from typing import Any

from .findings import Finding, Severity
from .results import FileResult


class Unencodable(Exception):
    """Facts JSON cannot hold (the file is then simply not cached)."""


class CodecError(ValueError):
    """A cache entry that is not exactly what ``encode_payload`` writes."""


def _enc(x: Any) -> Any:
    if x is None or isinstance(x, (bool, int, float, str)):
        return x
    if isinstance(x, list):
        return [_enc(v) for v in x]
    if isinstance(x, tuple):
        return {"__t": [_enc(v) for v in x]}
    if isinstance(x, dict):
        if all(type(k) is str for k in x) and not any(k.startswith("__") for k in x):
            return {k: _enc(v) for k, v in x.items()}
        return {"__d": [[_enc(k), _enc(v)] for k, v in x.items()]}
    if isinstance(x, (set, frozenset)):
        items = sorted((_enc(v) for v in x), key=lambda v: json.dumps(v, sort_keys=True))
        return {"__f" if isinstance(x, frozenset) else "__s": items}
    if isinstance(x, Finding):
        return {"__F": {f.name: _enc(getattr(x, f.name)) for f in fields(Finding)}}
    raise Unencodable(type(x).__name__)


def _dec(x: Any) -> Any:
    if isinstance(x, list):
        return [_dec(v) for v in x]
    if isinstance(x, dict):
        if len(x) == 1:
            (k, v), = x.items()
            if k == "__t":
                return tuple(_dec(i) for i in _list(v))
            if k == "__d":
                return {_hashable(_dec(a)): _dec(b) for a, b in _list(v)}
            if k == "__s":
                return {_hashable(_dec(i)) for i in _list(v)}
            if k == "__f":
                return frozenset(_hashable(_dec(i)) for i in _list(v))
            if k == "__F":
                return _finding(v)
        return {k: _dec(v) for k, v in x.items()}
    return x


def _list(v: Any) -> list:
    if not isinstance(v, list):
        raise CodecError("tagged value is not a list")
    return v


def _hashable(x: Any) -> Any:
    try:
        hash(x)
    except TypeError:
        raise CodecError("unhashable key in cache entry") from None
    return x


_STR, _INT, _OPT_STR, _LIST, _OPT_LIST, _OPT_DICT = "str", "int", "str?", "list", "list?", "dict?"
_FINDING_TYPES = {"rule": _STR, "name": _STR, "category": _STR, "severity": _STR,
                  "message": _STR, "file": _STR, "line": _INT, "column": _INT,
                  "end_line": _INT, "end_column": _INT, "resource": _OPT_STR, "path": _LIST,
                  "fix": _OPT_STR, "scenario": _OPT_LIST, "related": _OPT_LIST,
                  "suppression": _OPT_DICT, "subject": _OPT_STR,
                  "via": _OPT_LIST, "construct": _OPT_STR}
_SEVERITIES = {s.value for s in Severity}


def _is(v: Any, kind: str) -> bool:
    if kind.endswith("?") and v is None:
        return True
    kind = kind.rstrip("?")
    if kind == "int":
        return type(v) is int
    return isinstance(v, {"str": str, "dict": dict}.get(kind, list))


def _finding(v: Any) -> Finding:
    if not isinstance(v, dict) or set(v) != set(_FINDING_TYPES):
        raise CodecError("finding with unexpected fields")
    d = {k: _dec(val) for k, val in v.items()}
    if not all(_is(d[k], kind) for k, kind in _FINDING_TYPES.items()):
        raise CodecError("finding field of the wrong type")
    if d["severity"] not in _SEVERITIES:
        raise CodecError("finding with an unknown severity")
    return Finding(**d)


_PENDING_TYPES = {"codes": _LIST, "used": _LIST, "scope": _STR, "resource": _OPT_STR,
                  "lines": _LIST, "loc": _LIST, "path": _LIST, "reason": _STR}


def _pending(p: Any) -> dict:
    if not isinstance(p, dict) or set(p) != set(_PENDING_TYPES) \
            or not all(_is(p[k], kind) for k, kind in _PENDING_TYPES.items()):
        raise CodecError("pending suppression of the wrong shape")
    if p["scope"] not in ("template", "resource", "line") \
            or not all(isinstance(c, str) for c in p["codes"] + p["used"]) \
            or not all(type(n) is int for n in p["lines"]) \
            or len(p["loc"]) != 4 or not all(type(n) is int for n in p["loc"]):
        raise CodecError("pending suppression of the wrong shape")
    return p


def encode_payload(fr: FileResult) -> dict:
    """JSON-ready data of a ``FileResult``; raises ``Unencodable`` for facts JSON cannot hold."""
    return {f.name: _enc(getattr(fr, f.name)) for f in fields(FileResult)}


def decode_payload(d: Any) -> FileResult:
    """The ``FileResult`` that ``encode_payload`` wrote, or ``CodecError``."""
    try:
        return _decode_payload(d)
    except CodecError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        raise CodecError(f"undecodable cache entry: {type(exc).__name__}") from None


_STATUSES = ("checked", "skipped", "error")


def _paths(d: dict, key: str) -> list:
    """``d[key]``, a list of paths, or CodecError."""
    v = d[key]
    if not isinstance(v, list) or not all(isinstance(p, str) for p in v):
        raise CodecError(f"{key} is not a list of paths")
    return v


def _decode_payload(d: Any) -> FileResult:
    if not isinstance(d, dict) or set(d) != {f.name for f in fields(FileResult)}:
        raise CodecError("entry with unexpected fields")
    file, status, reason, resources = d["file"], d["status"], d["reason"], d["resources"]
    if not isinstance(file, str) or status not in _STATUSES or not _is(reason, _OPT_STR) \
            or type(resources) is not int:
        raise CodecError("entry field of the wrong type")
    findings = _dec(d["findings"])
    if not isinstance(findings, list) or not all(isinstance(f, Finding) for f in findings):
        raise CodecError("findings are not a list of findings")
    facts = _dec(d["facts"])
    if not isinstance(facts, dict) or not all(isinstance(k, str) for k in facts):
        raise CodecError("facts are not a mapping of rule codes")
    if not isinstance(d["pending"], list):
        raise CodecError("pending suppressions are not a list")
    pending = [_pending(p) for p in d["pending"]]
    suppressed = _dec(d["suppressed"])
    if not isinstance(suppressed, list) or not all(isinstance(f, Finding) for f in suppressed):
        raise CodecError("suppressed findings are not a list of findings")
    unknowns = _dec(d["unknowns"])
    if not isinstance(unknowns, list) or not all(isinstance(u, dict) for u in unknowns):
        raise CodecError("unknowns are not a list of mappings")
    depends = _paths(d, "depends")
    prints = d["fingerprints"]
    if not isinstance(prints, list) or not all(
            isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p)
            for p in prints):
        raise CodecError("fingerprints are not a list of [path, fingerprint]")
    watched = _paths(d, "watched")
    return FileResult(file, status, findings, reason=reason, resources=resources, facts=facts,
                      pending=pending, suppressed=suppressed, depends=depends,
                      fingerprints=prints, unknowns=unknowns, watched=watched)


def encode_result(fr: FileResult) -> str:
    """JSON text of a ``FileResult``; raises ``Unencodable`` for facts JSON cannot hold."""
    return json.dumps(encode_payload(fr), separators=(",", ":"))


def decode_result(text: str) -> FileResult:
    """The ``FileResult`` of ``encode_result`` text; ``CodecError`` for anything else."""
    try:
        d = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise CodecError(f"not JSON: {type(exc).__name__}") from None
    return decode_payload(d)

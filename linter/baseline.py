"""Baselines: adopt slint on an existing code base without fixing everything first.

``slint check --write-baseline FILE`` records today's findings; ``slint check --baseline FILE``
then reports only findings that are not in it. A finding is keyed by file (relative to the
baseline file's folder, ``/``-separated), rule, resource, document path *without list indexes*
and subject (the scalar written at the path: the action, the authorizer, the bucket name),
never by line or message, so edits that move lines, reword messages or reshape lists
(``Action: "s3:*"`` becoming ``["s3:*", "sqs:*"]``, a statement inserted above) keep matching.
Each key has a count: when a key has more findings than recorded, the extra ones (the last in
sorted order) are new.

Version 1 baselines (keyed on the full document path, no subject) are still read and matched
their way; ``--write-baseline`` writes version 2.
"""

from __future__ import annotations

import json
import os
from collections import Counter

BASELINE_VERSION = 2
READABLE_VERSIONS = (1, 2)


class BaselineError(ValueError):
    pass


def _rel(file: str, base_dir: str) -> str:
    if not file:
        return ""
    rel = os.path.relpath(os.path.abspath(file), base_dir)
    return rel.replace(os.sep, "/")


def finding_key(f, base_dir: str, version: int = BASELINE_VERSION) -> tuple:
    if version == 1:
        return (_rel(f.file, base_dir), f.rule, f.resource or "",
                "/".join(str(p) for p in f.path))
    return (_rel(f.file, base_dir), f.rule, f.resource or "",
            "/".join(str(p) for p in f.path if not isinstance(p, int)), f.subject or "")


def build(findings, baseline_file: str) -> dict:
    base = os.path.dirname(os.path.abspath(baseline_file))
    counts = Counter(finding_key(f, base) for f in findings)
    entries = [{"file": k[0], "rule": k[1], "resource": k[2] or None, "path": k[3],
                **({"subject": k[4]} if k[4] else {}), "count": n}
               for k, n in sorted(counts.items())]
    return {"version": BASELINE_VERSION, "tool": "slint", "findings": entries}


def write(findings, baseline_file: str) -> int:
    """Write the baseline; returns the number of findings recorded."""
    doc = build(findings, baseline_file)
    # a lone surrogate (a JSON template's "\\ud800") is written as its JSON escape, and read back
    with open(baseline_file, "w", encoding="utf-8", errors="backslashreplace") as fh:
        fh.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    return sum(e["count"] for e in doc["findings"])


_ENTRY_KEYS = {1: {"file", "rule", "resource", "path", "count"},
               2: {"file", "rule", "resource", "path", "subject", "count"}}


def _show(value, limit: int = 120) -> str:
    """``repr`` of a JSON value, cut short: a malformed entry may be huge."""
    try:
        text = repr(value)
    except RecursionError:
        return "(nested too deeply to show)"
    return text if len(text) <= limit else text[:limit] + "..."


def _entry_key(e, version: int = BASELINE_VERSION) -> tuple[tuple, int]:
    """(key, count) of one baseline entry; ``ValueError`` naming what is wrong. The shape is
    checked strictly (the types ``write`` produces): a hand-edited or foreign file is an error,
    never a traceback or a silently wrong count."""
    if not isinstance(e, dict):
        raise ValueError("an entry must be an object")
    extra = sorted(set(e) - _ENTRY_KEYS[version])
    if extra:
        raise ValueError(f"unknown key {extra[0]!r}")
    for k in ("file", "rule", "path"):
        if not isinstance(e.get(k), str):
            raise ValueError(f"{k!r} must be a string")
    resource = e.get("resource")
    if resource is not None and not isinstance(resource, str):
        raise ValueError("'resource' must be a string or null")
    count = e.get("count", 1)
    if type(count) is not int or count < 1:  # not bool, not float (1e400 is infinity)
        raise ValueError("'count' must be a positive integer")
    if version == 1:
        return (e["file"], e["rule"], resource or "", e["path"]), count
    subject = e.get("subject")
    if subject is not None and not isinstance(subject, str):
        raise ValueError("'subject' must be a string")
    return (e["file"], e["rule"], resource or "", e["path"], subject or ""), count


def read(baseline_file: str) -> Counter:
    return read_versioned(baseline_file)[1]


def read_versioned(baseline_file: str) -> tuple[int, Counter]:
    try:
        with open(baseline_file, encoding="utf-8") as fh:
            doc = json.load(fh)
    except OSError as exc:
        raise BaselineError(f"cannot read baseline {baseline_file}: {exc.strerror or exc}") from None
    except RecursionError:  # the json decoder recurses once per nesting level
        raise BaselineError(f"baseline {baseline_file} is nested too deeply to be a slint "
                            f"baseline") from None
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError, too many int digits
        raise BaselineError(f"baseline {baseline_file} is not JSON: {exc}") from None
    if not isinstance(doc, dict) or type(doc.get("version")) is not int \
            or doc.get("version") not in READABLE_VERSIONS \
            or not isinstance(doc.get("findings"), list):
        raise BaselineError(f"baseline {baseline_file} is not a slint baseline (version "
                            f"{BASELINE_VERSION}); write one with --write-baseline")
    out: Counter = Counter()
    for i, e in enumerate(doc["findings"]):
        try:
            key, count = _entry_key(e, doc["version"])
        except ValueError as exc:
            raise BaselineError(f"baseline {baseline_file}: malformed entry {i} ({exc}): "
                                f"{_show(e)}") from None
        out[key] += count
    return doc["version"], out


def filter_new(findings, baseline_file: str) -> tuple[list, int]:
    """The findings not covered by the baseline, and how many were covered."""
    base = os.path.dirname(os.path.abspath(baseline_file))
    version, remaining = read_versioned(baseline_file)
    new, known = [], 0
    for f in sorted(findings, key=lambda x: x.sort_key()):
        k = finding_key(f, base, version)
        if remaining.get(k, 0) > 0:
            remaining[k] -= 1
            known += 1
        else:
            new.append(f)
    return new, known

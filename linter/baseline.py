"""Baselines: adopt slint on an existing code base without fixing everything first.

``slint check --write-baseline FILE`` records today's findings; ``slint check --baseline FILE``
then reports only findings that are not in it. A finding is keyed by file (relative to the
baseline file's folder, ``/``-separated), rule, resource and document path, never by line or
message, so edits that move lines or reword messages keep matching. Each key has a count: when a
key has more findings than recorded, the extra ones (the last in sorted order) are new.
"""

from __future__ import annotations

import json
import os
from collections import Counter

BASELINE_VERSION = 1


class BaselineError(ValueError):
    pass


def _rel(file: str, base_dir: str) -> str:
    if not file:
        return ""
    rel = os.path.relpath(os.path.abspath(file), base_dir)
    return rel.replace(os.sep, "/")


def finding_key(f, base_dir: str) -> tuple[str, str, str, str]:
    return (_rel(f.file, base_dir), f.rule, f.resource or "",
            "/".join(str(p) for p in f.path))


def build(findings, baseline_file: str) -> dict:
    base = os.path.dirname(os.path.abspath(baseline_file))
    counts = Counter(finding_key(f, base) for f in findings)
    entries = [{"file": k[0], "rule": k[1], "resource": k[2] or None, "path": k[3], "count": n}
               for k, n in sorted(counts.items())]
    return {"version": BASELINE_VERSION, "tool": "slint", "findings": entries}


def write(findings, baseline_file: str) -> int:
    """Write the baseline; returns the number of findings recorded."""
    doc = build(findings, baseline_file)
    with open(baseline_file, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    return sum(e["count"] for e in doc["findings"])


def read(baseline_file: str) -> Counter:
    try:
        with open(baseline_file, encoding="utf-8") as fh:
            doc = json.load(fh)
    except OSError as exc:
        raise BaselineError(f"cannot read baseline {baseline_file}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise BaselineError(f"baseline {baseline_file} is not JSON: {exc}") from None
    if not isinstance(doc, dict) or doc.get("version") != BASELINE_VERSION \
            or not isinstance(doc.get("findings"), list):
        raise BaselineError(f"baseline {baseline_file} is not a slint baseline (version "
                            f"{BASELINE_VERSION}); write one with --write-baseline")
    out: Counter = Counter()
    for e in doc["findings"]:
        try:
            key = (str(e["file"]), str(e["rule"]), str(e.get("resource") or ""), str(e["path"]))
            out[key] += int(e.get("count", 1))
        except (KeyError, TypeError, ValueError):
            raise BaselineError(f"baseline {baseline_file}: malformed entry {e!r}") from None
    return out


def filter_new(findings, baseline_file: str) -> tuple[list, int]:
    """The findings not covered by the baseline, and how many were covered."""
    base = os.path.dirname(os.path.abspath(baseline_file))
    remaining = read(baseline_file)
    new, known = [], 0
    for f in sorted(findings, key=lambda x: x.sort_key()):
        k = finding_key(f, base)
        if remaining.get(k, 0) > 0:
            remaining[k] -= 1
            known += 1
        else:
            new.append(f)
    return new, known

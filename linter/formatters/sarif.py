"""SARIF 2.1.0 (schema: ``slint/schemas/sarif-2.1.0.json``) for GitHub code scanning and IDEs.

Pure: a function of the run's findings and of rule metadata handed in by the caller
(``rules_meta``: code -> {name, category, severity, short, full, help, help_uri, fix}).
No timestamps, sorted, so the same run gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
from urllib.parse import quote

from .. import __version__
from .escape import json_text, uri_bytes

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFO_URI = "https://github.com/slint-dev/slint"
FINGERPRINT_KEY = "slintFindingHash/v1"

LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
# GitHub code scanning reads a numeric "security-severity" from rule properties
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "1.0"}


def artifact_uri(file: str) -> str:
    """A relative URI reference for a relative path; a file: URI for an absolute one."""
    p = uri_bytes(file.replace("\\", "/"))  # percent-encode the bytes (non-UTF-8 names too)
    if p.startswith(b"/"):
        return "file://" + quote(p)
    if len(p) > 1 and p[1:2] == b":":  # C:/...
        return "file:///" + quote(p)
    p = posixpath.normpath(p) if p else p
    return quote(p)


def fingerprint(finding, occurrence: int = 0) -> str:
    """Stable across line moves: rule, file, resource and document path (plus the occurrence
    number among findings with that same key), never the line."""
    key = "\x1f".join([finding.rule, finding.file.replace("\\", "/"), finding.resource or "",
                       "/".join(str(p) for p in finding.path), str(occurrence)])
    return hashlib.sha256(uri_bytes(key)).hexdigest()[:32]


def _rule_descriptor(code: str, meta: dict) -> dict:
    sev = meta.get("severity", "medium")
    d: dict = {"id": code}
    if meta.get("name"):
        d["name"] = meta["name"]
    short = meta.get("short") or meta.get("name") or code
    d["shortDescription"] = {"text": short}
    if meta.get("full"):
        d["fullDescription"] = {"text": meta["full"]}
    if meta.get("help"):
        d["help"] = {"text": meta["help"], "markdown": meta["help"]}
    if meta.get("help_uri"):
        d["helpUri"] = meta["help_uri"]
    d["defaultConfiguration"] = {"level": LEVEL.get(sev, "warning"),
                                 "enabled": bool(meta.get("enabled", True))}
    props: dict = {"tags": sorted({"security", *( [meta["category"]] if meta.get("category") else [])}),
                   "precision": "high"}
    if sev in SECURITY_SEVERITY:
        props["security-severity"] = SECURITY_SEVERITY[sev]
    if meta.get("category"):
        props["category"] = meta["category"]
    d["properties"] = props
    return d


def document(result, rules_meta: dict | None = None) -> dict:
    meta = dict(rules_meta or {})
    suppressed = list(getattr(result, "suppressed", ()))
    for f in [*result.findings, *suppressed]:  # a finding from a rule the caller did not describe
        meta.setdefault(f.rule, {"name": f.name, "category": f.category, "severity": f.severity})
    codes = sorted(meta)
    index = {c: i for i, c in enumerate(codes)}
    seen: dict[tuple, int] = {}
    results = []
    # suppressed findings last (the others keep their fingerprints), each with an in-source
    # suppression: code scanning shows them as dismissed, with the reason as justification
    for f in [*result.findings, *suppressed]:
        key = (f.rule, f.file, f.resource or "", tuple(str(p) for p in f.path))
        occ = seen.get(key, 0)
        seen[key] = occ + 1
        region = {"startLine": f.line, "startColumn": f.column,
                  "endLine": max(f.end_line, f.line)}
        end_col = f.end_column if f.end_line > f.line else max(f.end_column, f.column)
        region["endColumn"] = end_col
        loc: dict = {"physicalLocation": {"artifactLocation": {"uri": artifact_uri(f.file)},
                                          "region": region}}
        if f.resource:
            loc["logicalLocations"] = [{"name": f.resource, "kind": "resource",
                                        "fullyQualifiedName": "/".join(str(p) for p in f.path)
                                        or f.resource}]
        text = f.message + (f" Fix: {f.fix}" if f.fix else "")
        r: dict = {"ruleId": f.rule, "ruleIndex": index[f.rule], "level": LEVEL.get(f.severity, "warning"),
                   "message": {"text": text}, "locations": [loc] if f.file else [],
                   "partialFingerprints": {FINGERPRINT_KEY: fingerprint(f, occ)},
                   "properties": {"severity": f.severity, "category": f.category,
                                  "path": [p for p in f.path]}}
        if f.resource:
            r["properties"]["resource"] = f.resource
        if f.scenario:
            r["properties"]["scenario"] = f.scenario
        if f.via:
            r["properties"]["via"] = f.via
        if f.construct:
            r["properties"]["construct"] = f.construct
        if f.related:
            rel = []
            for i, x in enumerate(f.related):
                if not isinstance(x, dict) or not x.get("line"):
                    continue
                rel.append({"id": i, "physicalLocation": {
                    "artifactLocation": {"uri": artifact_uri(x.get("file") or f.file)},
                    "region": {"startLine": int(x["line"]), "startColumn": int(x.get("column") or 1)}},
                    **({"message": {"text": x["message"]}} if x.get("message") else {})})
            if rel:
                r["relatedLocations"] = rel
        if f.suppression is not None:
            sup = {"kind": "inSource", "status": "accepted"}
            if f.suppression.get("reason"):
                sup["justification"] = f.suppression["reason"]
            r["suppressions"] = [sup]
        results.append(r)
    artifacts = sorted({fr.file for fr in result.files if fr.status != "skipped"})
    run = {
        "tool": {"driver": {"name": "slint", "version": __version__, "semanticVersion": __version__,
                            "informationUri": INFO_URI,
                            "rules": [_rule_descriptor(c, meta[c]) for c in codes]}},
        "columnKind": "unicodeCodePoints",
        "artifacts": [{"location": {"uri": artifact_uri(a)}} for a in artifacts],
        "results": results,
        "invocations": [{"executionSuccessful": True}],
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def render(result, rules_meta: dict | None = None) -> str:
    return json_text(json.dumps(document(result, rules_meta), indent=2, ensure_ascii=False)) + "\n"

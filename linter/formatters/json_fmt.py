"""The JSON contract (schema: ``slint/schemas/output.schema.json``), version 1."""

from __future__ import annotations

import json
from collections import Counter

from .escape import json_text

JSON_VERSION = 1


def _with_url(f, rules_meta: dict | None) -> dict:
    d = f.to_dict()
    d["url"] = (rules_meta or {}).get(f.rule, {}).get("help_uri") or None
    return d


def document(result, rules_meta: dict | None = None) -> dict:
    """``rules_meta`` (code -> metadata, see ``checkcmd.rules_metadata``) gives each finding's
    rule documentation ``url``. Suppressed findings are listed apart, under ``suppressed``,
    each with its ``suppression`` (reason, scope); they are not counted in ``summary``."""
    by_sev = Counter(f.severity for f in result.findings)
    by_rule = Counter(f.rule for f in result.findings)
    status = Counter(f.status for f in result.files)
    return {
        "version": JSON_VERSION,
        "findings": [_with_url(f, rules_meta) for f in result.findings],
        "suppressed": [_with_url(f, rules_meta) for f in getattr(result, "suppressed", ())],
        "files": [fr.to_dict() for fr in sorted(result.files, key=lambda x: x.file)],
        "summary": {
            "files_checked": status.get("checked", 0),
            "files_skipped": status.get("skipped", 0),
            "files_error": status.get("error", 0),
            "findings": len(result.findings),
            "by_severity": dict(sorted(by_sev.items())),
            "by_rule": dict(sorted(by_rule.items())),
        },
    }


def render(result, rules_meta: dict | None = None) -> str:
    return json_text(json.dumps(document(result, rules_meta), indent=2, sort_keys=False,
                                ensure_ascii=False)) + "\n"

"""Findings to LSP structures, as plain JSON-shaped dicts (no pygls here, so that this stays
testable and cheap): diagnostics, hovers, and the text edits of code actions.

Positions: slint counts lines and columns from 1, in code points; LSP counts from 0, in UTF-16
code units. ``Lines`` converts with the document's own text.
"""

from __future__ import annotations

from typing import Iterable

from ..findings import Finding

DOCS_URL = "https://github.com/slint-dev/slint/blob/main/docs/rules/{code}.md"
SOURCE = "slint"

# LSP DiagnosticSeverity: 1 Error, 2 Warning, 3 Information, 4 Hint
SEVERITY = {"critical": 1, "high": 1, "medium": 2, "low": 3, "info": 4}
# LSP DiagnosticTag: 1 Unnecessary (faded out)
UNNECESSARY_RULES = {"SUP002"}


class Lines:
    """A document's lines, for code point -> UTF-16 column conversion."""

    def __init__(self, text: str):
        self.lines = text.split("\n")

    def utf16(self, line: int, column: int) -> dict:
        """1-based (line, column in code points) -> 0-based LSP position."""
        ln = max(0, line - 1)
        col = max(0, column - 1)
        if ln >= len(self.lines):
            return {"line": ln, "character": col}
        prefix = self.lines[ln][:col]
        units = len(prefix) + sum(1 for ch in prefix if ord(ch) > 0xFFFF)
        return {"line": ln, "character": units}

    def codepoint(self, line0: int, char16: int) -> tuple[int, int]:
        """0-based LSP position -> 1-based (line, column in code points)."""
        if line0 >= len(self.lines) or line0 < 0:
            return line0 + 1, char16 + 1
        units = 0
        for i, ch in enumerate(self.lines[line0]):
            if units >= char16:
                return line0 + 1, i + 1
            units += 2 if ord(ch) > 0xFFFF else 1
        return line0 + 1, len(self.lines[line0]) + 1

    def line_text(self, line: int) -> str:
        return self.lines[line - 1] if 0 < line <= len(self.lines) else ""


def file_range(lines: Lines, line: int, column: int, end_line: int, end_column: int) -> dict:
    start = lines.utf16(line, column)
    if (end_line, end_column) <= (line, column):
        # a point: widen it to the rest of the word so editors draw something
        text = lines.line_text(line)
        end = column
        while end - 1 < len(text) and not text[end - 1].isspace():
            end += 1
        end_line, end_column = line, max(end, column + 1)
    return {"start": start, "end": lines.utf16(end_line, end_column)}


def diagnostic(f: Finding, lines: Lines, uri_of=None) -> dict:
    """One LSP Diagnostic for a finding of this document. ``uri_of(file)`` maps a related
    location's file to a URI (None: related locations are dropped)."""
    d = {
        "range": file_range(lines, f.line, f.column, f.end_line, f.end_column),
        "severity": SEVERITY.get(f.severity, 2),
        "code": f.rule,
        "source": SOURCE,
        "message": f.message + (f" ({f.resource})" if f.resource and f.resource not in f.message
                                else ""),
        "data": {"rule": f.rule, "name": f.name, "resource": f.resource, "path": list(f.path),
                 "fix": f.fix, "severity": f.severity},
    }
    if not f.rule.startswith(("INT", "CFN")):
        d["codeDescription"] = {"href": DOCS_URL.format(code=f.rule)}
    if f.rule in UNNECESSARY_RULES:
        d["tags"] = [1]
    related = []
    for r in f.related or ():
        if uri_of is None or not isinstance(r, dict):
            continue
        uri = uri_of(r.get("file") or f.file)
        if uri is None:
            continue
        line, col = int(r.get("line") or 1), int(r.get("column") or 1)
        rl = lines if (r.get("file") or f.file) == f.file else Lines("")
        pos = rl.utf16(line, col)
        related.append({"location": {"uri": uri, "range": {"start": pos, "end": pos}},
                        "message": str(r.get("message") or r.get("resource") or "related")})
    if related:
        d["relatedInformation"] = related
    return d


def contains(rng: dict, line0: int, char16: int) -> bool:
    s, e = rng["start"], rng["end"]
    return (s["line"], s["character"]) <= (line0, char16) <= (e["line"], e["character"])


def hover_markdown(diags: Iterable[dict], docs: dict[str, str]) -> str | None:
    """The explanation of every diagnostic under the cursor: its message, then the rule's
    "What it does" / "Why is this bad?" and fix, and a link to the full documentation."""
    parts = []
    for d in diags:
        code = d.get("code")
        data = d.get("data") or {}
        head = f"**{code}** `{data.get('name', '')}` ({data.get('severity', '')})\n\n{d['message']}"
        body = docs.get(code, "")
        fix = data.get("fix")
        text = head + (f"\n\n{body}" if body else "") + (f"\n\n**Fix:** {fix}" if fix else "")
        if "codeDescription" in d:
            text += f"\n\n[Documentation]({d['codeDescription']['href']})"
        parts.append(text)
    return "\n\n---\n\n".join(parts) if parts else None

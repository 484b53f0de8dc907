"""Human output: ``file:line:col: CODE [severity] message (Resource)`` and a summary line."""

from __future__ import annotations

_COLORS = {"critical": "\x1b[1;31m", "high": "\x1b[31m", "medium": "\x1b[33m", "low": "\x1b[36m",
           "info": "\x1b[2m"}
_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"


def render(result, *, color: bool = False) -> str:
    lines: list[str] = []
    for f in result.findings:
        sev = f"[{f.severity}]"
        code = f.rule
        if color:
            sev = f"{_COLORS.get(f.severity, '')}{sev}{_RESET}"
            code = f"{_BOLD}{code}{_RESET}"
        res = f" ({f.resource})" if f.resource else ""
        lines.append(f"{f.file}:{f.line}:{f.column}: {code} {sev} {f.message}{res}")
    checked = sum(1 for r in result.files if r.status == "checked")
    skipped = sum(1 for r in result.files if r.status == "skipped")
    errors = sum(1 for r in result.files if r.status == "error")
    n = len(result.findings)
    summary = (f"{n} finding{'s' if n != 1 else ''} in {checked} template{'s' if checked != 1 else ''}"
               + (f", {errors} unreadable" if errors else "")
               + (f", {skipped} file{'s' if skipped != 1 else ''} skipped (not templates)" if skipped else ""))
    if n:
        worst = {}
        for f in result.findings:
            worst[f.severity] = worst.get(f.severity, 0) + 1
        order = ["critical", "high", "medium", "low", "info"]
        summary += " (" + ", ".join(f"{worst[s]} {s}" for s in order if s in worst) + ")"
    lines.append(summary)
    return "\n".join(lines) + "\n"

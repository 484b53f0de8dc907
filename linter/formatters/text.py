"""Human output, grouped by file: ``file:line:col: CODE [severity] message (Resource)`` lines
(editors and terminals make them clickable), a blank line between files, then a summary line.
Colour only when the caller says so (a TTY without NO_COLOR). Template-derived text is escaped
(``escape.visible``): one finding is one line, and no control character reaches the terminal."""

from __future__ import annotations

from .escape import visible

_COLORS = {"critical": "\x1b[1;31m", "high": "\x1b[31m", "medium": "\x1b[33m", "low": "\x1b[36m",
           "info": "\x1b[2m"}
_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_DIM = "\x1b[2m"
ORDER = ["critical", "high", "medium", "low", "info"]


def location_line(f, color: bool = False) -> str:
    sev = f"[{f.severity}]"
    code = visible(f.rule)
    file = visible(f.file)
    loc = f"{file}:{f.line}:{f.column}:"
    if color:
        sev = f"{_COLORS.get(f.severity, '')}{sev}{_RESET}"
        code = f"{_BOLD}{code}{_RESET}"
        loc = f"{_BOLD}{file}{_RESET}:{f.line}:{f.column}:"
    res = f" ({visible(f.resource)})" if f.resource else ""
    msg = visible(" ".join(f.message.splitlines()))  # one finding, one line, no control chars
    extra = ""
    if getattr(f, "construct", None):
        extra += f" [construct {visible(f.construct)}]"
    if getattr(f, "via", None):
        extra += " via " + ", ".join(f"{visible(str(v['file']))}:{v['line']}" for v in f.via)
    return f"{loc} {code} {sev} {msg}{res}{extra}"


def summary(result) -> str:
    checked = sum(1 for r in result.files if r.status == "checked")
    skipped = sum(1 for r in result.files if r.status == "skipped")
    errors = sum(1 for r in result.files if r.status == "error")
    n = len(result.findings)
    out = (f"{n} finding{'s' if n != 1 else ''} in {checked} template{'s' if checked != 1 else ''}"
           + (f", {errors} unreadable" if errors else "")
           + (f", {skipped} file{'s' if skipped != 1 else ''} skipped (not templates)" if skipped else ""))
    unknowns = [u for r in result.files for u in (getattr(r, "unknowns", None) or ())]
    if n:
        count: dict[str, int] = {}
        for f in result.findings:
            count[f.severity] = count.get(f.severity, 0) + 1
        out += " (" + ", ".join(f"{count[s]} {s}" for s in ORDER if s in count) + ")"
    if unknowns:
        kinds: dict[str, int] = {}
        for u in unknowns:
            kinds[u["what"]] = kinds.get(u["what"], 0) + 1
        out += (f"\n{len(unknowns)} not evaluated: "
                + ", ".join(f"{w} ({c})" for w, c in sorted(kinds.items()))
                + "; the JSON output lists them (files[].unknowns)")
    return out


def render(result, *, color: bool = False, quiet: bool = False, show_fixes: bool = False,
           show_suppressed: bool = False) -> str:
    """``quiet``: no summary line; ``show_fixes``: each finding's fix hint on an indented line;
    ``show_suppressed``: suppressed findings too, marked with their suppression's reason."""
    lines: list[str] = []
    current = None
    rows = [(f, None) for f in result.findings]
    if show_suppressed:
        rows += [(f, f.suppression or {}) for f in getattr(result, "suppressed", ())]
    for f, sup in sorted(rows, key=lambda x: x[0].sort_key()):
        if current is not None and f.file != current:
            lines.append("")
        current = f.file
        line = location_line(f, color)
        if sup is not None:
            why = f": {sup['reason']}" if sup.get("reason") else ""
            line += f" [suppressed{why}]"
            if color:
                line = f"{_DIM}{line}{_RESET}"
        lines.append(line)
        if show_fixes and f.fix:
            lines.append(f"    fix: {' '.join(f.fix.splitlines())}")
    if quiet:
        return "\n".join(lines) + "\n" if lines else ""
    if lines:
        lines.append("")
    lines.append(summary(result))
    return "\n".join(lines) + "\n"

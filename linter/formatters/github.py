"""GitHub Actions workflow commands: one annotation per finding, shown on the pull request diff.

``::error file=F,line=L,col=C,endLine=EL,endColumn=EC,title=CODE::message``; severity maps to
``error`` (critical, high), ``warning`` (medium) or ``notice`` (low, info)."""

from __future__ import annotations

from .escape import visible

COMMAND = {"critical": "error", "high": "error", "medium": "warning", "low": "notice",
           "info": "notice"}


def _v(s: str) -> str:
    return visible(s, keep="\r\n")  # newlines are encoded by _data; other controls made visible


def _data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(s: str) -> str:
    return _data(s).replace(":", "%3A").replace(",", "%2C")


def repo_path(file: str) -> str:
    """GitHub wants paths relative to the repository (the working directory): no ``./``."""
    import os
    if os.path.isabs(file):
        try:
            rel = os.path.relpath(file)
        except ValueError:  # another drive
            rel = file
        if not rel.startswith(".."):
            file = rel
    while file.startswith("./"):
        file = file[2:].lstrip("/")
    return file


def render(result, *, quiet: bool = False) -> str:
    lines = []
    for f in result.findings:
        props = []
        if f.file:
            props.append(f"file={_prop(_v(repo_path(f.file)))}")
        props += [f"line={f.line}", f"col={f.column}"]
        if f.end_line >= f.line:
            props.append(f"endLine={f.end_line}")
            if f.end_line > f.line or f.end_column > f.column:
                props.append(f"endColumn={f.end_column}")
        props.append(f"title={_prop(_v(f.rule))}")
        res = f" ({_v(f.resource)})" if f.resource else ""
        fix = f"\nFix: {_v(f.fix)}" if f.fix else ""
        sev = f" [{_v(f.severity)}, {_v(f.name)}]"
        lines.append(f"::{COMMAND.get(f.severity, 'warning')} {','.join(props)}::"
                     f"{_data(_v(f.message) + res + sev + fix)}")
    if quiet:
        return "\n".join(lines) + "\n" if lines else ""
    n = len(result.findings)
    checked = sum(1 for r in result.files if r.status == "checked")
    lines.append(f"slint: {n} finding{'s' if n != 1 else ''} in {checked} "
                 f"template{'s' if checked != 1 else ''}")
    return "\n".join(lines) + "\n"

"""Code actions as text edits: suppress a finding (inline comment, or the resource's
``Metadata``), each with a reason placeholder the user must replace. Pure functions of the
document text and a diagnostic; nothing here knows a rule.

Edits are only offered where they are safe: never inside a multi-line scalar (a `#` there is
text), never for JSON (which has no comments; ``Metadata`` edits to JSON are not offered
either), never into flow-style mappings.
"""

from __future__ import annotations

REASON = "TODO: say why this is acceptable"


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" "))]


def _is_json(uri: str, text: str) -> bool:
    return uri.lower().endswith(".json") or text.lstrip().startswith("{")


def _multiline_scalar_lines(text: str) -> set[int]:
    """1-based lines that lie inside a scalar spanning several lines (a block scalar or a
    folded quoted string): a comment cannot go there."""
    import yaml
    out: set[int] = set()
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        for tok in yaml.scan(text, Loader=loader):
            if isinstance(tok, yaml.ScalarToken) and tok.end_mark.line > tok.start_mark.line:
                out.update(range(tok.start_mark.line + 2, tok.end_mark.line + 2))
    except yaml.YAMLError:
        return set(range(1, text.count("\n") + 3))  # unsure: offer nothing
    return out


def _insert(line0: int, text: str) -> dict:
    pos = {"line": line0, "character": 0}
    return {"range": {"start": pos, "end": pos}, "newText": text}


def inline_suppression(uri: str, text: str, diag: dict) -> dict | None:
    """``# slint: ignore[CODE] reason`` on its own line above the finding's line."""
    if _is_json(uri, text):
        return None
    line0 = diag["range"]["start"]["line"]
    lines = text.split("\n")
    if line0 >= len(lines):
        return None
    if (line0 + 1) in _multiline_scalar_lines(text):
        return None
    code = diag["code"]
    edit = _insert(line0, f"{_indent(lines[line0])}# slint: ignore[{code}] {REASON}\n")
    return {"title": f"Suppress {code} on this line (slint: ignore comment)",
            "kind": "quickfix", "diagnostics": [diag], "edit": {"changes": {uri: [edit]}}}


def metadata_suppression(uri: str, text: str, diag: dict) -> dict | None:
    """An entry ``{rule: CODE, reason: ...}`` in the resource's ``Metadata: slint: ignore``."""
    data = diag.get("data") or {}
    lid = data.get("resource")
    if not lid or _is_json(uri, text):
        return None
    from ..loader import load_text
    loaded = load_text(text, uri)
    doc = loaded.document
    if doc is None or not isinstance(doc.data, dict):
        return None
    res = doc.data.get("Resources")
    if not isinstance(res, dict) or not isinstance(res.get(lid), dict):
        return None  # e.g. a finding on a SAM-generated resource with no body of its own
    body = res[lid]
    src = doc.source
    lines = text.split("\n")
    code = diag["code"]
    entry = f"{{rule: {code}, reason: \"{REASON}\"}}"

    def key_line(path: tuple) -> int | None:
        span = src.keys.get(path)
        return span[0] if span else None

    meta = body.get("Metadata")
    base = ("Resources", lid)
    if meta is None:
        first_key = next(iter(body), None)
        ln = key_line(base + (first_key,)) if first_key is not None else None
        rl = key_line(base)
        if ln is None or rl is None or ln == rl:
            return None  # a flow mapping on one line
        ind = _indent(lines[ln - 1])
        new = (f"{ind}Metadata:\n{ind}  slint:\n{ind}    ignore:\n{ind}      - {entry}\n")
        edit = _insert(ln - 1, new)
    elif isinstance(meta, dict):
        slint = meta.get("slint")
        if slint is None:
            first = next(iter(meta), None)
            ln = key_line(base + ("Metadata", first)) if first is not None else None
            if ln is None or ln == key_line(base + ("Metadata",)):
                return None
            ind = _indent(lines[ln - 1])
            edit = _insert(ln - 1, f"{ind}slint:\n{ind}  ignore:\n{ind}    - {entry}\n")
        elif isinstance(slint, dict) and isinstance(slint.get("ignore"), list) and slint["ignore"]:
            ipath = base + ("Metadata", "slint", "ignore")
            first = src.values.get(ipath + (0,))
            last = src.values.get(ipath + (len(slint["ignore"]) - 1,))
            if not first or not last or first[0] == key_line(ipath):
                return None  # flow sequence
            item_line = lines[first[0] - 1]
            dash = item_line.find("-")
            if dash < 0 or item_line[:dash].strip():
                return None
            # after the last item: a block item's span ends where the next token starts, so
            # when only indentation precedes its end, the item ended on an earlier line
            end_line, end_col = last[2], last[3]
            before_end = lines[end_line - 1][: end_col - 1] if end_line <= len(lines) else ""
            after = end_line - 1 if not before_end.strip() else end_line
            edit = _insert(after, f"{item_line[:dash]}- {entry}\n")
        else:
            return None
    else:
        return None
    return {"title": f"Suppress {code} for {lid} (resource Metadata)", "kind": "quickfix",
            "diagnostics": [diag], "edit": {"changes": {uri: [edit]}}}


def code_actions(uri: str, text: str, diags: list[dict]) -> list[dict]:
    out = []
    for d in diags:
        if d.get("source") != "slint" or str(d.get("code", "")).startswith(("SUP", "INT", "SYN")):
            continue
        for make in (inline_suppression, metadata_suppression):
            a = make(uri, text, d)
            if a is not None:
                out.append(a)
    return out

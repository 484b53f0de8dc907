#!/usr/bin/env python3
"""Generate the rule docs from the rules' docstrings.

    python scripts/gen_docs.py           # write docs/rules/CODE.md, README's rule table, the
                                         # cfn-lint id table in docs/cfn-lint.md
    python scripts/gen_docs.py --check   # exit 1 (and name the files) if any of them drifted

Writes:

- ``docs/rules/CODE.md``: exactly what ``slint explain CODE`` prints (both come from
  ``slint.rules_meta.rule_doc``); pages of codes that no longer exist are removed;
- the README's rule table, between ``<!-- rules:start -->`` and ``<!-- rules:end -->``;
- the slint code -> cfn-lint id table in ``docs/cfn-lint.md``, between ``<!-- idmap:start -->``
  and ``<!-- idmap:end -->``.

Output depends only on the rule classes: sorted by code, no dates.
"""

from __future__ import annotations

import argparse
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
RULE_DOCS = ROOT / "docs" / "rules"
README = ROOT / "README.md"
CFNLINT_DOC = ROOT / "docs" / "cfn-lint.md"


MAX_SUMMARY = 200


def summary(rule) -> str:
    """The first sentence of the rule's "What it does" section (up to a list or a blank line),
    on one line, shortened to ``MAX_SUMMARY`` characters at a word boundary."""
    from slint.rules_meta import doc_section
    body = re.split(r"\n\s*\n|\n\s*(?:[-*]|[0-9]+\.)\s", doc_section(rule, "What it does"),
                    maxsplit=1)[0]
    para = " ".join(body.split())
    s = re.match(r"(.+?[.!?])(?:\s|$)", para)
    text = (s.group(1) if s else para) or rule.name
    if text.endswith(":"):          # the sentence introduces a list we left out
        text = text[:-1].rstrip() + "…"
    return _shorten(text, MAX_SUMMARY)


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    if cut.count("`") % 2:          # never leave a code span open
        cut = cut[: cut.rfind("`")].rstrip()
    return cut.rstrip(",;:") + "…"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def rules_table(rules) -> str:
    lines = ["| Code | Name | Category | Severity | What it flags |",
             "|---|---|---|---|---|"]
    for r in rules:
        sev = r.severity.value + ("" if r.enabled_by_default else " (opt-in)")
        lines.append(f"| [{r.code}](docs/rules/{r.code}.md) | `{r.name}` | {r.category.value} | "
                     f"{sev} | {_cell(summary(r))} |")
    return "\n".join(lines) + "\n"


def idmap_table(rules) -> str:
    from slint.cfnlint_plugin._idmap import id_table
    lines = ["| slint code | cfn-lint id | name | default severity |", "|---|---|---|---|"]
    for code, cid, name, sev in id_table(rules):
        lines.append(f"| [{code}](rules/{code}.md) | `{cid}` | `{name}` | {sev} |")
    return "\n".join(lines) + "\n"


def replace_between(text: str, marker: str, body: str, where: pathlib.Path) -> str:
    start, end = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
    i, j = text.find(start), text.find(end)
    if i < 0 or j < i:
        raise SystemExit(f"error: {where.relative_to(ROOT)} has no {start} ... {end} markers")
    return text[: i + len(start)] + "\n" + body + text[j:]


def expected(rules) -> dict[pathlib.Path, str | None]:
    """Every generated file -> its content (None: the file must not exist)."""
    from slint.rules_meta import rule_doc
    out: dict[pathlib.Path, str | None] = {}
    for r in rules:
        out[RULE_DOCS / f"{r.code}.md"] = rule_doc(r)
    codes = {r.code for r in rules}
    if RULE_DOCS.is_dir():
        for p in sorted(RULE_DOCS.glob("*.md")):
            if re.fullmatch(r"[A-Z]{2,5}[0-9]{3}", p.stem) and p.stem not in codes:
                out[p] = None
    out[README] = replace_between(README.read_text(encoding="utf-8"), "rules",
                                  rules_table(rules), README)
    if CFNLINT_DOC.exists():
        out[CFNLINT_DOC] = replace_between(CFNLINT_DOC.read_text(encoding="utf-8"), "idmap",
                                           idmap_table(rules), CFNLINT_DOC)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="report drift, write nothing")
    args = ap.parse_args(argv)
    from slint.rules import all_rules
    rules = sorted(all_rules(), key=lambda r: r.code)
    drift = []
    for path, content in expected(rules).items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == content:
            continue
        drift.append(path)
        if args.check:
            continue
        if content is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
    rel = [str(p.relative_to(ROOT)) for p in drift]
    if args.check:
        if drift:
            print("rule docs are out of date; run `python scripts/gen_docs.py`:\n  "
                  + "\n  ".join(rel), file=sys.stderr)
            return 1
        return 0
    print(f"updated {len(rel)} file(s)" + (": " + ", ".join(rel) if rel else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Rule metadata helpers shared by the CLI, the docs generator, the SARIF metadata and the
cfn-lint plugin (no rule logic)."""

from __future__ import annotations

import difflib
import inspect
import re


def _all():
    """Registry rows (code, name, ...): no rule module is imported for them."""
    from slint.rules import entries
    return entries()


def known_codes() -> list[str]:
    return [r.code for r in _all()]


def suggest(word: str) -> str | None:
    names = known_codes() + [r.name for r in _all()]
    m = difflib.get_close_matches(word.upper(), names, n=1) or difflib.get_close_matches(word.lower(), names, n=1)
    return m[0] if m else None


_CFN_PATTERN = re.compile(r"CFN(?:[EWI][0-9]{0,4})?")
_PREFIXES: dict[tuple[str, ...], frozenset[str]] = {}


def _prefixes(codes: list[str]) -> frozenset[str]:
    """Every prefix of every code (so ``known_pattern`` is one set lookup, not a scan)."""
    key = tuple(codes)
    got = _PREFIXES.get(key)
    if got is None:
        got = _PREFIXES[key] = frozenset(c[:i] for c in codes for i in range(len(c) + 1))
    return got


def known_pattern(pattern: str, codes: list[str]) -> bool:
    """A select/ignore entry (upper case) that means something: ``ALL``, one of ``codes`` or a
    prefix of one, or a cfn-lint id pattern (``CFN``, ``CFNW``, ``CFNE3012``: findings of
    ``--with-cfn-lint``, slint.cfnlint_bridge)."""
    return (pattern == "ALL" or pattern in _prefixes(codes)
            or _CFN_PATTERN.fullmatch(pattern) is not None)


MAX_SUGGESTIONS = 20  # "did you mean" is a difflib scan of every code and name: the first 20 only


def unknown_codes(patterns: list[str]) -> list[str]:
    """Messages for --select/--ignore entries that ``known_pattern`` rejects: one per entry for
    the first ``MAX_SUGGESTIONS``, then one saying how many more."""
    codes = known_codes()
    out = []
    bad = [p for p in patterns if not known_pattern(p, codes)]
    for p in bad[:MAX_SUGGESTIONS]:
        hint = suggest(p)
        out.append(f"unknown rule code {p[:100]!r}" + (f" (did you mean {hint}?)" if hint else ""))
    if len(bad) > MAX_SUGGESTIONS:
        more = len(bad) - MAX_SUGGESTIONS
        out.append(f"and {more} more unknown rule code{'s' if more != 1 else ''}")
    return out


def doc_section(rule, name: str) -> str:
    """The text of section ``## name`` of a rule's docstring, stripped ("" when it has none)."""
    doc = inspect.cleandoc(rule.__doc__ or "")
    m = re.search(r"^## " + re.escape(name) + r"\s*\n(.*?)(?=^## |\Z)", doc, re.M | re.S)
    return m.group(1).strip() if m else ""


def rule_doc(rule) -> str:
    head = (f"# {rule.code} {rule.name}\n\nCategory: {rule.category.value} · default severity: "
            f"{rule.severity.value}" + ("" if rule.enabled_by_default else " · opt-in (off by default)"))
    if rule.options:
        head += "\nOptions: " + ", ".join(f"`{k}` (default {v!r})" for k, v in rule.options.items())
    return head + "\n\n" + inspect.cleandoc(rule.__doc__ or "") + "\n"

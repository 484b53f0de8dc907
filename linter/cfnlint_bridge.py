"""`slint check --with-cfn-lint`: cfn-lint's own checks, merged into slint's report.

cfn-lint is imported here, inside ``run_cfnlint``, and nowhere else on the ``slint check``
path, so a plain check never loads it.

Mapping of a cfn-lint match to a slint finding:

- rule: ``CFN`` + the cfn-lint id (``E3012`` -> ``CFNE3012``; it fits the JSON schema's rule
  pattern, and it is the id users already know from cfn-lint's docs);
- name: cfn-lint's short description in kebab case (``resource-properties-are-invalid``);
- category: ``SYNTAX`` (cfn-lint checks that a template is valid CloudFormation);
- severity: from cfn-lint's level letter: ``E`` -> high, ``W`` -> low, ``I`` -> info;
- position, message and path: cfn-lint's; resource: the logical id when the path is under
  ``Resources`` (after the SAM transform, so it may be a generated resource).

cfn-lint reads its own configuration (``.cfnlintrc``: regions, ``ignore_checks``, ...) and
honours its own ``Metadata: cfn-lint`` directives; slint's ``--ignore`` / per-path ignores and
``--severity`` also apply to these findings. Only files that slint checked as templates are
given to cfn-lint; files slint could not parse already carry a SYN001 finding.
"""

from __future__ import annotations

import os
import re

from .findings import Category, Finding, Severity

PREFIX = "CFN"
LEVELS = {"E": Severity.HIGH, "W": Severity.LOW, "I": Severity.INFO}


# code -> rule metadata of the cfn-lint rules seen in this process (for SARIF's rule table)
_SEEN_RULES: dict[str, dict] = {}


class BridgeError(Exception):
    """cfn-lint is missing or failed; the message says which."""


def rule_code(cfnlint_id: str) -> str:
    return PREFIX + cfnlint_id


def is_bridge_code(pattern: str) -> bool:
    """``CFN``, ``CFNW``, ``CFNE3012``: a select/ignore pattern aimed at cfn-lint findings."""
    return pattern.upper().startswith(PREFIX)


def rule_name(shortdesc: str | None, cfnlint_id: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", (shortdesc or "").lower()).strip("-")
    return slug or f"cfn-lint-{cfnlint_id.lower()}"


def _norm(path: str) -> str:
    return os.path.normcase(os.path.normpath(os.path.abspath(path)))


def run_cfnlint(files: list[str]) -> dict[str, list[Finding]]:
    """cfn-lint's findings per file (keys as given in ``files``), in one cfn-lint run. If
    cfn-lint crashes, the files are split until the template that crashes it is alone; it gets
    one ``CFNE0002`` finding (cfn-lint's own id for a failed check) instead of its matches."""
    if not files:
        return {}
    try:
        import logging

        from cfnlint.api import lint_by_config
        from cfnlint.config import ManualArgs
    except ImportError as exc:
        raise BridgeError(f"--with-cfn-lint needs cfn-lint (python -m pip install cfn-lint): "
                          f"{exc}") from None
    # cfn-lint logs through the "cfnlint" logger (e.g. nested stack templates it cannot find);
    # its CLI configures that, the API does not: keep it out of slint's output
    log = logging.getLogger("cfnlint")
    if not log.handlers:
        log.addHandler(logging.NullHandler())

    def lint(batch: list[str]):
        return lint_by_config(ManualArgs(templates=list(batch)))

    out: dict[str, list[Finding]] = {f: [] for f in files}
    batches: list[tuple[list[str], list]] = []

    def isolate(batch: list[str]) -> None:
        """cfn-lint raises on some templates: halve the batch until the culprit is alone
        (each cfn-lint run costs about a second of set-up, so not one run per file)."""
        try:
            batches.append((batch, lint(batch)))
        except (Exception, SystemExit) as exc:
            if len(batch) == 1:
                out[batch[0]].append(_crash(batch[0], exc))
                return
            mid = len(batch) // 2
            isolate(batch[:mid])
            isolate(batch[mid:])

    isolate(list(files))
    for batch, matches in batches:
        by_norm = {_norm(f): f for f in batch}
        for m in matches:
            if getattr(m.rule, "slint_code", None):  # slint's own rules loaded by a .cfnlintrc
                continue
            file = by_norm.get(_norm(m.filename)) if m.filename else None
            if file is None:   # a template that .cfnlintrc added on its own
                continue
            out[file].append(to_finding(m, file))
    return out


def _crash(file: str, exc: BaseException) -> Finding:
    return Finding(rule=rule_code("E0002"), name="cfn-lint-failed", category=Category.SYNTAX.value,
                   severity=LEVELS["E"].value,
                   message=f"cfn-lint failed on this template: {type(exc).__name__}: {exc}",
                   file=file, line=1, column=1, end_line=1, end_column=1, resource=None, path=[],
                   fix="Report it to cfn-lint, or run slint without --with-cfn-lint for this file")


def rules_metadata() -> dict[str, dict]:
    """Metadata of the cfn-lint rules that produced findings in this process, in the shape of
    ``checkcmd.rules_metadata`` (name, category, severity, short, full, help, help_uri, fix),
    so that SARIF can describe ``CFN...`` rules too."""
    return {code: dict(meta) for code, meta in sorted(_SEEN_RULES.items())}


def _remember(rule, code: str, name: str, severity: str) -> None:
    if code in _SEEN_RULES:
        return
    short = str(getattr(rule, "shortdesc", "") or name)
    full = str(getattr(rule, "description", "") or short)
    _SEEN_RULES[code] = {"name": name, "category": Category.SYNTAX.value, "severity": severity,
                         "short": short, "full": full, "help": f"cfn-lint {rule.id}: {full}",
                         "help_uri": str(getattr(rule, "source_url", "") or
                                         "https://github.com/aws-cloudformation/cfn-lint"),
                         "fix": None, "enabled": True}


def to_finding(m, file: str) -> Finding:
    rid = str(m.rule.id)
    path = [p if isinstance(p, (str, int)) else str(p) for p in (getattr(m, "path", None) or [])]
    resource = path[1] if len(path) > 1 and path[0] == "Resources" and isinstance(path[1], str) else None
    line, col = max(1, int(m.linenumber or 1)), max(1, int(m.columnnumber or 1))
    end_line = max(line, int(m.linenumberend or line))
    end_col = max(1, int(m.columnnumberend or col))
    code, name = rule_code(rid), rule_name(getattr(m.rule, "shortdesc", ""), rid)
    severity = LEVELS.get(rid[:1].upper(), Severity.MEDIUM).value
    _remember(m.rule, code, name, severity)
    return Finding(rule=code, name=name, category=Category.SYNTAX.value, severity=severity,
                   message=str(m.message).strip() or rid, file=file, line=line, column=col,
                   end_line=end_line, end_column=end_col, resource=resource, path=path, fix=None)


def _kept(f: Finding, config) -> bool:
    if config is None:
        return True
    ignored = list(config.ignore) + config.path_ignores(f.file)
    if any(p and f.rule.startswith(p.upper()) for p in ignored):
        return False
    floor = getattr(config, "min_severity", None)
    return floor is None or Severity(f.severity).rank >= floor.rank


def merge_cfnlint(result, config=None):
    """Add cfn-lint's findings to an engine ``RunResult`` (in place) and return it."""
    files = [fr.file for fr in result.files if fr.status == "checked"]
    found = run_cfnlint(files)
    by_file = {fr.file: fr for fr in result.files}
    added = []
    for file in files:
        extra = [f for f in found.get(file, []) if _kept(f, config)]
        if extra:
            fr = by_file[file]
            fr.findings.extend(extra)
            fr.findings.sort(key=Finding.sort_key)
            added.extend(extra)
    if added:
        result.findings.extend(added)
        result.findings.sort(key=Finding.sort_key)
    return result

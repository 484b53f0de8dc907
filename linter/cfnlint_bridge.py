"""`slint check --with-cfn-lint`: cfn-lint's own checks, merged into slint's report.

cfn-lint is imported only in its own process (``slint.cfnlint_worker``, started by
``run_cfnlint``), never in slint's, so a plain check never loads it.

Mapping of a cfn-lint match to a slint finding:

- rule: ``CFN`` + the cfn-lint id (``E3012`` -> ``CFNE3012``; it fits the JSON schema's rule
  pattern, and it is the id users already know from cfn-lint's docs);
- name: cfn-lint's short description in kebab case (``resource-properties-are-invalid``);
- category: ``SYNTAX`` (cfn-lint checks that a template is valid CloudFormation);
- severity: from cfn-lint's level letter: ``E`` -> high, ``W`` -> low, ``I`` -> info;
- position, message and path: cfn-lint's; resource: the logical id when the path is under
  ``Resources`` (after the SAM transform, so it may be a generated resource).

cfn-lint runs in a bounded child process (``cfnlint_worker``: time budget per file, memory
cap; INT003 when stopped). It reads only the configuration file given with
``--cfn-lint-config`` or none at all: never a ``.cfnlintrc`` of the working directory (the
scanned repository's: it could make cfn-lint import that repository's Python files) or of the
home directory. It honours its own ``Metadata: cfn-lint`` directives; slint's ``--ignore`` / per-path ignores and
``--severity`` also apply to these findings. Only files that slint checked as templates are
given to cfn-lint; files slint could not parse already carry a SYN001 finding.
"""

from __future__ import annotations

import os
import re
import sys

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


DEFAULT_TIMEOUT = 30.0      # seconds of cfn-lint per file
DEFAULT_MEMORY_MB = 1024    # address space of the cfn-lint process
STARTUP_TIMEOUT = 120.0     # importing cfn-lint and loading its rules, once per process
# the command that runs the worker (tests replace it to simulate a crash or a hang)
WORKER = [sys.executable, "-m", "slint.cfnlint_worker"]


def run_cfnlint(files: list[str], *, timeout: float = DEFAULT_TIMEOUT,
                memory_mb: int = DEFAULT_MEMORY_MB,
                config_file: str | None = None) -> dict[str, list[Finding]]:
    """cfn-lint's findings per file (keys as given in ``files``).

    cfn-lint runs in a child process (``slint.cfnlint_worker``): its own process group, an
    address-space limit of ``memory_mb``, at most ``timeout`` seconds per file. A file that
    goes past either bound gets one INT003 finding and the process is killed; the next files go
    to a fresh process. A file cfn-lint raises on gets one ``CFNE0002`` finding (cfn-lint's own
    id for a failed check). cfn-lint reads only ``config_file`` (the user's, given on slint's
    command line) or an empty configuration: never a ``.cfnlintrc`` of the working directory
    or the home directory. Raises ``BridgeError`` if cfn-lint cannot run at all."""
    import importlib.util
    if importlib.util.find_spec("cfnlint") is None:  # an optional extra: say which
        from .cfnlint_worker import MISSING
        raise BridgeError(MISSING)
    out: dict[str, list[Finding]] = {f: [] for f in files}
    todo = list(files)
    while todo:
        n = _run_worker(todo, out, timeout, memory_mb, config_file or os.devnull)
        todo = todo[n:]
    return out


def _limits(memory_mb: int):
    def apply() -> None:  # in the child, before exec
        try:
            import resource
            cap = int(memory_mb) * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        except (ImportError, ValueError, OSError):  # pragma: no cover - no RLIMIT_AS here
            pass
    return apply if memory_mb and memory_mb > 0 and os.name == "posix" else None


def _kill(proc) -> None:
    import signal
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (OSError, AttributeError):
            proc.kill()
    try:
        proc.wait(timeout=10)
    except Exception:  # pragma: no cover
        pass


def _run_worker(files: list[str], out: dict, timeout: float, memory_mb: int,
                config_file: str) -> int:
    """One cfn-lint process over ``files``, until it finishes or is stopped; returns how many
    of ``files`` (from the start) are settled."""
    import json
    import selectors
    import subprocess
    import time

    proc = subprocess.Popen(WORKER, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, start_new_session=True,
                            preexec_fn=_limits(memory_mb))
    settled, current, ready = 0, None, False
    try:
        try:
            proc.stdin.write(json.dumps({"files": files, "config": config_file}).encode())
            proc.stdin.close()
        except OSError:
            pass
        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ)
        fd = proc.stdout.fileno()
        buf = b""
        deadline = time.monotonic() + max(STARTUP_TIMEOUT, timeout)
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not sel.select(left):  # over the budget
                _kill(proc)
                if current is None and not ready:
                    raise BridgeError(f"cfn-lint did not start within "
                                      f"{max(STARTUP_TIMEOUT, timeout):g} seconds")
                i = current if current is not None else settled
                out[files[i]].append(_stopped(files[i], f"ran past its time budget of "
                                                        f"{timeout:g} seconds"))
                return i + 1
            chunk = os.read(fd, 1 << 16)
            if not chunk:  # the process ended
                status = proc.wait()
                if current is not None or (ready and settled < len(files)):
                    i = current if current is not None else settled
                    why = (f"was killed by signal {-status}" if status < 0
                           else f"ended with status {status}")
                    out[files[i]].append(_stopped(
                        files[i], f"{why} (memory cap {memory_mb} MB)"))
                    return i + 1
                if not ready:
                    raise BridgeError(f"cfn-lint could not start (status {status}; memory cap "
                                      f"{memory_mb} MB, see --cfn-lint-memory)")
                return settled
            buf += chunk
            *lines, buf = buf.split(b"\n")
            for line in lines:
                ev = json.loads(line)
                if "error" in ev:
                    raise BridgeError(ev["error"])
                if "ready" in ev:
                    ready = True
                elif "start" in ev:
                    current = ev["start"]
                    deadline = time.monotonic() + timeout
                elif "memory" in ev:
                    i = ev["memory"]
                    out[files[i]].append(_stopped(files[i], f"hit its memory cap of "
                                                            f"{memory_mb} MB"))
                    _kill(proc)
                    return i + 1
                elif "done" in ev:
                    i = ev["done"]
                    _settle(files[i], ev, out)
                    current, settled = None, i + 1
                    deadline = time.monotonic() + max(STARTUP_TIMEOUT, timeout)
    finally:
        _kill(proc)
        proc.stdout.close()


def _settle(file: str, ev: dict, out: dict) -> None:
    if "crash" in ev:
        out[file].append(_crash(file, ev["crash"]))
        return
    import types
    for d in ev.get("matches", ()):
        if d.get("slint"):  # slint's own rules loaded by a cfn-lint config
            continue
        if d.get("filename") and _norm(d["filename"]) != _norm(file):
            continue  # a template the cfn-lint config added on its own
        rule = types.SimpleNamespace(id=d["id"], shortdesc=d["shortdesc"],
                                     description=d["description"], source_url=d["source_url"])
        m = types.SimpleNamespace(rule=rule, **{k: d.get(k) for k in (
            "linenumber", "columnnumber", "linenumberend", "columnnumberend", "message",
            "filename", "path")})
        out[file].append(to_finding(m, file))


def _stopped(file: str, why: str) -> Finding:
    return Finding(rule="INT003", name="cfn-lint-stopped", category=Category.INTERNAL.value,
                   severity=Severity.MEDIUM.value,
                   message=f"cfn-lint was stopped on this template: it {why}; cfn-lint's "
                           "findings for it are missing (slint's own are complete)",
                   file=file, line=1, column=1, end_line=1, end_column=1, resource=None, path=[],
                   fix="Raise --cfn-lint-timeout / --cfn-lint-memory, or split the template")


def _crash(file: str, what: str) -> Finding:
    return Finding(rule=rule_code("E0002"), name="cfn-lint-failed", category=Category.SYNTAX.value,
                   severity=LEVELS["E"].value,
                   message=f"cfn-lint failed on this template: {what}",
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


def merge_cfnlint(result, config=None, *, config_file: str | None = None):
    """Add cfn-lint's findings to an engine ``RunResult`` (in place) and return it. Only files
    slint checked as templates go to cfn-lint (not the ones it refused: unparsable, too big,
    not templates); bounds from ``config.cfn_lint_timeout`` / ``cfn_lint_memory``."""
    files = [fr.file for fr in result.files if fr.status == "checked"]
    found = run_cfnlint(files, timeout=getattr(config, "cfn_lint_timeout", DEFAULT_TIMEOUT),
                        memory_mb=getattr(config, "cfn_lint_memory", DEFAULT_MEMORY_MB),
                        config_file=config_file)
    override = getattr(config, "severity_overrides", {}).get("INT003") if config else None
    if override is not None:
        for fs in found.values():
            for f in fs:
                if f.rule == "INT003":
                    f.severity = getattr(override, "value", override)
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

"""Run slint on mutants in bounded subprocesses and check what comes out.

One slint process checks a whole batch (``-j 1``, one format); a failure that names its file
(an INT finding in JSON/SARIF output) is attributed directly, any other failure (traceback,
timeout, crash, malformed output) is narrowed down to one file by bisection. Each failure gets a
signature (exception type and last frame, or the INT code and exception) so that repeats of one
bug count once."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

FORMATS = ("text", "json", "sarif", "junit", "github")
MEMORY_LIMIT = 3 << 29          # 1.5 GiB of address space per slint process
TIME_LIMIT = 20.0               # seconds per file
ROOT = Path(__file__).resolve().parents[2]

SEVERITIES = "critical|high|medium|low|info"
# control characters (C0 but tab, DEL, C1) and Unicode line separators: never in a line
CONTROL = "\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029"
TEXT_FINDING = re.compile(rf"^[^\t{CONTROL}]+:\d+:\d+: [A-Z][A-Z0-9]*\d \[({SEVERITIES})\] [^{CONTROL}]*$")
TEXT_SUMMARY = re.compile(r"^\d+ findings? in \d+ templates?(, \d+ unreadable)?"
                          r"(, \d+ files? skipped \(not templates\))?( \(\d+ \w+(, \d+ \w+)*\))?$")
# after the summary, when something could not be evaluated (a definition not read...)
TEXT_UNKNOWNS = re.compile(rf"^\d+ not evaluated: [^{CONTROL}]+ \(\d+\)"
                           r"; the JSON output lists them \(files\[\]\.unknowns\)$")
GITHUB_LINE = re.compile(rf"^::(error|warning|notice) (file=[^,:{CONTROL}]*,)?line=\d+,col=\d+"
                         rf"(,endLine=\d+)?(,endColumn=\d+)?,title=[A-Z][A-Z0-9]*\d::[^{CONTROL}]*$")
GITHUB_SUMMARY = re.compile(r"^slint: \d+ findings? in \d+ templates?$")
TRACEBACK = "Traceback (most recent call last)"
FRAME = re.compile(r'File "([^"]+)", line \d+, in (\S+)')
INT_MSG = re.compile(r"(?:rule (\w+) .*?failed.*?|slint failed on this file): (\w+(?:\.\w+)*): .* at ([\w.]+):\d+$",
                     re.S)


class BadOutput(Exception):
    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


@dataclass
class Failure:
    kind: str                  # traceback | timeout | crash | exit | silent-exit | output | internal
    signature: str
    detail: str
    fmt: str
    file: str | None = None    # the mutant's file name, when known


@dataclass
class Run:
    rc: int | None
    stdout: str
    stderr: str
    seconds: float
    timed_out: bool = False


def _limits() -> None:  # pragma: no cover - runs in the child
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def run_slint(args: list[str], cwd: str, timeout: float) -> Run:
    cmd = [sys.executable, "-m", "slint", "check", *args, "--no-cache", "--no-config", "-j", "1",
           "--no-progress"]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLINT_", "PYTHONWARN"))}
    env["PYTHONIOENCODING"] = "utf-8"   # the output is checked as UTF-8, whatever the locale
    env.pop("NO_COLOR", None)
    t0 = time.monotonic()
    try:
        p = subprocess.run(cmd, cwd=cwd, capture_output=True, timeout=timeout, preexec_fn=_limits,
                           env=env)
    except subprocess.TimeoutExpired as exc:
        return Run(None, _text(exc.stdout), _text(exc.stderr), time.monotonic() - t0, True)
    return Run(p.returncode, _text(p.stdout), _text(p.stderr), time.monotonic() - t0)


def _text(b: bytes | None) -> str:
    return (b or b"").decode("utf-8", "backslashreplace")


def command(files: list[str], fmt: str) -> list[str]:
    return [*files, "-f", fmt]


# --------------------------------------------------------------------------- checks


def traceback_signature(stderr: str) -> str:
    frames = FRAME.findall(stderr)
    last = stderr.strip().splitlines()[-1] if stderr.strip() else "?"
    exc = last.split(":", 1)[0].strip()
    where = f"{os.path.basename(frames[-1][0])}:{frames[-1][1]}" if frames else "?"
    return f"traceback:{exc}@{where}"


def check_run(run: Run, fmt: str, files: list[str]) -> list[Failure]:
    """Everything wrong with one slint run over ``files``."""
    out: list[Failure] = []
    one = files[0] if len(files) == 1 else None
    if run.timed_out:
        return [Failure("timeout", "timeout", f"no answer in {run.seconds:.0f} s", fmt, one)]
    if TRACEBACK in run.stderr:
        return [Failure("traceback", traceback_signature(run.stderr), run.stderr[-3000:], fmt, one)]
    if run.rc is None or run.rc < 0:
        return [Failure("crash", f"signal:{-(run.rc or 0)}", run.stderr[-3000:], fmt, one)]
    if run.rc not in (0, 1, 2):
        return [Failure("exit", f"exit:{run.rc}", run.stderr[-3000:], fmt, one)]
    if run.rc == 2 and run.stderr.strip() and not run.stdout:
        return out   # an error before any report, and stderr says which
    if run.rc == 2 and not run.stderr.strip() and not _nothing_checked(run.stdout, fmt):
        # exit 2 without a word on stderr is accepted only for a report that checked no
        # template (it says so itself: "0 templates, N skipped")
        out.append(Failure("silent-exit", "exit2-without-reason", run.stdout[-2000:], fmt, one))
    if run.rc == 2 and not run.stdout:
        return out
    try:
        out.extend(_check_format(run.stdout, fmt, one))
    except BadOutput as exc:
        out.append(Failure("output", f"output:{fmt}:{exc.reason}", f"{exc}\n{run.stdout[-2000:]}",
                           fmt, one))
    except Exception as exc:  # noqa: BLE001 - any parse error is the finding
        out.append(Failure("output", f"output:{fmt}:{type(exc).__name__}", f"{exc}\n{run.stdout[-2000:]}",
                           fmt, one))
    return out


def _after(previous: list[str]) -> str:
    """Where the broken line starts: the file of the last line that began a finding."""
    for line in reversed(previous[-50:]):
        m = re.match(r"^::\w+ file=([^,]+),|^([^:\s]+):\d+:\d+: ", line)
        if m:
            return f" (after a finding in {m.group(1) or m.group(2)})"
    return ""


def _nothing_checked(stdout: str, fmt: str) -> bool:
    try:
        if fmt == "json":
            return json.loads(stdout)["summary"]["files_checked"] == 0
        if fmt == "sarif":
            return not json.loads(stdout)["runs"][0]["results"]
        if fmt == "junit":
            return ET.fromstring(stdout.encode("utf-8")).get("tests") == "0"
        return bool(re.search(r" in 0 templates", stdout.rstrip("\n").rsplit("\n", 1)[-1]))
    except Exception:  # noqa: BLE001 - malformed: reported by the format check
        return False


def _internal(rule: str, message: str, file: str | None, fmt: str) -> Failure:
    m = INT_MSG.search(message or "")
    sig = f"internal:{rule}:{m.group(1) or 'file'}:{m.group(2)}@{m.group(3)}" if m else f"internal:{rule}"
    return Failure("internal", sig, message, fmt, os.path.basename(file) if file else None)


def _check_format(stdout: str, fmt: str, one: str | None) -> list[Failure]:
    out: list[Failure] = []
    if fmt in ("json", "sarif"):
        try:
            json.loads(stdout)
        except ValueError as exc:
            raise BadOutput("invalid-json", str(exc)) from None
    if fmt == "json":
        doc = json.loads(stdout)
        assert doc["version"] == 1 and isinstance(doc["findings"], list), "not the JSON contract"
        for f in doc["findings"]:
            if f["rule"].startswith("INT") and f["rule"] != "INT002":
                out.append(_internal(f["rule"], f["message"], f["file"] or one, fmt))
    elif fmt == "sarif":
        doc = json.loads(stdout)
        results = doc["runs"][0]["results"]
        for r in results:
            if r["ruleId"].startswith("INT") and r["ruleId"] != "INT002":
                locs = r.get("locations") or [{}]
                uri = locs[0].get("physicalLocation", {}).get("artifactLocation", {}).get("uri")
                out.append(_internal(r["ruleId"], r["message"]["text"], uri or one, fmt))
    elif fmt == "junit":
        try:
            root = ET.fromstring(stdout.encode("utf-8"))
        except ET.ParseError as exc:
            raise BadOutput("invalid-xml", str(exc)) from None
        assert root.tag == "testsuites", root.tag
        for case in root.iter("testcase"):
            fail = case.find("failure")
            if fail is not None and fail.get("type", "").startswith("INT") and fail.get("type") != "INT002":
                out.append(_internal(fail.get("type"), fail.get("message", ""), case.get("file") or one, fmt))
    elif fmt in ("text", "github"):
        finding, summary = (TEXT_FINDING, TEXT_SUMMARY) if fmt == "text" else (GITHUB_LINE, GITHUB_SUMMARY)
        if not stdout.endswith("\n"):
            raise BadOutput("no-final-newline", "output does not end with a newline")
        lines = stdout[:-1].split("\n")
        if fmt == "text" and len(lines) > 1 and TEXT_UNKNOWNS.match(lines[-1]):
            lines.pop()
        if not summary.match(lines[-1]):
            raise BadOutput("summary", f"bad summary line {lines[-1][:300]!r}")
        for i, line in enumerate(lines[:-1]):
            if fmt == "text" and line == "":
                continue
            if not finding.match(line):
                ctl = sorted({f"{ord(c):02x}" for c in line if re.match(f"[{CONTROL}]", c)})
                raise BadOutput("control-chars" if ctl else "broken-line",
                                f"line breaks the {fmt} grammar" + (f" (control characters {ctl})"
                                                                   if ctl else "")
                                + _after(lines[:i]) + f": {line[:300]!r}")
            if re.search(r" INT00[013-9] | title=INT00[013-9]::", line):
                out.append(Failure("internal", "internal:" + re.search(r"INT\d+", line).group(),
                                   line[:2000], fmt, one))
    return out


# --------------------------------------------------------------------------- batches


@dataclass
class Report:
    runs: int = 0
    mutants: int = 0
    failures: list[Failure] = field(default_factory=list)


def check_batch(directory: Path, names: list[str], fmt: str, report: Report,
                as_dir: bool = False, twice: bool = False) -> list[Failure]:
    """Run slint once on ``names`` (files in ``directory``); narrow any failure down to files.
    ``twice``: run it again and compare, byte for byte (output is deterministic)."""
    args = ["."] if as_dir and len(names) == len(os.listdir(directory)) else names
    run = run_slint(command(args, fmt), str(directory), TIME_LIMIT + 2.0 * len(names))
    report.runs += 1
    found = check_run(run, fmt, names)
    if twice and not found:
        again = run_slint(command(args, fmt), str(directory), TIME_LIMIT + 2.0 * len(names))
        report.runs += 1
        if (again.rc, again.stdout) != (run.rc, run.stdout):
            found = [Failure("nondeterministic", f"nondeterministic:{fmt}", _first_difference(
                run.stdout, again.stdout), fmt, names[0] if len(names) == 1 else None)]
    if len(names) == 1:
        return found
    located = [f for f in found if f.file is not None]
    for f in found:
        if f.file is None:   # a file named where the output broke: try it alone first
            for name in _suspects(f, run.stdout, names)[:2]:
                alone = check_batch(directory, [name], fmt, report)
                if any(g.signature == f.signature for g in alone):
                    located += [g for g in alone if g.signature == f.signature]
                    f.file = name
                    break
    if all(f.file is not None for f in found):
        # a failure in one file can hide others (the output is checked up to its first flaw):
        # the rest of the batch once more, without the files found
        rest = [n for n in names if n not in {f.file for f in located}]
        if found and rest and any(f.kind != "internal" for f in found):
            located += check_batch(directory, rest, fmt, report, twice=twice)
        return located
    # a failure that names no file: bisect (the located ones show up again in the halves)
    half = len(names) // 2
    return (check_batch(directory, names[:half], fmt, report, twice=twice)
            + check_batch(directory, names[half:], fmt, report, twice=twice))


def _suspects(f: Failure, stdout: str, names: list[str]) -> list[str]:
    """Files that the failure's message names (the broken line), or, for XML that does not
    parse at line L, the last test suite opened before L."""
    known = set(names)
    first = f.detail.split("\n", 1)[0]
    out = [n for n in re.findall(r"[\w.-]+", first) if n in known]
    m = re.search(r"line (\d+), column", first)
    if m and f.kind == "output":
        for line in reversed(stdout.split("\n")[: int(m.group(1))]):
            hit = re.search(r'<testsuite name="(?:\./)?([^"]+)"', line)
            if hit and hit.group(1) in known:
                out.append(hit.group(1))
                break
    return list(dict.fromkeys(out))


def _first_difference(a: str, b: str) -> str:
    la, lb = a.split("\n"), b.split("\n")
    for i, (x, y) in enumerate(zip(la, lb)):
        if x != y:
            return f"first difference at line {i + 1}:\n- {x[:500]}\n+ {y[:500]}"
    return f"one output is longer ({len(la)} vs {len(lb)} lines)"

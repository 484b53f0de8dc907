"""`--with-cfn-lint` is bounded and reads no configuration from the scanned tree (items 2 and
16 of the hardening issue)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

pytest.importorskip("cfnlint")

from slint import cfnlint_bridge as bridge  # noqa: E402

from .conftest import ROOT  # noqa: E402

BAD = ("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  B:\n    Type: AWS::S3::Bucket\n"
       "    Properties:\n      BucketNam: x\n")


def slint(*args, cwd):
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "CI")}
    return subprocess.run([sys.executable, "-m", "slint", *args, "--no-cache"], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=300)


def test_cfnlintrc_of_the_scanned_repository_is_never_read(tmp_path):
    repo = tmp_path / "repo"
    (repo / "evil_rules").mkdir(parents=True)
    marker = tmp_path / "PWNED"
    (repo / "evil_rules" / "evil.py").write_text(
        f"open({str(marker)!r}, 'w').write('code from the scanned repository ran')\n")
    (repo / ".cfnlintrc").write_text("append_rules:\n  - evil_rules\nignore_checks:\n  - E3002\n")
    (repo / "t.yaml").write_text(BAD)
    r = slint("check", ".", "--with-cfn-lint", "-f", "json", cwd=repo)
    assert not marker.exists(), "cfn-lint imported a Python file of the scanned repository"
    rules = {f["rule"] for f in json.loads(r.stdout)["findings"]}
    assert "CFNE3002" in rules  # the repository's ignore_checks was not applied either
    # the user's own cfn-lint config, named on slint's command line, is used
    user_cfg = tmp_path / "mine.cfnlintrc"
    user_cfg.write_text("ignore_checks:\n  - E3002\n")
    r = slint("check", ".", "--with-cfn-lint", "--cfn-lint-config", str(user_cfg), "-f", "json",
              cwd=repo)
    rules = {f["rule"] for f in json.loads(r.stdout)["findings"]}
    assert r.returncode in (0, 1) and "CFNE3002" not in rules, r.stderr
    assert not marker.exists()
    r = slint("check", ".", "--with-cfn-lint", "--cfn-lint-config", "nope.yml", cwd=repo)
    assert r.returncode == 2 and "cfn-lint config file not found" in r.stderr


def test_time_budget_stops_cfnlint_and_keeps_slints_findings(tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import gen
    finally:
        sys.path.pop(0)
    (tmp_path / "big.yaml").write_text(gen.template(100))
    (tmp_path / "small.yaml").write_text(BAD)
    start = time.monotonic()
    r = slint("check", "big.yaml", "small.yaml", "--with-cfn-lint", "--cfn-lint-timeout", "0.05",
              "-f", "json",
              cwd=tmp_path)
    assert time.monotonic() - start < 120
    doc = json.loads(r.stdout)
    big = [f for f in doc["findings"] if f["file"] == "big.yaml"]
    stopped = [f for f in big if f["rule"] == "INT003"]
    assert len(stopped) == 1 and "ran past its time budget of 0.05 seconds" in stopped[0]["message"]
    assert any(f["rule"].startswith("API") for f in big)  # slint's own findings are kept
    assert not any(f["rule"].startswith("CFN") for f in big)
    # the next file got a fresh cfn-lint process (the small one fits even this budget or not:
    # either way it is settled, with cfn-lint's finding or its own INT003)
    small = {f["rule"] for f in doc["findings"] if f["file"] == "small.yaml"}
    assert small & {"CFNE3002", "INT003"}


def _fake_worker(monkeypatch, body: str):
    code = ("import json, sys\nreq = json.loads(sys.stdin.read())\n"
            "def say(o):\n    print(json.dumps(o), flush=True)\n" + body)
    monkeypatch.setattr(bridge, "WORKER", [sys.executable, "-c", code])


def test_memory_cap_is_applied_and_a_crash_is_isolated(tmp_path, monkeypatch):
    files = [str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml")]
    _fake_worker(monkeypatch, (
        "import resource\nsay({'ready': True})\n"
        "say({'start': 0})\n"
        "say({'done': 0, 'crash': 'AS=%d' % resource.getrlimit(resource.RLIMIT_AS)[0]})\n"
        "say({'start': 1})\n"
        "x = bytearray(1 << 30)\n"   # over the cap: MemoryError, the process dies
        "say({'done': 1, 'matches': []})\n"))
    found = bridge.run_cfnlint(files, timeout=30, memory_mb=256)
    [crash] = found[files[0]]
    assert crash.rule == "CFNE0002" and crash.message.endswith(f"AS={256 * 1024 * 1024}")
    [stopped] = found[files[1]]
    assert stopped.rule == "INT003" and "(memory cap 256 MB)" in stopped.message


def test_a_hung_cfnlint_is_killed_with_its_children(tmp_path, monkeypatch):
    pidfile = tmp_path / "child.pid"
    files = [str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml")]
    _fake_worker(monkeypatch, (
        "import subprocess, time\nsay({'ready': True})\n"
        "for i, f in enumerate(req['files']):\n"
        "    say({'start': i})\n"
        "    if f.endswith('a.yaml'):\n"
        f"        p = subprocess.Popen(['sleep', '300'])\n"
        f"        open({str(pidfile)!r}, 'w').write(str(p.pid))\n"
        "        time.sleep(300)\n"
        "    say({'done': i, 'matches': []})\n"))
    start = time.monotonic()
    found = bridge.run_cfnlint(files, timeout=1, memory_mb=0)
    assert time.monotonic() - start < 30
    [stopped] = found[files[0]]
    assert stopped.rule == "INT003" and "time budget of 1 seconds" in stopped.message
    assert found[files[1]] == []          # the next file went to a fresh process
    pid = int(pidfile.read_text())
    time.sleep(0.2)
    assert _gone(pid)  # the whole process group was killed, the worker's child too


def _gone(pid: int) -> bool:
    """Dead, or a zombie waiting for init to reap it (containers without an init)."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            state = next(line for line in fh if line.startswith("State:"))
    except (OSError, StopIteration):
        return True
    return "Z" in state.split()[1]


def test_cfnlint_that_cannot_start_is_a_usage_error(tmp_path):
    (tmp_path / "t.yaml").write_text(BAD)
    r = slint("check", "t.yaml", "--with-cfn-lint", "--cfn-lint-memory", "64", cwd=tmp_path)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.startswith("error: cfn-lint could not start"), r.stderr


def test_config_keys_are_validated(tmp_path):
    from slint.config import load_config, validate_table
    assert validate_table({"cfn-lint-timeout": 2.5, "cfn-lint-memory": 2048}, "cfg") == []
    assert validate_table({"cfn-lint-timeout": 0}, "cfg")
    assert validate_table({"cfn-lint-memory": 10}, "cfg")
    (tmp_path / ".slint.toml").write_text("cfn-lint-timeout = 2.5\ncfn-lint-memory = 2048\n")
    cfg = load_config(str(tmp_path / ".slint.toml"))
    assert (cfg.cfn_lint_timeout, cfg.cfn_lint_memory) == (2.5, 2048)

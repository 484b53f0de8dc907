"""Where the report goes and what is read: never over an input (item 1), never a traceback on a
broken standard output (item 8), never a blocking read of a FIFO or device (item 10)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading

import pytest

from .conftest import ROOT

FLAGGED = ("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  R:\n    Type: AWS::IAM::Role\n"
           "    Properties:\n      AssumeRolePolicyDocument: {}\n      Policies:\n"
           "        - PolicyName: p\n          PolicyDocument:\n            Statement:\n"
           "              - {Effect: Allow, Action: '*', Resource: '*'}\n")
CLEAN = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  T:\n    Type: AWS::SNS::Topic\n"


def run(args, cwd, **kw):
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "CI")}
    kw.setdefault("capture_output", True)
    return subprocess.run([sys.executable, "-m", "slint", *args], cwd=cwd, env=env, text=True,
                          timeout=60, **kw)


@pytest.fixture
def proj(tmp_path):
    (tmp_path / "stacks").mkdir()
    (tmp_path / "stacks" / "a.yaml").write_text(FLAGGED)
    (tmp_path / "stacks" / "b.yaml").write_text(CLEAN)
    return tmp_path


# ------------------------------------------------------------------ item 1: output over input
@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github"])
def test_output_onto_the_checked_template_is_refused(proj, fmt):
    r = run(["check", "stacks/a.yaml", "-f", fmt, "-o", "stacks/a.yaml", "--no-cache"], proj)
    assert r.returncode == 2 and "would overwrite a file that this run reads" in r.stderr
    assert (proj / "stacks" / "a.yaml").read_text() == FLAGGED


def test_output_onto_a_template_of_the_scanned_folder_is_refused(proj):
    r = run(["check", "stacks", "-o", "stacks/b.yaml", "--no-cache"], proj)
    assert r.returncode == 2 and "--output stacks/b.yaml would overwrite" in r.stderr
    assert (proj / "stacks" / "b.yaml").read_text() == CLEAN


def test_write_baseline_onto_an_input_is_refused(proj):
    r = run(["check", "stacks", "--write-baseline", "stacks/a.yaml", "--no-cache"], proj)
    assert r.returncode == 2 and "--write-baseline" in r.stderr
    assert (proj / "stacks" / "a.yaml").read_text() == FLAGGED


def test_output_through_a_link_or_onto_config_or_baseline_is_refused(proj):
    os.link(proj / "stacks" / "a.yaml", proj / "hard.txt")
    os.symlink(proj / "stacks" / "a.yaml", proj / "soft.txt")
    for target in ("hard.txt", "soft.txt"):
        r = run(["check", "stacks/a.yaml", "-o", target, "--no-cache"], proj)
        assert r.returncode == 2 and "(it is stacks/a.yaml)" in r.stderr
    (proj / ".slint.toml").write_text("[tool.slint]\n")
    cfg = (proj / ".slint.toml").read_text()
    r = run(["check", "stacks", "-o", ".slint.toml", "--no-cache"], proj)
    assert r.returncode == 2 and (proj / ".slint.toml").read_text() == cfg
    assert run(["check", "stacks", "--write-baseline", "base.json"], proj).returncode == 0
    base = (proj / "base.json").read_text()
    r = run(["check", "stacks", "--baseline", "base.json", "-o", "base.json"], proj)
    assert r.returncode == 2 and (proj / "base.json").read_text() == base
    assert (proj / "stacks" / "a.yaml").read_text() == FLAGGED


def test_graph_output_onto_its_template_is_refused(proj):
    r = run(["graph", "stacks/a.yaml", "-o", "stacks/a.yaml"], proj)
    assert r.returncode == 2 and "would overwrite" in r.stderr
    assert (proj / "stacks" / "a.yaml").read_text() == FLAGGED
    r = run(["graph", "stacks/a.yaml", "-o", "graph.mmd"], proj)
    assert r.returncode == 0 and (proj / "graph.mmd").read_text().startswith("flowchart LR")


def test_output_elsewhere_still_works(proj):
    r = run(["check", "stacks", "-f", "json", "-o", "report.json", "--no-cache"], proj)
    assert r.returncode == 1 and r.stdout == "" and '"IAM001"' in (proj / "report.json").read_text()


# ------------------------------------------------------------------ item 8: broken stdout
def test_closed_stdout(proj):
    r = subprocess.run(f"'{sys.executable}' -m slint check stacks/a.yaml --no-cache >&-",
                       shell=True, cwd=proj, capture_output=True, text=True, timeout=60)
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr and "standard output is closed" in r.stderr


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_full_stdout(proj):
    with open("/dev/full", "w") as full:
        r = run(["check", "stacks/a.yaml", "--no-cache"], proj, stdout=full,
                stderr=subprocess.PIPE, capture_output=False)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and "Exception ignored" not in r.stderr
    assert "cannot write the report to standard output: No space left on device" in r.stderr


def test_broken_pipe_is_quiet(proj):
    rd, wr = os.pipe()
    os.close(rd)  # the reader is gone (`| head -1` has exited)
    try:
        r = run(["check", "stacks", "--no-cache"], proj, stdout=wr, stderr=subprocess.PIPE,
                capture_output=False)
    finally:
        os.close(wr)
    assert r.returncode == 141 and r.stderr == ""


def test_output_to_an_unwritable_path(proj):
    r = run(["check", "stacks", "-o", "no/such/dir/out.txt", "--no-cache"], proj)
    assert r.returncode == 2 and r.stderr.startswith("error: cannot write no/such/dir/out.txt")
    assert "Traceback" not in r.stderr


# ------------------------------------------------------------------ item 10: named non-files
def test_named_fifo_socket_and_device_are_refused(proj):
    os.mkfifo(proj / "pipe.yaml")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(proj / "sock.yaml"))
    try:
        for name, kind in (("pipe.yaml", "a FIFO"), ("sock.yaml", "a socket"),
                           ("/dev/zero", "a character device")):
            r = run(["check", name, "--no-cache"], proj)  # the 60 s timeout catches a hang
            assert r.returncode == 2 and f"{name}: not checked: {kind}" in r.stderr, r.stderr
            for cmd in ("routes", "graph"):
                r = run([cmd, name], proj)
                assert r.returncode == 2 and kind in r.stderr
        r = run(["check", "pipe.yaml", "stacks/a.yaml", "--no-cache"], proj)
        assert r.returncode == 1 and "pipe.yaml: not checked: a FIFO" in r.stderr
        assert "stacks/a.yaml:" in r.stdout
    finally:
        sock.close()


def test_engine_never_blocks_on_a_named_fifo(tmp_path):
    from slint.parallel import read_target
    fifo = tmp_path / "p.yaml"
    os.mkfifo(fifo)
    out: list = []
    t = threading.Thread(target=lambda: out.append(read_target(str(fifo), True, 1000)),
                         daemon=True)
    t.start()
    t.join(10)
    if t.is_alive():  # unblock the thread so the test run can end
        with open(fifo, "w"):
            pass
        t.join(5)
        pytest.fail("read_target blocked on a FIFO")
    assert out == [(None, "not a regular file: a FIFO (named pipe)")]


def test_pipe_closed_by_a_reader_mid_report_is_quiet(tmp_path):
    """`slint check ... | head -1`: the reader takes one line of a report larger than the pipe
    buffer and exits; slint must not print a traceback nor lose the error silently."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import gen
    finally:
        sys.path.pop(0)
    (tmp_path / "big.yaml").write_text(gen.template(600))   # ~145 kB of JSON report
    r = subprocess.run(f"'{sys.executable}' -m slint check big.yaml -f json --no-cache | head -1;"
                       " echo \"status=${PIPESTATUS[0]}\"", shell=True, executable="/bin/bash",
                       cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert r.stdout.splitlines() == ["{", "status=141"]
    assert r.stderr == ""

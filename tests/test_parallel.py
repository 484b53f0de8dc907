"""Worker processes change nothing but speed: the report is byte-for-byte the same for any
number of jobs, and a worker that dies costs no file its result."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

import slint.parallel as par
from slint.config import Config
from slint.engine import run, selected_rules
from slint.formatters import render

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import gen  # noqa: E402


def _tree(tmp: Path, corpus: Path | None) -> Path:
    """A directory with generated templates, fixtures (flagged ones find things), a broken file,
    a non-template and, when present, part of the real-world corpus."""
    d = tmp / "tree"
    (d / "gen").mkdir(parents=True)
    for n in (1, 5, 12, 30, 60):
        (d / "gen" / f"sam_{n}.yaml").write_text(gen.template(n), encoding="utf-8")
    fx = d / "fixtures"
    for p in sorted((ROOT / "fixtures").glob("*/*")):
        if p.suffix in (".yaml", ".json") and not p.name.endswith(".snap.json"):
            dst = fx / p.parent.name / p.name
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(p, dst)
    (d / "broken.yaml").write_text("Resources:\n  A: [unclosed\n", encoding="utf-8")
    (d / "notes.yaml").write_text("just: some config\n", encoding="utf-8")
    if corpus is not None:
        c = d / "corpus"
        c.mkdir()
        for p in sorted(corpus.glob("*.y*ml"))[:60]:
            shutil.copyfile(p, c / p.name)
    return d


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    from tests.conftest import CORPUS
    return _tree(tmp_path_factory.mktemp("par"), CORPUS if CORPUS.is_dir() else None)


@pytest.fixture
def force_processes(monkeypatch):
    monkeypatch.setattr(par, "MIN_FILES_PER_JOB", 1)
    monkeypatch.setattr(par, "MIN_BYTES", 0)


def _outputs(result) -> tuple[str, str]:
    return render("json", result), render("text", result)


def test_jobs_do_not_change_the_report(tree, force_processes):
    cfg = Config()
    rules = selected_rules(cfg)
    one = _outputs(run([str(tree)], cfg, jobs=1, rules=rules))
    assert '"rule": "SYN001"' in one[0]          # the broken file is in the report
    for jobs in (2, 3):
        assert _outputs(run([str(tree)], cfg, jobs=jobs, rules=rules)) == one


def test_default_jobs_and_small_runs(tree):
    cfg = Config()
    rules = selected_rules(cfg)
    a = _outputs(run([str(tree)], cfg, jobs=None, rules=rules))
    b = _outputs(run([str(tree / "broken.yaml")], cfg, jobs=None, rules=rules))
    assert a == _outputs(run([str(tree)], cfg, jobs=1, rules=rules))
    assert "SYN001" in b[1]
    assert par.default_jobs() >= 1


def test_progress_is_called_for_every_file(tree, force_processes):
    seen = []
    res = run([str(tree)], Config(), jobs=2, progress=lambda d, t, p: seen.append((d, t, p)))
    assert len(seen) == len(res.files)
    assert seen[-1][0] == seen[-1][1] == len(res.files)


def _crashing_work(batch):
    if any(p.endswith("broken.yaml") for _i, p, _e in batch):
        os._exit(3)  # a worker that dies mid-run
    return _real_work(batch)


_real_work = par._work


@pytest.mark.skipif(sys.platform != "linux", reason="needs fork to patch the worker")
def test_a_dead_worker_loses_no_file(tree, force_processes, monkeypatch):
    cfg = Config()
    rules = selected_rules(cfg)
    expected = _outputs(run([str(tree)], cfg, jobs=1, rules=rules))
    monkeypatch.setattr(par, "_work", _crashing_work)
    assert _outputs(run([str(tree)], cfg, jobs=2, rules=rules)) == expected


def test_non_regular_files_in_a_directory_are_skipped(tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    os.mkfifo(tmp_path / "pipe.yaml")
    (tmp_path / "loop.yaml").symlink_to(tmp_path / "loop.yaml")
    (tmp_path / "t.yaml").write_text(gen.template(3), encoding="utf-8")
    res = run([str(tmp_path)], Config(), jobs=1)
    status = {Path(f.file).name: (f.status, f.reason) for f in res.files}
    assert status["pipe.yaml"] == ("skipped", "not a regular file")
    assert status["loop.yaml"][0] in ("skipped", "error")
    assert status["t.yaml"][0] == "checked"


def test_project_level_rules_see_every_file_across_processes_and_cache(tmp_path, force_processes):
    """Facts cross the process boundary and the cache; the project check runs in the parent."""
    from slint.cache import Cache
    from slint.rules.bucketname.duplicate import DuplicateBucketName as Dup
    body = ('AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Logs:\n    Type: AWS::S3::Bucket\n'
            "    Properties:\n      BucketName: acme-shared-logs-bucket\n")
    for i in range(12):
        (tmp_path / f"stack{i:02d}.yaml").write_text(body + f"  Topic{i}:\n    Type: AWS::SNS::Topic\n")
    cfg = Config()
    rules = selected_rules(cfg)
    one = _outputs(run([str(tmp_path)], cfg, jobs=1, rules=rules))
    assert f'"rule": "{Dup.code}"' in one[0]
    assert _outputs(run([str(tmp_path)], cfg, jobs=2, rules=rules)) == one
    cache_dir = str(tmp_path.parent / (tmp_path.name + "-cache"))
    for _ in range(2):  # cold, warm
        assert _outputs(run([str(tmp_path)], cfg, jobs=2, rules=rules,
                            cache=Cache(cache_dir, cfg, rules))) == one


@pytest.mark.slow   # timing-sensitive: .ci/run runs it in the default suite, alone on the machine
@pytest.mark.skipif(sys.platform != "linux", reason="process groups and signals")
def test_ctrl_c_stops_workers_at_once(tmp_path):
    import signal
    import subprocess
    import time
    text = gen.template(1000)
    for i in range(30):
        (tmp_path / f"t{i:02d}.yaml").write_text(text, encoding="utf-8")
    p = subprocess.Popen([sys.executable, "-m", "slint", "check", str(tmp_path), "--no-cache",
                          "--jobs", "2", "--format", "json"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, start_new_session=True,
                         # a suite started in the background by a non-interactive shell (as
                         # .ci/run does) inherits SIGINT ignored: give slint a terminal's default
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))

    def group_size() -> int:
        n = 0
        for d in os.listdir("/proc"):
            try:
                n += d.isdigit() and os.getpgid(int(d)) == p.pid
            except OSError:
                pass
        return n
    # Ctrl-C once the workers run (not after a fixed delay: on a loaded machine slint may still
    # be starting, and click turns an early interrupt into "Aborted!", exit 1)
    deadline = time.monotonic() + 60
    while group_size() < 3 and time.monotonic() < deadline and p.poll() is None:
        time.sleep(0.05)
    time.sleep(0.3)
    t0 = time.perf_counter()
    os.killpg(p.pid, signal.SIGINT)          # what a terminal's Ctrl-C does
    out, err = p.communicate(timeout=60)
    assert p.returncode == 130, err[-2000:]
    assert time.perf_counter() - t0 < 10
    assert b"Traceback" not in err
    time.sleep(0.2)
    with pytest.raises(ProcessLookupError):   # no worker left behind in the group
        os.killpg(p.pid, 0)

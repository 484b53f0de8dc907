"""Two slint processes writing one cache directory at the same time (``--cache-dir``), on the
same and on different inputs, over several rounds: neither output is ever corrupted (each equals
a run without cache), and the cache still works afterwards (a later run is a warm hit with the
same output).

Packs are rewritten whole through a temp file and ``os.replace``, so a reader sees an old or a
new pack, never half of one; a flush holds the namespace's lock and merges into the pack as it
is on disk, so two runs that add entries to the same pack at once keep both (nothing lost)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from slint.cache import FORMAT, Cache
from slint.config import Config
from slint.engine import run, selected_rules
from slint.formatters import render

ROOT = Path(__file__).resolve().parent.parent
CODES = {"a": ["IAM001", "IAM002", "S3P001", "SYN002"], "b": ["BKT001", "API001", "COG001", "CFR001"]}


def _input(tmp: Path, name: str) -> Path:
    d = tmp / name
    d.mkdir()
    for code in CODES[name]:
        for p in sorted((ROOT / "fixtures" / code).glob("*.yaml")):
            shutil.copy(p, d / f"{code}_{p.name}")
    return d


def _start(path: Path, cache: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "slint", "check", str(path), "-f", "json",
                             "--no-config", "-j", "1", "--no-progress", "--cache-dir", str(cache)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _together(jobs: list[tuple[Path, Path]]) -> list[str]:
    procs = [_start(p, c) for p, c in jobs]
    outs = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode in (0, 1), err
        assert "Traceback" not in err, err
        outs.append(out)
    return outs


def _reference(path: Path, cache: Cache | None = None) -> str:
    from slint.checkcmd import rules_metadata
    cfg = Config()
    rules = selected_rules(cfg)
    return render("json", run([str(path)], cfg, rules=rules, jobs=1, cache=cache),
                  rules_meta=rules_metadata(rules))  # as `slint check -f json` (rule urls)


def _edit(d: Path, round_: int) -> None:
    """Change one template (a new cache entry to write) and add another."""
    first = sorted(d.glob("*.yaml"))[0]
    first.write_text(first.read_text() + f"\n# round {round_}\n")
    shutil.copy(first, d / f"copy{round_}.yaml")


@pytest.mark.parametrize("same", [True, False], ids=["same-input", "different-inputs"])
def test_two_processes_share_one_cache_dir(tmp_path, same):
    a = _input(tmp_path, "a")
    b = a if same else _input(tmp_path, "b")
    cache = tmp_path / "cache"
    for round_ in range(3):
        if round_:
            _edit(a, round_)
            if not same:
                _edit(b, round_)
        out_a, out_b = _together([(a, cache), (b, cache)])
        want_a, want_b = _reference(a), _reference(b)
        assert out_a == want_a, f"round {round_}: output differs from a run without cache"
        assert out_b == want_b, f"round {round_}: output differs from a run without cache"
        packs = list((cache / FORMAT).rglob("*.json"))
        assert packs
        for pack in packs:   # every pack is whole JSON, in the current format
            assert json.loads(pack.read_text(encoding="utf-8"))["format"] == FORMAT
        assert not list(cache.rglob(".tmp-*")), "temp files left behind"

    # afterwards: every entry of both runs is there (the flushes merged), all hits
    cfg = Config()
    rules = selected_rules(cfg)
    for d in {a, b}:
        refill = Cache(str(cache), cfg, rules)
        assert _reference(d, refill) == _reference(d)
        assert refill.misses == 0 and refill.hits > 0
        warm = Cache(str(cache), cfg, rules)
        assert _reference(d, warm) == _reference(d)
        assert warm.misses == 0 and warm.hits == len(list(d.glob("*.yaml"))), (warm.hits, warm.misses)

"""The result cache: a warm run reports exactly what a cold one did, and only what changed is
checked again."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from slint.cache import Cache, decode_result, encode_result, namespace
from slint.config import Config
from slint.engine import FileResult, run, selected_rules
from slint.findings import Finding, Severity
from slint.formatters import render

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import gen  # noqa: E402


@pytest.fixture
def tree(tmp_path):
    d = tmp_path / "src"
    d.mkdir()
    for n in (3, 12, 25):
        (d / f"sam_{n}.yaml").write_text(gen.template(n), encoding="utf-8")
    for code in ("IAM001", "S3P001", "BKT001", "SYN002"):
        for p in sorted((ROOT / "fixtures" / code).glob("flagged*.yaml")):
            (d / f"{code}_{p.name}").write_bytes(p.read_bytes())
    (d / "broken.yaml").write_text("Resources:\n  A: [unclosed\n", encoding="utf-8")
    (d / "other.yaml").write_text("name: not a template\n", encoding="utf-8")
    return d


def _both(result):
    return render("json", result), render("text", result)


def test_warm_equals_cold_and_hits_everything(tree, tmp_path):
    cfg = Config()
    rules = selected_rules(cfg)
    cache_dir = str(tmp_path / "cache")
    cold_cache = Cache(cache_dir, cfg, rules)
    cold = _both(run([str(tree)], cfg, rules=rules, cache=cold_cache))
    assert cold_cache.hits == 0
    warm_cache = Cache(cache_dir, cfg, rules)
    warm = _both(run([str(tree)], cfg, rules=rules, cache=warm_cache))
    assert warm == cold
    assert warm == _both(run([str(tree)], cfg, rules=rules))  # and equals no cache at all
    assert warm_cache.misses == 0 and warm_cache.hits == cold_cache.misses > 0


def test_only_changed_files_are_checked_again(tree, tmp_path):
    cfg = Config()
    rules = selected_rules(cfg)
    cache_dir = str(tmp_path / "cache")
    run([str(tree)], cfg, rules=rules, cache=Cache(cache_dir, cfg, rules))
    target = tree / "sam_3.yaml"
    target.write_text(target.read_text() + "\n# touched\n", encoding="utf-8")
    c = Cache(cache_dir, cfg, rules)
    warm = _both(run([str(tree)], cfg, rules=rules, cache=c))
    assert c.misses == 1
    assert warm == _both(run([str(tree)], cfg, rules=rules))


def test_config_and_rules_are_part_of_the_key():
    cfg = Config()
    rules = selected_rules(cfg)
    base = namespace(cfg, rules)
    assert namespace(Config(), selected_rules(Config())) == base
    assert namespace(Config(min_severity=Severity.HIGH), rules) != base
    assert namespace(cfg, [r for r in rules if r.code != rules[-1].code]) != base
    strict = Config(select=["IAM"])
    assert namespace(strict, selected_rules(strict)) != base


def test_round_trip_keeps_types():
    f = Finding(rule="IAM001", name="x", category="IAM", severity="high", message="m", file="f",
                line=1, column=2, end_line=3, end_column=4, resource="R", path=["Resources", "R", 0],
                fix=None, scenario=[["IsProd", True]], related=[{"file": "f", "line": 2}])
    facts = {"BKT001": [("a", 1, ("Resources", "B")), {"k": {1, 2}}, frozenset({"x"}),
                        {3: "int key", ("t", 1): None, "__t": "dunder key"}]}
    fr = FileResult("f.yaml", "checked", [f], reason=None, resources=7, facts=facts)
    back = decode_result(encode_result(fr))
    assert back == fr
    assert isinstance(back.facts["BKT001"][0], tuple)


def test_unencodable_facts_are_not_cached_and_corrupt_packs_are_misses(tmp_path):
    cfg = Config()
    c = Cache(str(tmp_path / "c"), cfg, [])
    k = c.key("a.yaml", True, "0" * 40)
    c.put(k, FileResult("a.yaml", "checked", facts={"X": object()}))
    k2 = c.key("b.yaml", True, "1" * 40)
    c.put(k2, FileResult("b.yaml", "checked"))
    c.flush()
    c = Cache(str(tmp_path / "c"), cfg, [])
    assert c.get(k) is None
    assert c.get(k2) == FileResult("b.yaml", "checked")
    pack = Path(c.pack_path(k2[:1]))
    good = pack.read_text()
    bad_entry = json.loads(good)
    bad_entry["entries"][k2] = [1, {"file": 1, "nope": 2}]
    for text in ("not json", json.dumps(bad_entry), "[" * 100000, json.dumps({"__reduce__": "os.system"}),
                 json.dumps({"format": "v1", "entries": [1, 2]})):
        pack.write_text(text, encoding="utf-8")
        assert Cache(str(tmp_path / "c"), cfg, []).get(k2) is None


def test_packs_are_bounded(tmp_path, monkeypatch):
    import slint.cache as cache_mod
    monkeypatch.setattr(cache_mod, "MAX_ENTRIES", 3 * 16)   # 3 per pack
    cfg = Config()
    keys = [f"a{i:039d}" for i in range(5)]                  # all in pack "a"
    for k in keys:
        c = Cache(str(tmp_path / "c"), cfg, [])
        c.put(k, FileResult(f"{k}.yaml", "checked"))
        c.flush()
    data = json.loads(Path(c.pack_path("a")).read_text())
    assert len(data["entries"]) == 3 and data["stamp"] == 5
    c = Cache(str(tmp_path / "c"), cfg, [])
    assert c.get(keys[4]) is not None and c.get(keys[0]) is None
    assert sorted(os.listdir(c.dir)) == ["a.json"]


def test_unwritable_cache_dir_is_harmless(tree, tmp_path):
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    cfg = Config()
    rules = selected_rules(cfg)
    c = Cache(str(blocker / "cache"), cfg, rules)
    assert _both(run([str(tree)], cfg, rules=rules, cache=c)) == _both(run([str(tree)], cfg, rules=rules))
    assert not c.writable


def test_cli_cold_warm_and_no_cache_print_the_same(tree, tmp_path):
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    env.pop("SLINT_CACHE_DIR", None)
    outs = []
    for extra in ([], [], ["--no-cache"], ["--cache-dir", str(tmp_path / "explicit")]):
        p = subprocess.run([sys.executable, "-m", "slint", "check", str(tree), "--format", "json", *extra],
                           capture_output=True, text=True, env=env, timeout=120)
        assert p.returncode in (0, 1), p.stderr
        outs.append(p.stdout)
    assert outs[0] == outs[1] == outs[2] == outs[3]
    assert (tmp_path / "xdg" / "slint").is_dir()      # the default location
    assert (tmp_path / "explicit").is_dir()


def test_namespace_does_not_depend_on_hash_seed():
    code = ("from slint.cache import namespace\nfrom slint.config import Config\n"
            "from slint.engine import selected_rules\nc = Config(per_path_ignores={'a/*': ['IAM001']})\n"
            "rules = selected_rules(c)\nrules[0].opts = {'names': set('abcdefghijklmnop')}\n"
            "print(namespace(c, rules))\n")
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           env={**os.environ, "PYTHONHASHSEED": str(seed)}, timeout=60).stdout
            for seed in (1, 2, 3)}
    assert len(outs) == 1 and len(next(iter(outs)).strip()) == 32

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


def test_identical_files_keep_their_own_names_when_warm(tmp_path):
    """Two byte-identical templates: a warm run reports each finding under its own file (the
    key holds the name the findings carry, not only the content)."""
    src = tmp_path / "src"
    (src / "a").mkdir(parents=True)
    (src / "b").mkdir()
    body = (ROOT / "fixtures" / "IAM001" / "flagged.yaml").read_bytes()
    (src / "a" / "template.yaml").write_bytes(body)
    (src / "b" / "template.yaml").write_bytes(body)
    cfg = Config()
    rules = selected_rules(cfg)
    cache_dir = str(tmp_path / "cache")
    cold = run([str(src)], cfg, rules=rules, cache=Cache(cache_dir, cfg, rules))
    warm_cache = Cache(cache_dir, cfg, rules)
    warm = run([str(src)], cfg, rules=rules, cache=warm_cache)
    assert warm_cache.hits == 2 and warm_cache.misses == 0
    for res in (cold, warm):
        for fr in res.files:
            assert fr.findings and {f.file for f in fr.findings} == {fr.file}
        files = sorted({f.file for f in res.findings})
        assert files == [str(src / "a" / "template.yaml"), str(src / "b" / "template.yaml")]
        per_file = [[(f.rule, f.line) for f in res.findings if f.file == name] for name in files]
        assert per_file[0] == per_file[1]
    assert _both(warm) == _both(cold)


def _entry_mutations():
    """Valid JSON, wrong shapes: each must be a miss (re-checked), never a crash."""
    def stamp_inf(d):
        return json.dumps(d).replace(f'"stamp": {d["stamp"]}', '"stamp": 1e400', 1)

    def each(fn):
        def mutate(d):
            for v in d["entries"].values():
                fn(v)
            return json.dumps(d)
        return mutate

    def mixed_stamps(d):
        for i, v in enumerate(d["entries"].values()):
            v[0] = str(v[0]) if i % 2 else v[0]
        return json.dumps(d)

    def findings_as_strings(v):
        v[1]["findings"] = ["IAM001"] * 3

    def file_null(v):
        v[1]["file"] = None

    def bad_severity(v):
        for f in v[1]["findings"]:
            f["__F"]["severity"] = "apocalyptic"

    def bad_tag(v):
        v[1]["facts"] = {"__t": 5}

    def finding_missing_field(v):
        for f in v[1]["findings"]:
            del f["__F"]["line"]

    def pending_junk(v):
        v[1]["pending"] = [{"codes": "IAM001"}]

    def entry_not_pair(v):
        v.append(1)

    return {"stamp 1e400": stamp_inf, "mixed stamp types": mixed_stamps,
            "findings as strings": each(findings_as_strings), "file null": each(file_null),
            "unknown severity": each(bad_severity), "bad tag": each(bad_tag),
            "finding missing a field": each(finding_missing_field),
            "pending junk": each(pending_junk), "entry not a pair": each(entry_not_pair),
            "entries a list": lambda d: json.dumps(dict(d, entries=[1, 2])),
            "stamp a string": lambda d: json.dumps(dict(d, stamp="7")),
            "huge number": lambda d: json.dumps(d).replace('"stamp": ', '"stamp": 1' + "0" * 5000 + " + ", 1)
            .replace(" + " + str(d["stamp"]), "", 1),
            "deep nesting": lambda d: "[" * 200_000 + "]" * 200_000,
            "not utf-8": lambda d: "\udcff"}


@pytest.mark.parametrize("how", sorted(_entry_mutations()))
def test_hostile_packs_are_misses_and_get_overwritten(tree, tmp_path, how):
    cfg = Config()
    rules = selected_rules(cfg)
    cache_dir = str(tmp_path / "cache")
    expected = _both(run([str(tree)], cfg, rules=rules))
    run([str(tree)], cfg, rules=rules, cache=Cache(cache_dir, cfg, rules))
    c = Cache(cache_dir, cfg, rules)
    packs = sorted(Path(c.dir).glob("*.json"))
    assert packs
    mutate = _entry_mutations()[how]
    for p in packs:
        text = mutate(json.loads(p.read_text()))
        p.write_bytes(text.encode("utf-8", "surrogateescape"))
    c = Cache(cache_dir, cfg, rules)
    assert _both(run([str(tree)], cfg, rules=rules, cache=c)) == expected
    assert c.misses > 0        # (entries the mutation left intact, e.g. without findings, hit)
    c = Cache(cache_dir, cfg, rules)          # rewritten by that run: all hits now
    assert _both(run([str(tree)], cfg, rules=rules, cache=c)) == expected
    assert c.misses == 0 and c.hits > 0


def _pack_of_every_shard(cache_dir, cfg, rules):
    c = Cache(cache_dir, cfg, rules)
    os.makedirs(c.dir, exist_ok=True)
    return c, [c.pack_path(s) for s in Cache.SHARDS]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_or_a_device_in_place_of_a_pack_is_a_miss(tree, tmp_path):
    """A FIFO would block a plain open() forever, /dev/zero would never end: both are misses."""
    import signal
    cfg = Config()
    rules = selected_rules(cfg)
    expected = _both(run([str(tree)], cfg, rules=rules))
    for kind in ("fifo", "zero", "dir"):
        cache_dir = str(tmp_path / f"cache-{kind}")
        c, paths = _pack_of_every_shard(cache_dir, cfg, rules)
        for p in paths:
            if kind == "fifo":
                os.mkfifo(p)
            elif kind == "zero":
                os.symlink("/dev/zero", p)
            else:
                os.mkdir(p)
        old = signal.signal(signal.SIGALRM, lambda *_: (_ for _ in ()).throw(TimeoutError(kind)))
        signal.alarm(60)
        try:
            assert _both(run([str(tree)], cfg, rules=rules, cache=c)) == expected
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, old)
        assert c.hits == 0 and c.misses > 0
        if kind != "dir":   # replaced by a regular pack on write
            c = Cache(cache_dir, cfg, rules)
            assert _both(run([str(tree)], cfg, rules=rules, cache=c)) == expected
            assert c.misses == 0


def test_a_pack_over_the_size_bound_is_a_miss_and_writes_stay_under_it(tree, tmp_path, monkeypatch):
    import slint.cache as cache_mod
    cfg = Config()
    rules = selected_rules(cfg)
    cache_dir = str(tmp_path / "cache")
    run([str(tree)], cfg, rules=rules, cache=Cache(cache_dir, cfg, rules))
    c = Cache(cache_dir, cfg, rules)
    sizes = [p.stat().st_size for p in Path(c.dir).glob("*.json")]
    monkeypatch.setattr(cache_mod, "MAX_PACK_BYTES", max(sizes) - 1)
    c = Cache(cache_dir, cfg, rules)
    run([str(tree)], cfg, rules=rules, cache=c)
    assert c.misses > 0
    assert all(p.stat().st_size <= max(sizes) - 1 for p in Path(c.dir).glob("*.json"))
    assert cache_mod.read_bounded(str(tmp_path / "nope"), 10) is None


def test_concurrent_writers_never_leave_a_broken_pack(tree, tmp_path):
    """Processes flushing into one cache directory at once: every pack stays valid JSON that
    slint wrote, and a run over it reports what a run without a cache does."""
    cache_dir = str(tmp_path / "cache")
    code = ("import sys\nfrom slint.cache import Cache\nfrom slint.config import Config\n"
            "from slint.engine import run, selected_rules\ncfg = Config()\nrules = selected_rules(cfg)\n"
            "for _ in range(3):\n    run([sys.argv[1]], cfg, rules=rules, cache=Cache(sys.argv[2], cfg, rules))\n")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(tree), cache_dir]) for _ in range(4)]
    assert [p.wait(timeout=300) for p in procs] == [0] * 4
    cfg = Config()
    rules = selected_rules(cfg)
    c = Cache(cache_dir, cfg, rules)
    for p in Path(c.dir).iterdir():
        assert not p.name.startswith(".tmp-")
        data = json.loads(p.read_text())
        assert data["format"] == "v3" and isinstance(data["stamp"], int)
    assert _both(run([str(tree)], cfg, rules=rules, cache=c)) == _both(run([str(tree)], cfg, rules=rules))
    assert c.misses == 0


def test_two_runs_flushing_one_pack_keep_both_entries(tmp_path):
    """Run A and run B read the same pack, then each adds an entry and flushes: B's flush
    merges into the pack as A left it, so both entries stay (it used to be the last writer's
    pack alone)."""
    cfg = Config()
    a = Cache(str(tmp_path / "c"), cfg, [])
    b = Cache(str(tmp_path / "c"), cfg, [])
    ka, kb = "a" + "1" * 39, "a" + "2" * 39          # one pack ("a")
    assert a.get(ka) is None and b.get(kb) is None   # both have read it (empty)
    a.put(ka, FileResult("one.yaml", "checked"))
    b.put(kb, FileResult("two.yaml", "checked"))
    a.flush()
    b.flush()
    fresh = Cache(str(tmp_path / "c"), cfg, [])
    assert fresh.get(ka) == FileResult("one.yaml", "checked")
    assert fresh.get(kb) == FileResult("two.yaml", "checked")
    assert json.loads(Path(fresh.pack_path("a")).read_text())["stamp"] == 2
    assert sorted(os.listdir(fresh.dir)) == ["a.json"]   # the lock leaves no file behind


def test_the_flush_lock_is_exclusive_and_released(tmp_path):
    import fcntl

    from slint.cache import _dir_lock
    d = str(tmp_path)

    def try_lock():
        fd = os.open(d, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            fcntl.flock(fd, fcntl.LOCK_UN)
            return True
        except BlockingIOError:
            return False
        finally:
            os.close(fd)

    with _dir_lock(d):
        assert not try_lock()
    assert try_lock()
    with _dir_lock(str(tmp_path / "missing")):   # cannot be opened: goes ahead unlocked
        pass

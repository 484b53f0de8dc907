"""Hostile config files and flags: clear errors (exit 2) and bounded work, never a traceback."""

from __future__ import annotations

import difflib
import fnmatch
import itertools
import time

import pytest

from slint.checkcmd import CheckOptions, run_check
from slint.config import Config, ConfigError, apply_table, load_config, validate_table
from slint.globset import GlobSet
from slint.rules_meta import unknown_codes

TEMPLATE = "Resources:\n  B:\n    Type: AWS::S3::Bucket\n"


def _run(capsys, cfg_dir, name=".slint.toml", text=""):
    (cfg_dir / name).write_text(text)
    (cfg_dir / "t.yaml").write_text(TEMPLATE)
    rc = run_check(CheckOptions(paths=[str(cfg_dir / "t.yaml")], format="json", no_cache=True))
    out = capsys.readouterr()
    return rc, out.out, out.err


@pytest.mark.parametrize("name, text, why", [
    # inline tables 3 000 deep: tomllib raised RecursionError
    (".slint.toml", "x = " + "{a=" * 3000 + "1" + "}" * 3000 + "\n", "nested too deeply"),
    ("pyproject.toml", "[tool.slint]\nx = " + "[" * 3000 + "]" * 3000 + "\n", "nested too deeply"),
    # dotted keys build the nesting without recursion; jsonschema's message recursed
    (".slint.toml", '[per-file-ignores]\n"x".' + ".".join(["a"] * 3000) + " = 1\n",
     "nested too deeply"),
    # 2**63-1 overflowed the file read (an index-sized integer)
    (".slint.toml", "max-file-bytes = 9223372036854775807\n",
     "max-file-bytes: 9223372036854775807 is greater than the maximum of 1073741824"),
    (".slint.toml", "max-file-bytes = 1e300\n", "max-file-bytes: 1e+300 is greater than the maximum"),
    (".slint.toml", "max-file-bytes = inf\n", "max-file-bytes: inf is not of type 'integer'"),
    (".slint.toml", "max-file-bytes = true\n", "max-file-bytes: True is not of type 'integer'"),
    (".slint.toml", "max-file-bytes = '10'\n", "max-file-bytes: '10' is not of type 'integer'"),
    (".slint.toml", "max-file-bytes = 0\n", "max-file-bytes: 0 is less than the minimum of 1"),
])
def test_hostile_config_is_a_clear_error(tmp_path, capsys, name, text, why):
    rc, out, err = _run(capsys, tmp_path, name, text)
    assert rc == 2 and out == "" and why in err and "Traceback" not in err
    assert len(err) < 1000


def test_max_file_bytes_at_the_bound_is_accepted(tmp_path):
    (tmp_path / ".slint.toml").write_text("max-file-bytes = 1073741824\n")
    assert load_config(str(tmp_path / ".slint.toml")).max_file_bytes == 1 << 30


def test_many_unknown_codes_get_few_suggestions(monkeypatch):
    calls = []
    real = difflib.get_close_matches
    monkeypatch.setattr(difflib, "get_close_matches",
                        lambda *a, **k: calls.append(a[0]) or real(*a, **k))
    codes = [f"ZZZ{i}" for i in range(100_000)]
    errors = validate_table({"ignore": codes}, "cfg.toml")
    assert len(errors) == 21 and errors[0] == "cfg.toml: ignore: unknown rule code 'ZZZ0'"
    assert errors[-1] == "cfg.toml: and 99980 more unknown rule codes"
    assert len(calls) == 20  # was one difflib scan per unknown code: 100 000 (15 s)
    calls.clear()
    msgs = unknown_codes(codes + ["IAM001", "IAMM01"])
    assert len(msgs) == 21 and msgs[-1] == "and 99981 more unknown rule codes"
    assert len(calls) <= 40  # suggest() tries the upper and the lower case of each of 20


def test_unknown_codes_flag_is_quick_and_exit_2(tmp_path, capsys):
    (tmp_path / "t.yaml").write_text(TEMPLATE)
    bad = [f"ZZZ{i}" for i in range(50_000)]
    rc = run_check(CheckOptions(paths=[str(tmp_path / "t.yaml")], no_config=True, ignore=bad))
    err = capsys.readouterr().err
    assert rc == 2 and "unknown rule code 'ZZZ0'" in err and "and 49980 more" in err


def _fnmatch_all(patterns, names):
    out = []
    for p, payload in patterns:
        if any(fnmatch.fnmatch(n, p) for n in names):
            out.append(payload)
    return out


def test_globset_agrees_with_fnmatch():
    pieces = ["a", "*", "?", "/", ".yaml", "[ab]", "[!a]", "[", "]", "b", "**", "x/*"]
    patterns = ["".join(p) for p in itertools.product(pieces, repeat=3)]
    names = ["a.yaml", "b/a.yaml", "x/a.yaml", "ab", "a[b", "a]", "[", "", "x/y/z.yaml",
             "aa/b.yaml", "b", "ba", "a/"]
    gs = GlobSet((p, i) for i, p in enumerate(patterns))
    for n in names:
        assert gs.match([n]) == _fnmatch_all([(p, i) for i, p in enumerate(patterns)], [n]), n
    assert gs.match(names) == _fnmatch_all([(p, i) for i, p in enumerate(patterns)], names)


def test_many_per_file_ignores_compile_few_patterns(tmp_path):
    # 100 000 globs used to be fnmatch'ed one by one for each file, recompiling each regex (its
    # cache holds 32 768): a 4-line template took over a minute
    n = 100_000
    table = {"per-file-ignores": {f"dir{i}/*.yaml": ["IAM001"] for i in range(n)}}
    table["per-file-ignores"]["*/special.yaml"] = ["S3P"]
    cfg = apply_table(Config(), table, str(tmp_path / ".slint.toml"), cwd=str(tmp_path))
    t0 = time.perf_counter()
    assert cfg.path_ignores("t.yaml") == []
    assert cfg.path_ignores("dir77/a.yaml") == ["IAM001"]
    assert cfg.path_ignores(str(tmp_path / "dir5" / "special.yaml")) == ["IAM001", "S3P"]
    assert time.perf_counter() - t0 < 30  # index built once; was minutes
    globs = cfg.__dict__["_globs"][2]
    assert len(globs) >= n and len(globs._compiled) <= 10  # only candidates were compiled


def test_config_with_globs_pickles_without_its_index(tmp_path):
    import pickle
    cfg = apply_table(Config(), {"per-file-ignores": {"a/*.yaml": ["IAM001"]}},
                      str(tmp_path / ".slint.toml"), cwd=str(tmp_path))
    assert cfg.path_ignores("a/x.yaml") == ["IAM001"]
    back = pickle.loads(pickle.dumps(cfg))
    assert "_globs" not in back.__dict__ and back.path_ignores("a/x.yaml") == ["IAM001"]
    assert back == cfg


def test_load_config_error_type(tmp_path):
    (tmp_path / ".slint.toml").write_text("x = " + "[" * 5000 + "]" * 5000 + "\n")
    with pytest.raises(ConfigError, match="nested too deeply"):
        load_config(str(tmp_path / ".slint.toml"))

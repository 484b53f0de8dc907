"""Property tests of the config and baseline readers: whatever the file holds, the result is a
``Config``/``Counter`` or a ``ConfigError``/``BaselineError`` (exit 2 with a message), never
another exception (a traceback)."""

from __future__ import annotations

import json

from hypothesis import given, strategies as st

from slint.baseline import BaselineError, read
from slint.config import Config, ConfigError, load_config
from tests.props import props

KEYS = ["select", "ignore", "extend-select", "severity", "fail-on", "per-file-ignores", "rules",
        "max-file-bytes", "skip-non-templates", "IAM001", "options", "codes", "*.yaml", "x"]
BIG = st.sampled_from([10**400, -(10**400), 2**63, -1, 0, 10**19])
SCALAR = (st.text(max_size=8) | st.sampled_from(["IAM001", "IAM", "ALL", "high", "low", "*"])
          | st.integers(-5, 5) | BIG | st.booleans() | st.floats(allow_nan=False))
VALUE = st.recursive(SCALAR, lambda kids: st.lists(kids, max_size=4)
                     | st.dictionaries(st.sampled_from(KEYS), kids, max_size=4), max_leaves=20)


def _toml_key(k: str) -> str:
    return json.dumps(k)   # a TOML basic string is JSON-compatible for these keys


def _toml(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v) if isinstance(v, float) else str(v)
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, list):
        return "[" + ", ".join(_toml(x) for x in v) + "]"
    return "{" + ", ".join(f"{_toml_key(k)} = {_toml(x)}" for k, x in v.items()) + "}"


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


def _load(tmp_path, text: str):
    f = tmp_path / ".slint.toml"
    f.write_text(text, encoding="utf-8")
    try:
        return load_config(str(f), cwd=str(tmp_path))
    except ConfigError as exc:
        assert str(exc)
        return exc


@props(80)
@given(st.dictionaries(st.sampled_from(KEYS), VALUE, max_size=6))
def test_any_config_table_loads_or_is_a_config_error(tmp_path_factory, table):
    tmp = tmp_path_factory.mktemp("cfg")
    text = "".join(f"{_toml_key(k)} = {_toml(v)}\n" for k, v in table.items())
    got = _load(tmp, text)
    assert isinstance(got, (Config, ConfigError))


@props(40)
@given(st.sampled_from(["max-file-bytes = {n}", "select = {deep}", "rules = {{ IAM001 = {deep} }}",
                        "per-file-ignores = {{ '*.yaml' = {deep} }}"]),
       st.integers(300, 3000), BIG)
def test_config_bounds(tmp_path_factory, template, depth, n):
    tmp = tmp_path_factory.mktemp("cfg")
    got = _load(tmp, template.format(n=n, deep=_deep(depth)))
    assert isinstance(got, (Config, ConfigError))


def _read(tmp_path, text: str):
    f = tmp_path / "baseline.json"
    f.write_text(text, encoding="utf-8")
    try:
        return read(str(f))
    except BaselineError as exc:
        assert str(exc)
        return exc


ENTRY = st.dictionaries(st.sampled_from(["file", "rule", "resource", "path", "count", "x"]),
                        VALUE, max_size=6)


@props(150)
@given(st.fixed_dictionaries({"version": st.sampled_from([1, 2, "1"]),
                              "findings": st.lists(ENTRY, max_size=4)}),
       st.integers(0, 3000))
def test_any_baseline_reads_or_is_a_baseline_error(tmp_path_factory, doc, depth):
    tmp = tmp_path_factory.mktemp("bl")
    text = json.dumps(doc)
    if depth > 2000 and doc["findings"]:   # and deep nesting inside an entry
        text = text.replace('"findings": [', '"findings": [{"file": "a", "rule": "R", "path": '
                            + _deep(depth) + "}, ", 1)
    got = _read(tmp, text)
    assert isinstance(got, (dict, BaselineError))

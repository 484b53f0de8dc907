"""Property tests of the loader: any bytes, any YAML/JSON shape; never raises; a document or
issues with positions >= 1; what was written is what is read."""

from __future__ import annotations

import json
import math

import yaml
from hypothesis import given, strategies as st

from slint.loader import load_bytes, load_text
from tests.props import props

load_text("a: 1")  # the loader raises the recursion limit once; do it before hypothesis runs

# text keys and values as a template would hold them (no lone surrogates: they cannot be
# written to a UTF-8 file)
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
SCALAR = (st.none() | st.booleans() | st.integers(-(10**30), 10**30) | TEXT
          | st.floats(allow_nan=False, allow_infinity=False))
SHAPE = st.recursive(SCALAR, lambda kids: st.lists(kids, max_size=5)
                     | st.dictionaries(TEXT, kids, max_size=5), max_leaves=40)


def _positions_ok(res) -> None:
    assert res.document is not None or res.issues, "neither a document nor a reason"
    for issue in res.issues:
        assert isinstance(issue.message, str) and issue.message
        assert issue.line >= 1 and issue.column >= 1, issue


@props(200)
@given(st.binary(max_size=400))
def test_any_bytes_load_or_explain(raw):
    _positions_ok(load_bytes(raw, "t.yaml"))
    _positions_ok(load_bytes(raw, "t.json"))


FRAGMENTS = st.sampled_from(["Resources:", "  B:", "    Type: AWS::S3::Bucket", "!Ref", "!Sub",
                             "!GetAtt a.b", "!If [C, 1]", "&a", "*a", "<<: *a", "- ", "? ", "{",
                             "}", "[", "]", ",", ":", "'", '"', "#", "\t", "---", "%YAML 1.1",
                             "\ufeff", "\x85", "\u2028", "9" * 5000, "0x" + "f" * 5000, "~"])


@props(200)
@given(st.lists(FRAGMENTS | TEXT, max_size=30), st.sampled_from(["\n", " ", "\n  ", "\r\n"]))
def test_yamlish_text_loads_or_explains(parts, sep):
    text = sep.join(parts)
    _positions_ok(load_text(text, "t.yaml"))
    _positions_ok(load_bytes(text.encode("utf-8"), "t.json"))


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b and type(a) is type(b)


@props(60)
@given(st.dictionaries(TEXT, SHAPE, max_size=6))
def test_json_reads_back_what_was_written(data):
    text = json.dumps(data)
    res = load_text(text, "t.json")
    assert res.document is not None and not res.issues, res.issues
    assert _same(res.document.data, data)


@props(60)
@given(st.dictionaries(TEXT, SHAPE, max_size=6))
def test_yaml_reads_back_what_was_written(data):
    # allow_unicode=False: PyYAML's emitter writes U+0085 raw inside quotes, where YAML 1.1
    # folds it as a line break (a PyYAML round-trip bug, not the loader's)
    text = yaml.safe_dump(data, allow_unicode=False, sort_keys=False)
    res = load_text(text, "t.yaml")
    assert res.document is not None and not res.issues, (text, res.issues)
    assert _same(res.document.data, data), text


@props(30)
@given(st.integers(4000, 6000), st.sampled_from(["t.json", "t.yaml"]))
def test_integers_of_any_length_are_read(digits, name):
    number = "7" * digits
    text = '{"Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": %s}}}}' % number
    res = load_text(text, name)
    assert res.document is not None and not res.issues, res.issues
    got = res.document.data["Resources"]["B"]["Properties"]["BucketName"]
    assert got == (number if isinstance(got, str) else (10**digits - 1) // 9 * 7)

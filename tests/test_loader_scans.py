"""The loader's cheap pre-scans and its tag resolver, against their plain definitions: the faster
forms (one pass of character classes for the node bound, a ratcheting search for the longest
block prefix, no resolver call for a scalar no implicit resolver can tag) give the very same
numbers and tags."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, strategies as st

from slint import loader
from tests.props import props

# the characters the scans care about, and a few they do not (UTF-8 multi-byte ones included)
SCAN_TEXT = st.text(st.sampled_from(list(":- \t\n\r,[]{}\"'?a\u00e9\u4e2d#!&*")), max_size=60)


def _node_bound_by_forms(text: str, limit: int) -> int:
    """``_node_bound`` as first written: one ``str.count`` per indicator form."""
    rest = 2 * (text.count(",") + text.count("?")) + text.count("[") + text.count("{") + 2
    bound = rest + 2 * text.count(":") + text.count("-")
    if bound <= limit or any(b in text for b in loader._LINE_BREAKS):
        return bound
    colons = sum(text.count(f) for f in loader._COLON_FORMS) + text.endswith(":")
    dashes = sum(text.count(f) for f in loader._DASH_FORMS) + text.endswith("-")
    return rest + 2 * colons + dashes


@props(300)
@given(SCAN_TEXT)
def test_node_bound_counts_every_form(text):
    assert loader._node_bound(text, 0) == _node_bound_by_forms(text, 0)


@props(300)
@given(SCAN_TEXT)
def test_longest_block_prefix_is_the_longest_line_prefix(text):
    assert loader._longest_block_prefix(text) == max(
        (len(m) for m in loader._BLOCK_PREFIX.findall(text)), default=0)


def test_scans_of_a_large_flat_list():
    text = "Action:\n" + "".join(f"  - s3:Get{i}\n" for i in range(5000)) + " " * 7 + "- x"
    assert loader._node_bound(text, 0) == _node_bound_by_forms(text, 0)
    assert loader._longest_block_prefix(text) == 9


@props(300)
@given(st.text(max_size=12))
def test_resolver_tags_as_the_safe_loader(value):
    ours = loader._Loader("")
    safe = yaml.SafeLoader("")
    for implicit in ((True, False), (False, True), (True, True)):
        assert ours.resolve(yaml.ScalarNode, value, implicit) == \
            safe.resolve(yaml.ScalarNode, value, implicit)


def test_resolver_short_cut_leaves_typed_scalars_alone():
    doc = loader.load_text("a: [s3:Get, true, 12, ~, 1.5, 2012-10-17, yes, 'x', Off, .inf]").document
    assert doc.data == {"a": ["s3:Get", True, 12, None, 1.5, "2012-10-17", True, "x", False,
                              ".inf"]}   # as before: YAML's .inf stays text


def test_resolver_default_tags_by_kind_as_the_safe_loader():
    ours = loader._Loader("")
    safe = yaml.SafeLoader("")
    for kind, value, implicit in ((yaml.SequenceNode, None, True), (yaml.SequenceNode, None, False),
                                  (yaml.MappingNode, None, True), (yaml.MappingNode, None, False),
                                  (yaml.ScalarNode, "12", (False, True)),
                                  (yaml.ScalarNode, "true", (False, False))):
        assert ours.resolve(kind, value, implicit) == safe.resolve(kind, value, implicit)


def test_composed_nodes_as_the_safe_loader():
    """The no-op resolver hooks and the short cuts compose the tree the loader they derive from
    (libyaml's safe loader) does."""
    text = ("a: &x [s3:Get, true, 12, ~, 'q', \"d\", !Ref r, {k: v}]\nb: *x\nc:\n  - - 1.5\n"
            "    - !!str 3\n  - ? k\n    : |\n      lit\n")
    def shape(n):
        if isinstance(n, yaml.ScalarNode):
            return (n.tag, n.value, n.style, n.start_mark.line, n.start_mark.column)
        if isinstance(n, yaml.SequenceNode):
            return (n.tag, [shape(c) for c in n.value])
        return (n.tag, [(shape(k), shape(v)) for k, v in n.value])
    assert shape(yaml.compose(text, Loader=loader._Loader)) == \
        shape(yaml.compose(text, Loader=loader._Base))


# small documents near a small node limit: aliases, flow and block collections, open
# collections at a syntax error, tags
NODE_DOC = st.lists(st.sampled_from([
    "a: &x [1, 2]\n", "b: *x\n", "c: [*x, *x, {k: v}]\n", "d:\n  - - 1\n    - !Ref r\n", "e: {\n",
    "f: [\n", "g: ]\n", "h: 'q'\n", "- i\n", "j: !Sub x\n", "k: {a: [b, [c, {d: e}]]}\n"]),
    max_size=8).map("".join)


@props(300)
@given(NODE_DOC, st.integers(0, 40))
def test_budgeted_compose_decides_as_counting_first(text, max_nodes):
    """Composing with a node budget (then counting only past it) gives what counting the events
    first gives: the same data, the same node-limit finding at the same mark, the same syntax
    error."""
    def result():
        r = loader.load_text(text, max_nodes=max_nodes)
        return (r.document.data if r.document else None,
                [(i.message, i.line, i.column) for i in r.issues])

    def never(*_a):
        raise StopIteration   # the budget "trips" at once: the events decide, as before

    with pytest.MonkeyPatch.context() as m:
        m.setattr(loader, "_count_first", lambda *_a: False)
        budgeted = result()
    with pytest.MonkeyPatch.context() as m:
        m.setattr(loader, "_count_first", lambda *_a: False)
        m.setattr(loader, "_compose_within", never)
        counted = result()
    assert budgeted == counted

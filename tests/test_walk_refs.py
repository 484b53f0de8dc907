"""``walk_refs`` skips containers of plain values without walking into them (a 400 000-entry
Action list, each statement of a policy): the same references, paths and order as the plain
walk that visits everything."""

from __future__ import annotations

from hypothesis import given, strategies as st

from slint.graph.refs import walk_refs
from slint.model.values import EMPTY, sub_names
from tests.props import props


def _plain_walk(node, path):
    """Every Ref / GetAtt / Sub in document order, visiting every container (no scenarios:
    the documents below have no Fn::If)."""
    if isinstance(node, dict):
        if len(node) == 1:
            (k, v), = node.items()
            if k == "Ref" and isinstance(v, str):
                yield v, None, "ref", path
                return
            if k == "Fn::GetAtt" and isinstance(v, str):
                a, _, b = v.partition(".")
                yield a, b, "getatt", path
                return
            if k == "Fn::Sub" and isinstance(v, str):
                for name in sub_names(v):
                    a, _, b = name.partition(".")
                    yield a, b or None, "sub", path
                return
        for k, v in node.items():
            yield from _plain_walk(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _plain_walk(v, path + (i,))


LEAF = st.one_of(st.sampled_from(["s3:GetObject", "*", ""]), st.integers(), st.booleans(),
                 st.none(), st.floats(allow_nan=False))
REF = st.one_of(st.builds(lambda n: {"Ref": n}, st.sampled_from(["A", "B"])),
                st.builds(lambda n: {"Fn::GetAtt": n}, st.sampled_from(["A.Arn", "B"])),
                st.builds(lambda n: {"Fn::Sub": n}, st.sampled_from(["${A}-x", "${B.Arn}", "x"])))
DOC = st.recursive(st.one_of(LEAF, REF), lambda kids: st.one_of(
    st.lists(kids, max_size=5), st.dictionaries(st.sampled_from(["K", "L", "Ref", "M"]), kids,
                                                max_size=4)), max_leaves=30)


@props(300)
@given(DOC)
def test_walk_refs_finds_what_the_plain_walk_finds(doc):
    got = [(a, b, k, p) for a, b, k, p, _s in walk_refs(doc, ("R",), EMPTY, lambda *s: EMPTY)]
    assert got == list(_plain_walk(doc, ("R",)))

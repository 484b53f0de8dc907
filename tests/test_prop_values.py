"""Property tests of the symbolic evaluator (``slint.model.values.Evaluator``).

Intrinsic trees are generated together with an oracle: the value of the tree under every
assignment of its conditions (each ``Fn::If`` uses its own condition, all independent: the
condition ``Ci`` tests a parameter without a default). Properties:

- intrinsics and conditions compose: the known values are exactly the oracle's values, each
  with a scenario that selects it;
- scenarios never contradict (no ``(c, True)`` with ``(c, False)``);
- an unknown never disappears: a tree with an unknown leaf has an unknown alternative."""

from __future__ import annotations

import itertools
import string

from hypothesis import assume, given, strategies as st

from slint.loader import load_text
from slint.model.template import Template
from slint.model.values import Evaluator, join_scenarios
from tests.props import props

N_CONDS = 6
TEMPLATE = ("Parameters:\n  Env: {Type: String, Default: dev}\n"
            + "".join(f"  P{i}: {{Type: String}}\n" for i in range(N_CONDS))
            + "  Free: {Type: String}\nConditions:\n"
            + "".join(f"  C{i}: !Equals [!Ref P{i}, 'yes']\n" for i in range(N_CONDS))
            + "Resources:\n  Bucket: {Type: AWS::S3::Bucket}\n")
EVALUATOR = Evaluator(Template(load_text(TEMPLATE).document))

SAFE = string.ascii_letters + string.digits + "-_:/.*"   # no "$", "{", "}", "!": plain Sub text
LIT = st.text(SAFE, max_size=6)
KNOWN_LEAVES = [({"Ref": "Env"}, "dev"), ({"Ref": "AWS::Partition"}, "aws"),
                ({"Ref": "AWS::URLSuffix"}, "amazonaws.com")]
UNKNOWN_LEAVES = [{"Ref": "Free"}, {"Ref": "AWS::Region"}, {"Ref": "AWS::AccountId"},
                  {"Fn::GetAtt": ["Bucket", "Arn"]}, {"Ref": "Bucket"}, {"Fn::ImportValue": "x"}]

# An oracle tree: ("lit", text) | ("unk", node) | ("join", sep, [kids]) | ("sub", [pieces], {var: kid})
# | ("if", cond, a, b) | ("select", i, [kids]); pieces are text or ("var", name).


@st.composite
def leaf(draw, unknown_ok=True):
    k = draw(st.integers(0, 9 if unknown_ok else 7))
    if k <= 4:
        return ("lit", draw(LIT))
    if k <= 7:
        node, text = KNOWN_LEAVES[k - 5]
        return ("known", node, text)
    return ("unk", draw(st.sampled_from(UNKNOWN_LEAVES)))


def trees(unknown_ok: bool):
    def extend(kids):
        names = st.sampled_from(["a", "b", "c"])
        return st.one_of(
            st.tuples(st.just("join"), st.sampled_from(["", "-", ","]), st.lists(kids, min_size=1, max_size=3)),
            st.tuples(st.just("sub"), st.lists(LIT | st.tuples(st.just("var"), names), max_size=4),
                      st.fixed_dictionaries({"a": kids, "b": kids, "c": kids}) if not unknown_ok
                      else st.fixed_dictionaries({}, optional={"a": kids, "b": kids, "c": kids})),
            st.tuples(st.just("if"), st.just(None), kids, kids),
            st.tuples(st.just("select"), st.integers(0, 2), st.lists(kids, min_size=3, max_size=3)),
        )
    return st.recursive(leaf(unknown_ok), extend, max_leaves=8)


def _number_ifs(tree, counter):
    """Give every Fn::If its own condition C0, C1, ... (independent conditions)."""
    kind = tree[0]
    if kind == "if":
        name = f"C{next(counter)}"
        return ("if", name, _number_ifs(tree[2], counter), _number_ifs(tree[3], counter))
    if kind == "join":
        return ("join", tree[1], [_number_ifs(k, counter) for k in tree[2]])
    if kind == "sub":
        return ("sub", tree[1], {v: _number_ifs(k, counter) for v, k in tree[2].items()})
    if kind == "select":
        return ("select", tree[1], [_number_ifs(k, counter) for k in tree[2]])
    return tree


def _ifs(tree) -> int:
    return sum(1 for _ in _walk(tree) if _[0] == "if")


def _walk(tree):
    yield tree
    kind = tree[0]
    kids = (tree[2] if kind in ("join", "select") else list(tree[2].values()) if kind == "sub"
            else [tree[2], tree[3]] if kind == "if" else [])
    for k in kids:
        yield from _walk(k)


def to_node(tree):
    kind = tree[0]
    if kind == "lit":
        return tree[1]
    if kind == "known":
        return dict(tree[1])
    if kind == "unk":
        return dict(tree[1])
    if kind == "join":
        return {"Fn::Join": [tree[1], [to_node(k) for k in tree[2]]]}
    if kind == "if":
        return {"Fn::If": [tree[1], to_node(tree[2]), to_node(tree[3])]}
    if kind == "select":
        return {"Fn::Select": [tree[1], [to_node(k) for k in tree[2]]]}
    text = "".join(p if isinstance(p, str) else "${" + p[1] + "}" for p in tree[1])
    return {"Fn::Sub": [text, {v: to_node(k) for v, k in tree[2].items()}]}


def oracle(tree, env: dict):
    """The value under a full assignment ``env`` (condition -> bool): text, or None if unknown."""
    kind = tree[0]
    if kind == "lit":
        return tree[1]
    if kind == "known":
        return tree[2]
    if kind == "unk":
        return None
    if kind == "if":
        return oracle(tree[2] if env[tree[1]] else tree[3], env)
    if kind == "select":
        return oracle(tree[2][tree[1]], env)
    if kind == "join":
        parts = [oracle(k, env) for k in tree[2]]
        return None if None in parts else tree[1].join(parts)
    out = []
    for p in tree[1]:
        if isinstance(p, str):
            out.append(p)
            continue
        kid = tree[2].get(p[1])
        v = oracle(kid, env) if kid is not None else None   # ${a} without a value: a Ref to a
        if v is None:                                        # resource/parameter named a: unknown
            return None
        out.append(v)
    return "".join(out)


def _setup(tree):
    tree = _number_ifs(tree, itertools.count())
    conds = [f"C{i}" for i in range(_ifs(tree))]
    envs = [dict(zip(conds, bits)) for bits in itertools.product((True, False), repeat=len(conds))]
    return tree, conds, envs


def _consistent(scenario) -> bool:
    return join_scenarios(scenario) is not None


@props(200)
@given(trees(unknown_ok=True))
def test_scenarios_never_contradict(tree):
    tree, conds, _ = _setup(tree)
    assume(len(conds) <= N_CONDS)
    out = EVALUATOR.strings(to_node(tree))
    assert out
    for sv in out:
        assert _consistent(sv.scenario), sv.scenario
        assert {c for c, _ in sv.scenario} <= set(conds)


@props(200)
@given(trees(unknown_ok=True))
def test_known_values_are_exactly_the_oracles(tree):
    """Compose: every known alternative is the oracle's value under each assignment its
    scenario allows, and every value the oracle can produce is found (or an unknown is)."""
    tree, conds, envs = _setup(tree)
    assume(len(conds) <= 4)
    out = EVALUATOR.strings(to_node(tree))
    for sv in out:
        if not sv.known:
            continue
        for env in envs:
            if all(env[c] == b for c, b in sv.scenario):
                assert oracle(tree, env) == sv.text, (sv, env)
    for env in envs:
        want = oracle(tree, env)
        matching = [sv for sv in out if all(env.get(c) == b for c, b in sv.scenario)]
        assert matching, env
        if want is not None:
            assert any(sv.known and sv.text == want for sv in matching) or \
                any(not sv.known for sv in matching), (want, env, out)
        else:
            assert any(not sv.known for sv in matching), (env, out)


@props(150)
@given(trees(unknown_ok=False))
def test_fully_known_trees_are_known(tree):
    tree, conds, envs = _setup(tree)
    assume(len(conds) <= 4)
    out = EVALUATOR.strings(to_node(tree))
    assert sorted({sv.text for sv in out if sv.known}) == sorted({oracle(tree, e) for e in envs})
    assert all(sv.known for sv in out), out


def _wide(parts: int):
    """A Join of ``parts`` Ifs, each on its own condition: 2**parts known values."""
    return ("join", "-", [("if", None, ("lit", f"a{i}"), ("lit", f"b{i}")) for i in range(parts)])


@props(40)
@given(st.integers(5, N_CONDS - 1), st.sampled_from(["if-then", "if-else", "bare", "sub", "select"]))
def test_a_cut_never_reads_as_no_other_value(parts, wrap):
    """2**parts > MAX_ALTERNATIVES values: either all of them are listed, or an unknown
    alternative says that there are others; an unknown branch is never cut away."""
    wide = _wide(parts)
    unk = ("unk", {"Ref": "AWS::Region"})
    tree = {"if-then": ("if", None, unk, wide), "if-else": ("if", None, wide, unk), "bare": wide,
            "sub": ("sub", ["x", ("var", "a")], {"a": wide}),
            "select": ("select", 1, [("lit", "x"), wide, unk])}[wrap]
    tree, _, envs = _setup(tree)
    out = EVALUATOR.strings(to_node(tree))
    values = {oracle(tree, e) for e in envs}
    listed = {sv.text for sv in out if sv.known}
    if not any(not sv.known for sv in out):
        assert None not in values and listed == values, (len(values), len(listed), len(out))


@props(20)
@given(st.integers(4000, 6000))
def test_any_integer_evaluates(digits):
    n = (10**digits - 1) // 9 * 7
    (sv,) = EVALUATOR.strings(n)
    assert sv.known and sv.text == "7" * digits or not sv.known

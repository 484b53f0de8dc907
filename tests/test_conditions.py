"""Conditions as formulas: the solver rejects impossible scenarios, folds constant conditions,
and the evaluator and views never produce a scenario it rejects."""

from __future__ import annotations

from slint.loader import load_text
from slint.model.conditions import MAX_ASSIGNMENTS, ConditionSolver
from slint.model.template import Template
from slint.model.values import Evaluator
from tests.helpers import run_text

BASE = """\
Parameters:
  Env: {Type: String, AllowedValues: [dev, staging, prod]}
  Free: {Type: String}
  Other: {Type: String, AllowedValues: [dev, prod]}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
  IsStaging: !Equals [staging, !Ref Env]
  IsQa: !Equals [!Ref Env, qa]                 # qa is not an allowed value: never true
  FreeA: !Equals [!Ref Free, a]
  FreeB: !Equals [!Ref Free, b]
  East: !Equals [!Ref AWS::Region, us-east-1]
  West: !Equals [!Ref AWS::Region, us-west-2]
  ProdEast: !And [!Condition IsProd, !Condition East]
  ProdOrStaging: !Or [!Condition IsProd, !Condition IsStaging]
  Same: !Equals [!Ref Env, !Ref Other]
  Lit: !Equals [a, a]
  SubX: !Equals [!Sub "${Free}-x", y]
  NotSubX: !Not [!Condition SubX]
  Loop1: !Condition Loop2
  Loop2: !Not [!Condition Loop1]
Resources:
  B: {Type: AWS::S3::Bucket}
"""


def solver() -> ConditionSolver:
    return ConditionSolver(Template(load_text(BASE).document))


def S(*pairs) -> frozenset:
    return frozenset((n, v) for n, v in pairs)


def test_not_and_condition_references():
    s = solver()
    assert not s.possible(S(("IsDev", True), ("IsProd", True)))
    assert not s.possible(S(("IsDev", False), ("IsProd", False)))
    assert s.possible(S(("IsDev", True), ("IsProd", False)))
    assert not s.possible(S(("ProdEast", True), ("IsDev", True)))
    assert not s.possible(S(("ProdEast", True), ("East", False)))
    assert not s.possible(S(("ProdEast", False), ("East", True), ("IsProd", True)))
    assert not s.possible(S(("ProdOrStaging", True), ("IsProd", False), ("IsStaging", False)))
    assert s.possible(S(("ProdOrStaging", True), ("IsProd", False)))


def test_equals_on_one_parameter_with_different_values():
    s = solver()
    assert not s.possible(S(("IsProd", True), ("IsStaging", True)))
    assert not s.possible(S(("FreeA", True), ("FreeB", True)))    # free: still one value
    assert s.possible(S(("FreeA", False), ("FreeB", False)))      # some other value
    assert not s.possible(S(("East", True), ("West", True)))      # pseudo parameters too
    assert s.possible(S(("East", True), ("IsProd", True)))        # independent parameters
    # with AllowedValues the parameter has no "other" value
    assert not s.possible(S(("IsProd", False), ("IsDev", False)))
    assert s.possible(S(("IsProd", False), ("IsStaging", False), ("Same", True)))  # both dev
    assert not s.possible(S(("IsStaging", True), ("Same", True)))  # Other has no staging


def test_constants_fold():
    s = solver()
    assert s.constant("IsQa") is False and not s.possible(S(("IsQa", True)))
    assert s.constant("Lit") is True and not s.possible(S(("Lit", False)))
    assert s.constant("IsProd") is None
    assert s.simplify(S(("Lit", True), ("IsProd", True))) == S(("IsProd", True))
    assert s.simplify(S(("IsQa", False))) == frozenset()


def test_opaque_atoms_cycles_and_undefined_conditions_stay_possible():
    s = solver()
    assert s.possible(S(("SubX", True))) and s.possible(S(("SubX", False)))
    assert not s.possible(S(("SubX", True), ("NotSubX", True)))   # the same atom
    assert s.possible(S(("Loop1", True))) and s.possible(S(("Loop2", True)))
    assert s.possible(S(("Undefined", True), ("IsProd", True)))
    assert not s.possible(S(("Undefined", True), ("Undefined", False)))


def test_past_the_cap_the_answer_is_possible():
    conds = "".join(f"  C{i}: !Equals [!Ref P{i}, x]\n" for i in range(14))
    params = "".join(f"  P{i}: {{Type: String}}\n" for i in range(14))
    text = f"Parameters:\n{params}Conditions:\n{conds}  Never: !Equals [a, b]\n" \
           f"Resources:\n  B: {{Type: AWS::S3::Bucket}}\n"
    s = ConditionSolver(Template(load_text(text).document))
    assert 2 ** 14 > MAX_ASSIGNMENTS
    everything = S(*((f"C{i}", True) for i in range(14)))
    assert s.possible(everything)
    assert not s.possible(everything | S(("Never", True)))   # a constant is still seen


def _evaluator(value_yaml: str) -> tuple:
    t = Template(load_text(BASE + "Outputs:\n  X:\n    Value: " + value_yaml + "\n").document)
    return Evaluator(t), t.outputs["X"]["Value"]


def test_evaluator_prunes_impossible_branches_and_folds_constants():
    e, n = _evaluator("!If [IsDev, !If [IsProd, never, dev-only], prod]")
    got = sorted((v.text, tuple(sorted(v.scenario))) for v in e.strings(n))
    assert got == [("dev-only", (("IsDev", True), ("IsProd", False))),
                   ("prod", (("IsDev", False),))]
    e, n = _evaluator("!Sub ['${A}-${B}', {A: !If [IsProd, p, q], B: !If [IsStaging, s, t]}]")
    got = sorted((v.text, tuple(sorted(v.scenario))) for v in e.strings(n))
    assert ("p-s", (("IsProd", True), ("IsStaging", True))) not in got
    assert [t for t, _ in got] == ["p-t", "q-s", "q-t"]
    e, n = _evaluator("!If [Lit, always, never]")
    (v,) = e.strings(n)
    assert v.text == "always" and v.scenario == frozenset()   # not mentioned
    e, n = _evaluator("!Join ['', [!If [IsQa, qa, x], !If [FreeA, a, b]]]")
    assert sorted(v.text for v in e.strings(n)) == ["xa", "xb"]
    assert e.join(S(("IsDev", True)), S(("IsProd", True))) is None
    assert not e.compatible(S(("FreeA", True)), S(("FreeB", True)))


def test_unknown_never_disappears_through_intrinsics():
    for expr in ("!Sub '${Free}-x'", "!Join ['-', [!Ref Free, x]]",
                 "!Select [0, !Split [',', !Ref Free]]", "!If [IsProd, !Ref Free, x]",
                 "!FindInMap [M, !Ref Free, k]", "!Sub ['${A}', {A: !If [IsDev, !Ref Free, y]}]"):
        t = Template(load_text(BASE + "Mappings:\n  M:\n    a: {k: v}\nOutputs:\n  X:\n    Value: "
                               + expr + "\n").document)
        out = Evaluator(t).strings(t.outputs["X"]["Value"])
        assert any(not v.known for v in out), (expr, out)


def test_api002_does_not_report_an_impossible_scenario():
    text = """\
Transform: AWS::Serverless-2016-10-31
Parameters:
  Env: {Type: String, AllowedValues: [dev, prod]}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
Resources:
  DevFn:
    Type: AWS::Serverless::Function
    Condition: IsDev
    Properties:
      Handler: a.b
      Runtime: python3.12
      CodeUri: s/
      FunctionUrlConfig:
        AuthType: !If [IsProd, NONE, AWS_IAM]
  ProdFn:
    Type: AWS::Serverless::Function
    Condition: IsProd
    Properties:
      Handler: a.b
      Runtime: python3.12
      CodeUri: s/
      FunctionUrlConfig:
        AuthType: !If [IsProd, NONE, AWS_IAM]
"""
    res = run_text(text, select=["API002"])
    got = [(f.rule, f.resource, f.message) for f in res.findings]
    assert got == [("API002", "ProdFn", "the function URL of `ProdFn` can be invoked by anyone: "
                                        "AuthType is NONE (when IsProd)")]


def test_independent_groups_keep_many_conditions_fast():
    """Forty `Fn::If` parts over conditions that share atoms in pairs: each scenario splits
    into small independent groups (one enumeration over all of them took half a minute)."""
    import time
    n = 40
    params = "".join(f"  P{i}: {{Type: String}}\n" for i in range(n))
    conds = "".join(f"  C{i}: !Equals [!Ref P{i % 11}, !Ref AWS::Region]\n" for i in range(n))
    parts = "".join(f"${{V{i}}}" for i in range(n))
    vars_ = "".join(f"        V{i}: !If [C{i}, a, b]\n" for i in range(n))
    text = (f"Parameters:\n{params}Conditions:\n{conds}Resources:\n  B: {{Type: AWS::S3::Bucket}}\n"
            f"Outputs:\n  X:\n    Value: !Sub\n      - \"{parts}\"\n      -\n{vars_}")
    t = Template(load_text(text).document)
    e = Evaluator(t)
    t0 = time.perf_counter()
    out = e.strings(t.outputs["X"]["Value"])
    assert time.perf_counter() - t0 < 5
    for v in out:   # C{i} and C{i+11} are the same comparison: never one true, one false
        if v.known:
            assert all(v.text[i] == v.text[i + 11] for i in range(n - 11)), v.text
    assert any(not v.known for v in out)   # combinations not tried: an unknown, not nothing


def test_scenarios_never_contradict_random_compositions():
    """Seeded random nests of Fn::If / Sub / Join / Select / FindInMap over the conditions of
    BASE: every value's scenario is possible, and at least one value comes out."""
    import random
    rnd = random.Random(7)
    conds = ["IsProd", "IsDev", "IsStaging", "IsQa", "FreeA", "FreeB", "East", "West",
             "ProdEast", "ProdOrStaging", "Same", "Lit", "SubX", "NotSubX"]

    def node(depth):
        k = rnd.randrange(7 if depth < 3 else 2)
        if k == 0:
            return rnd.choice(["a", "b", "!Ref Free", "!Ref Env", "!Ref AWS::Region"])
        if k == 1:
            return f"!If [{rnd.choice(conds)}, a{depth}, b{depth}]"
        if k == 2:
            return f"!If [{rnd.choice(conds)}, {node(depth + 1)}, {node(depth + 1)}]"
        if k == 3:
            return f"!Join ['-', [{node(depth + 1)}, {node(depth + 1)}]]"
        if k == 4:
            return f"!Sub ['${{A}}.${{B}}', {{A: {node(depth + 1)}, B: {node(depth + 1)}}}]"
        if k == 5:
            return f"!Select [0, [{node(depth + 1)}]]"
        return f"!FindInMap [M, {node(depth + 1)}, k]"

    for _ in range(150):
        expr = node(0)
        text = BASE + "Mappings:\n  M:\n    a: {k: x}\n    b: {k: y}\nOutputs:\n  X:\n    Value: " \
            + expr + "\n"
        t = Template(load_text(text).document)
        e = Evaluator(t)
        out = e.strings(t.outputs["X"]["Value"])
        assert out, expr
        for v in out:
            assert e.solver.possible(v.scenario), (expr, v)
            assert e.join(v.scenario) == v.scenario, (expr, v)   # already simplified

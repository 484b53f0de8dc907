"""Symbolic evaluation of intrinsics: every possible value with its scenario."""

from __future__ import annotations

from slint.loader import load_text
from slint.model.template import Template
from slint.model.values import Evaluator, references

BASE = """\
Parameters:
  Env: {Type: String, Default: dev}
  Stage: {Type: String, AllowedValues: [beta, prod]}
  Free: {Type: String}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Mappings:
  M:
    us-east-1: {Name: east}
    eu-west-1: {Name: west}
Resources:
  Bucket: {Type: AWS::S3::Bucket}
  Fn: {Type: AWS::Lambda::Function}
Outputs:
  X:
    Value: 1
"""


def ev(node_yaml: str):
    t = Template(load_text(BASE + "  Probe:\n    Value: " + node_yaml + "\n").document)
    node = t.outputs["Probe"]["Value"]
    return Evaluator(t), node


def vals(node_yaml):
    e, n = ev(node_yaml)
    return e.strings(n)


def test_literals_and_pseudo():
    (v,) = vals("hello")
    assert v.known and v.text == "hello"
    (v,) = vals("!Ref AWS::Partition")
    assert v.known and v.text == "aws"
    (v,) = vals("!Ref AWS::AccountId")
    assert not v.known and v.pseudo == ("AWS::AccountId",)


def test_parameters_defaults_allowed_values_and_unknown():
    (v,) = vals("!Ref Env")
    assert v.known and v.text == "dev" and v.from_param == ("Env",)
    assert sorted(x.text for x in vals("!Ref Stage")) == ["beta", "prod"]
    (v,) = vals("!Ref Free")
    assert not v.known and v.params == ("Free",) and v.text == "{Free}"


def test_sub_with_resources_and_pseudo():
    (v,) = vals("!Sub 'arn:${AWS::Partition}:s3:::${Bucket}/*'")
    assert v.text == "arn:aws:s3:::{Ref:Bucket}/*" and not v.known
    assert v.refs == (("Bucket", None),)
    (v,) = vals("!Sub '${Fn.Arn}'")
    assert v.single_ref() == ("Fn", "Arn")
    (v,) = vals("!Sub ['${A}-${AWS::Region}', {A: !Ref Env}]")
    assert v.text == "dev-{AWS::Region}"
    (v,) = vals("!Sub 'literal ${!NotAVar}'")
    assert v.known and v.text == "literal ${NotAVar}"


def test_join_select_split_findinmap():
    (v,) = vals("!Join ['-', [a, !Ref Env, b]]")
    assert v.known and v.text == "a-dev-b"
    (v,) = vals("!Select [1, [x, y, z]]")
    assert v.text == "y"
    (v,) = vals("!Select [2, !Split ['/', 'a/b/c']]")
    assert v.text == "c"
    (v,) = vals("!FindInMap [M, us-east-1, Name]")
    assert v.known and v.text == "east"
    out = vals("!FindInMap [M, !Ref AWS::Region, Name]")
    assert sorted(x.text for x in out) == ["east", "west"] and not any(x.known for x in out)


def test_if_gives_both_branches_with_scenarios():
    out = vals("!If [IsProd, prod-bucket, !Ref AWS::NoValue]")
    assert [(x.text, sorted(x.scenario)) for x in out] == [("prod-bucket", [("IsProd", True)])]
    out = vals("!Sub ['${X}-logs', {X: !If [IsProd, p, d]}]")
    assert sorted((x.text, tuple(x.scenario)) for x in out) == [
        ("d-logs", (("IsProd", False),)), ("p-logs", (("IsProd", True),))]


def test_contradictory_scenarios_are_dropped():
    out = vals("!Join ['', [!If [IsProd, a, b], !If [IsProd, c, d]]]")
    assert sorted(x.text for x in out) == ["ac", "bd"]


def test_branches_and_items():
    e, node = ev("[a, !If [IsProd, b, !Ref AWS::NoValue], c]")
    items = [(i, it, tuple(s)) for i, it, s in e.items(node)]
    assert items == [(0, "a", ()), (1, "b", (("IsProd", True),)), (2, "c", ())]
    e, node = ev("single")
    assert [(i, it) for i, it, _ in e.items(node)] == [(-1, "single")]


def test_unknown_shapes_are_unknown_not_errors():
    for y in ("!GetAZs ''", "!ImportValue shared-pool", "{Fn::Unknown: 1}", "{a: 1, b: 2}",
              "!Select [x, 1]", "!Join [1]", "!Sub [1, 2, 3]"):
        out = vals(y)
        assert out and all(not v.known for v in out), y
    (v,) = vals("!ImportValue shared-pool")
    assert v.imports == ("shared-pool",)


def test_references_walks_every_form():
    node = {"A": {"Ref": "X"}, "B": [{"Fn::GetAtt": ["Y", "Arn"]}],
            "C": {"Fn::Sub": ["${Z}-${W.Out}-${local}", {"local": {"Ref": "V"}}]}}
    got = sorted((n, a, k) for n, a, k, _ in references(node))
    assert got == [("V", None, "ref"), ("W", "Out", "sub"), ("X", None, "ref"),
                   ("Y", "Arn", "getatt"), ("Z", None, "sub")]


# ---------------------------------------------------------------- hardening


def _huge_int_template(number: str) -> str:
    return f"""\
Parameters:
  P: {{Type: String, Default: {number}, AllowedValues: [{number}, small]}}
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: {number}
  Pol:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref B
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: '*'
            Action: {number}
            Resource: '*'
            Condition:
              StringEquals:
                aws:SourceAccount: {number}
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {{Effect: Allow, Principal: {{Service: lambda.amazonaws.com}}, Action: sts:AssumeRole}}
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
              - {{Effect: Allow, Action: [{number}, !Ref P], Resource: {number}}}
"""


def test_huge_integers_never_raise():
    """A 5000-digit integer (decimal or hex) stays text: no rule fails on it (INT001)."""
    from tests.helpers import codes, run_text
    for number in ("1" * 5000, "0x" + "f" * 5000):
        res = run_text(_huge_int_template(number))
        found = codes(res)
        assert not [c for c in found if c.startswith("INT")], found
        assert "BKT004" in found   # the name is read as the text written (not a valid name)
        t = Template(load_text(_huge_int_template(number)).document)
        assert t.resources["B"].properties["BucketName"] == number
        (v,) = Evaluator(t).strings(t.resources["B"].properties["BucketName"])
        assert v.known and v.text == number


def test_huge_integer_in_json_is_read():
    number = "9" * 5000
    text = '{"Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": %s}}}}' % number
    res = load_text(text, "t.json")
    assert res.document is not None and not res.issues
    assert res.document.data["Resources"]["B"]["Properties"]["BucketName"] == number


def test_huge_int_node_from_elsewhere_is_unknown():
    e, _ = ev("x")
    (v,) = e.strings(int("7" * 3000) ** 2)   # 6000 digits: cannot be printed
    assert not v.known and v.text == "{integer}"


def test_sub_scanner_literals_and_variables():
    from slint.model.values import sub_names, sub_parts
    assert sub_parts("a${X}b${!Lit}c${Y.Arn}") == ["a", ("X",), "b${Lit}c", ("Y.Arn",)]
    assert sub_parts("${}${!x}${") == ["${}${x}${"]
    assert sub_names("${!a${B}") == ["B"]          # a variable may start inside a literal
    assert sub_names("${a${b}") == ["a${b"]        # as CloudFormation's `${...}` up to the first `}`
    (v,) = vals("!Sub 'arn:${AWS::Partition}:${!Literal}:${Bucket}'")
    assert v.text == "arn:aws:${Literal}:{Ref:Bucket}"


def test_sub_with_many_unclosed_openings_is_linear():
    import time
    tmpl = "${" * 200_000
    t0 = time.perf_counter()
    (v,) = vals("!Sub '" + tmpl + "'")
    refs = list(references({"Fn::Sub": tmpl + "${Bucket}"}))
    parts = vals("!Sub '" + "${!x" * 100_000 + "}${Bucket}'")
    elapsed = time.perf_counter() - t0
    assert v.known and v.text == tmpl
    # "${${...${Bucket}" is one (odd) name running to the first "}", as before
    assert len(refs) == 1 and refs[0][0] == "${" * 199_999 + "${Bucket"
    assert parts[0].text.startswith("${x${x")
    assert elapsed < 5, elapsed


# ---------------------------------------------------------------- bounds never read as "no other value"


def _tmpl_with(params_yaml: str, value_yaml: str) -> tuple:
    text = f"Parameters:\n{params_yaml}Resources:\n  B: {{Type: AWS::S3::Bucket}}\nOutputs:\n  X:\n    Value: {value_yaml}\n"
    t = Template(load_text(text).document)
    return Evaluator(t), t.outputs["X"]["Value"]


def test_allowed_values_are_kept_in_full_up_to_the_bound():
    vals_ = ", ".join(f"v{i}" for i in range(40))
    e, n = _tmpl_with(f"  P: {{Type: String, AllowedValues: [{vals_}]}}\n", "!Ref P")
    out = e.strings(n)
    assert [v.text for v in out] == [f"v{i}" for i in range(40)] and all(v.known for v in out)


def test_truncated_parameter_adds_an_unknown_naming_it():
    from slint.model.values import MAX_PARAM_VALUES
    vals_ = ", ".join(f"v{i}" for i in range(MAX_PARAM_VALUES + 10))
    e, n = _tmpl_with(f"  P: {{Type: String, AllowedValues: [{vals_}]}}\n", "!Ref P")
    out = e.strings(n)
    unknown = [v for v in out if not v.known]
    assert len(unknown) == 1 and unknown[0].text == "{P}" and unknown[0].params == ("P",)
    assert len([v for v in out if v.known]) == MAX_PARAM_VALUES


def test_truncated_sub_and_join_add_an_unknown():
    from slint.model.values import MAX_ALTERNATIVES
    a = ", ".join(f"a{i}" for i in range(10))
    params = f"  A: {{Type: String, AllowedValues: [{a}]}}\n  B: {{Type: String, AllowedValues: [{a}]}}\n"
    for expr in ("!Sub '${A}-${B}'", "!Join ['-', [!Ref A, !Ref B]]"):
        e, n = _tmpl_with(params, expr)
        out = e.strings(n)
        assert len([v for v in out if v.known]) == MAX_ALTERNATIVES
        (u,) = [v for v in out if not v.known]
        assert set(u.params) == {"A", "B"} and not u.refs


def test_findinmap_keeps_unknown_and_key_scenarios():
    text = """\
Conditions:
  C: !Equals [!Ref AWS::Region, us-east-1]
Mappings:
  M:
    k1: {v: one}
    k2: {v: two}
Resources:
  B: {Type: AWS::S3::Bucket}
Outputs:
  X:
    Value: !FindInMap [M, !If [C, k1, !Ref AWS::Region], v]
"""
    t = Template(load_text(text).document)
    out = Evaluator(t).strings(t.outputs["X"]["Value"])
    known = [(v.text, v.scenario) for v in out if v.known]
    assert known == [("one", frozenset({("C", True)}))]
    # the region key is unknown: every value of the map, each unknown, when not C
    assert sorted(v.text for v in out if not v.known) == ["one", "two"]
    assert all(v.scenario == frozenset({("C", False)}) for v in out if not v.known)


def test_strings_is_memoised_per_node_and_scenario():
    e, n = ev("!Sub 'arn:${AWS::Partition}:s3:::${Bucket}/*'")
    calls = []
    real = e._eval
    e._eval = lambda *a: calls.append(1) or real(*a)
    first = e.strings(n)
    after_first = len(calls)
    first.append("mutated")                  # a caller's list is its own
    second = e.strings(n)
    assert len(calls) == after_first > 0     # not evaluated again
    assert [v.text for v in second] == ["arn:aws:s3:::{Ref:Bucket}/*"]
    e.strings(n, frozenset({("IsProd", True)}))
    assert len(calls) > after_first          # another scenario is another entry
    copy = {"Fn::Sub": n["Fn::Sub"]}         # an equal but distinct node is evaluated itself
    before = len(calls)
    assert [v.text for v in e.strings(copy)] == ["arn:aws:s3:::{Ref:Bucket}/*"]
    assert len(calls) > before

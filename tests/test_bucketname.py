"""BUCKETNAME: the bucket-name view's grading, the naming rules, the strict option, duplicates
within a template and across the templates of a run, and the real-world corpus."""

from __future__ import annotations

import pickle
import textwrap

import pytest

from slint.config import Config
from slint.context import Context
from slint.engine import run, selected_rules
from slint.loader import load_text
from slint.model.template import Template
from slint.views.bucket_names import (EMPTY_NAME, FIXED, QUALIFIED, UNKNOWN, UNQUALIFIED,
                                      naming_problems)

from .helpers import run_text

BKT = ["BKT001", "BKT002", "BKT003", "BKT004"]


def ctx_of(text: str) -> Context:
    loaded = load_text(textwrap.dedent(text), "t.yaml")
    return Context(loaded.document, Template(loaded.document))


def bucket_template(name_yaml: str, extra: str = "") -> str:
    return textwrap.dedent("""\
        Parameters:
          Stage: {Type: String, AllowedValues: [dev, prod]}
          Free: {Type: String}
          Prefix: {Type: String, Default: acme}
        Conditions:
          IsProd: !Equals [!Ref Stage, prod]
        Resources:
          B:
            Type: AWS::S3::Bucket
            Properties:
        """) + f"      BucketName: {name_yaml}\n" + extra


def grades(name_yaml: str, strict: bool = False, extra: str = "") -> list[tuple[str, str]]:
    view = ctx_of(bucket_template(name_yaml, extra)).bucket_names
    return [(v.text, v.strict_grade if strict else v.grade) for v in view.buckets[0].values]


@pytest.mark.parametrize("name,want", [
    ("acme-data", [("acme-data", FIXED)]),
    ('!Sub "acme-${AWS::Partition}"', [("acme-aws", FIXED)]),
    ('!Join ["-", [a, b, c]]', [("a-b-c", FIXED)]),
    ("!Ref Prefix", [("acme", UNQUALIFIED)]),
    ('!Sub "x-${Stage}"', [("x-dev", UNQUALIFIED), ("x-prod", UNQUALIFIED)]),
    ('!Sub "x-${AWS::Region}"', [("x-{AWS::Region}", UNQUALIFIED)]),
    ('!Sub "x-${AWS::AccountId}"', [("x-{AWS::AccountId}", QUALIFIED)]),
    ('!Sub "${AWS::StackName}-x"', [("{AWS::StackName}-x", QUALIFIED)]),
    ('!Select [2, !Split ["/", !Ref AWS::StackId]]', [("{Select}", QUALIFIED)]),
    # a parameter with no Default: the name is whatever the deployer passes
    ("!Ref Free", [("{Free}", UNQUALIFIED)]),
    ('!Sub "${Free}-${AWS::Region}"', [("{Free}-{AWS::Region}", UNQUALIFIED)]),
    ('!GetAtt Other.Arn', [("{GetAtt:Other.Arn}", UNKNOWN)]),
    ("!ImportValue shared", [("{Import:shared}", UNKNOWN)]),
    ('""', [("", EMPTY_NAME)]),
    ("x-111122223333-us-east-1-an", [("x-111122223333-us-east-1-an", QUALIFIED)]),
    ('!Sub "x-${AWS::AccountId}-${AWS::Region}-an"', [("x-{AWS::AccountId}-{AWS::Region}-an", QUALIFIED)]),
])
def test_grades(name, want):
    assert grades(name) == want


def test_ssm_parameter_default_is_a_parameter_name_not_the_bucket_name():
    text = """
        Parameters:
          Name: {Type: "AWS::SSM::Parameter::Value<String>", Default: /acme/bucket-name}
        Resources:
          B: {Type: AWS::S3::Bucket, Properties: {BucketName: !Ref Name}}
        """
    (v,) = ctx_of(text).bucket_names.buckets[0].values
    assert v.grade == UNKNOWN
    assert not run_text(textwrap.dedent(text), select=BKT).findings


def test_if_branches_are_graded_with_their_scenario_and_novalue_dropped():
    view = ctx_of(bucket_template("!If [IsProd, fixed-prod, !Ref AWS::NoValue]")).bucket_names
    (v,) = view.buckets[0].values
    assert (v.text, v.grade, v.scenario) == ("fixed-prod", FIXED, frozenset({("IsProd", True)}))
    assert v.path[-2:] == ("Fn::If", 1)


def test_branches_impossible_while_the_bucket_exists_are_dropped():
    view = ctx_of("""
        Parameters:
          Env: {Type: String, AllowedValues: [dev, prod]}
        Conditions:
          IsProd: !Equals [!Ref Env, prod]
          IsDev: !Equals [!Ref Env, dev]
        Resources:
          B:
            Type: AWS::S3::Bucket
            Condition: IsProd
            Properties:
              BucketName: !If [IsDev, dev-fixed, !Sub "prod-${AWS::AccountId}"]
        """).bucket_names
    assert [(v.text, v.grade) for v in view.buckets[0].values] == [("prod-{AWS::AccountId}", QUALIFIED)]


def test_parameter_values_are_bound_to_the_conditions_that_test_them():
    text = """
        Parameters:
          Env: {Type: String, AllowedValues: [dev, prod]}
        Conditions:
          IsProd: !Equals [!Ref Env, prod]
        Resources:
          A:
            Type: AWS::S3::Bucket
            Properties:
              BucketName: !If [IsProd, !Sub "app-${Env}", !Ref AWS::NoValue]
          B: {Type: AWS::S3::Bucket, Properties: {BucketName: app-dev}}
          C:
            Type: AWS::S3::Bucket
            Condition: IsProd
            Properties: {BucketName: !Sub "c-${Env}"}
        """
    view = ctx_of(text).bucket_names
    assert {b.logical_id: [v.text for v in b.values] for b in view.buckets} == {
        "A": ["app-prod"], "B": ["app-dev"], "C": ["c-prod"]}
    assert view.collisions() == []


def test_namespace_property_qualifies_every_value():
    extra = "      BucketNamespace: account-regional\n"
    assert grades("plain-name", extra=extra) == [("plain-name", QUALIFIED)]


def test_strict_requires_account_and_region_or_stack_id():
    assert grades('!Sub "${AWS::StackName}-x"', strict=True) == [("{AWS::StackName}-x", UNQUALIFIED)]
    assert grades('!Sub "x-${AWS::AccountId}"', strict=True) == [("x-{AWS::AccountId}", UNQUALIFIED)]
    assert grades('!Sub "x-${AWS::AccountId}-${AWS::Region}"', strict=True)[0][1] == QUALIFIED
    assert grades('!Select [2, !Split ["/", !Ref AWS::StackId]]', strict=True)[0][1] == QUALIFIED


def test_strict_option_through_the_rule():
    text = bucket_template('!Sub "${AWS::StackName}-data"')
    assert not [f for f in run_text(text, select=["BKT002"]).findings if f.rule == "BKT002"]
    got = run_text(text, select=["BKT002"], rule_options={"BKT002": {"strict": True}}).findings
    (f,) = [f for f in got if f.rule == "BKT002"]
    assert "`${AWS::AccountId}` and `${AWS::Region}`" in f.message and f.severity == "low"


def test_strict_option_from_a_config_file(tmp_path):
    from slint.config import load_config
    conf = tmp_path / ".slint.toml"
    conf.write_text("[rules.BKT002]\nstrict = true\n")
    cfg = load_config(str(conf))
    assert cfg.rule_options["BKT002"] == {"strict": True}
    (rule,) = [r for r in selected_rules(cfg) if r.code == "BKT002"]
    assert rule.opts["strict"] is True


def test_parameter_default_is_named_and_located_at_bucket_name():
    text = bucket_template("!Ref Prefix")
    (f,) = [f for f in run_text(text, select=["BKT002"]).findings if f.rule == "BKT002"]
    assert "default of parameter `Prefix`" in f.message
    assert f.path == ["Resources", "B", "Properties", "BucketName"]
    assert f.line == 11


def test_naming_problems_only_judge_known_parts():
    view = ctx_of(bucket_template('!Sub "${Free}${AWS::StackName}"')).bucket_names
    assert naming_problems(view.buckets[0].values[0]) == []
    view = ctx_of(bucket_template('!Sub "UP_${Free}-"')).bucket_names
    probs = naming_problems(view.buckets[0].values[0])
    assert any("uppercase" in p for p in probs) and any("`_`" in p or "(_)" in p for p in probs)
    assert any(p.startswith("ends with `-`") for p in probs)
    assert not any("characters long" in p for p in probs)   # length unknown: never judged


def test_length_lower_bound_counts_account_and_region():
    fits = "a" * 41   # 41 + 1 + 12 + 1 + 9 = 64 > 63
    view = ctx_of(bucket_template(f'!Sub "{fits}-${{AWS::AccountId}}-${{AWS::Region}}"')).bucket_names
    assert naming_problems(view.buckets[0].values[0]) == ["at least 64 characters long (maximum 63)"]
    view = ctx_of(bucket_template(f'!Sub "{fits[1:]}-${{AWS::AccountId}}-${{AWS::Region}}"')).bucket_names
    assert naming_problems(view.buckets[0].values[0]) == []


def test_invalid_name_never_flags_placeholders_in_rule_output():
    text = bucket_template('!Sub "${Free}"')
    assert not run_text(text, select=["BKT004"]).findings


def test_collisions_respect_condition_logic():
    view = ctx_of("""
        Parameters:
          Env: {Type: String, Default: dev}
        Conditions:
          IsProd: !Equals [!Ref Env, prod]
          IsDev: !Equals [!Ref Env, dev]
          Either: !Or [!Condition IsProd, !Condition IsDev]
        Resources:
          A: {Type: AWS::S3::Bucket, Condition: IsProd, Properties: {BucketName: same}}
          B: {Type: AWS::S3::Bucket, Condition: IsDev, Properties: {BucketName: same}}
          C: {Type: AWS::S3::Bucket, Condition: Either, Properties: {BucketName: same}}
        """).bucket_names
    pairs = sorted({(c.bucket.logical_id, c.other.logical_id) for c in view.collisions()})
    assert pairs == [("A", "C"), ("B", "C"), ("C", "A"), ("C", "B")]
    assert view.satisfiable(frozenset({("IsProd", True), ("IsDev", False)}))
    assert not view.satisfiable(frozenset({("IsProd", True), ("IsDev", True)}))


def test_collisions_under_exclusive_region_conditions_are_not_reported():
    view = ctx_of("""
        Conditions:
          InUsEast1: !Equals [!Ref "AWS::Region", us-east-1]
          Elsewhere: !Not [!Condition InUsEast1]
          AlsoUsEast1: !Equals [us-east-1, !Ref "AWS::Region"]
        Resources:
          A: {Type: AWS::S3::Bucket, Condition: InUsEast1, Properties: {BucketName: !Sub "x-${AWS::AccountId}"}}
          B: {Type: AWS::S3::Bucket, Condition: Elsewhere, Properties: {BucketName: !Sub "x-${AWS::AccountId}"}}
          C: {Type: AWS::S3::Bucket, Condition: AlsoUsEast1, Properties: {BucketName: !Sub "x-${AWS::AccountId}"}}
        """).bucket_names
    pairs = sorted({(c.bucket.logical_id, c.other.logical_id) for c in view.collisions()})
    assert pairs == [("A", "C"), ("C", "A")]


def test_one_finding_per_bucket_naming_every_other():
    text = "Resources:\n" + "".join(
        f"  B{i}: {{Type: AWS::S3::Bucket, Properties: {{BucketName: !Sub 'same-${{AWS::AccountId}}'}}}}\n"
        for i in range(5))
    got = [f for f in run_text(text, select=["BKT003"]).findings if f.rule == "BKT003"]
    assert sorted(f.resource for f in got) == [f"B{i}" for i in range(5)]
    b0 = next(f for f in got if f.resource == "B0")
    assert "`B0` and `B1`, `B2`, `B3` and 1 more can all be named" in b0.message
    assert [r["resource"] for r in b0.related] == ["B1", "B2", "B3", "B4"]


def test_cross_file_duplicates_name_both_files(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "template.yaml").write_text(textwrap.dedent("""\
        AWSTemplateFormatVersion: "2010-09-09"
        Resources:
          Logs:
            Type: AWS::S3::Bucket
            Properties:
              BucketName: acme-shared-logs
          PerAccount:
            Type: AWS::S3::Bucket
            Properties:
              BucketName: !Sub "acme-${AWS::AccountId}-${AWS::Region}-cache"
          PerStack:
            Type: AWS::S3::Bucket
            Properties:
              BucketName: !Sub "${AWS::StackName}-work"
        """))
    (tmp_path / "b.yaml").write_text(textwrap.dedent("""\
        AWSTemplateFormatVersion: "2010-09-09"
        Parameters:
          Name: {Type: String, Default: acme-shared-logs}
        Resources:
          Audit:
            Type: AWS::S3::Bucket
            Properties:
              BucketName: !Ref Name
          Cache:
            Type: AWS::S3::Bucket
            Properties:
              BucketName: !Join ["-", [acme, !Ref AWS::AccountId, !Ref AWS::Region, cache]]
          Work:
            Type: AWS::S3::Bucket
            Properties:
              BucketName: !Sub "${AWS::StackName}-work"
        """))
    (tmp_path / "c.yaml").write_text(textwrap.dedent("""\
        AWSTemplateFormatVersion: "2010-09-09"
        Resources:
          Unrelated:
            Type: AWS::S3::Bucket
            Properties:
              BucketName: !Sub "other-${AWS::AccountId}"
        """))
    config = Config(select=["BKT003"])
    result = run([str(tmp_path)], config, jobs=1, rules=selected_rules(config))
    got = sorted((f.file.replace(str(tmp_path) + "/", ""), f.resource, f.line)
                 for f in result.findings if f.rule == "BKT003")
    assert got == [("a/template.yaml", "Logs", 6), ("a/template.yaml", "PerAccount", 10),
                   ("b.yaml", "Audit", 8), ("b.yaml", "Cache", 12)]
    for f in result.findings:
        other = "b.yaml" if f.file.endswith("template.yaml") else "a/template.yaml"
        assert other in f.message and f.related and f.related[0]["file"].endswith(other)
    audit = next(f for f in result.findings if f.resource == "Audit")
    assert audit.message.startswith("`Audit` can be named `acme-shared-logs` (from parameter "
                                     "`Name`), as can `Logs` in ")
    assert audit.message.endswith("(line 6): the two stacks collide anywhere with these "
                                  "parameter values")
    logs = next(f for f in result.findings if f.resource == "Logs")
    assert logs.message.endswith("(line 8, from parameter `Name`): the two stacks collide "
                                 "anywhere with these parameter values")
    cache = next(f for f in result.findings if f.resource == "Cache")
    assert "same account and region" in cache.message


def test_facts_are_picklable_and_stable():
    ctx = ctx_of(bucket_template('!If [IsProd, a-b-c, !Sub "x-${AWS::AccountId}"]'))
    facts = ctx.bucket_names.facts()
    assert pickle.loads(pickle.dumps(facts)) == facts
    assert facts[0][6] == (("a-b-c", ()), ("x-{AWS::AccountId}", ()))


def test_same_file_twice_is_not_a_cross_file_duplicate(tmp_path):
    p = tmp_path / "t.yaml"
    p.write_text(bucket_template("acme-once"))
    config = Config(select=["BKT003"])
    result = run([str(p), str(p)], config, jobs=1, rules=selected_rules(config))
    assert not [f for f in result.findings if f.rule == "BKT003"]


def test_every_fixture_runs_clean_of_internal_errors():
    from .conftest import FIXTURES
    config = Config(select=BKT + ["INT001"])
    result = run([str(FIXTURES)], config, jobs=1, rules=selected_rules(config))
    assert not [f for f in result.findings if f.rule == "INT001"]
    assert {f.rule for f in result.findings} >= set(BKT)


def test_corpus(corpus_dir):
    config = Config(select=BKT + ["INT001"])
    first = run([str(corpus_dir)], config, jobs=1, rules=selected_rules(config))
    assert not [f for f in first.findings if f.rule == "INT001"]
    by_rule = {}
    for f in first.findings:
        by_rule.setdefault(f.rule, []).append(f)
    # the corpus has literal names (BKT001), parameter defaults (BKT002) and the same
    # defaults in several language variants of one pattern (BKT003 across files)
    assert {"BKT001", "BKT002", "BKT003"} <= set(by_rule)
    # one finding per bucket, naming (and locating) every other file's bucket, up to 5
    assert all(1 <= len(f.related or []) <= 5 for f in by_rule["BKT003"])
    assert len({(f.file, f.resource) for f in by_rule["BKT003"]}) == len(by_rule["BKT003"])
    again = run([str(corpus_dir)], config, jobs=1, rules=selected_rules(config))
    assert [f.to_dict() for f in again.findings] == [f.to_dict() for f in first.findings]


def test_many_buckets_with_one_name_in_one_template_are_linear(monkeypatch):
    # 1 500 buckets named alike made 2 250 000 pair objects (6.4 s, 966 MB); now one group
    # per bucket, each naming a capped list of the others, and one condition check per pair
    # of scenario classes (satisfiable: once per bucket while building, +n²/2 before)
    from slint.views import bucket_names as bn
    calls = []
    real = bn.BucketNameView.satisfiable
    monkeypatch.setattr(bn.BucketNameView, "satisfiable",
                        lambda self, *a: calls.append(1) or real(self, *a))
    n = 1500
    text = "Resources:\n" + "".join(
        f"  B{i}: {{Type: AWS::S3::Bucket, Properties: {{BucketName: acme-same}}}}\n"
        for i in range(n))
    got = [f for f in run_text(text, select=["BKT003"]).findings if f.rule == "BKT003"]
    from slint.engine import MAX_FINDINGS_PER_RULE
    assert len(got) == min(n, MAX_FINDINGS_PER_RULE) and len(calls) < 3 * n, len(calls)
    b7 = next(f for f in got if f.resource == "B7")
    assert b7.message == (f"`B7` and `B0`, `B1`, `B2` and {n - 4} more can all be named "
                          "`acme-same`")
    assert [r["resource"] for r in b7.related] == [f"B{i}" for i in range(11) if i != 7]


def test_conditions_still_split_collision_groups():
    text = textwrap.dedent("""\
        Parameters:
          Env: {Type: String, AllowedValues: [dev, prod]}
        Conditions:
          IsProd: !Equals [!Ref Env, prod]
          IsDev: !Equals [!Ref Env, dev]
        Resources:
          P1: {Type: AWS::S3::Bucket, Condition: IsProd, Properties: {BucketName: acme-x}}
          P2: {Type: AWS::S3::Bucket, Condition: IsProd, Properties: {BucketName: acme-x}}
          D1: {Type: AWS::S3::Bucket, Condition: IsDev, Properties: {BucketName: acme-x}}
          A1: {Type: AWS::S3::Bucket, Properties: {BucketName: acme-x}}
        """)
    got = {f.resource: f.message for f in run_text(text, select=["BKT003"]).findings
           if f.rule == "BKT003"}
    assert got["D1"] == "`D1` and `A1` can both be named `acme-x` when IsDev"
    assert got["P1"] == "`P1` and `P2`, `A1` can all be named `acme-x` when IsProd"
    assert sorted(got) == ["A1", "D1", "P1", "P2"]


def test_many_files_with_one_name_give_one_finding_each(tmp_path):
    # N templates naming a bucket alike gave N x (N - 1) findings (400 files: 160 000, 1 GB)
    n = 60
    for i in range(n):
        (tmp_path / f"t{i:02d}.yaml").write_text(bucket_template("acme-shared"))
    config = Config(select=["BKT003"])
    result = run([str(tmp_path)], config, jobs=1, rules=selected_rules(config))
    got = [f for f in result.findings if f.rule == "BKT003"]
    assert len(got) == n
    f0 = next(f for f in got if f.file.endswith("t00.yaml"))
    assert f"and {n - 6} more: the {n} stacks collide anywhere" in f0.message
    assert [r["file"][-8:] for r in f0.related] == [f"t{i:02d}.yaml" for i in range(1, 6)]
    f3 = next(f for f in got if f.file.endswith("t03.yaml"))
    assert [r["file"][-8:] for r in f3.related] == [f"t{i:02d}.yaml" for i in (0, 1, 2, 4, 5)]


def test_three_files_name_both_others(tmp_path):
    for name in "abc":
        (tmp_path / f"{name}.yaml").write_text(bucket_template("acme-three"))
    config = Config(select=["BKT003"])
    result = run([str(tmp_path)], config, jobs=1, rules=selected_rules(config))
    got = [f for f in result.findings if f.rule == "BKT003"]
    assert len(got) == 3
    a = next(f for f in got if f.file.endswith("a.yaml"))
    assert " and `B` in `" in a.message and a.message.endswith(": the 3 stacks collide anywhere")
    assert len(a.related) == 2

"""Suppressions: template and resource Metadata, inline comments, required reasons, unused ones."""

from __future__ import annotations

from slint.config import Config
from slint.engine import check_text
from slint.findings import Category, Severity
from slint.rule import Rule
from slint.rules.core.suppression import (InvalidSuppression, SuppressionWithoutReason,
                                          UnusedSuppression)


class HandlerRule(Rule):
    """Test rule: flags every `Handler` property."""
    code = "TST001"
    name = "test-handler"
    category = Category.IAM
    severity = Severity.MEDIUM
    message = "`{id}` has a handler"

    def check(self, ctx):
        for r in ctx.template.user_resources():
            if "Handler" in r.properties:
                yield self.report(ctx, r.doc_path(("Properties", "Handler")), resource=r.logical_id,
                                  id=r.logical_id)


class GeneratedRule(Rule):
    """Test rule: reports on what SAM generates (implicit API, generated role) by their own ids."""
    code = "TST002"
    name = "test-generated"
    category = Category.APIAUTH
    severity = Severity.HIGH
    message = "generated `{id}`"

    def check(self, ctx):
        for r in ctx.template.resources.values():
            if r.implicit:
                yield self.report(ctx, r.path, resource=r.logical_id, id=r.logical_id)
            elif r.type == "AWS::Serverless::Function":
                yield self.report(ctx, r.path + ("Properties",), resource=r.logical_id + "Role",
                                  id=r.logical_id + "Role")


SUP = [SuppressionWithoutReason(), UnusedSuppression(), InvalidSuppression()]


def run(text, rules=None, filename="t.yaml", **cfg):
    rules = rules if rules is not None else [HandlerRule(), GeneratedRule(), *SUP]
    return check_text(text, filename, Config(**cfg), rules).findings


def codes(findings):
    return sorted((f.rule, f.line) for f in findings)


BASE = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  A:
    Type: AWS::Lambda::Function
    Properties:
      Handler: a.h
  B:
    Type: AWS::Lambda::Function
    Properties:
      Handler: b.h
"""


def test_no_suppressions():
    assert codes(run(BASE)) == [("TST001", 6), ("TST001", 10)]


def test_inline_on_the_line_and_above():
    text = BASE.replace("Handler: a.h", "Handler: a.h  # slint: ignore[TST001] tested elsewhere")
    text = text.replace("      Handler: b.h",
                        "      # slint: ignore[TST001] b is internal\n      # another note\n"
                        "      Handler: b.h")
    assert codes(run(text)) == []


def test_inline_needs_a_reason_and_then_does_not_suppress():
    text = BASE.replace("Handler: a.h", "Handler: a.h  # slint: ignore[TST001]")
    got = run(text)
    assert codes(got) == [("SUP001", 6), ("TST001", 6), ("TST001", 10)]
    sup = [f for f in got if f.rule == "SUP001"][0]
    assert "no reason" in sup.message and sup.column == 21


def test_inline_too_far_above_is_unused():
    text = BASE.replace("    Properties:\n      Handler: b.h",
                        "    # slint: ignore[TST001] too far\n    Properties:\n      Handler: b.h")
    got = run(text)
    assert codes(got) == [("SUP002", 9), ("TST001", 6), ("TST001", 11)]
    assert "matched no finding" in got[1].message or any(
        "matched no finding" in f.message for f in got)


def test_inline_several_codes_and_prefix():
    text = BASE.replace("Handler: a.h", "Handler: a.h  # slint: ignore[TST001, SYN002] legacy")
    got = run(text, rules=[HandlerRule(), *SUP, *_syn()])
    # TST001 used; SYN002 enabled and matched nothing on that line
    assert [(f.rule, f.line) for f in got if f.rule.startswith("SUP")] == [("SUP002", 6)]
    assert "SYN002" in [f for f in got if f.rule == "SUP002"][0].message
    text = BASE.replace("Handler: a.h", "Handler: a.h  # slint: ignore[TST] legacy")
    assert codes(run(text)) == [("TST001", 10)]


def _syn():
    from slint.rules.core.syntax import DuplicateKey, InvalidTemplateStructure, ParseError
    return [ParseError(), DuplicateKey(), InvalidTemplateStructure()]


def test_hash_in_a_string_is_not_a_comment():
    text = BASE.replace("Handler: a.h", 'Handler: "a.h # slint: ignore[TST001] nope"')
    assert codes(run(text)) == [("TST001", 6), ("TST001", 10)]


def test_blanket_and_unknown_codes_are_invalid():
    text = BASE.replace("Handler: a.h", "Handler: a.h  # slint: ignore everything")
    text = text.replace("Handler: b.h", "Handler: b.h  # slint: ignore[TST01] typo")
    got = run(text)
    assert codes(got) == [("SUP003", 6), ("SUP003", 10), ("TST001", 6), ("TST001", 10)]
    typo = [f for f in got if f.rule == "SUP003" and f.line == 10][0]
    assert "did you mean TST001" in typo.message


def test_resource_metadata():
    text = BASE.replace("  A:\n    Type: AWS::Lambda::Function\n",
                        "  A:\n    Type: AWS::Lambda::Function\n    Metadata:\n      slint:\n"
                        "        ignore:\n          - rule: TST001\n            reason: legacy\n")
    assert codes(run(text)) == [("TST001", 15)]  # only B's


def test_resource_metadata_without_reason_does_not_suppress():
    text = BASE.replace("  A:\n    Type: AWS::Lambda::Function\n",
                        "  A:\n    Type: AWS::Lambda::Function\n    Metadata:\n      slint:\n"
                        "        ignore:\n          - rule: TST001\n")
    got = run(text)
    assert codes(got) == [("SUP001", 8), ("TST001", 10), ("TST001", 14)]
    assert [f.resource for f in got if f.rule == "SUP001"] == ["A"]


def test_template_metadata():
    text = BASE.replace("Resources:\n", "Metadata:\n  slint:\n    ignore:\n      - rule: TST001\n"
                        "        reason: a sandbox stack\n      - {rule: TST002, reason: unused}\n"
                        "Resources:\n", 1)
    got = run(text)
    assert codes(got) == [("SUP002", 7)]
    assert got[0].message == "suppression of TST002 in this template matched no finding"


def test_unused_for_a_rule_that_is_not_enabled_says_so():
    text = BASE.replace("Handler: a.h", "Handler: a.h  # slint: ignore[SYN002] legacy")
    (sup,) = [f for f in run(text) if f.rule == "SUP002"]
    assert sup.message.endswith("(SYN002 is not enabled in this run)")


def test_sup_rules_not_selected_report_nothing():
    text = BASE.replace("Handler: a.h", "Handler: a.h  # slint: ignore[TST001]")
    assert codes(run(text, rules=[HandlerRule()])) == [("TST001", 6), ("TST001", 10)]


def test_a_suppression_of_a_filtered_finding_is_still_used():
    text = BASE.replace("Handler: a.h", "Handler: a.h  # slint: ignore[TST001] fine")
    assert codes(run(text, min_severity=Severity.HIGH)) == []
    assert codes(run(text, per_path_ignores={"t.yaml": ["TST001"]})) == []


SAM = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Metadata:
      slint:
        ignore:
          - rule: TST002
            reason: the public API is the product
    Properties:
      Handler: app.h
      Policies: [AWSLambdaBasicExecutionRole]
      Events:
        Get:
          Type: Api
          Properties: {Path: /, Method: get}
  Other:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.o
"""


def test_sam_resource_metadata_covers_generated_and_implicit_resources():
    got = run(SAM)
    # Fn's role and the implicit ServerlessRestApi it declares are suppressed; Other's role is not
    assert sorted((f.rule, f.resource) for f in got) == [
        ("TST001", "Fn"), ("TST001", "Other"), ("TST002", "OtherRole")]


def test_json_template_metadata():
    text = ('{"Resources": {"A": {"Type": "AWS::Lambda::Function", "Metadata": {"slint": '
            '{"ignore": [{"rule": "TST001", "reason": "json works too"}]}}, '
            '"Properties": {"Handler": "a # slint: ignore[TST001] x"}}}}')
    assert codes(run(text, filename="t.json")) == []


def test_malformed_metadata():
    text = BASE.replace("  A:\n    Type: AWS::Lambda::Function\n",
                        "  A:\n    Type: AWS::Lambda::Function\n    Metadata:\n      slint:\n"
                        "        ignore: TST001\n")
    got = run(text)
    assert codes(got) == [("SUP003", 7), ("TST001", 9), ("TST001", 13)]


def test_end_to_end_with_the_real_rules(tmp_path):
    from slint.engine import run as run_paths
    t = tmp_path / "t.yaml"
    t.write_text("Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n"
                 "      Handler: a\n      Handler: b  # slint: ignore[SYN002] packager quirk\n"
                 "      Runtime: a\n      Runtime: b\n")
    got = run_paths([str(t)]).findings
    assert [(f.rule, f.line) for f in got] == [("SYN002", 8)]


def test_readme_suppression_example_suppresses_everything_it_names(tmp_path):
    import re
    from slint.engine import run as run_paths
    from .conftest import ROOT
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Suppressions"):]
    block = re.search(r"```yaml\n(.*?)```", section, re.S).group(1)
    t = tmp_path / "t.yaml"
    t.write_text(block)
    assert [(f.rule, f.line) for f in run_paths([str(t)]).findings] == []
    # and without the suppressions, the rules they name do fire
    bare = re.sub(r"\s*# slint: ignore\[[^\n]*", "", block)
    t.write_text(bare.replace("rule: BKT001", "rule: SYN003").replace("rule: IAM001", "rule: SYN002"))
    got = {f.rule for f in run_paths([str(t)], ).findings}
    assert {"BKT001", "IAM001", "IAM002"} <= got


def test_codes_with_a_digit_in_the_prefix(tmp_path):
    from slint.engine import run as run_paths
    t = tmp_path / "t.yaml"
    t.write_text("Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n"
                 "      AccessControl: PublicRead  # slint: ignore[S3P001] public website assets\n")
    assert [f.rule for f in run_paths([str(t)], Config(select=["S3P", "SUP"])).findings] == []
    t.write_text(t.read_text().replace("[S3P001]", "[S3P]"))
    assert [f.rule for f in run_paths([str(t)], Config(select=["S3P", "SUP"])).findings] == []


class ProjectRule(Rule):
    """Test rule: project level, flags every `Handler` again once all files are read."""
    code = "TST003"
    name = "test-project"
    category = Category.BUCKETNAME
    severity = Severity.HIGH
    message = "x"

    def check(self, ctx):
        return ()

    def collect(self, ctx):
        out = []
        for r in ctx.template.user_resources():
            if "Handler" in r.properties:
                span, _ = ctx.doc.source.locate(r.path + ("Properties", "Handler"))
                out.append((r.logical_id, span.line))
        return out

    def check_project(self, facts):
        for file, rows in facts:
            for rid, line in rows:
                yield self.report_at(file, line, 1, resource=rid, message=f"{rid} in {file}",
                                     path=("Resources", rid))


def test_project_level_findings_are_suppressed_and_unused_ones_reported(tmp_path):
    from slint.engine import run as run_paths
    a = tmp_path / "a.yaml"
    a.write_text(BASE.replace("Handler: a.h", "Handler: a.h  # slint: ignore[TST003] known"))
    b = tmp_path / "b.yaml"
    b.write_text(BASE.replace("      Handler: b.h", "      Handler: b.h\n      Runtime: x  "
                              "# slint: ignore[TST003] nothing here"))
    rules = [ProjectRule(), *SUP]
    got = run_paths([str(a), str(b)], Config(), rules=rules).findings
    assert [(f.rule, f.file == str(a), f.line) for f in got] == [
        ("TST003", True, 10), ("TST003", False, 6), ("TST003", False, 10), ("SUP002", False, 11)]
    sup = got[-1]
    assert sup.message == "suppression of TST003 on this line matched no finding"


def test_comment_inside_inline_code_is_not_a_suppression():
    text = BASE.replace("      Handler: a.h", "      Handler: a.h\n      Code:\n        ZipFile: |\n"
                        "          # slint: ignore[TST001] this is python, not yaml\n"
                        "          def h(e, c): return 1")
    got = run(text)
    assert codes(got) == [("TST001", 6), ("TST001", 14)]


def test_line_numbers_match_yaml_with_other_line_breaks():
    text = BASE.replace("Handler: a.h", "Handler: a.h  # slint: ignore[TST001] windows")
    assert codes(run(text.replace("\n", "\r\n"))) == [("TST001", 10)]
    text = BASE.replace("Resources:", "Description: a  # c\x85\nResources:")  # NEL: a break
    assert codes(run(text)) == [("TST001", 8), ("TST001", 12)]
    text = text.replace("Handler: b.h", "Handler: b.h  # slint: ignore[TST001] nel")
    assert codes(run(text)) == [("TST001", 8)]


def test_stacked_comment_suppressions_cost_linear_time():
    """20 000 stacked `# slint: ignore[...]` lines above one finding: each covers the finding's
    line (stacked comments are allowed), and the run stays fast (each comment used to rescan
    every following line: 32 s for 20 000)."""
    import time
    n = 20_000
    stack = "".join(f"      # slint: ignore[TST001] accepted risk {i}\n" for i in range(n))
    text = BASE.replace("      Handler: a.h\n", stack + "      Handler: a.h\n")
    t0 = time.process_time()      # CPU time: a busy machine does not make it flaky
    got = run(text)
    took = time.process_time() - t0
    assert codes(got) == [("TST001", 10 + n)]          # B's handler; A's is suppressed
    assert took < 6.0, f"{took:.1f} s"


def test_pending_suppressions_travel_through_the_cache(tmp_path):
    """Suppressions of project-level findings are decided after every file, from
    ``FileResult.pending``: a warm cache run (every file a hit) decides them the same way."""
    from slint.cache import Cache
    from slint.engine import run as run_paths
    a = tmp_path / "src" / "a.yaml"
    a.parent.mkdir()
    a.write_text(BASE.replace("Handler: a.h", "Handler: a.h  # slint: ignore[TST003] known"))
    b = tmp_path / "src" / "b.yaml"
    b.write_text(BASE.replace("      Handler: b.h", "      Handler: b.h\n      Runtime: x  "
                              "# slint: ignore[TST003] nothing here"))
    rules = [ProjectRule(), *SUP]
    cfg = Config()
    want = [("TST003", True, 10), ("TST003", False, 6), ("TST003", False, 10), ("SUP002", False, 11)]
    for _ in range(2):  # cold, then warm
        cache = Cache(str(tmp_path / "cache"), cfg, rules)
        res = run_paths([str(a.parent)], cfg, rules=rules, cache=cache)
        assert [(f.rule, f.file == str(a), f.line) for f in res.findings] == want
        assert [len(fr.pending) for fr in res.files] == [1, 1]
        assert all(fr.facts.keys() == {"TST003"} for fr in res.files)   # nothing smuggled in
    assert cache.hits == 2 and cache.misses == 0


def test_suppressed_findings_are_kept_apart_with_their_reason():
    text = BASE.replace("Handler: a.h", "Handler: a.h  # slint: ignore[TST001] reviewed: ok")
    fr = check_text(text, "t.yaml", Config(), [HandlerRule(), GeneratedRule(), *SUP])
    assert codes(fr.findings) == [("TST001", 10)]
    assert [(f.rule, f.line, f.resource, f.suppression) for f in fr.suppressed] == [
        ("TST001", 6, "A", {"reason": "reviewed: ok", "scope": "line"})]


def test_project_level_suppressed_findings_are_kept(tmp_path):
    from slint.engine import run as run_paths
    a = tmp_path / "a.yaml"
    a.write_text(BASE.replace("Handler: a.h", "Handler: a.h  # slint: ignore[TST003] known"))
    res = run_paths([str(a)], Config(), rules=[ProjectRule(), *SUP])
    assert [(f.rule, f.line, f.suppression["reason"]) for f in res.suppressed] == [
        ("TST003", 6, "known")]
    assert all(f.suppression is None for f in res.findings)

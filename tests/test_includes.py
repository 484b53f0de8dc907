"""Local includes: a small repository laid out like a real one (template + included api.yaml),
read through the sandbox; hostile includes are refused with a finding and never read."""

from __future__ import annotations

import json
import os

import pytest

from slint.config import Config
from slint.engine import run
from slint.model import includes as inc

TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionBody:
        Fn::Transform:
          Name: AWS::Include
          Parameters:
            Location: {location}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
"""

API = """\
openapi: "3.0.1"
info:
  title: items
paths:
  /items:
    get:
      security:
        - Cognito: []
      x-amazon-apigateway-integration: {type: aws_proxy, httpMethod: POST, uri: x}
    post:
      x-amazon-apigateway-integration: {type: aws_proxy, httpMethod: POST, uri: x}
components:
  securitySchemes:
    Cognito:
      type: apiKey
      name: Authorization
      in: header
      x-amazon-apigateway-authtype: cognito_user_pools
      x-amazon-apigateway-authorizer:
        type: cognito_user_pools
        providerARNs: [arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc]
"""


def _repo(tmp_path, location="api.yaml", api=API):
    root = tmp_path / "proj"
    (root / "infra").mkdir(parents=True)
    (root / "samconfig.toml").write_text("version = 0.1\n")
    (root / "infra" / "template.yaml").write_text(TEMPLATE.format(location=location))
    if api is not None:
        (root / "infra" / "api.yaml").write_text(api)
    return root


def _check(path, select=None):
    return run([str(path)], Config(select=select or []))


def test_route_in_included_file_reported_there(tmp_path):
    root = _repo(tmp_path)
    res = _check(root / "infra" / "template.yaml", ["API001"])
    got = [(os.path.basename(f.file), f.line, f.rule) for f in res.findings]
    assert got == [("api.yaml", 10, "API001")]      # the unauthenticated POST, not the GET
    f = res.findings[0]
    assert "POST /items" in f.message
    assert f.via == [{"file": str(root / "infra" / "template.yaml"), "line": 11}]
    # JSON says which template included it; the schema accepts it
    from slint.formatters.json_fmt import render
    data = json.loads(render(res))
    assert data["findings"][0]["via"][0]["line"] == 11
    import jsonschema
    from importlib.resources import files
    schema = json.loads((files("slint") / "schemas" / "output.schema.json").read_text())
    jsonschema.validate(data, schema)


def test_text_output_names_the_including_template(tmp_path, capsys):
    from slint.formatters.text import render
    root = _repo(tmp_path)
    out = render(_check(root / "infra" / "template.yaml", ["API001"]))
    assert "api.yaml:10:5: API001" in out and "via " in out and "template.yaml:11" in out


def test_local_definition_uri(tmp_path):
    root = _repo(tmp_path)
    t = root / "infra" / "template.yaml"
    t.write_text(t.read_text().replace(
        "      DefinitionBody:\n        Fn::Transform:\n          Name: AWS::Include\n"
        "          Parameters:\n            Location: api.yaml\n", "      DefinitionUri: ./api.yaml\n"))
    res = _check(t, ["API001"])
    assert [(os.path.basename(f.file), f.line) for f in res.findings] == [("api.yaml", 10)]


def test_remote_include_is_an_unknown_not_a_route(tmp_path):
    root = _repo(tmp_path, location="s3://bucket/api.yaml")
    res = _check(root / "infra" / "template.yaml", ["API001", "INC001"])
    assert res.findings == []
    (u,) = res.files[0].unknowns
    assert u["what"] == "API routes: definition in S3" and u["where"]["line"] == 11
    assert u["resource"] == "Api" and "never fetches" in u["why"]


@pytest.mark.parametrize("location,why", [
    ("../../../../../../../../etc/passwd", "outside the project root"),
    ("/etc/passwd", "outside the project root"),
    ("missing.yaml", "cannot be read"),
    ("template.yaml", "include cycle"),
])
def test_hostile_locations_refused(tmp_path, location, why):
    root = _repo(tmp_path, location=location)
    res = _check(root / "infra" / "template.yaml", ["INC001", "API001"])
    assert [(f.rule, f.line) for f in res.findings] == [("INC001", 11)]
    assert why in res.findings[0].message


def test_symlink_out_of_the_project_is_refused(tmp_path):
    root = _repo(tmp_path, location="link.yaml", api=None)
    secret = tmp_path / "secret.yaml"
    secret.write_text(API)
    os.symlink(secret, root / "infra" / "link.yaml")
    res = _check(root / "infra" / "template.yaml", ["INC001", "API001"])
    assert [(f.rule, f.line) for f in res.findings] == [("INC001", 11)]
    assert "symbolic link" in res.findings[0].message


def test_two_file_cycle_refused(tmp_path):
    root = _repo(tmp_path, location="a.yaml", api=None)
    d = root / "infra"
    inc_of = ("paths:\n  /x:\n    Fn::Transform:\n      Name: AWS::Include\n"
              "      Parameters:\n        Location: {}\n")
    (d / "a.yaml").write_text(inc_of.format("b.yaml"))
    (d / "b.yaml").write_text("x: 1\ny:\n  Fn::Transform:\n    Name: AWS::Include\n"
                              "    Parameters:\n      Location: a.yaml\n")
    res = _check(d / "template.yaml", ["INC001"])
    assert [(os.path.basename(f.file), f.line) for f in res.findings] == [("b.yaml", 6)]
    assert "cycle" in res.findings[0].message
    assert res.findings[0].via[0]["file"].endswith("a.yaml")


def test_huge_include_refused_without_reading(tmp_path, monkeypatch):
    root = _repo(tmp_path, api=None)
    big = root / "infra" / "api.yaml"
    with open(big, "wb") as fh:   # sparse: 100 MB on paper, nothing on disk
        fh.truncate(100 * 1024 * 1024)
    real_open = open
    opened = []

    def spy(path, *a, **k):
        opened.append(str(path))
        return real_open(path, *a, **k)
    monkeypatch.setattr("builtins.open", spy)
    res = _check(root / "infra" / "template.yaml", ["INC001"])
    assert [(f.rule, f.line) for f in res.findings] == [("INC001", 11)]
    assert "over the include limit" in res.findings[0].message
    assert str(big) not in opened


def test_project_root_markers(tmp_path):
    root = _repo(tmp_path)
    assert inc.project_root(str(root / "infra" / "template.yaml")) == str(root)
    lone = tmp_path / "lone"
    lone.mkdir()
    # no marker up to / (tmp has none): the template's own folder
    assert inc.project_root(str(lone / "t.yaml")) in (str(lone),) or \
        os.path.exists(os.path.join(inc.project_root(str(lone / "t.yaml")), ".git"))


def test_cached_result_is_used_only_while_included_files_are_unchanged(tmp_path, monkeypatch):
    from slint.cache import open_cache
    from slint.engine import selected_rules
    root = _repo(tmp_path)
    cfg = Config(select=["API001"])
    rules = selected_rules(cfg)
    cache = open_cache(str(tmp_path / "cache"), cfg, rules)
    t = str(root / "infra" / "template.yaml")
    first = run([t], cfg, cache=cache)
    assert len(first.findings) == 1
    # unchanged: the cached result, without checking again
    import slint.parallel as par
    calls = []
    real_check = par.check_target
    monkeypatch.setattr(par, "check_target", lambda *a, **k: calls.append(a) or real_check(*a, **k))
    cache = open_cache(str(tmp_path / "cache"), cfg, rules)
    again = run([t], cfg, cache=cache)
    assert calls == [] and [f.message for f in again.findings] == [f.message for f in first.findings]
    # the included file changed: checked again
    (root / "infra" / "api.yaml").write_text(API.replace("    post:\n", "    put:\n"))
    cache = open_cache(str(tmp_path / "cache"), cfg, rules)
    second = run([t], cfg, cache=cache)
    assert len(calls) == 1
    assert ["PUT /items" in f.message for f in second.findings] == [True]
    # a samconfig appearing next to the template is an input too
    (root / "infra" / "samconfig.toml").write_text("version = 0.1\n")
    cache = open_cache(str(tmp_path / "cache"), cfg, rules)
    run([t], cfg, cache=cache)
    assert len(calls) == 2


def test_inline_suppression_does_not_cover_other_files(tmp_path):
    root = _repo(tmp_path)
    t = root / "infra" / "template.yaml"
    # line 11 of the template carries a suppression; the finding is in api.yaml
    t.write_text(t.read_text().replace("Location: api.yaml",
                                       "Location: api.yaml  # slint: ignore[API001] reviewed"))
    res = _check(t, ["API001", "SUP002"])
    assert sorted((os.path.basename(f.file), f.rule) for f in res.findings) == [
        ("api.yaml", "API001"), ("template.yaml", "SUP002")]


def test_unknowns_listed_and_counted(tmp_path):
    from slint.formatters.text import render
    root = _repo(tmp_path, location="s3://bucket/api.yaml")
    t = root / "infra" / "template.yaml"
    t.write_text(t.read_text() + """\
  Http:
    Type: AWS::Serverless::HttpApi
    Properties:
      DefinitionUri:
        Bucket: b
        Key: api.yaml
""")
    res = _check(t)
    unknowns = res.files[0].unknowns
    assert [(u["resource"], u["where"]["line"], u["what"]) for u in unknowns] == [
        ("Api", 11, "API routes: definition in S3"),
        ("Http", 21, "API routes: definition in S3")]
    assert "remote" in unknowns[0]["why"]
    assert "2 not evaluated: API routes: definition in S3 (2)" in render(res)
    from slint.formatters.json_fmt import render as jrender
    assert json.loads(jrender(res))["files"][0]["unknowns"] == unknowns


def test_top_level_transform_include_merges_sections(tmp_path):
    root = tmp_path / "p"
    root.mkdir()
    (root / ".git").mkdir()
    (root / "t.yaml").write_text(
        "Transform:\n  - AWS::Serverless-2016-10-31\n  - Name: AWS::Include\n    Parameters:\n"
        "      Location: snippet.yaml\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n")
    (root / "snippet.yaml").write_text(
        "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n"
        "      Runtime: python3.12\n      Handler: a.h\n      CodeUri: src/\n"
        "      FunctionUrlConfig:\n        AuthType: NONE\n  Topic:\n    Type: AWS::SQS::Queue\n")
    res = _check(root / "t.yaml", ["API002"])
    assert [(os.path.basename(f.file), f.line, f.resource) for f in res.findings] == [
        ("snippet.yaml", 9, "Fn")]
    assert res.findings[0].via[0]["line"] == 5
    assert res.files[0].resources == 2     # the template's own Topic is kept


def test_route_on_a_missing_api_is_a_finding_and_an_unknown():
    from slint.engine import check_file
    from slint.engine import selected_rules
    from .conftest import FIXTURES
    cfg = Config(select=["SYN004", "API001"])
    fr = check_file(str(FIXTURES / "SYN004" / "flagged.yaml"), cfg, selected_rules(cfg))
    assert ("SYN004", 16) in {(f.rule, f.line) for f in fr.findings}
    got = [(u["what"], u["resource"], u["where"]["line"]) for u in fr.unknowns]
    assert got == [("API route", "Fn", 13), ("API route", "Fn", 19)]
    assert "MissingApi is not defined" in fr.unknowns[0]["why"]


def test_duplicate_key_in_included_file_reported_there(tmp_path):
    root = _repo(tmp_path, api=API.replace("info:\n  title: items\n",
                                           "info:\n  title: items\ninfo:\n  title: again\n"))
    res = _check(root / "infra" / "template.yaml", ["SYN002"])
    assert [(os.path.basename(f.file), f.line, f.rule) for f in res.findings] == [
        ("api.yaml", 4, "SYN002")]
    assert res.findings[0].via[0]["line"] == 11


def test_resource_types_that_are_not_strings_are_not_templates_to_follow(tmp_path):
    """A mapping or a list as a resource's ``Type`` (fuzz mutant: ``Type: {}`` beside an
    ``AWS::Include``) is no local definition or nested stack: no INT001, the rest is checked."""
    (tmp_path / "c.yaml").write_text("Resources: {}\n")
    t = tmp_path / "template.yaml"
    t.write_text("Transform: AWS::Serverless-2016-10-31\nResources:\n"
                 "  Queue:\n    Type: {}\n"
                 "  Child:\n    Type: [AWS::CloudFormation::Stack]\n"
                 "    Properties: {TemplateURL: ./c.yaml}\n"
                 "  Api:\n    Type: AWS::Serverless::HttpApi\n"
                 "    Properties:\n      DefinitionUri: ./c.yaml\n"
                 "      Name: {'Fn::Transform': {Name: AWS::Include}}\n")
    res = run([str(t)], Config(), jobs=1)
    rules = sorted(f.rule for f in res.findings)
    assert not [r for r in rules if r.startswith("INT")], rules
    assert res.files[0].status == "checked"

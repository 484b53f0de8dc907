"""`slint routes TEMPLATE`: the route table as text and JSON."""

from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

from slint.cli import app

from .conftest import FIXTURES, ROOT


def run(*args):
    res = CliRunner().invoke(app, ["routes", *args])
    return res.exit_code, res.stdout


def test_text_table_sam():
    code, out = run(str(FIXTURES / "API001" / "flagged_sam_explicit.yaml"))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["METHOD", "PATH", "API", "KIND", "AUTH", "DECIDED", "AT", "FUNCTION"]
    row = next(line for line in lines if line.startswith("GET") and "/items" in line)
    assert "COGNITO (Cognito) +api key" in row
    assert "Globals/Api/Auth/DefaultAuthorizer" in row and "Fn" in row
    put = next(line for line in lines if line.startswith("PUT"))
    assert "NONE +api key [open]" in put and "Events/Public/Properties/Auth/Authorizer" in put
    assert "overriding DefaultAuthorizer Cognito on Api" in out
    assert out.rstrip().endswith("4 route(s), 2 open")


def test_json_cfn():
    code, out = run(str(FIXTURES / "API001" / "clean_cfn.yaml"), "--format", "json")
    assert code == 0
    data = json.loads(out)
    rows = {(r["api"], r["method"], r["path"]): r for r in data["routes"]}
    get = rows[("Api", "GET", "/items")]
    assert get["auth"] == "COGNITO" and get["authorizer"] == "CognitoAuth"
    assert get["decided_at"] == ["Resources", "GetItems", "Properties", "AuthorizationType"]
    assert get["decided_line"] == 44 and get["declared_line"] == 38
    assert rows[("Private", "POST", "/")]["restricted"].startswith("PRIVATE")
    assert rows[("Api", "OPTIONS", "/items")]["open"] is True
    assert set(get) >= {"api", "kind", "method", "path", "auth", "authorizer", "decided_at",
                        "api_key_required", "function", "owner", "restricted", "open", "reason"}


def test_json_is_deterministic():
    p = str(FIXTURES / "API001" / "clean_sam.yaml")
    assert run(p, "--format", "json") == run(p, "--format", "json")


def test_no_routes_and_errors(tmp_path):
    t = tmp_path / "t.yaml"
    t.write_text("Resources:\n  T:\n    Type: AWS::SNS::Topic\n")
    code, out = run(str(t))
    assert code == 0 and "no API routes or function URLs" in out
    code, out = run(str(t), "--format", "json")
    assert json.loads(out)["routes"] == []
    assert run(str(tmp_path / "missing.yaml"))[0] == 2
    assert run(str(t), "--format", "xml")[0] == 2
    bad = tmp_path / "bad.yaml"
    bad.write_text("Resources: [unclosed\n")
    assert run(str(bad))[0] == 2
    other = tmp_path / "ci.yaml"
    other.write_text("on: push\n")
    assert run(str(other))[0] == 2


def test_definition_uri_is_noted(tmp_path):
    t = tmp_path / "t.yaml"
    t.write_text("Transform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n"
                 "    Type: AWS::Serverless::Api\n    Properties:\n      StageName: p\n"
                 "      DefinitionUri: api.yaml\n")
    code, out = run(str(t))
    assert code == 0 and "note: Api: DefinitionUri" in out


def test_console_script():
    r = subprocess.run([sys.executable, "-m", "slint", "routes",
                        str(FIXTURES / "API002" / "flagged_sam.yaml")],
                       cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and "FUNCTION_URL" in r.stdout and "[open]" in r.stdout


def test_readme_example_is_real_output():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("<!-- routes:start -->", 1)[1].split("<!-- routes:end -->", 1)[0]
    block = section.split("```console\n", 1)[1].split("```", 1)[0]
    cmd, expected = block.split("\n", 1)
    assert cmd.startswith("$ slint routes ")
    code, out = run(str(ROOT / cmd.split()[-1]))
    assert code == 0
    assert out.replace(str(ROOT) + "/", "") == expected


def test_routes_of_a_directory(tmp_path):
    import shutil
    import subprocess
    import sys
    from .conftest import ROOT
    shutil.copy(ROOT / "examples" / "app.yaml", tmp_path / "app.yaml")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "topic.yaml").write_text(
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  T:\n    Type: AWS::SNS::Topic\n")
    (tmp_path / "ci.yml").write_text("on: push\n")
    run = lambda *a: subprocess.run([sys.executable, "-m", "slint", "routes", *a], cwd=tmp_path,
                                    capture_output=True, text=True, timeout=60)
    r = run(".")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("./app.yaml:\nMETHOD  PATH")
    assert "2 route(s), 1 open\n" in r.stdout
    assert r.stdout.endswith("\n./sub/topic.yaml: no API routes or function URLs\n")
    assert "ci.yml" not in r.stdout + r.stderr
    r = run(".", "-f", "json")
    docs = json.loads(r.stdout)
    assert [d["file"] for d in docs] == ["./app.yaml", "./sub/topic.yaml"]
    assert [(x["method"], x["path"], x["open"]) for x in docs[0]["routes"]] == [
        ("GET", "/items", False), ("POST", "/upload", True)]
    (tmp_path / "bad.yaml").write_text("Resources: [\n")
    r = run(".")
    assert r.returncode == 2 and "bad.yaml" in r.stderr and "2 route(s), 1 open" in r.stdout
    (tmp_path / "empty").mkdir()
    r = run("empty")
    assert r.returncode == 2 and "no templates found in empty" in r.stderr


def test_routes_of_an_included_definition_name_its_file(tmp_path):
    """A route written in an included ``api.yaml`` is judged there: JSON says which file
    declares and decides it, the table prints ``file:line``."""
    (tmp_path / "api.yaml").write_text(
        "openapi: 3.0.1\npaths:\n  /items:\n    get:\n      security:\n        - Key: []\n"
        "      x-amazon-apigateway-integration: {type: mock}\n"
        "components:\n  securitySchemes:\n    Key: {type: apiKey, name: x-api-key, in: header}\n")
    t = tmp_path / "t.yaml"
    t.write_text("Transform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n"
                 "    Type: AWS::Serverless::Api\n    Properties:\n      StageName: p\n"
                 "      DefinitionUri: api.yaml\n")
    code, out = run(str(t), "--format", "json")
    (route,) = json.loads(out)["routes"]
    assert code == 0 and (route["method"], route["path"]) == ("GET", "/items")
    assert route["declared_file"].endswith("api.yaml") and route["declared_line"] == 4
    assert route["decided_file"].endswith("api.yaml") and route["decided_line"] == 5
    code, out = run(str(t))
    assert f"{route['decided_file']}:5: " in out


def test_nested_stacks_are_noted_not_silently_empty(tmp_path):
    # aws-samples/aws-sam-nested-stack-sample: the parent has no routes of its own, its three
    # nested applications have 15; "no API routes" alone read as if there were none
    (tmp_path / ".git").mkdir()
    (tmp_path / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\n"
        "Resources:\n"
        "  Shop:\n"
        "    Type: AWS::Serverless::Application\n"
        "    Properties:\n"
        "      Location: services/shop.yaml\n"
        "  Remote:\n"
        "    Type: AWS::CloudFormation::Stack\n"
        "    Properties:\n"
        "      TemplateURL: https://example-bucket.s3.amazonaws.com/t.yaml\n")
    path = str(tmp_path / "template.yaml")
    code, out = run(path)
    assert code == 0
    child = str(tmp_path / "services" / "shop.yaml")
    assert out.splitlines() == [
        f"{path}: no API routes or function URLs",
        f"note: Shop: nested stack `services/shop.yaml`: its routes are not listed here "
        f"(`slint routes {child}`)"]
    data = json.loads(run(path, "-f", "json")[1])
    assert [n["api"] for n in data["notes"]] == ["Shop"]

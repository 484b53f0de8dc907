"""`slint check cdk.out`: a real `cdk synth` output (tests/data/cdk_app) read through its manifest,
nested stacks followed, asset folders skipped, construct paths in every output format."""

from __future__ import annotations

import json
import shutil

from slint.config import Config
from slint.engine import discover, run

from .conftest import ROOT
from .test_cli import slint

APP = ROOT / "tests" / "data" / "cdk_app"


def _copy(tmp_path):
    dst = tmp_path / "app"
    shutil.copytree(APP, dst)
    return dst


def test_manifest_gives_the_stack_templates_only(tmp_path):
    app = _copy(tmp_path)
    asset = next((app / "cdk.out").glob("asset.*"))
    (asset / "template.yaml").write_text("Resources:\n  B:\n    Type: AWS::S3::Bucket\n")
    got = discover([str(app / "cdk.out")])
    assert [(p.split("cdk.out")[-1], e) for p, e in got] == [("/ItemsStack.template.json", True)]
    # found inside a project folder too
    assert [p.split("app/")[-1] for p, _ in discover([str(app)])
            if "cdk.out" in p] == ["cdk.out/ItemsStack.template.json"]


def test_findings_name_construct_paths_and_nested_stack(tmp_path):
    app = _copy(tmp_path)
    res = run([str(app / "cdk.out")], Config(select=["API001", "API002", "S3P001"]))
    rows = sorted((f.file.split("cdk.out/")[-1], f.rule, f.construct) for f in res.findings)
    assert rows == [
        ("ItemsStack.template.json", "API001", "ItemsStack/ItemsApi/Default/items/POST/Resource"),
        ("ItemsStack.template.json", "API002", "ItemsStack/ItemsFn/FunctionUrl/Resource"),
        ("ItemsStackStorageD2C960A0.nested.template.json", "S3P001",
         "ItemsStack/Storage/PublicAssets/Resource"),
    ]
    nested = [f for f in res.findings if f.rule == "S3P001"][0]
    assert nested.via[0]["file"].endswith("ItemsStack.template.json") and nested.via[0]["line"] == 6
    # the Cognito-protected GET is not reported
    assert not [f for f in res.findings if "GET /items" in f.message]


def test_construct_in_json_sarif_and_text(tmp_path):
    app = _copy(tmp_path)
    r = slint("check", "cdk.out", "--select", "API002", "--format", "json", cwd=app)
    (f,) = json.loads(r.stdout)["findings"]
    assert f["construct"] == "ItemsStack/ItemsFn/FunctionUrl/Resource"
    r = slint("check", "cdk.out", "--select", "API002", "--format", "sarif", cwd=app)
    (res,) = json.loads(r.stdout)["runs"][0]["results"]
    assert res["properties"]["construct"] == "ItemsStack/ItemsFn/FunctionUrl/Resource"
    r = slint("check", "cdk.out", "--select", "API002", cwd=app)
    assert "[construct ItemsStack/ItemsFn/FunctionUrl/Resource]" in r.stdout


def test_aws_sam_build_output_skipped(tmp_path):
    (tmp_path / ".aws-sam" / "build").mkdir(parents=True)
    (tmp_path / ".aws-sam" / "build" / "template.yaml").write_text(
        "Resources:\n  B:\n    Type: AWS::S3::Bucket\n")
    (tmp_path / "template.yaml").write_text("Resources:\n  B:\n    Type: AWS::S3::Bucket\n")
    assert [p.split("/")[-1] for p, _ in discover([str(tmp_path)])] == ["template.yaml"]

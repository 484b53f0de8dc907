"""`Fn::ImportValue` across the stacks of one CDK cloud assembly (tests/data/cdk_xstack): what
another stack of the same assembly exports under a literal name is one of its resources in the
importer (`${AuthStack.UserPool6BA7E5F2.Arn}`, with its type), or the known text it exports.
An export the assembly does not have, and any template outside an assembly, stay unknown."""

from __future__ import annotations

import json
import shutil

from slint.cache import Cache
from slint.config import Config
from slint.context import Context
from slint.engine import run, selected_rules
from slint.loader import load_file
from slint.model.template import Template
from slint.stacks import assembly_imports

from .conftest import ROOT

APP = ROOT / "tests" / "data" / "cdk_xstack"
POOL_ARN = "AuthStack:ExportsOutputFnGetAttUserPool6BA7E5F2Arn686ADE6D"
POOL_ID = "AuthStack:ExportsOutputRefUserPool6BA7E5F296FD7236"
TABLE = "AuthStack:ExportsOutputFnGetAttTable8235A42EArn8BF3A4B9"


def _copy(tmp_path):
    dst = tmp_path / "app"
    shutil.copytree(APP, dst)
    return dst / "cdk.out"


def _edit(path, change):
    data = json.loads(path.read_text())
    change(data["Resources"])
    path.write_text(json.dumps(data, indent=1))


def _iam002(res) -> list:
    return sorted((f.file.split("/")[-1], f.message.split("` on `")[1].split("`")[0])
                  for f in res.findings if f.rule == "IAM002")


def test_imported_resources_and_text_are_known(tmp_path):
    out = _copy(tmp_path)
    res = run([str(out)], Config(select=["IAM002"]))
    # the user pool ARN, the table ARN and the literal bucket ARN that AuthStack exports are
    # known in ApiStack; only the import of an export no stack of the assembly has is unknown
    assert _iam002(res) == [("ApiStack.template.json", "${Import:other-app:TopicArn}")]


def test_outside_an_assembly_imports_stay_unknown(tmp_path):
    out = _copy(tmp_path)
    plain = tmp_path / "plain"
    plain.mkdir()
    for name in ("AuthStack.template.json", "ApiStack.template.json"):
        shutil.copy(out / name, plain / name)
    res = run([str(plain)], Config(select=["IAM002"]))
    assert sorted(m for _f, m in _iam002(res)) == sorted([
        "${Import:" + POOL_ARN + "}", "${Import:" + TABLE + "}",
        "${Import:acme-logs-bucket-arn}", "${Import:other-app:TopicArn}"])
    # a template of the assembly folder that its manifest does not list (a nested stack's)
    shutil.copy(out / "ApiStack.template.json", out / "Unlisted.template.json")
    res = run([str(out / "Unlisted.template.json")], Config(select=["IAM002"]))
    assert len(res.findings) == 4


def test_an_export_two_stacks_have_stays_unknown(tmp_path):
    out = _copy(tmp_path)
    shutil.copy(out / "AuthStack.template.json", out / "OtherStack.template.json")
    manifest = json.loads((out / "manifest.json").read_text())
    other = dict(manifest["artifacts"]["AuthStack"])
    other["properties"] = {"templateFile": "OtherStack.template.json"}
    manifest["artifacts"]["OtherStack"] = other
    (out / "manifest.json").write_text(json.dumps(manifest))
    res = run([str(out / "ApiStack.template.json")], Config(select=["IAM002"]))
    assert len(res.findings) == 4


def _api_context(out) -> Context:
    path = str(out / "ApiStack.template.json")
    doc = load_file(path).document
    imports = assembly_imports(doc.data, path, 10 * 1024 * 1024, [])
    return Context(doc, Template(doc, imports=imports), None, path)


def test_authorizers_importing_the_user_pool_are_tied_to_it(tmp_path):
    ctx = _api_context(_copy(tmp_path))
    view = ctx.routes
    rest = ctx.template.get("Authorizer7A3D5E2C")
    (p,) = view.resolve_pool(rest.prop("ProviderARNs")[0])
    assert (p.status, p.pool, p.type) == ("pool", "AuthStack.UserPool6BA7E5F2.Arn",
                                          "AWS::Cognito::UserPool")
    jwt = ctx.template.get("HttpApiJwtAuthorizer1C8B4C2E")
    (p,) = view.resolve_issuer(jwt.prop("JwtConfiguration", "Issuer"))
    assert (p.status, p.pool) == ("pool", "AuthStack.UserPool6BA7E5F2")


def test_clean_assembly_has_no_cognito_findings(tmp_path):
    res = run([str(_copy(tmp_path))], Config(select=["COG"]))
    assert res.findings == []


def test_authorizer_importing_the_wrong_thing_is_flagged(tmp_path):
    out = _copy(tmp_path)

    def change(res):
        res["Authorizer7A3D5E2C"]["Properties"]["ProviderARNs"] = [
            {"Fn::ImportValue": POOL_ID}, {"Fn::ImportValue": TABLE}]
        # the HTTP API's JWT authorizer, recognised as a user pool's, guards no route now
        res["HttpApiGETitemsD1E2F3A4"]["Properties"] = {
            "ApiId": {"Ref": "HttpApiF5A9A8A7"}, "RouteKey": "GET /items"}
    _edit(out / "ApiStack.template.json", change)
    res = run([str(out)], Config(select=["COG"]))
    got = sorted((f.rule, f.message) for f in res.findings)
    assert [r for r, _m in got] == ["COG001", "COG001", "COG005"]
    assert "uses `${AuthStack.UserPool6BA7E5F2}` in `ProviderARNs`, which is not the ARN of " \
           "user pool `AuthStack.UserPool6BA7E5F2`" in got[0][1] + got[1][1]
    assert "refers to `AuthStack.Table8235A42E.Arn` (AWS::DynamoDB::Table) in `ProviderARNs`, " \
           "which is not a user pool" in got[0][1] + got[1][1]
    assert "GET /items" in got[2][1]


def test_a_changed_export_is_seen_through_the_cache(tmp_path):
    out = _copy(tmp_path)
    cfg = Config(select=["IAM002"])
    rules = selected_rules(cfg)
    cache_dir = tmp_path / "cache"
    first = run([str(out)], cfg, rules=rules, cache=Cache(str(cache_dir), cfg, rules))
    assert len(first.findings) == 1

    def change(res):   # the export is now an SSM parameter's value: any text
        res["Table8235A42E"] = {"Type": "AWS::SSM::Parameter",
                                "Properties": {"Type": "String", "Value": "*"}}
    _edit(out / "AuthStack.template.json", change)
    again = run([str(out)], cfg, rules=rules, cache=Cache(str(cache_dir), cfg, rules))
    assert [m for _f, m in _iam002(again)] == ["${Import:" + TABLE + "}",
                                               "${Import:other-app:TopicArn}"]


def test_the_exporting_stack_is_still_reported_on_its_own(tmp_path):
    out = _copy(tmp_path)

    def change(res):
        res["AdminRole"] = {"Type": "AWS::IAM::Role", "Properties": {
            "AssumeRolePolicyDocument": {"Statement": [{
                "Effect": "Allow", "Action": "sts:AssumeRole",
                "Principal": {"Service": "lambda.amazonaws.com"}}]},
            "Policies": [{"PolicyName": "all", "PolicyDocument": {"Statement": [{
                "Effect": "Allow", "Action": "*", "Resource": "*"}]}}]}}
    _edit(out / "AuthStack.template.json", change)
    # ApiStack read AuthStack for its exports: AuthStack's findings are its own, not dropped
    # as those of a nested stack reported from its parent
    res = run([str(out)], Config(select=["IAM001"]))
    assert [(f.file.split("/")[-1], f.resource) for f in res.findings] == [
        ("AuthStack.template.json", "AdminRole")]
    assert not res.findings[0].via


def test_buckets_named_after_an_imported_bucket_collide(tmp_path):
    out = _copy(tmp_path)
    auth = out / "AuthStack.template.json"
    data = json.loads(auth.read_text())
    data["Resources"]["Logs"] = {"Type": "AWS::S3::Bucket"}
    data["Outputs"]["ExportsOutputRefLogs"] = {"Value": {"Ref": "Logs"},
                                               "Export": {"Name": "AuthStack:ExportsOutputRefLogs"}}
    auth.write_text(json.dumps(data, indent=1))

    def change(res):
        for lid in ("Copy1", "Copy2"):
            res[lid] = {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": {"Fn::Join": [
                "", [{"Fn::ImportValue": "AuthStack:ExportsOutputRefLogs"}, "-copy"]]}}}
    _edit(out / "ApiStack.template.json", change)
    res = run([str(out)], Config(select=["BKT"]))
    # one bucket of AuthStack, named the same in both: a collision, the name shown as the
    # exporting stack's resource
    assert sorted((f.rule, f.resource) for f in res.findings) == [("BKT003", "Copy1"),
                                                                 ("BKT003", "Copy2")]
    assert all("`${AuthStack.Logs}-copy`" in f.message for f in res.findings)

"""The Serverless Framework frontend: detection, variables, translation, spans, engine, corpus."""

from __future__ import annotations

import json
import os
import textwrap

import pytest

from slint.config import Config
from slint.engine import check_file, discover, run, selected_rules
from slint.loader import load_text
from slint.model.serverless import prepare
from slint.source import SourceMap

from .conftest import ROOT
from .helpers import run_text

def _find_corpus():
    """``shared/corpus/serverless-framework`` beside this checkout or beside a folder above it
    (a worktree)."""
    for d in [ROOT, *ROOT.parents]:
        cand = d.parent / "shared" / "corpus" / "serverless-framework"
        if cand.is_dir():
            return cand
    return ROOT.parent / "shared" / "corpus" / "serverless-framework"


SLS_CORPUS = _find_corpus()


def sls(text: str):
    return textwrap.dedent(text).lstrip()


def translated(text: str, filename: str = "serverless.yml"):
    doc = load_text(sls(text), filename).document
    p = prepare(doc, filename)
    assert p.document is not None, p.skipped
    return p


def line_of(text: str, needle: str) -> int:
    for n, line in enumerate(sls(text).splitlines(), 1):
        if needle in line:
            return n
    raise AssertionError(needle)


# ------------------------------------------------------------------ SourceMap.graft
def test_graft_copies_subtrees_nested_and_repeated_in_one_pass():
    src = SourceMap()
    src.values[("a",)] = (1, 1, 3, 1)
    src.keys[("a",)] = (1, 1, 1, 2)
    src.values[("a", "b")] = (2, 3, 2, 5)
    src.values[("a", "b", 0)] = (3, 5, 3, 9)
    src.values[("z",)] = (9, 1, 9, 2)
    out = SourceMap()
    out.graft_many(src, [(("a",), ("X",)), (("a",), ("Y", 1)), (("a", "b"), ("W",))], file="inc.yml")
    assert out.values[("X", "b", 0)] == (3, 5, 3, 9)
    assert out.values[("Y", 1, "b")] == (2, 3, 2, 5)
    assert out.keys[("X",)] == (1, 1, 1, 2)
    assert out.values[("W", 0)] == (3, 5, 3, 9)
    assert ("z",) not in out.values and all(p[0] != "z" for p in out.values)
    assert out.file_of(("X", "b")) == "inc.yml"
    # a graft of a grafted map keeps the file its spans were in
    again = SourceMap()
    again.graft(("R",), out, ("X",))
    assert again.file_of(("R", "b", 0)) == "inc.yml"


# ------------------------------------------------------------------ detection
def test_other_providers_are_skipped_with_a_reason():
    r = run_text(sls("""
        service: s
        provider:
          name: google
        functions: {}
        """))
    assert r.status == "skipped" and "provider `google`" in r.reason


def test_serverless_ts_is_reported_not_checkable(tmp_path):
    (tmp_path / "serverless.ts").write_text("export default {service: 'x'}")
    (tmp_path / "serverless.yml").write_text("service: x\nprovider:\n  name: aws\n")
    found = [os.path.basename(p) for p, _e in discover([str(tmp_path)])]
    assert found == ["serverless.ts", "serverless.yml"]
    result = run([str(tmp_path)], Config())
    by = {os.path.basename(f.file): f for f in result.files}
    assert by["serverless.ts"].status == "skipped"
    assert "never executes" in by["serverless.ts"].reason
    assert by["serverless.yml"].status == "checked"


def test_compose_lists_services_inside_the_root(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "serverless.yml").write_text(
        "service: api\nprovider:\n  name: aws\nfunctions:\n  f:\n    handler: h\n    url: true\n")
    (tmp_path / "serverless-compose.yml").write_text(
        "services:\n  api:\n    path: api\n  out:\n    path: ../..\n")
    result = run([str(tmp_path / "serverless-compose.yml")], Config(select=["API002"]))
    files = [(os.path.basename(os.path.dirname(f.file)) + "/" + os.path.basename(f.file), f.status)
             for f in result.files]
    assert files == [(f"{tmp_path.name}/serverless-compose.yml", "skipped"),
                     ("api/serverless.yml", "checked")]
    assert [f.rule for f in result.findings] == ["API002"]


# ------------------------------------------------------------------ variables
VARS = """
    service: shop
    provider:
      name: aws
      stage: ${opt:stage, 'dev'}
      environment:
        TABLE: ${self:service}-${sls:stage}-orders
        SECRET: ${ssm:/shop/secret}
        ACCOUNT: ${aws:accountId}
        HOME: ${env:HOME_DIR, 'x'}
        LOOP: ${self:custom.a}
    custom:
      a: ${self:custom.b}
      b: ${self:custom.a}
      bucket: ${self:service}-${self:provider.stage}-data
      nested: ${self:custom.${self:custom.key}}
      key: bucket
    functions:
      f:
        handler: h
        events:
          - s3: ${self:custom.nested}
    """


def test_variables_self_defaults_unknowns_and_cycles():
    p = translated(VARS)
    t = p.document.data
    params = t["Parameters"]
    assert params["SlsOptStage"]["Default"] == "dev"
    assert "SSM Parameter Store" in params["SlsSsmShopSecret"]["Description"]
    assert "Default" not in params["SlsSsmShopSecret"]
    bucket = t["Resources"]["S3BucketShopdevdata"]["Properties"]["BucketName"]
    assert bucket == {"Fn::Join": ["", ["shop-", {"Ref": "SlsOptStage"}, "-data"]]}
    msgs = [m for m, _p in p.notes]
    assert any("cycle" in m for m in msgs), msgs


def test_variable_cycle_is_a_finding_not_a_hang():
    r = run_text(sls(VARS), select=["SYN003"], filename="serverless.yml")
    assert [f.rule for f in r.findings] and all(f.rule == "SYN003" for f in r.findings)
    assert any("cycle" in f.message for f in r.findings)


def test_bucket_built_from_stage_is_graded_as_parameter_built():
    r = run_text(sls(VARS), select=["BKT001", "BKT002"], filename="serverless.yml")
    assert [f.rule for f in r.findings] == ["BKT002"]
    assert r.findings[0].resource == "S3BucketShopdevdata"
    assert r.findings[0].line == line_of(VARS, "- s3:")


def test_file_variables_are_read_inside_the_root_only(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "svc").mkdir()
    (tmp_path / "iam.yml").write_text(
        "statements:\n  - Effect: Allow\n    Action: '*'\n    Resource: '*'\n")
    outside = tmp_path.parent / f"{tmp_path.name}-outside.yml"
    outside.write_text("x: 1\n")
    link = tmp_path / "svc" / "link.yml"
    link.symlink_to(outside)
    (tmp_path / "svc" / "serverless.yml").write_text(sls(f"""
        service: s
        provider:
          name: aws
          iamRoleStatements: ${{file(../iam.yml):statements}}
          environment:
            A: ${{file(../../{outside.name}):x}}
            B: ${{file(./link.yml):x}}
            C: ${{file(./handler.js):x}}
        functions:
          f:
            handler: h
        """))
    res = check_file(str(tmp_path / "svc" / "serverless.yml"), Config(select=["IAM001"]),
                     selected_rules(Config(select=["IAM001"])))
    assert res.status == "checked"
    f, = res.findings
    assert f.file == os.path.normpath(str(tmp_path / "iam.yml")) and f.line == 3
    assert f.resource == "IamRoleLambdaExecution"
    assert res.depends == [str((tmp_path / "iam.yml").resolve())]
    doc = load_text((tmp_path / "svc" / "serverless.yml").read_text(),
                    str(tmp_path / "svc" / "serverless.yml")).document
    params = prepare(doc).document.data["Parameters"]
    reasons = sorted(p["Description"] for p in params.values())
    assert sum("outside the project root" in r for r in reasons) == 2, reasons
    assert any("never executed" in r for r in reasons)


# ------------------------------------------------------------------ translation
API = """
    service: api
    provider:
      name: aws
      httpApi:
        authorizers:
          jwtAuth:
            type: jwt
            identitySource: $request.header.Authorization
            issuerUrl: https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc
            audience:
              - client1
      apiGateway:
        apiKeys:
          - key1
    functions:
      auth:
        handler: auth.h
      open:
        handler: h
        events:
          - http:
              path: items
              method: get
          - http:
              path: keyed
              method: get
              private: true
      iam:
        handler: h
        events:
          - http: POST admin
          - http:
              path: iam
              method: post
              authorizer: aws_iam
      custom:
        handler: h
        events:
          - http:
              path: custom
              method: get
              authorizer: auth
      cognito:
        handler: h
        events:
          - http:
              path: pool
              method: get
              authorizer:
                name: pool
                type: COGNITO_USER_POOLS
                arn: arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc
      jwt:
        handler: h
        events:
          - httpApi:
              method: GET
              path: /me
              authorizer:
                name: jwtAuth
          - httpApi:
              method: GET
              path: /signed
              authorizer:
                type: aws_iam
          - httpApi: '*'
      ws:
        handler: h
        events:
          - websocket:
              route: $connect
              authorizer: auth
          - websocket: $default
      url:
        handler: h
        url: true
      iamurl:
        handler: h
        url:
          authorizer: aws_iam
    """


def _routes(text):
    from slint.commands.routes import render_text
    from slint.context import Context
    from slint.model.template import Template
    p = translated(text)
    ctx = Context(p.document, Template(p.document), None, "serverless.yml")
    rows = ctx.routes.routes()
    urls = sorted((r.function, r.auth) for r in rows if r.kind == "FUNCTION_URL")
    return {(r.method, r.path, r.kind): (r.auth, r.function, r.api_key_required)
            for r in rows}, urls


def test_routes_have_the_framework_auth_semantics():
    got, urls = _routes(API)
    assert got[("GET", "/items", "REST")] == ("NONE", "open", False)
    assert got[("GET", "/keyed", "REST")] == ("NONE", "open", True)   # an API key is not auth
    assert got[("POST", "/admin", "REST")][0] == "NONE"
    assert got[("POST", "/iam", "REST")][0] == "AWS_IAM"
    assert got[("GET", "/custom", "REST")][:2] == ("LAMBDA", "custom")
    assert got[("GET", "/pool", "REST")][0] == "COGNITO"
    assert got[("GET", "/me", "HTTP")][0] == "JWT"
    assert got[("GET", "/signed", "HTTP")][0] == "AWS_IAM"
    assert urls == [("iamurl", "AWS_IAM"), ("url", "NONE")]
    ws = {p: a for (m, p, k), (a, _f, _x) in got.items() if k == "WEBSOCKET"}
    # the $connect authorizer guards the connection: other routes run on an authorized one
    assert ws == {"$connect": "LAMBDA", "$default": "LAMBDA"}


def test_findings_name_function_keys_and_point_at_serverless_lines():
    r = run_text(sls(API), select=["API001", "API002"], filename="serverless.yml")
    got = sorted((f.rule, f.resource, f.line) for f in r.findings)
    assert ("API001", "open", line_of(API, "path: items") - 1) in got
    assert ("API001", "iam", line_of(API, "http: POST admin")) in got
    assert ("API002", "url", line_of(API, "url: true")) in got
    assert not any(f.resource in ("custom", "cognito", "iamurl") for f in r.findings)
    assert all(f.file == "serverless.yml" for f in r.findings)


def test_generated_ids_resolve_from_resources_and_cross_checks_work():
    text = """
        service: photos
        provider:
          name: aws
        functions:
          resize-image:
            handler: h
            events:
              - s3: photos
        resources:
          Resources:
            Pol:
              Type: AWS::S3::BucketPolicy
              Properties:
                Bucket: !Ref S3BucketPhotos
                PolicyDocument:
                  Statement:
                    - Effect: Allow
                      Principal: "*"
                      Action: s3:GetObject
                      Resource: !Sub "${S3BucketPhotos.Arn}/*"
            Perm:
              Type: AWS::Lambda::Permission
              Properties:
                FunctionName: !GetAtt ResizeDashimageLambdaFunction.Arn
                Action: lambda:InvokeFunction
                Principal: s3.amazonaws.com
          Outputs:
            Fn:
              Value: !Ref ResizeDashimageLambdaFunction
        """
    p = translated(text)
    t = p.document.data
    assert t["Resources"]["Perm"]["Properties"]["FunctionName"] == {"Fn::GetAtt": ["resize-image", "Arn"]}
    assert t["Outputs"]["Fn"]["Value"] == {"Ref": "resize-image"}
    r = run_text(sls(text), select=["S3P001", "BKT001"], filename="serverless.yml")
    got = sorted((f.rule, f.resource, f.line) for f in r.findings)
    assert got == [("BKT001", "S3BucketPhotos", line_of(text, "- s3: photos")),
                   ("S3P001", "S3BucketPhotos", line_of(text, 'Principal: "*"'))]


def test_roles_provider_named_and_per_function():
    text = """
        service: roles
        provider:
          name: aws
          iam:
            role:
              statements:
                - Effect: Allow
                  Action: s3:*
                  Resource: "*"
              managedPolicies:
                - arn:aws:iam::aws:policy/AdministratorAccess
        functions:
          shared:
            handler: h
          own:
            handler: h
            iamRoleStatements:
              - Effect: Allow
                Action: "*"
                Resource: "*"
          named:
            handler: h
            role: MyRole
        resources:
          Resources:
            MyRole:
              Type: AWS::IAM::Role
              Properties:
                AssumeRolePolicyDocument:
                  Statement:
                    - Effect: Allow
                      Principal: {Service: lambda.amazonaws.com}
                      Action: sts:AssumeRole
        """
    t = translated(text).document.data["Resources"]
    assert t["shared"]["Properties"]["Role"] == {"Fn::GetAtt": ["IamRoleLambdaExecution", "Arn"]}
    assert t["named"]["Properties"]["Role"] == {"Fn::GetAtt": ["MyRole", "Arn"]}
    assert "Role" not in t["own"]["Properties"] and t["own"]["Properties"]["Policies"]
    r = run_text(sls(text), select=["IAM001", "IAM005"], filename="serverless.yml")
    got = sorted((f.rule, f.resource, f.line) for f in r.findings)
    assert ("IAM001", "IamRoleLambdaExecution", line_of(text, "Action: s3:*")) in got
    assert ("IAM001", "own", line_of(text, 'Action: "*"')) in got
    assert ("IAM005", "IamRoleLambdaExecution", line_of(text, "AdministratorAccess")) in got


def test_inline_suppression_on_a_serverless_line():
    text = """
        service: s
        provider:
          name: aws
        functions:
          f:
            handler: h
            url: true  # slint: ignore[API002] public webhook, checks a signature
        """
    r = run_text(sls(text), select=["API002"], filename="serverless.yml")
    assert r.findings == []


# ------------------------------------------------------------------ the corpus
def test_serverless_framework_corpus_loads_completely():
    if not SLS_CORPUS.is_dir():
        pytest.skip(f"corpus not present at {SLS_CORPUS}")
    result = run([str(SLS_CORPUS)], Config())
    sls_files = [f for f in result.files
                 if os.path.basename(f.file) in ("serverless.yml", "serverless.yaml")]
    assert len(sls_files) >= 190
    assert not [f for f in result.findings if f.rule.startswith("INT")]
    assert not [f for f in result.files if f.status == "error"]
    checked = [f for f in sls_files if f.status == "checked"]
    skipped = [f for f in sls_files if f.status == "skipped"]
    assert len(checked) >= 130
    assert all("provider `" in f.reason and "not checked" in f.reason for f in skipped), \
        [f.reason for f in skipped if "provider `" not in f.reason]
    # every AWS service is checked
    from slint.loader import load_file
    for f in sls_files:
        data = load_file(f.file).document.data
        prov = data.get("provider") if isinstance(data, dict) else None
        name = prov.get("name") if isinstance(prov, dict) else prov
        if name == "aws":
            assert f.status == "checked", (f.file, f.reason)
    assert any(f.rule == "API001" for f in result.findings)
    assert any(f.rule == "IAM001" and f.resource == "IamRoleLambdaExecution" for f in result.findings)
    json.dumps([f.to_dict() for f in result.findings])


def test_a_value_that_contains_itself_is_bounded_not_exponential():
    # `${self:functions}` inside functions, twice: expanding it blindly doubles per level
    text = """
        service: s
        provider:
          name: aws
        functions:
          a:
            handler: h
            events:
              - ${self:functions}
              - http:
                  path: x
                  method: ${self:functions}
        """
    r = run_text(sls(text), select=["SYN003", "INT001"], filename="serverless.yml")
    assert r.status == "checked"
    assert {f.rule for f in r.findings} == {"SYN003"}
    assert all("contains itself" in f.message for f in r.findings)


def test_event_sources_and_deployment_bucket():
    text = """
        service: s
        provider:
          name: aws
          deploymentBucket:
            name: company-deployments
        functions:
          f:
            handler: h
            events:
              - sqs: arn:aws:sqs:us-east-1:123456789012:q
              - stream:
                  arn: arn:aws:kinesis:us-east-1:123456789012:stream/s
              - stream: arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/1
              - sns: alerts
              - schedule: rate(1 hour)
        """
    t = translated(text).document.data["Resources"]
    evs = {k: v["Type"] for k, v in t["f"]["Properties"]["Events"].items()}
    assert evs == {"Sqs0": "SQS", "Stream1": "Kinesis", "Stream2": "DynamoDB", "Sns3": "SNS"}
    assert t["SNSTopicAlerts"]["Properties"]["TopicName"] == "alerts"
    assert t["f"]["Properties"]["Events"]["Sns3"]["Properties"]["Topic"] == {"Ref": "SNSTopicAlerts"}
    # an existing deployment bucket is used, not created
    assert "ServerlessDeploymentBucket" not in t
    plain = sls(text).replace("  deploymentBucket:\n    name: company-deployments\n", "")
    assert "deploymentBucket" not in plain
    assert "ServerlessDeploymentBucket" in translated(plain).document.data["Resources"]


def test_routes_and_graph_commands_read_serverless_yml(tmp_path, capsys):
    from slint.commands.graph import build, render_mermaid
    from slint.commands.routes import run_routes
    p = tmp_path / "serverless.yml"
    p.write_text(sls(API))
    assert run_routes(str(p)) == 0
    out = capsys.readouterr().out
    assert "GET     /items" in out and "ApiGatewayRestApi" in out and "FUNCTION_URL" in out
    pic, err = build(str(p))
    assert err is None
    text = render_mermaid(pic)
    assert "IamRoleLambdaExecution" in text and "ApiGatewayRestApi" in text
    other = tmp_path / "gcp.yml"
    other.write_text("service: s\nprovider:\n  name: google\n")
    assert run_routes(str(other)) == 2
    assert "provider `google`" in capsys.readouterr().err


def test_an_api_created_elsewhere_is_not_generated_and_its_routes_are_unknown():
    text = """
        service: s
        provider:
          name: aws
          apiGateway:
            restApiId: abc123
            restApiRootResourceId: root
        functions:
          f:
            handler: h
            events:
              - http:
                  path: x
                  method: get
        """
    p = translated(text)
    assert "ApiGatewayRestApi" not in p.document.data["Resources"]
    got, _urls = _routes(text)
    assert got[("GET", "/x", "REST")][0] == "UNKNOWN"


def test_results_that_read_other_files_are_not_served_from_the_cache(tmp_path):
    from slint.cache import open_cache
    proj = tmp_path / "p"
    proj.mkdir()
    (proj / ".git").mkdir()
    (proj / "iam.yml").write_text("- Effect: Allow\n  Action: s3:GetObject\n  Resource: '*'\n")
    (proj / "serverless.yml").write_text(
        "service: s\nprovider:\n  name: aws\n  iamRoleStatements: ${file(./iam.yml)}\n"
        "functions:\n  f:\n    handler: h\n")
    cfg = Config(select=["IAM001"])
    rules = selected_rules(cfg)

    def once():
        cache = open_cache(str(tmp_path / "cache"), cfg, rules)
        res = run([str(proj / "serverless.yml")], cfg, rules=rules, cache=cache)
        cache.flush()
        return [(f.rule, os.path.basename(f.file)) for f in res.findings]

    assert once() == []
    (proj / "iam.yml").write_text("- Effect: Allow\n  Action: '*'\n  Resource: '*'\n")
    assert once() == [("IAM001", "iam.yml")]


def test_finding_paths_are_the_serverless_yml_paths():
    """JSON ``path`` of a serverless.yml finding is where the user wrote it (the http event,
    the iamRoleStatements action), not the template slint translated it to; a suppression
    scoped to the function still applies (owners are decided on the translation)."""
    text = textwrap.dedent("""\
        service: shop
        provider:
          name: aws
          runtime: python3.12
          iamRoleStatements:
            - Effect: Allow
              Action: ["s3:*"]
              Resource: "*"
        functions:
          create:
            handler: h.create
            events:
              - http: {path: items, method: post}
        """)
    res = run_text(text, filename="serverless.yml")
    paths = {f.rule: f.path for f in res.findings}
    assert paths["API001"] == ["functions", "create", "events", 0, "http"]
    assert paths["IAM001"] == ["provider", "iamRoleStatements", 0, "Action", 0]


def test_open_route_reasons_speak_the_frameworks_words():
    """A serverless.yml has no SAM DefaultAuthorizer or Auth.Authorizer: the reason names the
    event key the user would add an ``authorizer`` to."""
    text = textwrap.dedent("""\
        service: shop
        provider: {name: aws, runtime: python3.12}
        functions:
          list:
            handler: h.list
            events:
              - http: {path: items, method: get}
              - httpApi: {path: /things, method: get}
          chat:
            handler: h.chat
            events:
              - websocket: {route: $connect}
              - websocket: $default
        """)
    msgs = sorted(f.message for f in run_text(text, filename="serverless.yml").findings
                  if f.rule == "API001")
    assert msgs == [
        "`$connect` on WebsocketsApi has no authorization: its `websocket` event sets no "
        "`authorizer`",
        "`GET /items` on ApiGatewayRestApi has no authorization: its `http` event sets no "
        "`authorizer`",
        "`GET /things` on HttpApi has no authorization: its `httpApi` event sets no `authorizer`",
    ]
    # every route is named by the function key its event is under, not the generated id
    owners = sorted((f.resource, f.line) for f in run_text(text, filename="serverless.yml").findings
                    if f.rule == "API001")
    assert owners == [("chat", 12), ("list", 7), ("list", 8)]
    assert not any("DefaultAuthorizer" in m or "Auth.Authorizer" in m for m in msgs)

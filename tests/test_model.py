"""Template model: SAM Globals with provenance, implicit APIs, events, parameters."""

from __future__ import annotations

import pytest

from slint.loader import load_file, load_text
from slint.model.template import Template

from .sam_oracle import translate

SAM = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    Environment:
      Variables:
        A: global
    Layers: [g1]
  Api:
    Auth:
      DefaultAuthorizer: Cog
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.h
      Environment:
        Variables:
          B: local
      Layers: [l1]
      Events:
        Get:
          Type: Api
          Properties: {Path: /items, Method: get}
        Http:
          Type: HttpApi
        Own:
          Type: Api
          Properties: {Path: /x, Method: get, RestApiId: !Ref MyApi}
  Other:
    Type: AWS::Serverless::Function
    IgnoreGlobals: ["Runtime"]
    Properties:
      Handler: app.h
      Runtime: nodejs20.x
  MyApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
"""


def _t(text):
    r = load_text(text)
    assert r.ok, r.issues
    return Template(r.document)


def test_globals_merge_with_provenance():
    t = _t(SAM)
    fn = t.get("Fn")
    assert fn.properties["Runtime"] == "python3.12"
    assert fn.doc_path(("Properties", "Runtime")) == ("Globals", "Function", "Runtime")
    assert fn.properties["Environment"]["Variables"] == {"A": "global", "B": "local"}
    assert fn.doc_path(("Properties", "Environment", "Variables", "A")) == \
        ("Globals", "Function", "Environment", "Variables", "A")
    assert fn.doc_path(("Properties", "Environment", "Variables", "B")) == \
        ("Resources", "Fn", "Properties", "Environment", "Variables", "B")
    # lists concatenate, globals first
    assert fn.properties["Layers"] == ["g1", "l1"]
    assert fn.doc_path(("Properties", "Layers", 0)) == ("Globals", "Function", "Layers", 0)
    assert fn.doc_path(("Properties", "Layers", 1)) == ("Resources", "Fn", "Properties", "Layers", 0)
    assert fn.from_globals(("Properties", "Runtime"))
    assert not fn.from_globals(("Properties", "Handler"))


def test_ignore_globals():
    t = _t(SAM)
    other = t.get("Other")
    assert other.properties["Runtime"] == "nodejs20.x"
    assert "Layers" in other.properties  # only Runtime is ignored


def test_implicit_apis_and_globals_on_them():
    t = _t(SAM)
    rest = t.get("ServerlessRestApi")
    http = t.get("ServerlessHttpApi")
    assert rest.implicit and http.implicit
    assert [fid for fid, _ in rest.declared_by] == ["Fn"]  # the event with RestApiId is not implicit
    assert rest.properties["Auth"] == {"DefaultAuthorizer": "Cog"}
    assert rest.doc_path(("Properties", "Auth", "DefaultAuthorizer")) == \
        ("Globals", "Api", "Auth", "DefaultAuthorizer")
    assert http.properties == {}
    assert not t.get("MyApi").implicit
    assert "ServerlessRestApi" not in [r.logical_id for r in t.user_resources()]


def test_events():
    t = _t(SAM)
    evs = {e.name: e for e in t.events(t.get("Fn"))}
    assert evs["Get"].type == "Api" and evs["Get"].properties["Path"] == "/items"
    assert evs["Get"].doc_path == ("Resources", "Fn", "Properties", "Events", "Get")


def test_transform_in_a_list_and_parameters():
    t = _t("Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]\n"
           "Parameters:\n  Env: {Type: String, Default: dev, AllowedValues: [dev, prod]}\n"
           "  Secret: {Type: String, NoEcho: true}\n"
           "Resources:\n  F: {Type: AWS::Serverless::Function, Properties: {Handler: h}}\n")
    assert t.is_sam
    assert t.parameters["Env"].default == "dev" and t.parameters["Env"].allowed_values == ["dev", "prod"]
    assert t.parameters["Secret"].no_echo and not t.parameters["Secret"].has_default


@pytest.mark.parametrize("text,msg", [
    ("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n", "empty"),
    ("Resources: [a]\n", "not a mapping"),
    ("Resources:\n  A: {Properties: {}}\n", "no `Type`"),
    ("Resources:\n  A: text\n", "not a mapping"),
])
def test_structure_problems_are_issues_not_crashes(text, msg):
    t = _t(text)
    assert any(msg in m for m, _ in t.issues)


def test_broken_sam_shapes_do_not_crash():
    t = _t("Transform: AWS::Serverless-2016-10-31\nGlobals: text\nResources:\n"
           "  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      Events: [1, 2]\n"
           "      Policies: 3\n")
    assert list(t.events(t.get("F"))) == []


def test_implicit_apis_agree_with_the_sam_translator(corpus_dir):
    """The real SAM transform creates ServerlessRestApi/ServerlessHttpApi exactly when we do."""
    checked = 0
    for path in sorted(corpus_dir.glob("*.y*ml"))[::4]:
        r = load_file(str(path))
        if not r.ok or not isinstance(r.document.data, dict):
            continue
        t = Template(r.document)
        if not t.is_sam:
            continue
        out = translate(r.document.data)
        if out is None:
            continue
        theirs = {k for k in ("ServerlessRestApi", "ServerlessHttpApi") if k in out["Resources"]
                  and k not in (r.document.data.get("Resources") or {})}
        mine = {k for k, v in t.resources.items() if v.implicit}
        assert mine == theirs, path.name
        checked += 1
    assert checked > 80


IGNORE = """
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    Timeout: 30
    Layers: [g1]
Resources:
  Plain:
    Type: AWS::Serverless::Function
    Properties: {Handler: app.h}
  SkipRuntime:
    Type: AWS::Serverless::Function
    IgnoreGlobals: [Runtime]
    Properties: {Handler: app.h}
  SkipAll:
    Type: AWS::Serverless::Function
    IgnoreGlobals: "*"
    Properties: {Handler: app.h}
"""


def test_ignore_globals_drops_only_the_named_properties():
    # the functions set none of these themselves: what they have comes from Globals or nowhere
    t = _t(IGNORE)
    plain, skip_rt, skip_all = (t.get(n).properties for n in ("Plain", "SkipRuntime", "SkipAll"))
    assert plain["Runtime"] == "python3.12" and plain["Timeout"] == 30
    assert "Runtime" not in skip_rt
    assert skip_rt["Timeout"] == 30 and skip_rt["Layers"] == ["g1"]
    assert t.get("SkipRuntime").doc_path(("Properties", "Timeout")) == ("Globals", "Function", "Timeout")
    assert skip_all == {"Handler": "app.h"}

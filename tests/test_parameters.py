"""Parameter values of a deployment: --parameter-overrides, --parameters FILE, samconfig next to
the template (--config-env). A given value narrows its parameter to that value; messages say so."""

from __future__ import annotations

import json

import pytest

from slint.config import Config
from slint.engine import run
from slint.model.parameters import (ParameterError, describe, load_parameter_file,
                                    load_samconfig, parse_pairs)

from .test_cli import slint

TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage:
    Type: String
    AllowedValues: [dev, prod]
    Default: dev
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      FunctionUrlConfig:
        AuthType: !If [IsProd, AWS_IAM, NONE]
"""

SAMCONFIG = """\
version = 0.1
[default.deploy.parameters]
parameter_overrides = "Stage=\\"prod\\" Unused=1"
[dev.deploy.parameters]
parameter_overrides = ["Stage=dev"]
"""


def test_parse_pairs_forms():
    got = parse_pairs(['Stage=prod "Name=a b"', "ParameterKey=Env,ParameterValue=x=y"], "cli")
    assert got == {"Stage": ("prod", "cli"), "Name": ("a b", "cli"), "Env": ("x=y", "cli")}
    with pytest.raises(ParameterError):
        parse_pairs(["novalue"], "cli")


@pytest.mark.parametrize("text", [
    '[{"ParameterKey": "Stage", "ParameterValue": "prod"}]',
    '{"Parameters": {"Stage": "prod"}}',
    "# comment\nStage=prod\n",
])
def test_parameter_file_formats(tmp_path, text):
    f = tmp_path / "params.json"
    f.write_text(text)
    assert load_parameter_file(str(f)) == {"Stage": ("prod", "params.json")}


def test_samconfig_env_and_yaml(tmp_path):
    f = tmp_path / "samconfig.toml"
    f.write_text(SAMCONFIG)
    assert load_samconfig(str(f))["Stage"] == ("prod", "samconfig.toml")
    assert load_samconfig(str(f), "dev") == {"Stage": ("dev", "samconfig.toml")}
    with pytest.raises(ParameterError, match="no environment `nope`.*`default`, `dev`"):
        load_samconfig(str(f), "nope")
    y = tmp_path / "samconfig.yaml"
    y.write_text("version: 0.1\ndefault:\n  global:\n    parameters:\n"
                 "      parameter_overrides: Stage=prod\n")
    assert load_samconfig(str(y)) == {"Stage": ("prod", "samconfig.yaml")}
    assert describe({"Stage": ("prod", "samconfig.toml")}, ["Stage", "X"]) == \
        " (with Stage=prod from samconfig.toml)"


def _proj(tmp_path, samconfig=True):
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    if samconfig:
        (tmp_path / "samconfig.toml").write_text(SAMCONFIG)
    return tmp_path


def _msgs(res):
    return [(f.rule, f.line, f.message) for f in res.findings]


def test_without_values_every_scenario(tmp_path):
    p = _proj(tmp_path, samconfig=False)
    (f,) = run([str(p / "template.yaml")], Config(select=["API002"])).findings
    assert f.message.endswith("(when not IsProd)")


def test_samconfig_next_to_the_template_fixes_the_value(tmp_path):
    p = _proj(tmp_path)
    t = str(p / "template.yaml")
    assert run([t], Config(select=["API002"])).findings == []          # default env: prod
    got = _msgs(run([t], Config(select=["API002"], config_env="dev")))
    assert got == [("API002", 17, "the function URL of `Fn` can be invoked by anyone: AuthType "
                    "is NONE (with Stage=dev from samconfig.toml)")]


def test_an_unknown_config_env_is_said_not_silently_ignored(tmp_path):
    """``sam deploy --config-env prd`` with no ``[prd...]`` section quietly uses no values; slint
    lists the samconfig as not evaluated (JSON ``unknowns``, the text summary) and keeps every
    scenario of the parameter."""
    p = _proj(tmp_path)
    res = run([str(p / "template.yaml")], Config(select=["API002"], config_env="prd"))
    assert [f.message for f in res.findings] == [
        "the function URL of `Fn` can be invoked by anyone: AuthType is NONE (when not IsProd)"]
    r = slint("check", "template.yaml", "--config-env", "prd", "--format", "json", cwd=p)
    (u,) = json.loads(r.stdout)["files"][0]["unknowns"]
    assert u["what"] == "parameter values" and u["where"]["file"].endswith("samconfig.toml")
    assert "no environment `prd` (--config-env); it has `default`, `dev`" in u["why"]


def test_samconfig_under_another_name(tmp_path):
    """``--samconfig FILE`` (``sam deploy --config-file``) replaces the one next to the template;
    a missing FILE is a usage error, not silence."""
    p = _proj(tmp_path, samconfig=False)
    (p / "samconfig-tenant.toml").write_text(SAMCONFIG)
    r = slint("check", "template.yaml", "--select", "API002", "--samconfig", "samconfig-tenant.toml",
              "--config-env", "dev", "--format", "json", cwd=p)
    assert r.returncode == 1, r.stderr
    (f,) = json.loads(r.stdout)["findings"]
    assert f["message"].endswith("(with Stage=dev from samconfig-tenant.toml)")
    r = slint("check", "template.yaml", "--select", "API002", "--samconfig", "samconfig-tenant.toml",
              cwd=p)
    assert r.returncode == 0, r.stdout          # its default environment: Stage=prod
    r = slint("check", "template.yaml", "--samconfig", "missing.toml", cwd=p)
    assert r.returncode == 2 and "--samconfig missing.toml: no such file" in r.stderr
    r = slint("routes", "template.yaml", "--samconfig", "samconfig-tenant.toml", "--config-env",
              "dev", cwd=p)
    assert r.returncode == 0 and "with Stage=dev from samconfig-tenant.toml" in r.stdout


def test_overrides_win_over_samconfig(tmp_path):
    p = _proj(tmp_path)
    cfg = Config(select=["API002"], parameter_values={"Stage": ("dev", "--parameter-overrides")})
    (f,) = run([str(p / "template.yaml")], cfg).findings
    assert "(with Stage=dev from --parameter-overrides)" in f.message


def test_command_line(tmp_path):
    p = _proj(tmp_path)
    (p / "params.json").write_text('[{"ParameterKey": "Stage", "ParameterValue": "dev"}]')
    r = slint("check", "template.yaml", "--select", "API002", "--parameters", "params.json",
              "--format", "json", cwd=p)
    assert r.returncode == 1, r.stderr
    (f,) = json.loads(r.stdout)["findings"]
    assert f["message"].endswith("(with Stage=dev from params.json)")
    r = slint("check", "template.yaml", "--select", "API002", "--parameters", "params.json",
              "--parameter-overrides", "Stage=prod", cwd=p)
    assert r.returncode == 0, r.stdout
    r = slint("check", "template.yaml", "--parameter-overrides", "oops", cwd=p)
    assert r.returncode == 2 and "Key=Value" in r.stderr
    r = slint("routes", "template.yaml", "--config-env", "dev", cwd=p)
    assert r.returncode == 0 and "NONE [open]" in r.stdout and "with Stage=dev from samconfig.toml" in r.stdout

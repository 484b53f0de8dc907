"""Config files: discovery, validation with "did you mean", and their effect on a run."""

from __future__ import annotations

import os
from typing import ClassVar

import pytest

from slint.checkcmd import CheckOptions, load_run_config, run_check
from slint.config import Config, ConfigError, find_config, load_config, validate_table
from slint.findings import Category, Severity
from slint.rule import Rule

DUP = ("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Fn:\n    Type: AWS::Lambda::Function\n"
       "    Properties:\n      Handler: a\n      Handler: b\n")


class OptRule(Rule):
    """Test rule with options."""
    code = "TST001"
    name = "test-rule"
    category = Category.IAM
    severity = Severity.MEDIUM
    message = "x"
    options: ClassVar[dict] = {"strict": False, "max_actions": 10, "allowed": ["a"], "ratio": 0.5}


from slint.rules import all_rules  # noqa: E402

RULES = [OptRule, *all_rules()]


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------- discovery
def test_found_upward_from_the_checked_file(tmp_path):
    cfg = write(tmp_path / "pyproject.toml", "[tool.slint]\nfail-on = 'high'\n")
    t = write(tmp_path / "infra" / "stacks" / "t.yaml", DUP)
    assert find_config([str(t)], cwd="/") == str(cfg)


def test_slint_toml_wins_and_pyproject_without_table_is_skipped(tmp_path):
    top = write(tmp_path / ".slint.toml", "fail-on = 'high'\n")
    write(tmp_path / "pyproject.toml", "[tool.slint]\nfail-on = 'low'\n")
    write(tmp_path / "sub" / "pyproject.toml", "[project]\nname = 'x'\n")  # no [tool.slint]
    t = write(tmp_path / "sub" / "t.yaml", DUP)
    assert find_config([str(t)], cwd="/") == str(top)


def test_falls_back_to_cwd(tmp_path):
    cfg = write(tmp_path / "proj" / ".slint.toml", "severity = 'low'\n")
    other = tmp_path / "elsewhere"
    other.mkdir()
    assert find_config([str(other)], cwd=str(tmp_path / "proj")) == str(cfg)


# ---------------------------------------------------------------------------- validation
def _errors(table):
    return validate_table(table, "cfg.toml", RULES)


def test_unknown_key_did_you_mean():
    (msg,) = _errors({"selct": ["TST001"]})
    assert "unknown key 'selct'" in msg and "did you mean 'select'" in msg
    (msg,) = _errors({"extend_select": ["TST001"]})
    assert "did you mean 'extend-select'" in msg


def test_bad_values():
    (msg,) = _errors({"fail-on": "hihg"})
    assert msg.startswith("cfg.toml: fail-on:") and "did you mean 'high'" in msg
    (msg,) = _errors({"select": "TST001"})
    assert "select" in msg and "is not of type 'array'" in msg


def test_unknown_codes_did_you_mean():
    errs = _errors({"select": ["TST01"], "ignore": ["TST001", "SYN"],
                    "per-file-ignores": {"legacy/*": ["TSX001"]}, "rules": {"TST002": {}}})
    assert any("select: unknown rule code 'TST01'" in e and "did you mean" in e for e in errs)
    assert any("per-file-ignores" in e and "TSX001" in e for e in errs)
    assert any("rules: unknown rule code 'TST002' (did you mean 'TST001'?)" in e for e in errs)
    assert not any("ignore:" in e for e in errs)


def test_rule_options_validated_against_the_rules_options():
    assert _errors({"rules": {"TST001": {"strict": True, "max_actions": 3, "allowed": ["b"],
                                         "ratio": 1, "severity": "high"}}}) == []
    (msg,) = _errors({"rules": {"TST001": {"strikt": True}}})
    assert "unknown option 'strikt'" in msg and "did you mean 'strict'" in msg
    (msg,) = _errors({"rules": {"TST001": {"nonsense_words": True}}})
    assert "TST001 options: allowed, max_actions, ratio, strict" in msg
    (msg,) = _errors({"rules": {"TST001": {"strict": "yes"}}})
    assert "rules.TST001.strict: expected a boolean" in msg
    (msg,) = _errors({"rules": {"TST001": {"max_actions": True}}})
    assert "expected an integer" in msg
    (msg,) = _errors({"rules": {"TST001": {"severity": "hi"}}})
    assert "rules.TST001.severity" in msg


def test_full_config_applies(tmp_path):
    f = write(tmp_path / "pyproject.toml", """
[tool.slint]
select = ["TST", "SYN"]
ignore = ["SYN003"]
extend-select = ["TST001"]
severity = "low"
fail-on = "high"
max-file-bytes = 1000

[tool.slint.per-file-ignores]
"legacy/*.yaml" = ["SYN002"]

[tool.slint.rules.TST001]
severity = "critical"
strict = true
""")
    cfg = load_config(str(f), cwd=str(tmp_path), rules=RULES)
    assert cfg.select == ["TST", "SYN"] and cfg.ignore == ["SYN003"]
    assert cfg.extend_select == ["TST001"]
    assert cfg.min_severity is Severity.LOW and cfg.fail_on is Severity.HIGH
    assert cfg.max_file_bytes == 1000
    assert cfg.severity_overrides == {"TST001": Severity.CRITICAL}
    assert cfg.rule_options == {"TST001": {"strict": True}}
    assert cfg.per_path_ignores["legacy/*.yaml"] == ["SYN002"]
    assert cfg.per_path_ignores[str(tmp_path / "legacy" / "*.yaml")] == ["SYN002"]
    assert cfg.source == str(f)
    assert not cfg.rule_selected("SYN003", True) and cfg.rule_selected("TST001", False)


def test_invalid_toml(tmp_path):
    f = write(tmp_path / ".slint.toml", "select = [\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config(str(f))


# ---------------------------------------------------------------------------- effect on a run
def test_config_drives_a_run_and_flags_override_it(tmp_path, capsys):
    write(tmp_path / ".slint.toml", "fail-on = 'high'\n")
    t = write(tmp_path / "t.yaml", DUP)  # one SYN002 [medium]
    assert run_check(CheckOptions(paths=[str(t)])) == 0           # below fail-on high
    assert run_check(CheckOptions(paths=[str(t)], fail_on="medium")) == 1  # the flag wins
    assert run_check(CheckOptions(paths=[str(t)], no_config=True)) == 1
    capsys.readouterr()


def test_per_file_ignores_relative_to_the_config(tmp_path, monkeypatch, capsys):
    write(tmp_path / ".slint.toml", "[per-file-ignores]\n\"legacy/*\" = [\"SYN002\"]\n")
    legacy = write(tmp_path / "legacy" / "t.yaml", DUP)
    new = write(tmp_path / "new" / "t.yaml", DUP)
    monkeypatch.chdir(tmp_path / "new")  # globs are relative to the config, not to cwd
    assert run_check(CheckOptions(paths=[str(legacy)], format="json")) == 0
    assert run_check(CheckOptions(paths=[str(new)], format="json")) == 1
    monkeypatch.chdir(tmp_path)
    assert run_check(CheckOptions(paths=["legacy"], format="json")) == 0
    capsys.readouterr()


def test_per_rule_severity(tmp_path, capsys):
    write(tmp_path / ".slint.toml", "[rules.SYN002]\nseverity = 'critical'\n")
    t = write(tmp_path / "t.yaml", DUP)
    run_check(CheckOptions(paths=[str(t)], format="json"))
    import json
    doc = json.loads(capsys.readouterr().out)
    assert [f["severity"] for f in doc["findings"]] == ["critical"]


def test_bad_config_is_exit_2_with_hint(tmp_path, capsys):
    write(tmp_path / "pyproject.toml", "[tool.slint]\nignor = ['SYN002']\n")
    t = write(tmp_path / "t.yaml", DUP)
    assert run_check(CheckOptions(paths=[str(t)])) == 2
    err = capsys.readouterr().err
    assert "unknown key 'ignor'" in err and "did you mean 'ignore'" in err
    assert run_check(CheckOptions(paths=[str(t)], no_config=True)) == 1


def test_explicit_config_file(tmp_path, capsys):
    c = write(tmp_path / "ci" / "slint.toml", "fail-on = 'critical'\n")
    t = write(tmp_path / "t.yaml", DUP)
    assert run_check(CheckOptions(paths=[str(t)], config_file=str(c))) == 0
    assert run_check(CheckOptions(paths=[str(t)], config_file=str(tmp_path / "nope.toml"))) == 2
    capsys.readouterr()


def test_no_config_means_defaults(tmp_path):
    write(tmp_path / ".slint.toml", "fail-on = 'critical'\n")
    cfg = load_run_config(CheckOptions(paths=[str(tmp_path)], no_config=True))
    assert cfg == Config()


def test_config_schema_is_valid_json_schema():
    import json
    import jsonschema
    from .conftest import ROOT
    schema = json.loads((ROOT / "linter" / "schemas" / "config.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)


def test_readme_config_example_is_valid():
    import re
    from slint._toml import tomllib
    from .conftest import ROOT
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Configuration"):]
    block = re.search(r"```toml\n(.*?)```", section, re.S).group(1)
    table = tomllib.loads(block)["tool"]["slint"]
    assert validate_table(table, "README.md") == []


def test_opt_in_rules_need_their_exact_code():
    from slint.config import Config
    assert not Config(select=["IAM"]).rule_selected("IAM003", False)
    assert not Config(select=["ALL"]).rule_selected("IAM003", False)
    assert Config(select=["IAM003"]).rule_selected("IAM003", False)
    assert Config(extend_select=["IAM003"]).rule_selected("IAM003", False)
    assert Config(select=["IAM"]).rule_selected("IAM001", True)
    assert not Config(select=["IAM"], ignore=["IAM001"]).rule_selected("IAM001", True)

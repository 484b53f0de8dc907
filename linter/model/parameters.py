"""Parameter values given for a deployment: ``--parameter-overrides``, ``--parameters FILE`` and
``samconfig.toml`` / ``samconfig.yaml`` next to the template.

A given value fixes its parameter to that one value (the evaluator and the condition solver see a
parameter whose only allowed value is it); messages name the values used and where they came
from. Pure parsing: no evaluation here.
"""

from __future__ import annotations

import json
import os
import shlex
from dataclasses import dataclass
from typing import Iterable

SAMCONFIG_NAMES = ("samconfig.toml", "samconfig.yaml", "samconfig.yml")
# samconfig sections read for parameter_overrides, first found wins (``sam deploy`` first)
SAMCONFIG_COMMANDS = ("deploy", "global", "sync", "validate", "build", "package",
                      "local_start_api", "local_invoke")

Given = dict   # parameter name -> (value text, source label)


@dataclass(frozen=True)
class ParentResource:
    """A value a parent stack passes down that is exactly one resource: one of the parent's
    own (``!Ref R``, ``!GetAtt R.Arn``) or one of a sibling nested stack's (``!GetAtt
    S.Outputs.X`` whose value in S is such a reference). Its text is not known, but it is one
    resource's name or ARN, never a wildcard. ``label`` is what the parent wrote (``Table.Arn``,
    ``Tables.Outputs.TableArn``); messages show it as ``${Parent.Table.Arn}``.

    Also what another stack of the same CDK cloud assembly exports (``Fn::ImportValue``):
    ``stack`` is then the exporting stack's name (``${AuthStack.UserPool.Arn}``).
    ``type`` and ``attr``: the resource's CloudFormation type and the attribute read (None
    for ``!Ref``), when known."""
    label: str
    type: str | None = None
    attr: str | None = None
    stack: str = "Parent"

    @property
    def name(self) -> str:
        """The placeholder's inside: ``Parent.Table.Arn``, ``AuthStack.UserPool.Arn``."""
        return self.stack + "." + self.label

    def __str__(self) -> str:
        return "${" + self.name + "}"


class ParameterError(ValueError):
    """Parameter values that cannot be read; the message says what to change."""


def parse_pairs(items: Iterable, source: str) -> Given:
    """``Key=Value`` pairs as ``sam deploy`` and ``aws cloudformation deploy`` take them: one or
    several a string (shell-quoted), or ``ParameterKey=K,ParameterValue=V``."""
    out: Given = {}
    for item in items:
        if not isinstance(item, str):
            raise ParameterError(f"{source}: parameter override {item!r} is not text")
        try:
            words = shlex.split(item)
        except ValueError as exc:
            raise ParameterError(f"{source}: cannot split {item!r}: {exc}") from None
        for w in words:
            if w.startswith("ParameterKey="):
                fields = dict(p.split("=", 1) for p in w.split(",") if "=" in p)
                key, value = fields.get("ParameterKey"), fields.get("ParameterValue")
                if not key or value is None:
                    raise ParameterError(f"{source}: {w!r} needs ParameterKey=K,ParameterValue=V")
            else:
                key, sep, value = w.partition("=")
                if not sep or not key:
                    raise ParameterError(f"{source}: {w!r} is not Key=Value")
            out[key] = (value, source)
    return out


def load_parameter_file(path: str) -> Given:
    """CloudFormation's ``[{"ParameterKey": K, "ParameterValue": V}]``, CodePipeline's
    ``{"Parameters": {K: V}}`` (a plain ``{K: V}`` too), or ``Key=Value`` lines."""
    label = os.path.basename(path)
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read(5 * 1024 * 1024)
    except (OSError, UnicodeDecodeError) as exc:
        raise ParameterError(f"cannot read parameter file {path}: "
                             f"{getattr(exc, 'strerror', None) or exc}") from None
    s = text.strip()
    if s.startswith(("[", "{")):
        try:
            data = json.loads(s)
        except ValueError as exc:
            raise ParameterError(f"{path}: not valid JSON: {exc}") from None
        out: Given = {}
        if isinstance(data, list):
            for i, row in enumerate(data):
                if not isinstance(row, dict) or "ParameterKey" not in row:
                    raise ParameterError(f"{path}: item {i} has no ParameterKey")
                if row.get("UsePreviousValue"):
                    continue   # the stack's current value: not known here
                out[str(row["ParameterKey"])] = (_text(row.get("ParameterValue", "")), label)
            return out
        if isinstance(data, dict):
            params = data.get("Parameters", data)
            if not isinstance(params, dict):
                raise ParameterError(f"{path}: `Parameters` is not a mapping")
            return {str(k): (_text(v), label) for k, v in params.items()}
        raise ParameterError(f"{path}: expected a list or a mapping of parameters")
    lines = [ln for ln in s.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    return parse_pairs(lines, label)


def _text(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        return ",".join(_text(x) for x in v)
    return "" if v is None else str(v)


def find_samconfig(template_dir: str) -> str | None:
    for name in SAMCONFIG_NAMES:
        p = os.path.join(template_dir, name)
        if os.path.isfile(p):
            return p
    return None


def load_samconfig(path: str, env: str = "default") -> Given:
    """``parameter_overrides`` of environment ``env`` (``deploy`` first, then ``global`` and the
    other commands). A file that does not parse gives ParameterError."""
    label = os.path.basename(path)
    try:
        with open(path, "rb") as fh:
            raw = fh.read(1024 * 1024)
        if path.endswith(".toml"):
            from .._toml import tomllib  # tomli on Python 3.10
            data = tomllib.loads(raw.decode("utf-8"))
        else:
            import yaml
            data = yaml.safe_load(raw.decode("utf-8"))
    except Exception as exc:  # noqa: BLE001 - any parse failure is the user's file's
        raise ParameterError(f"{path}: cannot read: {exc}") from None
    if not isinstance(data, dict):
        return {}
    section = data.get(env)
    if not isinstance(section, dict):
        if env != "default":   # sam deploy ignores an unknown --config-env silently: slint says so
            envs = sorted(str(k) for k, v in data.items() if isinstance(v, dict))
            raise ParameterError(f"{path}: no environment `{env}` (--config-env); it has "
                                 f"{', '.join(f'`{e}`' for e in envs) or 'none'}")
        return {}
    for cmd in SAMCONFIG_COMMANDS:
        params = section.get(cmd, {}).get("parameters") if isinstance(section.get(cmd), dict) \
            else None
        if isinstance(params, dict) and "parameter_overrides" in params:
            po = params["parameter_overrides"]
            items = po if isinstance(po, list) else [po]
            return parse_pairs([_text(x) for x in items], label)
    return {}


def describe(given: Given, names: Iterable[str]) -> str:
    """``(with Stage=prod from samconfig.toml)`` for the given ``names``; empty when none."""
    parts = [f"{n}={given[n][0]} from {given[n][1]}" for n in sorted(set(names)) if n in given]
    return f" (with {', '.join(parts)})" if parts else ""

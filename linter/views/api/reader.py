"""Reading template values for the route table: the single text of a value, the least protected
alternative of an auth-like value, resource ids behind ``!Ref`` / ``!GetAtt``, the Lambda function
an integration URI names.

Values are evaluated symbolically: an authorization written with ``!If`` or a parameter yields
the least protected alternative (with its scenario), and a value that cannot be known becomes
``UNKNOWN``, never an accidental pass.
"""

from __future__ import annotations

import re

from typing import TYPE_CHECKING

from ...model.values import EMPTY, SValue
from .model import LAMBDA_TYPES, NONE

if TYPE_CHECKING:  # pragma: no cover
    from ...model.template import Template
    from ...model.values import Evaluator

_FN_NAME = re.compile(r":function:((?:\{[^}]*\}|[^/:{])+)")
_OPAQUE_TYPES = {"AWS::CloudFormation::Stack", "AWS::Serverless::Application",
                 "AWS::CloudFormation::CustomResource", "AWS::SSM::Parameter"}


class Reader:
    """Value helpers over one template and its evaluator."""

    def __init__(self, template: "Template", values: "Evaluator"):
        self.t = template
        self.v = values
        self.fn_names: dict | None = None   # FunctionName text -> function, built on first use

    def text(self, node) -> str | None:
        """The single known text of ``node`` (upper-case insensitive users compare it)."""
        vals = self.v.strings(node)
        if len(vals) == 1 and vals[0].known:
            return vals[0].text
        return None

    def choose(self, node, default: str | None = None,
               within: frozenset = EMPTY) -> tuple[str | None, frozenset, str]:
        """The least protected alternative of an auth-like value: (value, scenario, note).
        ``NONE`` wins when any alternative is ``NONE``; unknown gives (None, ..). ``within``:
        the scenario the resource exists in (its `Condition`): alternatives impossible
        together with it are not considered."""
        if node is None:
            return default, EMPTY, ""
        branches = list(self.v.branches(node))
        if not branches:  # only AWS::NoValue
            return default, EMPTY, ""
        vals: list[SValue] = []
        for b, s in branches:
            vals.extend(self.v.strings(b, s))
        if default is not None:
            # an `!If` branch that is AWS::NoValue leaves the property unset: the default holds
            for scen in novalue_scenarios(node, join=self.v.join):
                vals.append(SValue(default, scenario=scen))
        if within:
            vals = [v for v in vals if self.v.compatible(v.scenario, within)]
        known = [v for v in vals if v.known]
        unknown = [v for v in vals if not v.known]
        note = ""
        for v in known:
            if v.text.upper() == NONE:
                if v.from_param:
                    note = f" (parameter {', '.join(v.from_param)})"
                return NONE, v.scenario, note
        if unknown:
            u = unknown[0]
            if u.params and u.from_param:   # allowed values past what the evaluator enumerates
                return None, u.scenario, f" (parameter {', '.join(u.params)} has too many allowed values)"
            if u.params:
                return None, u.scenario, f" (parameter {', '.join(u.params)} has no default or allowed values)"
            return None, u.scenario, f" ({u.text} is not known)"
        if known:
            v = known[0]
            if v.from_param and len(known) > 1:
                note = f" (parameter {', '.join(v.from_param)})"
            return v.text, v.scenario, note
        return default, EMPTY, ""

    def flag(self, node) -> bool:
        if node is None:
            return False
        for b, _s in self.v.branches(node):
            for sv in self.v.strings(b):
                if sv.known and sv.text.lower() == "true":
                    return True
        return False

    def ref_id(self, node) -> str | None:
        """Logical id of a resource named by ``!Ref X`` / ``!GetAtt X.attr`` (single value)."""
        for b, _s in self.v.branches(node):
            if isinstance(b, dict) and len(b) == 1:
                if isinstance(b.get("Ref"), str):
                    return b["Ref"]
                ga = b.get("Fn::GetAtt")
                if isinstance(ga, list) and ga and isinstance(ga[0], str):
                    return ga[0]
                if isinstance(ga, str):
                    return ga.split(".", 1)[0]
            vals = self.v.strings(b)
            if len(vals) == 1 and vals[0].refs:
                return vals[0].refs[0][0]
            break
        return None

    def api_id(self, node) -> str:
        rid = self.ref_id(node)
        if rid:
            return rid
        vals = self.v.strings(node)
        return vals[0].text if vals else "{?}"

    def function_of(self, node) -> str | None:
        """A Lambda function named anywhere in an integration URI / ARN value."""
        if node is None:
            return None
        for sv in self.v.strings(node):
            for lid, _attr in sv.refs:
                r = self.t.get(lid)
                if r is not None and r.type in LAMBDA_TYPES:
                    if r.type in ("AWS::Lambda::Alias", "AWS::Lambda::Version"):
                        fn = self.ref_id(r.prop("FunctionName"))
                        if fn and self.t.get(fn) is not None:
                            return fn
                    return lid
            m = _FN_NAME.search(sv.text)
            if m:
                fn = self.function_named(m.group(1))
                if fn:
                    return fn
        return None

    def function_named(self, name: str) -> str | None:
        """The function whose FunctionName is ``name`` (placeholders compared as written)."""
        if self.fn_names is None:
            self.fn_names = {}
            for f in self.t.of_type("AWS::Lambda::Function", "AWS::Serverless::Function"):
                for sv in self.v.strings(f.prop("FunctionName")) if f.prop("FunctionName") is not None else ():
                    self.fn_names.setdefault(sv.text, f.logical_id)
        return self.fn_names.get(name)

    def opaque(self, sv: SValue) -> bool:
        """A value read from a nested stack, a custom resource or an SSM parameter: unknowable."""
        for lid, _a in sv.refs:
            r = self.t.get(lid)
            if r is not None and (r.type in _OPAQUE_TYPES or r.type.startswith("Custom::")):
                return True
        return False

    def list_nodes(self, node, path) -> list:
        """Items of a list value with their doc paths; a scalar is a one-item list."""
        if node is None:
            return []
        out = []
        for b, _s in self.v.branches(node):
            if isinstance(b, list):
                for i, item in enumerate(b):
                    for it, _s2 in self.v.branches(item):
                        if it is not None:
                            out.append((it, tuple(path) + (i,)))
            elif b is not None:
                out.append((b, tuple(path)))
        return out


def exists(res) -> frozenset:
    """The scenario a resource exists in (its `Condition`)."""
    return frozenset({(res.condition, True)}) if res.condition else EMPTY


def novalue_scenarios(node, scen: frozenset = EMPTY, depth: int = 0, *, join) -> list:
    """Scenarios in which nested ``Fn::If`` resolve ``node`` to ``AWS::NoValue``: the
    alternatives ``Evaluator.branches`` skips. ``join``: ``Evaluator.join``."""
    if depth > 20 or not isinstance(node, dict) or len(node) != 1:
        return []
    if node.get("Ref") == "AWS::NoValue":
        return [scen]
    args = node.get("Fn::If")
    if not (isinstance(args, list) and len(args) == 3 and isinstance(args[0], str)):
        return []
    out = []
    for val, branch in ((True, args[1]), (False, args[2])):
        s = join(scen, frozenset({(args[0], val)}))
        if s is not None:
            out.extend(novalue_scenarios(branch, s, depth + 1, join=join))
    return out


def get(d, *keys):
    for k in keys:
        if not isinstance(d, dict):
            return None
        d = d.get(k)
    return d

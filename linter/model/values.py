"""Symbolic evaluation of CloudFormation intrinsic functions.

``Evaluator.strings(node)`` yields every possible scalar value of ``node`` as ``SValue`` objects,
each with the condition *scenario* it holds in (a frozenset of ``(condition, bool)``). A value that
is only partly known carries placeholders: ``arn:aws:s3:::{Ref:Bucket}/*``. Unknown is a value
(``known=False``), never an accidental pass.

``Evaluator.branches(node)`` strips ``Fn::If`` / ``AWS::NoValue`` around a structure and yields the
concrete nodes with their scenarios; ``Evaluator.items(node)`` does the same for list items, so that
views can walk policy documents written with conditions.

Every expansion is bounded (``MAX_ALTERNATIVES``, ``MAX_PARAM_VALUES``): past a bound the
values kept are followed by an unknown value, so that a cut never reads as "no other value".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import product
from typing import TYPE_CHECKING, Any, Iterator

from .conditions import ConditionSolver

if TYPE_CHECKING:   # the template model reads collections of loops with this evaluator
    from .template import Template

MAX_ALTERNATIVES = 32          # values of one Fn::Sub / Fn::Join / Fn::FindInMap
MAX_PARAM_VALUES = 256         # a parameter's AllowedValues (a flat list) and one node's values
# combinations tried by one Fn::Sub / Fn::Join before giving up with an unknown value: the
# product of its parts' alternatives is exponential, and most combinations may contradict each
# other (forty `!If [C, a, b]` parts have 2**40 combinations, two of them consistent)
MAX_COMBINATIONS = 4096
Scenario = frozenset  # of (condition name, bool)
EMPTY: Scenario = frozenset()

NOVALUE = object()

PSEUDO = {
    "AWS::Partition": "aws",
    "AWS::URLSuffix": "amazonaws.com",
}
PSEUDO_UNKNOWN = {"AWS::AccountId", "AWS::Region", "AWS::StackName", "AWS::StackId",
                  "AWS::NotificationARNs"}



def scalar_text(v: Any) -> str | None:
    """The text CloudFormation sees for a scalar, or None when it cannot be printed (an int
    longer than Python's int->str limit: the loader keeps those as text, but a node may come
    from elsewhere)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        try:
            return str(v)
        except ValueError:
            return None
    return str(v)


def sub_parts(tmpl: str) -> list:
    """``Fn::Sub`` template split into literal strings and variable names (``(name,)`` tuples),
    in one left-to-right pass: ``${name}`` is a variable, ``${!Literal}`` is the literal text
    ``${Literal}``, an unclosed ``${`` is literal. Linear in the length of the template (a regex
    retried at every unclosed ``${`` is quadratic)."""
    parts: list = []
    lit_from = 0      # start of the pending literal
    i = 0
    close = -1        # position of the first "}" at or after i + 2 (cached: it only moves right)
    n = len(tmpl)
    while True:
        j = tmpl.find("${", i)
        if j < 0:
            break
        if close < j + 2:
            close = tmpl.find("}", j + 2)
            if close < 0:
                break   # no "}" anywhere after: the rest is literal
        name = tmpl[j + 2:close]
        if not name or name[0] == "!":
            i = j + 2   # ${} and ${!...} are literal; a variable may still start inside
            continue
        if j > lit_from:
            parts.append(tmpl[lit_from:j].replace("${!", "${"))
        parts.append((name,))
        i = lit_from = close + 1
    if lit_from < n:
        parts.append(tmpl[lit_from:].replace("${!", "${"))
    return parts


def sub_names(tmpl: str) -> list[str]:
    """The variable names of a ``Fn::Sub`` template, in order, with repeats."""
    return [p[0] for p in sub_parts(tmpl) if isinstance(p, tuple)]


@dataclass(frozen=True, slots=True)
class SValue:
    """One possible value of a scalar.

    text    the value, with ``{...}`` placeholders where a part is not known
    known   True when ``text`` is exactly the value
    refs    resources it refers to: ((logical_id, attribute or None), ...)
    outer   resources of a parent stack it refers to, passed as parameters: ("Table.Arn", ...)
    params  parameters it depends on whose value is not fixed by the template
    pseudo  pseudo parameters used (AWS::AccountId, AWS::Region, ...)
    scenario  the conditions under which this is the value
    raw     the python value when known and not a string (int, bool, list of Ref'd items...)
    """
    text: str
    known: bool = True
    refs: tuple = ()
    params: tuple = ()
    pseudo: tuple = ()
    scenario: Scenario = EMPTY
    from_param: tuple = ()   # parameters whose default/allowed value was used
    imports: tuple = ()      # Fn::ImportValue names
    # resources of a parent stack passed down as a parameter (``ParentResource``), as the
    # parent wrote them: ("Table.Arn",); text ``{Parent.Table.Arn}``
    outer: tuple = ()

    @property
    def is_placeholder_only(self) -> bool:
        return not self.known and self.text.startswith("{") and self.text.endswith("}") \
            and self.text.count("{") == 1

    def single_ref(self) -> tuple | None:
        """(logical_id, attr) when the value is exactly one resource reference."""
        if len(self.refs) == 1 and self.is_placeholder_only:
            return self.refs[0]
        return None


def _merge_sv(parts: list[SValue], text: str, scenario: Scenario) -> SValue:
    return SValue(text=text, known=all(p.known for p in parts),
                  refs=tuple(dict.fromkeys(r for p in parts for r in p.refs)),
                  params=tuple(dict.fromkeys(x for p in parts for x in p.params)),
                  pseudo=tuple(dict.fromkeys(x for p in parts for x in p.pseudo)),
                  scenario=scenario,
                  from_param=tuple(dict.fromkeys(x for p in parts for x in p.from_param)),
                  imports=tuple(dict.fromkeys(x for p in parts for x in p.imports)),
                  outer=tuple(dict.fromkeys(x for p in parts for x in p.outer)))


def _cut(choices: list, text: str, scen: Scenario) -> SValue:
    """The unknown value standing for the combinations not enumerated: it depends on every
    parameter the parts depend on (no resource reference: it is not one known resource)."""
    params = tuple(dict.fromkeys(x for alts in choices for v in alts
                                 for x in v.params + v.from_param))
    return SValue(text, known=False, params=params, scenario=scen)


def join_scenarios(*scens: Scenario) -> Scenario | None:
    """The scenario in which all of ``scens`` hold, or None when they contradict (a condition
    both true and false). Syntactic only: ``Evaluator.join`` also knows what the conditions
    say (``IsDev: !Not [IsProd]``) and is what views and rules use."""
    out: set = set()
    for s in scens:
        out |= s
    names = {}
    for name, val in out:
        if names.setdefault(name, val) != val:
            return None  # contradiction
    return frozenset(out)


def compatible(*scens) -> bool:
    """True when the scenarios can hold together (``join_scenarios`` without building it)."""
    seen: dict = {}
    for s in scens:
        for name, val in s:
            if seen.setdefault(name, val) != val:
                return False
    return True


class Evaluator:
    def __init__(self, template: Template, solver: ConditionSolver | None = None):
        """``solver``: the conditions' solver to use (an evaluator of a template seen with
        some parameters fixed keeps the real template's, so that scenarios keep naming the
        conditions those parameters decide)."""
        self.t = template
        self._solver = solver
        # strings() of a dict/list node per scenario: views ask for the same nodes many times.
        # Keyed on id(node); the entry holds the node, so the id cannot be reused meanwhile.
        self._memo: dict[tuple, tuple[Any, list]] = {}
        # where a reader above stopped at a bound of its own (a policy reader past the
        # statements any AWS policy can hold): document path -> what was left unread. Shared
        # by every reader of this template; the check reports each one (INT002).
        self.cuts: dict[tuple, str] = {}

    # ------------------------------------------------------------ scenarios
    @property
    def solver(self) -> ConditionSolver:
        if self._solver is None:
            self._solver = ConditionSolver(self.t)
        return self._solver

    def join(self, *scens: Scenario) -> Scenario | None:
        """The scenario in which all of ``scens`` hold, or None when that is impossible under
        the template's conditions (a condition both true and false, ``IsDev`` and ``IsProd``
        with ``IsDev: !Not [IsProd]``, a parameter equal to two values, ...). Conditions that
        always hold as required are left out."""
        s = join_scenarios(*scens)
        if not s:
            return s
        solver = self.solver
        if not solver.possible(s):
            return None
        return solver.simplify(s)

    def compatible(self, *scens: Scenario) -> bool:
        """True when the scenarios can hold together (see ``join``)."""
        if not any(scens):
            return True   # no condition at all (most values): nothing to solve
        return self.join(*scens) is not None

    # ------------------------------------------------------------ structure
    def branches(self, node: Any, scenario: Scenario = EMPTY) -> Iterator[tuple[Any, Scenario]]:
        """Concrete alternatives of ``node`` with ``Fn::If`` and ``AWS::NoValue`` resolved at the
        top; ``NOVALUE`` alternatives are skipped."""
        if isinstance(node, dict) and len(node) == 1:
            if "Fn::If" in node:
                args = node["Fn::If"]
                if isinstance(args, list) and len(args) == 3 and isinstance(args[0], str):
                    for val, branch in ((True, args[1]), (False, args[2])):
                        s = self.join(scenario, frozenset({(args[0], val)}))
                        if s is not None:
                            yield from self.branches(branch, s)
                    return
            if node.get("Ref") == "AWS::NoValue":
                return
        yield node, scenario

    def items(self, node: Any, scenario: Scenario = EMPTY) -> Iterator[tuple[int, Any, Scenario]]:
        """List items (index, item, scenario), each item's own ``Fn::If`` resolved; a non-list
        value is treated as a one-item list (IAM allows a single statement / action)."""
        for lst, scen in self.branches(node, scenario):
            if isinstance(lst, list):
                for i, item in enumerate(lst):
                    for it, s in self.branches(item, scen):
                        yield i, it, s
            elif lst is not None:
                yield -1, lst, scen

    # ------------------------------------------------------------ scalars
    def strings(self, node: Any, scenario: Scenario = EMPTY) -> list[SValue]:
        """Every possible value of ``node`` (a fresh list; memoised per node and scenario)."""
        if isinstance(node, (dict, list)):
            key = (id(node), scenario)
            hit = self._memo.get(key)
            if hit is not None and hit[0] is node:
                return list(hit[1])
            out = self._strings(node, scenario)
            self._memo[key] = (node, out)
            return list(out)
        return self._strings(node, scenario)

    def _strings(self, node: Any, scenario: Scenario) -> list[SValue]:
        try:
            out = self._eval(node, scenario, 0)
        except RecursionError:  # pragma: no cover - deeply nested intrinsics
            out = [SValue("{?}", known=False, scenario=scenario)]
        if len(out) > MAX_PARAM_VALUES + 1:   # (one parameter's values and its unknown rest fit)
            out = out[:MAX_PARAM_VALUES] + [SValue("{?}", known=False, scenario=scenario)]
        return out

    def _eval(self, node: Any, scen: Scenario, depth: int) -> list[SValue]:
        if depth > 40:
            return [SValue("{?}", known=False, scenario=scen)]
        if node is None:
            return [SValue("", known=True, scenario=scen)]
        if isinstance(node, (bool, int, float)):
            text = scalar_text(node)
            if text is None:
                return [SValue("{integer}", known=False, scenario=scen)]
            return [SValue(text, scenario=scen)]
        if isinstance(node, str):
            return [SValue(node, scenario=scen)]
        if isinstance(node, list):
            return [SValue("{list}", known=False, scenario=scen)]
        if not isinstance(node, dict):
            return [SValue("{?}", known=False, scenario=scen)]
        if len(node) != 1:
            return [SValue("{object}", known=False, scenario=scen)]
        (fn, arg), = node.items()
        if fn == "Ref":
            return self._ref(arg, scen)
        if fn == "Fn::GetAtt":
            return self._getatt(arg, scen)
        if fn == "Fn::Sub":
            return self._sub(arg, scen, depth)
        if fn == "Fn::Join":
            return self._join(arg, scen, depth)
        if fn == "Fn::If":
            out: list[SValue] = []
            for branch, s in self.branches(node, scen):
                out.extend(self._eval(branch, s, depth + 1))
            return out or [SValue("", known=True, scenario=scen)]
        if fn == "Fn::Select":
            return self._select(arg, scen, depth)
        if fn == "Fn::FindInMap":
            return self._findinmap(arg, scen, depth)
        if fn == "Fn::ImportValue":
            return [self._import(n) for n in self._eval(arg, scen, depth + 1)]
        if fn == "Fn::Base64":
            return self._eval(arg, scen, depth + 1)
        if fn == "Fn::GetAZs":
            return [SValue("{AZs}", known=False, scenario=scen, pseudo=("AWS::Region",))]
        return [SValue(f"{{{fn}}}", known=False, scenario=scen)]

    def _import(self, n: SValue) -> SValue:
        """``Fn::ImportValue`` of name ``n``: what another stack of the same CDK cloud assembly
        exports under that literal name (its known text, or one of its resources, shown as
        ``{AuthStack.UserPool.Arn}``), else unknown."""
        got = self.t.imports.get(n.text) if n.known else None
        if isinstance(got, str):
            return SValue(got, scenario=n.scenario)
        if got is not None:
            return SValue("{" + got.name + "}", known=False, outer=(got.name,), scenario=n.scenario)
        return SValue(f"{{Import:{n.text}}}", known=False, scenario=n.scenario,
                      imports=(n.text,), params=n.params)

    def _ref(self, name: Any, scen: Scenario) -> list[SValue]:
        if not isinstance(name, str):
            return [SValue("{Ref:?}", known=False, scenario=scen)]
        if name in PSEUDO:
            return [SValue(PSEUDO[name], scenario=scen, pseudo=(name,))]
        if name.startswith("AWS::"):
            return [SValue("{" + name + "}", known=False, scenario=scen, pseudo=(name,))]
        p = self.t.parameters.get(name)
        if p is not None:
            return self._param(p, scen)
        if name in self.t.resources:
            return [SValue("{Ref:" + name + "}", known=False, refs=((name, None),), scenario=scen)]
        return [SValue("{Ref:" + name + "}", known=False, scenario=scen)]

    def _param(self, p, scen: Scenario) -> list[SValue]:
        if p.outer is not None:   # one resource of a parent stack: not a free parameter
            return [SValue("{Parent." + p.outer + "}", known=False, outer=(p.outer,),
                           scenario=scen)]
        vals = []
        if (p.type or "").startswith("AWS::SSM::Parameter::Value<"):
            pass  # Default/AllowedValues name the SSM parameter; its value is not in the template
        elif p.allowed_values:
            vals = [v for v in p.allowed_values if isinstance(v, (str, int, float, bool))]
        elif p.has_default and isinstance(p.default, (str, int, float, bool)):
            vals = [p.default]
        if not vals:
            return [SValue("{" + p.name + "}", known=False, params=(p.name,), scenario=scen)]
        out = []
        cut = len(vals) > MAX_PARAM_VALUES
        for v in vals[:MAX_PARAM_VALUES]:
            text = scalar_text(v)
            if text is None:
                out.append(SValue("{" + p.name + "}", known=False, params=(p.name,), scenario=scen))
                continue
            out.append(SValue(text, scenario=scen, from_param=(p.name,)))
        if cut:   # the values not enumerated: the parameter could be any of them
            out.append(SValue("{" + p.name + "}", known=False, params=(p.name,),
                              from_param=(p.name,), scenario=scen))
        return out

    def _getatt(self, arg: Any, scen: Scenario) -> list[SValue]:
        if isinstance(arg, str):
            a, _, b = arg.partition(".")
            arg = [a, b]
        if isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str):
            attr = arg[1] if isinstance(arg[1], str) else "?"
            outs = self.t.stack_outputs.get((arg[0], attr)) if getattr(self.t, "stack_outputs",
                                                                        None) else None
            if outs:   # a nested stack's output whose value its template fixes
                return [SValue(text, scenario=scen) for text in outs]
            return [SValue("{GetAtt:" + arg[0] + "." + attr + "}", known=False,
                           refs=((arg[0], attr),), scenario=scen)]
        return [SValue("{GetAtt:?}", known=False, scenario=scen)]

    def _sub(self, arg: Any, scen: Scenario, depth: int) -> list[SValue]:
        if isinstance(arg, str):
            tmpl, vars_ = arg, {}
        elif isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str) and isinstance(arg[1], dict):
            tmpl, vars_ = arg
        else:
            return [SValue("{Sub:?}", known=False, scenario=scen)]
        parts = sub_parts(tmpl)
        names = list(dict.fromkeys(p[0] for p in parts if isinstance(p, tuple)))
        choices: list[list[SValue]] = []
        for n in names:
            if n in vars_:
                choices.append(self._eval(vars_[n], scen, depth + 1))
            elif "." in n:
                a, _, b = n.partition(".")
                choices.append(self._getatt([a, b], scen))
            else:
                choices.append(self._ref(n, scen))
        out: list[SValue] = []
        for n_combo, combo in enumerate(product(*choices) if choices else [()]):
            if n_combo >= MAX_COMBINATIONS:
                out.append(_cut(choices, "{Sub:?}", scen))
                break
            s = self.join(scen, *(c.scenario for c in combo))
            if s is None:
                continue
            mapping = dict(zip(names, combo))
            text = "".join(mapping[p[0]].text if isinstance(p, tuple) else p for p in parts)
            out.append(_merge_sv(list(combo), text, s))
            if len(out) >= MAX_ALTERNATIVES:
                out.append(_cut(choices, "{Sub:?}", scen))
                break
        return out

    def _join(self, arg: Any, scen: Scenario, depth: int) -> list[SValue]:
        if not (isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str)):
            return [SValue("{Join:?}", known=False, scenario=scen)]
        sep, parts = arg
        choices: list[list[SValue]] = []
        for lst, s0 in self.branches(parts, scen):
            if not isinstance(lst, list):
                vals = self._eval(lst, s0, depth + 1)
                return [SValue("{Join:" + v.text + "}", known=False, refs=v.refs, params=v.params,
                               scenario=v.scenario, outer=v.outer) for v in vals]
            for item in lst:
                alts = [v for b, s in self.branches(item, s0) for v in self._eval(b, s, depth + 1)]
                choices.append(alts or [SValue("", scenario=s0)])
            break
        out = []
        for n_combo, combo in enumerate(product(*choices) if choices else [()]):
            if n_combo >= MAX_COMBINATIONS:
                out.append(_cut(choices, "{Join:?}", scen))
                break
            s = self.join(scen, *(c.scenario for c in combo))
            if s is None:
                continue
            out.append(_merge_sv(list(combo), sep.join(c.text for c in combo), s))
            if len(out) >= MAX_ALTERNATIVES:
                out.append(_cut(choices, "{Join:?}", scen))
                break
        return out

    def _select(self, arg: Any, scen: Scenario, depth: int) -> list[SValue]:
        if isinstance(arg, list) and len(arg) == 2:
            idx_vals = self._eval(arg[0], scen, depth + 1)
            for lst, s in self.branches(arg[1], scen):
                if isinstance(lst, list) and len(idx_vals) == 1 and idx_vals[0].known:
                    try:
                        i = int(idx_vals[0].text)
                        return self._eval(lst[i], s, depth + 1)
                    except (ValueError, IndexError):
                        break
                if isinstance(lst, dict) and "Fn::Split" in lst:
                    sp = lst["Fn::Split"]
                    if isinstance(sp, list) and len(sp) == 2 and isinstance(sp[0], str) \
                            and len(idx_vals) == 1 and idx_vals[0].known:
                        out = []
                        for v in self._eval(sp[1], s, depth + 1):
                            if v.known:
                                pieces = v.text.split(sp[0])
                                try:
                                    out.append(SValue(pieces[int(idx_vals[0].text)], scenario=v.scenario,
                                                      from_param=v.from_param))
                                    continue
                                except (ValueError, IndexError):
                                    pass
                            out.append(SValue("{Select}", known=False, refs=v.refs, params=v.params,
                                              pseudo=v.pseudo, scenario=v.scenario,
                                              outer=v.outer))
                        return out
        return [SValue("{Select}", known=False, scenario=scen)]

    def _findinmap(self, arg: Any, scen: Scenario, depth: int) -> list[SValue]:
        if not (isinstance(arg, list) and len(arg) >= 3):
            return [SValue("{FindInMap}", known=False, scenario=scen)]
        m = self.t.mappings.get(arg[0]) if isinstance(arg[0], str) else None
        if not isinstance(m, dict):
            return [SValue("{FindInMap}", known=False, scenario=scen)]
        out: list[SValue] = []
        k1s = self._eval(arg[1], scen, depth + 1)
        k2s = self._eval(arg[2], scen, depth + 1)
        for k1 in k1s:
            tops = [m.get(k1.text)] if k1.known else list(m.values())
            for top in tops:
                if not isinstance(top, dict):
                    continue
                for k2 in k2s:
                    s = self.join(k1.scenario, k2.scenario)
                    if s is None:
                        continue
                    vals = [top.get(k2.text)] if k2.known else list(top.values())
                    for v in vals:
                        if isinstance(v, (str, int, float, bool)):
                            sv = self._eval(v, s, depth + 1)[0]
                            known = k1.known and k2.known and sv.known
                            out.append(SValue(sv.text, known=known, scenario=s,
                                              params=k1.params + k2.params,
                                              pseudo=k1.pseudo + k2.pseudo,
                                              from_param=k1.from_param + k2.from_param))
        if not out:
            return [SValue("{FindInMap}", known=False, scenario=scen)]
        # de-duplicate by text
        seen: dict = {}
        for v in out:
            seen.setdefault((v.text, v.known, v.scenario), v)
        vals = list(seen.values())
        if len(vals) > MAX_ALTERNATIVES:
            vals = vals[:MAX_ALTERNATIVES] + [_cut([k1s, k2s], "{FindInMap}", scen)]
        return vals


def references(node: Any, path: tuple = ()) -> Iterator[tuple[str, str | None, str, tuple]]:
    """Every resource/parameter reference inside ``node``: (name, attribute, kind, path) with kind
    one of ``ref``, ``getatt``, ``sub``. Iterative, so deep values cannot exhaust the stack."""
    stack = [(node, path)]
    while stack:
        n, p = stack.pop()
        if isinstance(n, dict):
            if len(n) == 1:
                (k, v), = n.items()
                if k == "Ref" and isinstance(v, str):
                    yield v, None, "ref", p
                    continue
                if k == "Fn::GetAtt":
                    if isinstance(v, str):
                        a, _, b = v.partition(".")
                        yield a, b, "getatt", p
                        continue
                    if isinstance(v, list) and v and isinstance(v[0], str):
                        yield v[0], v[1] if len(v) > 1 and isinstance(v[1], str) else None, "getatt", p
                        continue
                if k == "Fn::Sub":
                    tmpl = v if isinstance(v, str) else (v[0] if isinstance(v, list) and v and isinstance(v[0], str) else "")
                    local = v[1] if isinstance(v, list) and len(v) > 1 and isinstance(v[1], dict) else {}
                    for name in sub_names(tmpl):
                        if name in local:
                            continue
                        a, _, b = name.partition(".")
                        yield a, b or None, "sub", p
                    if local:
                        stack.append((local, p + (k, 1)))
                    continue
            for k, v in n.items():
                if isinstance(v, (dict, list)):
                    stack.append((v, p + (k,)))
        elif isinstance(n, list):
            for i, v in enumerate(n):
                if isinstance(v, (dict, list)):
                    stack.append((v, p + (i,)))

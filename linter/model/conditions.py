"""Template conditions as boolean formulas, and a small bounded satisfiability check.

A *scenario* is a frozenset of ``(condition name, bool)``. Two scenarios may be syntactically
compatible (no condition both true and false) and still impossible: ``IsDev: !Not [IsProd]``
makes ``{IsDev, IsProd}`` impossible; two ``Fn::Equals`` of one parameter with different values
cannot both hold; an ``Fn::Equals`` with a value outside the parameter's ``AllowedValues``
never holds. ``ConditionSolver.possible(scenario)`` answers that question.

Each condition compiles to a formula over *variables*:

- a parameter (or pseudo parameter) compared with literals: it ranges over its
  ``AllowedValues`` when it has them, else over the literals it is compared with plus "any
  other value" (``OTHER``);
- an *atom*: anything else (an ``Fn::Equals`` of a ``Fn::Sub``, a condition that is not
  defined, a cycle), a free boolean.

``possible`` enumerates assignments of the variables the scenario's conditions mention, up to
``MAX_ASSIGNMENTS``; past that it answers "possible", the safe direction (a value is never
dropped for a reason the solver could not check). Answers are memoised per scenario.
"""

from __future__ import annotations

import json
from itertools import product
from typing import Any

OTHER = "\x00other"          # a free parameter's value different from every literal compared
MAX_ASSIGNMENTS = 4096
_MAX_DEPTH = 40

_TRUE, _FALSE = True, False


def _text(v: Any) -> str | None:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        try:
            return str(v)
        except ValueError:   # an int past Python's int->str limit
            return None
    if isinstance(v, str):
        return v
    return None


def _canon(node: Any) -> str:
    try:
        return json.dumps(node, sort_keys=True, default=str)
    except (TypeError, ValueError, RecursionError):
        return repr(id(node))


def _not(f):
    if f is True or f is False:
        return not f
    if f[0] == "not":
        return f[1]
    return ("not", f)


def _junction(kind: str, fs: list):
    """``and`` / ``or`` with constants folded."""
    absorbing = kind == "or"      # True absorbs an Or, False absorbs an And
    out = []
    for f in fs:
        if f is absorbing:
            return absorbing
        if f is (not absorbing):
            continue
        out.append(f)
    if not out:
        return not absorbing
    if len(out) == 1:
        return out[0]
    return (kind, tuple(out))


class ConditionSolver:
    """Formulas of a template's conditions; ``possible``, ``constant``, ``simplify``."""

    def __init__(self, template):
        self.conditions: dict = template.conditions if isinstance(template.conditions, dict) else {}
        self.parameters: dict = template.parameters
        self._formulas: dict[str, Any] = {}
        self._possible: dict = {}
        self._groups: dict = {}

    # ---------------------------------------------------------------- compiling
    def formula(self, name: str):
        """The formula of condition ``name`` (an atom when it is not defined)."""
        f = self._formulas.get(name)
        if f is None:
            if name in self.conditions:
                f = self._compile(self.conditions[name], (name,), 0)
            else:
                f = ("atom", ("undefined", name))
            self._formulas[name] = f
        return f

    def _compile(self, node: Any, seen: tuple, depth: int):
        if depth > _MAX_DEPTH:
            return ("atom", ("deep", _canon(node)))
        if isinstance(node, dict) and len(node) == 1:
            (fn, arg), = node.items()
            if fn == "Condition" and isinstance(arg, str):
                if arg in seen:
                    return ("atom", ("cycle", arg))
                if arg not in self.conditions:
                    return ("atom", ("undefined", arg))
                return self._compile(self.conditions[arg], seen + (arg,), depth + 1)
            if fn == "Fn::Equals" and isinstance(arg, list) and len(arg) == 2:
                return self._equals(arg[0], arg[1])
            if fn == "Fn::Not" and isinstance(arg, list) and len(arg) == 1:
                return _not(self._compile(arg[0], seen, depth + 1))
            if fn in ("Fn::And", "Fn::Or") and isinstance(arg, list) and arg:
                return _junction("and" if fn == "Fn::And" else "or",
                                 [self._compile(x, seen, depth + 1) for x in arg])
        return ("atom", ("expr", _canon(node)))

    def _term(self, node: Any):
        """("lit", text) | ("var", name) | ("opaque", canonical text)."""
        t = _text(node) if not isinstance(node, (dict, list)) and node is not None else None
        if t is not None:
            return ("lit", t)
        if isinstance(node, dict) and len(node) == 1 and isinstance(node.get("Ref"), str):
            name = node["Ref"]
            if name in self.parameters or name.startswith("AWS::"):
                return ("var", name)
        return ("opaque", _canon(node))

    def _equals(self, a: Any, b: Any):
        ta, tb = self._term(a), self._term(b)
        if ta == tb:
            return True   # a value equals itself (a literal, a parameter, an expression)
        if ta[0] == "lit" and tb[0] == "lit":
            return ta[1] == tb[1]
        if ta[0] == "lit":
            ta, tb = tb, ta
        if ta[0] == "var" and tb[0] == "lit":
            dom = self._closed_domain(ta[1])
            if dom is not None and tb[1] not in dom:
                return False
            return ("eq", ta[1], tb[1])
        if ta[0] == "var" and tb[0] == "var" and self._closed_domain(ta[1]) is not None \
                and self._closed_domain(tb[1]) is not None:
            return ("veq", min(ta[1], tb[1]), max(ta[1], tb[1]))
        return ("atom", ("eq",) + tuple(sorted((_canon(a), _canon(b)))))

    def _closed_domain(self, var: str) -> list | None:
        """The values a parameter can take when the template lists them, else None."""
        p = self.parameters.get(var)
        if p is None or not p.allowed_values:
            return None
        ptype = p.type or ""
        if ptype.startswith(("AWS::SSM::", "List<", "CommaDelimitedList")):
            return None
        vals = [_text(v) for v in p.allowed_values if not isinstance(v, (dict, list))]
        if not vals or None in vals:
            return None
        return list(dict.fromkeys(vals))

    # ---------------------------------------------------------------- solving
    def possible(self, scenario, fixed: tuple = ()) -> bool:
        """False only when no values of the parameters and atoms make every condition of
        ``scenario`` hold as required. ``fixed``: ``((parameter, value text), ...)`` already
        chosen (``OTHER``: a value different from every literal)."""
        if not scenario:
            return True
        key = (scenario if isinstance(scenario, frozenset) else frozenset(scenario), fixed)
        got = self._possible.get(key)
        if got is None:
            got = self._solve(key[0], dict(fixed))
            self._possible[key] = got
        return got

    def constant(self, name: str) -> bool | None:
        """True / False when condition ``name`` always has that value, else None."""
        can_true = self.possible(frozenset({(name, True)}))
        can_false = self.possible(frozenset({(name, False)}))
        if can_true and not can_false:
            return True
        if can_false and not can_true:
            return False
        return None

    def simplify(self, scenario):
        """``scenario`` without the conditions that hold whatever the parameters are."""
        if not scenario:
            return scenario
        drop = [(n, v) for n, v in scenario if self.constant(n) is v]
        return scenario.difference(drop) if drop else scenario

    def _solve(self, scenario: frozenset, fixed: dict) -> bool:
        want: dict = {}
        for name, val in scenario:
            if want.setdefault(name, bool(val)) != bool(val):
                return False
        goals = []
        for name, val in want.items():
            f = self.formula(name)
            if f is True or f is False:
                if f is not val:
                    return False
                continue
            goals.append((f, val))
        if not goals:
            return True
        # goals that share no variable are independent: solve each group on its own (and
        # remember it: the same group comes back in many scenarios)
        groups = _groups(goals)
        for group in groups:
            key = (group, tuple(sorted((k, v) for k, v in fixed.items()
                                       if any(_mentions(f, k) for f, _v in group))))
            got = self._groups.get(key)
            if got is None:
                got = self._solve_group(group, fixed)
                self._groups[key] = got
            if not got:
                return False
        return True

    def _solve_group(self, goals: frozenset, fixed: dict) -> bool:
        lits: dict[str, set] = {}
        atoms: dict = {}
        for f, _v in goals:
            _collect(f, lits, atoms)
        names = sorted(lits)
        domains = []
        total = 1
        for var in names:
            dom = self._closed_domain(var)
            if var in fixed and (dom is None or fixed[var] != OTHER):
                dom = [fixed[var]]
            elif dom is None:
                dom = sorted(lits[var]) + [OTHER]
            domains.append(dom)
            total *= len(dom)
        atom_keys = list(atoms)
        total *= 2 ** len(atom_keys)
        if total > MAX_ASSIGNMENTS:
            return True   # too many to try: possible (the safe answer)
        for values in product(*domains):
            env = dict(zip(names, values))
            for bits in product((True, False), repeat=len(atom_keys)):
                aenv = dict(zip(atom_keys, bits))
                if all(_holds(f, env, aenv) is v for f, v in goals):
                    return True
        return False


def _groups(goals: list) -> list[frozenset]:
    """``goals`` split into groups that share no variable (parameter or atom)."""
    parent: dict = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    keys_of = []
    for f, _v in goals:
        lits: dict = {}
        atoms: dict = {}
        _collect(f, lits, atoms)
        keys = [("v", k) for k in lits] + [("a", k) for k in atoms]
        keys_of.append(keys)
        for k in keys[1:]:
            parent[find(keys[0])] = find(k)
    by_root: dict = {}
    for goal, keys in zip(goals, keys_of):
        root = find(keys[0]) if keys else ("goal", id(goal))
        by_root.setdefault(root, []).append(goal)
    return [frozenset(g) for g in by_root.values()]


def _mentions(f, var: str) -> bool:
    lits: dict = {}
    _collect(f, lits, {})
    return var in lits


def _collect(f, lits: dict, atoms: dict) -> None:
    stack = [f]
    while stack:
        f = stack.pop()
        if f is True or f is False:
            continue
        kind = f[0]
        if kind == "eq":
            lits.setdefault(f[1], set()).add(f[2])
        elif kind == "veq":
            lits.setdefault(f[1], set())
            lits.setdefault(f[2], set())
        elif kind == "atom":
            atoms[f[1]] = None
        elif kind == "not":
            stack.append(f[1])
        else:
            stack.extend(f[1])


def _holds(f, env: dict, aenv: dict) -> bool:
    if f is True or f is False:
        return f
    kind = f[0]
    if kind == "eq":
        return env[f[1]] == f[2]
    if kind == "veq":
        a, b = env[f[1]], env[f[2]]
        return a == b and a != OTHER
    if kind == "atom":
        return aenv[f[1]]
    if kind == "not":
        return not _holds(f[1], env, aenv)
    if kind == "and":
        return all(_holds(x, env, aenv) for x in f[1])
    return any(_holds(x, env, aenv) for x in f[1])

"""Reading policy documents, whatever shape wrote them, into :class:`Statement` objects.

A document may be a mapping, a JSON string (the ``Json`` property type), a ``!Sub`` or ``!Join``
giving a JSON string, or any of these inside ``Fn::If``. For a ``!Sub``, the template string is
parsed as JSON and every string in it that uses ``${...}`` stays a ``!Sub`` of its own, so an
unknown part (a parameter, ``${AWS::AccountId}``, a resource) stays an unknown value with its
references; it is never dropped. Parts of a JSON-string document carry the document path they
would have in a mapping (``.../PolicyDocument/Statement/0/Action/0``); locating a finding walks
up to the string itself.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Iterator

from ..model.values import EMPTY, SValue
from .parts import Action, Condition, PrincipalValue, ResourceValue

_INTRINSIC_STRINGS = ("Fn::Sub", "Fn::Join")

# Bounds of one document, far past what AWS accepts: an IAM policy holds at most 10 240
# characters and the largest resource policies some tens of KB, while a statement takes about
# 40 characters and a list entry at least 4. Past them the rest is not read (the evaluator's
# ``cuts`` says where, reported as INT002): a hostile or generated template costs linear time
# in what AWS could deploy, not in its size.
MAX_STATEMENTS = 2_500      # statements of one document
MAX_VALUES = 25_000         # entries of one Action / NotAction / Resource / NotResource / principal list
_PLACEHOLDER_SV = re.compile(r"\{(?:Ref:|GetAtt:)?([^{}]*)\}")


@dataclass(frozen=True)
class Statement:
    """One statement, in one scenario (an ``Fn::If`` on ``Effect`` gives one per branch)."""
    path: tuple                 # document path of the statement
    scenario: frozenset
    effect: str                 # Allow | Deny | ? (unknown)
    sid: str | None = None
    actions: tuple = ()         # Action
    not_actions: tuple = ()
    resources: tuple = ()       # ResourceValue
    not_resources: tuple = ()
    principals: tuple = ()      # PrincipalValue of Principal, or of NotPrincipal
    not_principal: bool = False
    has_principal: bool = False  # Principal or NotPrincipal written
    conditions: tuple = ()      # Condition
    condition_unreadable: bool = False   # a Condition that is not a mapping
    has_action: bool = False
    has_not_action: bool = False
    has_not_resource: bool = False

    @property
    def allow(self) -> bool:
        return self.effect != "Deny"

    @property
    def principal_path(self) -> tuple:
        return self.path + (("NotPrincipal",) if self.not_principal else ("Principal",))

    def public_principals(self) -> list:
        """``*`` principals (``"*"``, ``{AWS: "*"}``, ``{CanonicalUser: "*"}``)."""
        return [p for p in self.principals if p.is_public]

    @property
    def anyone(self) -> bool:
        """The statement applies to anyone: a public principal, or an Allow with
        ``NotPrincipal`` (everyone except the listed principals)."""
        if self.not_principal:
            return self.effect == "Allow"
        return bool(self.public_principals())

    def who_limits(self, strict: bool = False) -> list:
        """Conditions that limit who an Allow admits."""
        return [c for c in self.conditions if c.who(strict) == "limits"]

    def who_negations(self, strict: bool = False) -> list:
        """Negated tests of who-keys (``StringNotEquals aws:SourceVpce``): on a Deny, they shut
        out every caller that does not match."""
        return [c for c in self.conditions if c.who(strict) == "negated"]


class PolicyReader:
    """Normalises policy documents with an :class:`~slint.model.values.Evaluator`."""

    def __init__(self, evaluator):
        self.v = evaluator

    # ------------------------------------------------------------------ documents
    def documents(self, node: Any, path: tuple, scen: frozenset = EMPTY
                  ) -> Iterator[tuple[dict, frozenset]]:
        """Every alternative of a document node as a mapping, with its scenario."""
        for doc, s in self.v.branches(node, scen):
            if isinstance(doc, dict) and not _is_string_intrinsic(doc):
                yield doc, s
            elif isinstance(doc, str) or isinstance(doc, dict):
                yield from self.json_documents(doc, s)

    def json_documents(self, node: Any, scen: frozenset) -> Iterator[tuple[dict, frozenset]]:
        """A document written as a JSON string (plain, ``!Sub``, ``!Join``)."""
        if isinstance(node, str):
            doc = _loads(node)
            if isinstance(doc, dict):
                yield doc, scen
            return
        sub = node.get("Fn::Sub") if isinstance(node, dict) else None
        if sub is not None:
            tmpl, variables = (sub, None) if isinstance(sub, str) else \
                (sub[0], sub[1]) if isinstance(sub, list) and len(sub) == 2 and \
                isinstance(sub[0], str) else (None, None)
            doc = _loads(tmpl) if tmpl is not None else None
            if isinstance(doc, dict):
                try:
                    doc = _subs(doc, variables)
                except RecursionError:
                    return
                yield doc, scen
                return
        for sv in self.v.strings(node, scen):
            doc = _loads(sv.text)
            if isinstance(doc, dict) and not sv.known:
                try:
                    doc = _resub(doc)
                except RecursionError:
                    continue
            if isinstance(doc, dict):
                yield doc, sv.scenario

    def is_json(self, node: Any, scen: frozenset = EMPTY) -> bool:
        """Is ``node`` a document written as a JSON string (rather than, say, a policy ARN)?"""
        if isinstance(node, str):
            return node.lstrip().startswith("{")
        if not (isinstance(node, dict) and _is_string_intrinsic(node)):
            return False
        sub = node.get("Fn::Sub")
        if isinstance(sub, list) and sub:
            sub = sub[0]
        if isinstance(sub, str):
            return sub.lstrip().startswith("{")
        return any(sv.text.lstrip().startswith("{") for sv in self.v.strings(node, scen))

    def statements(self, node: Any, path: tuple, scen: frozenset = EMPTY) -> list[Statement]:
        """Every statement of a document node, in document order."""
        out: list[Statement] = []
        for doc, s in self.documents(node, path, scen):
            out.extend(self.statement_list(doc.get("Statement"), path + ("Statement",), s))
        return out

    def statement_list(self, node: Any, path: tuple, scen: frozenset = EMPTY) -> list[Statement]:
        """A ``Statement`` value: one statement or a list of them (``path`` ends in it)."""
        out: list[Statement] = []
        v = self.v
        for lst, lscen in v.branches(node, scen):   # ``v.items``, with the bound
            if isinstance(lst, list):
                for i, item in enumerate(lst):
                    if i >= MAX_STATEMENTS:
                        # the rest of this list is not read (an Fn::If's other list still is):
                        # cut once if any of the rest has a value (NoValue items have none)
                        if any(next(v.branches(rest, lscen), None) is not None
                               for rest in lst[MAX_STATEMENTS:]):
                            self._cut(path, "statements", node, MAX_STATEMENTS)
                        break
                    for st, s in v.branches(item, lscen):
                        out.extend(self.statement(st, path + (i,), s))
            elif lst is not None:
                out.extend(self.statement(lst, path, lscen))
        return out

    def _cut(self, path: tuple, what: str, node: Any, bound: int) -> None:
        n = len(node) if isinstance(node, list) else None
        self.v.cuts.setdefault(path, (
            f"`{path[-1]}` lists {n if n is not None else 'more than %d' % bound} {what}, more "
            f"than any AWS policy can hold: only the first {bound} were read"))

    # ------------------------------------------------------------------ one statement
    def statement(self, st: Any, p: tuple, s: frozenset) -> list[Statement]:
        if not isinstance(st, dict):
            return []
        out = []
        eff = st.get("Effect")
        if type(eff) is str:   # a literal Effect, as nearly always: its one known value
            effects = [(eff if eff in ("Allow", "Deny") else "?", s)]
        else:
            effects = [(ev.text if ev.known and ev.text in ("Allow", "Deny") else "?",
                        ev.scenario)
                       for ev in (self.v.strings(eff, s) if "Effect" in st else [])] or [("?", s)]
        sid = st.get("Sid") if isinstance(st.get("Sid"), (str, int)) else None
        not_principal = "NotPrincipal" in st
        pkey = "NotPrincipal" if not_principal else "Principal"
        # a key that is not written reads as nothing: skipped without the readers' walks
        # (an identity statement has no Principal, rarely a NotAction or a Condition)
        has_action, has_not_action = "Action" in st, "NotAction" in st
        has_resource, has_not_resource = "Resource" in st, "NotResource" in st
        has_pkey, has_cond = pkey in st, "Condition" in st
        for effect, s2 in effects:
            conds, unreadable = (self._conditions(st["Condition"], p + ("Condition",), s2)
                                 if has_cond else ((), False))
            out.append(Statement(
                path=p, scenario=s2, effect=effect, sid=sid,
                actions=tuple(self.actions(st["Action"], p + ("Action",), s2))
                if has_action else (),
                not_actions=tuple(self.actions(st["NotAction"], p + ("NotAction",), s2))
                if has_not_action else (),
                resources=tuple(self.resources(st["Resource"], p + ("Resource",), s2))
                if has_resource else (),
                not_resources=tuple(self.resources(st["NotResource"], p + ("NotResource",), s2))
                if has_not_resource else (),
                principals=tuple(self.principals(st[pkey], p + (pkey,), s2))
                if has_pkey else (),
                not_principal=not_principal,
                has_principal=not_principal or "Principal" in st,
                conditions=conds, condition_unreadable=unreadable,
                has_action=has_action, has_not_action=has_not_action,
                has_not_resource=has_not_resource))
        return out

    def scalars(self, node: Any, path: tuple, scen: frozenset) -> Iterator[tuple[SValue, tuple]]:
        if node is None:
            return
        for i, item, s in self.v.items(node, scen):
            if i >= MAX_VALUES:
                self._cut(path, "values", node, MAX_VALUES)
                continue
            ip = path + (i,) if i >= 0 else path
            for sv in self.v.strings(item, s):
                yield sv, ip

    def _item_values(self, item: Any, scen: frozenset) -> Iterator[SValue]:
        """Every value of one list item (``items`` and ``strings`` of one item)."""
        for it, s in self.v.branches(item, scen):
            yield from self.v.strings(it, s)

    def actions(self, node: Any, path: tuple, scen: frozenset) -> list[Action]:
        """Every action value; a literal string is read without the evaluator (its one value
        is itself, known: ``sv`` None), anything else through it."""
        if type(node) is str:
            return [Action(node, path, scen)]
        if type(node) is not list:
            return [Action(sv.text, ip, sv.scenario, sv)
                    for sv, ip in self.scalars(node, path, scen)]
        out = []
        if len(node) > MAX_VALUES:
            self._cut(path, "values", node, MAX_VALUES)
            node = node[:MAX_VALUES]
        for i, item in enumerate(node):
            ip = path + (i,)
            if type(item) is str:
                out.append(Action(item, ip, scen))
            else:
                out.extend(Action(sv.text, ip, sv.scenario, sv)
                           for sv in self._item_values(item, scen))
        return out

    def resources(self, node: Any, path: tuple, scen: frozenset) -> list[ResourceValue]:
        """Every resource value; a literal string without the evaluator's walk (its one value
        is itself)."""
        if type(node) is str:
            return [ResourceValue(node, path, scen, SValue(node, scenario=scen))]
        if type(node) is not list:
            return [ResourceValue(sv.text, ip, sv.scenario, sv)
                    for sv, ip in self.scalars(node, path, scen)]
        out = []
        if len(node) > MAX_VALUES:
            self._cut(path, "values", node, MAX_VALUES)
            node = node[:MAX_VALUES]
        for i, item in enumerate(node):
            ip = path + (i,)
            if type(item) is str:
                out.append(ResourceValue(item, ip, scen, SValue(item, scenario=scen)))
            else:
                out.extend(ResourceValue(sv.text, ip, sv.scenario, sv)
                           for sv in self._item_values(item, scen))
        return out

    def principals(self, node: Any, path: tuple, scen: frozenset) -> Iterator[PrincipalValue]:
        """``"*"`` gives kind ``*``; a bare value (an intrinsic) kind ``AWS`` at ``path``; a
        mapping one value per item of each key (``AWS``, ``Service``, ``Federated``,
        ``CanonicalUser``) at ``path + (key, i)``."""
        for pn, s in self.v.branches(node, scen):
            if isinstance(pn, dict) and not _is_intrinsic(pn):
                for kind, val in pn.items():
                    for sv, ip in self.scalars(val, path + (kind,), s):
                        yield PrincipalValue(str(kind), sv.text, ip, sv.scenario, sv)
            elif pn is not None:
                for sv in self.v.strings(pn, s):
                    kind = "*" if sv.known and sv.text.strip() == "*" else "AWS"
                    yield PrincipalValue(kind, sv.text, path, sv.scenario, sv)

    def conditions(self, node: Any, path: tuple, scen: frozenset) -> tuple:
        return self._conditions(node, path, scen)[0]

    def _conditions(self, node: Any, path: tuple, scen: frozenset) -> tuple[tuple, bool]:
        """Every test of every alternative of a ``Condition`` block; an operator whose body is
        not a mapping gives a test with key ``""`` (it limits nothing)."""
        out = []
        unreadable = False
        for cn, s in self.v.branches(node, scen):
            if cn is None:
                continue
            if not isinstance(cn, dict):
                unreadable = True
                continue
            for op, body in cn.items():
                bodies = list(self.v.branches(body, s))
                for bn, s2 in bodies:
                    if not isinstance(bn, dict):
                        out.append(Condition(str(op), "", (), path + (op,)))
                        continue
                    for key, val in bn.items():
                        vals = tuple(sv for sv, _ip in self.scalars(val, path + (op, key), s2))
                        out.append(Condition(str(op), str(key), vals, path + (op, key)))
        return tuple(out), unreadable


# --------------------------------------------------------------------------- helpers


def _is_intrinsic(d: dict) -> bool:
    if len(d) != 1:
        return False
    k = next(iter(d))
    return isinstance(k, str) and (k == "Ref" or k.startswith("Fn::"))


def _is_string_intrinsic(d: dict) -> bool:
    return _is_intrinsic(d) and next(iter(d)) in _INTRINSIC_STRINGS


def _loads(text: Any) -> Any:
    if not isinstance(text, str) or not text.lstrip().startswith("{"):
        return None
    try:
        return json.loads(text)
    except (ValueError, RecursionError):   # not JSON; nested past Python's stack
        return None


def _subs(node: Any, variables: Any) -> Any:
    """Strings of a parsed ``!Sub`` template that use ``${...}`` become ``!Sub`` again (with
    the Sub's variable map), so that the evaluator reads them."""
    if isinstance(node, dict):
        return {k: _subs(v, variables) for k, v in node.items()}
    if isinstance(node, list):
        return [_subs(v, variables) for v in node]
    if isinstance(node, str) and "${" in node:
        return {"Fn::Sub": [node, variables] if isinstance(variables, dict) else node}
    return node


def _resub(node: Any) -> Any:
    """Strings of an evaluated JSON text with ``{...}`` placeholders become unknown values
    again: ``{Ref:Bucket}`` -> ``!Sub ${Bucket}``."""
    if isinstance(node, dict):
        return {k: _resub(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_resub(v) for v in node]
    if isinstance(node, str) and "{" in node:
        return {"Fn::Sub": _PLACEHOLDER_SV.sub(lambda m: "${" + m.group(1) + "}", node)}
    return node

"""``Fn::ForEach`` loops of the ``AWS::LanguageExtensions`` transform, expanded in the model.

``"Fn::ForEach::Name": [Identifier, Collection, {OutputKey: OutputValue}]`` repeats each
``OutputKey: OutputValue`` for every string of ``Collection``. In the output key, ``${Identifier}``
is replaced by the item and ``&{Identifier}`` by the item without its non-alphanumeric
characters; in the output value, the same in the keys of mappings and in ``Fn::Sub`` strings,
and ``{"Ref": "Identifier"}`` becomes the item. An output value may hold another loop (nested
loops see every identifier around them). This is what cfn-lint's transform does too.

The collection is evaluated with the template's evaluator (``slint.model.values``: parameter
defaults, given values, ``AllowedValues``, mappings): a literal list, ``!Ref`` of a
``CommaDelimitedList`` (or ``List<...>``) parameter, ``Fn::FindInMap`` of a list, ``Fn::Split``,
``Fn::If`` of those. A collection with more than one possible value, or one that cannot be
evaluated, generates nothing: ``Expansion.unknowns`` says so (``files[].unknowns``), never a
guess. The expansion is bounded (``MAX_GENERATED`` outputs and ``MAX_NODES`` nodes copied per
template, ``MAX_LOOP_DEPTH`` nested loops): past a bound it stops with an unknown.

Each generated output keeps the path of the output key as written
(``("Resources", "Fn::ForEach::Buckets", 2, "S3Bucket${Identifier}")``), so that findings point
into the loop body; ``renames`` maps a key renamed inside the value to where it was written.
Nothing is modified in place: unchanged subtrees are shared with the document.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from .values import Evaluator, scalar_text, sub_parts

# the transform that enables Fn::ForEach loops
LANGUAGE_EXTENSIONS = "AWS::LanguageExtensions"
FOREACH_PREFIX = "Fn::ForEach::"

MAX_GENERATED = 500        # outputs (resources, outputs) generated per template
MAX_NODES = 200_000        # nodes visited while copying loop bodies, per template
MAX_LOOP_DEPTH = 16        # loops inside loops
_MAX_NODE_DEPTH = 400      # nesting inside one output value (the loader allows 300)
_NON_ALNUM = re.compile(r"[^0-9A-Za-z]+")


def is_loop(key: Any) -> bool:
    """``Fn::ForEach::Name``: a loop's key."""
    return isinstance(key, str) and key.startswith(FOREACH_PREFIX)


class Unknown(Exception):
    """The collection cannot be evaluated to one list; the message says why."""


class _Stop(Exception):
    """A bound of the expansion was reached; the message says which."""


def replace_text(text: str, params: dict) -> str:
    """``${Id}`` -> item and ``&{Id}`` -> item without non-alphanumerics, for every identifier."""
    if "{" not in text:
        return text
    for ident, item in params.items():
        text = text.replace("${" + ident + "}", item)
        text = text.replace("&{" + ident + "}", _NON_ALNUM.sub("", item))
    return text


class Expansion:
    """The loops of one template. ``issues``: (message, path) for SYN003; ``unknowns``:
    (what, loop name, path, why)."""

    def __init__(self, evaluator: Evaluator):
        self.ev = evaluator
        self.generated = 0
        self.nodes = 0
        self.stopped: str | None = None
        self.issues: list[tuple[str, tuple]] = []
        self.unknowns: list[tuple[str, str, tuple, str]] = []

    def outputs(self, name: str, value: Any, path: tuple, what: str
                ) -> Iterator[tuple[str, Any, tuple, dict]]:
        """(generated key, value, path of the key as written, renames) for loop ``name`` at
        ``path`` (a section's key); ``what``: "resources", "outputs" for the messages."""
        if self.stopped is not None:
            self.unknowns.append((what, name, path, self.stopped))
            return
        try:
            yield from self._loop(name, value, path, {}, what, 0)
        except _Stop as stop:
            self.stopped = str(stop)
            self.unknowns.append((what, name, path, self.stopped))

    # ------------------------------------------------------------------ loops
    def _loop(self, name: str, value: Any, path: tuple, params: dict, what: str, depth: int):
        if depth >= MAX_LOOP_DEPTH:
            raise _Stop(f"loops nested deeper than {MAX_LOOP_DEPTH} levels are not expanded")
        if not (isinstance(value, list) and len(value) == 3 and isinstance(value[0], str)
                and value[0] and isinstance(value[2], dict)):
            self.issues.append((f"`{name}` is not a loop: it takes `[Identifier, Collection, "
                                "{OutputKey: OutputValue}]`", path))
            return
        ident, coll, body = value
        try:
            items = collection(self.ev, self._sub(coll, params, (), (), {}, 0))
        except Unknown as exc:
            self.unknowns.append((what, name, path + (1,),
                                  f"the collection of `{name}` {exc}: the {what} it generates "
                                  "are not evaluated"))
            return
        seen: dict = {}
        reported: set = set()
        for item in items:
            inner = {**params, ident: item}
            for key, out in body.items():
                if not isinstance(key, str):
                    continue
                kpath = path + (2, key)
                self._count(1)
                if is_loop(key):
                    yield from self._loop(key, out, kpath, inner, what, depth + 1)
                    continue
                new_key = replace_text(key, inner)
                if new_key in seen:   # CloudFormation rejects the template
                    if kpath not in reported:
                        reported.add(kpath)
                        self.issues.append((f"`{name}` generates `{new_key}` more than once "
                                            f"(the output key must use `${{{ident}}}` or "
                                            f"`&{{{ident}}}`)", kpath))
                    continue
                seen[new_key] = kpath
                if self.generated >= MAX_GENERATED:
                    raise _Stop(f"loops generate more than {MAX_GENERATED} {what}; the rest are "
                                "not evaluated")
                self.generated += 1
                renames: dict = {}
                yield new_key, self._sub(out, inner, (), (), renames, 0), kpath, renames

    def _count(self, n: int) -> None:
        self.nodes += n
        if self.nodes > MAX_NODES:
            raise _Stop(f"loop bodies past {MAX_NODES} copied nodes are not expanded")

    # ------------------------------------------------------------ substitution
    def _sub(self, node: Any, params: dict, rel: tuple, written: tuple, renames: dict,
             depth: int) -> Any:
        """``node`` with the identifiers replaced (the same object when nothing changes).
        ``rel``/``written``: its path relative to the output, as generated / as written."""
        if not params or not isinstance(node, (dict, list)):
            return node
        self._count(1)
        if depth > _MAX_NODE_DEPTH:
            raise _Stop("a loop body nested too deeply is not expanded")
        if isinstance(node, list):
            out = [self._sub(v, params, rel + (i,), written + (i,), renames, depth + 1)
                   for i, v in enumerate(node)]
            return node if all(a is b for a, b in zip(out, node)) else out
        if len(node) == 1:
            (fn, arg), = node.items()
            if fn == "Ref" and isinstance(arg, str) and arg in params:
                return params[arg]
            if fn == "Fn::Sub":   # a Sub left without variables is its text (as
                if isinstance(arg, str):   # CloudFormation and cfn-lint do: `!GetAtt [!Sub ..]`)
                    new = replace_text(arg, params)
                    return node if new == arg else _plain(new) or {fn: new}
                if isinstance(arg, list) and arg and isinstance(arg[0], str):
                    rest = [self._sub(v, params, rel + (fn, i + 1), written + (fn, i + 1),
                                      renames, depth + 1) for i, v in enumerate(arg[1:])]
                    new = replace_text(arg[0], params)
                    if new == arg[0] and all(a is b for a, b in zip(rest, arg[1:])):
                        return node
                    return _plain(new) or {fn: [new] + rest}
        changed = False
        out: dict = {}
        for k, v in node.items():
            nk = replace_text(k, params) if isinstance(k, str) else k
            if nk != k:
                changed = True
                renames[rel + (nk,)] = written + (k,)
            nv = self._sub(v, params, rel + (nk,), written + (k,), renames, depth + 1)
            changed = changed or nv is not v
            out.setdefault(nk, nv)
        return out if changed else node


def _plain(text: str) -> str | None:
    """The text of a ``Fn::Sub`` template that has no variable left, else None."""
    parts = sub_parts(text)
    if any(isinstance(p, tuple) for p in parts):
        return None
    return "".join(parts)


# ---------------------------------------------------------------- collections
_LIST_TYPES = ("CommaDelimitedList", "List<", "AWS::SSM::Parameter::Value<List<",
               "AWS::SSM::Parameter::Value<CommaDelimitedList")


def collection(ev: Evaluator, node: Any) -> list[str]:
    """The one list of strings ``node`` evaluates to; ``Unknown`` when it has several possible
    values or cannot be evaluated."""
    used: set = set()
    lists = list(dict.fromkeys(_lists(ev, node, 0, used)))
    if not lists:
        raise Unknown("has no possible value")
    if len(lists) > 1:
        by = (" (from parameter " + ", ".join(f"`{p}`" for p in sorted(used)) + ")") if used \
            else ""
        raise Unknown(f"has {len(lists)} possible values{by}")
    return list(lists[0])


def _why(vals: list) -> str:
    params = sorted({p for v in vals for p in v.params})
    if params:
        return ("depends on parameter " + ", ".join(f"`{p}`" for p in params)
                + ", which has no default or given value")
    refs = sorted({r[0] for v in vals for r in v.refs})
    if refs:
        return "depends on resource " + ", ".join(f"`{r}`" for r in refs)
    pseudo = sorted({p for v in vals for p in v.pseudo})
    if pseudo:
        return "depends on " + ", ".join(f"`{p}`" for p in pseudo)
    return "is not evaluated"


def _one(ev: Evaluator, node: Any, used: set) -> list:
    """The possible texts of a scalar; Unknown when one is not known. ``used``: the parameters
    whose values were read."""
    vals = ev.strings(node)
    if not vals or any(not v.known for v in vals):
        raise Unknown(_why(vals))
    used.update(p for v in vals for p in v.from_param)
    return list(dict.fromkeys(v.text for v in vals))


def _lists(ev: Evaluator, node: Any, depth: int, used: set) -> list[tuple]:
    if depth > 20:
        raise Unknown("is nested too deeply")
    if isinstance(node, list):
        items = []
        for it in node:
            texts = _one(ev, it, used)
            if len(texts) > 1:
                raise Unknown(f"has an item with {len(texts)} possible values")
            items.append(texts[0])
        return [tuple(items)]
    if not (isinstance(node, dict) and len(node) == 1):
        raise Unknown("is not a list")
    (fn, arg), = node.items()
    if not (fn == "Ref" or str(fn).startswith("Fn::")):
        raise Unknown("is not a list")
    if fn == "Ref":
        p = ev.t.parameters.get(arg) if isinstance(arg, str) else None
        if p is None or not (p.type or "").startswith(_LIST_TYPES):
            raise Unknown(f"is `Ref` of `{arg}`, not of a list parameter"
                          if isinstance(arg, str) else "is not evaluated")
        return [tuple(x.strip() for x in t.split(",")) for t in _one(ev, node, used)]
    if fn == "Fn::Split":
        if not (isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str) and arg[0]):
            raise Unknown("is a malformed `Fn::Split`")
        return [tuple(t.split(arg[0])) for t in _one(ev, arg[1], used)]
    if fn == "Fn::If":
        out: list = []
        for branch, _scen in ev.branches(node):
            if branch is node:
                raise Unknown("is a malformed `Fn::If`")
            out.extend(_lists(ev, branch, depth + 1, used))
        return out
    if fn == "Fn::FindInMap":
        return _findinmap(ev, arg, depth, used)
    raise Unknown(f"is `{fn}`, which is not evaluated")


def _findinmap(ev: Evaluator, arg: Any, depth: int, used: set) -> list[tuple]:
    if not (isinstance(arg, list) and len(arg) in (3, 4) and isinstance(arg[0], str)):
        raise Unknown("is a malformed `Fn::FindInMap`")
    m = ev.t.mappings.get(arg[0])
    if not isinstance(m, dict):
        raise Unknown(f"reads mapping `{arg[0]}`, which is not in the template")
    default = arg[3].get("DefaultValue", _NONE) if len(arg) == 4 and isinstance(arg[3], dict) \
        else _NONE
    out: list = []
    # a key that is not known ranges over the mapping's keys: any other value fails the
    # deployment (or takes the DefaultValue)
    k1s = ev.strings(arg[1])
    k2s = ev.strings(arg[2])
    used.update(p for v in k1s + k2s for p in v.from_param + v.params)
    for k1 in k1s:
        if not k1.known and default is not _NONE:
            out.extend(_lists(ev, default, depth + 1, used))
        tops = [m.get(k1.text, _NONE)] if k1.known else list(m.values())
        for top in tops:
            for k2 in k2s:
                if ev.join(k1.scenario, k2.scenario) is None:
                    continue
                if not k2.known and default is not _NONE:
                    out.extend(_lists(ev, default, depth + 1, used))
                leaves = ([top.get(k2.text, _NONE)] if k2.known else list(top.values())) \
                    if isinstance(top, dict) else [_NONE]
                for leaf in leaves:
                    if leaf is _NONE:
                        if default is not _NONE:
                            out.extend(_lists(ev, default, depth + 1, used))
                        continue
                    if not isinstance(leaf, list):
                        raise Unknown(f"reads a value of mapping `{arg[0]}` that is not a list")
                    texts = [scalar_text(x) if isinstance(x, (str, int, float, bool)) else None
                             for x in leaf]
                    if any(t is None for t in texts):
                        raise Unknown(f"reads a list of mapping `{arg[0]}` that is not of strings")
                    out.append(tuple(texts))
    if not out:
        raise Unknown(f"reads no entry of mapping `{arg[0]}`")
    return out


_NONE = object()

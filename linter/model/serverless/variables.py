"""Serverless Framework variables, resolved without running anything.

``${self:a.b}`` is read from the service file itself (nested variables and ``, fallback`` values
included); ``${opt:...}`` / ``${env:...}`` are not given on a static check, so their fallback is
used, and without one they become an unknown; ``${sls:stage}`` is ``provider.stage`` (default
``dev``); ``${aws:region}`` / ``${aws:accountId}`` are the pseudo parameters; text that is no
variable for the framework (``${AWS::Region}``, ``${!Literal}``, ``${T}`` with no ``source:``) is
left for ``Fn::Sub``;
``${file(./x.yml):key}`` is read through slint's loader inside the project root (the service's
folder, or its nearest ancestor holding ``.git``): never outside it (``..``, absolute paths and
symlinks leading out are refused), size-bounded, and never a program (``.js``/``.ts``).
``${ssm:}``, ``${cf:}``, ``${s3:}`` and unknown resolvers are never guessed: each becomes a
synthesized template parameter without a default (``{"Ref": "SlsSsm..."}``), which the evaluator
treats as "any value", with the reason as its description. Cycles and depth are bounded: a cycle
gives an unknown, never a hang.

The output is the resolved data plus a ``SourceMap`` built in the same walk: a scalar points where
it was written in the service file; a mapping or list that came from ``${self:}`` or ``${file()}``
points at its definition (another file's spans carry that file).
"""

from __future__ import annotations

import os
import re
from typing import Any

from ...loader import Document, load_file
from ...source import SourceMap

MAX_DEPTH = 24           # nested variable resolutions
MAX_STEPS = 64           # variables in one string
MAX_FILES = 64           # files read through ${file()}
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_NODES = 200_000      # nodes that ${self:}/${file()} copies may add, in all

_INNER = re.compile(r"\$\{([^${}]*)\}")
_MARK = re.compile(r"\x00(\d+)\x00")
_NUM = re.compile(r"^-?\d+(\.\d+)?$")
_SOURCE = re.compile(r"^([A-Za-z][\w-]*)(?:\(([^)]*)\)(?::(.*))?|:(.*))$", re.S)

# ``${AWS::Region}`` (pseudo parameters), ``${!Literal}``: the framework leaves these to
# CloudFormation's Fn::Sub (as it does CloudWatch ``${PROP:...}`` and IoT ``${iot:...}``)
_PASS = re.compile(r"^(?:(?:AWS|PROP|iot):[^,]*|!.*)$", re.S)
# ``${T}``, ``${Table.Arn}``, ``${stageVariables.name}``: no ``source:`` and no ``source(...)``,
# so not a framework variable at all; the framework leaves the text as it is (v4: a placeholder
# needs a ``:`` or ``(...)``, sf-core placeholders.js; v3: a lowercase ``type`` then ``:`` or
# ``(``, lib/configuration/variables/parse.js), for a list-form ``Fn::Sub``'s own variables
_NOT_VARIABLE = re.compile(r"^[^:(]*$|^[^:)]*$", re.S)

UNDEFINED = object()     # a source with no value here (opt/env on a static check): fall back


class _Dflt:
    """A value given on the command line or in the environment at deploy time, with the
    default the file gives: its ``text`` where slint needs a literal (an address, the stage),
    a parameter with that default (``ref``) in the template."""
    __slots__ = ("text", "ref")

    def __init__(self, text, ref):
        self.text, self.ref = text, ref


class _Obj:
    """A mapping/list value with where it was written."""
    __slots__ = ("value", "sm", "path", "file")

    def __init__(self, value, sm, path, file):
        self.value, self.sm, self.path, self.file = value, sm, path, file


class Resolver:
    def __init__(self, doc: Document, display: str, root: str | None = None):
        self.doc = doc
        self.data = doc.data
        self.display = display
        self.base = os.path.dirname(os.path.abspath(doc.filename)) if doc.filename else os.getcwd()
        self.root = os.path.realpath(root or project_root(self.base))
        self.out = SourceMap()
        self.params: dict[str, dict] = {}        # name -> {"reason", "path"}
        self._param_of: dict[str, str] = {}      # variable text -> parameter name
        self.notes: list[tuple[str, tuple]] = []  # (message, service path)
        self.files_read: list[str] = []
        self._files: dict[str, Document | str] = {}
        self._stack: list[tuple] = []
        self._use: tuple = ()
        self.stage = "dev"
        self._budget = MAX_NODES

    # ------------------------------------------------------------------ entry
    def resolve(self) -> tuple[Any, SourceMap]:
        prov = self.data.get("provider") if isinstance(self.data, dict) else None
        if isinstance(prov, dict) and "stage" in prov:
            self._use = ("provider", "stage")
            st = self._scalar_of(prov.get("stage"), ("provider", "stage"))
            if isinstance(st, str) and st:
                self.stage = st
        data = self._walk(self.data, self.doc.source, (), None, ())
        return data, self.out

    def _scalar_of(self, v, path):
        if isinstance(v, str) and "${" in v:
            r = self._string(v, path)
            r = r.text if isinstance(r, _Dflt) else r
            return r if isinstance(r, str) else None
        return v

    # ------------------------------------------------------------------ walking
    def _walk(self, node, sm: SourceMap, spath: tuple, file: str | None, opath: tuple,
              depth: int = 0):
        self.out.put(opath, sm, spath, file)
        if isinstance(node, dict):
            out = {k: self._walk(v, sm, spath + (k,), file, opath + (k,), depth) for k, v in node.items()}
            if len(out) == 1 and "Fn::Sub" in out:
                v = out["Fn::Sub"]
                out["Fn::Sub"] = [_sub_template(v[0]), *v[1:]] if isinstance(v, list) and v \
                    else _sub_template(v)
            return out
        if isinstance(node, list):
            return [self._walk(v, sm, spath + (i,), file, opath + (i,), depth) for i, v in enumerate(node)]
        if isinstance(node, str) and "${" in node:
            self._use = opath
            r = self._string(node, opath)
            if isinstance(r, _Obj) and _intrinsic(r.value):
                return r.value   # a scalar built from variables: located where it is used
            if isinstance(r, _Obj):
                if r.file == file and spath[:len(r.path)] == r.path:
                    note = (f"{node}: the value contains itself (a variable cycle); its value "
                            "is unknown", opath)
                    if note not in self.notes:
                        self.notes.append(note)
                    return self._unknown(node, "a value that contains itself", opath)
                if depth >= MAX_DEPTH:
                    return self._unknown(node, "variables nest too deeply", opath)
                self._budget -= _size(r.value)
                if self._budget < 0:
                    return self._unknown(node, f"variables expand past {MAX_NODES} nodes", opath)
                keep_key = self.out.keys.get(opath)
                val = self._walk(r.value, r.sm, r.path, r.file, opath, depth + 1)
                if r.sm.values.get(r.path) is None and keep_key is not None:
                    self.out.keys[opath] = keep_key
                return val
            return r.ref if isinstance(r, _Dflt) else r
        return node

    # ------------------------------------------------------------------ strings
    def _string(self, text: str, where: tuple):
        """A string with variables -> str, a scalar, an intrinsic node (unknown) or an _Obj."""
        tokens: list = []
        s = text
        for _ in range(MAX_STEPS):
            m = _INNER.search(s)
            if m is None:
                break
            tokens.append(self._variable(m.group(1), tokens, where))
            s = s[:m.start()] + f"\x00{len(tokens) - 1}\x00" + s[m.end():]
        else:
            return self._unknown(text, f"more than {MAX_STEPS} variables in one value", where)
        whole = _MARK.fullmatch(s)
        if whole:
            return tokens[int(whole.group(1))]
        parts: list = []
        pos = 0
        for m in _MARK.finditer(s):
            if m.start() > pos:
                parts.append(s[pos:m.start()])
            tok = tokens[int(m.group(1))]
            if isinstance(tok, (str, int, float, bool)):
                parts.append(tok if isinstance(tok, str) else _text(tok))
            elif isinstance(tok, _Dflt):
                parts.append(tok.ref)
            elif isinstance(tok, _Obj) and _intrinsic(tok.value):
                parts.append(tok.value)
            elif isinstance(tok, dict):
                parts.append(tok)
            else:
                parts.append(self._unknown(text, "a mapping or list inside a string", where))
            pos = m.end()
        if pos < len(s):
            parts.append(s[pos:])
        merged: list = []
        flat: list = []
        for p in parts:  # a nested Fn::Join "" (a variable built from variables) is flattened
            inner = join_parts(p)
            if inner is not None:
                flat.extend(inner)
            else:
                flat.append(p)
        for p in flat:
            if isinstance(p, str) and merged and isinstance(merged[-1], str):
                merged[-1] += p
            else:
                merged.append(p)
        if all(isinstance(p, str) for p in merged):
            return "".join(merged)
        return {"Fn::Join": ["", merged]}

    def _variable(self, body: str, tokens: list, where: tuple):
        if _PASS.match(body) or ("\x00" not in body and _NOT_VARIABLE.match(body)):
            return "${" + _plain(body, tokens) + "}"   # left for CloudFormation (Fn::Sub)
        cands = _split_top(body)
        for i, cand in enumerate(cands):
            v = self._candidate(cand.strip(), tokens, where, last=i == len(cands) - 1)
            if v is not UNDEFINED:
                if i > 0 and isinstance(v, (str, int, float)) and not isinstance(v, bool):
                    first = _plain(cands[0].strip(), tokens)
                    if first.startswith(("opt:", "env:")):
                        return self._default(first, _text(v), where)
                return v
        return self._unknown("${" + _plain(body, tokens) + "}",
                             "not set on a static check and no default given", where)

    def _candidate(self, cand: str, tokens: list, where: tuple, last: bool):
        whole = _MARK.fullmatch(cand)
        if whole:
            return tokens[int(whole.group(1))]
        if len(cand) >= 2 and cand[0] == cand[-1] and cand[0] in "'\"":
            return _plain(cand[1:-1], tokens)
        if _NUM.match(cand):
            return cand
        if _MARK.search(cand):
            for m in _MARK.finditer(cand):
                tok = tokens[int(m.group(1))]
                if not isinstance(tok, (str, int, float, bool, _Dflt)):
                    return self._unknown("${" + _plain(cand, tokens) + "}",
                                         "its address depends on an unknown value", where)
            cand = _plain(cand, tokens)
        m = _SOURCE.match(cand)
        if m is None:
            return cand  # a bare fallback value (`${opt:stage, dev}`)
        src, arg = m.group(1), m.group(2)
        addr = (m.group(3) if arg is not None else m.group(4)) or ""
        addr = addr.strip()
        return self._source(src, arg, addr, cand, where)

    def _source(self, src: str, arg, addr: str, text: str, where: tuple):
        var = "${" + text + "}"
        if src == "self":
            return self._self(addr, var, where)
        if src in ("opt", "env"):
            return UNDEFINED
        if src == "sls":
            if addr == "stage":
                return self._default("opt:stage", self.stage, where)
            return self._unknown(var, f"`sls:{addr}` is only known at deploy time", where)
        if src == "aws":
            if addr == "region":
                return {"Ref": "AWS::Region"}
            if addr == "accountId":
                return {"Ref": "AWS::AccountId"}
            return self._unknown(var, f"`aws:{addr}` is only known at deploy time", where)
        if src == "file" and arg is not None:
            return self._file(arg.strip().strip("'\""), addr, var, where)
        reasons = {"ssm": "read from SSM Parameter Store at deploy time",
                   "cf": "read from another stack's outputs at deploy time",
                   "s3": "read from an S3 object at deploy time",
                   "param": "a Serverless Dashboard parameter"}
        return self._unknown(var, reasons.get(src, f"resolver `{src}` is not evaluated"), where)

    # ------------------------------------------------------------------ self / file
    def _self(self, addr: str, var: str, where: tuple):
        keys = [k for k in addr.split(".") if k != ""] if addr else []
        return self._lookup(self.data, self.doc.source, (), None, keys, var, where)

    def _lookup(self, node, sm, path, file, keys, var, where):
        key = (file, path, tuple(keys))
        if key in self._stack or len(self._stack) >= MAX_DEPTH:
            why = "a variable cycle" if key in self._stack else "variables nest too deeply"
            note = (f"{var}: {why}; its value is unknown", where)
            if note not in self.notes:
                self.notes.append(note)
            return self._unknown(var, why, where)
        self._stack.append(key)
        try:
            for i, k in enumerate(keys + [None]):
                if isinstance(node, str) and "${" in node:
                    r = self._string(node, path)
                    if isinstance(r, _Obj):
                        node, sm, path, file = r.value, r.sm, r.path, r.file
                    else:
                        node = r
                if k is None:
                    break
                if isinstance(node, dict) and k in node:
                    node, path = node[k], path + (k,)
                elif isinstance(node, list) and k.isdigit() and int(k) < len(node):
                    node, path = node[int(k)], path + (int(k),)
                elif file is None and path == ("provider",) and k == "stage":
                    return self._default("opt:stage", self.stage, where)
                elif file is None and path == ("provider",) and k == "region":
                    return "us-east-1"
                else:
                    return UNDEFINED
            if isinstance(node, (dict, list)):
                return _Obj(node, sm, path, file)
            return node
        finally:
            self._stack.pop()

    def _file(self, rel: str, addr: str, var: str, where: tuple):
        doc = self._load(rel, var, where)
        if isinstance(doc, str):
            return self._unknown(var, doc, where)
        keys = [k for k in addr.split(".") if k != ""] if addr else []
        disp = os.path.normpath(os.path.join(os.path.dirname(self.display), rel))
        return self._lookup(doc.data, doc.source, (), disp, keys, var, where)

    def _load(self, rel: str, var: str, where: tuple) -> Document | str:
        if not rel or os.path.isabs(rel) or "\x00" in rel:
            return f"file `{rel}` is not a relative path inside the project"
        target = os.path.realpath(os.path.join(self.base, rel))
        if target in self._files:
            return self._files[target]
        if not (target == self.root or target.startswith(self.root + os.sep)):
            out = f"file `{rel}` is outside the project root: not read"
        elif not target.lower().endswith((".yml", ".yaml", ".json")):
            out = f"file `{rel}` is a program or not YAML/JSON: never executed"
        elif len(self._files) >= MAX_FILES:
            out = f"more than {MAX_FILES} files read through ${{file()}}"
        elif not os.path.isfile(target):
            out = f"file `{rel}` does not exist"
        else:
            loaded = load_file(target, max_bytes=MAX_FILE_BYTES)
            if loaded.document is None:
                msg = loaded.issues[0].message if loaded.issues else "unreadable"
                out = f"file `{rel}` cannot be read: {msg}"
            else:
                out = loaded.document
                self.files_read.append(target)
        self._files[target] = out
        return out

    # ------------------------------------------------------------------ unknowns
    def _default(self, source: str, default: str, where: tuple) -> _Dflt:
        """``${opt:x, 'd'}``: a parameter with default ``d`` (one per source and default)."""
        var = "${" + source + "}"
        ref = self._unknown(f"{var}={default}", "given at deploy time; the file's default is used "
                            "when it is not", where, name_of=var)
        self.params[ref["Ref"]]["default"] = default
        return _Dflt(default, ref)

    def _unknown(self, var: str, reason: str, where: tuple, name_of: str | None = None) -> dict:
        name = self._param_of.get(var)
        if name is None:
            base = "Sls" + "".join(w[:1].upper() + w[1:] for w in re.split(r"[^0-9A-Za-z]+", name_of or var) if w)
            base = base[:200] or "SlsValue"
            name, n = base, 2
            while name in self.params:
                name, n = f"{base}{n}", n + 1
            self._param_of[var] = name
            self.params[name] = {"reason": f"{name_of or var}: {reason}", "path": self._use or where}
        return {"Ref": name}


def _size(node, cap: int = MAX_NODES + 1) -> int:
    """Nodes in ``node`` (counting stops past ``cap``)."""
    n, stack = 0, [node]
    while stack and n <= cap:
        v = stack.pop()
        n += 1
        if isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return n


def join_parts(node: Any) -> list | None:
    """The parts of a text join, ``{"Fn::Join": ["", [parts]]}`` (what the variables build of a
    string with unknown values), or None for anything else."""
    if isinstance(node, dict) and len(node) == 1:
        j = node.get("Fn::Join")
        if isinstance(j, list) and len(j) == 2 and j[0] == "" and isinstance(j[1], list):
            return j[1]
    return None


def _sub_template(t):
    """A ``Fn::Sub`` template the variables turned into a ``Fn::Join`` of text and values
    (``!Sub arn:aws:s3:::${self:service}-${opt:stage, 'dev'}-${AWS::AccountId}``) back into a
    template string: each ``Ref``/``Fn::GetAtt`` part becomes its ``${Name}`` placeholder, so the
    ARN stays evaluable. Anything else is left as it is."""
    parts = join_parts(t)
    if parts is None:
        return t
    text = []
    for part in parts:
        if isinstance(part, str):
            text.append(part)
        elif isinstance(part, dict) and list(part) == ["Ref"] and isinstance(part["Ref"], str):
            text.append("${" + part["Ref"] + "}")
        elif isinstance(part, dict) and list(part) == ["Fn::GetAtt"] and isinstance(part["Fn::GetAtt"], list) \
                and len(part["Fn::GetAtt"]) == 2 and all(isinstance(x, str) for x in part["Fn::GetAtt"]):
            text.append("${" + ".".join(part["Fn::GetAtt"]) + "}")
        else:
            return t
    return "".join(text)


def _intrinsic(v) -> bool:
    return isinstance(v, dict) and len(v) == 1 and isinstance(next(iter(v)), str) \
        and (next(iter(v)) == "Ref" or next(iter(v)).startswith("Fn::"))


def _split_top(body: str) -> list[str]:
    """``a, 'b, c', d`` -> ["a", "'b, c'", "d"]: commas outside quotes."""
    out, cur, q = [], [], None
    for ch in body:
        if q:
            cur.append(ch)
            if ch == q:
                q = None
        elif ch in "'\"":
            q = ch
            cur.append(ch)
        elif ch == ",":
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return out


def _text(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def _plain(s: str, tokens: list) -> str:
    def sub(m):
        t = tokens[int(m.group(1))]
        t = t.text if isinstance(t, _Dflt) else t
        return t if isinstance(t, str) else _text(t) if isinstance(t, (int, float, bool)) else "?"
    return _MARK.sub(sub, s)


def project_root(start: str) -> str:
    """The nearest folder at or above ``start`` holding ``.git``; ``start`` when none does."""
    cur = os.path.abspath(start)
    while True:
        if os.path.exists(os.path.join(cur, ".git")):
            return cur
        parent = os.path.dirname(cur)
        if parent == cur:
            return os.path.abspath(start)
        cur = parent

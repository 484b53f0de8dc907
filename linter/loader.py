"""File -> Document: plain Python data plus a SourceMap with exact 1-based positions.

YAML is composed with libyaml (``yaml.CSafeLoader``; the pure loader only when libyaml is missing)
and constructed by our own walk: CloudFormation short tags become their long forms, any other
explicit tag is an error (never constructed), duplicate keys are reported, aliases are expanded
within a node budget, node count and nesting depth are bounded before libyaml composes anything
that could exhaust memory or its C stack, timestamps stay strings. JSON is validated with ``json`` and composed
with the same YAML machinery so that it keeps positions too.

Failures are returned as values (``LoadResult.issues``); the loader never raises for bad input.
"""

from __future__ import annotations

import gc
import json
import operator
import re
import sys
from dataclasses import dataclass, field

import yaml

from .source import SourceMap

try:  # pragma: no cover - depends on the build of PyYAML
    _Base = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Base = yaml.SafeLoader

_TAG_MEMO: dict[str, str] = {}
_resolve = _Base.resolve
# First characters of the plain scalars some implicit resolver may tag (digits, signs, ``t``/
# ``f``/``y``/``n``/``o`` of booleans and nulls...): any other plain scalar resolves to a string
# (the base resolver's default tag) without a regex or a memo look-up. When a resolver applies
# to any first character or a path resolver exists, every scalar takes the full path.
class _AnyChar:
    def __contains__(self, _c: object) -> bool:
        return True


_RESOLVER_FIRST = frozenset(_Base.yaml_implicit_resolvers) \
    if None not in _Base.yaml_implicit_resolvers and not _Base.yaml_path_resolvers \
    else _AnyChar()
_PLAIN_TAG = _Base.DEFAULT_SCALAR_TAG
# the tag of a node no implicit resolver applies to, by kind (None: path resolvers exist, so the
# base resolver decides)
_KIND_TAG = None if _Base.yaml_path_resolvers else {
    yaml.ScalarNode: _Base.DEFAULT_SCALAR_TAG, yaml.SequenceNode: _Base.DEFAULT_SEQUENCE_TAG,
    yaml.MappingNode: _Base.DEFAULT_MAPPING_TAG}


class _Loader(_Base):  # type: ignore[misc,valid-type]
    """The safe loader, with the implicit tag of a plain scalar memoised by its text.

    libyaml's composer calls the Python resolver (regular expressions) for every scalar;
    templates repeat the same short scalars (``Type``, ``Properties``, ``Allow``...) thousands
    of times. For a plain scalar the tag depends on its text alone (SafeLoader has no path
    resolvers), so a memo is exact. Bounded: short texts, at most 50 000 of them (then it
    starts over)."""

    def resolve(self, kind, value, implicit, _scalar=yaml.ScalarNode, _first=_RESOLVER_FIRST,
                _plain=_PLAIN_TAG, _memo=_TAG_MEMO, _by_kind=_KIND_TAG):
        if kind is _scalar and implicit[0]:
            if value and value[0] not in _first:
                return _plain   # no implicit resolver starts with this character
            tag = _memo.get(value)
            if tag is None:
                tag = _resolve(self, kind, value, implicit)
                if len(value) <= 64:
                    if len(_memo) >= 50_000:
                        _memo.clear()
                    _memo[value] = tag
            return tag
        if _by_kind is not None:
            # a quoted or explicitly untagged scalar, a sequence, a mapping: without path
            # resolvers the base resolver returns the kind's default tag
            return _by_kind[kind]
        return _resolve(self, kind, value, implicit)

    if not _Base.yaml_path_resolvers:
        # libyaml's composer calls these for every node; without path resolvers the base
        # methods return at once. Builtins taking the same arguments cost no Python frame.
        descend_resolver = operator.is_     # (parent, index) -> ignored
        ascend_resolver = tuple             # () -> ignored

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 300
# libyaml's composer (PyYAML's C extension) recurses on the C stack: about 300 bytes a level, a
# segfault between 20 000 and 30 000 levels on an 8 MB stack. A document whose cheap depth bound
# is at most this is composed directly (the construction walk then enforces MAX_DEPTH, with the
# line); only above it does an event pass measure the real depth first.
SAFE_COMPOSE_DEPTH = 5_000
# Nodes a document may have (aliases expanded). The composed tree costs ~600 bytes a node while
# it is built and a checked template ~850 bytes a node in all, so this keeps a file under 1 GB:
# 1M nodes is a 25 MB template of ordinary density, far past CloudFormation's 1 MB limit.
MAX_NODES = 1_000_000
MAX_ALIAS_EXPANSION = 100_000

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
# an integer longer than this stays the text it was written as: Python refuses to convert ints
# of more than 4300 digits to or from decimal text (sys.get_int_max_str_digits), so a huge
# number must never become an int that something later prints
_MAX_INT_DIGITS = 4000
_MAX_INT_BITS = 13000   # about 3900 decimal digits
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MERGE = "tag:yaml.org,2002:merge"
_SAFE_TAGS = {
    _STR, _INT, _FLOAT, _BOOL, _NULL, _MERGE,
    "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:binary", "tag:yaml.org,2002:omap", "tag:yaml.org,2002:set",
    "tag:yaml.org,2002:value",
}

# short tag -> long form key (the last six: the functions of a template's Rules section)
FN_TAGS = {"!Ref": "Ref", "!Condition": "Condition", **{f"!{n}": f"Fn::{n}" for n in (
    "GetAtt Sub If Equals Join Select Split FindInMap ImportValue GetAZs Base64 Cidr And Or Not "
    "Transform Length ToJsonString ForEach GetParam "
    "Contains EachMemberEquals EachMemberIn RefAll ValueOf ValueOfAll").split()}}

_BOOLS = {"yes": True, "true": True, "on": True, "y": True,
          "no": False, "false": False, "off": False, "n": False}


@dataclass(slots=True)
class LoadIssue:
    message: str
    line: int = 1
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None
    kind: str = "error"  # "error" (nothing usable) or "warning" (document still usable)
    path: tuple = ()


@dataclass(slots=True)
class Document:
    filename: str
    text: str
    data: object
    source: SourceMap
    format: str = "yaml"


@dataclass(slots=True)
class LoadResult:
    document: Document | None
    issues: list[LoadIssue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.document is not None


_ScalarNode = yaml.ScalarNode
_MappingNode = yaml.MappingNode
_MAP = "tag:yaml.org,2002:map"


class _Budget(Exception):
    def __init__(self, message: str, mark=None):
        super().__init__(message)
        self.mark = mark

    def issue(self) -> "LoadIssue":
        m = self.mark
        return LoadIssue(str(self), m.line + 1, m.column + 1) if m is not None else LoadIssue(str(self))


class _Builder:
    __slots__ = ("src", "issues", "nodes", "max_nodes", "consume")

    def __init__(self, max_nodes: int, consume: bool = False) -> None:
        self.src = SourceMap()
        self.issues: list[LoadIssue] = []
        self.nodes = 0
        self.max_nodes = max_nodes
        # no anchors, so no node is shared: each is released once built (the composed tree,
        # ~350 bytes a node, shrinks while the document grows instead of both at their largest)
        self.consume = consume

    def build(self, node, path: tuple, depth: int):
        self.nodes += 1
        if self.nodes > self.max_nodes:
            raise self._too_many()
        if depth > MAX_DEPTH:
            raise _Budget(f"nesting deeper than {MAX_DEPTH} levels", node.start_mark)
        sm, em = node.start_mark, node.end_mark
        self.src.values[path] = (sm.line + 1, sm.column + 1, em.line + 1, em.column + 1)
        tag = node.tag
        if tag in FN_TAGS:
            key = FN_TAGS[tag]
            inner = self._plain(node, path + (key,), depth + 1)
            if key == "Fn::GetAtt" and isinstance(inner, str):
                a, _, b = inner.partition(".")
                inner = [a, b]
            self.src.keys[path + (key,)] = self.src.values[path]
            return {key: inner}
        return self._plain(node, path, depth)

    def _plain(self, node, path: tuple, depth: int):
        if path not in self.src.values:
            sm, em = node.start_mark, node.end_mark
            self.src.values[path] = (sm.line + 1, sm.column + 1, em.line + 1, em.column + 1)
        tag = node.tag
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, path)
        if tag not in _SAFE_TAGS and tag not in FN_TAGS:
            self._bad_tag(node, path)
            return None
        if isinstance(node, yaml.SequenceNode):
            return self._sequence(node, path, depth)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        return None  # pragma: no cover

    def _too_many(self) -> "_Budget":
        return _Budget(f"the document expands to more than {self.max_nodes} nodes "
                       "(alias expansion bomb?)")

    def _bad_tag(self, node, path):
        sm, em = node.start_mark, node.end_mark
        self.issues.append(LoadIssue(
            f"unsupported YAML tag {node.tag!r}: not constructed", sm.line + 1, sm.column + 1,
            em.line + 1, em.column + 1, "error", path))

    def _scalar(self, node, path):
        tag, v = node.tag, node.value
        if tag == _STR or tag in FN_TAGS:
            return v
        if tag == _INT:
            try:
                s = v.replace("_", "")
                if s.startswith(("0x", "-0x", "+0x")):
                    n = int(s, 16)
                    # past Python's int->str digit limit the value could not be printed
                    return n if n.bit_length() <= _MAX_INT_BITS else v
                if s.startswith(("0o", "-0o")) or (len(s) > 1 and s[0] == "0" and s.isdigit()):
                    return v  # octal-looking: keep the text (CloudFormation sees a string)
                if ":" in s:
                    return v  # sexagesimal: keep the text
                return int(s) if len(s) <= _MAX_INT_DIGITS else v
            except ValueError:
                return v
        if tag == _BOOL:
            return _BOOLS.get(v.lower(), v)
        if tag == _NULL:
            return None
        if tag == _FLOAT:
            try:
                return float(v.replace("_", ""))
            except ValueError:
                return v
        if tag in _SAFE_TAGS:
            return v  # timestamp, binary...: keep the text as written (Version: 2012-10-17)
        self._bad_tag(node, path)
        return None

    def _mapping(self, node, path, depth):
        out: dict = {}
        seen: dict = {}
        src = self.src
        keys, values = src.keys, src.values
        limit = self.max_nodes
        cdepth = depth + 1
        leaf_ok = cdepth <= MAX_DEPTH
        for knode, vnode in node.value:
            if knode.tag == _MERGE:
                merged = self.build(vnode, path + ("<<",), depth + 1)
                for m in merged if isinstance(merged, list) else [merged]:
                    if isinstance(m, dict):
                        for k, val in m.items():
                            out.setdefault(k, val)
                continue
            if not isinstance(knode, _ScalarNode):
                sm = knode.start_mark
                self.issues.append(LoadIssue("a mapping key must be a scalar", sm.line + 1,
                                             sm.column + 1, kind="error", path=path))
                continue
            key = knode.value  # keys stay strings, as CloudFormation reads them
            sm, em = knode.start_mark, knode.end_mark
            kspan = (sm.line + 1, sm.column + 1, em.line + 1, em.column + 1)
            kpath = path + (key,)
            if key in seen:
                first = seen[key]
                self.issues.append(LoadIssue(
                    f"duplicate key {key!r} (first defined on line {first[0]}); "
                    "CloudFormation's behaviour is undefined, the last one is used here",
                    kspan[0], kspan[1], kspan[2], kspan[3], "warning", kpath))
            seen[key] = kspan
            keys[kpath] = kspan
            cls = vnode.__class__
            if leaf_ok and ((cls is _ScalarNode and vnode.tag == _STR)
                            or (cls is _MappingNode and vnode.tag == _MAP)):
                # most values: build() of a plain string or mapping, inline
                self.nodes += 1
                if self.nodes > limit:
                    raise self._too_many()
                sm, em = vnode.start_mark, vnode.end_mark
                values[kpath] = (sm.line + 1, sm.column + 1, em.line + 1, em.column + 1)
                out[key] = vnode.value if cls is _ScalarNode else self._mapping(vnode, kpath, cdepth)
            else:
                out[key] = self.build(vnode, kpath, cdepth)
        if self.consume:
            node.value = None
        return out

    def _sequence(self, node, path, depth):
        cdepth = depth + 1
        leaf_ok = cdepth <= MAX_DEPTH   # deeper: build() reports the depth
        out: list = []
        append = out.append
        values = self.src.values
        limit = self.max_nodes
        children = node.value
        consume = self.consume
        for i, child in enumerate(children):
            if consume:
                children[i] = None
            cls = child.__class__
            if leaf_ok and ((cls is _ScalarNode and child.tag == _STR)
                            or (cls is _MappingNode and child.tag == _MAP)):
                # build() of a plain string or mapping, inline
                self.nodes += 1
                if self.nodes > limit:
                    raise self._too_many()
                sm, em = child.start_mark, child.end_mark
                p = path + (i,)
                values[p] = (sm.line + 1, sm.column + 1, em.line + 1, em.column + 1)
                append(child.value if cls is _ScalarNode else self._mapping(child, p, cdepth))
            else:
                append(self.build(child, path + (i,), cdepth))
        return out


_BLOCK_PREFIX = re.compile(r"^[ \t?:-]*", re.M)
_SIMPLE_FLOW = re.compile(r"\[[^\[\]{}\"'#\n]*\]|\{[^\[\]{}\"'#\n]*\}")


def _sizes(root) -> tuple[int, int]:
    """(unique nodes, nodes after alias expansion), without expanding anything."""
    memo: dict[int, int] = {}
    order = []
    stack = [root]
    while stack:  # iterative post-order over the node DAG (aliases share node objects)
        n = stack.pop()
        if id(n) in memo:
            continue
        if isinstance(n, yaml.ScalarNode):
            memo[id(n)] = 1
            continue
        memo[id(n)] = -1  # in progress
        order.append(n)
        for child in (n.value if isinstance(n, yaml.SequenceNode) else
                      [c for kv in n.value for c in kv]):
            if id(child) not in memo:
                stack.append(child)
    for n in reversed(order):
        children = n.value if isinstance(n, yaml.SequenceNode) else [c for kv in n.value for c in kv]
        memo[id(n)] = min(1 + sum(max(memo.get(id(c), 1), 1) for c in children), 1 << 62)
    return len(memo), memo[id(root)]


def _longest_block_prefix(text: str) -> int:
    """The longest run of ``[ \t?:-]`` starting a line (``_BLOCK_PREFIX``), without a string
    per line: search only for a line whose prefix is longer than the longest so far, from
    where that one was found (the text is scanned about once; one search per new maximum)."""
    m = _BLOCK_PREFIX.match(text)
    best = len(m.group(0))
    pos = m.end()
    while True:
        m = re.compile(r"\n([ \t?:-]{%d,})" % (best + 1)).search(text, pos)
        if m is None:
            return best
        best, pos = len(m.group(1)), m.end()


def _depth_bound(text: str) -> int:
    """A cheap upper bound of the nesting depth.

    Flow collections need a bracket each (``${`` in ``!Sub`` strings does not open one); block
    collections need indentation or compact ``- ``/``? `` indicators at the start of a line.
    """
    prefix = _longest_block_prefix(text)
    # Drop one-line collections with no bracket, quote or comment inside (``[a, b]``,
    # ``{Ref: X}``, ``${AWS::Region}``), innermost first: in flow context a plain scalar cannot
    # hold a bracket, so such a pair is either a real opener with its real closer or text
    # inside a scalar; either way the bound stays an upper bound, and large templates no
    # longer need the event pass just for having many small flow collections.
    block = 2 * (prefix + 1) + 1
    bound = text.count("[") + text.count("{") - text.count("${") + block
    for _ in range(4):
        if bound <= SAFE_COMPOSE_DEPTH:
            break
        text, n = _SIMPLE_FLOW.subn("", text)
        if not n:
            break
        bound = text.count("[") + text.count("{") - text.count("${") + block
    return bound


_LINE_BREAKS = ("\x85", "\u2028", "\u2029")
# a ':' or '-' that libyaml can read as an indicator: followed by a blank, a line break or (in
# flow context) a flow indicator, or (':') at the start of a token
_COLON_FORMS = (": ", ":\t", ":\n", ":\r", ":,", ":[", ":]", ":{", ":}",
                " :", "\t:", "\n:", "\r:", "\":", "':", "[:", "]:", "{:", "}:", ",:")
_DASH_FORMS = ("- ", "-\t", "-\n", "-\r")
# byte -> its class for the forms above: blanks and line breaks -> " ", flow indicators -> ",",
# quotes -> "'", ":" and "-" themselves, anything else (UTF-8 continuation bytes too) -> "a"
_FORM_CLASSES = bytes(
    c if c in b":-" else 32 if c in b" \t\n\r" else 44 if c in b",[]{}" else 39 if c in b"\"'"
    else 97 for c in range(256))


def _node_bound(text: str, limit: int) -> int:
    """A cheap upper bound of the number of nodes (before alias expansion).

    Every node needs an indicator next to it: a mapping entry a ':' (or '?'; two nodes, the key
    and its value), a flow entry a ',' (two nodes: a key and its null value, in a flow mapping),
    a block sequence item a '- ', a collection its bracket; the root one more. Counting every
    ':' and '-' is a bound already; only when that is over ``limit`` are the indicator forms
    counted (ARNs and ``AWS::`` types are full of colons that are no indicators)."""
    rest = 2 * (text.count(",") + text.count("?")) + text.count("[") + text.count("{") + 2
    bound = rest + 2 * text.count(":") + text.count("-")
    if bound <= limit or any(b in text for b in _LINE_BREAKS):
        return bound
    # one pass maps each character to its class (blank, flow indicator, quote, other): the
    # 20 colon forms and 4 dash forms are then 6 counts, the same sums exactly
    flat = text.encode("utf-8", "surrogatepass").translate(_FORM_CLASSES)
    colons = sum(flat.count(f) for f in (b": ", b":,", b" :", b"':", b",:")) + text.endswith(":")
    dashes = flat.count(b"- ") + text.endswith("-")
    return rest + 2 * colons + dashes


def _count_first(text: str, max_nodes: int) -> bool:
    """Whether a long text is counted before composing (streaming events: nothing held): when it
    probably has too many nodes (a block line holds about two nodes, a flow entry two). One that
    probably has few enough is composed with a budget instead (``load_text``): the same result,
    without a pass. Either way is exact; this only picks the cheaper one."""
    return 2 * (text.count("\n") + text.count(",")) + 2 > max_nodes


def _compose_within(text: str, budget: int):
    """``yaml.compose`` that raises StopIteration when it finishes node ``budget + 1``: libyaml's
    composer calls ``ascend_resolver`` once for every node it finishes (not for an alias), so a
    bounded iterator's ``__next__`` counts them at C speed."""
    loader = _Loader(text)
    loader.ascend_resolver = iter(range(budget)).__next__
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _node_limit(text: str, fmt: str, filename: str, max_nodes: int) -> "LoadResult | None":
    """The failure of a text with more than ``max_nodes`` nodes (or of its syntax, met first),
    None when it has no more: the cheap bound first, then the events, streaming."""
    if _node_bound(text, max_nodes) <= max_nodes:
        return None
    try:
        mark = _event_count(text, max_nodes)
    except yaml.YAMLError as exc:
        return _yaml_failure(exc, fmt, text, filename)
    if mark is not None:
        return LoadResult(None, [LoadIssue(
            f"the document has more than {max_nodes} nodes, over the limit",
            mark.line + 1, mark.column + 1)])
    return None


def _event_count(text: str, limit: int):
    """The mark of the node past ``limit`` nodes, or None; streams, composes nothing."""
    n = 0
    for ev in yaml.parse(text, Loader=_Loader):
        if isinstance(ev, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent,
                           yaml.AliasEvent)):
            n += 1
            if n > limit:
                return ev.start_mark
    return None


def _event_depth(text: str, limit: int) -> tuple[int, object]:
    depth = 0
    for ev in yaml.parse(text, Loader=_Loader):
        if isinstance(ev, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > limit:
                return depth, ev.start_mark
        elif isinstance(ev, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
    return 0, None


def _err_from_yaml(exc: yaml.YAMLError) -> LoadIssue:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    ctx = getattr(exc, "context", None)
    msg = f"YAML syntax error: {problem}" + (f" ({ctx})" if ctx else "")
    if mark is not None:
        return LoadIssue(msg, mark.line + 1, mark.column + 1)
    return LoadIssue(msg)


def decode(raw: bytes) -> tuple[str | None, LoadIssue | None]:
    if b"\x00" in raw[:8192] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, LoadIssue("binary content (NUL bytes): not a template")
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if raw.startswith(bom):
            raw, encoding = raw[len(bom):], enc
            break
    else:
        encoding = "utf-8"
    try:
        return raw.decode(encoding), None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, LoadIssue(f"invalid {encoding.upper()}: byte 0x{raw[exc.start]:02x} cannot be decoded",
                               line, col)


def load_bytes(raw: bytes, filename: str = "<input>", *, max_bytes: int = DEFAULT_MAX_BYTES,
               max_nodes: int = MAX_NODES) -> LoadResult:
    if len(raw) > max_bytes:
        return LoadResult(None, [LoadIssue(f"file is {len(raw)} bytes, over the limit of {max_bytes}")])
    text, issue = decode(raw)
    if issue is not None:
        return LoadResult(None, [issue])
    return load_text(text, filename, max_nodes=max_nodes)


def _looks_json(text: str, filename: str) -> bool:
    if filename.lower().endswith(".json"):
        return True
    s = text.lstrip()
    return s.startswith("{")


def _json_error(text: str, exc: ValueError, lineno: int, colno: int) -> tuple[str, int, int]:
    """The json module's error, worded the same on every Python: a comma right before a
    closing ``}``/``]`` is reported at the comma as a trailing comma (Python 3.13's wording;
    older versions say "Expecting property name ..." / "Expecting value" at the bracket)."""
    msg = str(getattr(exc, "msg", exc))
    pos = getattr(exc, "pos", None)
    if isinstance(pos, int) and 0 <= pos <= len(text):
        j = pos
        while j < len(text) and text[j] in " \t\r\n":
            j += 1
        i = pos - 1
        while i >= 0 and text[i] in " \t\r\n":
            i -= 1
        if i >= 0 and text[i] == "," and j < len(text) and text[j] in "}]":
            what = "object" if text[j] == "}" else "array"
            line = text.count("\n", 0, i) + 1
            col = i - (text.rfind("\n", 0, i) + 1) + 1
            return f"Illegal trailing comma before end of {what}", line, col
    return msg, lineno, colno


def load_text(text: str, filename: str = "<input>", *, max_nodes: int = MAX_NODES) -> LoadResult:
    if sys.getrecursionlimit() < 4 * MAX_DEPTH + 1000:
        sys.setrecursionlimit(4 * MAX_DEPTH + 1000)
    fmt = "yaml"
    if _looks_json(text, filename):
        try:
            json.loads(text, parse_int=_json_int)
            fmt = "json"
        except RecursionError:
            return LoadResult(None, [LoadIssue("nesting deeper than the JSON parser allows")])
        except ValueError as exc:
            if filename.lower().endswith(".json"):
                lineno = getattr(exc, "lineno", 1)
                colno = getattr(exc, "colno", 1)
                msg, lineno, colno = _json_error(text, exc, lineno, colno)
                return LoadResult(None, [LoadIssue(f"JSON syntax error: {msg}",
                                                   lineno, colno)])
    big = 2 * len(text) + 2 > max_nodes   # else the text is too short to hold that many nodes
    counted = not big
    if big and _count_first(text, max_nodes):
        failed = _node_limit(text, fmt, filename, max_nodes)
        if failed is not None:
            return failed
        counted = True
    deep = _depth_bound(text)
    if not counted and deep > SAFE_COMPOSE_DEPTH:
        # the depth pass below must run: the node count comes first (a file over both limits
        # is reported for its nodes), as it always did
        failed = _node_limit(text, fmt, filename, max_nodes)
        if failed is not None:
            return failed
        counted = True
    if deep > SAFE_COMPOSE_DEPTH:
        try:
            depth, mark = _event_depth(text, MAX_DEPTH)
        except yaml.YAMLError as exc:
            return _yaml_failure(exc, fmt, text, filename)
        if mark is not None:
            return LoadResult(None, [LoadIssue(f"nesting deeper than {MAX_DEPTH} levels",
                                               mark.line + 1, mark.column + 1)])
    gc_was = gc.isenabled()
    gc.disable()  # the cyclic GC dominates composing large documents
    try:
        try:
            node = over = error = None
            if counted:
                node = yaml.compose(text, Loader=_Loader)
            else:
                # The budget leaves room for what the event count also counts at any point of
                # the stream: the open collections (at most the depth bound) and the aliases
                # (each needs a ``*``). So when it holds, the event count could not have found
                # more than ``max_nodes`` before the end or an error; when it trips, it decides.
                try:
                    node = _compose_within(text, max(max_nodes - deep - text.count("*"), 0))
                except StopIteration:
                    over = True
            if over:   # outside the handler: the partial tree is gone
                failed = _node_limit(text, fmt, filename, max_nodes)
                if failed is not None:
                    return failed
                counted = True   # a composer error below need not count again
                node = yaml.compose(text, Loader=_Loader)
        except yaml.YAMLError as exc:
            error = exc
        except RecursionError:
            return LoadResult(None, [LoadIssue(f"nesting deeper than {MAX_DEPTH} levels")])
        if error is not None:
            # the events may hold more than ``max_nodes`` nodes before the composer's own
            # errors (an undefined alias, a second document) or past an uncounted budget:
            # counting first would have reported that
            failed = None if counted else _node_limit(text, fmt, filename, max_nodes)
            return failed or _yaml_failure(error, fmt, text, filename)
        if node is None:
            return LoadResult(Document(filename, text, None, SourceMap(), fmt), [])
        anchors = "&" in text
        b = _Builder(max_nodes, consume=not anchors)
        unique, expanded = _sizes(node) if anchors else (0, 0)
        if expanded > unique + MAX_ALIAS_EXPANSION or expanded > max_nodes:
            return LoadResult(None, [LoadIssue(
                f"aliases expand the document from {unique} to {expanded} nodes, over the limit "
                f"(alias expansion bomb?)")])
        try:
            data = b.build(node, (), 0)
        except _Budget as exc:
            return LoadResult(None, [exc.issue()])
        except RecursionError:
            return LoadResult(None, [LoadIssue(f"nesting deeper than {MAX_DEPTH} levels")])
    finally:
        if gc_was:
            gc.enable()
    return LoadResult(Document(filename, text, data, b.src, fmt), b.issues)


def _yaml_failure(exc: yaml.YAMLError, fmt: str, text: str, filename: str) -> LoadResult:
    """Valid JSON that libyaml rejects keeps its data without positions; YAML gets its error."""
    if fmt == "json":
        return _json_without_positions(text, filename)
    return LoadResult(None, [_err_from_yaml(exc)])


def _json_without_positions(text: str, filename: str) -> LoadResult:
    data = json.loads(text, parse_int=_json_int)
    return LoadResult(Document(filename, text, data, SourceMap(), "json"), [])


def _json_int(s: str):
    """A JSON integer as an int, or as its text when too long to be an int (see _MAX_INT_DIGITS)."""
    return int(s) if len(s) <= _MAX_INT_DIGITS else s


def load_file(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> LoadResult:
    try:
        with open(path, "rb") as fh:
            raw = fh.read(max_bytes + 1)
    except OSError as exc:
        return LoadResult(None, [LoadIssue(f"cannot read file: {exc.strerror or exc}")])
    return load_bytes(raw, path, max_bytes=max_bytes)

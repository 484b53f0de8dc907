"""Bucket names: every possible `BucketName` of every general purpose bucket, graded once.

S3 general purpose bucket names live in one namespace per partition, shared by every AWS
account. This view evaluates each `AWS::S3::Bucket` `BucketName` through the symbolic evaluator
(every `Fn::If` branch, every parameter default and AllowedValue) and grades each possible
value:

``fixed``        a string that is the same in every account, region and stack;
``unqualified``  built from parameters (defaults / AllowedValues, or no default at all: the
                 name is whatever the deployer passes), mappings, environment words or the
                 region, with nothing unique to the account or the stack;
``qualified``    includes `AWS::AccountId`, `AWS::StackName` or part of `AWS::StackId`, or lives
                 in the account regional namespace (suffix `-<account>-<region>-an`, or
                 `BucketNamespace: account-regional`);
``unknown``      depends on something slint cannot see (a parameter with no default, a resource
                 attribute, an import): never graded;
``empty``        an empty string, which CloudFormation treats as "generate a name".

It also splits each value into literal segments and placeholders, so that naming-rule checks
look only at the parts the template fixes, and gives comparable keys for duplicate detection
(within one template, and across the templates of a run through picklable facts).

`AWS::S3Express::DirectoryBucket` is not graded: its names are scoped to one zone and carry a
mandatory `--zone-id--x-s3` suffix, a different namespace with different rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from itertools import product
from typing import TYPE_CHECKING, Any, Iterator

from ..model.conditions import OTHER as _OTHER
from ..model.values import EMPTY, Scenario, SValue

if TYPE_CHECKING:  # pragma: no cover
    from ..model.template import Resource, Template
    from ..model.values import Evaluator
    from ..source import SourceMap

BUCKET_TYPES = ("AWS::S3::Bucket",)

ACCOUNT = "AWS::AccountId"
REGION = "AWS::Region"
STACK_NAME = "AWS::StackName"
STACK_ID = "AWS::StackId"

# shortest possible value of a placeholder, for the length lower bound
_MIN_LEN = {ACCOUNT: 12, REGION: 9, STACK_NAME: 1}

# account regional namespace suffix: -<12-digit account>-<region code>-an
_REGION_CODE = r"[a-z]{2}(?:-[a-z]+)+-\d+"
_ACCOUNT_REGIONAL = re.compile(
    r"-(?:\d{12}|\{AWS::AccountId\})-(?:" + _REGION_CODE + r"|\{AWS::Region\})-an$")

# placeholders whose text names one exact value within one template
# (a bare name is precise only when it is a parameter of the template)
# (``Parent.X``: one resource of a parent stack, passed down as a parameter; ``Stack.X``:
# one resource another stack of the same CDK assembly exports)
_PRECISE = re.compile(r"^(?:AWS::\w+|Ref:[\w-]+|GetAtt:[\w-]+\.[\w.-]+|Import:[^{}]+"
                      r"|[A-Za-z][\w-]*\.[\w.-]+)$")
# placeholders that take the same value in every template deployed to one account and region
_SHARED_ACROSS_STACKS = {ACCOUNT, REGION}

FIXED = "fixed"
UNQUALIFIED = "unqualified"
QUALIFIED = "qualified"
UNKNOWN = "unknown"
EMPTY_NAME = "empty"


@dataclass(frozen=True)
class Segment:
    literal: bool
    text: str        # the literal text, or the placeholder's inside (``AWS::Region``)


@dataclass(frozen=True)
class NameValue:
    """One possible value of a bucket's name."""
    text: str                     # with ``{...}`` placeholders for unknown parts
    segments: tuple[Segment, ...]
    scenario: Scenario            # conditions (from ``Fn::If``) under which this is the name
    path: tuple                   # document path of the most specific node that wrote it
    grade: str                    # FIXED | UNQUALIFIED | QUALIFIED | UNKNOWN | EMPTY_NAME
    pseudo: tuple = ()            # pseudo parameters in it
    from_param: tuple = ()        # parameters whose Default / AllowedValues gave part of it
    mapping: bool = False         # a mapping lookup with a key slint could not fix
    missing: tuple = ()           # for UNQUALIFIED: qualifiers it lacks ("account", ...)
    opaque: tuple = ()            # the parts slint cannot see (UNKNOWN when nothing qualifies)
    strict_grade: str = ""        # the grade when account and region are both required
    strict_missing: tuple = ()

    @property
    def fully_known(self) -> bool:
        return all(s.literal for s in self.segments)

    @property
    def placeholders(self) -> tuple[str, ...]:
        return tuple(s.text for s in self.segments if not s.literal)

    def min_length(self) -> int:
        return sum(len(s.text) if s.literal else _MIN_LEN.get(s.text, 0) for s in self.segments)


@dataclass
class BucketName:
    """A general purpose bucket that sets `BucketName`."""
    resource: "Resource"
    path: tuple                                   # document path of the BucketName value
    values: list[NameValue] = field(default_factory=list)
    account_regional: bool = False                # BucketNamespace: account-regional
    accelerated: bool = False                     # Transfer Acceleration enabled

    @property
    def logical_id(self) -> str:
        return self.resource.logical_id

    def graded(self, *grades: str) -> list[NameValue]:
        return [v for v in self.values if v.grade in grades]


@dataclass(frozen=True)
class Collision:
    """Two buckets of one template that can get the same name."""
    bucket: BucketName
    value: NameValue
    other: BucketName
    other_value: NameValue
    scenario: Scenario


@dataclass(frozen=True)
class CollisionGroup:
    """A bucket value and the other buckets of the template that can get the same name, in
    one scenario: ``others`` are the first few ``(bucket, value)``, ``count`` how many."""
    bucket: BucketName
    value: NameValue
    scenario: Scenario
    others: tuple
    count: int


class BucketNameView:
    def __init__(self, template: "Template", values: "Evaluator", source: "SourceMap"):
        self.template = template
        self.values = values
        self.source = source   # where a bucket name is written (rows locate it)
        self._tested: set | None = None
        self.buckets: list[BucketName] = []
        for res in template.of_type(*BUCKET_TYPES):
            if res.implicit or "BucketName" not in res.properties:
                continue
            self.buckets.append(self._bucket(res))

    # ---------------------------------------------------------------- building
    def _bucket(self, res: "Resource") -> BucketName:
        path = res.doc_path(("Properties", "BucketName"))
        b = BucketName(res, path)
        ev = self.values
        ns = [v.text for v in ev.strings(res.prop("BucketNamespace"))] \
            if res.prop("BucketNamespace") is not None else []
        b.account_regional = bool(ns) and all(t == "account-regional" for t in ns)
        acc = res.prop("AccelerateConfiguration", "AccelerationStatus")
        b.accelerated = acc is not None and all(v.known and v.text == "Enabled"
                                                for v in ev.strings(acc))
        exists = frozenset({(res.condition, True)}) if res.condition else EMPTY
        for node, npath, scen in _alternatives(res.prop("BucketName"), path, EMPTY, ev.join):
            for sv in self._possible(node, scen, exists):
                b.values.append(self._grade(sv, npath, b.account_regional))
        return b

    def _possible(self, node: Any, scen: Scenario, exists: Scenario) -> list[SValue]:
        """The values of ``node`` that can hold together with their scenario while the bucket
        exists. When a value under a condition takes a parameter's Default/AllowedValues and
        the conditions test that parameter, each value of the parameter is tried in turn, so
        that `!If [IsProd, !Sub "app-${Env}", ...]` keeps only `app-prod`."""
        ev = self.values
        vals = ev.strings(node, scen)
        tested = self._tested_params()
        bind = sorted({p for v in vals if v.scenario or exists for p in v.from_param
                       if p in tested})
        if not bind:
            out = []
            for sv in vals:
                both = ev.join(sv.scenario, exists)
                if both is not None and self.satisfiable(both):
                    out.append(sv)
            return out
        choices = [_candidates(self.template.parameters[p]) for p in bind]
        combos = list(product(*choices))
        if len(combos) > _MAX_ASSIGNMENTS:
            return [sv for sv in vals if ev.compatible(sv.scenario, exists)]
        out: dict[tuple, SValue] = {}
        for combo in combos:
            fixed = tuple(zip(bind, combo))
            fev = type(ev)(_FixedParams(self.template, dict(fixed)), solver=ev.solver)
            for sv in fev.strings(node, scen):
                both = ev.join(sv.scenario, exists)
                if both is not None and self.satisfiable(both, fixed):
                    out.setdefault((sv.text, sv.scenario), sv)
        return list(out.values())

    def _tested_params(self) -> set:
        """Parameters that some condition compares (memoised)."""
        if self._tested is None:
            found: set = set()
            stack = [self.template.conditions]
            while stack:
                n = stack.pop()
                if isinstance(n, dict):
                    ref = n.get("Ref") if len(n) == 1 else None
                    if isinstance(ref, str) and ref in self.template.parameters:
                        found.add(ref)
                    stack.extend(n.values())
                elif isinstance(n, list):
                    stack.extend(n)
            self._tested = found
        return self._tested

    def _grade(self, sv: SValue, path: tuple, account_regional: bool) -> NameValue:
        segs = split_segments(sv)
        base = dict(text=sv.text, segments=segs, scenario=sv.scenario, path=path,
                    pseudo=sv.pseudo, from_param=sv.from_param)
        if sv.known and sv.text == "":
            return NameValue(grade=EMPTY_NAME, strict_grade=EMPTY_NAME, **base)
        placeholders = [s.text for s in segs if not s.literal]
        pseudo = set(sv.pseudo) | {p for p in placeholders if p.startswith("AWS::")}
        opaque = tuple(dict.fromkeys(
            p for p in placeholders if p not in (ACCOUNT, REGION, STACK_NAME, STACK_ID)))
        mapping = bool(sv.params) and not placeholders   # FindInMap over an unknown key
        namespaced = account_regional or bool(_ACCOUNT_REGIONAL.search(sv.text))
        params = self.template.parameters
        # every unseen part is a plain parameter with no default (not an SSM parameter, whose
        # value is in Parameter Store): the deployer chooses the name
        free = bool(opaque) and all(
            p in sv.params and p in params and not params[p].has_default
            and params[p].given is None   # not a value a parent stack passes
            and not (params[p].type or "").startswith("AWS::SSM::") for p in opaque)
        grade, missing = _grade(pseudo, opaque, sv, mapping, namespaced, strict=False, free=free)
        sgrade, smissing = _grade(pseudo, opaque, sv, mapping, namespaced, strict=True, free=free)
        return NameValue(grade=grade, missing=missing, strict_grade=sgrade,
                         strict_missing=smissing, mapping=mapping, opaque=opaque, **base)

    # ---------------------------------------------------------------- conditions
    def satisfiable(self, scenario: Scenario, fixed: tuple = ()) -> bool:
        """False only when no choice of parameter values makes every condition of
        ``scenario`` hold as required (conditions built from `Fn::Equals` on parameters and
        literals, `Fn::Not`, `Fn::And`, `Fn::Or`, `Condition`); anything else counts as
        possible. ``fixed``: ``((parameter, value), ...)`` already chosen."""
        return self.values.solver.possible(frozenset(scenario), fixed)

    # ---------------------------------------------------------------- queries
    def collisions(self) -> list[Collision]:
        """Pairs of buckets of this template that can get the same name in one scenario
        (each pair reported from both sides). Quadratic in the buckets sharing a name: rules
        use ``collision_groups``."""
        return [Collision(g.bucket, g.value, other, ov, g.scenario)
                for g in self.collision_groups(limit=None) for other, ov in g.others]

    def collision_groups(self, limit: int | None = 10) -> list["CollisionGroup"]:
        """For each bucket value that another bucket can share, in one scenario: the others
        (the first ``limit``, in template order) and how many there are. Linear in the buckets:
        values with the same text and the same scenario form a class, and only classes are
        paired (their joint scenario solved once per pair of classes, not per pair of
        buckets)."""
        by_text: dict[str, list[tuple[BucketName, NameValue]]] = {}
        for b in self.buckets:
            for v in b.values:
                if v.grade != EMPTY_NAME and comparable(
                        v, within_template=True, params=self.template.parameters):
                    by_text.setdefault(v.text, []).append((b, v))
        out: list[CollisionGroup] = []
        seen: set = set()
        for text in sorted(by_text):
            group = by_text[text]
            if len({id(b) for b, _ in group}) < 2:
                continue
            pos = {id(v): i for i, (_b, v) in enumerate(group)}
            classes: dict[Scenario, list[tuple[BucketName, NameValue]]] = {}
            for b, v in group:
                classes.setdefault(v.scenario | _res_scen(b), []).append((b, v))
            # class -> {joint scenario: the other classes it meets in it}
            meets: dict[Scenario, dict[Scenario, list[Scenario]]] = {}
            for sa in classes:
                for sb in classes:
                    scen = (sa or sb) and self.values.join(sa, sb)
                    if scen is None or not self.satisfiable(scen):
                        continue
                    meets.setdefault(sa, {}).setdefault(scen, []).append(sb)
            members: dict[tuple, dict[int, tuple[BucketName, NameValue]]] = {}
            for sa, by_scen in meets.items():
                for scen, sbs in by_scen.items():
                    firsts: dict[int, tuple[BucketName, NameValue]] = {}
                    for sb in sbs:        # the buckets in that scenario, first value of each
                        for b, v in classes[sb]:
                            if id(b) not in firsts or pos[id(v)] < pos[id(firsts[id(b)][1])]:
                                firsts[id(b)] = (b, v)
                    members[(sa, scen)] = dict(sorted(   # in template order
                        firsts.items(), key=lambda kv: pos[id(kv[1][1])]))
            for b, v in group:
                sa = v.scenario | _res_scen(b)
                for scen in meets.get(sa, {}):
                    key = (id(b), v.path, scen)
                    if key in seen:   # one group per bucket, branch and scenario is enough
                        continue
                    ms = members[(sa, scen)]
                    count = len(ms) - (id(b) in ms)
                    if count == 0:
                        continue
                    seen.add(key)
                    others = []
                    for oid, ov in ms.items():
                        if limit is not None and len(others) >= limit:
                            break
                        if oid != id(b):
                            others.append(ov)
                    out.append(CollisionGroup(b, v, scen, tuple(others), count))
        return out

    def facts(self) -> list[tuple]:
        """Picklable facts for cross-template duplicates: one row per bucket,
        ``(logical_id, line, column, end_line, end_column, path, names)`` with ``names`` the
        sorted ``(text, parameters)`` pairs that another stack in the same account and region
        could also produce (``parameters``: those whose Default / AllowedValues gave part of
        the text)."""
        rows = []
        for b in self.buckets:
            names: dict[str, set] = {}
            for v in b.values:
                if v.grade != EMPTY_NAME and comparable(v, within_template=False):
                    names.setdefault(v.text, set()).update(v.from_param)
            if not names:
                continue
            span, _ = self.source.locate(b.path)
            rows.append((b.logical_id, span.line, span.column, span.end_line, span.end_column,
                         tuple(b.path),
                         tuple((t, tuple(sorted(names[t]))) for t in sorted(names))))
        return rows


# -------------------------------------------------------------------- helpers
def _grade(pseudo: set, opaque: tuple, sv: SValue, mapping: bool, namespaced: bool, *,
           strict: bool, free: bool = False) -> tuple[str, tuple]:
    """(grade, missing qualifiers). Default: the account, the stack name or the stack id
    qualifies a name. Strict: the account and the region both, or the stack id (a GUID)."""
    if namespaced:
        return QUALIFIED, ()
    has_account, has_region = ACCOUNT in pseudo, REGION in pseudo
    has_stack, has_stack_id = STACK_NAME in pseudo, STACK_ID in pseudo
    if strict:
        if has_stack_id or (has_account and has_region):
            return QUALIFIED, ()
        missing = tuple(q for q, have in (("account", has_account), ("region", has_region))
                        if not have)
    else:
        if has_account or has_stack or has_stack_id:
            return QUALIFIED, ()
        missing = ("account", "stack")
    if opaque:
        # a name made only of parameters with no default (and literals, the region): whatever
        # the deployer passes, with nothing unique to the account or the stack
        if free:
            return UNQUALIFIED, missing
        return UNKNOWN, ()
    if sv.from_param or mapping or has_region or has_account or has_stack:
        return UNQUALIFIED, missing
    return FIXED, missing


def _res_scen(b: BucketName) -> Scenario:
    cond = b.resource.condition
    return frozenset({(cond, True)}) if cond else EMPTY


_MAX_ASSIGNMENTS = 512


def _candidates(p) -> list[str]:
    if p.allowed_values:
        return [_scalar(v) for v in p.allowed_values if isinstance(v, (str, int, float, bool))]
    if p.has_default and isinstance(p.default, (str, int, float, bool)):
        return [_scalar(p.default)]
    return [_OTHER]


class _FixedParams:
    """A template seen with some parameters fixed to one value each."""

    def __init__(self, template, fixed: dict):
        self._t = template
        self.parameters = dict(template.parameters)
        for name, value in fixed.items():
            if value != _OTHER:
                self.parameters[name] = replace(template.parameters[name],
                                                allowed_values=[value])

    def __getattr__(self, name):
        return getattr(self._t, name)


def _scalar(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def comparable(v: NameValue, *, within_template: bool, params: Any = ()) -> bool:
    """Whether equal texts mean equal names. Within a template every exact placeholder (a
    pseudo parameter, a parameter, a resource reference) has one value; across templates only
    the account and region are shared (by stacks deployed to the same place)."""
    for p in v.placeholders:
        if within_template:
            if not (_PRECISE.match(p) or p in params):
                return False
        elif p not in _SHARED_ACROSS_STACKS:
            return False
    return True


def split_segments(sv: SValue) -> tuple[Segment, ...]:
    """Literal text and top-level ``{...}`` placeholders of a value."""
    if sv.known:
        return (Segment(True, sv.text),) if sv.text else ()
    out: list[Segment] = []
    buf: list[str] = []
    depth = 0
    for ch in sv.text:
        if ch == "{":
            if depth == 0 and buf:
                out.append(Segment(True, "".join(buf)))
                buf = []
            elif depth > 0:
                buf.append(ch)
            depth += 1
            continue
        if ch == "}" and depth > 0:
            depth -= 1
            if depth == 0:
                out.append(Segment(False, "".join(buf)))
                buf = []
            else:
                buf.append(ch)
            continue
        buf.append(ch)
    if buf:
        # an unclosed brace: everything after it is unknown
        out.append(Segment(depth == 0, "".join(buf)))
    return tuple(out)


def _alternatives(node: Any, path: tuple, scen: Scenario,
                  join) -> Iterator[tuple[Any, tuple, Scenario]]:
    """``(node, document path, scenario)`` for each branch of top-level ``Fn::If``s;
    ``AWS::NoValue`` branches (CloudFormation generates the name) are dropped. A ``Fn::Sub``
    points at its string."""
    if isinstance(node, dict) and len(node) == 1:
        (fn, arg), = node.items()
        if fn == "Fn::If" and isinstance(arg, list) and len(arg) == 3 and isinstance(arg[0], str):
            for val, idx in ((True, 1), (False, 2)):
                s = join(scen, frozenset({(arg[0], val)}))
                if s is not None:
                    yield from _alternatives(arg[idx], path + ("Fn::If", idx), s, join)
            return
        if fn == "Ref" and arg == "AWS::NoValue":
            return
        if fn == "Fn::Sub":
            if isinstance(arg, str):
                yield node, path + ("Fn::Sub",), scen
                return
            if isinstance(arg, list) and arg and isinstance(arg[0], str):
                yield node, path + ("Fn::Sub", 0), scen
                return
    yield node, path, scen


# -------------------------------------------------------------------- naming rules
_IP = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")
_RESERVED_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
_RESERVED_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")
_UPPER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_ALLOWED = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.-")


def naming_problems(v: NameValue, *, account_regional: bool = False,
                    accelerated: bool = False) -> list[str]:
    """What breaks the general purpose bucket naming rules in the parts of ``v`` the template
    fixes; placeholders are never judged (their minimum length counts toward the maximum)."""
    segs = v.segments
    if not segs:
        return []
    lits = [s.text for s in segs if s.literal]
    lit = "".join(lits)
    problems: list[str] = []
    upper = sorted({c for c in lit if c in _UPPER})
    if upper:
        problems.append("uppercase letters (" + ", ".join(upper) + ")")
    bad = sorted({c for c in lit if c not in _ALLOWED and c not in _UPPER})
    if bad:
        problems.append("characters other than a-z, 0-9, `.` and `-` ("
                        + " ".join("space" if c == " " else repr(c)[1:-1] for c in bad) + ")")
    if v.fully_known:
        if len(lit) < 3:
            problems.append(f"{len(lit)} characters long (minimum 3)")
        elif len(lit) > 63:
            problems.append(f"{len(lit)} characters long (maximum 63)")
        if _IP.match(lit):
            problems.append("formatted as an IP address")
    else:
        n = v.min_length()
        if n > 63:
            problems.append(f"at least {n} characters long (maximum 63)")
    first, last = segs[0], segs[-1]
    if first.literal and first.text:
        c = first.text[0]
        if c in ".-":
            problems.append(f"starts with `{c}` (must start with a letter or digit)")
        for pre in _RESERVED_PREFIXES:
            if first.text.startswith(pre):
                problems.append(f"starts with the reserved prefix `{pre}`")
    if last.literal and last.text:
        c = last.text[-1]
        if c in ".-":
            problems.append(f"ends with `{c}` (must end with a letter or digit)")
        for suf in _RESERVED_SUFFIXES:
            if last.text.endswith(suf):
                problems.append(f"ends with the reserved suffix `{suf}`")
        if account_regional and not last.text.endswith("-an"):
            problems.append("does not end with `-an`, required in the account regional namespace")
    if any(".." in s for s in lits):
        problems.append("two adjacent periods")
    if accelerated and "." in lit:
        problems.append("periods, which Transfer Acceleration does not allow")
    return problems

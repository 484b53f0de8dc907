"""Parts of a normalised policy statement: actions, resources, principals, conditions.

Each part keeps its :class:`~slint.model.values.SValue` (``sv``: refs, parameters, unknown-ness),
the document path it was written at and the condition scenario it holds in. ``show(text)`` is the
one renderer of placeholder values for messages (``arn:aws:s3:::${Bucket}/${AWS::Region}``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from .. import iamdb
from ..model.values import EMPTY, SValue
from . import keys as K

ANY = "any"            # "*" (or an ARN whose service is a wildcard)
SERVICE = "service"    # every resource of a service / type: arn:aws:s3:::*, ...:table/*
SCOPED = "scoped"      # one resource, a prefix, a reference to a resource of the template
                       # (or of a parent stack, passed down as a parameter)
UNKNOWN = "unknown"    # a parameter without default / an import: cannot tell


def show(text: str) -> str:
    """``arn:aws:s3:::{Ref:B}/{AWS::Region}`` -> ``arn:aws:s3:::${B}/${AWS::Region}``."""
    def one(m: re.Match) -> str:
        inner = m.group(0)[1:-1]
        for pre in ("Ref:", "GetAtt:"):
            if inner.startswith(pre):
                inner = inner[len(pre):]
        return "${" + inner + "}"
    return _PLACEHOLDER.sub(one, text)


def _unknown_reason(sv: SValue | None) -> str:
    if sv is None:
        return ""
    if sv.params:
        return "depends on parameter " + ", ".join(f"`{p}`" for p in sv.params)
    if sv.imports:
        return "depends on imported value " + ", ".join(f"`{p}`" for p in sv.imports)
    return "cannot be evaluated"


# --------------------------------------------------------------------------- values


@dataclass(frozen=True, slots=True)
class Action:
    """One action pattern as written (``s3:GetObject``, ``s3:Put*``, ``*``). ``sv`` is None
    for a literal string (known, no references): a policy may list 400 000 of them."""
    text: str
    path: tuple
    scenario: frozenset = EMPTY
    sv: SValue | None = None

    @property
    def known(self) -> bool:
        return self.sv is None or self.sv.known

    @property
    def unknown_reason(self) -> str:
        return "" if self.known else _unknown_reason(self.sv)

    @property
    def is_all(self) -> bool:
        """``*`` (or ``*:*``): every action of every service."""
        return "*" in self.text and self.known and self.text.strip() in ("*", "*:*")

    @property
    def service(self) -> str | None:
        svc, sep, _ = self.text.partition(":")
        return svc.lower() if sep and "*" not in svc and "?" not in svc else None

    @property
    def is_service_wildcard(self) -> bool:
        """``service:*``: every action of one service."""
        if "*" not in self.text or not self.known:
            return False
        svc, sep, name = self.text.strip().partition(":")
        return bool(sep) and svc not in ("", "*") and name.strip("*") == "" and name != ""

    @property
    def is_wildcard(self) -> bool:
        """``*`` or ``service:*`` (both need a ``*``: most actions are told apart by that)."""
        return "*" in self.text and (self.is_all or self.is_service_wildcard)

    def infos(self) -> tuple:
        """The database actions this pattern matches (() if unknown)."""
        if not self.known:
            return ()
        return iamdb.expand(self.text.strip())

    def matches(self, action: str) -> bool:
        """Does this pattern cover ``action`` (``service:Name``)? IAM wildcard semantics."""
        if not self.known:
            return False
        pat, act = self.text.strip().lower(), action.lower()
        i = pat.find(":")
        if i > 0 and "*" not in pat[:i] and "?" not in pat[:i] and act[:i + 1] != pat[:i + 1]:
            return False  # another service: most comparisons end here, without a regex
        return wildcard_match(pat, act)


_PATTERNS: dict[str, re.Pattern] = {}


def wildcard_match(pattern: str, text: str) -> bool:
    """IAM wildcard match (``*`` any run, ``?`` one character). A regex for ordinary patterns;
    a linear two-pointer match when a pattern has many ``*`` (a regex would backtrack
    polynomially in the number of stars: a hostile template must not stall the run)."""
    if pattern.count("*") <= 4:
        return _pattern(pattern).fullmatch(text) is not None
    p = t = 0
    star = mark = -1
    while t < len(text):
        if p < len(pattern) and pattern[p] in ("?", text[t]):
            p += 1
            t += 1
        elif p < len(pattern) and pattern[p] == "*":
            star, mark = p, t
            p += 1
        elif star >= 0:
            p = star + 1
            mark += 1
            t = mark
        else:
            return False
    while p < len(pattern) and pattern[p] == "*":
        p += 1
    return p == len(pattern)


def _pattern(p: str) -> re.Pattern:
    rx = _PATTERNS.get(p)
    if rx is None:
        src = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in p.lower())
        rx = _PATTERNS[p] = re.compile(src)
    return rx


_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_SERVICE_WIDE_REST = re.compile(r"^(?:[A-Za-z][A-Za-z0-9_.-]*[/:])?[*/:]*\*[*/:]*$")


def _service_wide(service: str, rest: str) -> bool:
    """Does the resource part ``rest`` of an ARN of ``service`` cover every resource (of a
    type)? ``*``, ``*/*``, ``table/*``, ``function:*``, ``log-group:*``, ``table/*/index/*``,
    ``*/@connections/*`` (every connection of every WebSocket API); not ``my-bucket/*``, nor
    ``abc123/*`` (an API id), nor ``${Api}/*`` (a placeholder is one name)."""
    if rest.strip("*/:") == "" and "*" in rest:
        return True
    prefixes = _type_prefixes(service.lower())
    if prefixes is None:   # service unknown to the database: any word prefix
        return bool(_SERVICE_WIDE_REST.match(rest))
    for pre in prefixes:
        if rest.startswith(pre):
            tail = rest[len(pre):]
            if tail and tail.strip("*/:") == "" and "*" in tail:
                return True
    return "*" in rest and _covers_a_form(service.lower(), rest)


_SHAPE_VAR = re.compile(r"\$\{[^}]*\}")
_WILD = re.compile(r"[*?]+")
# names no literal of a pattern can match: one character, and several with separators
_ODD_NAMES = ("\x01", "\x01\x01/\x01:\x01")


@lru_cache(maxsize=None)
def _forms(service: str) -> tuple:
    """(text of every form, [(sample with one-character names, sample with long names)]) of
    the service's resource parts that have a variable, lower-cased."""
    parts = [p for p in iamdb.service_resource_parts(service) if "${" in p]
    samples = [tuple(_SHAPE_VAR.sub(n, p).lower() for n in _ODD_NAMES) for p in parts]
    return "\n".join(s for s, _l in samples), samples


@lru_cache(maxsize=4096)
def _covers_a_form(service: str, rest: str) -> bool:
    """Does the IAM pattern ``rest`` (``*`` any run, ``?`` one character; a placeholder,
    already ``#``, is one fixed name) match every resource part of one of the service's forms
    (``table/${TableName}/index/${IndexName}``, :func:`slint.iamdb.service_resource_parts`)?
    Each variable is tried as a name that only wildcards can match, short and long with ``/``
    and ``:`` in it; a form without variables (a singleton) is never covered. A literal piece
    of the pattern that no form holds rules it out without a match (a template may hold
    thousands of distinct ARNs)."""
    pat = _PLACEHOLDER.sub("#", rest).lower()
    pieces = [c for c in _WILD.split(pat) if c]
    text, samples = _forms(service)
    if any(c not in text for c in pieces):
        return False
    match = wildcard_match if "?" in pat else _star_match
    return any(all(c in short for c in pieces) and match(pat, short) and match(pat, long)
               for short, long in samples)


def _star_match(pat: str, text: str) -> bool:
    """``pat`` (``*`` wildcards only) matches all of ``text``: its first piece starts the text,
    its last ends it, and the others are found in order between them (leftmost is enough)."""
    if "*" not in pat:
        return pat == text
    first, *mid, last = pat.split("*")
    end = len(text) - len(last)
    if end < len(first) or not text.startswith(first) or not text.endswith(last):
        return False
    pos = len(first)
    for piece in mid:
        i = text.find(piece, pos, end)
        if i < 0:
            return False
        pos = i + len(piece)
    return True


_PREFIX_CACHE: dict[str, tuple | None] = {}


def _type_prefixes(service: str) -> tuple | None:
    """Literal resource-type prefixes of a service's ARNs (``table/``, ``function:``), longest
    first, from the IAM database; None for an unknown service."""
    if service in _PREFIX_CACHE:
        return _PREFIX_CACHE[service]
    out: set = set()
    known = iamdb.is_known_service(service)
    if known:
        rtypes = {rt for a in iamdb.service_actions(service) for rt in a.resource_types}
        for rt in rtypes:
            arn = iamdb.resource_type_arn(service, rt) or ""
            parts = arn.split(":", 5)
            if len(parts) < 6:
                continue
            lit = parts[5].split("${", 1)[0]
            if lit and lit[-1] in "/:":
                out.add(lit)
    res = tuple(sorted(out, key=lambda x: (-len(x), x))) if known else None
    _PREFIX_CACHE[service] = res
    return res


@dataclass(frozen=True)
class ResourceValue:
    """One resource value (``*``, an ARN, a reference) with its classification."""
    text: str
    path: tuple
    scenario: frozenset = EMPTY
    sv: SValue | None = None

    @cached_property
    def kind(self) -> str:
        sv = self.sv
        text = self.text.strip()
        if sv is not None and not sv.known and sv.is_placeholder_only and not sv.refs \
                and not sv.pseudo and not sv.outer \
                and (sv.params or sv.imports or not text.startswith("{Ref:")):
            # a parameter, an import, or an intrinsic slint cannot evaluate; a Ref to a name
            # (SAM's `Fn.Alias`, `Fn.Version`) is one resource, and so is a parent stack's
            # resource passed as a parameter (``{Parent.Table.Arn}``)
            return UNKNOWN
        if text == "*":
            return ANY
        if sv is not None and sv.single_ref():
            return SCOPED
        flat = _PLACEHOLDER.sub("#", text)   # a placeholder is one (unknown) name, never a wildcard
        if flat.startswith("arn:"):
            parts = flat.split(":", 5)
            if len(parts) == 6:
                if "*" in parts[2]:
                    return ANY
                if _service_wide(parts[2], parts[5]):
                    return SERVICE
            elif flat.rstrip("*:") in ("arn", "arn:aws", "arn:#") or flat == "arn:*":
                return ANY
        elif flat.strip("*") == "" and flat:
            return ANY
        return SCOPED

    @property
    def broad(self) -> bool:
        return self.kind in (ANY, SERVICE)

    @property
    def unknown_reason(self) -> str:
        return _unknown_reason(self.sv) if self.kind == UNKNOWN else ""

    @property
    def display(self) -> str:
        """The value as a reader would write it: placeholders in ``${...}`` form."""
        t = show(self.text)
        return t if len(t) <= 90 else t[:87] + "..."

    @property
    def from_param(self) -> tuple:
        return self.sv.from_param if self.sv is not None else ()


@dataclass(frozen=True)
class PrincipalValue:
    """One principal of a trust or resource policy: kind is ``*`` (``Principal: "*"``), ``AWS``,
    ``Service``, ``Federated`` or ``CanonicalUser``."""
    kind: str
    text: str
    path: tuple
    scenario: frozenset = EMPTY
    sv: SValue | None = None

    @property
    def known(self) -> bool:
        return self.sv is None or self.sv.known

    @property
    def is_public(self) -> bool:
        """Anyone: ``"*"`` or ``{AWS: "*"}``."""
        return self.known and self.text.strip() == "*" and self.kind in ("*", "AWS", "CanonicalUser")


@dataclass(frozen=True)
class Condition:
    """One ``operator: {key: values}`` test of a statement's ``Condition``. ``key`` is as written
    (compare with ``key_l``); ``values`` are SValues, a Sub's unknown parts kept unknown."""
    operator: str
    key: str
    values: tuple          # SValue
    path: tuple

    @property
    def key_l(self) -> str:
        return self.key.lower()

    @cached_property
    def _parts(self) -> tuple[str, str, bool]:
        op = self.operator.lower()
        if_exists = op.endswith("ifexists")
        if if_exists:
            op = op[:-len("ifexists")]
        qualifier = ""
        if ":" in op:
            qualifier, op = op.split(":", 1)
        return qualifier, op, if_exists

    @property
    def op(self) -> str:
        """The base operator, lower case: ``stringequals`` for ``ForAnyValue:StringEqualsIfExists``."""
        return self._parts[1]

    @property
    def qualifier(self) -> str:
        """``foranyvalue`` / ``forallvalues`` / ``""``."""
        return self._parts[0]

    @property
    def if_exists(self) -> bool:
        return self._parts[2]

    @property
    def positive(self) -> bool:
        """A matching operator (not a negation, not ``...IfExists``, not ``Null``)."""
        op = self.operator.split(":")[-1]
        return "Not" not in op and not op.endswith("IfExists") and op != "Null"

    @property
    def limits_resources(self) -> bool:
        """A positive test of a key limiting which resources an identity statement reaches,
        against a value that is not just ``*``."""
        return self.positive and bool(self.values) and K.resource_key(self.key) and \
            not any(v.known and v.text.strip() in ("*", "") for v in self.values)

    def fixed(self, strict: bool = False) -> bool:
        """Every value pins the key down (see :mod:`slint.policy.keys` for wildcards)."""
        hit = K.who_key(self.key)
        return hit is not None and (hit[2] or not strict) and bool(self.values) and \
            all(_fixed(self.key_l, hit[1], self.op, sv, strict) for sv in self.values)

    def who(self, strict: bool = False) -> str | None:
        """How this test limits who can call: ``limits`` (an Allow admits only matching callers;
        anonymous callers, who have no principal ARN or account, never match), ``negated`` (a
        Deny shuts out everyone who does not match), or None (limits nobody: another key, a
        wildcard or open value, ``...IfExists`` on an Allow, which an absent key passes,
        ``ForAllValues`` on an Allow, which an absent key passes too)."""
        if K.who_key(self.key) is None or not self.fixed(strict):
            return None
        if self.op in K.POSITIVE_OPS and self.qualifier != "forallvalues" and not self.if_exists:
            return "limits"
        if self.op in K.NEGATIVE_OPS and self.qualifier != "foranyvalue":
            return "negated"
        return None

    @property
    def limits(self) -> bool:
        """This test limits who an Allow admits."""
        return self.who() == "limits"

    @property
    def label(self) -> str:
        hit = K.who_key(self.key)
        return hit[0] if hit else self.key


ConditionEntry = Condition


def _fixed(key: str, kind: str, op: str, sv: SValue, strict: bool) -> bool:
    text = sv.text
    low = text.lower()
    if "${aws:" in low or "${s3:" in low:
        return False   # a policy variable: differs per caller
    if sv.known and text.strip() in ("", "*"):
        return False
    if key == "aws:sourceip":
        return text.strip() not in K.OPEN_IP
    if op not in K.WILDCARD_OPS and not op.endswith("like"):
        return True
    flat = text if sv.known else _PLACEHOLDER.sub("", text)
    if "*" not in flat and "?" not in flat:
        return True
    if kind == K.ARN and (not strict or key == "s3:dataaccesspointarn"):
        parts = _PLACEHOLDER.sub("#", text).split(":")   # {AWS::AccountId} is one field
        if strict:
            return len(parts) >= 5 and "*" not in parts[4] and "?" not in parts[4]
        if len(parts) >= 6 and parts[4]:
            return "*" not in parts[4] and "?" not in parts[4]
        rest = parts[5] if len(parts) >= 6 else ""
        return rest.strip("*?") != "" and not rest.startswith(("*", "?"))
    if kind == K.LOOSE and not strict:
        return flat.strip("*?:/") != ""
    return False


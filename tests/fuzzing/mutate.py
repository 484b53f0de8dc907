"""Mutants of templates, deterministic for a (seed, index) pair.

A mutant is made from one seed template: loaded to plain data with slint's own loader (which
tolerates CloudFormation short tags), mutated at the structure level one to four times, written
back as YAML or JSON, and sometimes mutated at the byte level afterwards. Seeds that do not load
are mutated at the byte level only."""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_SUFFIXES = (".yaml", ".yml", ".json", ".template")

# --------------------------------------------------------------------------- seeds


def corpus_dirs() -> tuple[list[Path], list[str]]:
    """The shared corpus folders found next to the repository (``../shared/corpus``, also one
    level further up for a worktree under ``wt/``), and a reason for each one missing."""
    found, missing = [], []
    for name in ("serverless-patterns", "serverless-framework"):
        for base in (ROOT.parent, ROOT.parent.parent):
            d = base / "shared" / "corpus" / name
            if d.is_dir():
                found.append(d)
                break
        else:
            missing.append(f"corpus {name} not found at ../shared/corpus/{name}")
    return found, missing


def seed_files(include_corpus: bool = True) -> tuple[list[Path], list[str]]:
    """Sorted seed templates (fixtures, then the corpora), and the reasons for missing ones."""
    roots = [ROOT / "fixtures"]
    reasons: list[str] = []
    if include_corpus:
        dirs, reasons = corpus_dirs()
        roots += dirs
    files: list[Path] = []
    for r in roots:
        for p in sorted(r.rglob("*")):
            if p.is_file() and p.suffix.lower() in TEMPLATE_SUFFIXES \
                    and not p.name.endswith(".snap.json") and p.stat().st_size < 2_000_000:
                files.append(p)
    return files, reasons


# --------------------------------------------------------------------------- odd values

ODD_STRINGS = [
    "", " ", "\n", "line1\nline2", "a\r\nb", "\r", "tab\there", "\x00nul", "\x07bell",
    "\x1b[31mred\x1b[0m", "\x1b]8;;http://x\x07link\x1b]8;;\x07", "\x0bvt\x0cff\x1c\x1d\x1e",
    "\x85nel", "a\u2028b\u2029c", "\ud800", "x\udfffy", "\ufeffbom", "\u202eevil", "💥" * 3,
    "::error file=x,line=1::injected", "%0A%25", "]]>", "</failure><x>", "<![CDATA[x]]>",
    "&amp;&#0;", '"quoted\'', "${", "${!Literal}", "${AWS::Region}${Missing}${a.b.c}", "*", "arn:*",
    "arn:aws:s3:::*", "{{resolve:ssm:x}}", "AWS::NoValue", "Fn::If", "-", "1e999", "NaN",
    "2012-10-17", "0x1F", "~", "null", "yes", "!Ref x", "&a", "*a",
]
TYPES = ["AWS::Serverless::Function", "AWS::Serverless::Api", "AWS::Serverless::HttpApi",
         "AWS::Lambda::Function", "AWS::Lambda::Permission", "AWS::IAM::Role", "AWS::IAM::Policy",
         "AWS::IAM::ManagedPolicy", "AWS::S3::Bucket", "AWS::S3::BucketPolicy",
         "AWS::ApiGateway::RestApi", "AWS::ApiGateway::Method", "AWS::ApiGatewayV2::Route",
         "AWS::CloudFront::Distribution", "AWS::Cognito::UserPool", "AWS::Cognito::UserPoolClient",
         "AWS::SNS::TopicPolicy", "AWS::SQS::QueuePolicy", "AWS::CloudFormation::Stack",
         "AWS::Serverless::Application", "Custom::Thing", "AWS::Foo::Bar", "", "AWS::", "::"]
PSEUDO = ["AWS::Region", "AWS::AccountId", "AWS::NoValue", "AWS::Partition", "AWS::URLSuffix",
          "AWS::StackName", "AWS::NotificationARNs", "AWS::Nope"]
WRONG_INTRINSICS = [
    {"Fn::Sub": []}, {"Fn::Sub": [1, 2, 3]}, {"Fn::Sub": ["${x}", []]}, {"Fn::Sub": "${"},
    {"Fn::Sub": "${!x}${x.y.z}${}"}, {"Fn::Sub": ["${A}", {"A": {"Fn::Sub": ["${B}", {"B": 1}]}}]},
    {"Fn::Join": ["x"]}, {"Fn::Join": [1, [1, 2]]}, {"Fn::Join": ["", "notalist"]},
    {"Fn::Join": ["", [{"Ref": "AWS::NoValue"}]]}, {"Fn::Select": [1]},
    {"Fn::Select": ["-1", [1]]}, {"Fn::Select": ["99999999999999999999", ["a"]]},
    {"Fn::Select": [0, {"Fn::Split": [",", {"Ref": "AWS::Region"}]}]},
    {"Fn::Select": [0, {"Fn::Split": []}]}, {"Fn::If": []}, {"Fn::If": ["C"]},
    {"Fn::If": ["C", 1, 2, 3]}, {"Fn::If": [["C"], 1, 2]}, {"Fn::If": [None, 1, 2]},
    {"Fn::GetAtt": []}, {"Fn::GetAtt": "NoDot"}, {"Fn::GetAtt": ["A", "B", "C"]},
    {"Fn::GetAtt": [{"Ref": "x"}, "Arn"]}, {"Ref": []}, {"Ref": {"Ref": "x"}}, {"Ref": None},
    {"Fn::FindInMap": [1, 2]}, {"Fn::FindInMap": ["M", {"Ref": "AWS::Region"}, "k", "extra"]},
    {"Fn::And": []}, {"Fn::Equals": [1]}, {"Fn::Not": [1, 2]}, {"Fn::Or": "x"},
    {"Condition": 5}, {"Condition": ["a"]}, {"Fn::Base64": {"Fn::Base64": []}}, {"Fn::Cidr": []},
    {"Fn::ImportValue": {"Fn::Sub": "${AWS::StackName}-x"}}, {"Fn::ImportValue": []},
    {"Fn::GetAZs": 5}, {"Fn::Transform": {"Name": 1}}, {"Fn::Length": [1]}, {"Fn::ToJsonString": {}},
    {"Ref": "A", "Fn::GetAtt": "B.C"},
]


@dataclass
class Mutant:
    index: int
    seed_file: str
    ops: list
    name: str       # file name, e.g. m00012.yaml
    content: bytes


class _HugeInt:
    """A placeholder for an integer too long for ``str()`` (over 4300 digits); spliced into the
    serialised text afterwards."""


class Mutator:
    def __init__(self, seed: int, seeds: list[Path]):
        self.seed = seed
        self.seeds = seeds
        self._cache: dict[Path, tuple] = {}

    # ----------------------------------------------------------------- entry point
    def mutant(self, index: int) -> Mutant:
        rng = random.Random(f"{self.seed}:{index}")
        path = self.seeds[rng.randrange(len(self.seeds))]
        raw, data = self._load(path)
        ops: list[str] = []
        self._huge: dict[str, str] = {}
        if data is not None and isinstance(data, (dict, list)) and rng.random() < 0.9:
            for _ in range(rng.choice((1, 1, 2, 2, 3, 4))):
                op = rng.choice(STRUCTURAL)
                data = op(self, rng, data)
                ops.append(op.__name__)
            as_json = rng.random() < 0.35
            content = self._dump(data, as_json, rng)
            if content is None:
                content, as_json = raw, path.suffix.lower() == ".json"
                ops.append("dump-failed")
        else:
            content, as_json = raw, path.suffix.lower() == ".json"
        if rng.random() < 0.2 or not ops:
            op = rng.choice(BYTE_LEVEL)
            content = op(rng, content)
            ops.append(op.__name__)
        ext = ".json" if as_json else rng.choice((".yaml", ".yaml", ".yml", ".template"))
        if rng.random() < 0.05:
            ext = ".yaml" if as_json else ".json"   # content and extension disagree
        return Mutant(index, str(path), ops, f"m{index:05d}{ext}", content)

    def _load(self, path: Path):
        got = self._cache.get(path)
        if got is None:
            from slint.loader import load_bytes
            raw = path.read_bytes()
            res = load_bytes(raw, str(path))
            data = res.document.data if res.document is not None else None
            try:
                frozen = json.dumps(data, default=str, skipkeys=True) if data is not None else None
            except (ValueError, RecursionError):   # a seed that plain JSON cannot hold
                frozen = None
            got = self._cache[path] = (raw, frozen)
        raw, frozen = got
        # a fresh copy each time: mutations work in place
        return raw, (json.loads(frozen) if frozen is not None else None)

    # ----------------------------------------------------------------- serialise
    def _dump(self, data, as_json: bool, rng: random.Random) -> bytes | None:
        try:
            if as_json:
                text = json.dumps(data, indent=rng.choice((None, 2)), ensure_ascii=rng.random() < 0.8,
                                  default=str, skipkeys=True)
            else:
                text = yaml.safe_dump(data, sort_keys=False, allow_unicode=rng.random() < 0.5,
                                      width=rng.choice((80, 10_000)))
        except (RecursionError, ValueError, TypeError, yaml.YAMLError):
            return None
        for token, digits in self._huge.items():
            text = re.sub(rf"['\"]?{token}['\"]?", digits, text)
        return text.encode("utf-8", "surrogatepass")

    # ----------------------------------------------------------------- helpers
    def _huge_int(self, rng: random.Random) -> str:
        token = f"HUGEINT{len(self._huge)}X{rng.randrange(10**9)}"
        self._huge[token] = ("-" if rng.random() < 0.2 else "") + "9" * rng.choice((4301, 5000, 20_000))
        return token


def _nodes(data, limit: int = 20_000) -> list[tuple]:
    """(container, key) pairs for every value inside ``data`` (iterative, bounded)."""
    out: list[tuple] = []
    stack = [data]
    while stack and len(out) < limit:
        node = stack.pop()
        if isinstance(node, dict):
            for k, v in node.items():
                out.append((node, k))
                stack.append(v)
        elif isinstance(node, list):
            for i, v in enumerate(node):
                out.append((node, i))
                stack.append(v)
    return out


def _pick(rng: random.Random, data) -> tuple | None:
    """A node to mutate, biased to the Resources section (where the rules look)."""
    res = data.get("Resources") if isinstance(data, dict) else None
    scope = res if isinstance(res, (dict, list)) and res and rng.random() < 0.7 else data
    nodes = _nodes(scope)
    return rng.choice(nodes) if nodes else None


def _names(data, section: str) -> list[str]:
    sec = data.get(section) if isinstance(data, dict) else None
    return [k for k in sec if isinstance(k, str)] if isinstance(sec, dict) else []


def _random_value(m: Mutator, rng: random.Random):
    kind = rng.randrange(12)
    if kind == 0:
        return None
    if kind == 1:
        return rng.choice((True, False))
    if kind == 2:
        return rng.choice((0, -1, 1, 2**63, -(2**64), 10**300))
    if kind == 3:
        return rng.choice((0.5, 1e308, -0.0, float("inf")))
    if kind == 4:
        return m._huge_int(rng)
    if kind == 5:
        return rng.choice(ODD_STRINGS)
    if kind == 6:
        return rng.choice(("x", "a" * 100_000, "\n" * 5_000, "${x}" * 5_000))
    if kind == 7:
        return []
    if kind == 8:
        return {}
    if kind == 9:
        return [rng.choice(ODD_STRINGS) for _ in range(rng.randrange(1, 4))]
    if kind == 10:
        return {rng.choice(ODD_STRINGS) or "k": rng.choice(ODD_STRINGS)}
    return json.loads(json.dumps(rng.choice(WRONG_INTRINSICS)))


# --------------------------------------------------------------------------- structural ops


def delete_key(m: Mutator, rng: random.Random, data):
    for _ in range(rng.randrange(1, 4)):
        at = _pick(rng, data)
        if at is not None:
            c, k = at
            if isinstance(c, dict):
                c.pop(k, None)
            elif k < len(c):
                del c[k]
    return data


def swap_type(m: Mutator, rng: random.Random, data):
    at = _pick(rng, data)
    if at is None:
        return _random_value(m, rng)
    c, k = at
    c[k] = _random_value(m, rng)
    return data


def odd_string(m: Mutator, rng: random.Random, data):
    at = _pick(rng, data)
    if at is None:
        return data
    c, k = at
    s = rng.choice(ODD_STRINGS + ["a" * 100_000, "é" * 50_000])
    if isinstance(c, dict) and rng.random() < 0.3 and s not in c:
        c[s] = c.pop(k)             # an odd key (logical id, property name...)
    elif isinstance(c[k], str) and rng.random() < 0.5:
        c[k] = c[k] + s
    else:
        c[k] = s
    return data


def huge_number(m: Mutator, rng: random.Random, data):
    at = _pick(rng, data)
    if at is not None:
        c, k = at
        c[k] = m._huge_int(rng) if rng.random() < 0.7 else rng.choice((10**4000, 1e308, -1))
    return data


def duplicate_resource(m: Mutator, rng: random.Random, data):
    res = data.get("Resources") if isinstance(data, dict) else None
    if not isinstance(res, dict) or not res:
        return data
    src = rng.choice(list(res))
    for i in range(rng.choice((1, 1, 3, 50))):
        new = rng.choice((f"{src}Copy{i}", f"{src}", str(src).lower(), f"{src}\n{i}", "AWS"))
        res[new] = json.loads(json.dumps(res[src], default=str))
    return data


def retype_resource(m: Mutator, rng: random.Random, data):
    res = data.get("Resources") if isinstance(data, dict) else None
    if isinstance(res, dict) and res:
        body = res[rng.choice(list(res))]
        if isinstance(body, dict):
            body["Type"] = rng.choice(TYPES) if rng.random() < 0.9 else _random_value(m, rng)
    return data


def deep_nesting(m: Mutator, rng: random.Random, data):
    at = _pick(rng, data)
    if at is None:
        return data
    c, k = at
    depth = rng.choice((20, 100, 250, 290, 320))
    node = c[k]
    style = rng.randrange(4)
    for _ in range(depth):
        if style == 0:
            node = [node]
        elif style == 1:
            node = {"k": node}
        elif style == 2:
            node = {"Fn::Join": ["", [node]]}
        else:
            node = {"Fn::If": [rng.choice(("C", "IsProd")), node, {"Ref": "AWS::NoValue"}]}
    c[k] = node
    return data


def wrong_intrinsic(m: Mutator, rng: random.Random, data):
    at = _pick(rng, data)
    if at is not None:
        c, k = at
        c[k] = json.loads(json.dumps(rng.choice(WRONG_INTRINSICS)))
    return data


def random_condition(m: Mutator, rng: random.Random, data):
    if not isinstance(data, dict):
        return data
    conds = _names(data, "Conditions")
    name = rng.choice(conds + ["Nope", "", "a b", "\n", "C"]) if rng.random() < 0.8 else _random_value(m, rng)
    r = rng.randrange(4)
    if r == 0:                       # an Fn::If around a value, on any condition name
        at = _pick(rng, data)
        if at is not None:
            c, k = at
            c[k] = {"Fn::If": [name, c[k], rng.choice(({"Ref": "AWS::NoValue"}, "other", None))]}
    elif r == 1:                     # a resource under a condition
        res = data.get("Resources")
        if isinstance(res, dict) and res:
            body = res[rng.choice(list(res))]
            if isinstance(body, dict):
                body["Condition"] = name
    elif r == 2:                     # cyclic / odd Conditions section
        data["Conditions"] = {"C": {"Fn::Not": [{"Condition": "D"}]},
                              "D": {"Fn::And": [{"Condition": "C"}, {"Condition": name}]},
                              "IsProd": {"Fn::Equals": [{"Ref": "AWS::Region"}, "x"]}}
    else:                            # many Ifs in one string: combinatorial explosion
        at = _pick(rng, data)
        if at is not None:
            c, k = at
            c[k] = {"Fn::Join": ["", [{"Fn::If": [f"C{i % 7}", "a", {"Ref": "AWS::Region"}]}
                                      for i in range(rng.choice((10, 40, 200)))]]}
    return data


def random_ref(m: Mutator, rng: random.Random, data):
    at = _pick(rng, data)
    if at is None:
        return data
    c, k = at
    names = _names(data, "Resources") + _names(data, "Parameters") + PSEUDO + ["Missing", "", "a.b"]
    target = rng.choice(names)
    r = rng.randrange(4)
    if r == 0:
        c[k] = {"Ref": target}
    elif r == 1:
        c[k] = {"Fn::GetAtt": [target, rng.choice(("Arn", "RoleId", "", "A.B", "Outputs.X"))]}
    elif r == 2:
        c[k] = {"Fn::Sub": f"arn:aws:s3:::${{{target}}}/${{{target}.Arn}}/*"}
    else:
        c[k] = {"Fn::If": [rng.choice(_names(data, "Conditions") or ["C"]), {"Ref": target},
                           {"Fn::GetAtt": f"{target}.Arn"}]}
    return data


def section_type(m: Mutator, rng: random.Random, data):
    """A whole top-level section replaced (Resources as a list, Globals as a string...)."""
    if isinstance(data, dict):
        sec = rng.choice(("Resources", "Globals", "Parameters", "Conditions", "Mappings", "Outputs",
                          "Transform", "Metadata", "AWSTemplateFormatVersion"))
        data[sec] = _random_value(m, rng)
    return data


def odd_logical_id(m: Mutator, rng: random.Random, data):
    """A resource renamed to an odd string: logical ids appear in most findings' messages."""
    res = data.get("Resources") if isinstance(data, dict) else None
    if isinstance(res, dict) and res:
        old = rng.choice(list(res))
        new = rng.choice(ODD_STRINGS[1:]) + rng.choice(("", "Fn", str(old)))
        if new not in res:
            res[new] = res.pop(old)
    return data


def plant_finding(m: Mutator, rng: random.Random, data):
    """A resource that the rules flag (wildcard role, public bucket policy), named and valued
    oddly, so that odd strings reach the findings and the formatters."""
    if not isinstance(data, dict):
        return data
    res = data.get("Resources")
    if not isinstance(res, dict):
        res = data["Resources"] = {}
    odd = rng.choice(ODD_STRINGS)
    if rng.random() < 0.5:
        res["Role" + odd] = {"Type": "AWS::IAM::Role", "Properties": {
            "AssumeRolePolicyDocument": {}, "Policies": [{"PolicyName": odd, "PolicyDocument": {
                "Statement": [{"Effect": "Allow", "Action": rng.choice(("*", "s3:*", odd)),
                               "Resource": rng.choice(("*", odd, {"Fn::Sub": "arn:aws:s3:::" + odd}))}]}}]}}
    else:
        res["Bucket" + odd] = {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": odd}}
        res["Policy" + odd] = {"Type": "AWS::S3::BucketPolicy", "Properties": {
            "Bucket": {"Ref": "Bucket" + odd}, "PolicyDocument": {"Statement": [{
                "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                "Resource": {"Fn::Sub": "arn:aws:s3:::${Bucket" + odd + "}/*"}}]}}}
    return data


STRUCTURAL = [odd_logical_id, plant_finding, delete_key, swap_type, odd_string, huge_number, duplicate_resource, retype_resource,
              deep_nesting, wrong_intrinsic, random_condition, random_ref, section_type]

# --------------------------------------------------------------------------- byte-level ops

INSERTS = [b"\x00", b"\t", b"\r", b"\r\n", b"&a ", b"*a", b"!Foo ", b"!!python/object:os.system ",
           b"{", b"[", b"]", b"\xff", b"\xef\xbb\xbf", "\u2028".encode(), b"\xed\xa0\x80",
           b"<<: *a\n", b"---\n", b"%YAML 1.1\n", b"? ", b"\x1b[2J", b"# slint: ignore[IAM001]\n"]


def flip_bytes(rng: random.Random, b: bytes) -> bytes:
    if not b:
        return b
    ba = bytearray(b)
    for _ in range(rng.randrange(1, 8)):
        ba[rng.randrange(len(ba))] = rng.randrange(256)
    return bytes(ba)


def insert_bytes(rng: random.Random, b: bytes) -> bytes:
    at = rng.randrange(len(b) + 1)
    return b[:at] + rng.choice(INSERTS) + b[at:]


def truncate(rng: random.Random, b: bytes) -> bytes:
    return b[: rng.randrange(len(b) + 1)]


def duplicate_lines(rng: random.Random, b: bytes) -> bytes:
    lines = b.split(b"\n")
    if len(lines) < 2:
        return b + b
    i = rng.randrange(len(lines))
    j = min(len(lines), i + rng.randrange(1, 12))
    return b"\n".join(lines[:j] + lines[i:j] + lines[j:])


def reindent(rng: random.Random, b: bytes) -> bytes:
    lines = b.split(b"\n")
    i = rng.randrange(len(lines))
    lines[i] = rng.choice((b" ", b"\t", b"", b"    ")) + lines[i].lstrip(b" ")
    return b"\n".join(lines)


BYTE_LEVEL = [flip_bytes, insert_bytes, truncate, duplicate_lines, reindent]

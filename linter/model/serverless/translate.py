"""``serverless.yml`` -> a SAM template Document whose SourceMap points back into ``serverless.yml``.

The frontend of the model layer for the Serverless Framework: everything downstream (model, graph,
views, rules, suppressions, formatters, ``slint routes``/``graph``) sees an ordinary SAM template.

- ``functions.<key>`` -> ``Resources.<key>`` (``AWS::Serverless::Function``): the function key is
  what users see, so findings on a function, its events, URL and per-function statements name it.
  The framework's own id ``<Normalized>LambdaFunction`` is an alias: references to it from
  ``resources`` are rewritten to the key.
- provider IAM (``iam.role.statements``, ``iamRoleStatements``, managed policies) ->
  ``IamRoleLambdaExecution`` (``AWS::IAM::Role``), used by every function without its own
  ``role`` or per-function statements (those become the function's SAM ``Policies``).
- events -> SAM events on ``ApiGatewayRestApi`` / ``HttpApi``, ``AWS::ApiGatewayV2`` websocket
  routes, ``S3Bucket<Name>`` buckets (``events.py``).
- ``resources.Resources`` / ``Outputs`` / ``Conditions`` are merged verbatim, with their spans.
- unknown variables are template parameters without a default (``variables.py``).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from ...loader import Document
from ...source import SourceMap
from . import naming
from .variables import Resolver, join_parts

SAM = "AWS::Serverless-2016-10-31"


@dataclass
class Translation:
    document: Document | None
    notes: list = field(default_factory=list)        # (message, doc path)
    files_read: list = field(default_factory=list)   # real paths read through ${file()}
    aliases: dict = field(default_factory=dict)      # framework logical id -> our logical id


class Builder:
    """The template under construction and where each of its nodes was written."""

    def __init__(self, data: dict, sm: SourceMap):
        self.d = data
        self.sm = sm
        self.out = SourceMap()
        self.pairs: list[tuple[tuple, tuple]] = []
        self.resources: dict[str, dict] = {}
        self.params: dict[str, dict] = {}
        self.notes: list[tuple[str, tuple]] = []
        self.aliases: dict[str, str] = {}
        prov = data.get("provider")
        self.provider: dict = prov if isinstance(prov, dict) else {}
        svc = data.get("service")
        self.service = svc.get("name") if isinstance(svc, dict) else svc
        self.stage = "dev"
        self.provider_named: tuple | None = None     # provider.iam.role as an existing role
        self.rest_events: list[tuple] = []           # http events (their paths)
        self.rest_auth: dict = {}                    # ApiGatewayRestApi Auth.Authorizers
        self.http_events: list[tuple] = []
        self.http_auth: dict = {}                    # extra HttpApi authorizers: name -> (body, path)
        self.http_iam = False

    # spans ------------------------------------------------------------
    def graft(self, dst: tuple, src: tuple) -> None:
        """``dst`` (and everything under it) was written at ``src`` (and under it)."""
        if src in self.sm.values:
            self.pairs.append((src, dst))
            self.out.written[dst] = src

    def at(self, dst: tuple, src: tuple) -> None:
        """The single node ``dst`` was written at ``src`` (the nearest existing node of it)."""
        p = src
        while p and p not in self.sm.values:
            p = p[:-1]
        self.out.put(dst, self.sm, p)
        if p:
            self.out.written.setdefault(dst, p)

    def has(self, src: tuple) -> bool:
        return src in self.sm.values

    def get(self, *keys, default=None):
        cur: Any = self.d
        for k in keys:
            if isinstance(cur, dict) and k in cur:
                cur = cur[k]
            else:
                return default
        return cur

    def add(self, lid: str, rtype: str, props: dict, src: tuple, **extra) -> dict:
        body = {"Type": rtype, "Properties": props, **extra}
        self.resources[lid] = body
        self.at(("Resources", lid), src)
        self.at(("Resources", lid, "Properties"), src)
        return body

    def text_of(self, node: Any, loose: bool = False) -> str | None:
        """The literal a resolved value has with every deploy-time option at its default
        (``${opt:stage, 'dev'}`` -> ``dev``); None when some part has no default. ``loose``:
        such a part is written as the name of what it refers to (for a logical id only)."""
        if isinstance(node, str):
            return node
        if isinstance(node, dict) and len(node) == 1:
            (k, v), = node.items()
            if k == "Ref" and isinstance(v, str):
                if "default" in self.params.get(v, {}):
                    return self.params[v]["default"]
                return v if loose else None
            joined = join_parts(node)
            if joined is not None:
                parts = [self.text_of(x, loose) for x in joined]
                return None if None in parts else "".join(parts)  # type: ignore[arg-type]
        return None

    def unknown(self, name: str, reason: str, src: tuple) -> dict:
        if name not in self.params:
            self.params[name] = {"reason": reason, "path": src}
        return {"Ref": name}


def translate(doc: Document, display: str | None = None, root: str | None = None) -> Translation:
    display = display or doc.filename
    res = Resolver(doc, display, root)
    data, rsm = res.resolve()
    if not isinstance(data, dict):
        data = {}
    b = Builder(data, rsm)
    b.stage = res.stage
    for name, p in res.params.items():
        b.params[name] = dict(p)
    b.notes.extend(res.notes)

    from . import events, iam
    functions = _functions(b)
    iam.provider_role(b, functions)
    for key, body, fpath in functions:
        _function(b, key, body, fpath)
        iam.function_role(b, key, body, fpath)
        events.function_events(b, key, body, fpath)
    events.finish_apis(b)
    _deployment_bucket(b)
    template = _assemble(b)
    out = b.out
    out.graft_many(rsm, b.pairs)
    tdoc = Document(doc.filename, doc.text, template, out, doc.format)
    return Translation(tdoc, b.notes, res.files_read, dict(b.aliases))


def _functions(b: Builder) -> list[tuple[str, dict, tuple]]:
    fns = b.d.get("functions")
    out: list[tuple[str, dict, tuple]] = []
    groups = [(fns, ("functions",))] if isinstance(fns, dict) else \
        [(g, ("functions", i)) for i, g in enumerate(fns) if isinstance(g, dict)] if isinstance(fns, list) else []
    seen = set()
    for group, gpath in groups:
        for key, body in group.items():
            if not isinstance(key, str) or key in seen:
                continue
            seen.add(key)
            out.append((key, body if isinstance(body, dict) else {}, gpath + (key,)))
    return out


def _function(b: Builder, key: str, f: dict, fpath: tuple) -> None:
    props: dict = {}
    rbase = ("Resources", key, "Properties")
    for src_key, dst_key in (("handler", "Handler"), ("runtime", "Runtime"), ("name", "FunctionName"),
                             ("image", "ImageUri")):
        if src_key in f:
            props[dst_key] = f[src_key]
            b.graft(rbase + (dst_key,), fpath + (src_key,))
    if "Runtime" not in props and "runtime" in b.provider:
        props["Runtime"] = b.provider["runtime"]
        b.graft(rbase + ("Runtime",), ("provider", "runtime"))
    url = f.get("url")
    if url is not None and url is not False:
        auth = "NONE"
        if isinstance(url, dict) and isinstance(url.get("authorizer"), str) \
                and url["authorizer"].lower() == "aws_iam":
            auth = "AWS_IAM"
        props["FunctionUrlConfig"] = {"AuthType": auth}
        b.at(rbase + ("FunctionUrlConfig",), fpath + ("url",))
        b.at(rbase + ("FunctionUrlConfig", "AuthType"),
             fpath + ("url", "authorizer") if auth == "AWS_IAM" else fpath + ("url",))
        b.aliases[naming.function_url_id(key)] = key
    b.add(key, "AWS::Serverless::Function", props, fpath)
    b.aliases[naming.lambda_id(key)] = key


def _deployment_bucket(b: Builder) -> None:
    """The framework creates ``ServerlessDeploymentBucket`` (generated name, encrypted) unless
    ``provider.deploymentBucket`` names an existing bucket, which it only uses."""
    db = b.provider.get("deploymentBucket")
    if isinstance(db, str) or (isinstance(db, dict) and db.get("name") is not None):
        return
    src = ("provider", "deploymentBucket") if b.has(("provider", "deploymentBucket")) else ("provider",)
    b.add(naming.DEPLOYMENT_BUCKET, "AWS::S3::Bucket", {"BucketEncryption": {
        "ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {
            "SSEAlgorithm": "AES256"}}]}}, src)


def _assemble(b: Builder) -> dict:
    blocks = _resource_blocks(b)
    user_res: dict = {}
    outputs: dict = {}
    conditions: dict = {}
    for block, bpath in blocks:
        for section, into in (("Resources", user_res), ("Outputs", outputs), ("Conditions", conditions)):
            sec = block.get(section)
            if isinstance(sec, dict):
                for k, v in sec.items():
                    into[k] = (v, bpath + (section, k))
    resources = dict(b.resources)
    for lid, (body, src) in user_res.items():
        body = _rewrite(body, b.aliases)
        if lid in resources and isinstance(body, dict) and isinstance(resources[lid], dict):
            resources[lid] = _overlay(resources[lid], body)   # the framework merges resources over
        else:
            resources[lid] = body
            if lid in b.aliases:  # resources redefining a generated id the framework aliases
                pass
        b.graft(("Resources", lid), src)
    template: dict = {"AWSTemplateFormatVersion": "2010-09-09", "Transform": SAM}
    if b.params:
        template["Parameters"] = {}
        for name, p in sorted(b.params.items()):
            template["Parameters"][name] = {"Type": "String", "Description": p["reason"]}
            if "default" in p:
                template["Parameters"][name]["Default"] = p["default"]
            b.at(("Parameters", name), p["path"])
    if conditions:
        template["Conditions"] = {}
        for k, (v, src) in conditions.items():
            template["Conditions"][k] = _rewrite(v, b.aliases)
            b.graft(("Conditions", k), src)
    template["Resources"] = resources
    if outputs:
        template["Outputs"] = {}
        for k, (v, src) in outputs.items():
            template["Outputs"][k] = _rewrite(v, b.aliases)
            b.graft(("Outputs", k), src)
    return template


def _resource_blocks(b: Builder) -> list[tuple[dict, tuple]]:
    r = b.d.get("resources")
    if isinstance(r, dict):
        return [(r, ("resources",))]
    if isinstance(r, list):
        return [(x, ("resources", i)) for i, x in enumerate(r) if isinstance(x, dict)]
    return []


def _overlay(gen: dict, user: dict) -> dict:
    """``resources`` over a generated resource: top-level keys and Properties, user wins."""
    out = dict(gen)
    for k, v in user.items():
        if k == "Properties" and isinstance(v, dict) and isinstance(gen.get(k), dict):
            out[k] = {**gen[k], **v}
        else:
            out[k] = v
    return out


def _rewrite(node: Any, aliases: dict[str, str]) -> Any:
    """References to framework ids that are aliases here (``HelloLambdaFunction`` -> ``hello``),
    copy-on-write: untouched subtrees are returned as they are."""
    if not aliases:
        return node
    if isinstance(node, dict):
        if len(node) == 1:
            (k, v), = node.items()
            if k == "Ref" and isinstance(v, str) and v in aliases:
                return {"Ref": aliases[v]}
            if k == "Fn::GetAtt":
                if isinstance(v, list) and v and isinstance(v[0], str) and v[0] in aliases:
                    return {k: [aliases[v[0]], *v[1:]]}
                if isinstance(v, str) and v.split(".", 1)[0] in aliases:
                    head, _, rest = v.partition(".")
                    return {k: f"{aliases[head]}.{rest}" if rest else aliases[head]}
            if k == "Fn::Sub":
                new = _rewrite_sub(v, aliases)
                if new is not v:
                    return {k: new}
        out = None
        for k, v in node.items():
            nv = _rewrite(v, aliases)
            if k == "DependsOn":
                nv = [aliases.get(x, x) if isinstance(x, str) else x for x in nv] \
                    if isinstance(nv, list) else aliases.get(nv, nv) if isinstance(nv, str) else nv
            if nv is not v:
                if out is None:
                    out = dict(node)
                out[k] = nv
        return node if out is None else out
    if isinstance(node, list):
        new = [_rewrite(x, aliases) for x in node]
        return node if all(a is x for a, x in zip(new, node)) else new
    return node


def _rewrite_sub(v: Any, aliases: dict[str, str]) -> Any:
    import re
    def fix(s: str) -> str:
        return re.sub(r"\$\{([A-Za-z0-9]+)(\.[A-Za-z0-9.]+)?\}",
                      lambda m: "${" + aliases.get(m.group(1), m.group(1)) + (m.group(2) or "") + "}"
                      if m.group(1) in aliases else m.group(0), s)
    if isinstance(v, str):
        s = fix(v)
        return v if s == v else s
    if isinstance(v, list) and v and isinstance(v[0], str):
        s = fix(v[0])
        if s != v[0]:
            return [s, *v[1:]]
    return v


def deepcopy(node: Any) -> Any:
    return copy.deepcopy(node)

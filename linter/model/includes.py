"""Local files a template includes, read into it right after loading.

``AWS::Include`` (``Fn::Transform: {Name: AWS::Include, Parameters: {Location: api.yaml}}``
anywhere a value or mapping may stand), SAM's ``DefinitionUri`` on ``AWS::Serverless::Api`` /
``AWS::Serverless::HttpApi`` and API Gateway's ``BodyS3Location`` when they are local paths (as
``sam deploy`` and ``aws cloudformation package`` upload them): the file is loaded with the same
loader (positions, limits, duplicate keys, YAML or JSON) and put in place of the include; its
spans are grafted into the template's source map carrying the included file's name, so a finding
inside it names that file and line, and the chain of templates that included it.

Every read goes through a ``Sandbox``: the project root (the nearest folder above the template
holding ``.git``, ``samconfig.toml``/``samconfig.yaml`` or ``pyproject.toml``; else the
template's own folder), symlink-safe (the real path must stay inside the root's real path), no
network (``s3://`` and ``http(s)://`` stay unknown, with a note), bounded size, depth, count and
cycles. A refused include is never read: it becomes a finding (``INC001``) at its ``Location``.
The Serverless Framework frontend's ``${file()}`` can share the same sandbox.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from typing import Any

from ..loader import DEFAULT_MAX_BYTES, Document, load_bytes
from ..source import SourceMap

ROOT_MARKERS = (".git", "samconfig.toml", "samconfig.yaml", "samconfig.yml", "pyproject.toml")
MAX_INCLUDE_DEPTH = 8
MAX_INCLUDES = 64
# an included file may be at most this big (an OpenAPI definition of a large API is < 2 MB)
MAX_INCLUDE_BYTES = 5 * 1024 * 1024
REMOTE = ("s3://", "http://", "https://")


class Refused(Exception):
    """An include that is not read; the message says why."""


def project_root(template_path: str) -> str:
    """The nearest folder at or above the template's holding a root marker; else its folder."""
    start = os.path.dirname(os.path.abspath(template_path))
    d = start
    while True:
        if any(os.path.exists(os.path.join(d, m)) for m in ROOT_MARKERS):
            return d
        parent = os.path.dirname(d)
        if parent == d:
            return start
        d = parent


@dataclass
class Sandbox:
    """Where included files may be read from, and how much of them."""
    root: str
    max_bytes: int = MAX_INCLUDE_BYTES
    max_depth: int = MAX_INCLUDE_DEPTH
    max_files: int = MAX_INCLUDES
    files_read: list = field(default_factory=list)   # real paths, in read order

    def __post_init__(self) -> None:
        self.root = os.path.abspath(self.root)
        self._real_root = os.path.realpath(self.root)

    @classmethod
    def for_template(cls, template_path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> "Sandbox":
        return cls(project_root(template_path), max_bytes=min(max_bytes, MAX_INCLUDE_BYTES))

    @staticmethod
    def is_remote(location: str) -> bool:
        return location.lower().startswith(REMOTE)

    @staticmethod
    def not_local(location: str) -> str | None:
        """Why ``location`` names no local file slint may read (remote; a dynamic reference,
        ``{{resolve:ssm:/path}}``, resolved by CloudFormation at deploy time), or None."""
        if Sandbox.is_remote(location):
            return f"`{location}` is remote; slint never fetches files from S3 or the network"
        if "{{resolve:" in location:
            return (f"`{location}` is a dynamic reference CloudFormation resolves at deploy "
                    "time; slint cannot know which file it names")
        return None

    def resolve(self, base_dir: str, location: str) -> str:
        """The real path of a local ``location`` written in a file of ``base_dir``, or Refused."""
        if "\x00" in location or not location.strip():
            raise Refused("the location is not a file name")
        if location.lower().startswith("file://"):
            location = location[7:]
        lexical = os.path.normpath(os.path.join(os.path.abspath(base_dir), location))
        if not _inside(lexical, self.root):
            raise Refused(f"`{location}` is outside the project root")
        real = os.path.realpath(lexical)
        if not _inside(real, self._real_root):
            raise Refused(f"`{location}` is a symbolic link out of the project root")
        return real

    def read(self, real: str, location: str) -> bytes:
        """The bytes of a resolved file, checked before reading: a regular file within the
        size limit, within the count of files one check may read."""
        if len(self.files_read) >= self.max_files:
            raise Refused(f"more than {self.max_files} included files")
        try:
            st = os.stat(real)
        except OSError as exc:
            raise Refused(f"`{location}` cannot be read: {exc.strerror or exc}") from None
        if not stat.S_ISREG(st.st_mode):
            raise Refused(f"`{location}` is not a regular file")
        if st.st_size > self.max_bytes:
            raise Refused(f"`{location}` is {st.st_size} bytes, over the include limit of "
                          f"{self.max_bytes}")
        try:
            with open(real, "rb") as fh:
                raw = fh.read(self.max_bytes + 1)
        except OSError as exc:
            raise Refused(f"`{location}` cannot be read: {exc.strerror or exc}") from None
        if len(raw) > self.max_bytes:
            raise Refused(f"`{location}` is over the include limit of {self.max_bytes} bytes")
        self.files_read.append(real)
        return raw


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


@dataclass
class Included:
    """What resolving a document's includes gave."""
    document: Document
    refused: list = field(default_factory=list)    # (message, doc path of the Location)
    unknowns: list = field(default_factory=list)   # {"what", "resource", "where", "why"}
    inputs: list = field(default_factory=list)     # real paths of the files read
    issues: list = field(default_factory=list)     # (file, LoadIssue, via): warnings in them


def include_location(node: Any) -> Any:
    """The ``Location`` of an ``AWS::Include`` transform node's value, or None."""
    if isinstance(node, dict) and node.get("Name") == "AWS::Include":
        params = node.get("Parameters")
        if isinstance(params, dict):
            return params.get("Location", "")
        return ""
    return None


# resource type -> (property holding a local definition file, property it stands for)
LOCAL_DEFINITIONS = {
    "AWS::Serverless::Api": ("DefinitionUri", "DefinitionBody"),
    "AWS::Serverless::HttpApi": ("DefinitionUri", "DefinitionBody"),
    "AWS::ApiGateway::RestApi": ("BodyS3Location", "Body"),
    "AWS::ApiGatewayV2::Api": ("BodyS3Location", "Body"),
}


class _Resolver:
    def __init__(self, sandbox: Sandbox, out: Included, display: str, real: str,
                 source: SourceMap, chain: tuple, via: list, prefix: tuple = ()):
        self.sb = sandbox
        self.prefix = prefix        # where this file's root sits in the checked template
        self.out = out
        self.display = display
        self.base_dir = os.path.dirname(real)
        self.source = source
        self.chain = chain          # real paths from the checked template down to this file
        self.via = via              # [{"file", "line"}] of this file's parents, nearest first

    def line_of(self, path: tuple) -> int:
        span, _ = self.source.locate(path)
        return span.line

    def unknown(self, what: str, path: tuple, why: str) -> None:
        res = path[1] if len(path) > 1 and path[0] == "Resources" else None
        self.out.unknowns.append({"what": what, "resource": res,
                                  "where": {"file": self.display, "line": self.line_of(path)},
                                  "why": why})

    def refuse(self, message: str, loc_path: tuple) -> None:
        self.out.refused.append((message, self.prefix + loc_path))

    def load(self, location: Any, loc_path: tuple, into: tuple) -> Document | None:
        """The included document (its own includes resolved), or None (refused or unknown).
        ``into``: the path its root will take in this file."""
        if not isinstance(location, str):
            self.unknown("included file", loc_path, "its location is computed (an intrinsic "
                         "function); slint reads only literal local paths")
            return None
        why = self.sb.not_local(location)
        if why:
            self.unknown("included file", loc_path, why)
            return None
        try:
            real = self.sb.resolve(self.base_dir, location)
            if real in self.chain:
                raise Refused(f"`{location}` includes itself (an include cycle)")
            if len(self.chain) > self.sb.max_depth:
                raise Refused(f"includes nested deeper than {self.sb.max_depth} files")
            self.out.inputs.append(real)   # read or not: the result depends on it
            raw = self.sb.read(real, location)
        except Refused as exc:
            self.refuse(f"include not read: {exc}", loc_path)
            return None
        disp = os.path.normpath(os.path.join(os.path.dirname(self.display), location))
        loaded = load_bytes(raw, disp, max_bytes=self.sb.max_bytes)
        if loaded.document is None:
            issue = loaded.issues[0] if loaded.issues else None
            why = f"{issue.message} at {disp}:{issue.line}" if issue else "unreadable"
            self.refuse(f"include `{location}` does not parse: {why}", loc_path)
            return None
        via = [{"file": self.display, "line": self.line_of(loc_path)}] + self.via
        for issue in loaded.issues:   # duplicate keys in the included file: reported there
            self.out.issues.append((disp, issue, via))
        child = _Resolver(self.sb, self.out, disp, real, loaded.document.source,
                          self.chain + (real,), via, self.prefix + into)
        doc = loaded.document
        if "AWS::Include" in doc.text:
            doc.data = child.walk(doc.data, ())
        self.child_via = via
        return doc

    def walk(self, node: Any, path: tuple) -> Any:
        """``node`` with every ``AWS::Include`` below it replaced by the included data."""
        if isinstance(node, dict):
            tr = node.get("Fn::Transform")
            loc = include_location(tr)
            if loc is not None:
                return self.include(node, path, loc)
            out = None
            for k, v in node.items():
                if isinstance(v, (dict, list)):
                    nv = self.walk(v, path + (k,))
                    if nv is not v:
                        if out is None:
                            out = dict(node)
                        out[k] = nv
            return node if out is None else out
        if isinstance(node, list):
            out_l = None
            for i, v in enumerate(node):
                if isinstance(v, (dict, list)):
                    nv = self.walk(v, path + (i,))
                    if nv is not v:
                        if out_l is None:
                            out_l = list(node)
                        out_l[i] = nv
            return node if out_l is None else out_l
        return node

    def include(self, node: dict, path: tuple, loc: Any) -> Any:
        tr_path = path + ("Fn::Transform",)
        loc_path = tr_path + ("Parameters", "Location")
        doc = self.load(loc, loc_path if loc != "" else tr_path, path)
        if doc is None:
            return node
        siblings = {k: v for k, v in node.items() if k != "Fn::Transform"}
        if not siblings:
            self.source.graft(path, doc.source, (), doc.filename, via=self.child_via,
                              replace=True)
            return doc.data
        if not isinstance(doc.data, dict):
            self.refuse(f"include `{loc}` is not a mapping, beside other keys", loc_path)
            return node
        merged = {**doc.data, **{k: self.walk(v, path + (k,)) for k, v in siblings.items()}}
        for k in doc.data:
            if k not in siblings:
                self.source.graft(path + (k,), doc.source, (k,), doc.filename,
                                  via=self.child_via)
        merged.pop("Fn::Transform", None)
        return merged

    def top_level(self, data: dict) -> dict:
        """``Transform: {Name: AWS::Include, ...}`` (alone or in a list): the snippet's sections
        are merged into the template; what the template writes itself wins."""
        tr = data.get("Transform")
        items = list(enumerate(tr)) if isinstance(tr, list) else [(None, tr)]
        out = data
        for i, item in items:
            loc = include_location(item)
            if loc is None:
                continue
            at = ("Transform",) if i is None else ("Transform", i)
            doc = self.load(loc, at + ("Parameters", "Location") if loc != "" else at, ())
            if doc is None or not isinstance(doc.data, dict):
                continue
            if out is data:
                out = dict(data)
            for key, val in doc.data.items():
                if key not in out:
                    out[key] = val
                    self._graft_key((key,), doc, (key,))
                elif isinstance(out[key], dict) and isinstance(val, dict):
                    merged = dict(out[key])
                    for k2, v2 in val.items():
                        if k2 not in merged:
                            merged[k2] = v2
                            self._graft_key((key, k2), doc, (key, k2))
                    out[key] = merged
        return out

    def _graft_key(self, path: tuple, doc: Document, old: tuple) -> None:
        self.source.graft(path, doc.source, old, doc.filename, via=self.child_via)

    def local_definitions(self, data: dict) -> dict:
        res = data.get("Resources")
        if not isinstance(res, dict):
            return data
        new_res = None
        for lid, r in res.items():
            rtype = r.get("Type") if isinstance(r, dict) else None
            if not isinstance(rtype, str) or rtype not in LOCAL_DEFINITIONS:
                continue
            uri_key, body_key = LOCAL_DEFINITIONS[rtype]
            props = r.get("Properties")
            if not isinstance(props, dict) or body_key in props or uri_key not in props:
                continue
            uri = props[uri_key]
            base = ("Resources", lid, "Properties")
            if not isinstance(uri, str):   # {Bucket, Key} or an intrinsic: in S3, unknown
                self.unknown("API definition", base + (uri_key,),
                             f"{uri_key} is in S3; slint never fetches remote files")
                continue
            doc = self.load(uri, base + (uri_key,), base + (body_key,))
            if doc is None:
                continue
            self.source.graft(base + (body_key,), doc.source, (), doc.filename,
                              via=self.child_via, replace=True)
            for table in (self.source.values, self.source.keys):
                if base + (uri_key,) in table:
                    table[base + (body_key,)] = table[base + (uri_key,)]
            new_props = dict(props)
            new_props[body_key] = doc.data
            new_props.pop(uri_key)
            new_r = dict(r)
            new_r["Properties"] = new_props
            if new_res is None:
                new_res = dict(res)
            new_res[lid] = new_r
        if new_res is None:
            return data
        out = dict(data)
        out["Resources"] = new_res
        return out


def resolve_includes(doc: Document, real_path: str | None, *, display: str | None = None,
                     sandbox: Sandbox | None = None,
                     max_bytes: int = DEFAULT_MAX_BYTES) -> Included:
    """``doc`` with its local includes read in (a new Document when anything was included;
    ``doc`` itself is never changed). ``real_path``: where the template is on disk (None: the
    template came as text; its folder is then the working directory)."""
    out = Included(doc)
    data = doc.data
    if not isinstance(data, dict):
        return out
    text = doc.text
    if "AWS::Include" not in text and not any(k in text for k in ("DefinitionUri",
                                                                  "BodyS3Location")):
        return out
    if real_path is None and os.path.isfile(doc.filename):   # text of a file on disk (editors)
        real_path = doc.filename
    base_file = real_path or os.path.join(os.getcwd(), os.path.basename(doc.filename))
    sb = sandbox or Sandbox.for_template(base_file, max_bytes)
    source = _copy_map(doc.source)
    r = _Resolver(sb, out, display or doc.filename, os.path.realpath(base_file), source,
                  (os.path.realpath(base_file),), [])
    new = data
    if "AWS::Include" in text:
        new = r.walk(new, ())
        new = r.top_level(new)
    new = r.local_definitions(new)
    if new is not data:
        out.document = Document(doc.filename, doc.text, new, source, doc.format)
    return out


def _copy_map(src: SourceMap) -> SourceMap:
    m = SourceMap()
    m.values = dict(src.values)
    m.keys = dict(src.keys)
    m.files = dict(src.files)
    m.origins = dict(src.origins)
    m.written = dict(src.written)
    return m

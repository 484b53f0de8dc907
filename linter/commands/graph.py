"""`slint graph TEMPLATE --format mermaid|dot`: the resource graph, with exposure paths drawn in.

Nodes are the template's resources (SAM's implicit APIs included), grouped by kind (compute,
API, storage, IAM, CDN, auth, messaging, other) and shaped by group. Edges are the typed edges of
``ctx.graph`` (``ref``, ``getatt``, ``sub``, ``depends_on``, ``event_source``, ``runs_as``,
``invokes``, ...), one per (source, target, kind): the very graph the rules read, from the one
Context the check of this template used.

Exposure, from slint's views and findings:

- ``Internet -> open route -> function -> over-broad grant``: every route of
  ``ctx.routes.open_routes()`` is a node; it points at the function it invokes; that function
  (and the role it runs as) points at each over-broad grant in force for it. A grant is
  over-broad when an IAM finding of this template lies inside its statement, or when it allows a
  wildcard action (``*``, ``service:*``) or uses ``NotAction``;
- ``Internet -> public bucket``: buckets of ``ctx.buckets`` with an effective public grant (a
  website with nothing granting read, or an ACL that makes the stack fail to deploy, is dotted);
- ``CloudFront -> bucket``: every S3 origin of a distribution (labelled with OAC / OAI / none).

Exposure edges are drawn thick and red (CloudFront origins blue); the nodes on an exposure path
get a red border. Output is deterministic: nodes and edges are sorted, labels escaped.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field

from ..formatters.escape import visible

FORMATS = ("mermaid", "dot")

INTERNET = "internet"

# group -> (title, mermaid shape open/close, dot shape, fill colour)
GROUPS: dict[str, tuple[str, str, str, str, str]] = {
    "compute": ("Compute", "(", ")", "box", "#e8f0fe"),
    "api": ("APIs and URLs", "{{", "}}", "hexagon", "#fef7e0"),
    "route": ("Open routes", "([", "])", "oval", "#fce8e6"),
    "storage": ("Storage", "[(", ")]", "cylinder", "#e6f4ea"),
    "iam": ("IAM", "[/", "/]", "parallelogram", "#f3e8fd"),
    "grant": ("Over-broad grants", ">", "]", "note", "#fce8e6"),
    "cdn": ("CloudFront", "[/", "\\]", "trapezium", "#e4f7fb"),
    "auth": ("Cognito", "[\\", "/]", "invtrapezium", "#fff3e0"),
    "messaging": ("Messaging and events", "[[", "]]", "component", "#f1f3f4"),
    "other": ("Other", "[", "]", "box", "#ffffff"),
}
GROUP_ORDER = list(GROUPS)

EXPOSED_COLOR = "#d93025"
CDN_COLOR = "#1a73e8"


def group_of(rtype: str) -> str:
    t = rtype or ""
    if t in ("AWS::Lambda::Url",) or t.startswith(("AWS::ApiGateway", "AWS::AppSync::")) \
            or t in ("AWS::Serverless::Api", "AWS::Serverless::HttpApi",
                     "AWS::Serverless::WebSocketApi", "AWS::Serverless::GraphQLApi"):
        return "api"
    if t.startswith(("AWS::Lambda::", "AWS::StepFunctions::", "AWS::ECS::", "AWS::EC2::Instance",
                     "AWS::Batch::")) or t in ("AWS::Serverless::Function",
                                               "AWS::Serverless::StateMachine",
                                               "AWS::Serverless::LayerVersion"):
        return "compute"
    if t.startswith(("AWS::S3::", "AWS::DynamoDB::", "AWS::RDS::", "AWS::EFS::",
                     "AWS::ElastiCache::", "AWS::SecretsManager::", "AWS::SSM::", "AWS::KMS::")) \
            or t == "AWS::Serverless::SimpleTable":
        return "storage"
    if t.startswith("AWS::IAM::"):
        return "iam"
    if t.startswith("AWS::CloudFront::"):
        return "cdn"
    if t.startswith("AWS::Cognito::"):
        return "auth"
    if t.startswith(("AWS::SQS::", "AWS::SNS::", "AWS::Events::", "AWS::Kinesis::",
                     "AWS::Scheduler::", "AWS::Pipes::")):
        return "messaging"
    return "other"


@dataclass
class Node:
    id: str
    label: str          # first line
    detail: str = ""    # second line (type, ...)
    group: str = "other"
    exposed: bool = False


@dataclass
class Edge:
    src: str
    dst: str
    label: str
    style: str = "normal"   # normal | dotted | exposed | cdn


@dataclass
class Picture:
    title: str
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: dict[tuple, Edge] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def node(self, key: str, **kw) -> Node:
        n = self.nodes.get(key)
        if n is None:
            n = self.nodes[key] = Node(id=key, **kw)
        return n

    def edge(self, src: str, dst: str, label: str, style: str = "normal") -> None:
        if src not in self.nodes or dst not in self.nodes:
            return
        k = (src, dst, label)
        old = self.edges.get(k)
        if old is None or _RANK[style] > _RANK[old.style]:
            self.edges[k] = Edge(src, dst, label, style)

    def sorted_edges(self) -> list[Edge]:
        return sorted(self.edges.values(), key=lambda e: (e.src, e.dst, e.label, e.style))


_RANK = {"dotted": 0, "normal": 1, "cdn": 2, "exposed": 3}
_ID_OK = re.compile(r"^[A-Za-z0-9]+$")


# ----------------------------------------------------------------------------- building

def _safe(what: str, fn, default, notes: list[str]):
    """A view that fails must not stop the picture: note it and go on without it."""
    try:
        return fn()
    except Exception as exc:  # noqa: BLE001 - isolation, like the engine's
        notes.append(f"{what} unavailable: {type(exc).__name__}: {exc}")
        return default


def _rid(lid: str, taken: dict[str, str]) -> str:
    if lid in taken:
        return taken[lid]
    base = "r_" + (lid if _ID_OK.match(lid) else re.sub(r"[^A-Za-z0-9]", "_", lid))
    nid, i = base, 2
    while nid in taken.values():
        nid, i = f"{base}_{i}", i + 1
    taken[lid] = nid
    return nid


def _is_broad(grant, flagged_paths: list[tuple]) -> bool:
    path = tuple(getattr(grant, "path", ()) or ())
    if path and any(fp[: len(path)] == path for fp in flagged_paths):
        return True
    actions = getattr(grant, "actions", ()) or ()
    if any(getattr(a, "is_wildcard", False) for a in actions):
        return True
    return bool(getattr(grant, "not_actions", ())) and not actions


def _grant_label(g) -> str:
    if getattr(g, "synthetic", False) and getattr(g, "managed", None):
        return f"{g.managed} (AWS managed)"
    acts = [a.text for a in (g.actions or ())]
    head = ""
    if not acts and getattr(g, "not_actions", ()):
        acts = [a.text for a in g.not_actions]
        head = "NotAction "
    shown = ", ".join(acts[:3]) + (f" +{len(acts) - 3}" if len(acts) > 3 else "")
    res = [getattr(r, "display", getattr(r, "text", "?")) for r in (getattr(g, "resources", ()) or ())]
    on = ""
    if res:
        on = " on " + ", ".join(res[:2]) + (f" +{len(res) - 2}" if len(res) > 2 else "")
    elif getattr(g, "not_resources", ()):
        on = " on NotResource"
    return head + (shown or "?") + on


def build(path: str) -> tuple[Picture | None, str | None]:
    """The picture of one template, or (None, error message)."""
    from ..config import Config
    from ..context import Context
    from ..graph import Edge as GraphEdge
    from ..engine import check_loaded, load_checkable, selected_rules
    from ..model.template import Template

    doc, err = load_checkable(path)
    if doc is None:
        return None, err

    pic = Picture(title=path)
    try:   # the config `slint check` would use, so the picture agrees with its findings
        from ..config import find_config, load_config
        found = find_config([path])
        config = load_config(found) if found else Config()
    except ValueError as exc:
        return None, str(exc)
    rules = selected_rules(config)
    # one Context: the rules' run builds the graph and the views, the picture draws those
    from ..model.includes import resolve_includes
    doc = resolve_includes(doc, path, display=path).document   # the routes in included files
    ctx = Context(doc, Template(doc), config, path)
    result = check_loaded(doc, [], path, config, rules, {r.code: r for r in rules}, True,
                          context=ctx)
    flagged = [tuple(f.path) for f in result.findings if f.category == "IAM"]
    codes_at: list[tuple[tuple, str]] = [(tuple(f.path), f.rule) for f in result.findings
                                         if f.category == "IAM"]

    t = ctx.template
    ids: dict[str, str] = {}
    for lid in sorted(t.resources):
        r = t.resources[lid]
        pic.node(_rid(lid, ids), label=lid,
                 detail=r.type + (" (implicit)" if getattr(r, "implicit", False) else ""),
                 group=group_of(r.type))

    # typed edges of the resource graph (built once, with every edge, before any rule ran);
    # S3 origins are drawn below, from the bucket view, labelled with their access mechanism
    buckets = _safe("bucket view", lambda: ctx.buckets.buckets(), [], pic.notes)
    g = _safe("resource graph", lambda: ctx.graph.g, None, pic.notes)
    for src, dst, data in (g.edges(data=True) if g is not None else ()):
        kind = data.get("kind", "")
        if src not in ids or dst not in ids or kind == GraphEdge.ORIGIN:
            continue
        pic.edge(ids[src], ids[dst], kind, "dotted" if kind == "depends_on" else "normal")

    def internet() -> str:
        return pic.node(INTERNET, label="Internet", group="internet", exposed=True).id

    # internet -> open route -> function -> over-broad grant
    # OPTIONS preflights are not open routes (browsers send them without credentials): as `check`
    routes = _safe("route view", lambda: [r for r in ctx.routes.open_routes()
                                          if not getattr(r, "is_preflight", False)], [], pic.notes)
    exposed_fns: dict[str, list[str]] = {}
    route_keys = sorted({(str(getattr(r, "api", "") or ""), str(getattr(r, "kind", "") or ""),
                          str(getattr(r, "method", "") or ""), str(getattr(r, "path", "") or ""),
                          getattr(r, "function", None) or "") for r in routes})
    for i, (api, kind, method, rpath, fn) in enumerate(route_keys, start=1):
        rid = pic.node(f"route_{i}", label=f"{method} {rpath}".strip() or "route",
                       detail=f"{kind} route, no auth" if kind else "no auth",
                       group="route", exposed=True).id
        pic.edge(internet(), rid, "open", "exposed")
        if api in ids:
            pic.edge(ids[api], rid, "route", "dotted")
        if fn and fn in ids:
            pic.nodes[ids[fn]].exposed = True
            pic.edge(rid, ids[fn], "invokes", "exposed")
            exposed_fns.setdefault(fn, []).append(rid)

    iam = _safe("IAM view", lambda: ctx.iam, None, pic.notes)
    if iam is not None:
        exposed_principals: set[str] = set()
        for fn in sorted(exposed_fns):
            pids = _safe("IAM view", lambda fn=fn: set(iam.principal_ids(fn)), {fn}, pic.notes)
            exposed_principals |= pids
            for role in _safe("IAM view", lambda fn=fn: iam.roles_of(fn), [], pic.notes):
                if role in ids:
                    pic.nodes[ids[role]].exposed = True
                    for key, e in list(pic.edges.items()):
                        if e.src == ids[fn] and e.dst == ids[role]:
                            pic.edges[key] = Edge(e.src, e.dst, e.label, "exposed")
        grants = _safe("IAM view", lambda: list(iam.allow_grants()), [], pic.notes)
        by_stmt: dict[tuple, list] = {}
        for gr in grants:
            if _is_broad(gr, flagged):
                key = (tuple(str(p) for p in gr.path), str(getattr(gr, "managed", "") or ""))
                by_stmt.setdefault(key, []).append(gr)
        for n, key in enumerate(sorted(by_stmt), start=1):
            group = by_stmt[key]
            first = group[0]
            codes = sorted({c for p, c in codes_at if p[: len(first.path)] == tuple(first.path)})
            principals = sorted({p for gr in group for p in (gr.principals or (gr.owner,))})
            hot = bool(exposed_principals & set(principals))
            gid = pic.node(f"grant_{n}", label=_grant_label(first),
                           detail=", ".join(codes) or "wildcard", group="grant", exposed=hot).id
            for p in principals:
                if p in ids:
                    pic.edge(ids[p], gid, "allows", "exposed" if p in exposed_principals else "normal")

    # internet -> public bucket; CloudFront -> bucket
    for b in buckets:
        lid = getattr(b, "logical_id", None)
        if lid not in ids:
            continue
        grants = list(getattr(b, "public_grants", []) or [])
        # as S3P001 grades them: website hosting that nothing grants read for answers 403, and
        # an ACL S3's defaults refuse makes the stack fail to deploy; neither exposes anything
        live = [gr for gr in grants if not getattr(gr, "deploy_fails", False)
                and getattr(gr, "kind", None) != "website"]
        if live:
            access = sorted({a for gr in live for a in gr.access})
            pic.nodes[ids[lid]].exposed = True
            pic.edge(internet(), ids[lid], "public " + "/".join(access) if access else "public",
                     "exposed")
        elif grants:
            why = ("website, no public read" if all(getattr(gr, "kind", None) == "website"
                                                    for gr in grants) else "public, fails to deploy")
            pic.edge(internet(), ids[lid], why, "dotted")
        for o in getattr(b, "fronted_by", []) or []:
            did = getattr(o, "distribution", None)
            if did in ids:
                pic.edge(ids[did], ids[lid], f"origin ({getattr(o, 'mechanism', '?')})", "cdn")
                pic.edge(internet(), ids[did], "CloudFront", "dotted")
    return pic, None


# ----------------------------------------------------------------------------- views

def exposure_only(pic: Picture) -> Picture:
    """Only the exposure paths: exposed edges and the nodes they join."""
    edges = {k: e for k, e in pic.edges.items() if e.style == "exposed"}
    keep = {n for e in edges.values() for n in (e.src, e.dst)}
    return Picture(pic.title, {k: n for k, n in pic.nodes.items() if k in keep}, edges,
                   list(pic.notes))


def focus(pic: Picture, logical_id: str, depth: int = 1) -> Picture | None:
    """The neighbourhood of one resource: nodes at most ``depth`` edges away (either
    direction), and the edges between them; None when no resource has that logical id."""
    start = next((k for k, n in sorted(pic.nodes.items()) if n.label == logical_id
                  and n.group not in ("route", "grant", "internet")), None)
    if start is None:
        return None
    near: dict[str, set[str]] = {}
    for e in pic.edges.values():
        near.setdefault(e.src, set()).add(e.dst)
        near.setdefault(e.dst, set()).add(e.src)
    seen, frontier = {start}, {start}
    for _ in range(max(0, depth)):
        frontier = {m for n in frontier for m in near.get(n, ())} - seen
        seen |= frontier
    return Picture(pic.title, {k: n for k, n in pic.nodes.items() if k in seen},
                   {k: e for k, e in pic.edges.items() if e.src in seen and e.dst in seen},
                   list(pic.notes))


# ----------------------------------------------------------------------------- mermaid

def _mm(text: str) -> str:
    """Text for a quoted mermaid label: entity codes for the characters mermaid parses; other
    control characters shown as escapes."""
    out = []
    for ch in visible(text, keep="\r\n\t"):
        if ch in '"#<>&|[]{}()`;':
            out.append(f"#{ord(ch)};")
        elif ch in "\r\n\t":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def _mm_node(n: Node) -> str:
    if n.group == "internet":
        return f'{n.id}(("{_mm(n.label)}"))'
    _title, op, cl, _shape, _fill = GROUPS.get(n.group, GROUPS["other"])
    text = _mm(n.label) + (f"<br/><small>{_mm(n.detail)}</small>" if n.detail else "")
    return f'{n.id}{op}"{text}"{cl}'


_MM_ARROW = {"normal": "-->", "dotted": "-.->", "exposed": "==>", "cdn": "==>"}


def render_mermaid(pic: Picture) -> str:
    lines = ["flowchart LR", "%% slint graph: " + _mm(pic.title)]
    for note in pic.notes:
        lines.append("%% note: " + visible(note.replace("\n", " ")))
    if INTERNET in pic.nodes:
        lines.append("    " + _mm_node(pic.nodes[INTERNET]))
    for grp in GROUP_ORDER:
        members = sorted((n for n in pic.nodes.values() if n.group == grp), key=lambda n: n.id)
        if not members:
            continue
        lines.append(f'    subgraph g_{grp}["{GROUPS[grp][0]}"]')
        lines.extend("        " + _mm_node(n) for n in members)
        lines.append("    end")
    edges = pic.sorted_edges()
    for e in edges:
        arrow = _MM_ARROW[e.style]
        lines.append(f'    {e.src} {arrow}|"{_mm(e.label)}"| {e.dst}')
    for grp in GROUP_ORDER:
        members = sorted(n.id for n in pic.nodes.values() if n.group == grp and not n.exposed)
        if members:
            lines.append(f"    classDef {grp} fill:{GROUPS[grp][4]},stroke:#5f6368")
            lines.append(f"    class {','.join(members)} {grp}")
    hot = sorted(n.id for n in pic.nodes.values() if n.exposed)
    for nid in hot:
        grp = pic.nodes[nid].group
        fill = GROUPS[grp][4] if grp in GROUPS else "#ffffff"
        lines.append(f"    style {nid} fill:{fill},stroke:{EXPOSED_COLOR},stroke-width:3px")
    for i, e in enumerate(edges):
        if e.style == "exposed":
            lines.append(f"    linkStyle {i} stroke:{EXPOSED_COLOR},stroke-width:3px")
        elif e.style == "cdn":
            lines.append(f"    linkStyle {i} stroke:{CDN_COLOR},stroke-width:3px")
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------- dot

def _dq(text: str) -> str:
    """A DOT double-quoted string (control characters shown as escapes)."""
    s = visible(text, keep="\r\n\t").replace("\\", "\\\\").replace('"', '\\"')
    s = s.replace("\r", " ").replace("\t", " ").replace("\n", "\\n")
    return f'"{s}"'


def _dot_node(n: Node) -> str:
    if n.group == "internet":
        attrs = {"label": n.label, "shape": "doublecircle", "style": "filled",
                 "fillcolor": "#ffffff", "color": EXPOSED_COLOR, "penwidth": "3"}
    else:
        _title, _o, _c, shape, fill = GROUPS.get(n.group, GROUPS["other"])
        attrs = {"label": n.label + ("\n" + n.detail if n.detail else ""), "shape": shape,
                 "style": "rounded,filled" if shape == "box" else "filled", "fillcolor": fill}
        if n.exposed:
            attrs.update(color=EXPOSED_COLOR, penwidth="3")
    body = ", ".join(f"{k}={_dq(v)}" for k, v in attrs.items())
    return f"{_dq(n.id)} [{body}];"


def render_dot(pic: Picture) -> str:
    lines = ["// slint graph: " + visible(pic.title), "digraph slint {",
             '    graph [rankdir="LR", fontname="Helvetica", compound="true"];',
             '    node [fontname="Helvetica", fontsize="10"];',
             '    edge [fontname="Helvetica", fontsize="9"];']
    for note in pic.notes:
        lines.append("    // note: " + visible(note.replace("\n", " ")))
    if INTERNET in pic.nodes:
        lines.append("    " + _dot_node(pic.nodes[INTERNET]))
    for grp in GROUP_ORDER:
        members = sorted((n for n in pic.nodes.values() if n.group == grp), key=lambda n: n.id)
        if not members:
            continue
        lines.append(f"    subgraph {_dq('cluster_' + grp)} {{")
        lines.append(f'        label={_dq(GROUPS[grp][0])}; style="rounded"; color="#dadce0";')
        lines.extend("        " + _dot_node(n) for n in members)
        lines.append("    }")
    for e in pic.sorted_edges():
        attrs = {"label": e.label}
        if e.style == "dotted":
            attrs["style"] = "dashed"
        elif e.style == "exposed":
            attrs.update(color=EXPOSED_COLOR, penwidth="3", fontcolor=EXPOSED_COLOR)
        elif e.style == "cdn":
            attrs.update(color=CDN_COLOR, penwidth="3", fontcolor=CDN_COLOR)
        body = ", ".join(f"{k}={_dq(v)}" for k, v in attrs.items())
        lines.append(f"    {_dq(e.src)} -> {_dq(e.dst)} [{body}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


RENDERERS = {"mermaid": render_mermaid, "dot": render_dot}


def run_graph(template: str, format: str = "mermaid", output: str | None = None, *,
              focus_id: str | None = None, depth: int = 1, exposure: bool = False) -> int:
    if depth < 0:
        sys.stderr.write("error: --depth must be 0 or more\n")
        return 2
    if format not in RENDERERS:
        sys.stderr.write(f"error: unknown format {format!r}; choose from {', '.join(FORMATS)}\n")
        return 2
    from ..outio import emit, overwrite_conflict, special_kind, write_file
    kind = special_kind(template)
    if kind:
        sys.stderr.write(f"error: {template}: not read: {kind}, not a regular file\n")
        return 2
    if output:
        from ..config import find_config
        conflict = overwrite_conflict([("--output", output)],
                                      [template, *filter(None, [find_config([template])])])
        if conflict:
            sys.stderr.write(f"error: {conflict}\n")
            return 2
    pic, err = build(template)
    if pic is None:
        sys.stderr.write(f"error: {err}\n")
        return 2
    if exposure:
        pic = exposure_only(pic)
    if focus_id is not None:
        focused = focus(pic, focus_id, depth)
        if focused is None:
            sys.stderr.write(f"error: no resource {focus_id!r} in {template}"
                             + (" (among the exposure paths)" if exposure else "") + "\n")
            return 2
        pic = focused
    for note in pic.notes:
        sys.stderr.write(f"warning: {note}\n")
    text = RENDERERS[format](pic)
    failed = write_file(output, text) if output else emit(text)
    return 0 if failed is None else failed

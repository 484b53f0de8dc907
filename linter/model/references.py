"""References to names a template does not define, in the properties that decide exposure.

CloudFormation rejects a ``Ref`` / ``Fn::GetAtt`` to an undefined name; SAM drops an event whose
``RestApiId`` names no API. Either way, what the author meant to protect is not what deploys.
"""

from __future__ import annotations

from typing import Any, Iterator

from .template import Resource, Template

# resource type -> properties (paths relative to Properties) whose references decide exposure
CHECKED = {
    "AWS::ApiGateway::Method": (("AuthorizerId",), ("RestApiId",)),
    "AWS::ApiGatewayV2::Route": (("AuthorizerId",), ("ApiId",)),
    "AWS::IAM::Policy": (("Roles",), ("Users",), ("Groups",)),
    "AWS::IAM::ManagedPolicy": (("Roles",), ("Users",), ("Groups",)),
    "AWS::Lambda::Permission": (("FunctionName",),),
}
SAM_EVENT_KEYS = {"Api": "RestApiId", "HttpApi": "ApiId", "WebSocket": "ApiId"}


def _defined(t: Template, name: str) -> bool:
    if name in t.resources or name in t.parameters or name.startswith("AWS::"):
        return True
    # SAM generates resources named after the resource that declares them (FnRole,
    # ApiProdStage, FnUrl, ServerlessRestApiDeployment...): a name one of them starts with
    return any(name.startswith(lid) for lid, r in t.resources.items() if r.is_sam)


def _refs(node: Any, path: tuple, depth: int = 0) -> Iterator[tuple[str, tuple]]:
    """(name, path) of every Ref / GetAtt target written in ``node``."""
    if depth > 50:
        return
    if isinstance(node, dict):
        if len(node) == 1:
            (k, v), = node.items()
            if k == "Ref" and isinstance(v, str):
                yield v, path + ("Ref",)
                return
            if k == "Fn::GetAtt":
                target = v[0] if isinstance(v, list) and v else \
                    v.split(".", 1)[0] if isinstance(v, str) else None
                if isinstance(target, str):
                    yield target, path + ("Fn::GetAtt",)
                return
            if k == "Fn::If" and isinstance(v, list):
                for i, x in enumerate(v[1:3], start=1):
                    yield from _refs(x, path + ("Fn::If", i), depth + 1)
                return
        return
    if isinstance(node, list):
        for i, x in enumerate(node):
            yield from _refs(x, path + (i,), depth + 1)


def undefined_references(t: Template) -> Iterator[tuple[Resource, str, str, tuple]]:
    """(resource as written, property label, undefined name, doc path of the reference)."""
    for r in t.resources.values():
        if r.implicit:
            continue
        for rel in CHECKED.get(r.type, ()):
            node = r.prop(*rel)
            if node is None:
                continue
            for name, p in _refs(node, ()):
                if not _defined(t, name):
                    yield r, "/".join(rel), name, r.doc_path(("Properties", *rel) + p)
        if r.type in ("AWS::Serverless::Function", "AWS::Serverless::StateMachine"):
            for ev in t.events(r):
                key = SAM_EVENT_KEYS.get(ev.type)
                if key and key in ev.properties:
                    for name, p in _refs(ev.properties[key], ()):
                        if not _defined(t, name):
                            yield r, f"Events.{ev.name}.{key}", name, \
                                r.doc_path(ev.rel + ("Properties", key) + p)

"""What a rule sees of one template: the model, the evaluator, the graph and the shared views.

Everything is computed on first use and shared by all rules of the run (graph and views are
``cached_property``), so a rule that needs nothing heavy pays for nothing heavy. The resource
graph is the backbone: it is built (once, with every edge) before the first view.

Each view is given what it reads (the template, the evaluator, the graph, the source map), never
the context: no view refers back to the context, so nothing here is a reference cycle and a
finished document is freed by reference counting alone (the runner pauses the cyclic GC).
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Iterable

from .findings import Finding
from .loader import Document
from .model.template import Resource, Template
from .model.values import Evaluator

if TYPE_CHECKING:  # pragma: no cover
    from .config import Config
    from .graph import ResourceGraph
    from .rule import Rule


class Context:
    def __init__(self, doc: Document, template: Template, config: "Config | None" = None,
                 display_name: str | None = None):
        self.doc = doc
        self.template = template
        self.config = config
        self.file = display_name or doc.filename
        self.values = Evaluator(template)

    # ------------------------------------------------------------ layers, built on demand
    @cached_property
    def graph(self) -> "ResourceGraph":
        """The resource graph, built once with every edge and immutable; views read it."""
        from .graph import ResourceGraph
        return ResourceGraph(self.template, self.values)

    @cached_property
    def iam(self):
        """IAM grants view (``slint.views.iam.IamView``)."""
        from .views.iam import IamView
        return IamView(self.template, self.values, self.graph)

    @cached_property
    def routes(self):
        """API route table with effective auth (``slint.views.api.RouteView``)."""
        from .views.api import RouteView
        return RouteView(self.template, self.values, self.graph)

    @cached_property
    def buckets(self):
        """Bucket exposure view (``slint.views.s3.BucketView``)."""
        from .views.s3 import BucketView
        self.graph   # the backbone first, as for every view (the bucket view reads no edge yet)
        return BucketView(self.template, self.values)

    @cached_property
    def bucket_names(self):
        """Bucket names graded for collisions and naming rules
        (``slint.views.bucket_names.BucketNameView``)."""
        from .views.bucket_names import BucketNameView
        self.graph   # the backbone first, as for every view
        return BucketNameView(self.template, self.values, self.doc.source)

    # ------------------------------------------------------------ helpers
    def finding(self, rule: "Rule", path: tuple, *, resource: str | None, message: str,
                severity, fix: str | None, scenario: Iterable | None = None,
                related: list | None = None) -> Finding:
        span, found = self.doc.source.locate(path)
        file = (self.doc.source.file_of(found) or self.file) if found else self.file
        scen = sorted([n, v] for n, v in scenario) if scenario else None
        other = self.doc.source.file_of(found) if found else None
        via = None
        if other is not None and other in self.doc.source.origins:  # an included file's node
            via = [dict(v) for v in self.doc.source.origins[other]]
        if self.template.given:  # say which given parameter values the finding rests on
            from .model.parameters import describe
            message += describe(self.template.given, self.template.given_used_by(resource))
        return Finding(rule=rule.code, name=rule.name, category=rule.category.value,
                       severity=getattr(severity, "value", severity), message=message,
                       file=file, line=span.line, column=span.column,
                       end_line=span.end_line, end_column=span.end_column,
                       resource=resource, path=list(path), fix=fix, scenario=scen,
                       related=related, subject=_scalar_at(self.doc.data, path),
                       via=via, construct=self.construct_of(resource))

    def construct_of(self, logical_id: str | None) -> str | None:
        """The CDK construct path of a resource (its ``aws:cdk:path`` metadata), or None."""
        r = self.template.resources.get(logical_id) if logical_id else None
        if r is None or not r.metadata:
            return None
        from .cdk import construct_path
        return construct_path(r.metadata)

    def owner_of(self, resource: Resource) -> str:
        """The logical id a user wrote for ``resource``: an implicit SAM API belongs to the
        (first) function whose event declared it."""
        from .views.owner import owner_of
        return owner_of(resource)


def _scalar_at(data, path) -> str | None:
    """The scalar at a document path (a finding's subject), or None (a mapping, a list, or a path
    that does not exist, such as a missing property)."""
    node = data
    for p in path:
        if isinstance(node, dict):
            if p not in node:
                return None
            node = node[p]
        elif isinstance(node, list) and isinstance(p, int) and 0 <= p < len(node):
            node = node[p]
        else:
            return None
    if isinstance(node, bool):
        return "true" if node else "false"
    if isinstance(node, (str, int, float)):
        text = str(node)
        return text if len(text) <= 200 else text[:200]
    return None

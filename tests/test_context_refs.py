"""Views are given what they read (template, evaluator, graph, source map), never the Context:
nothing a Context builds refers back to it, so a finished document is freed by reference counting
alone. The runner pauses the cyclic GC while checking; a cycle context -> view -> context would
keep every document of a directory scan alive."""

from __future__ import annotations

import gc
import weakref

from slint.context import Context
from slint.loader import load_text
from slint.model.template import Template

TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      CodeUri: src/
      Policies:
        - S3ReadPolicy: {BucketName: !Ref Site}
      Events:
        Get: {Type: Api, Properties: {Path: /x, Method: get}}
  Site:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: my-site
  SitePolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Site
      PolicyDocument:
        Statement:
          - {Effect: Allow, Principal: "*", Action: s3:GetObject, Resource: !Sub "${Site.Arn}/*"}
"""


def test_a_finished_context_and_its_views_are_freed_without_the_cyclic_gc():
    loaded = load_text(TEMPLATE, "t.yaml")
    ctx = Context(loaded.document, Template(loaded.document), None, "t.yaml")
    views = [ctx.graph, ctx.iam, ctx.routes, ctx.buckets, ctx.bucket_names]
    # the views really were built from this template
    assert [g.owner for g in ctx.iam.grants() if g.source == "sam_template"] == ["Fn"]
    assert [(r.method, r.path) for r in ctx.routes.routes()] == [("GET", "/x")]
    assert [b.logical_id for b in ctx.buckets.buckets()] == ["Site"]
    assert [b.logical_id for b in ctx.bucket_names.buckets] == ["Site"]
    refs = [weakref.ref(x) for x in (ctx, ctx.template, ctx.values, *views)]
    was = gc.isenabled()
    gc.disable()
    try:
        del ctx, views, loaded
        assert [r() is None for r in refs] == [True] * len(refs)
    finally:
        if was:
            gc.enable()


def test_no_view_keeps_the_context():
    loaded = load_text(TEMPLATE, "t.yaml")
    ctx = Context(loaded.document, Template(loaded.document), None, "t.yaml")
    for view in (ctx.iam, ctx.routes, ctx.buckets, ctx.bucket_names):
        assert ctx not in gc.get_referents(view) and ctx not in vars(view).values()

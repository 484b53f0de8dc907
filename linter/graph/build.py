"""Building the resource graph: every edge, computed once from the model and the evaluator.

Each ``_pass`` function below reads one kind of relationship and calls ``emit(src, dst, kind,
path, scenario, **attrs)``. A scenario is the frozenset of ``(condition, bool)`` under which the
edge holds: the source resource's own ``Condition:`` joined with every ``Fn::If`` around the value.
Passes run in a fixed order over resources in document order, so two builds of one template give
the same node and edge lists.
"""

from __future__ import annotations

import re
from typing import Callable

from ..model.values import EMPTY
from .edges import Edge
from .names import arn_target, policy_name_in_arn, types_of
from .refs import walk_refs

ROLE = "AWS::IAM::Role"
USER = "AWS::IAM::User"
GROUP = "AWS::IAM::Group"
MANAGED_POLICY = "AWS::IAM::ManagedPolicy"
FUNCTIONS = ("AWS::Lambda::Function", "AWS::Serverless::Function")
POOL = "AWS::Cognito::UserPool"
BUCKET = "AWS::S3::Bucket"
OAC_TYPE = "AWS::CloudFront::OriginAccessControl"
OAI_TYPE = "AWS::CloudFront::CloudFrontOriginAccessIdentity"
SAM_APIS = ("AWS::Serverless::Api", "AWS::Serverless::HttpApi")

# compute resource -> the property naming the role it runs as
ROLE_PROPS = {"AWS::Lambda::Function": "Role", "AWS::Serverless::Function": "Role",
              "AWS::Serverless::StateMachine": "Role",
              "AWS::StepFunctions::StateMachine": "RoleArn"}
POLICY_TARGETS = (("Roles", ROLE), ("Users", USER), ("Groups", GROUP))
INLINE_POLICY_TARGETS = {"AWS::IAM::RolePolicy": ("RoleName", ROLE),
                         "AWS::IAM::UserPolicy": ("UserName", USER),
                         "AWS::IAM::GroupPolicy": ("GroupName", GROUP)}
PRINCIPALS = (ROLE, USER, GROUP)
_FN_NAME = r":function:((?:\{[^}]*\}|[^/:{])+)"   # compiled on first use (re's cache)


class Builder:
    def __init__(self, graph, template, evaluator, names, emit: Callable):
        self.g = graph
        self.t = template
        self.v = evaluator
        self.names = names
        self.emit = emit
        self.generated: dict[str, str] = {}   # node id -> type, of the nodes SAM would create

    def run(self) -> None:
        t = self.t
        # nodes SAM generates that the model does not hold (a Role for a function without one,
        # a Lambda::Url for FunctionUrlConfig), so that references to them become edges
        for lid, r in t.resources.items():
            if r.type in ("AWS::Serverless::Function", "AWS::Serverless::StateMachine") \
                    and r.properties.get("Role") is None:
                self._generated(lid + "Role", ROLE, lid)
            if r.type == "AWS::Serverless::Function" and isinstance(
                    r.properties.get("FunctionUrlConfig"), dict):
                self._generated(lid + "Url", "AWS::Lambda::Url", lid)
        for lid, r in t.resources.items():
            scen = resource_scenario(r)
            if r.implicit:
                for fn_id, path in r.declared_by:
                    self.emit(fn_id, lid, Edge.IMPLICIT, path, scen)
                if r.type in SAM_APIS:
                    self.sam_api(r, scen)
                continue
            self._references(r, scen)
            for i, dep in enumerate(r.depends_on):
                self.emit(lid, dep, Edge.DEPENDS_ON, r.path + ("DependsOn", i), scen)
            handler = _PASSES.get(r.type)
            if handler is not None:
                handler(self, r, scen)
        # Phase 2 goes here: route nodes and route -> API / authorizer / function edges, built
        # from the route table once the API view is a package whose route reading the builder can
        # call. Until then ``RouteView.unbuilt_edges`` lists the route edges the builder lacks.

    def _generated(self, nid: str, rtype: str, by: str) -> None:
        if nid in self.t.resources or nid in self.g:
            return
        self.g.add_node(nid, kind="resource", type=rtype, implicit=True, generated_by=by)
        self.generated[nid] = rtype

    def _references(self, r, scen) -> None:
        lid = r.logical_id
        for name, attr, kind, path, s in walk_refs(r.raw, r.path, scen, self.v.join):
            if name != lid:
                self.emit(lid, name, kind, path, s, attr=attr)

    # ------------------------------------------------------------ passes, by resource type
    def compute(self, r, scen) -> None:
        """function / state machine -> role; SAM events; SAM Policies -> managed policies."""
        lid = r.logical_id
        prop = ROLE_PROPS[r.type]
        has_role = r.prop(prop) is not None
        if not has_role:
            if r.is_sam and lid + "Role" in self.generated:
                self.emit(lid, lid + "Role", Edge.RUNS_AS, r.path, scen, via="generated")
        else:
            for sv, path in self.scalar(r, ("Properties", prop), scen):
                rid, via = self.resolve(sv, (ROLE,), names=False)
                if rid:
                    self.emit(lid, rid, Edge.RUNS_AS, path, sv.scenario, via=via)
        if r.is_sam and not has_role:   # SAM ignores Policies when Role is given
            for sv, path in self.values(r, ("Properties", "Policies"), scen):
                pid = self._managed_policy(sv)
                if pid:
                    self.emit(pid, lid, Edge.ATTACHED_POLICY, path, sv.scenario, via="Policies")
        if r.type == "AWS::Serverless::Function":
            self._sam_events(r, scen)
            if lid + "Url" in self.generated:
                self.emit(lid + "Url", lid, Edge.INVOKES,
                          r.doc_path(("Properties", "FunctionUrlConfig")), scen)

    def _sam_events(self, r, scen) -> None:
        lid = r.logical_id
        for ev in self.t.events(r):
            for name, _a, _k, path, s in walk_refs(ev.properties, ev.doc_path + ("Properties",),
                                                   scen, self.v.join):
                if name != lid and self.type_of(name) is not None:
                    self.emit(lid, name, Edge.EVENT_SOURCE, path, s, event=ev.name)
            if ev.type in ("Api", "HttpApi"):
                key = "RestApiId" if ev.type == "Api" else "ApiId"
                if key in ev.properties:
                    for sv in self.v.strings(ev.properties[key], scen):
                        ref = sv.single_ref()
                        if ref and self.type_of(ref[0]) is not None:
                            self.emit(ref[0], lid, Edge.INVOKES, ev.doc_path, sv.scenario,
                                      event=ev.name)
                else:
                    api = "ServerlessRestApi" if ev.type == "Api" else "ServerlessHttpApi"
                    if api in self.t.resources:
                        self.emit(api, lid, Edge.INVOKES, ev.doc_path, scen, event=ev.name)

    def _managed_policy(self, sv) -> str | None:
        ref = sv.single_ref()
        if ref and self.type_of(ref[0]) == MANAGED_POLICY:
            return ref[0]
        name = policy_name_in_arn(sv.text)
        return self.names.lookup((MANAGED_POLICY,), name, literal_only=True) if name else None

    def policy(self, r, scen) -> None:
        for key, rtype in POLICY_TARGETS:
            for sv, path in self.values(r, ("Properties", key), scen):
                pid, via = self.resolve(sv, (rtype,), arns=False)
                if pid:
                    self.emit(r.logical_id, pid, Edge.ATTACHED_POLICY, path, sv.scenario, via=via)

    def inline_policy(self, r, scen) -> None:
        prop, rtype = INLINE_POLICY_TARGETS[r.type]
        for sv, path in self.scalar(r, ("Properties", prop), scen):
            pid, via = self.resolve(sv, (rtype,), arns=False)
            if pid:
                self.emit(r.logical_id, pid, Edge.ATTACHED_POLICY, path, sv.scenario, via=via)

    def principal(self, r, scen) -> None:
        lid = r.logical_id
        for sv, path in self.values(r, ("Properties", "ManagedPolicyArns"), scen):
            pid = self._managed_policy(sv)
            if pid:
                self.emit(pid, lid, Edge.ATTACHED_POLICY, path, sv.scenario,
                          via="ManagedPolicyArns")
        if r.type == USER:
            for sv, path in self.values(r, ("Properties", "Groups"), scen):
                gid, via = self.resolve(sv, (GROUP,), arns=False)
                if gid:
                    self.emit(lid, gid, Edge.MEMBER_OF, path, sv.scenario, via=via)

    def user_to_group(self, r, scen) -> None:
        groups = [(gid, sv.scenario, path) for sv, path in
                  self.scalar(r, ("Properties", "GroupName"), scen)
                  for gid in [self.resolve(sv, (GROUP,), arns=False)[0]] if gid]
        for sv, path in self.values(r, ("Properties", "Users"), scen):
            uid, via = self.resolve(sv, (USER,), arns=False)
            for gid, gscen, _gp in groups:
                s = self.v.join(sv.scenario, gscen)
                if uid and s is not None:
                    self.emit(uid, gid, Edge.MEMBER_OF, path, s, via=r.logical_id)

    def bucket_policy(self, r, scen) -> None:
        for sv, path in self.scalar(r, ("Properties", "Bucket"), scen):
            bid = self._bucket_for(sv)
            if bid:
                self.emit(r.logical_id, bid, Edge.APPLIES_TO, path, sv.scenario,
                          via="ref" if sv.single_ref() else "name")
                break   # the bucket view takes the first value that designates a bucket

    def _bucket_for(self, sv) -> str | None:
        """As the bucket view resolves a ``Bucket`` value: ``!Ref B``, or a text equal to some
        bucket's (evaluated) ``BucketName``."""
        ref = sv.single_ref()
        if ref and ref[1] is None and self.type_of(ref[0]) == BUCKET:
            return ref[0]
        if not sv.text:
            return None
        if not sv.known and not (sv.params or sv.pseudo or sv.refs or sv.imports or sv.from_param
                                  or sv.outer):
            return None   # an opaque unknown ("{Select}"): equal text proves nothing
        return self.names.evaluated.get((BUCKET, sv.text))

    def distribution(self, r, scen) -> None:
        from .origins import s3_origins
        for o in s3_origins(self, r, scen):
            self.emit(r.logical_id, o.pop("bucket"), Edge.ORIGIN, o.pop("path"),
                      o.pop("scenario"), **o)

    def authorizer(self, r, scen) -> None:
        """AWS::ApiGateway::Authorizer / AWS::ApiGatewayV2::Authorizer."""
        lid = r.logical_id
        v2 = r.type == "AWS::ApiGatewayV2::Authorizer"
        for sv, path in self.scalar(r, ("Properties", "ApiId" if v2 else "RestApiId"), scen):
            ref = sv.single_ref()
            if ref and self.type_of(ref[0]) is not None:
                self.emit(lid, ref[0], Edge.AUTHORIZES, path, sv.scenario)
        pools = (("Properties", "JwtConfiguration", "Issuer") if v2
                 else ("Properties", "ProviderARNs"))
        for sv, path in self.values(r, pools, scen):
            for pid in self.refs_to(sv, (POOL,)):
                self.emit(lid, pid, Edge.USER_POOL, path, sv.scenario)
        for sv, path in self.scalar(r, ("Properties", "AuthorizerUri"), scen):
            for fid in self.refs_to(sv, FUNCTIONS):
                self.emit(lid, fid, Edge.AUTHORIZER_FUNCTION, path, sv.scenario)

    def sam_api(self, r, scen) -> None:
        """SAM ``Auth.Authorizers`` and an inline OpenAPI body's authorizers."""
        from .apis import sam_api_authorizers
        sam_api_authorizers(self, r, scen)

    def websocket_api(self, r, scen) -> None:
        from .apis import sam_websocket
        sam_websocket(self, r, scen)

    def rest_api(self, r, scen) -> None:
        from .apis import body_authorizers
        body_authorizers(self, r, ("Properties", "Body"), scen)

    def _function(self, r, rel: tuple, scen, kind: str, **attrs) -> None:
        for sv, path in self.scalar(r, rel, scen):
            fid, via = self.resolve(sv, FUNCTIONS)
            if fid:
                self.emit(r.logical_id, fid, kind, path, sv.scenario, via=via, **attrs)

    def permission(self, r, scen) -> None:
        self._function(r, ("Properties", "FunctionName"), scen, Edge.INVOKES)

    def function_url(self, r, scen) -> None:
        self._function(r, ("Properties", "TargetFunctionArn"), scen, Edge.INVOKES)

    def event_source_mapping(self, r, scen) -> None:
        self._function(r, ("Properties", "FunctionName"), scen, Edge.INVOKES)
        fns = [fid for sv, _p in self.scalar(r, ("Properties", "FunctionName"), scen)
               for fid in [self.resolve(sv, FUNCTIONS)[0]] if fid]
        for sv, path in self.scalar(r, ("Properties", "EventSourceArn"), scen):
            ref = sv.single_ref()
            src = ref[0] if ref else None
            if src is None:
                target = arn_target(sv.text)
                if target is not None:
                    src = self.names.lookup(types_of(target[0]), target[1], literal_only=True)
            if src and self.type_of(src) is not None:
                for fid in dict.fromkeys(fns):
                    self.emit(fid, src, Edge.EVENT_SOURCE, path, sv.scenario,
                              mapping=r.logical_id)

    def method(self, r, scen) -> None:
        """AWS::ApiGateway::Method integration -> function."""
        for sv, path in self.scalar(r, ("Properties", "Integration", "Uri"), scen):
            fid = self.function_in(sv)
            if fid:
                self.emit(r.logical_id, fid, Edge.INVOKES, path, sv.scenario)

    def v2_integration(self, r, scen) -> None:
        for sv, path in self.scalar(r, ("Properties", "IntegrationUri"), scen):
            fid = self.function_in(sv)
            if fid:
                self.emit(r.logical_id, fid, Edge.INVOKES, path, sv.scenario)

    # ------------------------------------------------------------ helpers
    def type_of(self, lid: str) -> str | None:
        """The type of a template resource or of a node SAM generates (``<Fn>Role``)."""
        r = self.t.resources.get(lid)
        if r is not None:
            return r.type
        return self.generated.get(lid)

    def values(self, r, rel: tuple, scen: frozenset):
        """(SValue, doc path of the item) for every item of the list (or scalar) at ``rel``."""
        node = r.prop(*rel[1:]) if rel and rel[0] == "Properties" else None
        if node is None:
            return
        base = r.doc_path(rel)
        for i, item, s in self.v.items(node, scen):
            path = base + ((i,) if i >= 0 else ())
            for sv in self.v.strings(item, s):
                yield sv, path

    def scalar(self, r, rel: tuple, scen: frozenset):
        node = r.prop(*rel[1:])
        if node is None:
            return
        path = r.doc_path(rel)
        for sv in self.v.strings(node, scen):
            yield sv, path

    def resolve(self, sv, types: tuple, *, names: bool = True, arns: bool = True,
                any_attr: bool = True) -> tuple[str | None, str]:
        """(logical id of a resource of ``types`` the value designates, how: ref | arn | name)."""
        ref = sv.single_ref()
        if ref and self.type_of(ref[0]) in types and (any_attr or ref[1] is None):
            return ref[0], "ref"
        if not sv.text:
            return None, ""
        if arns:
            target = arn_target(sv.text)
            if target is not None:
                hit = self.names.lookup(tuple(t for t in types_of(target[0]) if t in types),
                                        target[1], literal_only=True)
                if hit:
                    return hit, "arn"
        if names and sv.known:
            hit = self.names.lookup(types, sv.text, literal_only=True)
            if hit:
                return hit, "name"
        return None, ""

    def function_in(self, sv) -> str | None:
        """The Lambda function an integration URI / ARN value names: a reference to a function
        (or to an alias / version of one), or ``:function:<name>`` with ``name`` one of a
        function's (evaluated) ``FunctionName`` values, placeholders compared as written."""
        for lid, _attr in sv.refs:
            t = self.type_of(lid)
            if t in FUNCTIONS:
                return lid
            if t in ("AWS::Lambda::Alias", "AWS::Lambda::Version"):
                for fsv in self.v.strings(self.t.resources[lid].prop("FunctionName")):
                    ref = fsv.refs[0][0] if fsv.refs else None
                    if ref and self.type_of(ref) is not None:
                        return ref
                return lid
        m = re.search(_FN_NAME, sv.text) if ":function:" in sv.text else None
        if m:
            for t in FUNCTIONS:
                hit = self.names.evaluated.get((t, m.group(1)))
                if hit:
                    return hit
        return None

    def refs_to(self, sv, types: tuple) -> list[str]:
        return list(dict.fromkeys(lid for lid, _a in sv.refs if self.type_of(lid) in types))


def resource_scenario(r) -> frozenset:
    return frozenset({(r.condition, True)}) if r.condition else EMPTY




_PASSES: dict[str, Callable] = {
    **{t: Builder.compute for t in ROLE_PROPS},
    "AWS::IAM::Policy": Builder.policy,
    "AWS::IAM::ManagedPolicy": Builder.policy,
    **{t: Builder.inline_policy for t in INLINE_POLICY_TARGETS},
    **{t: Builder.principal for t in PRINCIPALS},
    "AWS::IAM::UserToGroupAddition": Builder.user_to_group,
    "AWS::S3::BucketPolicy": Builder.bucket_policy,
    "AWS::CloudFront::Distribution": Builder.distribution,
    "AWS::ApiGateway::Authorizer": Builder.authorizer,
    "AWS::ApiGatewayV2::Authorizer": Builder.authorizer,
    "AWS::Serverless::Api": Builder.sam_api,
    "AWS::Serverless::HttpApi": Builder.sam_api,
    "AWS::Serverless::WebSocketApi": Builder.websocket_api,
    "AWS::ApiGateway::RestApi": Builder.rest_api,
    "AWS::ApiGatewayV2::Api": Builder.rest_api,
    "AWS::Lambda::Permission": Builder.permission,
    "AWS::Lambda::Url": Builder.function_url,
    "AWS::Lambda::EventSourceMapping": Builder.event_source_mapping,
    "AWS::ApiGateway::Method": Builder.method,
    "AWS::ApiGatewayV2::Integration": Builder.v2_integration,
}

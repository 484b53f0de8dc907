"""The IAM grants view itself: principals, attached policies, and the public API rules read."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...graph.build import resource_scenario
from ...graph.names import policy_name_in_arn, role_name_in_arn
from ...model.values import SValue
from ...policy import Action, PolicyReader, ResourceValue, Statement
from .helpers import _is_intrinsic
from .model import (AWS_MANAGED_PREFIX, INLINE_POLICY_TYPES, POLICY_TYPES, PRINCIPAL_TYPES,
                    SAM_PRINCIPALS, _MANAGED_CONTENT, _PLACEHOLDER, Grant, ManagedPolicy)
from .resource_policies import ResourcePolicies
from .sam import SamPolicies

if TYPE_CHECKING:  # pragma: no cover
    from ...graph import ResourceGraph
    from ...model.template import Template
    from ...model.values import Evaluator


# --------------------------------------------------------------------------- the view


class IamView(SamPolicies, ResourcePolicies):
    def __init__(self, template: "Template", values: "Evaluator", graph: "ResourceGraph"):
        self.t = template
        self.v = self.values = values   # the evaluator (rules compare scenarios with it)
        self.graph = graph
        self.reader = PolicyReader(values)
        self._grants: list[Grant] = []
        self._managed: list[ManagedPolicy] = []
        self._roles_of: dict[str, list[tuple[str, tuple]]] = {}   # compute -> [(role id, path)]
        self._groups_of: dict[str, set[str]] = {}               # user -> groups
        self._idx: tuple[dict, dict] | None = None
        # principal -> its unconditional identity Deny grants (denied_on_every_arn), on demand
        self._denies: dict[str, list[Grant]] = {}
        self._any_deny: bool | None = None
        self._build()

    # ------------------------------------------------------------------ public API
    def grants(self) -> list[Grant]:
        """Every statement (identity, trust and resource-based), in document order."""
        return list(self._grants)

    def allow_grants(self) -> list[Grant]:
        """Identity statements that allow (an unknown Effect counts as Allow)."""
        return [g for g in self._grants if g.is_identity and g.allow]

    def trust_policies(self) -> list[Grant]:
        return [g for g in self._grants if g.source == "trust"]

    def resource_policies(self) -> list[Grant]:
        return [g for g in self._grants if g.source == "resource_policy"]

    def managed_policies(self) -> list[ManagedPolicy]:
        return list(self._managed)

    def roles_of(self, logical_id: str) -> list[str]:
        """The template roles a function / state machine runs as (its Role property)."""
        return [r for r, _ in self._roles_of.get(logical_id, [])]

    def principal_ids(self, logical_id: str) -> set[str]:
        """Principals whose grants are in force for ``logical_id`` (itself, its role, a user's
        groups)."""
        ids = {logical_id}
        for role, _ in self._roles_of.get(logical_id, []):
            ids.add(role)
        for uid in list(ids):
            ids |= self._groups_of.get(uid, set())
        return ids

    def grants_of(self, logical_id: str) -> list[Grant]:
        """Identity grants (allow and deny, synthetic included) in force for a principal: a role,
        user, group, SAM function / state machine, or a Lambda function through its role."""
        idx = self._index()[0]
        hits = sorted({i for pid in self.principal_ids(logical_id) for i in idx.get(pid, ())})
        return [self._grants[i] for i in hits]

    def denied_on_every_arn(self, principals, action: str, service: str, scenario) -> bool:
        """Is ``action`` (``sns:Publish``) explicitly denied, with no condition, on every resource
        ARN of ``service`` for each of ``principals``, whenever ``scenario`` holds? The Deny's
        resource is ``*`` or ``arn:PARTITION:SERVICE:`` followed only by ``*`` segments
        (``arn:aws:sns:*:*:*``; IAM lets a segment's trailing ``*`` match across colons, so
        ``arn:aws:sns:*:*`` covers topics too). What such a Deny leaves of an Allow on ``*`` is
        the requests that name no ARN: AWS's documented "text messages only" SNS policy."""
        if not principals:
            return False
        if self._any_deny is None:
            self._any_deny = any(not g.allow and g.is_identity for g in self._grants)
        if not self._any_deny:
            return False
        return all(any(_denies_everywhere(d, action, service, scenario)
                       for d in self._denies_of(p)) for p in principals)

    def _denies_of(self, principal: str) -> list[Grant]:
        got = self._denies.get(principal)
        if got is None:
            got = self._denies[principal] = [
                d for d in self.grants_of(principal)
                if not (d.allow or d.conditions or d.not_actions or d.not_resources)]
        return got

    def guest_roles(self) -> list[tuple[str, str, tuple, frozenset]]:
        """(role, identity pool, doc path, scenario) for each role an
        ``AWS::Cognito::IdentityPoolRoleAttachment`` hands to the *unauthenticated* identities of
        a template identity pool with ``AllowUnauthenticatedIdentities: true``, when the role's
        trust policy lets Cognito assume it for them (a ``Federated:
        cognito-identity.amazonaws.com`` Allow whose ``amr`` condition, if any, admits
        ``unauthenticated``). Anyone who can reach the pool's id (it ships in the web app) gets
        these credentials without signing in."""
        out = []
        for att in self.t.of_type("AWS::Cognito::IdentityPoolRoleAttachment"):
            roles = att.prop("Roles")
            if not isinstance(roles, dict) or "unauthenticated" not in roles:
                continue
            pools = [(sv.single_ref()[0], sv.scenario) for sv in
                     self.v.strings(att.prop("IdentityPoolId"), resource_scenario(att))
                     if sv.single_ref() and self._type(sv.single_ref()[0]) == "AWS::Cognito::IdentityPool"]
            path = att.doc_path(("Properties", "Roles", "unauthenticated"))
            for pool, ps in pools:
                pr = self.t.get(pool)
                for allow in self.v.strings(pr.prop("AllowUnauthenticatedIdentities"),
                                            resource_scenario(pr)):
                    if not (allow.known and allow.text.strip().lower() == "true"):
                        continue
                    for sv in self.v.strings(roles["unauthenticated"], ps):
                        ref = sv.single_ref()
                        if not ref or self._type(ref[0]) != "AWS::IAM::Role" \
                                or not self._guest_trust(ref[0]):
                            continue
                        scen = self.v.join(sv.scenario, allow.scenario)
                        if scen is not None:
                            out.append((ref[0], pool, path, scen))
        return out

    def _type(self, logical_id: str) -> str | None:
        r = self.t.get(logical_id)
        return r.type if r is not None else None

    def _guest_trust(self, role: str) -> bool:
        for g in self.trust_policies():
            if g.owner != role or not g.allow or not g.covers("sts:AssumeRoleWithWebIdentity"):
                continue
            if not any(p.kind == "Federated" and p.known
                       and p.text.strip().lower() == "cognito-identity.amazonaws.com"
                       for p in g.principal_values):
                continue
            amr = [c for c in g.conditions
                   if getattr(c, "key_l", "") == "cognito-identity.amazonaws.com:amr"]
            if all(_admits_guests(c) for c in amr):
                return True
        return False

    def managed_policies_of(self, logical_id: str) -> list[ManagedPolicy]:
        idx = self._index()[1]
        hits = sorted({i for pid in self.principal_ids(logical_id) for i in idx.get(pid, ())})
        return [self._managed[i] for i in hits]

    def _index(self) -> tuple[dict, dict]:
        """principal -> positions of its identity grants / managed policies (built once)."""
        if self._idx is None:
            grants: dict[str, list[int]] = {}
            for i, g in enumerate(self._grants):
                if g.is_identity:
                    for p in g.principals:
                        grants.setdefault(p, []).append(i)
            managed: dict[str, list[int]] = {}
            for i, m in enumerate(self._managed):
                managed.setdefault(m.owner, []).append(i)
            self._idx = (grants, managed)
        return self._idx

    def principals(self) -> list[str]:
        """Every principal with identity grants or managed policies, sorted."""
        out = {p for g in self._grants if g.is_identity for p in g.principals}
        out |= {m.owner for m in self._managed}
        return sorted(out)

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        res = self.t.resources
        # pass 1: who runs as which role; group membership; which managed policy resources are
        # attached where (via ManagedPolicyArns / SAM Policies !Ref)
        attached: dict[str, list[str]] = {}
        for lid, r in res.items():
            if r.type in ("AWS::Lambda::Function", "AWS::Serverless::Function",
                          "AWS::Serverless::StateMachine", "AWS::StepFunctions::StateMachine"):
                key = "RoleArn" if r.type == "AWS::StepFunctions::StateMachine" else "Role"
                node = r.prop(key)
                if node is not None:
                    for sv in self.v.strings(node):
                        role = self._role_id(sv)
                        if role:
                            self._roles_of.setdefault(lid, []).append(
                                (role, r.doc_path(("Properties", key))))
            if r.type == "AWS::IAM::User":
                for _i, g, _s in self.v.items(r.prop("Groups")):
                    gid = self._ref_id(g, ("AWS::IAM::Group",), "GroupName")
                    if gid:
                        self._groups_of.setdefault(lid, set()).add(gid)
            if r.type == "AWS::IAM::UserToGroupAddition":
                gid = self._ref_id(r.prop("GroupName"), ("AWS::IAM::Group",), "GroupName")
                for _i, u, _s in self.v.items(r.prop("Users")):
                    uid = self._ref_id(u, ("AWS::IAM::User",), "UserName")
                    if uid and gid:
                        self._groups_of.setdefault(uid, set()).add(gid)
            arns = r.prop("ManagedPolicyArns") if r.type in PRINCIPAL_TYPES else \
                r.prop("Policies") if r.type in SAM_PRINCIPALS and not self._has_role(r) else None
            for _i, item, _s in self.v.items(arns):
                if isinstance(item, dict) and not _is_intrinsic(item):
                    continue   # an inline document or a SAM policy template
                for sv in self.v.strings(item):
                    mp = self._managed_policy_id(sv)
                    if mp and lid not in attached.get(mp, []):
                        attached.setdefault(mp, []).append(lid)
        # pass 2: statements
        for lid, r in res.items():
            if r.implicit:
                continue
            t = r.type
            if t in PRINCIPAL_TYPES:
                self._principal(r)
            elif t in POLICY_TYPES:
                self._policy_resource(r, attached.get(lid, []))
            elif t in INLINE_POLICY_TYPES:
                self._inline_policy_resource(r)
            elif t in SAM_PRINCIPALS:
                self._sam(r)
            else:
                self._resource_policy(r)

    def _role_id(self, sv: SValue) -> str | None:
        """The template role a role ARN value designates: ``!GetAtt R.Arn``, or an ARN ending in
        ``role/<RoleName>`` of a role with that literal ``RoleName`` (the graph's name index)."""
        ref = sv.single_ref()
        if ref:
            r = self.t.resources.get(ref[0])
            return ref[0] if r is not None and r.type == "AWS::IAM::Role" else None
        name = role_name_in_arn(sv.text)
        return self.graph.by_name("AWS::IAM::Role", name, literal_only=True) if name else None

    def _has_role(self, r) -> bool:
        return r.prop("Role") is not None

    def _ref_id(self, node: Any, types: tuple, name_prop: str | None) -> str | None:
        """The logical id of a template resource of ``types`` that ``node`` refers to (by Ref /
        GetAtt, or a literal name matching its ``name_prop``: the graph's name index)."""
        for sv in self.v.strings(node):
            ref = sv.single_ref()
            if ref and ref[0] in self.t.resources and self.t.resources[ref[0]].type in types:
                return ref[0]
            if sv.known and name_prop:
                hit = self._named(types, name_prop, sv.text)
                if hit:
                    return hit
        return None

    def _named(self, types: tuple, name_prop: str, name: str) -> str | None:
        """The first resource of ``types`` (document order) whose literal ``name_prop`` is
        ``name``."""
        from ...graph.names import NAME_PROPS
        if all(NAME_PROPS.get(t) == name_prop for t in types):
            return self.graph.names.lookup(types, name, literal_only=True)
        for r in self.t.of_type(*types):   # a name property the graph does not index
            n = r.prop(name_prop)
            if isinstance(n, str) and n == name:
                return r.logical_id
        return None

    # ---- principals -------------------------------------------------------------
    def _principal(self, r) -> None:
        lid = r.logical_id
        src = {"AWS::IAM::Role": "role_inline", "AWS::IAM::User": "user_inline",
               "AWS::IAM::Group": "group_inline"}[r.type]
        for i, pol, s in self.v.items(r.prop("Policies")):
            if not isinstance(pol, dict):
                continue
            p = r.doc_path(("Properties", "Policies", i)) if i >= 0 else r.doc_path(("Properties", "Policies"))
            for doc, s2 in self.v.branches(pol.get("PolicyDocument"), s):
                self._document(doc, p + ("PolicyDocument",), s2, owner=lid, written_in=lid,
                               principals=(lid,), source=src)
        for i, item, s in self.v.items(r.prop("ManagedPolicyArns")):
            p = r.doc_path(("Properties", "ManagedPolicyArns", i)) if i >= 0 else \
                r.doc_path(("Properties", "ManagedPolicyArns"))
            self._managed_ref(item, p, s, owner=lid, allow_names=False)
        if r.type == "AWS::IAM::Role":
            for doc, s in self.v.branches(r.prop("AssumeRolePolicyDocument")):
                self._document(doc, r.doc_path(("Properties", "AssumeRolePolicyDocument")), s,
                               owner=lid, written_in=lid, principals=(lid,), source="trust",
                               target=lid)

    def _policy_resource(self, r, attached_via_arns: list[str]) -> None:
        lid = r.logical_id
        principals: list[str] = []
        for key, types, name_prop in (("Roles", ("AWS::IAM::Role",), "RoleName"),
                                      ("Users", ("AWS::IAM::User",), "UserName"),
                                      ("Groups", ("AWS::IAM::Group",), "GroupName")):
            for _i, item, _s in self.v.items(r.prop(key)):
                pid = self._ref_id(item, types, name_prop)
                if pid and pid not in principals:
                    principals.append(pid)
        for pid in attached_via_arns:
            if pid not in principals:
                principals.append(pid)
        prin = tuple(principals) or (lid,)
        src = "policy" if r.type == "AWS::IAM::Policy" else "managed_policy"
        for doc, s in self.v.branches(r.prop("PolicyDocument")):
            self._document(doc, r.doc_path(("Properties", "PolicyDocument")), s, owner=prin[0],
                           written_in=lid, principals=prin, source=src)

    def _inline_policy_resource(self, r) -> None:
        """``AWS::IAM::RolePolicy`` / ``UserPolicy`` / ``GroupPolicy``: one principal by name
        (``!Ref Role`` gives the role name)."""
        lid = r.logical_id
        prop, ptype, name_prop = INLINE_POLICY_TYPES[r.type]
        pid = self._ref_id(r.prop(prop), (ptype,), name_prop)
        prin = (pid,) if pid else (lid,)
        for doc, s in self.v.branches(r.prop("PolicyDocument")):
            self._document(doc, r.doc_path(("Properties", "PolicyDocument")), s, owner=prin[0],
                           written_in=lid, principals=prin, source="policy")

    def _managed_policy_id(self, sv: SValue) -> str | None:
        """The template's ``AWS::IAM::ManagedPolicy`` a policy ARN value designates: by ``!Ref``,
        or by an ARN ending in its literal ``ManagedPolicyName`` (the graph's name index)."""
        ref = sv.single_ref()
        if ref and ref[0] in self.t.resources and \
                self.t.resources[ref[0]].type == "AWS::IAM::ManagedPolicy":
            return ref[0]
        name = policy_name_in_arn(sv.text)
        return self.graph.by_name("AWS::IAM::ManagedPolicy", name, literal_only=True) \
            if name else None

    def _managed_ref(self, node: Any, path: tuple, scen: frozenset, *, owner: str,
                     allow_names: bool) -> None:
        from ... import iamdb
        for sv in self.v.strings(node, scen):
            local = self._managed_policy_id(sv)
            text = sv.text
            name = None
            if sv.known:
                m = AWS_MANAGED_PREFIX.match(text)
                if m:
                    name = m.group(1)
                elif allow_names and iamdb.sam_managed_policy_arn(text) is not None:
                    name = text
            if name is None and not sv.known:
                # arn:${AWS::Partition}:iam::aws:policy/X evaluates with a known partition;
                # a placeholder elsewhere in a policy ARN still names the policy
                m = AWS_MANAGED_PREFIX.match(_PLACEHOLDER.sub("aws", text))
                if m and "{" not in m.group(1):
                    name = m.group(1)
            mp = ManagedPolicy(owner=owner, written_in=owner, text=text, path=path,
                               scenario=sv.scenario, sv=sv, name=name, local=local)
            self._managed.append(mp)
            if name in _MANAGED_CONTENT:
                key, patterns = _MANAGED_CONTENT[name]
                acts = tuple(Action(p, path, sv.scenario) for p in patterns)
                self._grants.append(Grant(
                    owner=owner, written_in=owner, principals=(owner,), effect="Allow",
                    source="aws_managed", path=path, scenario=sv.scenario,
                    actions=acts if key == "Action" else (),
                    not_actions=acts if key == "NotAction" else (),
                    resources=(ResourceValue("*", path, sv.scenario),), managed=name,
                    synthetic=True))

    # ---- documents ------------------------------------------------------------------
    def _document(self, doc: Any, path: tuple, scen: frozenset, **meta) -> None:
        """One document node (any shape the policy reader knows: a mapping, a JSON string,
        ``!Sub`` of JSON, inside ``Fn::If``)."""
        for st in self.reader.statements(doc, path, scen):
            self._grant(st, **meta)

    def _grant(self, st: Statement, *, owner: str, written_in: str, principals: tuple,
               source: str, target: str | None = None) -> None:
        self._grants.append(Grant(
            owner=owner, written_in=written_in, principals=principals, effect=st.effect,
            source=source, path=st.path, scenario=st.scenario, actions=st.actions,
            not_actions=st.not_actions, resources=st.resources, not_resources=st.not_resources,
            principal_values=st.principals, not_principal=st.not_principal,
            conditions=st.conditions, target=target))


def _covers_service(res: ResourceValue, service: str) -> bool:
    """Does a resource pattern match every ARN of ``service``?"""
    text = res.text.strip()
    if text == "*":
        return True
    parts = text.split(":", 3)
    return (len(parts) == 4 and parts[0] == "arn" and parts[2].lower() == service.lower()
            and all(seg == "*" for seg in parts[3].split(":")))


def _denies_everywhere(d: Grant, action: str, service: str, scenario) -> bool:
    """``d``, an unconditional identity Deny (``IamView._denies_of``), denies ``action`` on
    every ARN of ``service`` whenever ``scenario`` holds (its own scenario is part of it)."""
    if not d.scenario <= scenario:
        return False
    return (any(a.matches(action) and a.scenario <= scenario for a in d.actions)
            and any(_covers_service(r, service) and r.scenario <= scenario
                    for r in d.resources))


def _admits_guests(c) -> bool:
    """Does an ``amr`` condition of a Cognito trust statement admit unauthenticated identities?
    Only ``StringEquals`` / ``StringLike`` (any ``ForAnyValue:`` qualifier) with a known value
    matching ``unauthenticated`` count; any other test is taken as excluding them."""
    from fnmatch import fnmatchcase
    op = getattr(c, "op", "")
    if op not in ("stringequals", "stringlike"):
        return False
    for sv in c.values:
        if not sv.known:
            continue
        v = sv.text
        if v == "unauthenticated" or (op == "stringlike" and fnmatchcase("unauthenticated", v)):
            return True
    return False

"""IAM grants view: every policy statement of a template, normalised once.

``IamView(ctx)`` (``ctx.iam``) walks every shape a permission can be written in and turns each
statement into a :class:`Grant`:

- identity policies: ``AWS::IAM::Role`` / ``User`` / ``Group`` ``Policies``;
  ``AWS::IAM::Policy`` / ``ManagedPolicy`` ``PolicyDocument`` (attached through ``Roles`` /
  ``Users`` / ``Groups``, or through a principal's ``ManagedPolicyArns`` / SAM ``Policies`` by
  ``!Ref``); SAM ``Policies`` of ``AWS::Serverless::Function`` / ``StateMachine`` (inline
  documents, SAM policy templates expanded with their parameters substituted, managed policy names
  and ARNs);
- AWS managed policies attached by name or ARN are :class:`ManagedPolicy` references; the few
  whose content matters to reachability and escalation (``AdministratorAccess``,
  ``PowerUserAccess``, ``IAMFullAccess``, some service ``*FullAccess``) also give *synthetic*
  grants (``Grant.synthetic``), which statement-level rules skip;
- trust policies (``AssumeRolePolicyDocument`` of roles and of SAM functions, Globals included);
- resource-based policies (``AWS::Lambda::Permission``, SQS / SNS policies, KMS key policies,
  Secrets Manager, EventBridge bus policies, ECR repositories, Lambda layer permissions and S3
  bucket policies).

``Fn::If`` is followed at every level (policy list, document, statement list, statement,
action / resource items): each alternative is a separate value carrying the condition
*scenario* it holds in. Values are evaluated with ``ctx.values``; a resource knows whether it is
``*``, a service-wide wildcard (``arn:aws:s3:::*``), a scoped value (one resource, a prefix) or
unknown (a parameter without default, an import).

Not included: the policies SAM generates on its own for event sources and destinations (MQ /
DocumentDB / Kafka pollers, ``DestinationConfig``, ``DeadLetterQueue``), which SAM scopes to the
source; the basic execution role SAM adds; permissions boundaries. Checked against the SAM
translator on the serverless-patterns corpus: 246 of 261 functions with ``Policies`` give exactly
the grants of the role SAM generates, the 15 others differ only by those SAM-generated policies.

Grant ownership: ``owner`` is the principal as written (the SAM function, not its generated
role; the role a standalone ``AWS::IAM::Policy`` is attached to), ``written_in`` the resource
holding the statement, ``principals`` every principal the statement applies to (a policy
attached to two roles gives one grant with two principals, so that statement-level rules report
it once). ``grants_of(id)`` gives everything in force for one principal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..graph.names import policy_name_in_arn, role_name_in_arn
from ..model.values import EMPTY, SValue, compatible  # noqa: F401  (re-exported to the rules)
from ..policy import (ANY, SCOPED, SERVICE, UNKNOWN, Action, Condition,  # noqa: F401  (re-exported)
                      ConditionEntry, PolicyReader, PrincipalValue, ResourceValue, Statement)

IDENTITY_SOURCES = ("role_inline", "user_inline", "group_inline", "policy", "managed_policy",
                    "sam_inline", "sam_template", "aws_managed")

PRINCIPAL_TYPES = ("AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group")
SAM_PRINCIPALS = ("AWS::Serverless::Function", "AWS::Serverless::StateMachine")
POLICY_TYPES = ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")
# single-principal inline policy resources: type -> (principal property, principal type, name prop)
INLINE_POLICY_TYPES = {
    "AWS::IAM::RolePolicy": ("RoleName", "AWS::IAM::Role", "RoleName"),
    "AWS::IAM::UserPolicy": ("UserName", "AWS::IAM::User", "UserName"),
    "AWS::IAM::GroupPolicy": ("GroupName", "AWS::IAM::Group", "GroupName"),
}

AWS_MANAGED_PREFIX = re.compile(r"^arn:[^:]*:iam::aws:policy/(?:.*/)?([^/]+)$")

# The content of the AWS managed policies that matter to escalation and reachability, reduced to
# (Action | NotAction, patterns).  Other managed policies are references only.
_MANAGED_CONTENT: dict[str, tuple[str, tuple[str, ...]]] = {
    "AdministratorAccess": ("Action", ("*",)),
    "PowerUserAccess": ("NotAction", ("iam:*", "organizations:*", "account:*")),
    "IAMFullAccess": ("Action", ("iam:*",)),
    "AmazonS3FullAccess": ("Action", ("s3:*", "s3-object-lambda:*")),
    "AmazonDynamoDBFullAccess": ("Action", ("dynamodb:*",)),
    "AmazonSQSFullAccess": ("Action", ("sqs:*",)),
    "AmazonSNSFullAccess": ("Action", ("sns:*",)),
    "AWSLambda_FullAccess": ("Action", ("lambda:*",)),
    "AWSLambdaFullAccess": ("Action", ("lambda:*",)),
    "AWSStepFunctionsFullAccess": ("Action", ("states:*",)),
    "AmazonKinesisFullAccess": ("Action", ("kinesis:*",)),
    "AmazonEventBridgeFullAccess": ("Action", ("events:*",)),
    "SecretsManagerReadWrite": ("Action", ("secretsmanager:*",)),
    "AmazonSSMFullAccess": ("Action", ("ssm:*",)),
    "CloudWatchFullAccess": ("Action", ("cloudwatch:*", "logs:*")),
    "AmazonEC2FullAccess": ("Action", ("ec2:*",)),
}


_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_POLICY_NAME = re.compile(r"^arn:[^:]*:iam::[^:]*:policy/(?:.*/)?([^/{}]+)$")


# --------------------------------------------------------------------------- grants


@dataclass(frozen=True)
class Grant:
    """One statement of one policy, in one scenario."""
    owner: str                          # principal as written (or the policy, if unattached)
    written_in: str                     # logical id of the resource holding the statement
    principals: tuple                   # every principal the statement applies to
    effect: str                         # Allow | Deny | ? (unknown)
    source: str                         # role_inline | policy | sam_template | trust | ...
    path: tuple                         # document path of the statement
    scenario: frozenset = EMPTY
    actions: tuple = ()                 # Action
    not_actions: tuple = ()
    resources: tuple = ()               # ResourceValue
    not_resources: tuple = ()
    principal_values: tuple = ()        # PrincipalValue (trust / resource policies)
    not_principal: bool = False
    conditions: tuple = ()              # ConditionEntry
    template: str | None = None         # SAM policy template name
    managed: str | None = None          # AWS managed policy name for synthetic grants
    synthetic: bool = False             # content of an AWS managed policy, not written here
    target: str | None = None           # resource-based policy: the resource it protects

    @property
    def allow(self) -> bool:
        return self.effect != "Deny"

    @property
    def is_identity(self) -> bool:
        return self.source in IDENTITY_SOURCES

    @property
    def action_key_path(self) -> tuple:
        return self.path + (("NotAction",) if self.not_actions and not self.actions else ("Action",))

    def covers(self, action: str) -> list:
        """Action patterns of this grant that allow ``action`` (NotAction: the grant itself
        covers it unless excluded; returns ``[None]`` then)."""
        hits = [a for a in self.actions if a.matches(action)]
        if not self.actions and self.not_actions:
            if not any(a.matches(action) for a in self.not_actions):
                return [None]
        return hits

    def limiting_conditions(self, kind: str = "resource") -> list:
        """Condition entries that genuinely limit the statement: ``resource`` (which resources
        an identity statement reaches) or ``principal`` (who a resource/trust policy admits)."""
        if kind == "resource":
            return [c for c in self.conditions if c.limits_resources]
        return [c for c in self.conditions if c.limits]

    @property
    def public(self) -> list:
        return [p for p in self.principal_values if p.is_public]

    def who(self) -> str:
        """How a message names the principal(s)."""
        if self.owner == self.written_in and len(self.principals) <= 1:
            return f"`{self.owner}`"
        names = ", ".join(f"`{p}`" for p in self.principals if p != self.written_in)
        if not names:
            return f"`{self.written_in}`"
        return f"`{self.written_in}` (attached to {names})"


@dataclass(frozen=True)
class ManagedPolicy:
    """A managed policy attached by ARN or (SAM) by name."""
    owner: str
    written_in: str
    text: str                           # the ARN (evaluated) or the name as written
    path: tuple
    scenario: frozenset = EMPTY
    sv: SValue | None = None
    name: str | None = None             # AWS managed policy name, when it is one
    local: str | None = None            # logical id of an AWS::IAM::ManagedPolicy of the template

    @property
    def aws_managed(self) -> bool:
        return self.name is not None


# --------------------------------------------------------------------------- the view


class IamView:
    def __init__(self, ctx):
        self.ctx = ctx
        self.t = ctx.template
        self.v = ctx.values
        self.reader = PolicyReader(ctx.values)
        self._grants: list[Grant] = []
        self._managed: list[ManagedPolicy] = []
        self._roles_of: dict[str, list[tuple[str, tuple]]] = {}   # compute -> [(role id, path)]
        self._groups_of: dict[str, set[str]] = {}               # user -> groups
        self._idx: tuple[dict, dict] | None = None
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
        return self.ctx.graph.by_name("AWS::IAM::Role", name, literal_only=True) if name else None

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
        from ..graph.names import NAME_PROPS
        if all(NAME_PROPS.get(t) == name_prop for t in types):
            return self.ctx.graph.names.lookup(types, name, literal_only=True)
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
        return self.ctx.graph.by_name("AWS::IAM::ManagedPolicy", name, literal_only=True) \
            if name else None

    def _managed_ref(self, node: Any, path: tuple, scen: frozenset, *, owner: str,
                     allow_names: bool) -> None:
        from .. import iamdb
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

    # ---- SAM ---------------------------------------------------------------------
    def _sam(self, r) -> None:
        lid = r.logical_id
        if self._has_role(r):
            return   # SAM ignores Policies (and AssumeRolePolicyDocument) when Role is given
        if r.type == "AWS::Serverless::Function":
            node = r.prop("AssumeRolePolicyDocument")
            if node is not None:
                for doc, s in self.v.branches(node):
                    self._document(doc, r.doc_path(("Properties", "AssumeRolePolicyDocument")), s,
                                   owner=lid, written_in=lid, principals=(lid,), source="trust",
                                   target=lid)
        pol_node = r.prop("Policies")
        if pol_node is None:
            return
        base = r.doc_path(("Properties", "Policies"))
        for i, item, s in self.v.items(pol_node):
            p = base + (i,) if i >= 0 else base
            self._sam_policy(r, item, p, s)

    def _sam_policy(self, r, item: Any, p: tuple, s: frozenset) -> None:
        from .. import iamdb
        lid = r.logical_id
        if isinstance(item, dict) and "Statement" in item or self.reader.is_json(item, s):
            self._document(item, p, s, owner=lid, written_in=lid, principals=(lid,),
                           source="sam_inline")
            return
        if isinstance(item, dict) and "PolicyDocument" in item and not _is_intrinsic(item):
            # an IAM-style {PolicyName, PolicyDocument} item
            self._document(item["PolicyDocument"], p + ("PolicyDocument",), s, owner=lid,
                           written_in=lid, principals=(lid,), source="sam_inline")
            return
        if isinstance(item, dict) and len(item) == 1:
            (name, params), = item.items()
            tmpl = iamdb.sam_policy_template(name) if isinstance(name, str) else None
            if tmpl is not None:
                self._sam_template(r, name, tmpl, params, p + (name,), s)
                return
        # a managed policy: name, ARN or an intrinsic giving an ARN
        self._managed_ref(item, p, s, owner=lid, allow_names=True)

    def _sam_template(self, r, name: str, tmpl: dict, params: Any, p: tuple, s: frozenset) -> None:
        lid = r.logical_id
        params = params if isinstance(params, dict) else {}
        definition = tmpl.get("Definition") or {}
        names = set(tmpl.get("Parameters") or {})
        for st in definition.get("Statement") or []:
            if not isinstance(st, dict):
                continue
            used = sorted(_template_refs(st.get("Resource"), names))
            res_node = _substitute(st.get("Resource"), params)
            res_path = p + (used[0],) if len(used) >= 1 and used[0] in params else p
            actions = tuple(Action(a, p, s) for a in _as_list(st.get("Action"))
                            if isinstance(a, str))
            resources = []
            for _j, rn, s2 in self.v.items(res_node, s):
                for sv in self.v.strings(rn, s2):
                    resources.append(ResourceValue(sv.text, res_path, sv.scenario, sv))
            conds = self.reader.conditions(_substitute(st.get("Condition"), params), p, s)
            self._grants.append(Grant(
                owner=lid, written_in=lid, principals=(lid,),
                effect=st.get("Effect", "Allow"), source="sam_template", path=p, scenario=s,
                actions=actions, resources=tuple(resources), conditions=conds,
                template=name))

    # ---- resource-based policies -------------------------------------------------
    _DOC_PROPS = {
        "AWS::SQS::QueuePolicy": ("PolicyDocument", "Queues"),
        "AWS::SNS::TopicPolicy": ("PolicyDocument", "Topics"),
        "AWS::KMS::Key": ("KeyPolicy", None),
        "AWS::S3::BucketPolicy": ("PolicyDocument", "Bucket"),
        "AWS::SecretsManager::ResourcePolicy": ("ResourcePolicy", "SecretId"),
        "AWS::ECR::Repository": ("RepositoryPolicyText", None),
        "AWS::Events::EventBusPolicy": ("Statement", "EventBusName"),
    }

    def _resource_policy(self, r) -> None:
        lid = r.logical_id
        if r.type == "AWS::Lambda::Permission":
            self._lambda_permission(r)
            return
        if r.type == "AWS::Lambda::LayerVersionPermission":
            self._flat_permission(r, "LayerVersionArn",
                                  {"OrganizationId": ("StringEquals", "aws:PrincipalOrgID")})
            return
        spec = self._DOC_PROPS.get(r.type)
        if spec is None:
            return
        prop, target_prop = spec
        target = lid
        if target_prop:
            for _i, item, _s in self.v.items(r.prop(target_prop)):
                for sv in self.v.strings(item):
                    ref = sv.single_ref()
                    if ref:
                        target = ref[0]
                        break
                break
        node = r.prop(prop)
        path = r.doc_path(("Properties", prop))
        if r.type == "AWS::Events::EventBusPolicy":
            if node is not None:
                for st, s in self.v.branches(node):
                    for norm in self.reader.statement(st, path, s):
                        self._grant(norm, owner=lid, written_in=lid, principals=(lid,),
                                    source="resource_policy", target=target)
            elif r.prop("Principal") is not None:
                self._flat_permission(r, "EventBusName", {})
            return
        for doc, s in self.v.branches(node):
            self._document(doc, path, s, owner=lid, written_in=lid, principals=(lid,),
                           source="resource_policy", target=target)

    def _lambda_permission(self, r) -> None:
        self._flat_permission(r, "FunctionName", {
            "SourceArn": ("ArnLike", "aws:SourceArn"),
            "SourceAccount": ("StringEquals", "aws:SourceAccount"),
            "PrincipalOrgID": ("StringEquals", "aws:PrincipalOrgID"),
            "EventSourceToken": ("StringEquals", "lambda:EventSourceToken"),
            "FunctionUrlAuthType": ("StringEquals", "lambda:FunctionUrlAuthType"),
        })

    def _flat_permission(self, r, target_prop: str, cond_props: dict) -> None:
        """Permissions written as properties (Principal, Action, SourceArn...) rather than a
        policy document: one synthetic statement pointing at the properties."""
        lid = r.logical_id
        target = lid
        for sv in self.v.strings(r.prop(target_prop)):
            ref = sv.single_ref()
            if ref:
                target = ref[0]
        base = r.doc_path(("Properties",))
        # the condition properties do not depend on the principal: read once
        conds = []
        for prop, (op, key) in cond_props.items():
            node = r.prop(prop)
            if node is not None:
                conds.append(ConditionEntry(op, key, tuple(self.v.strings(node)), base + (prop,)))
        ebc = r.prop("Condition") if r.type == "AWS::Events::EventBusPolicy" else None
        if isinstance(ebc, dict):   # {Type: StringEquals, Key: aws:PrincipalOrgID, Value}
            for tv in self.v.strings(ebc.get("Type")):
                for kv in self.v.strings(ebc.get("Key")):
                    conds.append(ConditionEntry(tv.text, kv.text,
                                                tuple(self.v.strings(ebc.get("Value"))),
                                                base + ("Condition",)))
        conds = tuple(conds)
        for pnode, s in self.v.branches(r.prop("Principal")):
            for sv in self.v.strings(pnode, s):
                kind = "*" if sv.known and sv.text.strip() == "*" else \
                    ("Service" if sv.known and sv.text.endswith(".amazonaws.com") else "AWS")
                pv = PrincipalValue(kind, sv.text, base + ("Principal",), sv.scenario, sv)
                acts = tuple(Action(a.text, base + ("Action",), a.scenario, a)
                             for a in self.v.strings(r.prop("Action"), sv.scenario))
                self._grants.append(Grant(
                    owner=lid, written_in=lid, principals=(lid,), effect="Allow",
                    source="resource_policy", path=base, scenario=sv.scenario, actions=acts,
                    principal_values=(pv,), conditions=conds, target=target))

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


# --------------------------------------------------------------------------- helpers


def _is_intrinsic(d: dict) -> bool:
    if len(d) != 1:
        return False
    k = next(iter(d))
    return isinstance(k, str) and (k == "Ref" or k.startswith("Fn::"))


def _as_list(v: Any) -> list:
    return v if isinstance(v, list) else [v] if v is not None else []


def _template_refs(node: Any, names: set) -> set:
    """Template parameters a SAM policy template value refers to."""
    out: set = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, dict):
            if len(n) == 1 and isinstance(n.get("Ref"), str) and n["Ref"] in names:
                out.add(n["Ref"])
                continue
            stack.extend(n.values())
        elif isinstance(n, list):
            stack.extend(n)
    return out


def _substitute(node: Any, params: dict) -> Any:
    """A SAM policy template value with ``{"Ref": Param}`` replaced by the user's value (SAM's
    own substitution). A parameter the user did not give stays a Ref (unknown)."""
    if isinstance(node, dict):
        if len(node) == 1 and isinstance(node.get("Ref"), str) and node["Ref"] in params:
            return params[node["Ref"]]
        return {k: _substitute(v, params) for k, v in node.items()}
    if isinstance(node, list):
        return [_substitute(v, params) for v in node]
    return node

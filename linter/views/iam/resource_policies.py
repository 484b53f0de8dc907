"""Resource-based policies: ``AWS::Lambda::Permission``, SQS / SNS / KMS / Secrets Manager /
EventBridge / ECR / layer / S3 bucket policies."""

from __future__ import annotations

from ...policy import Action, ConditionEntry, PrincipalValue
from .model import Grant


class ResourcePolicies:
    """The resource-policy part of :class:`IamView` (a mixin: it uses the view's state and
    helpers)."""

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
            # lambda:InvokeFunction only through the function URL (what SAM writes beside the
            # lambda:InvokeFunctionUrl permission of an `AuthType: NONE` URL)
            "InvokedViaFunctionUrl": ("Bool", "lambda:InvokedViaFunctionUrl"),
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

"""SAM ``Policies`` of functions and state machines: inline documents, SAM policy templates
(expanded with their parameters substituted), managed policy names and ARNs."""

from __future__ import annotations

from typing import Any

from ...policy import Action, ResourceValue
from .helpers import _as_list, _is_intrinsic, _substitute, _template_refs
from .model import Grant


class SamPolicies:
    """The SAM part of :class:`IamView` (a mixin: it uses the view's state and helpers)."""

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
        from ... import iamdb
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

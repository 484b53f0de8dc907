"""Bucket policies: each statement's principal, conditions and the access it opens."""

from __future__ import annotations

import re
from typing import Iterable, TYPE_CHECKING

from ...model.values import SValue
from ...policy import Statement
from .access import _access, _unknown_flags, _unknown_text
from .model import OAI_TYPE, Exposure, PolicyStatement
from .wording import _label

if TYPE_CHECKING:  # pragma: no cover
    from ...model.template import Resource


class PolicyReading:
    """The bucket-policy part of :class:`BucketView` (a mixin: it uses the view's state)."""

    def _policy(self, p: "Resource") -> None:
        bucket_node = p.prop("Bucket")
        bid = self.bucket_for(bucket_node) if bucket_node is not None else None
        self._policy_bucket[p.logical_id] = bid
        b = self._buckets.get(bid) if bid else None
        if b is not None:
            b.policies.append(p.logical_id)
        stmts = list(self._statements_of(p))
        self._statements[p.logical_id] = stmts
        denies = [s for s in stmts if s.effect == "Deny"]
        seen: set = set()
        for s in stmts:
            if s.effect != "Allow" or s.public == "no" or s.limiting:
                continue
            access, actions = _access(s.actions, s.not_action, s.resources, denies)
            if not access:
                continue
            if s.principal_path in seen:
                continue
            seen.add(s.principal_path)
            unknowns = list(s.unknowns)
            notes = []
            if b is None:
                notes.append("the bucket is not in this template, so its Block Public Access "
                             "settings are unknown")
            elif not b.bpa_present:
                notes.append("with S3's default Block Public Access for new buckets, which the "
                             "template leaves in place, this policy makes the stack fail to "
                             "deploy; the bucket is public only if Block Public Access is "
                             "turned off")
            else:
                notes.extend(_unknown_flags(b, ("BlockPublicPolicy", "RestrictPublicBuckets")))
            g = Exposure("policy", access, s.principal_path, p.logical_id, who=s.who,
                      actions=actions, certain=s.public == "yes", unknowns=tuple(unknowns),
                      blocked_by=self._policy_blocker(b), notes=tuple(notes),
                      scenario=s.scenario, label=_label(s),
                      deploy_fails=b is not None and not b.bpa_present)
            if b is not None:
                b.grants.append(g)
            else:
                self._orphan_grants.append(g)

    def _statements_of(self, p: "Resource") -> Iterable[PolicyStatement]:
        base = p.doc_path(("Properties", "PolicyDocument"))
        for st in self.reader.statements(p.prop("PolicyDocument"), base):
            yield self._statement(p.logical_id, st)

    def _statement(self, pid: str, st: Statement) -> PolicyStatement:
        unknowns: list[str] = []
        services: list[str] = []
        oai_refs: list[str] = []
        effect = st.effect if st.effect != "?" else "unknown"
        scenario = st.scenario
        if st.not_principal:
            public, who = ("yes", "everyone but its `NotPrincipal`") \
                if effect == "Allow" else ("no", "")
            ppath = st.path + ("NotPrincipal",)
        else:
            ppath = st.path + ("Principal",)
            public, who, sub, pscen = self._principal(st, services, oai_refs, unknowns)
            ppath = ppath + sub
            joined = self.v.join(scenario, pscen)
            if joined is None:   # the public principal's branch cannot hold with the statement
                public, who = "no", ""
            else:
                scenario = joined
        limiting, negated, source_refs, other = self._conditions(st, unknowns)
        not_action = st.has_not_action
        actions = [a.text if a.known else "{unknown}"
                   for a in (st.not_actions if not_action else st.actions)]
        resources: list[str] = ["*"] if st.has_not_resource else []
        for r in st.resources:
            sv = r.sv
            resources.append(sv.text if (sv.known or not sv.is_placeholder_only
                                         or any(x[1] for x in sv.refs)) else "{unknown}")
        return PolicyStatement(pid, st.path, st.sid, effect, ppath, public, who, tuple(services),
                               tuple(oai_refs), tuple(source_refs), tuple(limiting),
                               tuple(negated), other, tuple(actions), not_action, tuple(resources),
                               tuple(unknowns), scenario)

    def _principal(self, st: Statement, services: list, oai_refs: list,
                   unknowns: list) -> tuple[str, str, tuple, frozenset]:
        """(public: yes/no/unknown, who in words, path of the deciding node below Principal)."""
        public = "no"
        sub: tuple = ()
        base = st.path + ("Principal",)
        for pv in st.principals:
            sv = pv.sv
            here = pv.path[len(base):]
            if not here:   # "*" or an intrinsic giving the whole principal
                if sv.known and sv.text.strip() == "*":
                    return "yes", "`Principal: \"*\"`", (), pv.scenario
                if not sv.known and (sv.params or sv.imports) \
                        and not self._pattern_rejects_star(sv):
                    public = "unknown"
                    unknowns.append(_unknown_text("the principal", sv))
                continue
            k = pv.kind
            if sv.known and sv.text.strip() == "*":
                if k in ("AWS", "CanonicalUser"):
                    return "yes", f"`{k}: \"*\"`", here, pv.scenario
                continue
            if k == "Service":
                services.append(sv.text.lower())
            if k == "CanonicalUser" or "CloudFront Origin Access Identity" in sv.text:
                oai_refs.extend(r[0] for r in sv.refs if self._type(r[0]) == OAI_TYPE)
            if not sv.known and k == "AWS" and (sv.params or sv.imports) \
                    and not sv.refs and not sv.pseudo and sv.is_placeholder_only \
                    and not self._pattern_rejects_star(sv):
                public = "unknown"
                sub = sub or here
                unknowns.append(_unknown_text("the principal", sv))
        return public, ("an unknown principal" if public == "unknown" else ""), sub, frozenset()

    def _pattern_rejects_star(self, sv: SValue) -> bool:
        """True when every parameter the value comes from has an AllowedPattern that ``*``
        cannot match (CloudFormation validates it, so the value cannot be ``*``)."""
        if not sv.params or sv.imports:
            return False
        params = self.t.data.get("Parameters") if isinstance(self.t.data, dict) else None
        if not isinstance(params, dict):
            return False
        for name in sv.params:
            p = params.get(name)
            pat = p.get("AllowedPattern") if isinstance(p, dict) else None
            if not isinstance(pat, str):
                return False
            try:
                if re.fullmatch(pat, "*"):
                    return False
            except re.error:
                return False
        return True

    def _conditions(self, st: Statement, unknowns: list) -> tuple[list, list, list, bool]:
        """S3's own reading of who a statement admits ("The meaning of public": values must be
        free of wildcards), through the one key table of :mod:`slint.policy`."""
        limiting: list[str] = []
        negated: list[str] = []
        refs: list[str] = []
        other = False
        if st.condition_unreadable:
            # a condition we cannot read: give the statement the benefit of the doubt
            limiting.append("{unreadable Condition}")
            other = True
        for c in st.conditions:
            if not c.fixed(strict=True):
                other = True
                continue
            for sv in c.values:
                refs.extend(r[0] for r in sv.refs)
            how = c.who(strict=True)
            if how == "limits":
                limiting.append(c.key)
                if any(not sv.known and sv.params for sv in c.values):
                    unknowns.append(f"`{c.key}` comes from a parameter; assumed to be a "
                                    "fixed value")
            elif how == "negated":
                negated.append(c.key_l)
            else:
                other = True
        return limiting, negated, list(dict.fromkeys(refs)), other

"""Roles of a Serverless Framework service.

- ``provider.iam.role.statements`` and the legacy ``provider.iamRoleStatements`` (both, in that
  order), ``provider.iam.role.managedPolicies`` / ``provider.iamManagedPolicies``: the generated
  ``IamRoleLambdaExecution`` role that every function runs as by default.
- a named ``provider.iam.role`` (or legacy ``provider.role``): an existing role (a name, an ARN
  or a reference to a ``resources`` role); no role is generated, functions run as that one.
- ``functions.<key>.role``: that function's role, same forms.
- per-function ``iamRoleStatements`` / ``iam.role.statements`` (the serverless-iam-roles-per-function
  convention): the function's own role, written as the SAM function's ``Policies`` so that
  findings name the function key; ``iamRoleStatementsInherit: true`` adds the provider's.
"""

from __future__ import annotations

from typing import Any

from . import naming
from typing import TYPE_CHECKING

from .naming import LAMBDA_TRUST

if TYPE_CHECKING:  # pragma: no cover - annotations only (translate imports this module)
    from .translate import Builder


def _statement_sources(b: Builder, node: dict, base: tuple) -> list[tuple[Any, tuple]]:
    """(statement, src path) of ``iam.role.statements`` then ``iamRoleStatements`` under base."""
    out = []
    iam = node.get("iam")
    role = iam.get("role") if isinstance(iam, dict) else None
    if isinstance(role, dict) and isinstance(role.get("statements"), list):
        out += [(s, base + ("iam", "role", "statements", i)) for i, s in enumerate(role["statements"])]
    legacy = node.get("iamRoleStatements")
    if isinstance(legacy, list):
        out += [(s, base + ("iamRoleStatements", i)) for i, s in enumerate(legacy)]
    return out


def _managed_sources(b: Builder, node: dict, base: tuple) -> list[tuple[Any, tuple]]:
    out = []
    iam = node.get("iam")
    role = iam.get("role") if isinstance(iam, dict) else None
    if isinstance(role, dict) and isinstance(role.get("managedPolicies"), list):
        out += [(s, base + ("iam", "role", "managedPolicies", i)) for i, s in enumerate(role["managedPolicies"])]
    legacy = node.get("iamManagedPolicies")
    if isinstance(legacy, list):
        out += [(s, base + ("iamManagedPolicies", i)) for i, s in enumerate(legacy)]
    return out


def named_role(node: dict, base: tuple) -> tuple[Any, tuple] | None:
    """An existing role named by ``iam.role: <name|arn|ref>`` or legacy ``role:``."""
    iam = node.get("iam")
    if isinstance(iam, dict) and iam.get("role") is not None and not isinstance(iam.get("role"), dict):
        return iam["role"], base + ("iam", "role")
    if isinstance(iam, dict) and isinstance(iam.get("role"), dict) \
            and set(iam["role"]) & {"Ref", "Fn::GetAtt", "Fn::ImportValue", "Fn::Sub", "Fn::Join"}:
        return iam["role"], base + ("iam", "role")
    if node.get("role") is not None:
        return node["role"], base + ("role",)
    return None


def role_value(b: Builder, role: Any, src: tuple) -> Any:
    """A role written as a logical id of ``resources`` -> ``!GetAtt id.Arn``; an ARN or an
    intrinsic stays as written; a bare name -> the ARN of a role of that name."""
    if isinstance(role, str):
        if role.startswith("arn:"):
            return role
        res = _user_resources(b)
        if role in res:
            return {"Fn::GetAtt": [role, "Arn"]}
        return {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/" + role.replace("${", "${!")}
    return role


def _user_resources(b: Builder) -> dict:
    r = b.d.get("resources")
    blocks = [r] if isinstance(r, dict) else [x for x in r if isinstance(x, dict)] if isinstance(r, list) else []
    out: dict = {}
    for blk in blocks:
        res = blk.get("Resources")
        if isinstance(res, dict):
            out.update(res)
    return out


def provider_role(b: Builder, functions: list) -> None:
    """``IamRoleLambdaExecution`` when some function runs as the default role."""
    prov = b.provider
    b.provider_named = named_role(prov, ("provider",)) if prov else None
    if b.provider_named is not None:
        return
    needs = any(named_role(f, ()) is None and not _statement_sources(b, f, ()) for _k, f, _p in functions)
    stmts = _statement_sources(b, prov, ("provider",))
    managed = _managed_sources(b, prov, ("provider",))
    if not needs and not stmts and not managed:
        return
    lid = naming.ROLE
    base = ("Resources", lid, "Properties")
    src = stmts[0][1][:-1] if stmts else managed[0][1][:-1] if managed else ("provider",)
    props: dict = {"AssumeRolePolicyDocument": LAMBDA_TRUST}
    if stmts:
        props["Policies"] = [{"PolicyName": f"{b.service}-{b.stage}-lambda",
                              "PolicyDocument": {"Version": "2012-10-17",
                                                 "Statement": [s for s, _p in stmts]}}]
        b.at(base + ("Policies",), src)
        b.at(base + ("Policies", 0), src)
        b.at(base + ("Policies", 0, "PolicyDocument"), src)
        b.at(base + ("Policies", 0, "PolicyDocument", "Statement"), src)
        for i, (_s, p) in enumerate(stmts):
            b.graft(base + ("Policies", 0, "PolicyDocument", "Statement", i), p)
    if managed:
        props["ManagedPolicyArns"] = [m for m, _p in managed]
        b.at(base + ("ManagedPolicyArns",), managed[0][1][:-1])
        for i, (_m, p) in enumerate(managed):
            b.graft(base + ("ManagedPolicyArns", i), p)
    b.add(lid, "AWS::IAM::Role", props, src)


def function_role(b: Builder, key: str, f: dict, fpath: tuple) -> None:
    props = b.resources[key]["Properties"]
    base = ("Resources", key, "Properties")
    own = named_role(f, fpath)
    if own is not None:
        props["Role"] = role_value(b, own[0], own[1])
        b.graft(base + ("Role",), own[1])
        b.at(base + ("Role",), own[1])
        return
    stmts = _statement_sources(b, f, fpath)
    if stmts:
        if f.get("iamRoleStatementsInherit") is True:
            stmts = stmts + _statement_sources(b, b.provider, ("provider",))
        props["Policies"] = [{"Statement": [s for s, _p in stmts]}]
        src = stmts[0][1][:-1]
        b.at(base + ("Policies",), src)
        b.at(base + ("Policies", 0), src)
        b.at(base + ("Policies", 0, "Statement"), src)
        for i, (_s, p) in enumerate(stmts):
            b.graft(base + ("Policies", 0, "Statement", i), p)
        b.aliases[naming.per_function_role_id(key)] = f"{key}Role"
        return
    named = b.provider_named
    if named is not None:
        props["Role"] = role_value(b, named[0], named[1])
        b.at(base + ("Role",), named[1])
        return
    props["Role"] = {"Fn::GetAtt": [naming.ROLE, "Arn"]}

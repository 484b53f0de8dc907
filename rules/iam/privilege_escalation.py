"""IAM007: combinations of permissions that let a principal escalate its own privileges."""

from __future__ import annotations

from itertools import product

from slint.findings import Category, Severity
from slint.rule import Rule
from slint.views.iam import ANY, POLICY_TYPES, SERVICE

from ._common import arn_service, when

# Rhino Security Labs, "AWS IAM Privilege Escalation - Methods and Mitigation" (methods 1-21).
METHODS = (
    ("create a new default version of a policy", ("iam:CreatePolicyVersion",)),
    ("switch a policy to another default version", ("iam:SetDefaultPolicyVersion",)),
    ("pass a role to a new EC2 instance", ("iam:PassRole", "ec2:RunInstances")),
    ("create access keys for another user", ("iam:CreateAccessKey",)),
    ("create a console password for another user", ("iam:CreateLoginProfile",)),
    ("change another user's console password", ("iam:UpdateLoginProfile",)),
    ("attach any policy to a user", ("iam:AttachUserPolicy",)),
    ("attach any policy to a group", ("iam:AttachGroupPolicy",)),
    ("attach any policy to a role", ("iam:AttachRolePolicy",)),
    ("write an inline policy on a user", ("iam:PutUserPolicy",)),
    ("write an inline policy on a group", ("iam:PutGroupPolicy",)),
    ("write an inline policy on a role", ("iam:PutRolePolicy",)),
    ("add a user to any group", ("iam:AddUserToGroup",)),
    ("rewrite a role's trust policy and assume it", ("iam:UpdateAssumeRolePolicy", "sts:AssumeRole")),
    ("pass a role to a new Lambda function and invoke it",
     ("iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction")),
    ("pass a role to a new Lambda function triggered by an event source",
     ("iam:PassRole", "lambda:CreateFunction", "lambda:CreateEventSourceMapping")),
    ("replace the code of a Lambda function that has another role", ("lambda:UpdateFunctionCode",)),
    ("pass a role to a new Glue dev endpoint", ("iam:PassRole", "glue:CreateDevEndpoint")),
    ("take over an existing Glue dev endpoint", ("glue:UpdateDevEndpoint",)),
    ("pass a role to a new CloudFormation stack", ("iam:PassRole", "cloudformation:CreateStack")),
    ("pass a role to a new Data Pipeline",
     ("iam:PassRole", "datapipeline:CreatePipeline", "datapipeline:PutPipelineDefinition")),
)


def _broad_for(res, action: str) -> bool:
    if res.kind == ANY:
        return True
    if res.kind == SERVICE:
        return arn_service(res) == action.split(":")[0].lower()
    return False


# every action some method needs, by lower-case name and by service (for wildcard patterns)
_NEEDED = {a.lower(): a for _desc, acts in METHODS for a in acts}
_NEEDED_BY_SERVICE = {svc: tuple(a for low, a in _NEEDED.items() if low.partition(":")[0] == svc)
                      for svc in sorted({low.partition(":")[0] for low in _NEEDED})}


def _needed_matched(action, key: str) -> tuple[str, ...]:
    """The needed actions that the pattern ``action`` (lower-case text ``key``) covers: a dict
    lookup for a plain name, the needed actions of its service for a wildcard."""
    if "*" not in key and "?" not in key:
        hit = _NEEDED.get(key)
        return (hit,) if hit else ()
    svc, sep, _ = key.partition(":")
    cands = _NEEDED_BY_SERVICE.get(svc, ()) if sep and "*" not in svc and "?" not in svc \
        else tuple(_NEEDED.values())
    return tuple(n for n in cands if action.matches(n))


def _index(grants) -> dict[str, list[tuple[int, object]]]:
    """needed action -> [(grant index, Action)] of the patterns allowing it, in grant and
    statement order. Each distinct pattern is matched once against the needed actions (there
    are 25), instead of every pattern once per needed action."""
    memo: dict[str, tuple[str, ...]] = {}
    idx: dict[str, list[tuple[int, object]]] = {}
    for gi, g in enumerate(grants):
        ai = g.action_index   # plain names by text: a look-up per needed action, not per pattern
        if len(ai.plain) < len(_NEEDED):
            hits = [(pos, _NEEDED[low]) for low, poss in ai.plain.items() if low in _NEEDED
                    for pos in poss]
        else:
            hits = [(pos, n) for low, n in _NEEDED.items() for pos in ai.plain.get(low, ())]
        for pos in ai.general:
            a = g.actions[pos]
            key = a.text.strip().lower()
            hit = memo.get(key)
            if hit is None:
                hit = memo[key] = _needed_matched(a, key)
            hits.extend((pos, n) for n in hit)
        hits.sort(key=lambda h: h[0])   # stable: per pattern, the needed actions in their order
        for pos, n in hits:
            idx.setdefault(n, []).append((gi, g.actions[pos]))
    return idx


class PrivilegeEscalation(Rule):
    """## What it does
    Looks at everything one principal is allowed, across all its policies (inline policies,
    attached `AWS::IAM::Policy` / `ManagedPolicy` resources, SAM `Policies`, the role a function
    runs as, a user's groups), and flags the known privilege-escalation combinations published by
    Rhino Security Labs: `iam:CreatePolicyVersion`, `iam:AttachRolePolicy`, `iam:PutRolePolicy`,
    `iam:PassRole` + `lambda:CreateFunction` + `lambda:InvokeFunction`, `lambda:UpdateFunctionCode`,
    and the others, each granted on every resource. One finding per principal, at the first
    action of the first combination, listing every combination found.

    ## Why is this bad?
    Each combination lets the principal give itself (or a resource it controls) more permissions
    than it was granted, up to administrator: the policy looks limited but is not.

    ## Example
    ```yaml
    Resources:
      Role:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument:
            Statement:
              - Effect: Allow
                Principal: {Service: lambda.amazonaws.com}
                Action: sts:AssumeRole
          Policies:
            - PolicyName: deploy
              PolicyDocument:
                Statement:
                  - Effect: Allow
                    Action: [lambda:CreateFunction, lambda:InvokeFunction]
                    Resource: "*"
      PassPolicy:
        Type: AWS::IAM::Policy
        Properties:
          PolicyName: pass
          Roles: [!Ref Role]
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: iam:PassRole
                Resource: "*"
    ```

    ## Use instead
    ```yaml
    Resources:
      FnRole:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument:
            Statement:
              - Effect: Allow
                Principal: {Service: lambda.amazonaws.com}
                Action: sts:AssumeRole
      Role:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument:
            Statement:
              - Effect: Allow
                Principal: {Service: lambda.amazonaws.com}
                Action: sts:AssumeRole
          Policies:
            - PolicyName: deploy
              PolicyDocument:
                Statement:
                  - Effect: Allow
                    Action: [lambda:CreateFunction, lambda:InvokeFunction]
                    Resource: !Sub "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:app-*"
                  - Effect: Allow
                    Action: iam:PassRole
                    Resource: !GetAtt FnRole.Arn
    ```

    ## Known limitations
    A combination counts when at least one of its actions is granted by an explicit name or a
    partial pattern (`iam:Put*`): one made only of `*`, `service:*`, `NotAction` or AWS managed
    policies is already IAM001's, IAM004's or IAM005's. Only the content of the common AWS
    managed policies (`AdministratorAccess`, `PowerUserAccess`, `IAMFullAccess`, some service
    `*FullAccess`) is known. An action counts only on `*` or a service-wide ARN wildcard
    (scoped grants, and resources from parameters without defaults, are not counted). An
    unconditional `Deny` of the action on `*` for the same principal cancels it; permissions
    boundaries, SCPs and resource policies are not considered. Newer methods (SageMaker,
    CodeBuild, SSM) are not in the list yet.

    ## References
    - https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/
    - https://github.com/RhinoSecurityLabs/Security-Research/blob/master/tools/aws-pentest-tools/aws_escalate.py
    - checkov CKV_AWS_110 (privilege escalation, one policy document at a time)
    """
    code = "IAM007"
    name = "privilege-escalation"
    category = Category.IAM
    severity = Severity.HIGH
    message = "`{owner}` can escalate its privileges: {methods}{when}"
    policy_message = ("`{owner}` (attached to no principal of this template) lets whoever holds "
                      "it escalate their privileges: {methods}{when}")
    fix = "Remove the permission or scope it to the resources the principal must manage"

    def check(self, ctx):
        iam = ctx.iam
        for principal in iam.principals():
            grants = [g for g in iam.grants_of(principal) if not g.not_resources]
            allows = [g for g in grants if g.allow and not g.limiting_conditions("resource")]
            denies = [g for g in grants if g.effect == "Deny" and not g.conditions]
            if not allows:
                continue
            denies = [d for d in denies if any(r.kind == ANY for r in d.resources)]
            cache: dict = {}
            idx = (_index(allows), _index(denies),
                   [gi for gi, g in enumerate(allows) if not g.actions and g.not_actions])
            found = []
            for desc, needed in METHODS:
                cands = [self._holders(allows, denies, act, cache, idx, ctx.values.compatible)
                         for act in needed]
                if not all(cands):
                    continue
                # explicit grants first; a combination made only of wildcard / admin grants is
                # IAM001's, IAM004's or IAM005's already
                for combo in product(*cands):
                    scens = [h[1] for h in combo]
                    if all(h[2] for h in combo) or not ctx.values.compatible(*scens):
                        continue
                    found.append((desc, needed, combo, frozenset().union(*scens)))
                    break
            if not found:
                continue
            first = next(h for h in found[0][2] if not h[2])
            scen = found[0][3]
            methods = "; ".join(f"{desc} ({' + '.join(needed)})" for desc, needed, _c, _s in found)
            res = ctx.template.get(principal)
            standalone = res is not None and res.type in POLICY_TYPES
            yield self.report(ctx, first[0], resource=principal, scenario=scen,
                              message=self.policy_message if standalone else None,
                              owner=principal, methods=methods, when=when(scen))

    @staticmethod
    def _holders(allows, denies, action: str, cache: dict, idx, compatible) -> list:
        """[(doc path, scenario, wildcard)] of the grants allowing ``action`` on a broad
        resource, explicit ones first; ``wildcard`` marks `*` / `service:*` actions, NotAction
        statements and AWS managed policies. ``idx``: (``_index(allows)``, ``_index(denies)``,
        the indexes of the NotAction grants)."""
        if action in cache:
            return cache[action]
        allow_idx, deny_idx, not_action_grants = idx
        by_grant: dict[int, list] = {}
        for gi, a in allow_idx.get(action, ()):
            by_grant.setdefault(gi, []).append(a)
        out = []
        for gi in sorted(set(by_grant).union(not_action_grants)):
            g = allows[gi]
            nodes = [(a.path, a.scenario, a.is_wildcard or g.synthetic)
                     for a in by_grant.get(gi, ())]
            if not g.actions and g.not_actions and g.covers(action):
                nodes.append((g.path + ("NotAction",), g.scenario, True))
            for path, ascen, wild in nodes:
                for r in g.resources:
                    if _broad_for(r, action) and compatible(ascen, r.scenario):
                        out.append((path, ascen | r.scenario, wild))
                        break
        if out:
            for di in sorted({di for di, _a in deny_idx.get(action, ())}):
                d = denies[di]
                out = [h for h in out if not compatible(h[1], d.scenario)]
        out.sort(key=lambda h: h[2])
        cache[action] = out
        return out

"""IAM009: a role that anyone, or any AWS account, can assume."""

from __future__ import annotations

from slint.findings import Category, Severity
from slint.rule import Rule

from ._common import when

# web identity providers whose tokens say nothing about *your* app unless a condition checks the
# audience / subject
_FEDERATED_NEED = {
    "cognito-identity.amazonaws.com": ("cognito-identity.amazonaws.com:aud",),
    "token.actions.githubusercontent.com": ("token.actions.githubusercontent.com:sub",),
}


def _provider(text: str) -> str | None:
    """The shared web identity provider a Federated principal names (bare or as an OIDC
    provider ARN)."""
    for name in _FEDERATED_NEED:
        if text == name or text.endswith("oidc-provider/" + name):
            return name
    return None


class OpenTrustPolicy(Rule):
    """## What it does
    Flags trust policies (`AssumeRolePolicyDocument` of `AWS::IAM::Role`, and of SAM functions,
    Globals included) whose `Allow` statements admit `Principal: "*"` / `{AWS: "*"}` without a
    condition limiting the caller (`aws:PrincipalOrgID`, `aws:PrincipalAccount`,
    `aws:PrincipalArn`, `sts:ExternalId`, `aws:SourceArn`, ...), or a shared web identity
    provider without the condition that ties it to your app: Cognito identity pools without
    `cognito-identity.amazonaws.com:aud`, GitHub Actions OIDC without
    `token.actions.githubusercontent.com:sub`.

    ## Why is this bad?
    Anyone in any AWS account (or any identity pool, or any GitHub repository) can assume the
    role and use all of its permissions.

    ## Example
    ```yaml
    Resources:
      Role:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument:
            Statement:
              - Effect: Allow
                Principal: {AWS: "*"}
                Action: sts:AssumeRole
    ```

    ## Use instead
    ```yaml
    Parameters:
      TrustedAccount: {Type: String}
    Resources:
      Role:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument:
            Statement:
              - Effect: Allow
                Principal: {AWS: !Sub "arn:${AWS::Partition}:iam::${TrustedAccount}:root"}
                Action: sts:AssumeRole
    ```

    ## Known limitations
    A principal from a parameter without a default is not reported (it is normally an account
    id the deployer supplies). `Allow` with `NotPrincipal` (everyone except the listed
    principals) is reported like `*`.

    ## References
    - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user.html
    - https://docs.aws.amazon.com/cognito/latest/developerguide/role-trust-and-permissions.html
    - https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services
    - checkov CKV_AWS_60 (role assumable by anyone), CKV_AWS_61; cfn_nag F2 and F6 cover
      neighbouring trust-policy patterns (`*` action, Allow + NotPrincipal)
    """
    code = "IAM009"
    name = "open-trust-policy"
    category = Category.IAM
    severity = Severity.HIGH
    message = "`{owner}` can be assumed by {who}{when}"
    fix = "Trust specific accounts or roles, and add aws:PrincipalOrgID / sts:ExternalId / audience conditions"

    def check(self, ctx):
        seen = set()
        for g in ctx.iam.trust_policies():
            if not g.allow:
                continue
            if g.not_principal:
                # Allow + NotPrincipal: everyone except the listed principals
                path = g.path + ("NotPrincipal",)
                if (path, g.scenario) not in seen and not g.limiting_conditions("principal"):
                    seen.add((path, g.scenario))
                    yield self.report(ctx, path, resource=g.written_in, scenario=g.scenario,
                                      owner=g.written_in,
                                      who="anyone except the principals listed (`Allow` with "
                                          "`NotPrincipal`)", when=when(g.scenario))
                continue
            for p in g.principal_values:
                key = (p.path, p.scenario)
                if key in seen:
                    continue
                who = None
                if p.is_public:
                    if g.limiting_conditions("principal"):
                        continue
                    who = ("anyone in any AWS account (`Principal: *`) with no condition limiting "
                           "the caller")
                elif p.kind == "Federated" and _provider(p.text):
                    provider = _provider(p.text)
                    need = _FEDERATED_NEED[provider]
                    keys = {c.key.lower() for c in g.conditions if c.limits}
                    if any(n in keys for n in need):
                        continue
                    who = (f"any identity of `{provider}`: no `{need[0]}` condition ties it "
                           f"to this account's")
                    who += " identity pool" if provider.startswith("cognito") else " repository"
                if who is None:
                    continue
                seen.add(key)
                scen = g.scenario | p.scenario
                yield self.report(ctx, p.path, resource=g.written_in, scenario=scen,
                                  owner=g.written_in, who=who, when=when(scen))

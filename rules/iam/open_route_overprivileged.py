"""IAM010: a function that anyone can reach through an unauthenticated route and that holds
write or admin permissions on `*`."""

from __future__ import annotations

from slint.findings import Category, Severity
from slint.rule import Rule

from ._common import CONVENTIONAL_ON_STAR, WRITE_LEVELS, actions_on, when


# Services whose every call acts only on the caller's own Cognito identity when the caller holds
# identity-pool credentials: Cognito Sync ("the data stored for each identity is accessible only
# to credentials assigned to that identity"; its pool-wide calls need developer credentials),
# Cognito Identity (GetId, GetCredentialsForIdentity) and Mobile Analytics (PutEvents). AWS's
# old console default for both identity-pool roles grants `mobileanalytics:PutEvents` and
# `cognito-sync:*` on `*`: not a write on every resource for a guest.
IDENTITY_SCOPED_SERVICES = frozenset({"cognito-sync", "cognito-identity", "mobileanalytics"})


def over_privilege(iam, function: str, allowed_on_star=CONVENTIONAL_ON_STAR, skip_services=()):
    """(doc path, scenario, description) of the first write/admin-on-`*` permission in force for
    ``function``, or None. Actions of ``skip_services`` (lower-case service prefixes) do not
    count."""
    compatible = iam.values.compatible
    skip = frozenset(skip_services)
    for m in iam.managed_policies_of(function):
        if m.name and (m.name in ("AdministratorAccess", "PowerUserAccess", "IAMFullAccess")
                       or m.name.endswith("FullAccess")):
            return m.path, m.scenario, f"the AWS managed policy `{m.name}`"
    for g in iam.grants_of(function):
        if not g.allow or g.synthetic or g.limiting_conditions("resource"):
            continue
        broad = [r for r in g.resources if r.broad]
        if g.not_resources:
            return g.path + ("NotResource",), g.scenario, "`NotResource` with Allow"
        if not broad:
            continue
        if g.not_actions:
            return g.path + ("NotAction",), g.scenario, "`NotAction` on `*`"
        for r in broad:
            for a in g.actions:
                if a.is_wildcard and (a.service or "") not in skip \
                        and compatible(a.scenario, r.scenario):
                    return a.path, a.scenario | r.scenario, f"`{a.text}` on `{r.display}`"
            acts = actions_on(g, r, WRITE_LEVELS, exclude=allowed_on_star, iam=iam)
            if skip:
                acts = [(a, [i for i in infos if i.service not in skip]) for a, infos in acts]
                acts = [(a, infos) for a, infos in acts if infos]
            if acts:
                a = acts[0][0]
                return r.path, a.scenario | r.scenario, f"`{a.text}` on `{r.display}`"
    return None


class OpenRouteOverprivileged(Rule):
    """## What it does
    Joins the API route table with the IAM grants: a Lambda function that an unauthenticated
    route invokes (REST, HTTP or WebSocket route without authorizer, or a function URL with
    `AuthType: NONE`) and that holds write or admin permissions on `*` (a wildcard action on `*`,
    write or permissions-management actions on `*` or a service-wide ARN wildcard, `NotAction` /
    `NotResource`, an AWS managed admin or `*FullAccess` policy) gets one extra finding naming the
    route. It points at the open route (the event, function URL or route that exposes the
    function; its resource is the function), with the permission as a related location.

    The same holds for the role an `AWS::Cognito::IdentityPoolRoleAttachment` gives the
    `unauthenticated` identities of an identity pool with `AllowUnauthenticatedIdentities: true`
    (when the role's trust policy admits them): anyone who knows the pool id, which ships in the
    web app, gets its credentials without signing in. That finding points at the attachment's
    `Roles.unauthenticated`; its resource is the role. For such a role, actions of Cognito Sync,
    Cognito Identity and Mobile Analytics do not count: with identity-pool credentials they act
    only on the caller's own identity (AWS's old console default, `cognito-sync:*` and
    `mobileanalytics:PutEvents` on `*`, is not reported; IAM001 still reports `service:*`).

    ## Why is this bad?
    Each half alone is a risk; together they are an exposure: anyone on the internet can make
    the function run, and any bug in it (injection, SSRF, a deserialisation flaw) acts with
    account-wide write access.

    ## Example
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Handler: app.handler
          Runtime: python3.12
          CodeUri: src/
          Policies:
            - Statement:
                - Effect: Allow
                  Action: dynamodb:DeleteItem
                  Resource: "*"
          Events:
            Api:
              Type: Api
              Properties:
                Path: /items
                Method: delete
    ```

    In a Serverless Framework `serverless.yml`:
    ```yaml
    service: files
    provider:
      name: aws
      iam:
        role:
          statements:
            - Effect: Allow
              Action: s3:*
              Resource: "*"
    functions:
      upload:
        handler: upload.handler
        events:
          - http:
              path: upload
              method: post
    ```

    ## Use instead
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Table:
        Type: AWS::DynamoDB::Table
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Handler: app.handler
          Runtime: python3.12
          CodeUri: src/
          Policies:
            - Statement:
                - Effect: Allow
                  Action: dynamodb:DeleteItem
                  Resource: !GetAtt Table.Arn
          Events:
            Api:
              Type: Api
              Properties:
                Path: /items
                Method: delete
    ```

    In `serverless.yml`:
    ```yaml
    service: files
    provider:
      name: aws
      iam:
        role:
          statements:
            - Effect: Allow
              Action: s3:*
              Resource: "*"
    functions:
      upload:
        handler: upload.handler
        events:
          - http:
              path: upload
              method: post
              authorizer: aws_iam
    ```

    ## Known limitations
    Only as good as the route table (`ctx.routes`): routes defined in an OpenAPI body the API
    view cannot read, or functions invoked indirectly (through a queue, Step Functions) are not
    followed. Resources from parameters without defaults are not counted as `*` here (IAM002
    reports them at low severity), nor an action the function is denied, with no condition, on
    every ARN of its service (IAM002's rule). This finding is in addition to the route and IAM
    findings. For identity pools, only pools and attachments of the same template are read, and
    a trust policy's `amr` test counts only as `StringEquals` / `StringLike` with a known value;
    `RoleMappings` (rules or token-based roles) are not followed.

    ## References
    - https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-to-api.html
    - https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html
    - https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
    """
    code = "IAM010"
    name = "open-route-overprivileged"
    category = Category.IAM
    severity = Severity.HIGH
    message = ("`{fn}` is reachable without authentication by {route}{more} and holds "
               "{evidence}{when}")
    fix = "Require authentication on the route, or scope the function's permissions to its resources"
    options = {"allowed_on_star": list(CONVENTIONAL_ON_STAR)}

    guest_message = ("`{role}` is handed to unauthenticated identities of identity pool "
                     "`{pool}` (`AllowUnauthenticatedIdentities: true`): anyone can get its "
                     "credentials without signing in, and it holds {evidence}{when}")

    def check(self, ctx):
        try:
            routes = ctx.routes
        except ModuleNotFoundError:   # the API view is not available in this build
            return
        by_fn: dict = {}
        for route in routes.open_routes():
            fn = getattr(route, "function", None)
            if fn:
                by_fn.setdefault(fn, []).append(route)
        for fn in sorted(by_fn):
            found = over_privilege(ctx.iam, fn, tuple(self.opts["allowed_on_star"]))
            if found is None:
                continue
            path, scen, evidence = found
            rs = [r for r in by_fn[fn]
                  if ctx.values.compatible(getattr(r, "scenario", frozenset()) or frozenset(), scen)]
            if not rs:
                continue
            rs.sort(key=lambda r: (not getattr(r, "is_write", False), str(r.kind),
                                   str(r.method), str(r.path)))
            first = rs[0]
            route = _route_text(first)
            more = f" (and {len(rs) - 1} more open route{'s' if len(rs) > 2 else ''})" \
                if len(rs) > 1 else ""
            # primary location: the open route (where the exposure is declared, on the function);
            # the grant that makes it dangerous is a related location
            span, _ = ctx.doc.source.locate(path)
            related = [{"file": ctx.file, "line": span.line, "column": span.column,
                        "resource": fn, "message": f"`{fn}` is granted {evidence} here"}]
            where = tuple(getattr(first, "doc_path", ()) or ()) or path
            yield self.report(ctx, where, resource=fn, scenario=scen, fn=fn, route=route,
                              more=more, evidence=evidence, when=when(scen), related=related)
        yield from self._guest_roles(ctx)

    def _guest_roles(self, ctx):
        seen = set()
        allowed = tuple(self.opts["allowed_on_star"])
        privilege: dict = {}   # role -> over_privilege (the same for each pool and path)
        for role, pool, path, scen in ctx.iam.guest_roles():
            if (role, path) in seen:
                continue
            if role not in privilege:
                privilege[role] = over_privilege(ctx.iam, role, allowed,
                                                 skip_services=IDENTITY_SCOPED_SERVICES)
            found = privilege[role]
            if found is None:
                continue
            gpath, gscen, evidence = found
            both = ctx.values.join(scen, gscen)
            if both is None:
                continue
            seen.add((role, path))
            span, _ = ctx.doc.source.locate(gpath)
            related = [{"file": ctx.file, "line": span.line, "column": span.column,
                        "resource": role, "message": f"`{role}` is granted {evidence} here"}]
            yield self.report(ctx, path, resource=role, scenario=both,
                              message=self.guest_message, role=role, pool=pool,
                              evidence=evidence, when=when(both), related=related)


def _route_text(r) -> str:
    if r.kind == "FUNCTION_URL":
        return "its function URL (`AuthType: NONE`)"
    method = (r.method or "ANY").upper() if r.kind != "WEBSOCKET" else "route"
    return f"`{method} {r.path}` ({r.kind} API `{r.api}`)"

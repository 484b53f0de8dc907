"""IAM008: resource-based policies that grant to `Principal: "*"` without a limiting condition."""

from __future__ import annotations

from dataclasses import replace

from slint.findings import Category, Severity
from slint.rule import Rule

from ._common import when

# S3 bucket policies are the S3 family's (S3P rules): not repeated here.
SKIP_TYPES = ("AWS::S3::BucketPolicy",)


class PublicResourcePolicy(Rule):
    """## What it does
    Flags resource-based policies that allow `Principal: "*"` (or `{AWS: "*"}`) with no condition
    limiting who the caller is: `AWS::Lambda::Permission` (`Principal: "*"` without `SourceArn`,
    `SourceAccount` or `PrincipalOrgID`), `AWS::SQS::QueuePolicy`, `AWS::SNS::TopicPolicy`,
    `AWS::KMS::Key` key policies, `AWS::SecretsManager::ResourcePolicy`,
    `AWS::Events::EventBusPolicy`, ECR repository policies and Lambda layer permissions. The
    finding points at the principal.

    ## Why is this bad?
    `*` is anyone in any AWS account (and, for some services, anonymous callers): they can invoke
    the function, send to or read from the queue, publish to the topic, decrypt with the key.
    Conditions such as `aws:SourceArn`, `aws:SourceAccount`, `aws:SourceOwner`,
    `aws:PrincipalOrgID`, `aws:PrincipalAccount`, `aws:PrincipalArn`, `aws:SourceVpce` or
    `kms:CallerAccount` limit the caller and clear the finding; `aws:SecureTransport` does not,
    nor does a test that an absent key passes (`...IfExists`, `ForAllValues:`), `aws:SourceIp`
    `0.0.0.0/0`, or an ARN whose account is a wildcard. Policies written as JSON strings
    (`!Sub '{"Statement": ...}'`) are read too.

    ## Example
    ```yaml
    Resources:
      Queue:
        Type: AWS::SQS::Queue
      QueuePolicy:
        Type: AWS::SQS::QueuePolicy
        Properties:
          Queues: [!Ref Queue]
          PolicyDocument:
            Statement:
              - Effect: Allow
                Principal: "*"
                Action: sqs:SendMessage
                Resource: !GetAtt Queue.Arn
    ```

    ## Use instead
    ```yaml
    Resources:
      Queue:
        Type: AWS::SQS::Queue
      Topic:
        Type: AWS::SNS::Topic
      QueuePolicy:
        Type: AWS::SQS::QueuePolicy
        Properties:
          Queues: [!Ref Queue]
          PolicyDocument:
            Statement:
              - Effect: Allow
                Principal: {Service: sns.amazonaws.com}
                Action: sqs:SendMessage
                Resource: !GetAtt Queue.Arn
                Condition:
                  ArnEquals:
                    aws:SourceArn: !Ref Topic
    ```

    ## Known limitations
    S3 bucket policies are left to the S3 public-exposure rules. A Lambda permission for
    `lambda:InvokeFunctionUrl` with `FunctionUrlAuthType: NONE` is the public function URL
    itself, which the API rules report, and so is `lambda:InvokeFunction` with
    `InvokedViaFunctionUrl: true` on a function (or its alias) whose URL has `AuthType: NONE`
    (the second permission AWS requires for a public URL since October 2025; SAM writes it). A principal from a parameter without a default is not
    reported (it is normally an account id). `Allow` with `NotPrincipal` (everyone except the
    listed principals) is reported like `*`. Identity policies are IAM001-IAM007's.

    ## References
    - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous
    - https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
    - cfn_nag F13 (Lambda permission), F18 (SNS), F21 (SQS), F76 (KMS); checkov CKV_AWS_33 (KMS),
      CKV_AWS_32 (ECR)
    """
    code = "IAM008"
    name = "public-resource-policy"
    category = Category.IAM
    severity = Severity.HIGH
    message = "`{owner}` allows {who} to {acts}{target} with no condition limiting the caller{when}"
    fix = "Name the principal (account, service) and add aws:SourceArn / aws:SourceAccount / aws:PrincipalOrgID"

    def check(self, ctx):
        seen = set()
        open_urls = None   # functions with an open URL, read on first need
        for g in ctx.iam.resource_policies():
            r = ctx.template.get(g.written_in)
            if r is None or r.type in SKIP_TYPES or not g.allow:
                continue
            if g.not_principal:
                # Allow + NotPrincipal: everyone except the listed principals
                if g.principal_values and not g.limiting_conditions("principal"):
                    pub = [replace(g.principal_values[0], path=g.path + ("NotPrincipal",))]
                else:
                    continue
            else:
                pub = g.public
            if not pub or g.limiting_conditions("principal"):
                continue
            acts = [a.text for a in g.actions] or [a.text for a in g.not_actions]
            if acts and all(a.lower() == "lambda:invokefunctionurl" for a in acts) \
                    and _condition_is(g, "lambda:FunctionUrlAuthType", "NONE"):
                continue
            if acts and all(a.lower() in ("lambda:invokefunction", "lambda:invokefunctionurl")
                            for a in acts) and _condition_is(g, "lambda:InvokedViaFunctionUrl",
                                                             "true", str.lower):
                if open_urls is None:
                    open_urls = self._open_url_functions(ctx)
                if g.target in open_urls:
                    continue   # the open function URL itself, which the API rules report
            p = pub[0]
            key = (p.path, p.scenario)
            if key in seen:
                continue
            seen.add(key)
            act_text = ", ".join(f"`{a}`" for a in dict.fromkeys(acts)) or "act"
            if g.not_actions and not g.actions:
                act_text = "perform every action except " + act_text
            target = f" on `{g.target}`" if g.target and g.target != g.written_in else ""
            scen = g.scenario | p.scenario
            who = ("everyone except the listed principals (`NotPrincipal`)" if g.not_principal
                   else "anyone (`Principal: *`)")
            yield self.report(ctx, p.path, resource=g.written_in, scenario=scen, who=who,
                              owner=g.written_in, acts=act_text, target=target, when=when(scen))

    @staticmethod
    def _open_url_functions(ctx) -> set:
        """Functions whose URL anyone can call (`AuthType: NONE`, reported by API001)."""
        try:
            routes = ctx.routes.open_routes()
        except ModuleNotFoundError:   # the API view is not available in this build
            return set()
        return {t for r in routes if r.kind == "FUNCTION_URL"
                for t in (r.function, r.target) if t}


def _condition_is(g, key: str, value: str, norm=None) -> bool:
    """Does a condition of ``g`` on ``key`` have the known value ``value`` (compared after
    ``norm``)? `FunctionUrlAuthType: NONE`; `InvokedViaFunctionUrl: true` (callable only
    through the function URL)."""
    return any(c.key == key and any(
        v.known and (norm(v.text.strip()) if norm else v.text) == value for v in c.values)
        for c in g.conditions)

"""Name indexes of the resource graph: physical names and ARNs -> logical ids, built once.

Two indexes per resource type:

- *literal*: the name property written as a plain string (``RoleName: app-role``), in document
  order. Views that resolve "the role named X" use it: a literal is certain.
- *evaluated*: every text the evaluator gives for the name property (a parameter's default or
  allowed values, ``!Sub`` with pseudo parameters as ``{AWS::StackName}``...), first logical id in
  sorted order. Two values with the same placeholder text come from the same expression.

``arn_target(text)`` reads an ARN (placeholders allowed: ``arn:aws:iam::{AWS::AccountId}:role/x``)
as (resource type, physical name), so ``by_arn`` is one parse and one dictionary look-up.
"""

from __future__ import annotations

import re

# resource type -> property holding its physical name
NAME_PROPS: dict[str, str] = {
    "AWS::IAM::Role": "RoleName",
    "AWS::IAM::User": "UserName",
    "AWS::IAM::Group": "GroupName",
    "AWS::IAM::ManagedPolicy": "ManagedPolicyName",
    "AWS::IAM::Policy": "PolicyName",
    "AWS::IAM::InstanceProfile": "InstanceProfileName",
    "AWS::S3::Bucket": "BucketName",
    "AWS::Lambda::Function": "FunctionName",
    "AWS::Serverless::Function": "FunctionName",
    "AWS::Cognito::UserPool": "UserPoolName",
    "AWS::SNS::Topic": "TopicName",
    "AWS::SQS::Queue": "QueueName",
    "AWS::DynamoDB::Table": "TableName",
    "AWS::Serverless::SimpleTable": "TableName",
    "AWS::StepFunctions::StateMachine": "StateMachineName",
    "AWS::Serverless::StateMachine": "Name",
    "AWS::Kinesis::Stream": "Name",
    "AWS::Events::EventBus": "Name",
    "AWS::SecretsManager::Secret": "Name",
    "AWS::Logs::LogGroup": "LogGroupName",
    "AWS::ApiGateway::RestApi": "Name",
    "AWS::ApiGatewayV2::Api": "Name",
}

# short kinds accepted by ``by_name`` -> the types they cover (in this order)
KINDS: dict[str, tuple[str, ...]] = {
    "role": ("AWS::IAM::Role",),
    "user": ("AWS::IAM::User",),
    "group": ("AWS::IAM::Group",),
    "managed_policy": ("AWS::IAM::ManagedPolicy",),
    "policy": ("AWS::IAM::Policy",),
    "bucket": ("AWS::S3::Bucket",),
    "function": ("AWS::Lambda::Function", "AWS::Serverless::Function"),
    "user_pool": ("AWS::Cognito::UserPool",),
    "topic": ("AWS::SNS::Topic",),
    "queue": ("AWS::SQS::Queue",),
    "table": ("AWS::DynamoDB::Table", "AWS::Serverless::SimpleTable"),
    "state_machine": ("AWS::StepFunctions::StateMachine", "AWS::Serverless::StateMachine"),
    "stream": ("AWS::Kinesis::Stream",),
    "event_bus": ("AWS::Events::EventBus",),
    "secret": ("AWS::SecretsManager::Secret",),
    "log_group": ("AWS::Logs::LogGroup",),
}

# the same patterns as the IAM view has always used (a placeholder becomes "#", which no
# literal name contains); compiled on first use, not at import (a check of a small template
# that names nothing by ARN never needs them)
_PATTERNS = {
    "placeholder": r"\{[^{}]*\}",
    "role": r":role/(?:.*/)?([^/{}]+)$",
    "policy": r"^arn:[^:]*:iam::[^:]*:policy/(?:.*/)?([^/{}]+)$",
    "user": r"^arn:[^:]*:iam::[^:]*:user/(?:.*/)?([^/{}]+)$",
    "group": r"^arn:[^:]*:iam::[^:]*:group/(?:.*/)?([^/{}]+)$",
    "s3": r"^arn:[^:]*:s3:::([^/]+)(?:/.*)?$",
    "lambda": r"^arn:[^:]*:lambda:[^:]*:[^:]*:function:([^:]+)(?::[^:]+)?$",
    "simple": r"^arn:[^:]*:(sns|sqs):[^:]*:[^:]*:([^:/]+)$",
    "slashed": (r"^arn:[^:]*:(dynamodb|kinesis|events|states|logs):[^:]*:[^:]*:"
                r"(table/|stream/|event-bus/|stateMachine:|log-group:)([^/:]+)"),
}
_SLASHED_TYPES = {"table/": "table", "stream/": "stream", "event-bus/": "event_bus",
                  "stateMachine:": "state_machine", "log-group:": "log_group"}
_compiled: dict = {}


def _re(name: str) -> "re.Pattern":
    pat = _compiled.get(name)
    if pat is None:
        pat = _compiled[name] = re.compile(_PATTERNS[name])
    return pat


def flat(text: str) -> str:
    """``text`` with every ``{...}`` placeholder replaced by ``#``."""
    return _re("placeholder").sub("#", text) if "{" in text else text


def role_name_in_arn(text: str) -> str | None:
    m = _re("role").search(flat(text))
    return m.group(1) if m else None


def policy_name_in_arn(text: str) -> str | None:
    """The name of a customer managed policy ARN (None for ``arn:aws:iam::aws:policy/...``)."""
    f = flat(text)
    m = _re("policy").search(f)
    return m.group(1) if m and ":iam::aws:policy/" not in f else None


def arn_target(text: str) -> tuple[str, str] | None:
    """(kind, physical name) an ARN designates, when its kind has a name index; None when the
    text is not such an ARN or the name itself is not known."""
    f = flat(text)
    if ":role/" in f:
        m = _re("role").search(f)
        return ("role", m.group(1)) if m else None
    if not f.startswith("arn:"):
        return None
    if ":iam::" in f:
        if ":policy/" in f:
            n = policy_name_in_arn(text)
            return ("managed_policy", n) if n else None
        for kind in ("user", "group"):
            m = _re(kind).search(f)
            if m:
                return kind, m.group(1)
        return None
    m = _re("s3").match(f)
    if m:
        return "bucket", m.group(1)
    m = _re("lambda").match(f)
    if m:
        return "function", m.group(1)
    m = _re("simple").match(f)
    if m:
        return ("topic" if m.group(1) == "sns" else "queue"), m.group(2)
    m = _re("slashed").match(f)
    if m:
        return _SLASHED_TYPES[m.group(2)], m.group(3)
    return None


class NameIndex:
    """Physical names -> logical ids, per resource type (see the module docstring)."""

    def __init__(self, template, evaluator):
        self.literal: dict[tuple[str, str], list[str]] = {}
        self.evaluated: dict[tuple[str, str], str] = {}
        self.evaluated_lower: dict[tuple[str, str], str] = {}
        self.names_of: dict[str, tuple[str, ...]] = {}
        for lid, r in template.resources.items():
            prop = NAME_PROPS.get(r.type)
            if prop is None or r.implicit:
                continue
            node = r.properties.get(prop)
            if isinstance(node, str):
                self.literal.setdefault((r.type, node), []).append(lid)
        for lid in sorted(template.resources):
            r = template.resources[lid]
            prop = NAME_PROPS.get(r.type)
            if prop is None or r.implicit:
                continue
            node = r.properties.get(prop)
            if node is None:
                continue
            texts = tuple(dict.fromkeys(sv.text for sv in evaluator.strings(node)))
            self.names_of[lid] = texts
            for text in texts:
                self.evaluated.setdefault((r.type, text), lid)
                self.evaluated_lower.setdefault((r.type, text.lower()), lid)

    def lookup(self, types: tuple[str, ...], name: str, *, literal_only: bool = False,
               ignore_case: bool = False) -> str | None:
        for t in types:
            hit = self.literal.get((t, name))
            if hit:
                return hit[0]
        if literal_only:
            return None
        idx, key = (self.evaluated_lower, name.lower()) if ignore_case else (self.evaluated, name)
        for t in types:
            hit = idx.get((t, key))
            if hit:
                return hit
        return None


def types_of(kind_or_type: str) -> tuple[str, ...]:
    if "::" in kind_or_type:
        return (kind_or_type,)
    return KINDS.get(kind_or_type, ())

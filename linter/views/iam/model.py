"""The IAM view's data: what a grant and a managed policy reference are, and the resource
types and AWS managed policies the view knows."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...model.values import EMPTY, SValue
from ...policy.index import ActionIndex


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
    def action_index(self) -> ActionIndex:
        """``actions`` indexed once (plain names by text), shared by the rules that ask which
        patterns allow an action or name actions of the database. (Kept in the instance dict
        by hand: ``functools.cached_property`` takes a lock on every read in Python 3.11.)"""
        ai = self.__dict__.get("_action_index")
        if ai is None:
            ai = self.__dict__["_action_index"] = ActionIndex(self.actions)
        return ai

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

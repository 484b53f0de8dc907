"""IAM grants view: every policy statement of a template, normalised once.

``IamView(template, values, graph)`` (``ctx.iam``) walks every shape a permission can be written
in and turns each statement into a :class:`Grant`:

- identity policies: ``AWS::IAM::Role`` / ``User`` / ``Group`` ``Policies``;
  ``AWS::IAM::Policy`` / ``ManagedPolicy`` ``PolicyDocument`` (attached through ``Roles`` /
  ``Users`` / ``Groups``, or through a principal's ``ManagedPolicyArns`` / SAM ``Policies`` by
  ``!Ref``); SAM ``Policies`` of ``AWS::Serverless::Function`` / ``StateMachine`` (inline
  documents, SAM policy templates expanded with their parameters substituted, managed policy names
  and ARNs);
- AWS managed policies attached by name or ARN are :class:`ManagedPolicy` references; the few
  whose content matters to reachability and escalation (``AdministratorAccess``,
  ``PowerUserAccess``, ``IAMFullAccess``, some service ``*FullAccess``) also give *synthetic*
  grants (``Grant.synthetic``), which statement-level rules skip;
- trust policies (``AssumeRolePolicyDocument`` of roles and of SAM functions, Globals included);
- resource-based policies (``AWS::Lambda::Permission``, SQS / SNS policies, KMS key policies,
  Secrets Manager, EventBridge bus policies, ECR repositories, Lambda layer permissions and S3
  bucket policies).

``Fn::If`` is followed at every level (policy list, document, statement list, statement,
action / resource items): each alternative is a separate value carrying the condition
*scenario* it holds in. Values are evaluated with ``ctx.values``; a resource knows whether it is
``*``, a service-wide wildcard (``arn:aws:s3:::*``), a scoped value (one resource, a prefix) or
unknown (a parameter without default, an import).

Not included: the policies SAM generates on its own for event sources and destinations (MQ /
DocumentDB / Kafka pollers, ``DestinationConfig``, ``DeadLetterQueue``), which SAM scopes to the
source; the basic execution role SAM adds; permissions boundaries. Checked against the SAM
translator on the serverless-patterns corpus: 246 of 261 functions with ``Policies`` give exactly
the grants of the role SAM generates, the 15 others differ only by those SAM-generated policies.

Grant ownership: ``owner`` is the principal as written (the SAM function, not its generated
role; the role a standalone ``AWS::IAM::Policy`` is attached to), ``written_in`` the resource
holding the statement, ``principals`` every principal the statement applies to (a policy
attached to two roles gives one grant with two principals, so that statement-level rules report
it once). ``grants_of(id)`` gives everything in force for one principal.

The package: ``model`` (grants, managed policy references, the types and managed policies the view
knows), ``view`` (:class:`IamView`: principals, attached policies, the public API), ``sam`` (SAM
``Policies``), ``resource_policies`` (resource-based policies), ``helpers``. Every name is importable
from ``slint.views.iam``.
"""

from ...graph.names import policy_name_in_arn, role_name_in_arn  # noqa: F401
from ...model.values import EMPTY, SValue, compatible  # noqa: F401  (re-exported to the rules)
from ...policy import (ANY, SCOPED, SERVICE, UNKNOWN, Action, Condition,  # noqa: F401  (re-exported)
                       ConditionEntry, PolicyReader, PrincipalValue, ResourceValue, Statement)
from .helpers import _as_list, _is_intrinsic, _substitute, _template_refs  # noqa: F401
from .model import (AWS_MANAGED_PREFIX, IDENTITY_SOURCES, INLINE_POLICY_TYPES,  # noqa: F401
                    POLICY_TYPES, PRINCIPAL_TYPES, SAM_PRINCIPALS, _MANAGED_CONTENT, _PLACEHOLDER,
                    Grant, ManagedPolicy)
from .view import IamView  # noqa: F401

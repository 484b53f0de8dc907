"""IAM rules: over-broad permissions, read through ``ctx.iam`` (``slint.views.iam``)."""

from .admin_managed_policy import AdminManagedPolicy
from .allow_not_action import AllowWithNotActionOrResource
from .data_read_on_any_resource import DataReadOnAnyResource
from .open_route_overprivileged import OpenRouteOverprivileged
from .open_trust_policy import OpenTrustPolicy
from .passrole_on_any_resource import PassRoleOnAnyResource
from .privilege_escalation import PrivilegeEscalation
from .public_resource_policy import PublicResourcePolicy
from .wildcard_action import WildcardAction
from .write_on_any_resource import WriteOnAnyResource

RULES: list = [WildcardAction, WriteOnAnyResource, DataReadOnAnyResource,
               AllowWithNotActionOrResource, AdminManagedPolicy, PassRoleOnAnyResource,
               PrivilegeEscalation, PublicResourcePolicy, OpenTrustPolicy,
               OpenRouteOverprivileged]

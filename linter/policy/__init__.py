"""One policy interpreter for every policy a template holds (identity, trust, bucket, API
resource policy, Lambda permission, SNS / SQS / KMS ...).

Layer: between the model and the views (it uses :class:`slint.model.values.Evaluator` and
:mod:`slint.iamdb`, never a view).

- :mod:`.keys`: the one table of condition keys that limit who can call (and which resources an
  identity statement reaches), with the operators that test them;
- :mod:`.parts`: :class:`Action`, :class:`ResourceValue`, :class:`PrincipalValue`, :class:`Condition`,
  the placeholder renderer :func:`show`;
- :mod:`.index`: :class:`ActionIndex`, a statement's action patterns indexed once (plain names by
  text) for the questions rules ask of every pattern;
- :mod:`.reader`: :class:`PolicyReader` turns a document in any shape (mapping, JSON string,
  ``!Sub`` / ``!Join`` of JSON, inside ``Fn::If``) into :class:`Statement` objects;
- :mod:`.who`: answers such as :func:`restriction` (why an API resource policy limits callers).
"""

from .index import ActionIndex
from .keys import RESOURCE_KEYS, WHO_KEYS, who_key
from .parts import (ANY, SCOPED, SERVICE, UNKNOWN, Action, Condition, ConditionEntry,
                    PrincipalValue, ResourceValue, show, wildcard_match)
from .reader import PolicyReader, Statement
from .who import restriction, route_denied, scoped_denials

__all__ = ["ActionIndex", "ANY", "SCOPED", "SERVICE", "UNKNOWN", "Action", "Condition", "ConditionEntry",
           "PrincipalValue", "ResourceValue", "show", "PolicyReader", "Statement", "restriction",
           "route_denied", "scoped_denials",
           "RESOURCE_KEYS", "WHO_KEYS", "who_key", "wildcard_match"]

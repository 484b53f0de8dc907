"""Rules the engine itself reports: parse errors, template structure, rule errors."""

from .syntax import DuplicateKey, InvalidTemplateStructure, ParseError
from .internal import FindingsTruncated, RuleError
from .suppression import InvalidSuppression, SuppressionWithoutReason, UnusedSuppression

RULES: list = [ParseError, DuplicateKey, InvalidTemplateStructure, RuleError, FindingsTruncated,
               SuppressionWithoutReason, UnusedSuppression, InvalidSuppression]

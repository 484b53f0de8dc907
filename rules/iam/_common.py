"""Shared reading of grants for the IAM rules (no state, no rule logic of its own).

Ownership of patterns between the rules, so that one statement is reported once per fact:

- ``Action: "*"`` / ``service:*`` -> IAM001 only (IAM002, IAM003, IAM006 skip wildcard actions);
- NotAction / NotResource with Allow -> IAM004 only (IAM002, IAM003, IAM006 skip such statements);
- AWS managed policies -> IAM005 only (their synthetic grants are skipped by statement rules);
- ``iam:PassRole`` on ``*`` -> IAM006 (IAM002 leaves PassRole out);
- escalation (IAM007) only counts actions granted by explicit (non-wildcard) patterns: a
  wildcard or admin policy is already IAM001 / IAM005.
- reachability (IAM010) is an extra fact about a function (reachable *and* over-privileged).
"""

from __future__ import annotations

import re
from functools import lru_cache

from slint.rule import describe_scenario
from slint.views.iam import SERVICE, UNKNOWN

WRITE_LEVELS = ("Write", "Permissions management")

# Write actions that AWS's own Lambda execution policies (AWSLambdaBasicExecutionRole,
# AWSLambdaVPCAccessExecutionRole, SAM's VPCAccessPolicy / CloudWatchPutMetricPolicy) grant on
# "*": conventional, not reported on "*" by default (rule option `allowed_on_star`).
CONVENTIONAL_ON_STAR = (
    "logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents",
    "cloudwatch:PutMetricData",
    "ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:DescribeNetworkInterfaces",
    "ec2:DetachNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses",
)


def when(scenario) -> str:
    """`` when IsProd`` (leading space) or empty."""
    s = describe_scenario(scenario)
    return f" {s}" if s else ""


def via(grant) -> str:
    if grant.template:
        return f" (SAM policy template `{grant.template}`)"
    return ""


def resource_phrase(res) -> str:
    if res.kind == UNKNOWN:
        return f"`{res.display}`, which {res.unknown_reason}"
    if res.kind == SERVICE:
        return f"every resource of a service (`{res.display}`)"
    text = f"every resource (`{res.display}`)"
    if res.from_param:
        text += f" (from parameter {', '.join('`%s`' % p for p in res.from_param)})"
    return text


def statement_grants(iam):
    """The Allow identity statements that IAM002, IAM003 and IAM006 judge: written in the
    template (not synthetic), without NotAction / NotResource (IAM004's), and not limited by a
    condition on the resource."""
    for g in iam.allow_grants():
        if g.synthetic or g.not_actions or g.not_resources or g.limiting_conditions("resource"):
            continue
        yield g


def first_wildcard(hits):
    """One finding per statement, at its first wildcard resource (an unknown one only when no
    resource is known to be a wildcard). ``hits``: [(Resource, [(Action, [ActionInfo])])].
    Returns (resource, every (action, infos) of the chosen hits, scenario, resource phrase)
    or None."""
    chosen = [h for h in hits if h[0].kind != UNKNOWN] or hits
    if not chosen:
        return None
    r = chosen[0][0]
    all_acts = [x for _r, a in chosen for x in a]
    scen = r.scenario | frozenset.intersection(*(a.scenario for a, _i in all_acts))
    others = len({(x.path, x.text) for x, _a in chosen}) - 1
    res = resource_phrase(r) + (f" (and {others} other wildcard resource"
                                f"{'s' if others > 1 else ''})" if others else "")
    return r, all_acts, scen, res


_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def arn_service(res) -> str | None:
    parts = _PLACEHOLDER.sub("#", res.text).split(":", 5)
    if len(parts) >= 3 and parts[0] == "arn":
        return parts[2].lower()
    return None


_SAMPLE = re.compile(r"\$\{[^}]*\}")
_ACTION_PARTS: dict = {}


def _action_rests(info) -> tuple:
    """Samples of the resource part of each ARN form ``info`` acts on, each variable as ``x``
    and as ``x/x``: ``table/x``, ``x/x`` (an S3 object), ``x`` (a bucket),
    ``x/x/x/@connections/x`` (``execute-api:ManageConnections``)."""
    key = info.action
    if key not in _ACTION_PARTS:
        from slint import iamdb
        # a name with and without a "/" (S3 keys, secret and parameter names, IAM paths
        # may hold slashes; bucket names cannot)
        _ACTION_PARTS[key] = tuple(
            (_SAMPLE.sub("x", part), _SAMPLE.sub(
                lambda m: "x" if m.group(0) == "${BucketName}" else "x/x", part))
            for part in iamdb.action_resource_parts(info))
    return _ACTION_PARTS[key]


@lru_cache(maxsize=4096)
def _rest_regex(text: str) -> re.Pattern | None:
    """The resource part of an ARN as a regex (``*`` any run, a placeholder one name); None
    when ``text`` is not a six-part ARN. Built once per ARN, not once per action."""
    parts = _PLACEHOLDER.sub("\0", text).split(":", 5)   # placeholders first
    if len(parts) != 6:
        return None
    return re.compile("".join(".*" if c == "*" else "[^/:]*" if c == "\0" else re.escape(c)
                              for c in parts[5]))


def applies_to(info, res) -> bool:
    """Can ``info`` (an action) act on something ``res`` (a service-wide ARN wildcard) matches?
    ``arn:aws:s3:::*/*`` matches objects, not buckets, so ``s3:PutBucketPolicy`` does not apply
    to it. Unknown resource types: assume it applies."""
    if res.kind != SERVICE:
        return True
    rx = _rest_regex(res.text)
    if rx is None:
        return True
    rests = _action_rests(info)
    return not rests or any(rx.fullmatch(x) for r in rests for x in r)


def actions_on(grant, res, levels, *, iam, exclude=(), skip_wildcards=True):
    """[(action node, [ActionInfo])] of ``grant`` at ``levels`` with resource-level support that
    apply to ``res`` (same scenario; for a service-wide ARN, actions of that service). ``iam``:
    the IAM view (its evaluator compares scenarios); an action that every principal of the grant
    is denied on every ARN of its service (``Deny`` on ``arn:aws:sns:*:*:*``) does not count: it
    reaches no resource."""
    compatible = iam.values.compatible
    out = []
    excl = None
    svc = arn_service(res) if res.kind == SERVICE else None
    actions = grant.actions
    # only the patterns naming actions of the database can give anything: the grant's action
    # index finds those without a look-up per pattern (a statement may hold 400 000)
    for pos, named in grant.action_index.database_infos():
        a = actions[pos]
        if not compatible(a.scenario, res.scenario):
            continue
        if skip_wildcards and a.is_wildcard:
            continue
        if excl is None:
            excl = {e.lower() for e in exclude}
        infos = [i for i in named
                 if i.access_level in levels and i.resource_level
                 and i.action.lower() not in excl
                 and (svc is None or (i.service == svc and applies_to(i, res)))]
        if infos:
            scen = a.scenario | res.scenario | grant.scenario
            infos = [i for i in infos
                     if not iam.denied_on_every_arn(grant.principals, i.action, i.service, scen)]
        if infos:
            out.append((a, infos))
    return out


def names(actions, limit: int = 4) -> str:
    texts = list(dict.fromkeys(f"`{a.text}`" for a, _ in actions))
    more = len(texts) - limit
    return ", ".join(texts[:limit]) + (f" and {more} more" if more > 0 else "")

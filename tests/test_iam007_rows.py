"""IAM007: each escalation method of the table is flagged by a minimal template and not flagged
when one of its actions is missing; big statements cost one match per pattern, not one per
(pattern, needed action)."""

from __future__ import annotations

import pytest

from slint.rules.iam import privilege_escalation
from slint.rules.iam.privilege_escalation import METHODS
from slint.views import iam as iam_view

from .helpers import run_text

ROLE = """\
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {{Service: lambda.amazonaws.com}}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: [{actions}]
                Resource: "*"
"""


def _iam007(actions):
    res = run_text(ROLE.format(actions=", ".join(actions)), select=["IAM007"])
    assert not [f for f in res.findings if f.rule == "INT001"]
    return [f for f in res.findings if f.rule == "IAM007"]


def _rows():
    return [pytest.param(desc, needed, id=" + ".join(needed)) for desc, needed in METHODS]


@pytest.mark.parametrize("desc, needed", _rows())
def test_each_method_is_flagged(desc, needed):
    (f,) = _iam007(needed)
    assert f.resource == "Role" and f"{desc} ({' + '.join(needed)})" in f.message


@pytest.mark.parametrize("desc, needed", _rows())
def test_each_method_needs_all_its_actions(desc, needed):
    for missing in needed:
        rest = [a for a in needed if a != missing] or ["s3:GetObject"]
        got = _iam007(rest)
        assert all(f"({' + '.join(needed)})" not in f.message for f in got), (missing, got)


def test_a_partial_pattern_counts_like_the_action():
    (f,) = _iam007(["iam:Put*Policy", "iam:PassRole", "ec2:Run*"])
    assert "(iam:PutRolePolicy)" in f.message and "(iam:PassRole + ec2:RunInstances)" in f.message


def test_big_statement_matches_each_pattern_once(monkeypatch):
    calls = []
    real = iam_view.Action.matches
    monkeypatch.setattr(iam_view.Action, "matches",
                        lambda self, action: calls.append(1) or real(self, action))
    n = 3000
    actions = [f"s3:Get{i}" for i in range(n)] + [f"ec2:Describe{i}*" for i in range(n)]
    (f,) = _iam007(actions + ["iam:PassRole", "ec2:RunInstances"])
    assert "(iam:PassRole + ec2:RunInstances)" in f.message
    # every pattern was matched against every needed action (25 x 6 000 = 150 000 calls); now
    # a plain name is a dict lookup and a wildcard is matched against its service's needed
    # actions only (ec2: 1)
    assert len(calls) <= 2 * n, len(calls)
    assert len(METHODS) == 21 and len(privilege_escalation._NEEDED) == 25

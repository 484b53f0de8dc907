"""Stress templates for name and ARN look-ups: N resources (roles, managed policies, policies,
functions) that refer to each other by literal names and ARNs, never by ``!Ref``.

    python bench/stress.py 4000 > stress_4000.yaml

Each unit of four resources ``i``: a role ``RoleName: stress-role-i`` with ``ManagedPolicyArns``
naming managed policies by ARN (literal, and ``!Sub`` with pseudo parameters); a managed policy
``ManagedPolicyName: stress-mp-i`` attached by ``Roles: [stress-role-i]``; a policy whose
``Roles``/``Users`` name two roles; a Lambda function whose ``Role`` is the ARN of a role
(literal, or ``!Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:role/...``). Every look-up used
to scan every resource of the type: quadratic in N.

Deterministic: the same N always gives the same bytes.
"""

from __future__ import annotations

import sys

HEADER = """\
AWSTemplateFormatVersion: "2010-09-09"
Description: slint stress template, {n} resources referring to each other by name and ARN
Resources:
"""

UNIT = """\
  Role{i}:
    Type: AWS::IAM::Role
    Properties:
      RoleName: stress-role-{i}
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {{Service: lambda.amazonaws.com}}
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - arn:aws:iam::123456789012:policy/stress-mp-{j}
        - !Sub "arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:policy/stress-mp-{k}"
        - arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole
  Managed{i}:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: stress-mp-{i}
      Roles: [stress-role-{i}]
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: [dynamodb:GetItem, dynamodb:PutItem]
            Resource: !Sub "arn:${{AWS::Partition}}:dynamodb:${{AWS::Region}}:${{AWS::AccountId}}:table/t{i}"
  Policy{i}:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: stress-policy-{i}
      Roles: [stress-role-{i}, stress-role-{j}]
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: s3:GetObject
            Resource: arn:aws:s3:::stress-bucket-{i}/*
  Fn{i}:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: stress-fn-{i}
      Runtime: python3.12
      Handler: app.handler
      Code: {{ZipFile: "def handler(e, c): return e"}}
      Role: {role}
"""


def generate(n: int) -> str:
    units = max(1, n // 4)
    out = [HEADER.format(n=units * 4)]
    for i in range(units):
        j, k = (i * 7 + 1) % units, (i * 13 + 5) % units
        role = (f"arn:aws:iam::123456789012:role/stress-role-{k}" if i % 2 else
                f'!Sub "arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:role/stress-role-{j}"')
        out.append(UNIT.format(i=i, j=j, k=k, role=role))
    return "".join(out)


if __name__ == "__main__":
    sys.stdout.write(generate(int(sys.argv[1]) if len(sys.argv) > 1 else 1000))

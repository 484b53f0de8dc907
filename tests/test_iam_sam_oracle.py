"""SAM policy expansion checked against the real SAM translator: the grants slint reads from a
SAM function's `Policies` equal the grants of the role SAM generates for it."""

from __future__ import annotations

import json
import textwrap

import pytest
import yaml

from slint.context import Context
from slint.loader import load_text
from slint.model.template import Template

from .sam_oracle import translate

SAM = textwrap.dedent("""
Transform: AWS::Serverless-2016-10-31
Parameters:
  Env: {Type: String, AllowedValues: [dev, prod], Default: dev}
  QueueParam: {Type: String, Default: jobs}
Conditions:
  Prod: {"Fn::Equals": [{Ref: Env}, prod]}
Resources:
  Table: {Type: AWS::DynamoDB::Table}
  Bucket: {Type: AWS::S3::Bucket}
  Topic: {Type: AWS::SNS::Topic}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      CodeUri: s3://bucket/key
      Policies:
        - DynamoDBCrudPolicy: {TableName: {Ref: Table}}
        - S3ReadPolicy: {BucketName: {Ref: Bucket}}
        - SQSPollerPolicy: {QueueName: {Ref: QueueParam}}
        - SNSPublishMessagePolicy: {TopicName: {"Fn::GetAtt": [Topic, TopicName]}}
        - LambdaInvokePolicy: {FunctionName: other-fn}
        - VPCAccessPolicy: {}
        - AmazonS3ReadOnlyAccess
        - arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess
        - Statement:
            - Effect: Allow
              Action: [events:PutEvents]
              Resource: "*"
        - "Fn::If": [Prod, {Statement: [{Effect: Allow, Action: "kms:Decrypt", Resource: "*"}]},
                     {Ref: "AWS::NoValue"}]
""")


def _ctx(data: dict) -> Context:
    loaded = load_text(json.dumps(data), "t.json")
    return Context(loaded.document, Template(loaded.document))


def _shape(grants):
    return sorted((g.effect, tuple(sorted(a.text for a in g.actions)),
                   tuple(sorted(r.text for r in g.resources)), tuple(sorted(g.scenario)))
                  for g in grants if not g.synthetic)


def test_sam_policies_match_the_translator():
    data = yaml.safe_load(SAM)
    out = translate(data)
    if out is None:
        pytest.skip("SAM translator rejected the template")
    role = out["Resources"]["FnRole"]
    assert role["Type"] == "AWS::IAM::Role"
    ours = _ctx(data).iam
    theirs = _ctx(out).iam
    assert _shape(ours.grants_of("Fn")) == _shape(theirs.grants_of("FnRole"))
    # managed policies: SAM adds the basic execution role itself
    sam_added = {"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"}
    mine = sorted(m.text if m.text.startswith("arn:") else
                  "arn:aws:iam::aws:policy/" + m.text for m in ours.managed_policies_of("Fn"))
    theirs_arns = sorted(m.text for m in theirs.managed_policies_of("FnRole")
                         if m.text not in sam_added)
    assert mine == theirs_arns

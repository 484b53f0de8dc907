"""Hostile template shapes for ``bench/run.py``: one per hardening case, deterministic.

    python bench/shapes.py KIND N OUTDIR   # writes the files, prints the path to check

KIND: ``actions`` (one statement allowing N actions), ``statements`` (one role with N inline
statements), ``buckets`` (N buckets with one literal name in one template), ``bucket-files``
(N templates naming their bucket alike), ``globs`` (a 4-line template under a config with N
``per-file-ignores`` globs).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROLE = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
"""
SERVICES = ("s3", "ec2", "dynamodb", "lambda", "sqs", "sns", "logs", "kms")
SMALL = "Resources:\n  B:\n    Type: AWS::S3::Bucket\n"


def write(kind: str, n: int, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    if kind == "actions":
        p = out / "actions.yaml"
        p.write_text(ROLE + "              - Effect: Allow\n                Resource: '*'\n"
                     "                Action:\n"
                     + "".join(f"                  - {SERVICES[i % 8]}:Get{i}\n" for i in range(n)))
    elif kind == "statements":
        p = out / "statements.yaml"
        p.write_text(ROLE + "".join(f"              - Effect: Allow\n                Action: "
                                    f"s3:GetObject{i}\n                Resource: '*'\n"
                                    for i in range(n)))
    elif kind == "buckets":
        p = out / "buckets.yaml"
        p.write_text("Resources:\n" + "".join(
            f"  B{i}:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: acme-same\n"
            for i in range(n)))
    elif kind == "bucket-files":
        p = out / "bucket-files"
        p.mkdir(exist_ok=True)
        for i in range(n):
            (p / f"t{i:05d}.yaml").write_text(
                "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n"
                "      BucketName: acme-shared\n")
    elif kind == "globs":
        d = out / "globs"
        d.mkdir(exist_ok=True)
        (d / ".slint.toml").write_text("[per-file-ignores]\n" + "".join(
            f'"dir{i}/*.yaml" = ["IAM001"]\n' for i in range(n)))
        p = d / "t.yaml"
        p.write_text(SMALL)
    else:
        raise SystemExit(f"unknown shape {kind!r}")
    return p


if __name__ == "__main__":
    print(write(sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])))

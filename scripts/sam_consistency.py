#!/usr/bin/env python3
"""slint on the SAM translator's own tests: each input template against the CloudFormation the
translator is expected to produce from it.

    python scripts/sam_consistency.py SAM_CHECKOUT [--rules API001,IAM010,...]

SAM_CHECKOUT is a clone of aws/serverless-application-model. For every
``tests/translator/input/NAME.yaml`` whose ``tests/translator/output/NAME.json`` is a template
(not an error document), slint checks both and the script prints, per rule, the tests where the
number of findings differs. slint models SAM itself (Globals, implicit APIs, events, policy
templates), so a difference is a place where slint's model of SAM and the real translator
disagree: read both files before deciding which side is right. Deterministic, offline, no cache.
Exit 0 always (a report, not a gate).
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile

DEFAULT_RULES = ("API001", "API002", "IAM001", "IAM002", "IAM005", "IAM008", "IAM010",
                 "COG001", "COG003", "COG005", "BKT001", "BKT002", "S3P001", "CFR001")


def _check(folder: str, out: str) -> dict:
    subprocess.run([sys.executable, "-m", "slint", "check", folder, "--no-cache", "-f", "json",
                    "--exit-zero", "-o", out], check=True)
    with open(out, encoding="utf-8") as fh:
        return json.load(fh)


def _stem(p: str) -> str:
    return os.path.splitext(os.path.basename(p))[0]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sam_checkout")
    ap.add_argument("--rules", default=",".join(DEFAULT_RULES))
    a = ap.parse_args(argv)
    src_in = os.path.join(a.sam_checkout, "tests", "translator", "input")
    src_out = os.path.join(a.sam_checkout, "tests", "translator", "output")
    with tempfile.TemporaryDirectory() as tmp:
        outs = os.path.join(tmp, "out")
        os.mkdir(outs)
        for name in os.listdir(src_out):   # only the top level: aws-cn / aws-us-gov are variants
            if name.endswith(".json"):
                shutil.copy(os.path.join(src_out, name), outs)
        got_in = _check(src_in, os.path.join(tmp, "in.json"))
        got_out = _check(outs, os.path.join(tmp, "out.json"))
    templates = {_stem(f["file"]) for f in got_out["files"] if f["status"] == "checked"}
    inputs = {_stem(f["file"]) for f in got_in["files"]}
    pairs = sorted(templates & inputs)
    print(f"{len(pairs)} tests whose expected output is a template")
    for rule in a.rules.split(","):
        ci = collections.Counter(_stem(f["file"]) for f in got_in["findings"] if f["rule"] == rule)
        co = collections.Counter(_stem(f["file"]) for f in got_out["findings"] if f["rule"] == rule)
        diff = [(s, ci[s], co[s]) for s in pairs if ci[s] != co[s]]
        print(f"{rule}: {sum(ci[s] for s in pairs)} on the inputs, "
              f"{sum(co[s] for s in pairs)} on the outputs, {len(diff)} tests differ")
        for s, i, o in diff:
            print(f"  {s}: input {i}, output {o}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

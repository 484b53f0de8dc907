#!/usr/bin/env python3
"""Record what slint prints, for accounting before/after a refactor.

    python scripts/snapshot_outputs.py OUT_DIR [--corpus DIR]

Writes, for every output format, the report of the whole corpus (one run) and of every fixture
(one run per fixture), plus `slint routes` of every fixture, into OUT_DIR. Compare two
directories with `diff -r BEFORE AFTER`. Deterministic: no cache, one process.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FORMATS = ("text", "json", "sarif", "junit", "github")
CANONICAL = "../shared/corpus/serverless-patterns"


def run(args: list[str]) -> str:
    p = subprocess.run([sys.executable, "-m", "slint", *args], capture_output=True, text=True,
                       errors="replace", cwd=HERE)
    return p.stdout + (f"\n--- stderr ---\n{p.stderr}" if p.stderr else "") + f"\n--- exit {p.returncode}\n"


def _corpus() -> str:
    """``shared/corpus/serverless-patterns`` beside this checkout or beside any folder above it
    (a git worktree may live deeper than the main checkout)."""
    d = HERE
    while True:
        cand = os.path.join(d, "..", "shared", "corpus", "serverless-patterns")
        if os.path.isdir(cand) or os.path.dirname(d) == d:
            return os.path.abspath(cand)
        d = os.path.dirname(d)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--corpus", default=_corpus())
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    corpus = os.path.relpath(os.path.abspath(a.corpus), HERE)
    for fmt in FORMATS:
        with open(os.path.join(a.out, f"corpus.{fmt}"), "w") as fh:
            out = run(["check", corpus, "--no-cache", "--no-config", "-j", "1", "-f", fmt])
            # the same text from a worktree deeper than the main checkout
            fh.write(out.replace(corpus, CANONICAL) if corpus != CANONICAL else out)
    fixtures = []
    for root, _dirs, files in os.walk(os.path.join(HERE, "fixtures")):
        for name in sorted(files):
            if name.endswith((".yaml", ".yml", ".json")) and not name.endswith(".snap.json"):
                fixtures.append(os.path.relpath(os.path.join(root, name), HERE))
    fixtures.sort()
    for fmt in FORMATS:
        with open(os.path.join(a.out, f"fixtures.{fmt}"), "w") as fh:
            for fx in fixtures:
                fh.write(f"=== {fx}\n")
                fh.write(run(["check", fx, "--no-cache", "--no-config", "-f", fmt]))
    with open(os.path.join(a.out, "fixtures.routes"), "w") as fh:
        for fx in fixtures:
            fh.write(f"=== {fx}\n")
            fh.write(run(["routes", fx]))
    return 0


if __name__ == "__main__":
    sys.exit(main())

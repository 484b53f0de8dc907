"""Long fuzzing runs: ``python scripts/fuzz.py --seed S --count N [--out DIR]``.

Mutates the templates of ``fixtures/`` and the shared corpora (``../shared/corpus/...``, skipped
with a note when absent), runs slint on each mutant in a bounded subprocess (20 s, 1.5 GiB) with
a random output format, and checks: no traceback, no INT finding (INT002 aside), output valid
for its format, exit code 0/1/2 with a reason for 2. With ``--out``, each distinct failure gets a
folder with a reduced reproducer, the original mutant, ``info.json`` and the details. Prints a
summary; exits 1 when anything failed. One slint process at a time (``-j 1``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fuzzing.campaign import fuzz  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--count", type=int, default=500)
    ap.add_argument("--batch", type=int, default=25, help="mutants per slint process")
    ap.add_argument("--out", help="write a reproducer per distinct failure into this folder")
    ap.add_argument("--fixtures-only", action="store_true", help="do not use the shared corpora")
    ap.add_argument("--reduce-budget", type=int, default=60,
                    help="slint runs allowed to shrink each reproducer (0: keep the mutant)")
    ap.add_argument("-q", "--quiet", action="store_true")
    a = ap.parse_args(argv)
    log = None if a.quiet else (lambda msg: print(msg, file=sys.stderr, flush=True))
    summary = fuzz(a.seed, a.count, batch=a.batch, out=a.out, include_corpus=not a.fixtures_only,
                   reduce_budget=a.reduce_budget, log=log)
    print(summary.text())
    return 1 if summary.distinct else 0


if __name__ == "__main__":
    sys.exit(main())

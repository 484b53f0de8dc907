"""A fuzzing campaign: mutants in batches, failures deduplicated by signature, a reduced
reproducer for each distinct failure."""

from __future__ import annotations

import json
import random
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .mutate import Mutant, Mutator, seed_files
from .runner import FORMATS, Failure, Report, check_batch, check_run, command, run_slint, TIME_LIMIT


@dataclass
class Distinct:
    failure: Failure
    mutant: Mutant
    count: int = 1
    reproducer: str | None = None


@dataclass
class Summary:
    seed: int
    count: int
    seconds: float = 0.0
    runs: int = 0
    seeds: int = 0
    skipped_reasons: list = field(default_factory=list)
    distinct: dict = field(default_factory=dict)   # signature -> Distinct

    @property
    def failures(self) -> int:
        return sum(d.count for d in self.distinct.values())

    def text(self) -> str:
        lines = [f"seed {self.seed}: {self.count} mutants from {self.seeds} seed templates, "
                 f"{self.runs} slint runs, {self.seconds:.1f} s, {self.failures} failing mutants, "
                 f"{len(self.distinct)} distinct failures"]
        lines += [f"  note: {r}" for r in self.skipped_reasons]
        for sig, d in sorted(self.distinct.items()):
            lines.append(f"  {d.count:4d} x {sig}  [{d.failure.kind}, -f {d.failure.fmt}, mutant "
                         f"{d.mutant.index} of {Path(d.mutant.seed_file).name} by "
                         f"{'+'.join(d.mutant.ops)}]" + (f"\n         reproducer: {d.reproducer}"
                                                        if d.reproducer else ""))
        return "\n".join(lines)


def fuzz(seed: int, count: int, *, batch: int = 25, out: str | None = None,
         include_corpus: bool = True, reduce_budget: int = 60, log=None) -> Summary:
    seeds, reasons = seed_files(include_corpus)
    summary = Summary(seed, count, seeds=len(seeds), skipped_reasons=reasons)
    mutator = Mutator(seed, seeds)
    rng = random.Random(f"formats:{seed}")
    report = Report()
    t0 = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="slint-fuzz-") as tmp:
        for start in range(0, count, batch):
            bdir = Path(tmp) / f"batch{start:06d}"
            bdir.mkdir()
            mutants = {}
            for i in range(start, min(count, start + batch)):
                m = mutator.mutant(i)
                (bdir / m.name).write_bytes(m.content)
                mutants[m.name] = m
            fmt = rng.choice(FORMATS)
            found = check_batch(bdir, sorted(mutants), fmt, report, as_dir=rng.random() < 0.5,
                                twice=rng.random() < 0.15)
            report.mutants += len(mutants)
            for f in found:
                m = mutants.get(f.file or "")
                if m is None:
                    continue
                d = summary.distinct.get(f.signature)
                if d is not None:
                    d.count += 1
                    continue
                d = summary.distinct[f.signature] = Distinct(f, m)
                if out:
                    d.reproducer = write_reproducer(Path(out), d, bdir / m.name, seed, reduce_budget)
                if log:
                    log(f"new failure {f.signature} on mutant {m.index} (-f {fmt})")
            shutil.rmtree(bdir, ignore_errors=True)
            if log and (start // batch) % 10 == 9:
                log(f"{start + batch} mutants, {len(summary.distinct)} distinct failures, "
                    f"{time.monotonic() - t0:.0f} s")
    summary.runs = report.runs
    summary.seconds = time.monotonic() - t0
    return summary


# --------------------------------------------------------------------------- reproducers


def _slug(sig: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.@-]+", "_", sig)[:120]


def _same(content: bytes, name: str, fmt: str, signature: str, workdir: Path) -> bool:
    path = workdir / name
    path.write_bytes(content)
    run = run_slint(command([name], fmt), str(workdir), TIME_LIMIT)
    if signature.startswith("nondeterministic:"):
        again = run_slint(command([name], fmt), str(workdir), TIME_LIMIT)
        return (run.rc, run.stdout) != (again.rc, again.stdout)
    return any(f.signature == signature for f in check_run(run, fmt, [name]))


def reduce(content: bytes, name: str, fmt: str, signature: str, budget: int) -> bytes:
    """A smaller file with the same failure signature: whole keys and list items deleted from
    the loaded structure where it can be written back, else chunks of lines; at most ``budget``
    slint runs."""
    with tempfile.TemporaryDirectory(prefix="slint-reduce-") as tmp:
        work = Path(tmp)
        runs = [0]

        def still(c: bytes) -> bool:
            if runs[0] >= budget:
                return False
            runs[0] += 1
            return _same(c, name, fmt, signature, work)

        best = content
        data = _loaded(content, name)
        as_json = name.endswith(".json")
        if data is not None:
            dumped = _dump(data, as_json)
            if dumped is not None and len(dumped) <= len(content) and still(dumped):
                best = _reduce_tree(data, as_json, still) or dumped
        return _reduce_lines(best, still)


def _loaded(content: bytes, name: str):
    from slint.loader import load_bytes
    try:
        res = load_bytes(content, name)
    except Exception:  # noqa: BLE001 - a loader crash is itself the failure: keep the bytes
        return None
    d = res.document.data if res.document is not None and not res.issues else None
    return d if isinstance(d, (dict, list)) else None


def _dump(data, as_json: bool) -> bytes | None:
    try:
        text = (json.dumps(data, indent=1) if as_json
                else yaml.safe_dump(data, sort_keys=False, allow_unicode=False, width=10_000))
        return text.encode("utf-8", "surrogatepass")
    except (ValueError, TypeError, RecursionError, yaml.YAMLError):
        return None


def _reduce_tree(data, as_json: bool, still) -> bytes | None:
    best = None
    queue = [data]
    while queue:
        node = queue.pop(0)
        keys = list(node) if isinstance(node, dict) else list(range(len(node) - 1, -1, -1))
        for k in keys:
            if isinstance(node, dict):
                saved = node.pop(k)
                c = _dump(data, as_json)
                if c is not None and still(c):
                    best = c
                    continue
                node[k] = saved
            else:
                saved = node.pop(k)
                c = _dump(data, as_json)
                if c is not None and still(c):
                    best = c
                    continue
                node.insert(k, saved)
        for v in (node.values() if isinstance(node, dict) else node):
            if isinstance(v, (dict, list)) and v:
                queue.append(v)
    return best


def _reduce_lines(content: bytes, still) -> bytes:
    lines = content.split(b"\n")
    chunk = max(1, len(lines) // 2)
    while chunk >= 1 and len(lines) > 1:
        i = 0
        changed = False
        while i < len(lines):
            trial = lines[:i] + lines[i + chunk:]
            if trial and still(b"\n".join(trial)):
                lines, changed = trial, True
            else:
                i += chunk
        if not changed:
            chunk //= 2
    return b"\n".join(lines)


def write_reproducer(out: Path, d: Distinct, path: Path, seed: int, budget: int) -> str:
    f, m = d.failure, d.mutant
    target = out / _slug(f.signature)
    target.mkdir(parents=True, exist_ok=True)
    original = path.read_bytes()
    small = reduce(original, m.name, f.fmt, f.signature, budget) if budget else original
    (target / m.name).write_bytes(small)
    (target / ("original-" + m.name)).write_bytes(original)
    info = {"signature": f.signature, "kind": f.kind, "format": f.fmt, "seed": seed,
            "mutant": m.index, "seed_file": m.seed_file, "ops": m.ops,
            "command": f"python -m slint check {m.name} -f {f.fmt} --no-cache --no-config",
            "original_bytes": len(original), "reduced_bytes": len(small)}
    (target / "info.json").write_text(json.dumps(info, indent=2) + "\n")
    (target / "detail.txt").write_text(f.detail, encoding="utf-8", errors="backslashreplace")
    return str(target / m.name)

"""slint benchmark: whole processes, start-up included, median of several runs.

    python bench/run.py            # full run (cfn-lint at 20/200/1000; ~5 min)
    python bench/run.py --quick    # sizes 20/200/1000, fewer runs, cfn-lint at 20/200 only (~1 min)
    python bench/run.py --no-write # print the table only
    python bench/run.py --stress   # name/ARN look-up stress (bench/stress.py): time per resource
                                   # at 500/1000/2000/4000/8000 (~1 min); writes nothing

It generates synthetic SAM templates (``bench/gen.py``) into a temporary directory and times:
slint on each size, cfn-lint on the same files, the YAML parse floor (``yaml.compose`` with the C
loader, cyclic GC paused, in a fresh interpreter: start-up included), slint over the
serverless-patterns corpus cold (empty cache) and warm (unchanged re-run), and ``slint --help``.
Peak memory is the child's ``ru_maxrss`` (``os.wait4``). The table goes to stdout and, unless
``--no-write``, into README.md (between the perf markers) and docs/performance.md (between the
bench markers) with the machine's details.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "serverless-patterns"
FLOOR = ("import sys, gc, yaml; gc.disable(); "
         "yaml.compose(open(sys.argv[1], encoding='utf-8').read(), Loader=yaml.CSafeLoader)")
FLOOR_GC = ("import sys, yaml; "
            "yaml.compose(open(sys.argv[1], encoding='utf-8').read(), Loader=yaml.CSafeLoader)")


# Children run as after a normal install: with byte-code caching on. (Some sandboxes export
# PYTHONDONTWRITEBYTECODE, which makes every run of an editable install recompile slint.)
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_once(cmd: list[str], cwd: str | None = None, timeout: float = 1800) -> tuple[float, float, int, float]:
    """(wall seconds, peak RSS in MB, exit code, CPU seconds) of one child process.

    Linux starts a child's ``ru_maxrss`` at its parent's high-water mark (the forked copy of the
    parent is the child's first memory), so this process keeps itself small: it generates
    nothing and imports nothing big itself."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd, env=ENV)
    deadline = t0 + timeout
    while True:
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            p.kill()
            pid, status, ru = os.wait4(p.pid, 0)
            break
        time.sleep(0.001)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    return wall, ru.ru_maxrss / 1024, p.returncode, ru.ru_utime + ru.ru_stime


def measure(cmd: list[str], runs: int, cwd: str | None = None, before=None) -> dict:
    walls, mems, codes, cpus = [], [], [], []
    for _ in range(runs):
        if before:
            before()
        w, m, c, u = run_once(cmd, cwd)
        walls.append(w)
        mems.append(m)
        codes.append(c)
        cpus.append(u)
    return {"s": statistics.median(walls), "min": min(walls), "mb": max(mems), "codes": set(codes),
            "runs": runs, "cpu": statistics.median(cpus)}


def entry_points() -> tuple[list[str], list[str] | None]:
    """(real console script, the shim in front of it on PATH if different)."""
    real = Path(sys.executable).with_name("slint")
    real_cmd = [str(real)] if real.exists() else [sys.executable, "-m", "slint"]
    # what a shell finds on PATH; pyenv puts the interpreter's own bin first for this process,
    # so look past it (the shim is what people type)
    own = str(Path(sys.executable).parent)
    path = os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep) if p != own)
    on_path = shutil.which("slint", path=path)
    if on_path and Path(on_path).resolve() != real.resolve():
        return real_cmd, [on_path]
    return real_cmd, None


def machine() -> dict:
    cpu = platform.processor() or "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "?"
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    probe = ("import yaml; print(yaml.__version__, "
             "'libyaml' if getattr(yaml, '__with_libyaml__', False) else 'pure Python')")
    yv = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True).stdout.split()
    try:
        from importlib.metadata import version
        cfn = version("cfn-lint")
        slint_v = version("slint")
    except Exception:  # pragma: no cover
        cfn = slint_v = "?"
    return {"cpu": cpu, "cores": os.cpu_count(), "ram": ram,
            "python": platform.python_version(), "os": f"{platform.system()} {platform.release()}",
            "slint": slint_v, "cfn-lint": cfn,
            "pyyaml": f"{yv[0]} ({' '.join(yv[1:])})" if yv else "?"}


def fmt_s(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x:.3f}" if x < 10 else f"{x:.1f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small sizes, fewer runs, cfn-lint on 20/200 only")
    ap.add_argument("--no-write", action="store_true", help="do not update README.md / docs/performance.md")
    ap.add_argument("--runs", type=int, default=None, help="runs per measurement (median)")
    ap.add_argument("--sizes", default=None, help="comma-separated resource counts")
    ap.add_argument("--no-cfn-lint", action="store_true")
    ap.add_argument("--shapes-only", action="store_true",
                    help="only the hostile shapes (big statements, duplicate bucket names, many globs)")
    ap.add_argument("--skip-shapes", default="",
                    help="comma-separated row numbers (1-based) of SHAPES not to run, e.g. on an "
                         "old version that runs out of memory on them")
    ap.add_argument("--stress", action="store_true",
                    help="time per resource on bench/stress.py templates (names and ARNs)")
    args = ap.parse_args(argv)
    if args.shapes_only:
        return shapes_main(args)
    if args.stress:
        return stress(args.sizes, args.runs or 3)

    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else (
        [20, 200, 1000] if args.quick else [20, 200, 1000, 5000, 20000])
    runs = args.runs or (3 if args.quick else 5)
    cfn_sizes = {} if args.no_cfn_lint else (
        {20: runs, 200: runs} if args.quick else {20: runs, 200: 3, 1000: 3})
    cfn = shutil.which("cfn-lint")
    real, shim = entry_points()
    env_note = []
    rows: list[dict] = []

    with tempfile.TemporaryDirectory(prefix="slint-bench-") as tmp:
        files = {}
        for n in sizes:  # in a child process: this one stays small (see ``run_once``)
            p = Path(tmp) / f"sam_{n}.yaml"
            with open(p, "wb") as fh:
                subprocess.run([sys.executable, str(HERE / "gen.py"), str(n)], stdout=fh, check=True)
            files[n] = p
        run_once(real + ["--version"])  # warm-up: byte-code written, files in the page cache
        run_once(real + ["check", str(files[sizes[0]]), "--no-cache"])
        print(f"templates in {tmp}: " + ", ".join(f"{n} ({files[n].stat().st_size // 1024} KiB)" for n in sizes),
              file=sys.stderr)

        for n in sizes:
            r = max(1, runs if n <= 5000 else min(runs, 3))
            s = measure(real + ["check", str(files[n]), "--no-cache", "--format", "json"], r, cwd=tmp)
            fl = measure([sys.executable, "-c", FLOOR, str(files[n])], r, cwd=tmp)
            flg = measure([sys.executable, "-c", FLOOR_GC, str(files[n])], r, cwd=tmp)
            c = None
            if cfn and n in cfn_sizes:
                c = measure([cfn, str(files[n])], cfn_sizes[n], cwd=tmp)
            row = {"case": f"SAM template, {n} resources", "n": n, "slint": s, "cfn": c, "floor": fl,
                   "floor_gc": flg}
            rows.append(row)
            print(f"{n:>6}: slint {fmt_s(s['s'])} s ({s['mb']:.0f} MB)  floor {fmt_s(fl['s'])} s"
                  + (f"  cfn-lint {fmt_s(c['s'])} s" if c else ""), file=sys.stderr)
        skipped_cfn = [n for n in sizes if n not in cfn_sizes]

        corpus_rows = []
        if CORPUS.is_dir():
            cache = Path(tmp) / "cache"
            clear = lambda: shutil.rmtree(cache, ignore_errors=True)  # noqa: E731
            cmd = real + ["check", str(CORPUS), "--format", "json", "--cache-dir", str(cache)]
            cold = measure(cmd, runs, cwd=tmp, before=clear)
            clear()
            run_once(cmd, cwd=tmp)
            warm = measure(cmd, runs, cwd=tmp)
            one = measure(real + ["check", str(CORPUS), "--format", "json", "--no-cache", "--jobs", "1"],
                          max(1, runs // 2), cwd=tmp)
            corpus_rows = [("corpus (501 templates), cold, all cores", cold),
                           ("corpus, warm cache (unchanged re-run)", warm),
                           ("corpus, `--jobs 1 --no-cache`", one)]
            print(f"corpus: cold {fmt_s(cold['s'])} s, warm {fmt_s(warm['s'])} s, jobs=1 {fmt_s(one['s'])} s",
                  file=sys.stderr)
        else:
            env_note.append(f"corpus not found at {CORPUS}: skipped")
        help_real = measure(real + ["--help"], max(runs, 5))
        help_rows = [("`slint --help` (console script)", help_real)]
        # start-up: a plain check of a small template, every rule vs one selected rule (only the
        # selected rules' modules and the views they read are imported)
        small = files[sizes[0]]
        all_rules = measure(real + ["check", str(small), "--no-cache"], max(runs, 5), cwd=tmp)
        one_rule = measure(real + ["check", str(small), "--no-cache", "--select", "IAM001"],
                           max(runs, 5), cwd=tmp)
        help_rows.append((f"`slint check` {sizes[0]} resources, all rules (start-up)", all_rules))
        help_rows.append((f"`slint check --select IAM001` {sizes[0]} resources (start-up)", one_rule))
        print(f"start-up ({sizes[0]} resources): all rules {fmt_s(all_rules['s'])} s "
              f"(CPU {fmt_s(all_rules['cpu'])} s), --select IAM001 {fmt_s(one_rule['s'])} s "
              f"(CPU {fmt_s(one_rule['cpu'])} s)", file=sys.stderr)
        if shim:
            help_rows.append(("`slint --help` (via PATH shim)", measure(shim + ["--help"], max(runs, 5))))
            small = files[sizes[0]]
            help_rows.append((f"`slint check` {sizes[0]} resources (via PATH shim)",
                              measure(shim + ["check", str(small), "--no-cache", "--format", "json"], runs, cwd=tmp)))
        py = measure([sys.executable, "-c", "pass"], max(runs, 5))
        help_rows.append(("`python -c pass` (interpreter start-up)", py))

    m = machine()
    table = render(rows, corpus_rows, help_rows, m, runs, skipped_cfn, env_note, args.quick,
                   args.no_cfn_lint)
    shape_table = shapes_table(run_shapes(max(1, min(runs, 3)), args.skip_shapes))
    print(table)
    print(shape_table)
    if not args.no_write:
        readme = table + ("\nWhere the time goes, what was done about it, the parallel scans and the "
                          "result cache: [docs/performance.md](docs/performance.md).\n")
        write_between(ROOT / "README.md", "<!-- perf:start -->", "<!-- perf:end -->", readme)
        perf = ROOT / "docs" / "performance.md"
        if perf.exists():
            write_between(perf, "<!-- bench:start -->", "<!-- bench:end -->", table)
            write_between(perf, "<!-- shapes:start -->", "<!-- shapes:end -->", shape_table)
        print(f"wrote {ROOT / 'README.md'} and {perf}", file=sys.stderr)
    return 0


# hostile shapes: (label, shape kind, N, target seconds or None)
SHAPES = [
    ("one statement allowing 400 000 actions (IAM007 and the IAM rules)", "actions", 400_000, 2.0),
    ("one role with 60 000 inline statements", "statements", 60_000, 2.0),
    ("1 500 buckets with one literal name, one template (BKT003)", "buckets", 1_500, None),
    ("3 000 buckets with one literal name, one template (BKT003)", "buckets", 3_000, None),
    ("400 templates naming their bucket alike (BKT003 across files)", "bucket-files", 400, None),
    ("3 000 templates naming their bucket alike (BKT003 across files)", "bucket-files", 3_000, None),
    ("4-line template, 100 000 `per-file-ignores` globs", "globs", 100_000, None),
]


def run_shapes(runs: int, skip: str = "") -> list[tuple[str, dict, int, float | None]]:
    """[(label, measurement, findings printed, CPU target)] of slint on each hostile shape
    (``--jobs 1``)."""
    real, _shim = entry_points()
    out = []
    with tempfile.TemporaryDirectory(prefix="slint-shapes-") as tmp:
        skipped = {int(x) for x in skip.split(",") if x.strip()}
        for i, (label, kind, n, _target) in enumerate(SHAPES, 1):
            if i in skipped:
                continue
            d = Path(tmp) / f"{kind}-{n}"
            path = subprocess.run([sys.executable, str(HERE / "shapes.py"), kind, str(n), str(d)],
                                  check=True, capture_output=True, text=True).stdout.strip()
            cmd = real + ["check", path, "--no-cache", "--format", "json", "--jobs", "1"]
            m = measure(cmd, runs, cwd=str(d))
            res = subprocess.run(cmd, cwd=str(d), capture_output=True, text=True, env=ENV)
            try:
                import json
                found = len(json.loads(res.stdout)["findings"])
            except (ValueError, KeyError, TypeError):
                found = -1
            out.append((label, m, found, _target))
            print(f"{label}: {fmt_s(m['s'])} s, CPU {fmt_s(m['cpu'])} s, {m['mb']:.0f} MB, "
                  f"{found} findings", file=sys.stderr)
    return out


def shapes_table(results) -> str:
    """The table, with the CPU target of a shape that has one and whether this run met it
    (CPU, not wall time: on a shared machine the wall clock measures the neighbours)."""
    lines = ["| hostile shape | slint s | CPU s | peak MB | findings | CPU target |",
             "|---|---:|---:|---:|---:|---|"]
    for label, m, found, target in results:
        goal = ("—" if target is None else
                f"< {target:g} s: {'met' if m['cpu'] < target else 'missed'}")
        lines.append(f"| {label} | {fmt_s(m['s'])} | {fmt_s(m['cpu'])} | {m['mb']:.0f} | {found} "
                     f"| {goal} |")
    return "\n".join(lines) + "\n"


def shapes_main(args) -> int:
    table = shapes_table(run_shapes(args.runs or 1, args.skip_shapes))
    print(table)
    if not args.no_write:
        write_between(ROOT / "docs" / "performance.md", "<!-- shapes:start -->",
                      "<!-- shapes:end -->", table)


STRESS_SIZES = (500, 1000, 2000, 4000, 8000)


def stress(sizes_arg: str | None, runs: int) -> int:
    """CPU time per resource of ``slint check`` on templates whose resources refer to each other
    by literal names and ARNs (``bench/stress.py``). Linear look-ups keep the time per resource
    flat; the start-up (a 4-resource template) is subtracted in the last column. Exit code 1 when
    the net time per resource grows more than 1.5x from 1000 to the largest size."""
    sizes = [int(s) for s in sizes_arg.split(",")] if sizes_arg else list(STRESS_SIZES)
    real, _shim = entry_points()
    with tempfile.TemporaryDirectory(prefix="slint-stress-") as tmp:
        files = {}
        for n in [4] + sizes:
            p = Path(tmp) / f"stress_{n}.yaml"
            with open(p, "wb") as fh:
                subprocess.run([sys.executable, str(HERE / "stress.py"), str(n)], stdout=fh, check=True)
            files[n] = p
        run_once(real + ["check", str(files[4]), "--no-cache"])  # warm-up
        cmd = lambda n: real + ["check", str(files[n]), "--no-cache", "--format", "json"]  # noqa: E731
        base = measure(cmd(4), max(runs, 5), cwd=tmp)["cpu"]
        print(f"start-up (4 resources): {base:.3f} s CPU")
        print("| resources | CPU s | ms / resource | net ms / resource |")
        print("|---:|---:|---:|---:|")
        net = {}
        for n in sizes:
            cpu = measure(cmd(n), runs, cwd=tmp)["cpu"]
            net[n] = (cpu - base) / n * 1000
            print(f"| {n} | {cpu:.2f} | {cpu / n * 1000:.3f} | {net[n]:.3f} |", flush=True)
    flat = [net[n] for n in sizes if n >= 1000]
    if len(flat) >= 2 and min(flat) > 0:
        ratio = max(flat) / min(flat)
        print(f"net time per resource, 1000 and up: max / min = {ratio:.2f} "
              f"({'flat' if ratio <= 1.5 else 'NOT flat'}: limit 1.5)")
        return 0 if ratio <= 1.5 else 1
    return 0


def render(rows, corpus_rows, help_rows, m, runs, skipped_cfn, notes, quick, no_cfn=False) -> str:
    out = []
    out.append(f"Measured by `python bench/run.py{' --quick' if quick else ''}` "
               f"(whole processes, start-up included, median of {runs} runs unless noted).\n")
    out.append(f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram']} RAM, {m['os']}; Python {m['python']}; "
               f"slint {m['slint']}, cfn-lint {m['cfn-lint']}, PyYAML {m['pyyaml']}.\n")
    out.append("| template | slint s | slint CPU s | peak MB | cfn-lint s | cfn-lint / slint | parse floor s "
               "| slint / floor | floor, GC on s |")
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        s, c, fl = r["slint"], r["cfn"], r["floor"]
        ratio = f"{c['s'] / s['s']:.1f}×" if c else "—"
        cs = fmt_s(c["s"]) + (f" ({c['runs']} run)" if c and c["runs"] == 1 else "") if c else "—"
        out.append(f"| {r['n']} resources | {fmt_s(s['s'])} | {fmt_s(s['cpu'])} | {s['mb']:.0f} | {cs} | {ratio} | "
                   f"{fmt_s(fl['s'])} | {s['s'] / fl['s']:.1f}× | {fmt_s(r['floor_gc']['s'])} |")
    out.append("")
    out.append("| run | seconds | CPU s | peak MB |")
    out.append("|---|---:|---:|---:|")
    for name, x in list(corpus_rows) + list(help_rows):
        out.append(f"| {name} | {fmt_s(x['s'])} | {fmt_s(x['cpu'])} | {x['mb']:.0f} |")
    out.append("")
    if len(rows) >= 2:
        steps = []
        for a, b in zip(rows, rows[1:]):
            ms = (b["slint"]["cpu"] - a["slint"]["cpu"]) / (b["n"] - a["n"]) * 1000
            steps.append(f"{a['n']}→{b['n']}: {ms:.2f} ms")
        out.append("Growth: CPU time per added resource (constant when growth is linear): "
                   + ", ".join(steps) + ".")
    if skipped_cfn:
        why = ("`--no-cfn-lint`" if no_cfn else "skipped by `--quick`" if quick and max(skipped_cfn) < 5000
               else "at 5000 resources it had not finished after 7 CPU-minutes; at 1000 it takes ~30 s")
        out.append(f"cfn-lint not run at {', '.join(map(str, skipped_cfn))} resources ({why}).")
    out.append("The parse floor is `yaml.compose` with `CSafeLoader` (GC paused) in a fresh interpreter: "
               "the least any Python tool that reads the YAML with positions can take; the ratio is "
               "taken against it (the stricter choice: with the cyclic GC on, as `yaml.compose` runs "
               "by default, the floor is the last column). "
               "Peak memory is the child's `ru_maxrss`; CPU is the child's user + system time (steadier "
               "than wall time on a busy machine; the corpus rows add the workers' CPU). slint runs "
               "with `--no-cache --format json` except the corpus cold/warm rows (cache in a fresh "
               "temporary directory).")
    out.extend(notes)
    head, _, tail = "\n".join(out).rpartition("\n\n")  # the notes after the last table:
    return head + "\n\n" + tail.replace("\n", "\n\n") + "\n"   # one paragraph each


def write_between(path: Path, start: str, end: str, body: str) -> None:
    text = path.read_text(encoding="utf-8")  # re-read right before editing
    i, j = text.find(start), text.find(end)
    if i < 0 or j < i:
        print(f"markers {start} / {end} not found in {path}: not written", file=sys.stderr)
        return
    new = text[: i + len(start)] + "\n" + body + text[j:]
    path.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
